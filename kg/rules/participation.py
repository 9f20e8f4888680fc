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
from kg.rules.patterns import B, E, PREFIX, TEAMS, alt, modality

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


@rule("league-standing.v2", produces=["competesIn"], examples=[
    "ברצלונה נמצאת במאבק צמוד בצמרת הליגה הספרדית מול ריאל מדריד.",
    "הפועל באר שבע תארח את מכבי חיפה במשחק שישפיע על המאבק בצמרת ליגת העל.",
    "מכבי תל אביב התבססה הערב במקום השלישי בליגת העל.",
], counter_examples=["ברצלונה שיחקה מול ריאל מדריד.", "מכבי חיפה סיימה במקום השלישי בטורניר ההכנה."])
def league_standing(s: Sentence):
    """Clubs placed in a league's table (``בצמרת ליגת העל``, ``בתחתית``, ``במקום
    השלישי בליגת העל``) compete in it."""
    lex = cues("relations")
    m = re.search(rf"(?:{B}{alt(lex['standing_words'])}\s+(?:ה)?|{B}(?:ב|ל|מ)מקום\s+ה\S+\s+(?:ב|של\s+)?(?:ה)?)"
                  rf"«League:(?P<o>\d+)»", s.masked)
    if not m:
        return
    league = s.mention(m, "o").entity
    for club in {x.entity for x in s.mentions() if x.etype == "Club"}:
        yield s.ctx.claim(club, "competesIn", league, s.nspan(m.start(), m.end()),
                          league_standing.rule_id, confidence=0.6)


_TEAM = r"«(?:Club|NationalTeam|Country):(?P<t>\d+)»"
MAX_FIXTURE_GAP = 14      # words between a playing team and its competition


@lru_cache(maxsize=None)
def _fixture_res():
    lex = cues("relations")
    verb = rf"{B}(?:ו|כש|ש)?(?:{alt(lex['fixture_verbs'])}){E}"
    noun = rf"{B}{PREFIX}(?:{alt(lex['fixture_nouns'])}){E}"
    opponent = rf"{B}ו?(?:{alt(lex['fixture_opponent_words'])})\s+(?:ה[^\s«»,]+\s+){{0,2}}?$"
    return re.compile(verb), re.compile(noun), re.compile(opponent)


def _national_team(s: Sentence, country: str) -> str | None:
    """A country standing for its men's senior national team (``משחקי הנבחרת מול
    נורבגיה``): only where the sentence is about national teams, and none of
    another age or of women (``עד גיל 21``, ``הנשים``) is meant."""
    lex = cues("relations")
    if not (re.search(r"«NationalTeam:\d+»", s.masked) or re.search(rf"{B}{PREFIX}(?:ה)?נבחרת", s.masked)) or \
            re.search(rf"{B}{PREFIX}{alt(lex['other_squad_words'])}", s.masked):
        return None
    slug = f"{country}-national-team"
    return slug if slug in s.ctx.catalog.entities else None


def fixture_teams(s: Sentence) -> list[tuple[str, int, int]]:
    """The teams that play in the sentence's fixture or result, with their masked
    position: the subject just before a fixture verb (no preposition on it), the
    team just after one (``תפגוש בית"ר את …``), and each team after מול / נגד / את
    (a list after it included). A country in those places is its national team."""
    verb, _, opponent = _fixture_res()
    masked = s.masked
    verbs = [m for m in verb.finditer(masked)]
    out: dict[str, tuple[int, int]] = {}
    tokens = list(re.finditer(_TEAM, masked))
    for k, t in enumerate(tokens):
        mention = s.mention(t, "t")
        before = masked[max(0, t.start() - 40):t.start()]
        bare = not before or re.search(r"(?:^|[\s,.:(])(?:ו|כש|ש)?$", before)
        playing = False
        if opponent.search(before):
            playing = True
        elif k and out and re.fullmatch(r"\s*(?:,|ו-?|,?\s*ואת)\s*", masked[tokens[k - 1].end():t.start()]) \
                and s.mention(tokens[k - 1], "t").entity in out:
            playing = True                                   # the next item of a list
        elif bare:
            after = [v for v in verbs if v.start() >= t.end()]
            if after and len(masked[t.end():after[0].start()].split()) <= 6 and \
                    not re.search(_TEAM, masked[t.end():after[0].start()]):
                playing = True                               # subject of the verb
            elif any(0 <= t.start() - v.end() <= 2 for v in verbs):
                playing = True                               # right after the verb
        if not playing:
            continue
        entity = mention.entity
        if mention.etype == "Country":
            entity = _national_team(s, entity)
        if entity and s.ctx.catalog[entity].type in TEAMS:
            out.setdefault(entity, (t.start(), t.end()))
    return [(e, a, b) for e, (a, b) in out.items()]


@rule("fixture-competes.v1", produces=["competesIn"], examples=[
    "הפועל תל אביב תארח את בני יהודה ביום שבת במסגרת המחזור ה-20 בליגת העל.",
    "בני סכנין תתמודד בחוץ מול מכבי תל אביב בחצי גמר גביע הטוטו.",
    "החלוץ ייעדר מצמד המשחקים מול סטוק סיטי במסגרת הליגה האירופית.",
    "אחרי הפגרה תפגוש בית\"ר ירושלים את מ.ס. אשדוד ואת הפועל חיפה בגמר גביע הטוטו.",
], counter_examples=["מכבי חיפה ניצחה את בני סכנין.",
                     "ערן זהבי עבר ממכבי תל אביב לפ.ס.וו איינדהובן, שמשחקת בליגה ההולנדית.",
                     "מכבי חיפה זכתה בגביע הטוטו."])
def fixture_competes(s: Sentence):
    """A sentence that names a fixture or result (a fixture verb or noun) and a
    competition: the teams that play in it take part in that competition (the
    nearest one when the sentence names several)."""
    verb, noun, _ = _fixture_res()
    # the qualifiers of a tournament are not the tournament ("במוקדמות מונדיאל 2026")
    comps = [m for m in re.finditer(r"«(?:Competition|League):(?P<o>\d+)»", s.masked)
             if not re.search(rf"{alt(cues('relations')['qualifier_words'])}\s*$", s.masked[:m.start()])]
    if not comps or not (verb.search(s.masked) or noun.search(s.masked)):
        return
    teams = fixture_teams(s)
    if not teams:
        return
    clause_mod = modality(s.masked, "Asserted")
    mod = "Negated" if clause_mod == "Negated" and not noun.search(s.masked) else "Asserted"
    for team, start, end in teams:
        # with two competitions in the sentence a team plays in the nearer one
        c = min(comps, key=lambda c: c.start() - end if c.start() >= end else start - c.end())
        if len(s.masked[min(end, c.end()):max(start, c.start())].split()) > MAX_FIXTURE_GAP:
            continue
        yield s.ctx.claim(team, "competesIn", s.mention(c, "o").entity,
                          s.nspan(min(start, c.start()), max(end, c.end())),
                          fixture_competes.rule_id, modality=mod, confidence=0.7)


@rule("club-of-league.v1", produces=["competesIn"], examples=[
    "הערב הפתיעה בני יהודה מהליגה הלאומית את בית\"ר ירושלים.",
    "הפועל רמת גן, מהליגה הלאומית, החתימה שני שחקנים.",
], counter_examples=["בני יהודה ירדה מהליגה הלאומית.", "הפועל רמת גן ירדה מליגת העל."])
def club_of_league(s: Sentence):
    """``<club> (,) מ(ה)<league>``: the club is one of that league's (a verb of moving
    between them, ``ירדה מהליגה``, is not this construction)."""
    for m in re.finditer(r"«Club:(?P<c>\d+)»\s*,?\s*מ-?(?:ה)?«League:(?P<o>\d+)»", s.masked):
        nstart, nend = s.nspan(m.start(), m.end())
        yield s.ctx.claim(s.mention(m, "c").entity, "competesIn", s.mention(m, "o").entity, (nstart, nend),
                          club_of_league.rule_id, confidence=0.7)
