"""Titles won: ``שזכתה באליפות עונת 2025``; a title still missing is a negated win."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract import Sentence
from kg.lexicon import cues
from kg.rules.registry import rule
from kg.rules.patterns import B, E, PREFIX, alt, clause_before, modality

SUBJECT_TYPES = ("Club", "NationalTeam", "Person")
COMP = r"«(?:Competition|League):(?P<o>\d+)»"
SEASON = r"(?:\s+(?:של\s+)?(?:ב)?(?:עונת|עונה)\s+(?P<season>\d{4}(?:\s*[-/]\s*\d{2,4})?)|\s+ב-?(?P<year>(?:19|20)\d{2}))?"


@lru_cache(maxsize=None)
def _patterns():
    lex = cues("relations")
    verb = rf"{B}(?:ו?ש)?{alt(lex['won_verbs'])}{E}"
    title = rf"{alt(lex['title_words'] + lex['cup_words'])}"
    return {
        "named": re.compile(rf"{verb}\s+(?:(?:ב|את\s+)ה?{title}\s+(?:של\s+)?|את\s+)?{PREFIX}{COMP}{SEASON}"),
        "league_title": re.compile(rf"{verb}\s+ב{alt(lex['title_words'])}{E}{SEASON}"),
        "missing": re.compile(alt(lex["missing_title"])),
    }


def _season(m: re.Match) -> tuple[tuple[str, str], ...]:
    value = m.group("season") or m.group("year")
    return (("season", re.sub(r"\s+", "", value).replace("/", "-")),) if value else ()


@rule("won-title.v2", produces=["won"], examples=[
    "אינטר מיאמי, שזכתה באליפות עונת 2025, פתחה את העונה בניצחון.",
    "מכבי חיפה הניפה את גביע הטוטו אחרי ניצחון בגמר.",
    "ליאו מסי זכה בקופה ליברטדורס? לא: מכבי חיפה זכתה בגביע המדינה ב-2016.",
    "ליאו מסי לא זכה בקופה ליברטדורס.",
], counter_examples=["אינטר מיאמי מקווה לזכות בכרטיס למפעל."])
def won_title(s: Sentence):
    """``<team> (ש)זכתה ב<competition>`` or ``באליפות`` (the team's own league), season if stated."""
    pats = _patterns()
    for key in ("named", "league_title"):
        for m in pats[key].finditer(s.masked):
            nstart, nend = s.nspan(m.start(), m.end())
            subject = s.ctx.last_before(nstart, SUBJECT_TYPES, floor=s.start)
            if subject is None:
                continue
            if key == "named":
                obj = s.mention(m, "o").entity
            else:  # "the championship": the league the team plays in
                leagues = [o for o in s.ctx.facts(subject.entity, "competesIn")
                           if s.ctx.catalog[o].type == "League"]
                if len(leagues) != 1:
                    continue
                obj = leagues[0]
            mod = modality(clause_before(s.masked, m.end()))
            mod = mod if mod in ("Negated", "Possible", "Planned", "Desired") else "Past"
            if re.match(rf"{B}(?:ו?ש)?ל", m.group(0)):
                mod = "Desired" if mod == "Past" else mod
            yield s.ctx.claim(subject.entity, "won", obj, (nstart, nend), won_title.rule_id,
                              modality=mod, qualifiers=_season(m),
                              confidence=0.85 if key == "named" else 0.7)


@rule("title-missing.v2", produces=["won"], examples=[
    "הוא רוצה לשחק בקופה ליברטדורס, יעד שעדיין חסר לליאו מסי.",
    "ליאו מסי זכה בהכול, אבל הקופה ליברטדורס היא התואר היחיד שחסר לו.",
], counter_examples=["לליאו מסי חסר עוד שער אחד כדי לשבור את השיא."])
def title_missing(s: Sentence):
    """``<competition>, יעד שעדיין חסר … <person>``: the person has not won it."""
    for m in _patterns()["missing"].finditer(s.masked):
        comps = [(i, t) for i, t in enumerate(re.finditer(COMP, s.masked[:m.start()]))]
        if not comps:
            continue
        comp = s.ctx.mentions[int(comps[-1][1].group("o"))]
        nstart, nend = s.nspan(comps[-1][1].start(), m.end())
        after = re.search(r"«Person:(?P<p>\d+)»", s.masked[m.end():])
        person = s.ctx.mentions[int(after.group("p"))] if after else \
            s.ctx.last_before(nstart, ("Person",), floor=s.ctx.paragraph_start(nstart))
        if person is None:
            continue
        if after:
            nend = s.nspan(m.end() + after.start(), m.end() + after.end())[1]
        yield s.ctx.claim(person.entity, "won", comp.entity, (nstart, nend), title_missing.rule_id,
                          modality="Negated", confidence=0.7)
