"""Nationality and country from epithets: ``הכוכב הארגנטינאי``, ``המועדון האמריקאי``."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract import Sentence
from kg.lexicon import cues
from kg.rules.registry import rule
from kg.rules.patterns import B, alt


@lru_cache(maxsize=None)
def _patterns():
    lex = cues("relations")
    demonym = r"ה?«Country:(?P<c>\d+)»"
    return (
        re.compile(rf"{B}[ובלמשכ]?{alt(lex['person_nouns'])}\s+(?:\w+\s+)?{demonym}(?:(?:\s+של\s+\S+)?\s*,?\s*«Person:(?P<p>\d+)»)?"),
        re.compile(rf"«Person:(?P<p>\d+)»\s*,?\s*{demonym}|(?<![\w«»])(?:[ובלמשכ]{{0,2}})ה«Country:(?P<c2>\d+)»\s+«Person:(?P<p2>\d+)»"),
        re.compile(rf"{B}(?:ו?ש?ה|ו?ש?[בלכ]|מה){alt(lex['club_nouns'])}\s+ה«Country:(?P<c>\d+)»"),
    )


@rule("nationality-epithet.v1", produces=["nationality"], examples=[
    "ליאו מסי חזר לאימונים, והכוכב הארגנטינאי נראה רענן.",
    "הבלם הנורבגי ארלינג הולאנד הבקיע פעמיים.",
], counter_examples=["קבוצות מקסיקניות שיחקו בעבר במפעל.", "ליאו מסי שיחק נגד נבחרת ספרד."])
def nationality_epithet(s: Sentence):
    """A person noun + demonym: the apposed person, else the last person named."""
    person_noun, person_demonym, _ = _patterns()
    for pattern in (person_noun, person_demonym):
        for m in pattern.finditer(s.masked):
            country = s.mention(m, "c" if m.group("c") else "c2")
            if country.kind != "demonym":
                continue
            nstart, nend = s.nspan(m.start(), m.end())
            if m.groupdict().get("p") or m.groupdict().get("p2"):
                person = s.mention(m, "p" if m.group("p") else "p2").entity
            else:
                person = _referent(s, nstart, s.masked[m.start():m.start("c")])
            yield s.ctx.claim(person, "nationality", country.entity, (nstart, nend),
                              nationality_epithet.rule_id, confidence=0.75)


@rule("club-country-epithet.v1", produces=["country"], examples=[
    "אינטר מיאמי ניצחה, והמועדון האמריקאי עלה לפסגה.",
], counter_examples=["המועדון האמריקאי ניצח."])
def club_country_epithet(s: Sentence):
    """``המועדון האמריקאי`` after a club is named: that club's country."""
    for m in _patterns()[2].finditer(s.masked):
        country = s.mention(m, "c")
        if country.kind != "demonym":
            continue
        nstart, nend = s.nspan(m.start(), m.end())
        club = s.ctx.last_before(nstart, ("Club",), floor=s.ctx.paragraph_start(nstart))
        if club:
            yield s.ctx.claim(club.entity, "country", country.entity, (nstart, nend),
                              club_country_epithet.rule_id, confidence=0.6)


@rule("club-country-adjective.v1", produces=["country"], examples=[
    "תאי בריבו שיחק בעבר בוולפסברג האוסטרית.",
], counter_examples=["תאי בריבו האוסטרי שיחק בוולפסברג."])
def club_country_adjective(s: Sentence):
    """``<club> ה<demonym, feminine>`` (``וולפסברג האוסטרית``): the club's country."""
    for m in re.finditer(r"«Club:(?P<k>\d+)»\s+ה«Country:(?P<c>\d+)»", s.masked):
        country = s.mention(m, "c")
        if country.kind == "demonym" and s.ctx.text[slice(*s.nspan(m.start("c") - 2, m.end()))].rstrip().endswith("ת"):
            yield s.ctx.claim(s.mention(m, "k").entity, "country", country.entity,
                              s.nspan(m.start(), m.end()), club_country_adjective.rule_id, confidence=0.7)


def _referent(s: Sentence, nstart: int, noun: str) -> str | None:
    """The person an epithet stands for: the last one named in the paragraph whose
    role fits the noun (``המאמן הגרמני`` is the coach, not the player named last)."""
    coach_noun = re.search(alt(cues("relations")["coach_nouns"]), noun) is not None
    floor = s.ctx.paragraph_start(nstart)
    named = [s.ctx.mentions[i].entity for i in reversed(s.ctx.mentions_between(floor, nstart, ("Person",)))]
    coaches = {p for p in named if s.ctx.facts(p, "headCoachOf")
               or s.ctx.facts(p, "formerHeadCoachOf")}
    fitting = [p for p in named if (p in coaches) == coach_noun]
    return (fitting or named or [None])[0]
