"""The data model: frozen records passed between pipeline stages.

Offsets are code-point offsets into the article body (``Article.text``),
half-open: ``text[span.start:span.end] == span.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}:{self.end}")

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Article:
    path: str           # where it was read from (for messages)
    text: str           # the body as read, header removed; spans point into it
    url: str | None
    published: date | None
    iri: str            # fka: IRI, stable for the same article
    outlet: str | None  # slug of the outlet entity, from the URL


@dataclass(frozen=True, slots=True)
class Mention:
    span: Span
    surface: str        # text[span.start:span.end]
    entity: str | None  # slug; None when ambiguous
    etype: str | None   # entity type of the linked entity
    kind: str = "name"  # name | nick | demonym | surname | variant (a generated spelling)
    candidates: tuple[str, ...] = ()  # when ambiguous

    @staticmethod
    def make(text: str, span: Span, **kw) -> Mention:
        return Mention(span=span, surface=text[span.start:span.end], **kw)


@dataclass(frozen=True, slots=True)
class Claim:
    subject: str                # entity slug
    predicate: str              # fk: local name, e.g. "ownerOf"
    obj: str | None             # entity slug, or None when value is set
    value: str | None = None    # literal object (fk:objectValue)
    modality: str = "Asserted"  # Asserted | Negated | Desired | Planned | Possible | Past
    span: Span = Span(0, 0)     # the evidence
    rule: str = ""              # versioned rule id
    speaker: str | None = None  # entity slug when stated inside a quote
    confidence: float = 0.8
    qualifiers: tuple[tuple[str, str], ...] = ()  # (("season", "2025"), ("from", "fc-barcelona"))


@dataclass(frozen=True, slots=True)
class Quote:
    span: Span                  # the quoted words, marks excluded
    text: str
    speaker: str | None         # entity slug, None when unknown
    rule: str                   # how the speaker was found
    mentions: tuple[str, ...] = ()
    cue: Span | None = None     # the attribution words
    speaker_name: str | None = None   # a speaker the catalogue does not know, as written
    speaker_role: str | None = None   # that speaker's role, as the text gives it


@dataclass(frozen=True, slots=True)
class Goal:
    scorer: str | None
    minute: int | None
    team: str | None
    penalty: bool = False
    assist: str | None = None
    own_goal: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    home: str
    away: str
    home_score: int
    away_score: int
    span: Span
    rule: str
    competition: str | None = None
    round: int | None = None
    date: date | None = None
    venue: str | None = None
    referee: str | None = None
    attendance: int | None = None
    goals: tuple[Goal, ...] = ()
    red_cards: tuple[tuple[str, int | None], ...] = ()
    home_known: bool = True


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)

    @property
    def entities(self) -> list[str]:
        found = {m.entity for m in self.mentions if m.entity}
        return sorted(found)


@dataclass(frozen=True)
class Limits:
    """What one article file may cost in a batch: its size in bytes (None: no limit; a news
    article is tens of KB) and its extraction time in seconds (0: no limit)."""

    max_bytes: int | None = 1024 * 1024
    seconds: float = 120.0
