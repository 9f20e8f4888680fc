"""One article's claims made consistent.

- A role the article says has ended is not also asserted: ``פיטוריו של המאמן
  X`` states a dismissal, not a current job (unless the article also appoints
  him there: a coach may return).
- A player the article moves to a new club no longer plays for the old one:
  ``playsFor`` the old club becomes ``formerPlayerOf``.
- A role read from context and the catalogue (``fallback_rules``) gives way to the same
  fact stated in words by another rule of the article.
"""

from __future__ import annotations

from dataclasses import replace

from kg.lexicon import cues
from kg.model import Claim

ASSERTING = ("Asserted", "Past")


def reconcile(claims: list[Claim]) -> list[Claim]:
    lex = cues("consistency")
    asserted = {(c.subject, c.predicate, c.obj) for c in claims if c.modality in ASSERTING}
    ended = {(c.subject, c.predicate, c.obj) for c in claims
             if c.modality in ASSERTING and c.rule.split(".")[0] in lex["ending_rules"]}
    moved = {c.subject: c.obj for c in claims if c.predicate == "transferredTo" and c.modality in ASSERTING}
    fallback = set(lex["fallback_rules"])
    stated = {(c.subject, c.predicate, c.obj) for c in claims if c.rule.split(".")[0] not in fallback}
    out = []
    for c in claims:
        if c.rule.split(".")[0] in fallback and (c.subject, c.predicate, c.obj) in stated:
            continue        # the article says it in words: that claim is the evidence
        if c.modality in ASSERTING:
            key = (c.subject, c.predicate, c.obj)
            protected = (c.subject, lex["protected_by"].get(c.predicate, ""), c.obj) in asserted
            if not protected and any((c.subject, later, c.obj) in ended
                                     for later in lex["superseded_by"].get(c.predicate, ())):
                continue
            if c.predicate == "playsFor" and moved.get(c.subject) not in (None, c.obj):
                c = replace(c, predicate="formerPlayerOf")
                if (c.subject, c.predicate, c.obj) in asserted:
                    continue
                asserted.add(key)
        out.append(c)
    return out
