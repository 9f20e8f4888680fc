"""One article's claims made consistent: a role the article says has ended is not
also asserted (``פיטוריו של המאמן X`` states a dismissal, not a current job)."""

from __future__ import annotations

from kg.lexicon import cues
from kg.model import Claim

ASSERTING = ("Asserted", "Past")


def reconcile(claims: list[Claim]) -> list[Claim]:
    rules = cues("consistency")["superseded_by"]
    ended = {(c.subject, c.predicate, c.obj) for c in claims if c.modality in ASSERTING}
    for c in claims:  # a move away from a club ends playing there
        for key, value in c.qualifiers:
            if key == "from" and c.predicate == "transferredTo" and c.modality in ASSERTING:
                ended.add((c.subject, "transferredTo_from", value))
    return [c for c in claims if not (
        c.modality in ASSERTING
        and any((c.subject, later, c.obj) in ended for later in rules.get(c.predicate, ())))]
