"""Roles stated by apposition: ``בעלי אינטר מיאמי, חורחה מאס``; ``X, נשיא קונמבול``."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract import Sentence
from kg.lexicon import cues
from kg.rules import rule
from kg.rules.patterns import B, E, PREFIX, RANGES, alt

ORG = "(?:Club|NationalTeam|Organization|League|Competition)"
PERSON_TOKEN = r"«Person:(?P<p>\d+)»"
ORG_TOKEN = rf"«{ORG}:(?P<o>\d+)»"


@lru_cache(maxsize=None)
def _patterns():
    lex = cues("roles")
    former = alt(lex["former_words"])
    out = []
    for relation, nouns in lex["roles"].items():
        role = rf"{B}{PREFIX}(?:ה)?{alt(nouns)}"
        of = rf"(?:\s+של)?\s*{PREFIX}{ORG_TOKEN}(?P<former>\s+{former}{E})?"
        out.append((relation, re.compile(rf"{role}{of}\s*,?\s*{PERSON_TOKEN}")))
        out.append((relation, re.compile(rf"{PERSON_TOKEN}\s*,\s*{role}{of}")))
    return tuple(out)


def _relation(relation: str, former: bool) -> tuple[str, str]:
    if not former:
        return relation, "Asserted"
    mapped = cues("roles")["former"].get(relation)
    return (mapped, "Asserted") if mapped else (relation, "Past")


@rule("role-apposition.v1", produces=["ownerOf", "presidentOf", "headCoachOf", "playsFor",
                                      "sportingDirectorOf", "assistantCoachOf", "captainOf"],
      examples=[
          "בעלי מכבי חיפה, יעקב שחר, הגיע לאימון.",
          "ברק בכר, מאמן מכבי חיפה, שיבח את השחקנים.",
          "נשיא פיפ\"א, ג'יאני אינפנטינו, הגיע למשחק.",
      ],
      counter_examples=["הבעלים של מכבי חיפה הגיעו לאימון, ואיתם ליאו מסי."])
def role_apposition(s: Sentence):
    """``<role> <org>, <person>`` or ``<person>, <role> <org>``; ``לשעבר`` makes it former."""
    for relation, pattern in _patterns():
        for m in pattern.finditer(s.masked):
            person, org = s.mention(m, "p"), s.mention(m, "o")
            if org.etype not in RANGES[relation]:
                continue
            rel, mod = _relation(relation, bool(m.group("former")))
            yield s.ctx.claim(person.entity, rel, org.entity, s.nspan(m.start(), m.end()),
                              role_apposition.rule_id, modality=mod, confidence=0.9)
