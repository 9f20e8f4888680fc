"""A player's status: where he plays or played, injuries, suspensions, call-ups."""

from __future__ import annotations

import re

from kg.extract import Sentence
from kg.rules.registry import rule
from kg.rules.moves import GAP, P, _lex, _mod, _person, _w
from kg.lexicon import cues
from kg.rules.patterns import B, E, alt

TEAM = r"«(?:Club|NationalTeam):(?P<c>\d+)»"


@rule("plays-for-verb.v1", produces=["playsFor", "formerPlayerOf"], examples=[
    "תאי בריבו, שמשחק בפילדלפיה יוניון מאז 2023, נשאר בארצות הברית.",
    "ערן זהבי, ששיחק בעבר במכבי תל אביב, פרש.",
], counter_examples=["ערן זהבי שיחק נגד מכבי תל אביב."])
def plays_for_verb(s: Sentence):
    """``<person>, שמשחק ב<club>`` (playsFor); ``ששיחק בעבר ב<club>`` (formerPlayerOf)."""
    for key, pred in (("plays_verbs", "playsFor"), ("played_verbs", "formerPlayerOf")):
        pat = rf"(?:{P}\s*,?\s*)?{_w(key)}(?:\s+(?:בעבר|גם|כבר|העונה))*\s+(?:גם\s+)?ב-?{TEAM}"
        for m in re.finditer(pat, s.masked):
            person = _person(s, m)
            if key == "played_verbs" and not re.search(r"בעבר|לשעבר|גדל", m.group(0)):
                pred_here = "formerPlayerOf"
            else:
                pred_here = pred
            yield s.ctx.claim(person, pred_here, s.mention(m, "c").entity, s.nspan(m.start(), m.end()),
                              plays_for_verb.rule_id, modality=_mod(s, m, "Asserted"), confidence=0.65)


@rule("injury.v3", produces=["injured"], examples=[
    "רז שלמה נפצע בברך באימון.",
    "דור פרץ, שנעדר בשבועות האחרונים בשל פציעה, חזר לאימונים.",
    "דור מיכה נפצע באימון ויחמיץ את המשחק.",
], counter_examples=["רז שלמה חזר לאימונים.", "דור מיכה פצע את היריב."])
def injury(s: Sentence):
    """``<person> נפצע ב…``, ``סובל מקרע ב…``, ``ייעדר בשל פציעה``: the description as the value."""
    nouns = alt(_lex()["injury_nouns"])
    pat = (rf"{P}\s*,?(?:\s+(?:[^«»\s.]+|[והבלמשכ]{{0,3}}«(?:Club|NationalTeam):\d+»,?)){{0,9}}?\s+(?P<v>{_w('injury_verbs')})(?P<what>(?:\s+[^«»\s.,]+){{0,6}}?"
           rf"(?:\s+(?:בשל|עקב|בגלל|מ)?{nouns}[^«».,]*|\s+ב(?:ברך|קרסול|כתף|גב|ירך|שריר)[^«».,]*"
           rf"|(?<=נפצע)(?:\s+[^«»\s.,]+){{0,3}}|(?<=נפצעה)(?:\s+[^«»\s.,]+){{0,3}}))")   # "נפצע באימון": the verb says it
    for m in re.finditer(pat, s.masked):
        if re.search(r"נפצע|פציע|קרע|שבר|מתיחה|נקע|ניתוח|דלקת|כאב|זעזוע|מכה|ברך|קרסול|ירך|שריר|כתף", m.group(0)):
            what = " ".join(m.group("what").split())[:80]
            yield s.ctx.claim(s.mention(m, "p").entity, "injured", None, s.nspan(m.start(), m.end()),
                              injury.rule_id, modality=_mod(s, m, "Asserted", at=m.start("v")),
                              value=what, confidence=0.7)


@rule("injury-state.v1", produces=["injured"], examples=[
    "ליאו מסי גם בשיקום ויחזור בחודש הבא.",
    "דור פרץ עדיין בשיקום אחרי הניתוח בברך.",
], counter_examples=["ליאו מסי ביקר את השחקנים בשיקום.", "השיקום של המגרש הסתיים."])
def injury_state(s: Sentence):
    """``<player> (גם/עדיין) בשיקום``: in rehabilitation after an injury (the state as the value)."""
    states = alt(_lex()["injury_states"])
    for m in re.finditer(rf"{P}\s*,?\s+(?:(?:גם|עדיין|כבר|נמצא|נמצאת|עדיין נמצא)\s+){{0,2}}(?P<v>{states}){E}", s.masked):
        yield s.ctx.claim(s.mention(m, "p").entity, "injured", None, s.nspan(m.start(), m.end()),
                          injury_state.rule_id, modality=_mod(s, m, "Asserted", at=m.start("v")),
                          value=m.group("v"), confidence=0.7)


@rule("injury-back.v1", produces=["injured"], examples=[
    "מיכאל אוחנה, שחזר לאחרונה מפציעה בקרסול, יפתח בהרכב.",
], counter_examples=["מיכאל אוחנה חזר לאימונים."])
def injury_back(s: Sentence):
    """``<person>, שחזר מפציעה ב…``: he was injured (Past)."""
    for m in re.finditer(rf"{P}\s*,?\s+(?P<what>{alt(_lex()['back_from_injury'])}[^«».,]*)", s.masked):
        yield s.ctx.claim(s.mention(m, "p").entity, "injured", None, s.nspan(m.start(), m.end()),
                          injury_back.rule_id, modality="Past", value=" ".join(m.group("what").split())[:80],
                          confidence=0.65)


@rule("injury-role.v2", produces=["injured"], examples=[
    "גם קנג'י גורה לא יהיה כשיר: הקיצוני סובל ממתיחה בשריר הירך.",
], counter_examples=["הקיצוני סובל מלחץ התקשורת."])
def injury_role(s: Sentence):
    """``הקיצוני סובל מ<injury>``: a role noun for the person just named."""
    roles = alt([r.lstrip("ה") for r in cues("quotes")["role_speakers"]])
    nouns = alt(_lex()["injury_nouns"])
    for m in re.finditer(rf"{B}ה{roles}\s+{_w('injury_verbs')}\s+(?:מ|ב)?(?P<what>{nouns}[^«».,]*)", s.masked):
        nstart = s.nspan(m.start(), m.end())[0]
        last = s.ctx.last_before(nstart, ("Person",), floor=s.ctx.paragraph_start(nstart))
        if last:
            yield s.ctx.claim(last.entity, "injured", None, s.nspan(m.start(), m.end()), injury_role.rule_id,
                              modality=_mod(s, m, "Asserted"), value=" ".join(m.group("what").split())[:80],
                              confidence=0.6)


@rule("suspension.v1", produces=["suspended"], examples=[
    "רועי אלקוקין הושעה לשני משחקים.",
], counter_examples=["רועי אלקוקין שיחק שני משחקים."])
def suspension(s: Sentence):
    """``<person> הושעה ל-N משחקים``."""
    for m in re.finditer(rf"{P}{GAP}\s+{_w('suspend_verbs')}(?P<what>[^«».,]{{0,40}})", s.masked):
        yield s.ctx.claim(s.mention(m, "p").entity, "suspended", None, s.nspan(m.start(), m.end()),
                          suspension.rule_id, modality=_mod(s, m, "Asserted"),
                          value=" ".join(m.group("what").split()) or "הרחקה", confidence=0.7)


@rule("player-from.v1", produces=["playsFor"], examples=[
    "בסגל נכללו גם אוסקר גלוך מאייאקס ודן ביטון מהפועל באר שבע.",
], counter_examples=["ערן זהבי עבר ממכבי תל אביב למכבי חיפה."])
def player_from(s: Sentence):
    """``<person> מ<club>`` in a list of players: he plays there."""
    for m in re.finditer(rf"{P}\s+מ(?:ה)?-?«Club:(?P<c>\d+)»(?!\s+ל)", s.masked):
        clause = s.masked[max(s.masked.rfind(",", 0, m.start()), 0):m.start()]
        if re.search(_w("join_past", "join_future", "loan_past", "loan_future", "sign_past"), clause):
            continue
        yield s.ctx.claim(s.mention(m, "p").entity, "playsFor", s.mention(m, "c").entity,
                          s.nspan(m.start(), m.end()), player_from.rule_id,
                          modality=_mod(s, m, "Asserted"), confidence=0.6)


@rule("squad-list.v1", produces=["playsFor"], examples=[
    "רן בן שמעון פרסם את הסגל של נבחרת ישראל. לסגל זומנו דן ביטון ושגיב יחזקאל.",
], counter_examples=["דן ביטון ושגיב יחזקאל התאמנו היום."])
def squad_list(s: Sentence):
    """Players called up to a national team's squad play for it."""
    if not re.search(_w("callup_verbs"), s.masked):
        return
    teams = s.ctx.memo.get("national-teams")
    if teams is None:
        teams = s.ctx.memo["national-teams"] = [m for m in s.ctx.mentions if m.etype == "NationalTeam"]
    inside = [x for x in s.mentions() if x.etype == "NationalTeam"]
    team = (inside or teams or [None])[0]
    if team is None:
        return
    for m in re.finditer(P, s.masked):
        person = s.mention(m, "p").entity
        if s.ctx.facts(person, "headCoachOf") or \
                re.search(rf"{B}לא{E}[^«»]*$", s.masked[:m.start()]):
            continue
        yield s.ctx.claim(person, "playsFor", team.entity, s.nspan(m.start(), m.end()),
                          squad_list.rule_id, modality=_mod(s, m, "Asserted"), confidence=0.6)


@rule("scored-in.v1", produces=["competesIn"], examples=[
    "מנור סולומון כבש ארבעה שערים בליגה הספרדית ובליגת האלופות.",
    "אופק מליקה רשם העונה כמה הופעות בליגה האירופית.",
], counter_examples=["מנור סולומון כבש ארבעה שערים במשחק."])
def scored_in(s: Sentence):
    """``<person> כבש … שערים ב<competition> (וב<competition>)``: he plays in it."""
    verbs = _w("scored_verbs")
    things = alt(_lex()["scored_things"])
    pat = (rf"(?:{P}(?:\s+[^«»\s.,]+){{0,6}}?\s+)?(?P<v>{verbs})(?:\s+[^«»\s.,]+){{0,3}}?\s+{things}"
           rf"(?:\s+[^«»\s.,]+){{0,2}}?(?P<list>(?:\s*(?:ו)?ב(?:ה)?-?«(?:Competition|League):\d+»)+)")
    for m in re.finditer(pat, s.masked):
        person = s.mention(m, "p").entity if m.group("p") else _paragraph_subject(s, m)
        for c in re.finditer(r"«(?:Competition|League):(\d+)»", m.group("list")):
            yield s.ctx.claim(person, "competesIn", s.ctx.mentions[int(c.group(1))].entity,
                              s.nspan(m.start(), m.end()), scored_in.rule_id,
                              modality=_mod(s, m, "Asserted", at=m.start("v")), confidence=0.6)


def _paragraph_subject(s: Sentence, m: re.Match) -> str | None:
    """The person a paragraph is about: the first it names."""
    nstart = s.nspan(m.start(), m.end())[0]
    floor = s.ctx.paragraph_start(nstart)
    people = s.ctx.mentions_between(floor, nstart, ("Person",))
    return s.ctx.mentions[people[0]].entity if people else None


@rule("lineup.v1", produces=["playsFor"], examples=[
    "הרכב מכבי חיפה: שריף כיוף, עבדולאי סק, גיא מלמד ודולב חזיזה.",
], counter_examples=["מכבי חיפה: שריף כיוף ועבדולאי סק לא שיחקו."])
def lineup(s: Sentence):
    """``הרכב <club>: a, b, … ו-k``: each player listed plays for the club."""
    m = re.search(rf"{B}(?:ה)?(?:{alt(_lex()['lineup_words'])})\s+(?:של\s+)?(?:ה)?«Club:(?P<c>\d+)»\s*:", s.masked)
    if not m:
        return
    club = s.mention(m, "c").entity
    for p in re.finditer(P, s.masked[m.end():]):
        yield s.ctx.claim(s.ctx.mentions[int(p.group("p"))].entity, "playsFor", club,
                          s.nspan(m.start(), m.end() + p.end()), lineup.rule_id, confidence=0.7)


_MINUTE = r"\(\s*\d{1,3}(?:\+\d{1,2})?(?:\s*,\s*\d{1,3}(?:\+\d{1,2})?)*\s*(?:,?\s*(?:פנדל|מפנדל|פ'))?\s*\)"
_SCORER = rf"«Person:\d+»\s*(?:{_MINUTE})?"


@rule("scorers-list.v1", produces=["playsFor"], examples=[
    "אתמול: בני סכנין - עירוני טבריה 1:2. לבני סכנין: מוחמד אבו פאני (56), ליאו מסי (80).",
    'שערי מכבי חיפה: דין דוד (12, 40), פרדי פלאחו (77 פנדל).',
], counter_examples=["לבני סכנין: ליאו מסי ופרדי פלאחו.", "מכבי חיפה ניצחה, ליאו מסי (30) היה הטוב במגרש.",
                     "לבני סכנין: ליאו מסי (56, שער עצמי)."])
def scorers_list(s: Sentence):
    """A result's scorers by team, ``ל<team>: X (56), Y (80)`` or ``שערי <team>: …``: each
    plays for that team (a list with at least one minute in brackets)."""
    for m in re.finditer(rf"(?:{B}ל|{B}שערי\s+|{B}כובשי\s+)[ה]?-?{TEAM}\s*:\s*(?P<list>{_SCORER}(?:\s*(?:,|ו-?)\s*{_SCORER})*)",
                         s.masked):
        if not re.search(_MINUTE, m.group("list")):
            continue
        team = s.mention(m, "c").entity
        for p in re.finditer(r"«Person:(\d+)»", m.group("list")):
            after = s.masked[m.start("list") + p.end():]
            if re.match(r"\s*\(", after) and not re.match(rf"\s*{_MINUTE}", after):
                break                          # "(56, עצמי)": an own goal, or not a scorer list
            person = s.ctx.mentions[int(p.group(1))].entity
            start = m.start("list") + p.start()
            yield s.ctx.claim(person, "playsFor", team, s.nspan(start, m.start("list") + p.end()),
                              scorers_list.rule_id, confidence=0.85)


@rule("squad-context.v1", produces=["playsFor"], examples=[
    "מכבי תל אביב מתכוננת למשחק נגד בני יהודה. דור פרץ ערך אימון קל ויחזור להתאמן בשבת.",
], counter_examples=["מכבי חיפה מתכוננת למשחק. דור פרץ ערך אימון קל ויחזור להתאמן בשבת.",
                     "דור פרץ ערך אימון קל ויחזור להתאמן בשבת.",
                     "דור פרץ כבש פעמיים נגד מכבי תל אביב."])
def squad_context(s: Sentence):
    """A player shown as one of a club's squad (training, fitness, line-up, goals) in a
    paragraph about that club, or in an article about it, plays for it when the
    catalogue has him there at the article's date (any spell when the article is undated):
    the article's context says which of his clubs it is, the catalogue that he is one of
    its players. Never for the club he faces (``נגד`` / ``מול`` it)."""
    from kg.rules.roles import article_club, context_club

    if not re.search(_w("squad_words"), s.masked):
        return
    ctx = s.ctx
    for m in re.finditer(P, s.masked):
        person = s.mention(m, "p").entity
        if ctx.quote_at(s.nspan(m.start(), m.end())[0]):
            continue
        nstart = s.nspan(m.start(), m.end())[0]
        floor = ctx.paragraph_start(nstart)
        clubs = {ctx.mentions[i].entity for i in ctx.mentions_between(floor, s.end, ("Club",))}
        if not clubs and (club := article_club(ctx)):
            clubs = {club}
        theirs = {s.mention(o, "c").entity for o in re.finditer(rf"{B}ו?(?:נגד|מול)\s+(?:ה)?{TEAM}", s.masked)}
        ours = clubs - theirs
        known = [c for c in ctx.facts(person, "playsFor") if c in ours]
        if len(known) == 1 and not ctx.facts(person, "headCoachOf"):
            yield ctx.claim(person, "playsFor", known[0], s.nspan(m.start(), m.end()), squad_context.rule_id,
                            confidence=0.5)


@rule("live-goal.v1", produces=["playsFor"], examples=[
    "דקה 72, שער! בני יהודה ביצעה מהפך ועלתה ליתרון 1:2: אליאן רוחאנא קיבל את הכדור ובעט לרשת.",
], counter_examples=["דקה 72: בני יהודה לחצה, אליאן רוחאנא בעט מעל המשקוף.",
                     "דקה 72, שער! בני יהודה עלתה ליתרון 1:2 אחרי בעיטה של שחקן הרכש."])
def live_goal(s: Sentence):
    """A live report's goal line (``שער! <team> …: <player> …``): the player named first after
    the colon is one of the scoring team's (the scorer, or the man of the move)."""
    marks = alt(re.escape(w) for w in cues("matches")["live_goal"])
    # the mark ends a sentence of its own ("שער!"): it stands just before this one
    if not re.search(rf"(?:{marks})\s*$", s.ctx.text[max(0, s.start - 12):s.start]):
        return
    for m in re.finditer(rf"^\s*{TEAM}[^:\n«»]{{0,80}}:\s*[^«»\n.]{{0,40}}?{P}", s.masked):
        club, person = s.mention(m, "c").entity, s.mention(m, "p").entity
        if s.ctx.catalog[club].type == "Club" and not s.ctx.facts(person, "headCoachOf"):
            yield s.ctx.claim(person, "playsFor", club, s.nspan(m.start(), m.end()), live_goal.rule_id,
                              confidence=0.6)
