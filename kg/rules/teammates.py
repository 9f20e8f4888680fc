"""Teammates by apposition: ``חברו לשעבר לברצלונה, ג'רארד פיקה``."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract import Sentence
from kg.lexicon import cues
from kg.rules.registry import rule
from kg.rules.patterns import B, E, PREFIX, alt


@lru_cache(maxsize=None)
def _pattern():
    lex = cues("relations")
    former = alt(cues("roles")["former_words"])
    return re.compile(
        rf"{B}ו?{alt(lex['teammate_nouns'])}(?P<former>\s+{former})?{E}"
        rf"(?:\s+(?:ל|ב)(?:-)?«(?:Club|NationalTeam):(?P<c>\d+)»)?"
        rf"(?:\s+(?:ב|ל)?{PREFIX}(?:\w+\s+)?)?\s*,?\s*«Person:(?P<p>\d+)»"
    )


@rule("teammate-apposition.v1", produces=["teammateOf", "formerTeammateOf", "formerPlayerOf", "playsFor"],
      examples=[
          "ליאו מסי נשאר בחוץ, וחברו לשעבר לברצלונה, ג'רארד פיקה, דיבר עליו.",
          "ליאו מסי הגיע, ושותפו לקבוצה, דייוויד בקהאם, בירך אותו.",
      ],
      counter_examples=["ג'רארד פיקה הגיע עם חבריו לאירוע."])
def teammate_apposition(s: Sentence):
    """``(his) teammate [former] [at club], <person>``: 'his' is the last person named before."""
    for m in _pattern().finditer(s.masked):
        other = s.mention(m, "p").entity
        nstart, nend = s.nspan(m.start(), m.end())
        anchor = s.ctx.last_before(nstart, ("Person",), exclude=(other,))
        if anchor is None:
            continue
        former = bool(m.group("former"))
        span = (nstart, nend)
        yield s.ctx.claim(other, "formerTeammateOf" if former else "teammateOf", anchor.entity,
                          span, teammate_apposition.rule_id, confidence=0.8)
        if m.group("c"):
            club = s.mention(m, "c").entity
            for person in (other, anchor.entity):
                yield s.ctx.claim(person, "formerPlayerOf" if former else "playsFor", club,
                                  span, teammate_apposition.rule_id, confidence=0.75)
