"""Match results: ONE's structured header and prose results.

Hebrew writes a result as ``x:y`` with the first-named team's goals on the
right: ``מכבי ת"א ניצחה 1:3 את סכנין`` is 3-1 to Maccabi; ``עירוני מודיעין
נכנעה 2:0 להפועל ראשל"צ`` is 0-2. Headlines ``A – B x:y`` name the home team
first. The same pair of teams found twice in one article is one match.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache

from kg.extract import Context
from kg.lexicon import cues
from kg.model import Claim, Goal, Match
from kg.rules.registry import rule
from kg.rules.patterns import B, E, alt

# a team slot: a club or national team, or a person who is a head coach at the article's
# date (``הבחורים של רן קוז'וק ניצחו``: his team), checked in match_prose
TEAM = r"«(?:Club|NationalTeam|Person):(?P<{}>\d+)»"
SCORE = r"(?P<x>\d{1,2})\s*[:\-]\s*(?P<y>\d{1,2})"
PLACE = r"«(?:City|Country|Stadium|League|Competition):\d+»"
GAP = rf"(?:[^«»\n]|{PLACE}|«Person:\d+»){{0,90}}?"  # no team between subject and verb
# up to three words (or places, leagues) between the verb and the score or the object
WORDS = rf"(?:\s*,?\s+(?:[^«»\s\d]+|[והבלמ]{{0,2}}-?{PLACE})){{0,3}}?"
OBJ = r"[הולבש]?-?"                           # letters before the object's token


@lru_cache(maxsize=None)
def _lex():
    return cues("matches")


@lru_cache(maxsize=None)
def _event_re():
    lex = _lex()
    kinds = [(k, alt(lex[k])) for k in ("own_goal_events", "penalty_events", "goal_events",
                                        "red_card_events", "assist_events", "other_events")]
    return [(k, re.compile(rf"^\s*{words}\s*:?\s*(?P<who>[^()\n]+?)\s*(?:\((?P<min>\d+)(?:\+(?P<extra>\d+))?\))?\s*$"))
            for k, words in kinds]


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def _entity_in(ctx: Context, s: int, e: int, types) -> str | None:
    ids = ctx.mentions_between(s, e, types)
    return ctx.mentions[ids[0]].entity if ids else None


def _team_line(ctx: Context, s: int, e: int, line: str) -> str | None:
    """A line that is a team's name and nothing else."""
    ids = ctx.mentions_between(s, e, ("Club", "NationalTeam"))
    if len(ids) == 1:
        ms, me = ctx.nspans[ids[0]]
        if not line.replace(ctx.text[ms:me], "").strip():
            return ctx.mentions[ids[0]].entity
    return None


def _minute(m: re.Match) -> int | None:
    if not m.group("min"):
        return None
    return int(m.group("min")) + int(m.group("extra") or 0)


def _events(ctx: Context, lines, team: str, other: str):
    goals, reds = [], []
    for s, e, line in lines:
        for kind, pattern in _event_re():
            m = pattern.match(line)
            if not m:
                continue
            who = _entity_in(ctx, s, e, ("Person",))
            if kind == "assist_events":
                if goals and who:
                    goals[-1] = replace(goals[-1], assist=who)
            elif kind == "red_card_events" and who:
                reds.append((who, _minute(m)))
            elif kind in ("goal_events", "penalty_events", "own_goal_events"):
                own = kind == "own_goal_events"
                goals.append(Goal(scorer=who, minute=_minute(m), team=other if own else team,
                                  penalty=kind == "penalty_events", own_goal=own))
            break
    return goals, reds


def _details(ctx: Context, s: int, e: int) -> dict:
    """Date, venue, attendance, competition and round from a header or sentence."""
    text, lex, out = ctx.text[s:e], _lex(), {}
    if m := re.search(lex["attendance"], text):
        out["attendance"] = int(m.group("n").replace(",", ""))
    if m := re.search(lex["round"], text):
        out["round"] = int(m.group("n"))
    out["date"] = _match_date(text, ctx.article.published)
    out["venue"] = _entity_in(ctx, s, e, ("Stadium",))
    out["competition"] = _entity_in(ctx, s, e, ("League", "Competition"))
    return {k: v for k, v in out.items() if v is not None}


def _match_date(text: str, published: date | None) -> date | None:
    """The day a sentence dates its match, as exactly as it allows: an explicit date
    (``18.01.2026``, then ``18.1`` in the article's year), a weekday (``בשבת``, ``ביום
    שלישי``: the latest such day on or before the article's date), a relative word
    (``אמש``, ``אתמול``: the day before; ``הערב``: the same day). None when the text
    says nothing (the caller then takes the article's date)."""
    lex = _lex()
    if m := re.search(lex["date"], text):
        try:
            return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            pass
    if published is None:
        return None
    for m in re.finditer(lex["date_no_year"], text):
        if found := _without_year(int(m.group("d")), int(m.group("m")), m.group("y"), published):
            return found
    if re.search(rf"{B}{alt(lex['sabbath_words'])}{E}", text):
        return _weekday_on_or_before(published, 5)
    days = alt(lex["weekdays"])
    if m := re.search(rf"{B}ב?יום\s+(?P<day>{days}){E}", text):
        return _weekday_on_or_before(published, lex["weekdays"][m.group("day")])
    words = sorted(lex["relative_days"], key=len, reverse=True)
    if m := re.search(rf"{B}(?:ו|ש|וש)?(?P<w>{alt(words)}){E}", text):
        return published - timedelta(days=lex["relative_days"][m.group("w")])
    return None


def _without_year(d: int, mo: int, yy: str | None, published: date) -> date | None:
    years = (2000 + int(yy),) if yy else (published.year, published.year - 1)
    for y in years:
        try:
            found = date(y, mo, d)
        except ValueError:
            return None
        if timedelta(0) <= published - found <= timedelta(days=_lex()["date_window_days"]):
            return found
    return None


def _weekday_on_or_before(published: date, weekday: int) -> date:
    return published - timedelta(days=(published.weekday() - weekday) % 7)


@rule("match-header.v2", produces=["match"], scope="article", examples=[
    "יום שבת, 10/01/2026, 20:00אצטדיון טדי - 20,000 צופיםליגת העל - מחזור 18\nמכבי חיפה\n"
    "שער גיא מלמד (50)\nהסתיים\n2 1\nשופט: יגאל פריד\nשער ירדן שועה (10)\nבית\"ר ירושלים\n",
], counter_examples=["מכבי חיפה\nהסתיים\nבית\"ר ירושלים\n"])
def match_header(ctx: Context) -> list[Match]:
    """away team / away events / הסתיים / ``home away`` / referee / home events / home team."""
    lines = list(_lines(ctx.text))
    whistle = set(_lex()["final_whistle"])
    out = []
    for i, (s, e, line) in enumerate(lines):
        if line.strip() not in whistle or i + 1 >= len(lines):
            continue
        score = re.match(r"^\s*(\d{1,2})\s+(\d{1,2})\s*$", lines[i + 1][2])
        up = next((j for j in range(i - 1, max(-1, i - 40), -1) if _team_line(ctx, *lines[j])), None)
        down = next((j for j in range(i + 2, min(len(lines), i + 42)) if _team_line(ctx, *lines[j])), None)
        if not score or up is None or down is None:
            continue
        away, home = _team_line(ctx, *lines[up]), _team_line(ctx, *lines[down])
        ref_line = next((ln for ln in lines[i + 2:down]
                         if any(ln[2].strip().startswith(p) for p in _lex()["referee_prefix"])), None)
        away_goals, away_reds = _events(ctx, lines[up + 1:i], away, home)
        home_goals, home_reds = _events(ctx, lines[i + 2:down], home, away)
        head = lines[up - 1] if up else (0, 0, "")
        info = _details(ctx, head[0], head[1])
        out.append(Match(
            home=home, away=away, home_score=int(score.group(1)), away_score=int(score.group(2)),
            span=ctx.raw(lines[up][0], lines[down][1]), rule=match_header.rule_id,
            referee=_entity_in(ctx, *ref_line[:2], ("Person",)) if ref_line else None,
            goals=tuple(sorted(home_goals + away_goals, key=lambda g: g.minute or 0)),
            red_cards=tuple(home_reds + away_reds), **info))
    return out


@lru_cache(maxsize=None)
def _prose_res():
    lex = _lex()
    pre = r"(?P<pre>ו?כש|ו?ש|ו)?"
    words = WORDS
    a, b = TEAM.format("a"), TEAM.format("b")
    win, lose, draw = alt(lex["win_verbs"]), alt(lex["lose_verbs"]), alt(lex["draw_verbs"])
    nouns = alt(lex["result_nouns"])
    tail = r"(?:[^«»\n\d]|«(?:Stadium|City|Country|League|Competition):\d+»){0,60}?"
    return {
        "win": re.compile(rf"{a}{GAP}{B}{pre}{win}{words}\s+(?:ב-?)?{SCORE}{words}\s+(?:את|על|ב|מול)?\s*{OBJ}{b}"),
        "lose": re.compile(rf"{a}{GAP}{B}{pre}{lose}{words}\s+(?:ב-?)?{SCORE}{words}\s+(?:ל|מול|על ידי|בידי|מ)-?\s*{b}"),
        # the score after the object: "A ניצחה את B ... בתוצאה 2:1"
        "win_object_first": re.compile(rf"{a}{GAP}{B}{pre}{win}{words}\s+(?:את|על)\s*{OBJ}{b}{tail}(?:בתוצאה\s+|ב-?)?{SCORE}"),
        "lose_object_first": re.compile(rf"{a}{GAP}{B}{pre}{lose}{words}\s+(?:ל|מול)-?\s*{b}{tail}(?:בתוצאה\s+|ב-?)?{SCORE}"),
        "draw": re.compile(rf"{a}\s+ו-?{b}\s+{draw}{words}\s+(?:ב-?)?{SCORE}"),
        "draw_one": re.compile(rf"{a}{GAP}{B}{pre}{draw}{words}\s+(?:ב-?)?{SCORE}\s+(?:עם|מול|מ)-?\s*{b}"),
        "record": re.compile(rf"{a}{GAP}{B}{pre}{alt(lex['record_verbs'])}(?:\s+(?P<noun>{nouns}))?{words}\s+(?:ב-?)?{SCORE}{words}\s+(?P<prep>על|עם|מול|נגד)-?\s*{b}"),
        "headline": re.compile(rf"{SCORE}\s+ל-?{a}\s+(?:על|מול|נגד)\s+{b}"),
        "noun": re.compile(rf"{a}{GAP}{B}(?:ה|ב|ל|ו|מ)*(?P<noun>{nouns}){words}\s*,?\s+(?:ה-?)?{SCORE}{words}\s+(?:ל|על|מול|נגד)-?\s*{OBJ}{b}"),
        # "A ... אחרי 0:1 על B" (a win), "לאחר 0:2 ל-B" (a loss), "אחרי 1:1 מול B" (a draw)
        "after_score": re.compile(rf"{a}{GAP}{B}(?:אחרי|לאחר|עם)\s+(?:ה-?)?{SCORE}{words}\s+(?P<prep>על|ל|מול|נגד)-?\s*{OBJ}{b}"),
        "noun_first": re.compile(rf"{B}(?:אחרי |לאחר |בעקבות )?(?:ה|ב|ל|ו|מ)*(?P<noun>{nouns}){words}\s+(?:ה-?)?{SCORE}{words}\s+(?:ל|על|מול|נגד)-?\s*{b}\s*,\s*{a}"),
        "bracket_draw": re.compile(rf"{a}{GAP}\s(?:(?:נגד|מול|עם)\s+|מ-?)(?:ה)?{b}\s*\({SCORE}\)"),
        "dash": re.compile(rf"^\s*{a}\s*[-–]\s*{b}\s+{SCORE}\s*$"),
        # a result in a list inside a sentence: "אתמול: A - B 1:2."
        "dash_inline": re.compile(rf"(?:^|[:.;]\s)\s*{a}\s*[-–]\s*{b}\s+{SCORE}(?=\s*(?:[.,;]|$))"),
    }


@lru_cache(maxsize=None)
def _more_re():
    """A second result of the same subject later in the sentence: "…, בדרך לתבוסה נוספת,
    הפעם ב<Competition>, 6:0 ל<B>"."""
    lex = _lex()
    word = alt(lex["result_nouns"] + lex["win_verbs"] + lex["lose_verbs"])
    return re.compile(rf"{B}(?:ה|ב|ל|ו|מ)*(?P<noun>{word})(?:[^«»\n\d]|{PLACE}){{0,50}}?{SCORE}\s+"
                      rf"(?P<prep>ל|על)-?\s*{OBJ}{TEAM.format('b')}")


def _outcome(kind: str, m: re.Match) -> str | None:
    """Who the sentence says won: "win" (the first team), "lose", "draw", or None (digits decide)."""
    if kind in ("win", "headline", "win_object_first"):
        return "win"
    if kind in ("lose", "lose_object_first"):
        return "lose"
    if kind == "after_score":
        return {"על": "win", "ל": "lose"}.get(m.group("prep"), "draw")
    if kind in ("draw", "draw_one", "bracket_draw"):
        return "draw"
    if kind in ("noun", "noun_first", "record") and m.group("noun"):
        return lex_outcome(m.group("noun"))
    if kind == "record":
        return "draw" if m.group("prep") in ("עם",) else "win"
    return None


def _scores(kind: str, m: re.Match) -> tuple[int, int] | None:
    """(first team's goals, second team's): the digit right of the colon is the first
    team's; an outcome word outranks the digits' order (some writers put them the other way)."""
    first, second = int(m.group("y")), int(m.group("x"))
    outcome = _outcome(kind, m)
    if outcome == "draw":
        return (first, second) if first == second else None
    if outcome == "win" and first < second or outcome == "lose" and first > second:
        first, second = second, first
    return first, second


@rule("match-prose.v5", produces=["match"], scope="article", examples=[
    "מכבי תל אביב ניצחה 1:3 את בני סכנין באצטדיון בלומפילד.",
    "עירוני טבריה נכנעה 2:0 להפועל חיפה.",
    "מכבי חיפה ובית\"ר ירושלים נפרדו ב-1:1.",
    "אחרי ההפסד 2:1 לריאל מדריד, ברצלונה חזרה לאימונים.",
    "הפועל באר שבע, שנפרדה בשבוע שעבר מבני סכנין (2:2), חזרה לנצח.",
    "הפועל חיפה גברה על מכבי נתניה בסמי עופר בתוצאה 1:3 אחרי מהפך.",
    "מכבי חיפה טיפסה למקום השני בליגת העל לאחר 1:2 על בני סכנין.",
    "אמש: הפועל חיפה - מכבי נתניה 0:2.",
    "ברק בכר ניצח 0:2 את בני סכנין.",
    "מכבי חיפה ספגה תבוסה 4:0 לבני סכנין, ובהמשך הפסידה 3:1 להפועל באר שבע.",
    "מכבי הרצליה גברה 0:1 על מכבי יפו והפועל חדרה והפועל כפר שלם נפרדו ב-1:1.",
    "מכבי תל אביב הושפלה הערב 6:2 בבלומפילד מול בית\"ר ירושלים.",
    "מכבי תל אביב ספגה תבוסה 6:2 לבית\"ר ירושלים, ובהמשך תבוסה נוספת, הפעם בליגה האירופית, 6:0 לליון.",
], counter_examples=["מכבי חיפה ניצחה את בני סכנין.", "מכבי חיפה עלתה ליתרון 0:1 על בני סכנין.",
                     "מכבי חיפה שיחקה מול בני סכנין (1:2 במחצית).",
                     "מכבי חיפה ניצחה את בני סכנין ואת מכבי נתניה, אבל לא את הפועל באר שבע 2:0.",
                     "ליאו מסי ניצח 0:2 את בני סכנין."])
def match_prose(ctx: Context) -> list[Match]:
    """``A ניצחה x:y את B``, ``A נכנעה x:y ל-B``, ``A ו-B נפרדו x:y``, ``x:y ל-A על B``, ``A – B x:y``,
    the score after the object (``A ניצחה את B … בתוצאה x:y``), ``A … אחרי x:y על B``,
    a coach standing for his team, and a second result of the same subject in the sentence.
    A team named as an object (``על A ו-B, אבל הפסידה…``) is never the subject."""
    out = []
    live = bool(re.search(alt(_lex()["live_words"]), ctx.text))
    if re.search(alt(_lex()["youth_words"]), ctx.text[:400]):
        return []  # a youth-football article: its results are not the senior teams' results
    for sentence in ctx.sentences:
        if sentence.chrome:
            continue
        masked = sentence.masked
        if re.search(alt(_lex()["youth_words"]), sentence.text) or (live and sentence.text.strip().count(" ") < 8):
            continue  # youth football; a live page's running scores
        used: list[tuple[int, int]] = []
        subjects: list[tuple[int, str]] = []
        first_of_sentence = len(out)
        for kind, pattern in _prose_res().items():
            for m in pattern.finditer(masked):
                a, b = _team(sentence, m, "a"), _team(sentence, m, "b")
                scores = _scores(kind, m)
                if a is None or b is None or a == b or scores is None:
                    continue
                # "גברה על C והפועל חדרה והפועל כפר שלם נפרדו": the two teams before a draw
                # verb are its subject even after an object list
                if kind not in ("headline", "noun_first", "draw") and _object_like(masked, m.start("a")):
                    continue
                if _relative_of_another(masked, m) or _aggregate(masked, m.end("y")):
                    continue
                first, second = scores
                side = _home_first(m.group(0))  # home/away words of this result, not the sentence's
                home_known = kind in ("dash", "dash_inline") or side is not None
                swap = kind not in ("dash", "dash_inline") and side is False
                s, e = sentence.nspan(m.start(), m.end())
                info = _details(ctx, sentence.start, sentence.end)
                home, away, hs, as_ = (b, a, second, first) if swap else (a, b, first, second)
                out.append((kind, Match(home=home, away=away, home_score=hs, away_score=as_,
                                        span=ctx.raw(s, e), rule=match_prose.rule_id,
                                        home_known=home_known, **info)))
                used.append((m.start(), m.end()))
                if kind not in ("dash", "dash_inline", "draw", "headline", "noun_first"):
                    subjects.append((m.end(), a))
        for m in _more_re().finditer(masked):      # the same subject's next result
            if any(u_s <= m.start() < u_e for u_s, u_e in used):
                continue
            subject = next((a for end, a in reversed(subjects) if end <= m.start()), None)
            b = _team(sentence, m, "b")
            if subject is None or b is None or b == subject:
                continue
            noun = m.group("noun")
            outcome = ("lose" if noun in _lex()["lose_verbs"] or lex_outcome(noun) == "lose" else "win")
            if (outcome, m.group("prep")) not in (("lose", "ל"), ("win", "על")):
                continue
            first, second = int(m.group("y")), int(m.group("x"))
            if outcome == "win" and first < second or outcome == "lose" and first > second:
                first, second = second, first
            s, e = sentence.nspan(m.start(), m.end())
            out.append(("more", Match(home=subject, away=b, home_score=first, away_score=second,
                                      span=ctx.raw(s, e), rule=match_prose.rule_id, home_known=False,
                                      **_details(ctx, sentence.start, sentence.end))))
        _own_competitions(ctx, sentence, out, first_of_sentence)
    return _scores_from_sentences(out)


def _own_competitions(ctx: Context, sentence, out: list, first: int) -> None:
    """Two results in one sentence (``6:2 לבית"ר, ובליגה האירופית 6:0 לליון``): each takes
    the competition named in its own stretch (from the previous result's end to the next
    one's start), not the sentence's first."""
    mine = out[first:]
    if len(mine) < 2:
        return
    bounds = [_nspan(ctx, m.span) for _, m in mine]
    order = sorted(range(len(mine)), key=lambda i: bounds[i][0])
    for rank, i in enumerate(order):
        lo = bounds[order[rank - 1]][1] if rank else sentence.start
        hi = bounds[order[rank + 1]][0] if rank + 1 < len(order) else sentence.end
        kind, m = mine[i]
        out[first + i] = (kind, replace(m, competition=_entity_in(ctx, lo, hi, ("League", "Competition"))))


def _nspan(ctx: Context, span) -> tuple[int, int]:
    """A raw span back in normalised offsets (the matches keep raw spans)."""
    starts = ctx.memo.get("raw-to-norm")
    if starts is None:
        starts = ctx.memo["raw-to-norm"] = {r: n for n, r in enumerate(ctx.norm.to_raw)}
    s = starts.get(span.start, 0)
    e = starts.get(span.end - 1, s) + 1
    return s, e


def _team(sentence, m: re.Match, name: str) -> str | None:
    """The team a slot names: a club or national team, or the one club a person
    head-coaches at the article's date."""
    mention = sentence.mention(m, name)
    if mention.etype in ("Club", "NationalTeam"):
        return mention.entity
    coached = sentence.ctx.facts(mention.entity, "headCoachOf") if mention.entity else []
    return coached[0] if len(coached) == 1 else None


def _relative_of_another(masked: str, m: re.Match) -> bool:
    """``A, שניצחה …`` is A's result; ``A … מחזיקת הגביע, שהפסידה …`` is another's: a verb
    with the relative ש takes the team only when just a comma (or nothing) stands between."""
    pre = m.groupdict().get("pre")
    if pre not in ("ש", "וש"):        # ``כשגברה`` (when it won) keeps the sentence's subject
        return False
    between = masked[m.end("a") + 1:m.start("pre")]
    return bool(re.sub(r"[\s,()\-–]", "", between))


def _aggregate(masked: str, score_end: int) -> bool:
    """A two-legged tie's aggregate (``4:2 בסיכום``) is not one match's result."""
    return bool(re.match(rf"\s*{alt(_lex()['aggregate_words'])}", masked[score_end:score_end + 30]))


_OBJECT_BEFORE = re.compile(r"(?:(?:^|\s)ו?(?:על|את|מול|נגד|עם|של|אצל)\s*|[לבמכ]-?|«(?:Club|NationalTeam):\d+»\s+ו-?)$")


def _object_like(masked: str, token_digits: int) -> bool:
    """Whether the token whose index starts at ``token_digits`` follows a preposition, a
    prefix preposition or a coordination with another team: an object, not a subject."""
    start = masked.rfind("«", 0, token_digits)
    return bool(_OBJECT_BEFORE.search(masked[max(0, start - 40):start]))


def _scores_from_sentences(found: list[tuple[str, Match]]) -> list[Match]:
    """A heading (``A – B x:y``) gives home and away; when a sentence with a verb gives
    the same pair another score, the sentence's score wins (a heading may be a
    running score), set on the heading's orientation."""
    verbs = {frozenset((m.home, m.away)): m for kind, m in found if kind not in ("dash", "headline")}
    out = []
    for kind, m in found:
        said = verbs.get(frozenset((m.home, m.away)))
        if kind == "dash" and said and {m.home_score, m.away_score} != {said.home_score, said.away_score}:
            hs, as_ = (said.home_score, said.away_score) if said.home == m.home else (said.away_score, said.home_score)
            m = replace(m, home_score=hs, away_score=as_)
        out.append(m)
    return out


def lex_outcome(noun: str) -> str:
    lex = _lex()
    return "win" if noun in lex["result_nouns_win"] else "lose" if noun in lex["result_nouns_lose"] else "draw"


def _home_first(masked: str) -> bool | None:
    lex = _lex()
    text = re.sub(r"«\w+:\d+»", " ", masked)
    if re.search(rf"{B}{alt(lex['home_words'])}", text):
        return True
    if re.search(rf"{B}{alt(lex['away_words'])}", text):
        return False
    return None


def _venue_home(ctx: Context, m: Match) -> Match:
    """A match at one team's home stadium (catalogue) has that team at home."""
    if m.home_known or not m.venue:
        return m
    if m.venue in ctx.facts(m.away, "homeStadium"):
        return replace(m, home=m.away, away=m.home, home_score=m.away_score,
                       away_score=m.home_score, home_known=True)
    if m.venue in ctx.facts(m.home, "homeStadium"):
        return replace(m, home_known=True)
    return m


def _merge(found: list[Match]) -> list[Match]:
    """One match per pair of teams: the header's or a known-home reading first, gaps filled."""
    by_pair: dict[frozenset, Match] = {}
    rank = lambda m: (m.rule != match_header.rule_id, not m.home_known)
    for m in sorted(found, key=rank):
        key = frozenset((m.home, m.away))
        if key not in by_pair:
            by_pair[key] = m
            continue
        best = by_pair[key]
        fill = {f: getattr(m, f) for f in ("competition", "round", "date", "venue", "referee", "attendance")
                if getattr(best, f) is None and getattr(m, f) is not None}
        if fill:
            by_pair[key] = replace(best, **fill)
    return sorted(by_pair.values(), key=lambda m: m.span.start)


def _default_competition(ctx: Context) -> str | None:
    """The league of a round report: the one League named in a sentence with ``מחזור``."""
    found = {m.entity for sentence in ctx.sentences if not sentence.chrome and re.search(_lex()["round"], sentence.text)
             for m in sentence.mentions() if m.etype == "League"}
    return found.pop() if len(found) == 1 else None


def extract_matches(ctx: Context) -> list[Match]:
    found = [_venue_home(ctx, m) for m in match_header(ctx) + match_prose(ctx)]
    merged = _merge(found)
    date_, comp = ctx.article.published, _default_competition(ctx)
    return [replace(m, date=m.date or date_, competition=m.competition or comp) for m in merged]


@rule("match-competes.v1", produces=["competesIn"], scope="article", examples=[
    "מכבי תל אביב ניצחה 1:3 את בני סכנין במחזור ה-18 של ליגת העל.",
], counter_examples=["מכבי תל אביב ניצחה 1:3 את בני סכנין."])
def match_claims(ctx: Context, matches: list[Match]) -> list[Claim]:
    """Both teams of a match in a competition take part in it."""
    return [Claim(subject=team, predicate="competesIn", obj=m.competition, span=m.span,
                  rule=match_claims.rule_id, confidence=0.8)
            for m in matches if m.competition for team in (m.home, m.away)]
