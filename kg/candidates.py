"""Article text + catalogue -> names the catalogue does not know, found by context.

Hebrew has no capital letters, so a name is recognised by where it stands (the cue
words are data: ``kg/data/cues/candidates.yaml``):

- after a role word: ``החלוץ X``, ``מאמן מכבי חיפה, X`` (adjectives, clubs and commas
  may stand between);
- as a speaker: ``", אמר X``, ``X אמר:``, ``X: "...``;
- in match events and lists: ``שער X (14)``, ``X (90+4)``, ``הרכב הפועל ת"א: A, B ו-C``;
- after club, national-team and stadium words, and ``הפועל/מכבי/מ.ס`` + an unknown town;
- before a country adjective: ``באנטוורפן הבלגית``;
- after a known first name (``ואופיר דודזאדה``), or with transliteration marks
  (``ג' צ' ז'``, ``-יץ'``).

Words of a catalogue mention, stopwords, photo credits and bylines never make a name,
nor do words that are all ordinary Hebrew (hspell knows each and the first is no known
first name). One occurrence per place: context cues win over first names and letter shapes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from kg.catalog import Catalog, default_catalog
from kg.lexicon import cues
from kg.mentions import matcher_for
from kg.model import Article
from kg.normalize import Normalized, normalize, normalize_alias

_HEB = "\u05d0-\u05ea"
_TOKEN = re.compile(
    rf"[{_HEB}](?:\.[{_HEB}])+"                                # מ.ס
    rf"|[{_HEB}](?:[{_HEB}]|'|\"(?=[{_HEB}])|-(?=[{_HEB}]))*"  # ז'ורז', ת"א, בר-און
    r"|[A-Za-z][A-Za-z'-]*"
)
_GERESH_LETTERS = frozenset("גזצץתדח")
_MINUTE = re.compile(r"\s*(?:\(\d{1,3}(?:\+\d{1,2})?\)|\d{1,3}(?:\+\d{1,2})?')")
_PREFIXES = ("", "ו", "ש", "כש", "וכש", "וש")
_DEFINITE = re.compile(r"[ובלמשכ]?ה\S{3}")  # (ו/ב/ל...)ה + a word: the article, not a surname
_LIST_GAP = re.compile(r"[\s,]*(?:\(?\d{1,3}(?:\+\d{1,2})?'?\)?[\s,]*)?(?:-\s*)?")
_PRIORITY = {"role": 0, "speech": 0, "event": 0, "list": 0, "minute": 1, "club": 2, "national": 2,
             "stadium": 2, "country-adjective": 3, "first-name": 4, "translit": 5}


@dataclass(frozen=True, slots=True)
class _Tok:
    start: int          # normalised offsets
    end: int
    text: str
    etype: str | None   # type of the catalogue mention covering it; "?" if ambiguous


@dataclass(frozen=True, slots=True)
class Found:
    """One unknown name in one article."""

    name: str
    type: str      # guessed entity type
    cue: str       # the word or pattern that showed it (החלוץ, אמר, translit...)
    kind: str      # role speech event list minute club national stadium country-adjective first-name translit
    start: int     # raw offsets into Article.text
    end: int


# -- cue lexicon -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Lexicon:
    phrases: dict[str, list[tuple[tuple[str, ...], str, str]]]  # first word -> [(words, kind, type)]
    construct: frozenset[str]
    modifiers: frozenset[str]
    particles: frozenset[str]
    stop: frozenset[str]
    marks: tuple[str, ...]
    endings: tuple[str, ...]
    first_names: frozenset[str]
    club_prefixes: frozenset[str]


@lru_cache(maxsize=4)
def lexicon(catalog: Catalog) -> _Lexicon:
    """The cue words, plus the first names of the catalogue's people."""
    c, quotes, matches = cues("candidates"), cues("quotes"), cues("matches")
    phrases: dict[str, list[tuple[tuple[str, ...], str, str]]] = defaultdict(list)
    seen: set[tuple[str, ...]] = set()

    def add(words, kind, etype):
        for w in words:
            key = tuple(normalize_alias(w.rstrip(":")).split())
            if key not in seen:
                seen.add(key)
                phrases[key[0]].append((key, kind, etype))

    add(c["person_roles"] + c["speaker_words"], "role", "Person")
    add(c["event_verbs"], "event", "Person")
    for key in ("goal_events", "penalty_events", "own_goal_events", "red_card_events",
                "assist_events", "referee_prefix"):
        add(matches[key], "event", "Person")
    add(quotes["speech_verbs"], "speech", "Person")
    add(c["club_words"], "club", "Club")
    add(c["national_words"], "national", "NationalTeam")
    add(c["stadium_words"], "stadium", "Stadium")
    add(c["list_words"], "list", "Person")
    cue_words = {w for key in seen for w in key}
    return _Lexicon(
        phrases=dict(phrases), construct=frozenset(c["construct_roles"]),
        modifiers=frozenset(c["modifiers"]), particles=frozenset(c["name_particles"]),
        stop=frozenset(c["stopwords"]) | frozenset(c["modifiers"]) | cue_words,
        marks=tuple(c["translit_marks"]), endings=tuple(c["translit_endings"]),
        first_names=(frozenset(c["first_names"]) | _first_names(catalog))
        - frozenset(c["stopwords"]) - frozenset(c["name_particles"]),
        club_prefixes=frozenset(c["club_prefixes"]),
    )


def _first_names(catalog: Catalog) -> frozenset[str]:
    names = set()
    for ent in catalog.entities.values():
        if ent.type == "Person":
            for name in (ent.he, *ent.alt_he):
                words = normalize_alias(name).split()
                if len(words) >= 2 and len(words[0]) >= 2:
                    names.add(words[0])
    return frozenset(names)


# -- one article ---------------------------------------------------------------

def _tokens(norm: Normalized, covered: list[str | None]) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(norm.text):
        text, end = m.group(), m.end()
        if text.endswith("'") and (len(text) < 2 or text[-2] not in _GERESH_LETTERS):
            text, end = text[:-1], end - 1
        span = norm.raw_span(m.start(), end)
        types = {covered[i] for i in range(span.start, span.end)} - {None}
        out.append(_Tok(m.start(), end, text, (types.pop() if len(types) == 1 else "?") if types else None))
    return out


def _coverage(article: Article, mentions) -> list[str | None]:
    covered: list[str | None] = [None] * len(article.text)
    for m in mentions:
        for i in range(m.span.start, m.span.end):
            covered[i] = m.etype or "?"
    return covered


class _Scanner:
    """Walks the tokens of one article and yields :class:`Found` names."""

    def __init__(self, norm: Normalized, toks: list[_Tok], lex: _Lexicon):
        self.norm, self.toks, self.lex = norm, toks, lex

    def gap(self, i: int) -> str:
        """Text between token i and token i+1 (or the end)."""
        end = self.toks[i + 1].start if i + 1 < len(self.toks) else len(self.norm.text)
        return self.norm.text[self.toks[i].end:end]

    def gap_before(self, i: int) -> str:
        return self.norm.text[self.toks[i - 1].end if i else 0:self.toks[i].start]

    def name_like(self, i: int) -> bool:
        if not 0 <= i < len(self.toks):
            return False
        tok = self.toks[i]
        text = tok.text
        if tok.etype or len(text) < 2 or text in self.lex.stop or '"' in text:
            return False
        if text[0].isascii():
            return text[0].isupper()
        return not any(text[p:] in self.lex.stop for p in (1, 2)
                       if len(text) - p >= 3 and all(ch in "ובלמשהכ" for ch in text[:p]))

    def run(self, i: int) -> int:
        """Length (tokens) of the name starting at token i: 0, 1, 2 or 3 with a particle."""
        if not self.name_like(i):
            return 0
        n = 1
        while n < 3 and self.name_like(i + n) and self.gap(i + n - 1) == " ":
            if n == 2 and not {self.toks[i].text, self.toks[i + 1].text} & self.lex.particles:
                break
            n += 1
        return n - (self.toks[i + n - 1].text in self.lex.particles)

    def cue_at(self, i: int) -> tuple[int, str, str, str] | None:
        """(length, cue, kind, type) of the longest cue phrase at token i."""
        if i < 0:
            return None
        first, best = self.toks[i].text, None
        for p in _PREFIXES:
            for words, kind, etype in self.lex.phrases.get(first[len(p):], ()) if first.startswith(p) else ():
                n = len(words)
                if (not best or n > best[0]) and i + n <= len(self.toks) and all(
                        self.toks[i + k].text == words[k] and not self.gap(i + k - 1).strip() for k in range(1, n)):
                    best = (n, " ".join(words), kind, etype)
        return best

    def plausible(self, i: int, n: int) -> bool:
        """Whether the words look like a name without a strong context: Latin capitals,
        a transliteration mark, a known first name, or foreign endings on every word."""
        words = [t.text for t in self.toks[i:i + n]]
        return (any(w[0].isascii() for w in words)
                or any(m in w for w in words for m in self.lex.marks)
                or (n >= 2 and words[0] in self.lex.first_names)
                or all(w.endswith(self.lex.endings) for w in words))

    def found(self, i: int, n: int, etype: str, cue: str, kind: str, strip: int = 0) -> Found:
        span = self.norm.raw_span(self.toks[i].start + strip, self.toks[i + n - 1].end)
        name = " ".join(t.text for t in self.toks[i:i + n])[strip:]
        return Found(name, etype, cue, kind, span.start, span.end)

    def scan(self):
        for i in range(len(self.toks)):
            if cue := self.cue_at(i):
                yield from self.after_cue(i, *cue)
            yield from self.minute(i)
            yield from self.club_prefix(i)
            yield from self.quoted_speaker(i)
            yield from self.country_adjective(i)
            yield from self.first_name(i)
            if n := self.translit_run(i):
                yield self.found(i, n, "Person", "translit", "translit")

    def after_cue(self, i: int, n: int, cue: str, kind: str, etype: str):
        """The name after a cue of ``n`` words at token i. Role words may be followed by
        clubs, adjectives and commas first; a construct role (``חלוץ``) needs a catalogue
        name there. A minute after the name, an apposition between commas or an event
        with a colon make the context strong enough; otherwise the words must look like
        a name (:meth:`plausible`)."""
        if kind == "list":
            yield from self.listed(i + n, cue)
            return
        if kind == "speech":
            if self.gap(i + n - 1).startswith(":"):
                yield from self.before_speech(i, cue)
            if not re.search(r"[\",:]", self.gap_before(i)):
                return
        j, skipped_known = i + n, False
        while kind == "role" and j < len(self.toks) and j - i - n < 5 and re.fullmatch(r"[\s,\-]*", self.gap(j - 1)):
            tok = self.toks[j]
            adjective = tok.text.startswith("ה") and len(tok.text) >= 4 and tok.text.endswith(("י", "ית", "ים", "ות"))
            if tok.etype == "Person" or not (tok.etype or tok.text in self.lex.modifiers or adjective):
                break
            skipped_known |= bool(tok.etype)
            j += 1
        gap = self.gap(j - 1) if j < len(self.toks) else "."
        if not re.fullmatch(r"[\s,\-]*" if kind == "role" else r"\s*:?\s*", gap):
            return
        colon = ":" in self.gap(i + n - 1)
        if cue in self.lex.construct and not skipped_known and not colon:
            return
        length = self.run(j)
        after = self.gap(j + length - 1) if length else ""
        strong = (kind == "event" and colon) or bool(length and _MINUTE.match(after)) or (
            kind == "role" and "," in gap and after.lstrip().startswith(","))
        if length and (strong or self.plausible(j, length)):
            yield self.found(j, length, etype, cue, kind)

    def listed(self, j: int, cue: str):
        """``הרכב הפועל ת"א: A B, C D ו-E F``: the names after the colon."""
        k = j
        while k < len(self.toks) and k - j < 5 and ":" not in self.gap(k - 1) and "\n" not in self.gap(k - 1):
            k += 1
        if k >= len(self.toks) or ":" not in self.gap(k - 1):
            return
        while k < len(self.toks):
            text = self.toks[k].text
            last = k > j and "," not in self.gap(k - 1)  # "A, B ו-C": the and before the last name
            strip = 2 if text.startswith("ו-") else 1 if last and text.startswith("ו") and text[1:2] != "ו" else 0
            if self.toks[k].etype:
                n = 1
            elif strip and text[strip:] in self.lex.stop:
                return
            elif n := self.run(k):
                yield self.found(k, n, "Person", cue, "list", strip=strip)
            else:
                return
            k += n
            if k >= len(self.toks) or not _LIST_GAP.fullmatch(self.gap(k - 1)):
                return

    def before_speech(self, i: int, verb: str):
        """``X Y אמר:`` — the speaker stands right before the verb."""
        if (i >= 2 and self.name_like(i - 2) and self.name_like(i - 1) and self.gap(i - 2) == " " == self.gap(i - 1)
                and self.plausible(i - 2, 2)):
            yield self.found(i - 2, 2, "Person", verb, "speech")

    def minute(self, i: int):
        """``שער X Y (14)`` and ``X Y 14'``: a name before a minute, at a line or list start."""
        if _MINUTE.match(self.gap(i)) and self.name_like(i) and self.toks[i].text not in self.lex.particles:
            start = i - 1 if i and self.name_like(i - 1) and self.gap(i - 1) == " " else i
            if start == 0 or re.search(r"[\n,:]", self.gap_before(start)) or self.cue_at(start - 1):
                yield self.found(start, i - start + 1, "Person", "(minute)", "minute")

    def club_prefix(self, i: int):
        """``הפועל הוד השרון``, ``מ.ס דימונה``: a club word and an unknown town."""
        text = self.toks[i].text
        strip = next((len(p) for p in ("", "ו", "ל", "ב", "מ", "ש") if text[len(p):] in self.lex.club_prefixes), None)
        if strip is None or i + 1 >= len(self.toks) or self.gap(i) != " " or not self.name_like(i + 1):
            return
        ends = [n for n in (2, 1) if all(self.name_like(i + k) for k in range(1, n + 1))
                and all(self.gap(i + k) == " " for k in range(1, n)) and self.gap(i + n).strip()]
        if not ends:
            return
        n = ends[0]
        yield self.found(i, n + 1, "Club", text[strip:], "club", strip=strip)

    def quoted_speaker(self, i: int):
        """``מויז ספרא: "המסע רק התחיל"``: a name opening a sentence, then a colon and a quotation."""
        n = self.run(i)
        if n and n <= 2 and re.match(r'\s*:\s*"', self.gap(i + n - 1)) and (
                i == 0 or re.search(r'[\n.!?"]\s*$', self.gap_before(i))):
            yield self.found(i, n, "Person", ":", "speech")

    def country_adjective(self, i: int):
        """``באנטוורפן הבלגית``: a club before a feminine country adjective."""
        toks = self.toks
        text = toks[i].text
        if (i + 1 < len(toks) and toks[i + 1].etype == "Country" and toks[i + 1].text.endswith("ית")
                and self.name_like(i) and text[0] in "בלמ" and self.gap(i) == " "
                and len(text) >= 5 and not text.endswith(("ה", "ת"))):
            yield self.found(i, 1, "Club", toks[i + 1].text, "country-adjective", strip=1)

    def first_name(self, i: int):
        """A known first name and an unknown word after it (``ואופיר דודזאדה``). The word
        after it must not look like a definite noun, a plural or another first name."""
        text, toks = self.toks[i].text, self.toks
        strip = next((len(p) for p in _PREFIXES if text.startswith(p) and text[len(p):] in self.lex.first_names
                      and (not p or len(text) - len(p) >= 3)), None)
        if strip is None or toks[i].etype or self.gap(i) != " " or not self.name_like(i + 1):
            return
        second = toks[i + 1].text
        if second in self.lex.first_names or _DEFINITE.match(second) or second.endswith(("ים", "ות")):
            return
        n = 3 if second in self.lex.particles and self.name_like(i + 2) and self.gap(i + 1) == " " else 2
        if toks[i + n - 1].text not in self.lex.particles:
            yield self.found(i, n, "Person", "first name", "first-name", strip=strip)

    def translit_run(self, i: int) -> int:
        n = self.run(i)
        words = [t.text for t in self.toks[i:i + n]]
        if any(w.startswith("ו") and not w.startswith("וו") for w in words[1:]):
            return 0  # "ג'אבר ואטלן": two surnames joined by and
        marked = any(m in w for w in words for m in self.lex.marks)
        return n if n >= 2 and (marked or all(w.endswith(self.lex.endings) for w in words)) else 0


_STAMP = re.compile(r"\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}")


@lru_cache(maxsize=None)
def _credit_words() -> re.Pattern:
    words = "|".join(sorted(map(re.escape, cues("candidates")["credit_words"]), key=len, reverse=True))
    return re.compile(rf"(?:^|[\s(|])(?:{words})\s*:?\s*$")


def _credit(text: str, f: Found) -> bool:
    """A photo credit at the end of a line, ``(רדאד ג'בארה)``, ``(צילום: X)``, a byline
    ``X | date`` or ``X 08.09.23 - 15:27``, or a name after a credit word (``עריכת וידאו: X``)."""
    line_start = text.rfind("\n", 0, f.start) + 1
    line_end = len(text) if (e := text.find("\n", f.end)) < 0 else e
    before, after = text[line_start:f.start], text[f.end:line_end]
    in_parens = before.rfind("(") > before.rfind(")") and after.startswith(")") and not after[1:].strip()
    return (in_parens or after.lstrip().startswith("|") or bool(_STAMP.match(after))
            or bool(_credit_words().search(before[-30:])))


def _common_words(name: str, lex: _Lexicon) -> bool:
    """Every word is one hspell knows (``ברשתות החברתיות``, ``הפרש``) and the first is no
    known first name: a phrase, not a name (a transliteration mark keeps it)."""
    from kg.morphology import default_morphology

    words = name.split()
    if words[0] in lex.first_names or any(m in w for w in words for m in lex.marks):
        return False
    morph = default_morphology()
    return all(morph.analyse(w) for w in words)


def article_candidates(article: Article, catalog: Catalog | None = None) -> list[Found]:
    """Unknown names in one article, one per place (context cues win over letter shapes)."""
    catalog = catalog or default_catalog()
    norm = normalize(article.text)
    mentions = matcher_for(catalog).match(norm, article.text)
    toks = _tokens(norm, _coverage(article, mentions))
    found = sorted(_Scanner(norm, toks, lexicon(catalog)).scan(), key=lambda f: (_PRIORITY[f.kind], f.start, -f.end))
    kept: list[Found] = []
    lex = lexicon(catalog)
    for f in found:
        if normalize_alias(f.name) in catalog.aliases or _credit(article.text, f) or \
                (f.type == "Person" and f.kind != "translit" and not f.name[0].isascii()
                 and _common_words(f.name, lex)):
            continue
        if not any(f.start < k.end and k.start < f.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)
