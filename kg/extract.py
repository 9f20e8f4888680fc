"""Runs the rules over an article's sentences and mentions.

Rules see sentences in *masked* form: each linked mention is replaced by a
token ``«Type:i»`` (``i`` indexes ``Context.mentions``), so a rule's pattern
reads like the sentence it matches, e.g. ``בעלי «Club:3», «Person:4»``.
Prefix letters stay in front of the token (``ל«Club:5»``). Positions in the
masked string map back to the normalised text and from there to the raw text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from kg.catalog import Catalog
from kg.chrome import drops_mentions, find_chrome
from kg.model import Article, Claim, Mention, Quote, Span
from kg.morphology import WORD, default_morphology
from kg.normalize import Normalized

TOKEN = re.compile(r"«(\w+):(\d+)»")
_SENT_END = re.compile(r'(?<=[.!?])["]?(?=\s)|\n+')


@dataclass(slots=True)
class Sentence:
    start: int                 # normalised offsets
    end: int
    text: str                  # normalised text of the sentence
    masked: str
    offsets: list[int]         # masked index -> normalised offset (len(masked)+1 entries)
    ctx: "Context"
    chrome: bool = False       # page chrome (caption, table, byline): no rule reads it

    def nspan(self, mstart: int, mend: int) -> tuple[int, int]:
        """Masked positions -> normalised span."""
        return self.offsets[mstart], self.offsets[mend - 1] + 1 if mend > mstart else self.offsets[mstart]

    def mention(self, m: re.Match, group: str) -> Mention:
        return self.ctx.mentions[int(m.group(group))]

    def mentions(self) -> list[Mention]:
        return [self.ctx.mentions[int(t.group(2))] for t in TOKEN.finditer(self.masked)]


@dataclass(slots=True)
class Context:
    article: Article
    norm: Normalized
    catalog: Catalog
    mentions: list[Mention]
    nspans: list[tuple[int, int]]           # normalised span of each mention, sorted by start
    quotes: list[Quote] = field(default_factory=list)
    quote_nspans: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    chrome: list = field(default_factory=list)  # kg.chrome.ChromeLine
    _forms: dict = field(default_factory=dict, repr=False)
    starts: list[int] = field(default_factory=list)   # nspans' starts, for bisection
    memo: dict = field(default_factory=dict, repr=False)  # per-article values rules compute once

    def verb_forms(self, lemmas) -> tuple[str, ...]:
        """The words of this article that are a verb of one of ``lemmas`` (hspell's
        lemmas) in any inflection, tense or prefix chain: ``וכשהצטרף`` for הצטרף."""
        key = tuple(sorted(lemmas))
        if key not in self._forms:
            verbs = self.memo.get("verb-lemmas")
            if verbs is None:                    # the article's words, analysed once
                morph = default_morphology()
                words = frozenset(WORD.findall(self.text))
                morph.analyse_many(words)
                verbs = self.memo["verb-lemmas"] = {w: ls for w in words if (ls := morph.lemmas(w, "verb"))}
            wanted = set(key)
            self._forms[key] = tuple(sorted(w for w, ls in verbs.items() if ls & wanted))
        return self._forms[key]

    def facts(self, slug: str, prop: str) -> list[str]:
        """The catalogue's ``prop`` objects of ``slug`` that held on the article's date
        (all of them when the article has no date)."""
        return self.catalog.fact_objects(slug, prop, on=self.article.published)

    @property
    def text(self) -> str:
        return self.norm.text

    def in_chrome(self, nstart: int, nend: int) -> bool:
        """Whether [nstart, nend) overlaps a chrome line (lines are disjoint and in order)."""
        ends = self.memo.get("chrome_ends")
        if ends is None:
            ends = self.memo["chrome_ends"] = [c.end for c in self.chrome]
        i = bisect_right(ends, nstart)
        return i < len(self.chrome) and self.chrome[i].start < nend

    def raw(self, nstart: int, nend: int) -> Span:
        return self.norm.raw_span(nstart, nend)

    def quote_at(self, npos: int) -> Quote | None:
        i = bisect_right(self.quote_nspans, (npos, float("inf"))) - 1   # spans disjoint, in order
        if i >= 0 and npos < self.quote_nspans[i][1]:
            return self.quotes[i]
        return None

    def mention_range(self, nstart: int, nend: int) -> range:
        """Indices of the mentions starting in [nstart, nend) (bisection: articles of
        megabytes stay linear)."""
        return range(bisect_left(self.starts, nstart), bisect_left(self.starts, nend))

    def mentions_between(self, nstart: int, nend: int, types=None) -> list[int]:
        return [
            i for i in self.mention_range(nstart, nend)
            if self.nspans[i][1] <= nend and (types is None or self.mentions[i].etype in types)
        ]

    def last_before(self, npos: int, types, *, floor: int = 0, exclude=()) -> Mention | None:
        """The last linked mention of one of ``types`` ending before ``npos``."""
        for i in reversed(self.mention_range(floor, npos)):
            m = self.mentions[i]
            if self.nspans[i][1] <= npos and m.etype in types and m.entity not in exclude:
                return m
        return None

    def index_of(self, mention: Mention) -> int:
        """The index of a mention in ``mentions`` (its token number)."""
        index = self.memo.get("index")
        if index is None:
            index = self.memo["index"] = {id(m): i for i, m in enumerate(self.mentions)}
        return index[id(mention)]

    def paragraph_start(self, npos: int) -> int:
        """Where the paragraph holding ``npos`` starts (after the last LF before it)."""
        breaks = self.memo.get("newlines")
        if breaks is None:
            breaks = self.memo["newlines"] = [m.start() for m in re.finditer("\n", self.text)]
        i = bisect_left(breaks, npos)
        return breaks[i - 1] + 1 if i else 0

    def claim(self, subject: str, predicate: str, obj: str | None, nspan: tuple[int, int],
              rule: str, modality: str = "Asserted", **kw) -> Claim | None:
        if subject is None or (obj is None and kw.get("value") is None) or subject == obj:
            return None
        quote = self.quote_at(nspan[0])
        speaker = kw.pop("speaker", None) or (quote.speaker if quote else None)
        return Claim(subject=subject, predicate=predicate, obj=obj, modality=modality,
                     span=self.raw(*nspan), rule=rule, speaker=speaker, **kw)


def build_context(article: Article, norm: Normalized, catalog: Catalog, mentions: list[Mention]) -> Context:
    """Mentions in normalised offsets, minus those in dropped chrome; sentences, masked."""
    from_raw = {r: n for n, r in enumerate(norm.to_raw)}
    chrome = find_chrome(norm.text)
    dropped = [(c.start, c.end) for c in chrome if drops_mentions(c.kind)]   # disjoint, in order
    kept, nspans = [], []
    for m in mentions:
        s, e = from_raw[m.span.start], _norm_end(norm, m.span.end)
        i = bisect_right(dropped, (s, float("inf"))) - 1
        if not (i >= 0 and s < dropped[i][1]):
            kept.append(m)
            nspans.append((s, e))
    ctx = Context(article, norm, catalog, kept, nspans, chrome=chrome, starts=[s for s, _ in nspans])
    ctx.sentences = split_sentences(ctx)
    for sentence in ctx.sentences:
        sentence.chrome = ctx.in_chrome(sentence.start, sentence.end)
    return ctx


def _norm_end(norm: Normalized, raw_end: int) -> int:
    # the normalised index just after the last character before raw_end
    return bisect_right(norm.to_raw, raw_end - 1)


def split_sentences(ctx: Context) -> list[Sentence]:
    """Sentences end after . ! ? (and a closing quote) before a space, or at line breaks;
    never inside a mention (``מ.ס. אשדוד``, ``פ.ס.וו. איינדהובן``)."""
    text = ctx.text
    bounds, start = [], 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        i = bisect_left(ctx.starts, end) - 1        # the last mention starting before the end
        if i >= 0 and ctx.nspans[i][1] > end and "\n" not in m.group():
            continue
        if text[start:end].strip():
            bounds.append((start, end))
        start = end
    if text[start:].strip():
        bounds.append((start, len(text)))
    return [mask(ctx, s, e) for s, e in bounds]


def mask(ctx: Context, start: int, end: int) -> Sentence:
    parts, offsets, pos = [], [], start
    for i in ctx.mention_range(start, end):
        s, e = ctx.nspans[i]
        if e > end or ctx.mentions[i].entity is None:
            continue
        parts.append(ctx.text[pos:s])
        offsets.extend(range(pos, s))
        token = f"«{ctx.mentions[i].etype}:{i}»"
        parts.append(token)
        offsets.extend([s] * (len(token) - 1) + [e - 1])
        pos = e
    parts.append(ctx.text[pos:end])
    offsets.extend(range(pos, end))
    offsets.append(end)
    return Sentence(start, end, ctx.text[start:end], "".join(parts), offsets, ctx)
