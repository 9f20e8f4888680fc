"""Coach changes: appointed, dismissed, resigned, replaced, coached before; and the
coach phrases of match reports (``החבורה של X``, ``תחת X``, ``X וחניכיו``)."""

from __future__ import annotations

import re

from kg.extract import Sentence
from kg.rules.registry import rule
from kg.rules.moves import GAP, P, _club, _club_target, _lex, _mod, _w
from kg.rules.patterns import B, alt
from kg.rules.roles import context_club

TEAM = r"«(?:Club|NationalTeam):(?P<c>\d+)»"


def _context_club(s: Sentence, m: re.Match) -> str | None:
    """The club a sentence is about: its one (non-opponent) club, else the last in the paragraph."""
    club = context_club(s)
    if club:
        return club
    nstart = s.nspan(m.start(), m.end())[0]
    last = s.ctx.last_before(nstart, ("Club",), floor=s.ctx.paragraph_start(nstart))
    return last.entity if last else None


def _appointed(s, m, rid, person, club, default="Asserted", conf=0.8):
    mod = _mod(s, m, default)
    span = s.nspan(m.start(), m.end())
    yield s.ctx.claim(person, "appointedBy", club, span, rid, modality=mod, confidence=conf)
    yield s.ctx.claim(person, "headCoachOf", club, span, rid, modality=mod, confidence=conf - 0.05)


@rule("coach-appointed.v1", produces=["appointedBy", "headCoachOf"], examples=[
    "הפועל חיפה מינתה היום את רוני לוי למאמן הקבוצה.",
    "רוני לוי מונה למאמן הפועל חיפה.",
], counter_examples=["הפועל חיפה מינתה היום מנהל כספים חדש."])
def coach_appointed(s: Sentence):
    """``<club> מינתה את <person> למאמן``; ``<person> מונה למאמן <club>``; ``המאמן החדש של``."""
    role = alt(_lex()["coach_role"])
    for m in re.finditer(rf"{TEAM}{GAP}\s+(?P<v>{_w('appoint_active')})(?:\s+[^«»\s.,]+){{0,2}}?\s+(?:את\s+)?{P}\s+{role}", s.masked):
        default = "Asserted" if not m.group("v").startswith(("ל", "ת", "י")) else "Planned"
        yield from _appointed(s, m, coach_appointed.rule_id, s.mention(m, "p").entity,
                              s.mention(m, "c").entity, default)
    for m in re.finditer(rf"{P}{GAP}\s+(?P<v>{_w('appoint_passive')}){GAP}\s+{role}(?:\s+(?:של\s+)?{_club_target()})?", s.masked):
        club = _club(s, m) or _context_club(s, m)
        default = "Planned" if m.group("v").lstrip("וש").startswith("י") else "Asserted"
        yield from _appointed(s, m, coach_appointed.rule_id, s.mention(m, "p").entity, club, default)
    for m in re.finditer(rf"{P}\s*,?\s*{alt(_lex()['new_coach'])}\s+{TEAM}", s.masked):
        yield from _appointed(s, m, coach_appointed.rule_id, s.mention(m, "p").entity, s.mention(m, "c").entity)


@rule("coach-candidates.v1", produces=["appointedBy"], examples=[
    "מכבי נתניה מחפשת מאמן, ובין השמות שעלו נמצאים קובי רפואה ואלון חזן.",
], counter_examples=["בין השמות שעלו נמצאים קובי רפואה ואלון חזן."])
def coach_candidates(s: Sentence):
    """Candidates named for a coaching job: appointedBy, Possible."""
    m = re.search(rf"{B}ו?{alt(_lex()['candidates'])}", s.masked)
    if not m:
        return
    window = s.ctx.text[s.ctx.paragraph_start(s.start):s.end]
    if not re.search(alt(_lex()["coach_context"]), window):
        return
    club = _context_club(s, m)
    for p in re.finditer(P, s.masked[m.end():]):
        person = s.ctx.mentions[int(p.group("p"))].entity
        yield s.ctx.claim(person, "appointedBy", club, s.nspan(m.start(), m.end() + p.end()),
                          coach_candidates.rule_id, modality="Possible", confidence=0.5)


@rule("coach-dismissed.v2", produces=["dismissedBy", "formerHeadCoachOf"], examples=[
    "מכבי נתניה הודיעה הבוקר על פיטוריו של המאמן יוסי אבוקסיס.",
    "יוסי אבוקסיס פוטר מהפועל תל אביב בעונה שעברה.",
    "מכבי נתניה פיטרה הבוקר את המאמן יוסי אבוקסיס.",
], counter_examples=["יוסי אבוקסיס לא פוטר, הוא התפטר.", "מכבי נתניה פיטרה הבוקר את כל הצוות."])
def coach_dismissed(s: Sentence):
    """``<club> … על פיטוריו של המאמן <person>``; ``<club> פיטרה את (המאמן) <person>``;
    ``<person> פוטר [מ<club>]``; ``לא פוטר``: Negated."""
    for m in re.finditer(rf"{TEAM}{GAP}\s+{alt(_lex()['dismiss_noun'])}\s+{P}", s.masked):
        yield from _left(s, m, coach_dismissed.rule_id, s.mention(m, "p").entity, s.mention(m, "c").entity,
                         dismissed=True)
    for m in re.finditer(rf"{TEAM}{GAP}\s+{alt(_lex()['dismiss_active'])}(?:\s+[^«»\s.,]+)?\s+את\s+(?:ה?מאמן\s+)?{P}", s.masked):
        yield from _left(s, m, coach_dismissed.rule_id, s.mention(m, "p").entity, s.mention(m, "c").entity,
                         dismissed=True)
    for m in re.finditer(rf"{P}(?:,)?{GAP}\s+(?P<v>{_w('dismiss_verb')})(?:\s+(?:בעבר\s+)?(?:גם\s+)?(?:מתפקידו\s+)?(?:ב|מ)-?{TEAM})?", s.masked):
        club = s.mention(m, "c").entity if m.group("c") else _context_club(s, m)
        past = m.group("v").startswith("ש") or "בעבר" in m.group(0)
        yield from _left(s, m, coach_dismissed.rule_id, s.mention(m, "p").entity, club,
                         dismissed=True, default="Past" if past else "Asserted")


def _left(s, m, rid, person, club, dismissed: bool, default="Asserted"):
    mod = _mod(s, m, default)
    span = s.nspan(m.start(), m.end())
    if dismissed:
        yield s.ctx.claim(person, "dismissedBy", club, span, rid, modality=mod, confidence=0.75)
    if mod in ("Asserted", "Past"):
        yield s.ctx.claim(person, "formerHeadCoachOf", club, span, rid, confidence=0.7)


@rule("coach-resigned.v2", produces=["formerHeadCoachOf"], examples=[
    "גל אראל התפטר אמש מתפקידו בהפועל חיפה.",
    "הפועל חיפה מינתה את רוני לוי, במקומו של גל אראל שהתפטר.",
], counter_examples=["גל אראל לא התפטר."])
def coach_resigned(s: Sentence):
    """``<person> התפטר``, ``במקומו של <person>``: he no longer coaches the club."""
    for m in re.finditer(rf"{P}{GAP}\s+{_w('resign')}(?:\s+[^«»\s.,]+){{0,2}}?(?:\s+(?:ב|מ)-?{TEAM})?", s.masked):
        club = s.mention(m, "c").entity if m.group("c") else _context_club(s, m)
        if _mod(s, m, "Asserted") == "Asserted":
            yield s.ctx.claim(s.mention(m, "p").entity, "formerHeadCoachOf", club,
                              s.nspan(m.start(), m.end()), coach_resigned.rule_id, confidence=0.7)
    for m in re.finditer(rf"{B}{alt(_lex()['replaced'][:2])}\s+{P}", s.masked):
        if re.search(alt(_lex()["coach_context"]), s.masked):
            yield s.ctx.claim(s.mention(m, "p").entity, "formerHeadCoachOf", _context_club(s, m),
                              s.nspan(m.start(), m.end()), coach_resigned.rule_id, confidence=0.6)


@rule("coached-before.v1", produces=["formerHeadCoachOf"], examples=[
    "רוני לוי, שאימן בעבר את מכבי חיפה, חזר לליגה.",
], counter_examples=["רוני לוי אימן היום את השחקנים הצעירים."])
def coached_before(s: Sentence):
    """``<person>, שאימן בעבר את <club> (וגם את <club>)``."""
    for m in re.finditer(rf"{P}\s*,?\s*{_w('coached_past')}\s+(?:בעבר\s+)?(?P<rest>(?:(?:וגם\s+|גם\s+)?(?:את\s+)?«(?:Club|NationalTeam):\d+»\s*)+)", s.masked):
        for c in re.finditer(r"«(?:Club|NationalTeam):(\d+)»", m.group("rest")):
            yield s.ctx.claim(s.mention(m, "p").entity, "formerHeadCoachOf", s.ctx.mentions[int(c.group(1))].entity,
                              s.nspan(m.start(), m.end()), coached_before.rule_id, confidence=0.75)


@rule("coach-phrase.v3", produces=["headCoachOf"], examples=[
    "מכבי חיפה ניצחה, והחבורה של ברק בכר עלתה למקום השני.",
    "מכבי חיפה פתחה פער מחניכיו של ברק בכר.",
    "מכבי חיפה ניצחה, והבחורים של ברק בכר חגגו.",
    "מכבי חיפה של ברק בכר ניצחה.",
    "מכבי חיפה ניצחה את בני סכנין. ברק בכר וחניכיו חגגו.",
    "מכבי חיפה עלתה לפסגה, וחניכיו של ברק בכר חגגו.",
    "מכבי חיפה, בהדרכת ברק בכר, ניצחה.",
], counter_examples=["ליאו מסי וחבריו חגגו.", "השחקנים התאמנו בהדרכת מאמן הכושר."])
def coach_phrase(s: Sentence):
    """``החבורה של X``, ``תחת X``, ``בהדרכת X``, ``X וחניכיו``; ``<club> של X`` when X is a known coach."""
    pats = (rf"{B}(?:ו?ה|ו?ש?ה|ל|ב|מה)?(?:חבורה|קבוצה|בחורים)\s+של\s+{P}", rf"{B}ו?תחת\s+(?:המאמן\s+)?{P}",
            rf"{B}ו?(?:{alt(_lex()['coached_by'])})\s+(?:ה?מאמן\s+)?{P}",
            rf"{P}\s+ו(?:חניכיו|חניכיה|שחקניו)", rf"{B}(?:ו|ה|ל|ב|מ)?(?:חניכיו|חניכיה|שחקניו|חניכי)\s+של\s+{P}",
            rf"{B}(?:ב|ה|ל)?-?11\s+של\s+{P}")
    for pat in pats:
        for m in re.finditer(pat, s.masked):
            person = s.mention(m, "p").entity
            if m.group(0).startswith("מ"):
                # "פער מחניכיו של X": X's team is the other side, not the sentence's club
                # (an undated article cannot tell his spells apart: only a one-club coach)
                named = {x.entity for x in s.ctx.mentions}
                coached = s.ctx.facts(person, "headCoachOf")
                fits = [c for c in coached if c in named]
                club = fits[0] if len(fits) == 1 and (s.ctx.article.published or len(set(coached)) == 1) else None
            else:
                club = context_club(s, person)
            yield s.ctx.claim(person, "headCoachOf", club,
                              s.nspan(m.start(), m.end()), coach_phrase.rule_id, confidence=0.6)
    for m in re.finditer(rf"{TEAM}\s+של\s+{P}", s.masked):
        person, club = s.mention(m, "p").entity, s.mention(m, "c").entity
        if s.ctx.facts(person, "headCoachOf"):
            yield s.ctx.claim(person, "headCoachOf", club, s.nspan(m.start(), m.end()),
                              coach_phrase.rule_id, confidence=0.65)


def _left_role(s: Sentence, person: str, before: str) -> str | None:
    """The role a person leaves: coach if a coach noun stands just before him or the
    catalogue knows him as a coach (any date), else player if a player noun stands
    before him or the catalogue knows him as one; else unknown."""
    lex = _lex()
    cat = s.ctx.catalog
    if re.search(rf"{B}(?:ה)?(?:מאמן|מאמנת){E_}\s*,?\s*$", before) or \
            cat.fact_objects(person, "headCoachOf") or cat.fact_objects(person, "formerHeadCoachOf"):
        return "formerHeadCoachOf"
    if re.search(rf"{B}{alt(lex['player_nouns'])}{E_}\s*,?\s*$", before) or \
            cat.fact_objects(person, "playsFor") or cat.fact_objects(person, "formerPlayerOf"):
        return "formerPlayerOf"
    return None


E_ = r"(?![\w'\"])"


@rule("left-club.v2", produces=["formerHeadCoachOf", "formerPlayerOf"], examples=[
    "לאחר עזיבתו של מיכאל זנדברג את הפועל רמת גן, הקבוצה מחפשת מאמן.",
    "הקשר עומר אצילי עזב את בית\"ר ירושלים בקיץ.",
    "מכבי חיפה הודיעה על סיום עבודתו של המאמן ברק בכר.",
    "מכבי חיפה נפרדה הבוקר מהמאמן ברק בכר.",
], counter_examples=["עומר אצילי לא עזב את בית\"ר ירושלים.", "עומר אצילי עזב את האימון מוקדם."])
def left_club(s: Sentence):
    """``X עזב את <club>`` / ``עזיבתו של X את <club> (ו-Y את <club>)`` / ``<club> נפרדה מ-X``
    / ``סיום עבודתו של X``: X no longer holds his role there (coach or player, see
    :func:`_left_role`)."""
    lex = _lex()
    verb = rf"{B}(?:ו|כש)?{alt(lex['left_verbs'])}{E_}"
    noun = rf"{B}(?:ל|ב|מ|ו|אחרי\s+|לאחר\s+)?{alt(lex['left_nouns'])}"
    pair = rf"{P}\s+את\s+(?:ה)?{TEAM}"
    found = []
    for m in re.finditer(rf"{P}{GAP}\s+{verb}\s+(?:[^«»\s.,]+\s+){{0,2}}?(?:את\s+|מ-?)(?:ה)?{TEAM}", s.masked):
        found.append((m, m.group("p"), m.group("c")))
    for m in re.finditer(rf"{noun}\s*{pair}(?P<more>(?:\s*(?:,|ו-?)\s*{P.replace('?P<p>', '?:')}\s+את\s+(?:ה)?«(?:Club|NationalTeam):\d+»)*)",
                         s.masked):
        found.append((m, m.group("p"), m.group("c")))
        for extra in re.finditer(r"«Person:(\d+)»\s+את\s+(?:ה)?«(?:Club|NationalTeam):(\d+)»", m.group("more")):
            found.append((m, extra.group(1), extra.group(2)))
    # the club ends it: "<club> נפרדה מהמאמן X", "<club> הודיעה על סיום עבודתו של X"
    for m in re.finditer(rf"(?:{TEAM}{GAP}\s+)?{B}(?:ו|ה)?(?:{alt(lex['tenure_end'])})\s*{P}", s.masked):
        club = m.group("c") or None
        if club is None:
            mention = context_club(s)
            club = str(s.ctx.index_of(next(x for x in s.mentions() if x.entity == mention))) if mention else None
        if club is not None:
            found.append((m, m.group("p"), club))
    for m, p, c in found:
        if _mod(s, m, "Asserted") != "Asserted":
            continue
        person, club = s.ctx.mentions[int(p)].entity, s.ctx.mentions[int(c)].entity
        pstart = s.masked.find(f"«Person:{p}»")
        relation = _left_role(s, person, s.masked[max(0, pstart - 20):pstart])
        if relation:
            yield s.ctx.claim(person, relation, club, s.nspan(m.start(), m.end()), left_club.rule_id, confidence=0.7)



@rule("coach-context.v1", produces=["headCoachOf"], examples=[
    "מכבי חיפה ניצחה אמש. ברק בכר שלח הרכב התקפי ועשה שלושה חילופים.",
], counter_examples=["מכבי חיפה ניצחה אמש. ברק בכר צפה במשחק ביציע.",
                     "ברק בכר שלח הרכב התקפי ועשה שלושה חילופים."])
def coach_context(s: Sentence):
    """A coach shown at work (line-up, substitutions, the touchline, his press conference)
    in a sentence about a club (its one club that is not faced) or in an article about
    it coaches it when the catalogue has him its coach at the article's date (any spell
    if undated)."""
    from kg.rules.roles import article_club

    if not re.search(rf"{B}(?:ו|ה|ב|ל|ש)*(?:{alt(_lex()['coach_work'])})", s.masked):
        return
    ctx = s.ctx
    for m in re.finditer(P, s.masked):
        person = s.mention(m, "p").entity
        nstart = s.nspan(m.start(), m.end())[0]
        if ctx.quote_at(nstart):
            continue
        # the sentence's own club (not one it faces), else the article's club
        mine = context_club(s)
        clubs = {mine} if mine else ({club} if (club := article_club(ctx)) else set())
        known = [c for c in ctx.facts(person, "headCoachOf") if c in clubs]
        if len(known) == 1:
            yield ctx.claim(person, "headCoachOf", known[0], s.nspan(m.start(), m.end()), coach_context.rule_id,
                            confidence=0.5)
