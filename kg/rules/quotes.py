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
from functools import lru_cache

from kg.extract import Context, _mask
from kg.lexicon import cues
from kg.model import Quote
from kg.normalize import is_acronym_mark
from kg.rules import rule
from kg.rules.patterns import B, E, PREFIX, alt, ent

PERSON = ent("p", "Person")


@lru_cache(maxsize=None)
def _res():
    lex = cues("quotes")
    verb = rf"{B}ו?{alt(lex['speech_verbs'])}{E}"
    return {
        "after": re.compile(rf"^\s*[,.]?\s*-?\s*{verb}\s+(?:{PREFIX}\w+\s+){{0,2}}?{PERSON}"),
        "after_inv": re.compile(rf"^\s*[,.]?\s*-?\s*{PERSON}\s+{verb}"),
        "bare": re.compile(rf"^\s*[,.]?\s*-?\s*{verb}\s*(?:[.,;]|$)"),
        "before": [re.compile(p + r"\s*(?:-\s*)?$") for p in (
            rf"{PERSON}[^«»\n]{{0,40}}?{verb}(?:\s+[^«»\s:\"]+){{0,4}}?(?:\s+(?:כי|ש))?\s*:?",
            rf"{verb}\s+(?:\w+\s+){{0,2}}?{PERSON}(?:\s+(?:כי|ש))?\s*:?",
            rf"{B}{alt(lex['according_to'])}\s+{PERSON}\s*,?",
            rf"{PERSON}\s*:",
        )],
        "anaphoric": re.compile(rf"{B}{alt(lex['anaphoric'])}{E}"),
    }


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """(open, close) positions of quotation marks, acronym marks skipped."""
    spans, opened = [], None
    for i, ch in enumerate(text):
        if ch != '"' or is_acronym_mark(text, i):
            continue
        before = text[i - 1] if i else "\n"
        after = text[i + 1] if i + 1 < len(text) else "\n"
        opener = (before.isspace() or before in "(:-[") and not after.isspace()
        if opened is None:
            if not after.isspace() and after not in ".,;":
                opened = i
        elif opener and "\n" in text[opened:i] and text[i - 1] == "\n":
            continue  # a new paragraph re-opening a quote that is still open
        elif not before.isspace():
            if i - opened > 1:
                spans.append((opened, i))
            opened = None
    return spans


def _tail(ctx: Context, close: int, next_open: int):
    """The masked text after a quote, up to the sentence end or the next quote."""
    end = min(next_open, len(ctx.text))
    stop = re.search(r"[.!?\n]", ctx.text[close + 1:end])
    end = close + 1 + stop.start() + 1 if stop else end
    return _mask(ctx, close + 1, end)


def _head(ctx: Context, open_: int, prev_close: int):
    start = max(ctx.paragraph_start(open_), prev_close + 1)
    return _mask(ctx, start, open_)


@rule("quote-after-cue.v1", produces=["quote"], scope="article", examples=[
    '"אנחנו במקום טוב", אמר ברק בכר אחרי הניצחון.',
    '"נחזור חזקים יותר", הוסיף ליאו מסי.',
], counter_examples=['"אנחנו במקום טוב", אמרו בקבוצה.'])
def after_cue(ctx: Context, q: int, spans) -> str | None:
    """``"…", אמר X`` / ``"…", X אמר``: the speaker right after the quote."""
    nxt = spans[q + 1][0] if q + 1 < len(spans) else len(ctx.text)
    tail = _tail(ctx, spans[q][1], nxt)
    for key in ("after", "after_inv"):
        m = _res()[key].match(tail.masked)
        if m:
            return tail.mention(m, "p").entity
    return None


@rule("quote-before-cue.v1", produces=["quote"], scope="article", examples=[
    'ברק בכר אמר אחרי המשחק: "אנחנו במקום טוב".',
    'לדברי ליאו מסי, "זה היה ערב מיוחד".',
], counter_examples=['בקבוצה אמרו: "אנחנו במקום טוב".'])
def before_cue(ctx: Context, q: int, spans) -> str | None:
    """``X אמר: "…"``, ``אמר X: "…"``, ``לדברי X, "…"``: the speaker before the quote."""
    prev_close = spans[q - 1][1] if q else -1
    head = _head(ctx, spans[q][0], prev_close)
    for pattern in _res()["before"]:
        m = pattern.search(head.masked)
        if m:
            return head.mention(m, "p").entity
    return None


@rule("quote-split.v1", produces=["quote"], scope="article", examples=[
    '"אנחנו במקום טוב", אמר ברק בכר. "נמשיך לעבוד קשה".',
], counter_examples=['"אנחנו במקום טוב". "נמשיך לעבוד קשה".'])
def split(ctx: Context, q: int, spans, speakers) -> str | None:
    """A quote that starts right after the previous quote's attribution continues it."""
    if not q or speakers[q - 1] is None:
        return None
    gap = ctx.text[spans[q - 1][1] + 1:spans[q][0]]
    if "\n" in gap or len(gap) > 80 or '"' in gap:
        return None
    tail = _mask(ctx, spans[q - 1][1] + 1, spans[q][0])
    res = _res()
    for key in ("after", "after_inv", "bare"):
        m = res[key].match(tail.masked)
        if m and re.fullmatch(r"[^«»]{0,25}?[.,:;]?\s*", tail.masked[m.end():]) and \
                not re.search(rf"{B}(?:{alt(cues('quotes')['anaphoric'])})", tail.masked[m.end():]):
            return speakers[q - 1]
    return None


@rule("quote-bare-verb.v1", produces=["quote"], scope="article", examples=[
    'ברק בכר דיבר אחרי המשחק. "אנחנו במקום טוב", אמר.',
], counter_examples=['"אנחנו במקום טוב", אמר.'])
def bare_verb(ctx: Context, q: int, spans, speakers) -> str | None:
    """``"…", אמר.``: the verb has no subject; the paragraph's last person speaks."""
    nxt = spans[q + 1][0] if q + 1 < len(spans) else len(ctx.text)
    tail = _tail(ctx, spans[q][1], nxt)
    if not _res()["bare"].match(tail.masked):
        return None
    return _last_person_outside_quotes(ctx, spans[q][0], spans, ctx.paragraph_start(spans[q][0])) \
        or (speakers[q - 1] if q else None)


@rule("quote-anaphoric.v1", produces=["quote"], scope="article", examples=[
    '"אנחנו במקום טוב", אמר ברק בכר. לדבריו, "הקבוצה עוד תשתפר".',
], counter_examples=['"אנחנו במקום טוב", אמר ברק בכר.\n\nבמכבי חיפה מקווים. "הקבוצה עוד תשתפר".'])
def anaphoric(ctx: Context, q: int, spans, speakers) -> str | None:
    """``לדבריו, … "…"``: the paragraph refers back to the last speaker."""
    if not q or speakers[q - 1] is None:
        return None
    floor = max(ctx.paragraph_start(spans[q][0]), spans[q - 1][1] + 1)
    cue = None
    for cue in _res()["anaphoric"].finditer(ctx.text, floor, spans[q][0]):
        pass
    if cue is None:
        return None
    other = _last_person_outside_quotes(ctx, spans[q][0], spans, cue.end())
    return speakers[q - 1] if other in (None, speakers[q - 1]) else None


def _last_person_outside_quotes(ctx: Context, pos: int, spans, floor: int) -> str | None:
    best = None
    for i, (s, e) in enumerate(ctx.nspans):
        m = ctx.mentions[i]
        if floor <= s and e <= pos and m.etype == "Person" and not any(a < s < b for a, b in spans):
            best = m.entity
    return best


ATTRIBUTION = (
    (after_cue, False), (split, True), (before_cue, False), (bare_verb, True), (anaphoric, True),
)


def extract_quotes(ctx: Context) -> list[Quote]:
    spans = find_quote_spans(ctx.text)
    speakers: list[str | None] = []
    quotes = []
    for q, (open_, close) in enumerate(spans):
        speaker, rule_id = None, "quote-unattributed.v1"
        for func, needs_speakers in ATTRIBUTION:
            found = func(ctx, q, spans, speakers) if needs_speakers else func(ctx, q, spans)
            if found and ctx.catalog[found].type == "Person":
                speaker, rule_id = found, func.rule_id
                break
        speakers.append(speaker)
        inner_s, inner_e = _trim(ctx.text, open_ + 1, close)
        span = ctx.raw(inner_s, inner_e)
        inside = sorted({ctx.mentions[i].entity for i in ctx.mentions_between(inner_s, inner_e)
                         if ctx.mentions[i].entity})
        quotes.append(Quote(span=span, text=ctx.article.text[span.start:span.end], speaker=speaker,
                            rule=rule_id, mentions=tuple(inside)))
        ctx.quote_nspans.append((inner_s, inner_e))
    ctx.quotes = quotes
    return quotes


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
