"""Quotations and their speakers.

Finding quotes: a ``"`` that is not an acronym mark (ת"א) opens or closes a
quotation. A paragraph that opens a new quote while one is still open continues
it (the Hebrew press convention for multi-paragraph quotes).

Finding the speaker: the attribution rules below are tried in order; the first
that yields a person wins. A speaker is always a Person; an unknown speaker
stays unknown (``quote-unattributed.v1``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache

from kg.extract import Context, mask
from kg.lexicon import cues
from kg.morphology import default_morphology
from kg.model import Quote
from kg.normalize import is_acronym_mark
from kg.rules.registry import rule
from kg.rules.patterns import B, E, PREFIX, alt, ent

PERSON = ent("p", "Person")


def _res(ctx: Context | None = None):
    """The attribution patterns; with ``ctx``, the speech verbs also take every word of the
    article that hspell reads as a verb of a ``speech_lemmas`` family (``הצהיר``,
    ``מצהירה``), so a verb form no list holds still marks the speaker.

    Forms found in any article so far are kept together (compiling the patterns costs
    ~45 ms, so they are compiled again only when a new form appears, which stops soon).
    A form not in this article cannot match in it as a whole word, so the extra forms
    change nothing: the result is the same as with the article's own forms only."""
    if ctx is not None:
        new = set(_article_verbs(ctx)) - _SEEN_FORMS
        if new:
            _SEEN_FORMS.update(new)
    return _compiled(tuple(sorted(_SEEN_FORMS)))


_SEEN_FORMS: set[str] = set()


def _article_verbs(ctx: Context) -> tuple[str, ...]:
    if "speech-verbs" not in ctx.memo:
        lex = cues("quotes")
        lemmas = set(lex["speech_lemmas"])
        listed = set(lex["speech_verbs"])
        morph = default_morphology()
        ctx.memo["speech-verbs"] = tuple(sorted(
            w for w in ctx.verb_forms(tuple(sorted(lemmas))) if w not in listed
            and any(a.prefix == "" and a.pos == "verb" and a.lemma in lemmas for a in morph.analyse(w))))
    return ctx.memo["speech-verbs"]


@lru_cache(maxsize=4)
def _compiled(extra: tuple[str, ...]):
    lex = cues("quotes")
    verb = rf"{B}(?P<and>ו)?{alt([*lex['speech_verbs'], *extra])}{E}"
    role = rf"(?P<role>{alt(lex['role_speakers'])}){E}"
    collective = rf"{B}{alt(lex['collective_verbs'])}{E}"
    anaphors = alt([*lex["club_anaphors"], *lex["body_anaphors"]])
    return {
        "after_role": re.compile(rf"^\s*[,.]?\s*-?\s*{verb}\s+{role}"),
        "before_role": [re.compile(p + r"\s*(?:-\s*)?$") for p in (
            rf"{B}{role}[^«»\n\"]{{0,40}}?{verb}(?:\s+[^«»\s:\"]+){{0,4}}?(?:\s+(?:כי|ש))?\s*:?",
            rf"{verb}(?:\s+[^«»\s:\"]+){{0,2}}?\s+{role}(?:\s+[^«»\s:\"]+){{0,4}}?(?:\s+(?:כי|ש))?\s*:?",
            rf"{B}{role}[^«»\n\"]{{0,40}}?{verb}[^«»\n\"]{{0,100}}:",
        )],
        "after": re.compile(rf"^\s*[,.]?\s*-?\s*{verb}\s+(?:[^\s«».,]+\s+|{PREFIX}«(?:Club|NationalTeam):\d+»\s+){{0,3}}?{PERSON}"),
        "after_inv": re.compile(rf"^\s*[,.]?\s*-?\s*{PERSON}\s+{verb}"),
        "bare": re.compile(rf"^\s*[,.]?\s*-?\s*{verb}(?:\s+[^\s«».,;]+){{0,4}}\s*(?:[.,;]|$)"),
        "bare_before": re.compile(rf"(?:^|[.,]\s+|\n)(?:[^«»\n\".]{{0,40}}\s)?{verb}(?:\s+(?:כי|ש))?\s*:\s*$"),
        "club_coach": re.compile(rf"{verb}\s+(?:[^\s«»:]+\s+)?מאמן\s+{PREFIX}«(?:Club|NationalTeam):(?P<c>\d+)»[^\n\"]{{0,160}}:\s*$"),
        # a heading or lead: "מאמן <club> אחרי ההפסד …:" (no verb; the club's coach speaks)
        "club_coach_head": re.compile(rf"(?:^|[.!?]\s+|\n)\s*ה?מאמן\s+{PREFIX}«(?:Club|NationalTeam):(?P<c>\d+)»[^\n\"]{{0,160}}:\s*$"),
        "before": [re.compile(p + r"\s*(?:-\s*)?$") for p in (
            rf"{PERSON}[^«»\n]{{0,40}}?{verb}(?:\s+[^«»\s:\"]+){{0,4}}?(?:\s+(?:כי|ש))?\s*:?",
            rf"{verb}\s+(?:\w+\s+){{0,2}}?{PERSON}(?:\s+(?:כי|ש))?\s*:?",
            rf"{B}{alt(lex['according_to'])}\s+{PERSON}\s*,?",
            rf"{PERSON}\s*:",
            rf"{PERSON}[^«»\n\"]{{0,80}}:",
            # the sentence's subject (after at most three words: a role) and nothing named
            # before the colon: "המאמן X ערך מסיבת עיתונאים ונשאל …:"
            rf"(?:^|[.!?]\s+|\n)\s*(?:[^«»\s.,:\"]+\s+){{0,3}}?{PERSON}[^«»\n\".!?]{{0,220}}:",
            # the same with people or places named after the subject (``נשאל על X``), not a
            # club or body (``ובהפועל משלימים:`` is the club's voice)
            rf"(?:^|[.!?]\s+|\n)\s*(?:[^«»\s.,:\"]+\s+){{0,3}}?{PERSON}"
            rf"(?:[^«»\n\".!?]|«(?:Person|City|Country|Stadium|League|Competition):\d+»){{0,220}}:",
        )],
        "anaphoric": re.compile(rf"{B}{alt(lex['anaphoric'])}{E}"),
        # a name no mention covers: one or two words, after the verb or before it and a colon
        "after_name": re.compile(rf"^\s*[,.]?\s*-?\s*(?P<verb>{verb})\s+(?:(?P<role>{alt(lex['speaker_roles'])})\s+)?"
                                 rf"(?P<name>[א-ת][א-ת'\"]+(?:\s+[א-ת][א-ת'\"]+)?)\s*(?:[.,;]|$)"),
        "before_name": re.compile(rf"(?:^|[.!?]\s+|\n)\s*(?:(?P<role>{alt(lex['speaker_roles'])})\s+)?"
                                  rf"(?P<name>[א-ת][א-ת'\"]+(?:\s+[א-ת][א-ת'\"]+)?)\s+(?P<verb>{verb})\s*:\s*$"),
        "statement_before": re.compile(rf"{B}{alt(lex['statement_verbs'])}\s+(?:היום\s+|הערב\s+|אמש\s+)?(?:מ|ב)-?"
                                       rf"«(?:Club|NationalTeam|Organization):(?P<o>\d+)»[^«»\n\"]{{0,60}}?:?\s*$"),
        "statement_after": re.compile(rf"^\s*[,.]?\s*-?\s*{alt(lex['statement_verbs'])}\s+(?:היום\s+|הערב\s+)?(?:מ|ב)-?ה?"
                                      rf"«(?:Club|NationalTeam|Organization):(?P<o>\d+)»"),
        # the body before the verb: "ממכבי תל אביב נמסר בתגובה:"
        "statement_org_first": re.compile(rf"(?:^|[.!?]\s+|\n)\s*(?:מ|ב)-?«(?:Club|NationalTeam|Organization):(?P<o>\d+)»"
                                          rf"\s+{alt(lex['statement_verbs'])}(?:\s+[^«»\s:\"]+){{0,2}}\s*:\s*$"),
        # "נמסר מהמועדון": the club of the paragraph
        "statement_anaphor_after": re.compile(rf"^\s*[,.]?\s*-?\s*{alt(lex['statement_verbs'])}\s+{alt(lex['club_anaphors'])}{E}"),
        "statement_anaphor_before": re.compile(rf"{B}{alt(lex['statement_verbs'])}\s+{alt(lex['club_anaphors'])}"
                                               rf"(?:\s+[^«»\s:\"]+){{0,2}}\s*:\s*$"),
        # the body's collective voice: "ובמכבי חיפה מסבירים: "…"", '"…", אמרו בנבחרת'
        "collective_before": re.compile(rf"(?:^|[.!?,:•]\s*|\n)\s*ו?(?:ב|מ)-?«(?:Club|NationalTeam|Organization):(?P<o>\d+)»"
                                        rf"\s+(?:[^«»\s:\"]+\s+){{0,2}}?{collective}(?:\s+[^«»\s:\"]+){{0,3}}\s*:\s*$"),
        "collective_after": re.compile(rf"^\s*[,.]?\s*-?\s*{collective}\s+(?:היום\s+|הערב\s+|אמש\s+)?(?:ב|מ)-?ה?"
                                       rf"«(?:Club|NationalTeam|Organization):(?P<o>\d+)»"),
        "collective_anaphor_after": re.compile(rf"^\s*[,.]?\s*-?\s*{collective}\s+(?:היום\s+|הערב\s+|אמש\s+)?(?P<ana>{anaphors}){E}"),
        "collective_anaphor_before": re.compile(rf"(?:^|[.!?,:•]\s*|\n)\s*ו?(?P<ana>{anaphors})\s+(?:[^\s:\"]+\s+){{0,2}}?"
                                                rf"{collective}(?:\s+[^\s:\"]+){{0,3}}\s*:\s*$"),
    }


@lru_cache(maxsize=4)
def _after_more(extra: tuple[str, ...]):
    """after_cue's own patterns (apart from the shared table, so that its changes are its own)."""
    lex = cues("quotes")
    verb = rf"{B}(?P<and>ו)?{alt([*lex['speech_verbs'], *extra])}{E}"
    return {
        # '"…", אמר מאמן מכבי חיפה': the club's person in that role
        "club_role": re.compile(rf"^\s*[,.]?\s*-?\s*{verb}\s+(?P<crole>{alt(lex['club_roles'])})\s+{PREFIX}"
                                rf"«(?:Club|NationalTeam):(?P<c>\d+)»"),
        # '"…". כך אמר X' : the next sentence opens on who said it
        "so_said": re.compile(rf"^\s*[.!?]?\s*(?:{alt(lex['so_said'])})\s+{verb}\s+(?:[^\s«».,]+\s+){{0,3}}?{PERSON}"),
    }


@lru_cache(maxsize=None)
def _before_more():
    """before_cue's own patterns, tried after the shared ones: ``לדברי X, "…"`` (its של is
    no preposition of an object) and ``X (מכבי חיפה): "…"``."""
    lex = cues("quotes")
    return (re.compile(rf"{B}{alt(lex['according_to_of'])}\s+{PERSON}\s*,?\s*(?:-\s*)?$"),
            re.compile(rf"{PERSON}\s*\([^()\n\"]{{0,60}}\)\s*:\s*(?:-\s*)?$"))


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """(open, close) positions of quotation marks, acronym marks skipped.

    A quote still open at a paragraph's end that the next paragraph re-opens
    (the press convention for a quote over several paragraphs) is cut into one
    span per paragraph; :func:`continued` tells which spans carry on. A quote
    the text never closes ends with its paragraph (three words at least)."""
    spans, opened = [], None
    for i, ch in enumerate(text):
        if ch != '"' or is_acronym_mark(text, i):
            continue
        before = text[i - 1] if i else "\n"
        after = text[i + 1] if i + 1 < len(text) else "\n"
        if opened is None:
            if not after.isspace() and after not in ".,;":
                opened = i
        elif before == "\n" and "\n" in text[opened:i] and not after.isspace():
            par_end = text.rfind("\n", opened, i)
            while par_end > opened and text[par_end - 1] == "\n":
                par_end -= 1
            spans.append((opened, par_end))
            opened = i
        elif not before.isspace():
            if i - opened > 1:
                spans.append((opened, i))
            opened = None
    if opened is not None:
        # never closed: the text ends inside it (an excerpt cut short, a dropped mark);
        # it runs to the end of its paragraph
        end = text.find("\n", opened)
        end = len(text) if end < 0 else end
        while end > opened + 1 and text[end - 1].isspace():
            end -= 1
        if len(text[opened + 1:end].split()) >= 3:      # a cut-off fragment is not a quote
            spans.append((opened, end))
    return spans


def continued(text: str, spans, q: int) -> bool:
    """Whether span ``q`` re-opens the quote of span ``q-1`` in a new paragraph."""
    if not q:
        return False
    prev_close, open_ = spans[q - 1][1], spans[q][0]
    return text[prev_close] != '"' and not text[prev_close:open_].strip()


def _tail(ctx: Context, close: int, next_open: int):
    """The masked text after a quote, up to the sentence end or the next quote."""
    end = min(next_open, len(ctx.text))
    stop = re.search(r"[.!?\n]", ctx.text[close + 1:end])
    end = close + 1 + stop.start() + 1 if stop else end
    return mask(ctx, close + 1, end)


def _head(ctx: Context, open_: int, prev_close: int):
    start = max(ctx.paragraph_start(open_), prev_close + 1)
    return mask(ctx, start, open_)


@rule("quote-after-cue.v6", produces=["quote"], scope="article", examples=[
    '"אנחנו במקום טוב", אמר ברק בכר אחרי הניצחון.',
    '"נחזור חזקים יותר", הוסיף ליאו מסי.',
    'ברק בכר הגיע למסיבת העיתונאים. "אנחנו במקום טוב", אמר המאמן.',
    '"אנחנו במקום טוב מאוד". כך אמר ברק בכר אחרי המשחק.',
    'מכבי חיפה ניצחה אמש. "אנחנו במקום טוב מאוד", אמר מאמן מכבי חיפה.',
], counter_examples=['"אנחנו במקום טוב", אמרו בקבוצה.', '"אנחנו במקום טוב מאוד". כך נראה המשחק.'])
def after_cue(ctx: Context, q: int, spans, speakers) -> str | None:
    """``"…", אמר X`` / ``"…", X אמר`` / ``"…", אמר המאמן`` / ``"…", אמר מאמן <club>``:
    the speaker right after the quote; ``"…". כך אמר X``: the next sentence names him."""
    nxt = spans[q + 1][0] if q + 1 < len(spans) else len(ctx.text)
    tail = _tail(ctx, spans[q][1], nxt)
    res = _res(ctx)
    for key in ("after", "after_inv"):
        m = res[key].match(tail.masked)
        if m:
            return tail.mention(m, "p").entity
    more = _after_more(tuple(sorted(_SEEN_FORMS)))
    if m := more["club_role"].match(tail.masked):
        relation = cues("quotes")["club_roles"][m.group("crole")]
        return _club_role_holder(ctx, relation, tail.mention(m, "c").entity)
    if m := more["so_said"].match(_next_sentence(ctx, spans[q][1], nxt).masked):
        return ctx.mentions[int(m.group("p"))].entity
    m = res["after_role"].match(tail.masked)
    return resolve_role(ctx, m.group("role"), spans[q][0], spans, speakers) if m else None


def _next_sentence(ctx: Context, close: int, next_open: int):
    """After a quote that ends its sentence (``"…".``): the next sentence, masked."""
    text = ctx.text
    i = close + 1
    if text[i:i + 1] not in (".", "!", "?"):
        return mask(ctx, i, i)
    end = min(next_open, len(text))
    stop = re.search(r"[.!?\n]", text[i + 1:end])
    return mask(ctx, i, i + 1 + (stop.start() + 1 if stop else end - i - 1))


def _club_role_holder(ctx: Context, relation: str, club: str) -> str | None:
    """The one person the article names whom the catalogue gives ``relation`` at ``club``
    on the article's date; else the one person the catalogue gives it at all; else None."""
    named = {m.entity for m in ctx.mentions if m.etype == "Person" and club in ctx.facts(m.entity, relation)}
    if len(named) == 1:
        return named.pop()
    if named:
        return None
    holders = {slug for slug, e in ctx.catalog.entities.items() if e.type == "Person"
               and club in ctx.facts(slug, relation)}
    if len(holders) > 1 and ctx.article.published is None:   # undated: the role that has not ended
        holders = {h for h in holders if club in ctx.catalog.current.get(h, ())}
    return holders.pop() if len(holders) == 1 else None


@rule("quote-before-cue.v6", produces=["quote"], scope="article", examples=[
    'ברק בכר אמר אחרי המשחק: "אנחנו במקום טוב".',
    'לדברי ליאו מסי, "זה היה ערב מיוחד".',
    'ברק בכר נשאל על ליאו מסי, והשיב: "הוא הטוב בעולם".',
    'ברק בכר (מכבי חיפה): "אנחנו במקום טוב מאוד".',
    'לדבריו של ברק בכר, "אנחנו במקום טוב מאוד".',
], counter_examples=['בקבוצה אמרו: "אנחנו במקום טוב".'])
def before_cue(ctx: Context, q: int, spans, speakers) -> str | None:
    """``X אמר: "…"``, ``אמר X: "…"``, ``לדברי X, "…"``, ``הסביר הבעלים: "…"``,
    ``התייחס מאמן בארסה …: "…"``, ``הוסיף: "…"`` (the last speaker).
    A coordinated verb (``והשיב:``) takes the sentence's first person as subject."""
    prev_close = spans[q - 1][1] if q else -1
    head = _head(ctx, spans[q][0], prev_close)
    res = _res(ctx)
    if m := res["club_coach"].search(head.masked) or res["club_coach_head"].search(head.masked):
        return resolve_role(ctx, "המאמן", spans[q][0], spans, speakers, club=head.mention(m, "c").entity)
    if m := res["before_role"][1].search(head.masked):
        return resolve_role(ctx, m.group("role"), spans[q][0], spans, speakers)
    for pattern in res["before"]:
        if m := pattern.search(head.masked):
            if _object_of_preposition(head.masked, m.start("p")):
                continue        # "נשאל על X:": X is what the question is about, not who answers
            if m.groupdict().get("and"):
                first = re.search(r"«Person:(\d+)»", head.masked[_sentence_start(head.masked, m.start()):])
                if first:
                    return ctx.mentions[int(first.group(1))].entity
            return head.mention(m, "p").entity
    for pattern in _before_more():
        if m := pattern.search(head.masked):
            return head.mention(m, "p").entity
    for pattern in (res["before_role"][0], res["before_role"][2]):
        if m := pattern.search(head.masked):
            return resolve_role(ctx, m.group("role"), spans[q][0], spans, speakers)
    if res["bare_before"].search(head.masked):
        return _paragraph_speaker(ctx, q, spans, speakers)
    return None


_PREPOSITION_BEFORE = re.compile(r"(?:(?:^|\s)ו?(?:על|את|עם|מול|נגד|של|אצל|לגבי|בנוגע ל)\s*|[לבמ]-?)$")


def _object_of_preposition(masked: str, digits: int) -> bool:
    """Whether the mention token whose index starts at ``digits`` follows a preposition."""
    start = masked.rfind("«", 0, digits)
    return bool(_PREPOSITION_BEFORE.search(masked[max(0, start - 30):start]))


def _sentence_start(masked: str, pos: int) -> int:
    return max(masked.rfind(". ", 0, pos) + 1, masked.rfind("\n", 0, pos) + 1, 0)


@rule("quote-continued.v2", produces=["quote"], scope="article", examples=[
    'ברק בכר פנה לאוהדים: "תודה על התמיכה.\n\n"נמשיך לעבוד קשה".',
], counter_examples=['"תודה על התמיכה".\n\n"נמשיך לעבוד קשה".'])
def continued_quote(ctx: Context, q: int, spans, speakers) -> str | None:
    """A quote carried into a new paragraph keeps its speaker."""
    return speakers[q - 1] if continued(ctx.text, spans, q) else None


@rule("quote-split.v5", produces=["quote"], scope="article", examples=[
    '"אנחנו במקום טוב", אמר ברק בכר. "נמשיך לעבוד קשה".',
    '"העונה הזאת", אמר ברק בכר, "נבנתה מתוך הכאב".',
], counter_examples=['"אנחנו במקום טוב". "נמשיך לעבוד קשה".'])
def split(ctx: Context, q: int, spans, speakers) -> str | None:
    """A quote that starts right after the previous quote's attribution continues it."""
    if not q or speakers[q - 1] is None:
        return None
    gap = ctx.text[spans[q - 1][1] + 1:spans[q][0]]
    if "\n" in gap or len(gap) > 80 or '"' in gap:
        return None
    tail = mask(ctx, spans[q - 1][1] + 1, spans[q][0])
    res = _res(ctx)
    for key in ("after", "after_inv", "after_role", "bare"):
        m = res[key].match(tail.masked)
        if m and re.fullmatch(r"[^«»]{0,25}?[.,:;]?\s*", tail.masked[m.end():]) and \
                not res["anaphoric"].search(tail.masked[m.end():]):
            return speakers[q - 1]
    return None


@rule("quote-bare-verb.v5", produces=["quote"], scope="article", examples=[
    'ברק בכר דיבר אחרי המשחק. "אנחנו במקום טוב", אמר.',
    'המאמן ברק בכר עדכן כי ליאו מסי חזר. "הוא מוכן", סיפר.',
], counter_examples=['"אנחנו במקום טוב", אמר.'])
def bare_verb(ctx: Context, q: int, spans, speakers) -> str | None:
    """``"…", אמר.``: no subject after the verb; the paragraph's subject speaks:
    its first person, or the last speaker when the paragraph opens with a role noun."""
    nxt = spans[q + 1][0] if q + 1 < len(spans) else len(ctx.text)
    tail = _tail(ctx, spans[q][1], nxt)
    if not _res(ctx)["bare"].match(tail.masked):
        return None
    return _paragraph_speaker(ctx, q, spans, speakers)


@rule("quote-anaphoric.v3", produces=["quote"], scope="article", examples=[
    '"אנחנו במקום טוב", אמר ברק בכר. לדבריו, "הקבוצה עוד תשתפר".',
], counter_examples=['"אנחנו במקום טוב", אמר ברק בכר.\n\nבמכבי חיפה מקווים. "הקבוצה עוד תשתפר".'])
def anaphoric(ctx: Context, q: int, spans, speakers) -> str | None:
    """``לדבריו, … "…"``: the paragraph refers back to the last speaker."""
    last = speakers.last
    if last is None:
        return None
    floor = max(ctx.paragraph_start(spans[q][0]), spans[q - 1][1] + 1 if q else 0)
    cue = None
    for cue in _res(ctx)["anaphoric"].finditer(ctx.text, floor, spans[q][0]):
        pass
    if cue is None:
        return None
    other = _last_person_outside_quotes(ctx, spans[q][0], spans, cue.end())
    return last if other in (None, last) else None


def _inside(pos: int, spans) -> bool:
    """Whether ``pos`` is strictly inside one of ``spans`` (disjoint, in order)."""
    i = bisect_left(spans, (pos,)) - 1          # the last span opening before pos
    return i >= 0 and pos < spans[i][1]


def _last_person_outside_quotes(ctx: Context, pos: int, spans, floor: int) -> str | None:
    for i in reversed(ctx.mention_range(floor, pos)):
        m = ctx.mentions[i]
        if ctx.nspans[i][1] <= pos and m.etype == "Person" and not _inside(ctx.nspans[i][0], spans):
            return m.entity
    return None


ROLE_LOOKBACK = 20_000   # characters: a role noun refers to someone named this far back at most


def resolve_role(ctx: Context, role: str, pos: int, spans, speakers, club: str | None = None) -> str | None:
    """``המאמן`` / ``השוער``: a person named before ``pos`` (outside quotes) whom the
    catalogue knows in that role (at ``club`` when given); the most mentioned one,
    then the latest. Else the last speaker."""
    relation = cues("quotes")["role_speakers"].get(role)
    counts: dict[str, int] = {}
    order: dict[str, int] = {}
    for i in ctx.mention_range(pos - ROLE_LOOKBACK, pos):
        m, s = ctx.mentions[i], ctx.nspans[i][0]
        if m.etype != "Person" or _inside(s, spans):
            continue
        coach_of = ctx.facts(m.entity, "headCoachOf")
        if relation == "player":
            fits = not coach_of
        elif relation:
            objects = ctx.facts(m.entity, relation)
            fits = bool(objects) and (club is None or club in objects)
        else:
            fits = True
        if fits:
            counts[m.entity] = counts.get(m.entity, 0) + 1
            order[m.entity] = i
    if counts:
        return max(counts, key=lambda e: (counts[e], order[e]))
    if club is not None and relation and relation != "player":
        # a heading before the body names the role: the one person of the article who holds it
        fit = {m.entity for m in ctx.mentions if m.etype == "Person" and club in ctx.facts(m.entity, relation)}
        return fit.pop() if len(fit) == 1 else None   # right or silent: nobody known in the role
    return speakers.last


def _paragraph_speaker(ctx: Context, q: int, spans, speakers) -> str | None:
    """Who speaks when the cue names nobody: a role or demonym opening the paragraph
    stands for the last speaker; else the paragraph's first person; else the last speaker."""
    par = ctx.paragraph_start(spans[q][0])
    last = speakers.last
    word = _WORD.search(ctx.text, par, spans[q][0])        # the paragraph's first word
    opening = [word.group()] if word else []
    first_ids = [i for i in ctx.mention_range(par, spans[q][0]) if not _inside(ctx.nspans[i][0], spans)]
    if opening and opening[0] in cues("quotes")["role_speakers"]:
        return resolve_role(ctx, opening[0], spans[q][0], spans, speakers)
    if first_ids and ctx.nspans[first_ids[0]][0] <= par + 1 and ctx.mentions[first_ids[0]].kind == "demonym":
        return last
    people = [ctx.mentions[i].entity for i in first_ids if ctx.mentions[i].etype == "Person"]
    return people[0] if people else last


@rule("quote-interview.v1", produces=["quote"], scope="article", examples=[
    'ליאור רפאלוב התארח באולפן ודיבר על החלון.\n\nאתה מרוצה?\n\n"מאוד. ידענו מה חסר לנו".\n\n'
    'מה עם גיא מלמד?\n\n"הוא נשאר".',
], counter_examples=['ליאור רפאלוב התארח באולפן.\n\n"מאוד. ידענו מה חסר לנו".'])
def interview(ctx: Context, q: int, spans, speakers) -> str | None:
    """A question-and-answer interview: an answer right after a question paragraph
    is the interviewee's, the first person the article names (two questions at least)."""
    if "interview" not in ctx.memo:
        paragraphs = [p.strip() for p in ctx.text.split("\n") if p.strip()]
        questions = [p for p in paragraphs if p.endswith("?") and '"' not in p]
        people = [m.entity for m in ctx.mentions if m.etype == "Person"]
        ctx.memo["interview"] = len(questions) >= 2, people[0] if people else None
    is_interview, interviewee = ctx.memo["interview"]
    if not is_interview:
        return None
    par = ctx.paragraph_start(spans[q][0])
    end = par
    while end > 0 and ctx.text[end - 1].isspace():
        end -= 1
    before = ctx.text[ctx.paragraph_start(end):end].strip()   # the previous paragraph
    if not (before.endswith("?") and '"' not in before) and not continued(ctx.text, spans, q):
        return None
    return interviewee


@rule("quote-follow-on.v4", produces=["quote"], scope="article", examples=[
    '"אנחנו במקום טוב", הצהיר ברק בכר במסיבת העיתונאים שנערכה אחרי המשחק. "נמשיך לעבוד קשה".',
    'ברק בכר דיבר אחרי המשחק: "אנחנו במקום טוב".\n\n"הקבוצה עוד תשתפר, אני בטוח".',
], counter_examples=[
    '"אנחנו במקום טוב", אמר ברק בכר. ליאו מסי חזר לאימונים. "נמשיך לעבוד קשה".',
    '"אנחנו במקום טוב", אמר ברק בכר.\n\nהאם הקבוצה תשתפר?\n\n"בוודאי שכן".',
    'ברק בכר דיבר אחרי המשחק: "אנחנו במקום טוב".\n\nבמכבי חיפה אמרו: "הקבוצה עוד תשתפר".',
])
def follow_on(ctx: Context, q: int, spans, speakers) -> str | None:
    """A quote that follows an attributed one with no one else between: the same speaker.
    Between them only the first quote's own cue (same paragraph), or a paragraph break
    with the new paragraph opening on the quote; no person, no question, no other cue."""
    if not q or speakers[q - 1] is None:
        return None
    between = ctx.text[spans[q - 1][1] + 1:spans[q][0]]
    if "?" in between or '"' in between or len(between) > 200:
        return None
    res = _res(ctx)
    statement_cue = bool(res["statement_anaphor_after"].match(between))   # '", נמסר מהמועדון. "'
    inside = ctx.mentions_between(spans[q - 1][1] + 1, spans[q][0], ("Person", "Club", "NationalTeam", "Organization"))
    if not statement_cue and any(ctx.mentions[i].entity != speakers[q - 1] for i in inside):
        return None
    if "\n" in between:
        # a new paragraph: it must open on this quote, the last one ended its paragraph
        if between.strip(" .,;\n") or ctx.paragraph_start(spans[q][0]) != spans[q][0]:
            return None
        return speakers[q - 1]
    tail = mask(ctx, spans[q - 1][1] + 1, spans[q][0]).masked
    if statement_cue or any(res[k].match(tail) for k in ("after", "after_inv", "bare", "statement_after")) \
            or not tail.strip(" .,"):
        return speakers[q - 1]
    return None


ORGANISATIONS = ("Club", "NationalTeam", "Organization")


@rule("quote-statement.v4", produces=["quote"], scope="article", examples=[
    'במכבי חיפה פרסמו הודעה. נמסר ממכבי חיפה: "המאמן ימשיך בתפקידו עד סוף העונה".',
    '"המאמן ימשיך בתפקידו עד סוף העונה", נמסר ממכבי חיפה.',
    'ממכבי חיפה נמסר בתגובה: "המאמן ימשיך בתפקידו עד סוף העונה".',
    'במכבי חיפה שוקלים ערעור. "המאמן ימשיך בתפקידו עד סוף העונה", נמסר מהמועדון.',
    'מכבי חיפה נפרדה מהמאמן. "ההחלטה התקבלה אחרי בירור ארוך", נכתב בהודעת הקבוצה.',
    'הבלם רוצה לעבור לאירופה, ובהפועל תל אביב מודים: "יהיה קשה מאוד להשאיר אותו".',
    '"ההצעות עוד יגיעו לכמה מהשחקנים", מסבירים במכבי חיפה.',
    'נבחרת ישראל התאמנה אמש. "יש כאן שחקנים שיגיעו רחוק מאוד", אמרו בנבחרת.',
], counter_examples=['"המאמן ימשיך בתפקידו עד סוף העונה", אמר ברק בכר למכבי חיפה.',
                     '"המאמן ימשיך בתפקידו עד סוף העונה", נמסר מהמועדון.',
                     'השחקנים במכבי חיפה אומרים: "המאמן ימשיך בתפקידו עד סוף העונה".',
                     '"המאמן ימשיך בתפקידו עד סוף העונה", אמרו השחקנים.'])
def statement(ctx: Context, q: int, spans, speakers) -> str | None:
    """An official statement (``נמסר מ<club>: "…"``, ``"…", הודיעו ב<club>``,
    ``נכתב בהודעת הקבוצה``) or a body's collective voice (``במכבי חיפה מסבירים: "…"``,
    ``"…", אמרו בנבחרת``) is the club's or body's: its speaker is that organisation."""
    nxt = spans[q + 1][0] if q + 1 < len(spans) else len(ctx.text)
    tail = _tail(ctx, spans[q][1], nxt)
    head = _head(ctx, spans[q][0], spans[q - 1][1] if q else -1)
    res = _res(ctx)
    # "נמסר מהמועדון" (read in the text: the word may be linked to some club already)
    if res["statement_anaphor_after"].match(ctx.text[spans[q][1] + 1:nxt]) or \
            res["statement_anaphor_before"].search(ctx.text[head.start:spans[q][0]]):
        return _body_of(ctx, "המועדון", spans[q][0])
    if m := res["statement_after"].match(tail.masked) or res["collective_after"].match(tail.masked):
        return tail.mention(m, "o").entity
    if m := (res["statement_before"].search(head.masked) or res["statement_org_first"].search(head.masked)
             or res["collective_before"].search(head.masked)):
        return head.mention(m, "o").entity
    if m := (res["collective_anaphor_after"].match(ctx.text[spans[q][1] + 1:nxt])
             or res["collective_anaphor_before"].search(ctx.text[head.start:spans[q][0]])):
        return _body_of(ctx, m.group("ana"), spans[q][0])
    return None


def _body_of(ctx: Context, anaphor: str, pos: int) -> str | None:
    """``במועדון`` / ``בנבחרת``: the club of the paragraph (else the lead's first club), or
    the national team or body named last before ``pos`` (else the article's first)."""
    etype = cues("quotes")["body_anaphors"].get(anaphor)
    if etype is None:
        found = ctx.last_before(pos, ("Club",), floor=ctx.paragraph_start(pos))
        types, until = ("Club",), ctx.paragraph_start(pos)
    else:
        found = ctx.last_before(pos, (etype,))
        types, until = (etype,), len(ctx.text)
    if found is None:
        first = ctx.mentions_between(0, until, types)
        found = ctx.mentions[first[0]] if first else None
    return found.entity if found else None


ATTRIBUTION = (continued_quote, statement, after_cue, split, before_cue, bare_verb, anaphoric, interview,
               follow_on)


_WORD = re.compile(r"\S+")


@rule("quote-unknown-speaker.v3", produces=["quote"], scope="article", examples=[
    '"העסקה נסגרה אחרי חודשים", אמר מואיז.',
    'גבריאלוב אמר: "אנחנו כאן לטווח ארוך".',
], counter_examples=['"העסקה נסגרה אחרי חודשים", אמר בסיום.', '"העסקה נסגרה אחרי חודשים", אמרו במועדון.'])
def unknown_speaker(ctx: Context, q: int, spans) -> tuple[str, str | None] | None:
    """``"…", אמר <name>`` / ``<name> אמר:`` where the name is no catalogue mention: the
    name as written (``fk:speakerName``), never the nearest known person. A word hspell
    knows (``בסיום``, ``במועדון``) is not a name; a plural verb is a collective source."""
    nxt = spans[q + 1][0] if q + 1 < len(spans) else len(ctx.text)
    tail = _tail(ctx, spans[q][1], nxt).masked
    head = _head(ctx, spans[q][0], spans[q - 1][1] if q else -1).masked
    res = _res(ctx)
    m = res["after_name"].match(tail) or res["before_name"].search(head)
    if not m or m.group("verb").endswith(("ו", "ים", "ות")):
        return None
    words = m.group("name").split()
    morph = default_morphology()
    if any(morph.analyse(w) for w in words) or any(w in cues("quotes")["role_speakers"] for w in words):
        return None
    return " ".join(words), m.group("role")


class Speakers(list):
    """The speaker found for each quote span so far (None: unattributed), and ``last``:
    the latest one found, kept as they are appended (a scan back was quadratic)."""

    last: str | None = None

    def append(self, speaker: str | None) -> None:
        super().append(speaker)
        if speaker:
            self.last = speaker


def extract_quotes(ctx: Context) -> list[Quote]:
    spans = find_quote_spans(ctx.text)
    speakers = Speakers()             # one per span, for the rules that look back
    kept: dict[int, Quote] = {}
    for q, (open_, close) in enumerate(spans):
        speaker, rule_id = None, "quote-unattributed.v1"
        for func in ATTRIBUTION:
            found = func(ctx, q, spans, speakers)
            # a statement names a body; the sieves that carry the previous speaker carry it too
            kinds = ORGANISATIONS if func is statement else \
                ("Person", *ORGANISATIONS) if func in (follow_on, split, continued_quote) else ("Person",)
            if found and ctx.catalog[found].type in kinds:
                speaker, rule_id = found, func.rule_id
                break
        speakers.append(speaker)
        inner_s, inner_e = _trim(ctx.text, open_ + 1, close)
        if speaker is None and len(ctx.text[inner_s:inner_e].split()) <= 3:
            continue  # a name or phrase in quotation marks ("זימברו"), not speech
        span = ctx.raw(inner_s, inner_e)
        name, role = (None if speaker else unknown_speaker(ctx, q, spans)) or (None, None)
        inside = sorted({ctx.mentions[i].entity for i in ctx.mentions_between(inner_s, inner_e)
                         if ctx.mentions[i].entity})
        kept[q] = Quote(span=span, text=ctx.article.text[span.start:span.end], speaker=speaker,
                        rule=rule_id if speaker or not name else unknown_speaker.rule_id,
                        mentions=tuple(inside), speaker_name=name, speaker_role=role)
        ctx.quote_nspans.append((inner_s, inner_e))
    for q in sorted(kept, reverse=True):  # a cue after the last paragraph names them all
        if q - 1 in kept and kept[q].speaker and kept[q - 1].speaker is None and continued(ctx.text, spans, q):
            kept[q - 1] = replace(kept[q - 1], speaker=kept[q].speaker, rule=continued_quote.rule_id)
    ctx.quotes = [kept[q] for q in sorted(kept)]
    return ctx.quotes


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
