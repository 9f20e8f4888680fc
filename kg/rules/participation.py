"""Taking part in a competition: ``לאפשר לליאו מסי להשתתף בקופה ליברטדורס``.

The infinitive states a goal (Desired unless a stronger cue says Planned,
Possible or Negated); a finite present form asserts; a past form is Past.
``המפעל`` / ``הטורניר`` stand for the last competition named.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract import Sentence
from kg.lexicon import cues
from kg.rules.registry import rule
from kg.rules.patterns import B, E, PREFIX, alt, modality

SUBJECT_TYPES = ("Person", "Club", "NationalTeam")


@lru_cache(maxsize=None)
def _pattern():
    lex = cues("relations")
    verb = rf"{B}(?P<verb>ו?(?:ש)?{alt(lex['participation_verbs'])}){E}"
    target = (rf"(?:{PREFIX}«(?:Competition|League):(?P<o>\d+)»"
              rf"|[בל](?P<ana>{alt(lex['competition_anaphors'] + lex['league_anaphors'])}){E})")
    return re.compile(rf"{verb}\s+(?:\w+\s+){{0,2}}?{target}")


def _target(s: Sentence, m: re.Match, nstart: int) -> str | None:
    if m.group("o"):
        return s.mention(m, "o").entity
    ana = m.group("ana")
    types = ("League",) if "ליגה" in ana else ("Competition", "League") if "מיזם" in ana else ("Competition",)
    last = s.ctx.last_before(nstart, types)
    return last.entity if last else None


def _subject(s: Sentence, mstart: int, nstart: int) -> str | None:
    before = s.masked[:mstart]
    if '"' in before:
        before = before[before.rfind('"') + 1:]
        floor = s.offsets[mstart - len(before)]
    else:
        floor = s.start
    lex = cues("relations")
    if re.search(rf"{B}{alt(lex['dative_pronouns'])}{E}(?:\s+[^«»\s,]+){{0,4}}\s*$", before):
        inside = {m.entity for m in s.mentions()}
        last = s.ctx.last_before(floor, ("Person",), exclude=inside)
        return last.entity if last else None
    last = s.ctx.last_before(nstart, SUBJECT_TYPES, floor=floor)
    if last is None:
        return None
    between = s.ctx.text[s.ctx.nspans[s.ctx.index_of(last)][1]:nstart]
    return last.entity if len(between.split()) <= 8 else None


def _modality(s: Sentence, m: re.Match) -> str:
    verb = m.group("verb").lstrip("וש")
    lex = cues("relations")
    default = "Desired" if verb.startswith(lex["infinitive_prefix"]) else \
        "Past" if verb in lex["past_forms"] else "Asserted"
    if default == "Desired" and re.search(rf"{B}ו?ש?{alt(lex['success_verbs'])}\s*$", s.masked[:m.start("verb")]):
        return modality(s.masked[:m.start("verb")], "Asserted")
    clause = s.masked[:m.start("verb")]
    clause = clause[max(clause.rfind(","), clause.rfind('"')) + 1:] + m.group("verb")
    return modality(clause, default)


@rule("competes-in.v1", produces=["competesIn"], examples=[
    "באינטר מיאמי פועלים כדי לאפשר לליאו מסי להשתתף בקופה ליברטדורס.",
    "מכבי חיפה משתתפת השנה בליגת האלופות.",
    "מכבי חיפה לא תשתתף בקופה ליברטדורס.",
], counter_examples=["קבוצות מה-MLS אינן משתתפות באופן קבוע במפעל."])
def competes_in(s: Sentence):
    """``<team/person> … <participation verb> ב<competition>``."""
    for m in _pattern().finditer(s.masked):
        nstart, nend = s.nspan(m.start(), m.end())
        subject = _subject(s, m.start(), nstart)
        obj = _target(s, m, nstart)
        if subject is None or obj is None or s.ctx.catalog[subject].type not in SUBJECT_TYPES:
            continue
        yield s.ctx.claim(subject, "competesIn", obj, (nstart, nend), competes_in.rule_id,
                          modality=_modality(s, m), confidence=0.7)


@rule("league-standing.v1", produces=["competesIn"], examples=[
    "ברצלונה נמצאת במאבק צמוד בצמרת הליגה הספרדית מול ריאל מדריד.",
    "הפועל באר שבע תארח את מכבי חיפה במשחק שישפיע על המאבק בצמרת ליגת העל.",
], counter_examples=["ברצלונה שיחקה מול ריאל מדריד."])
def league_standing(s: Sentence):
    """Clubs placed in a league's table (``בצמרת ליגת העל``, ``בתחתית``) compete in it."""
    lex = cues("relations")
    m = re.search(rf"{B}{alt(lex['standing_words'])}\s+(?:ה)?«League:(?P<o>\d+)»", s.masked)
    if not m:
        return
    league = s.mention(m, "o").entity
    for club in {x.entity for x in s.mentions() if x.etype == "Club"}:
        yield s.ctx.claim(club, "competesIn", league, s.nspan(m.start(), m.end()),
                          league_standing.rule_id, confidence=0.6)
