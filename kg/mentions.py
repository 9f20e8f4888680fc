"""Normalised text + catalogue -> mentions of entities.

Policy (see ``kg/data/cues/mentions.yaml`` for the word lists):
- an alias matches whole words; up to three prefix letters (ו ה ב ל מ ש כ) may
  stand before it, with an optional hyphen (``ה-MLS``); a leading ה of the alias
  may be swallowed after ב/ל/כ (``לליגה המקסיקנית``), and a leading ו is
  doubled after a prefix (``הוונצואלי``, as Hebrew spelling without vowels writes it);
- nicknames match only with the article before them (``הצהובים``, ``לצהובים``);
- the longest match wins, then a catalogued alias over a generated spelling
  variant (``kg/variants.py``), then the earliest (spaCy's ``filter_spans``);
- a surname alone links to the person whose full name came earlier in the
  article (the most recent one, when two share it);
- an alias of several entities is decided by context (catalogue neighbours
  among the article's other entities, city cue words); otherwise the mention
  stays ambiguous, with its candidates.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

import ahocorasick

from kg.catalog import Catalog
from kg.lexicon import cues
from kg.model import Mention, Span
from kg.normalize import Normalized, normalize_alias

log = logging.getLogger(__name__)

_STOP = "stop"


def _definite_phrase(key: str) -> bool:
    """``הליגה המקסיקנית``: a definite noun + adjective, whose first ה a prefix swallows.
    A name whose ה is its own (``הפועל חיפה``) is written ``להפועל``, not ``לפועל``."""
    words = key.split()
    return len(words) >= 2 and words[0].startswith("ה") and words[1].startswith("ה")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_FINAL_LETTERS = frozenset("ךםןףץ")


def _glued(prev: str, first: str) -> bool:
    """Whether ``prev`` makes ``first`` the middle of a word. Saved pages glue a
    Hebrew word to a number (``20:30אצטדיון``) or to a word ending in a final
    letter (``צופיםליגת``): those are word starts all the same."""
    if not _is_word_char(prev):
        return False
    hebrew = "\u05d0" <= first <= "\u05ea"
    return not (hebrew and (prev.isdigit() or prev in _FINAL_LETTERS))


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int          # start of the alias (after prefix letters) in normalised text
    end: int
    key: str            # normalised alias key in the catalogue
    variant: str        # "": as written; "swallowed": its leading ה was swallowed; "doubled": וו


class Matcher:
    """An Aho-Corasick automaton over every alias of a catalogue."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        words = cues("mentions")
        self.prefixes = frozenset(words["prefix_letters"])
        self.prefix_grammar = re.compile(words["prefix_grammar"])
        self._short_cache: dict[str, tuple[str, ...]] = {}
        self.versus = re.compile(rf"(?:^|\s)(?:{'|'.join(words['versus'])})\s*-?$")
        # a country faced in national-team news is its senior men's team ("<country>-national-team"),
        # not whichever youth or women's team the catalogue lists last
        self.national_team = {}
        for e in catalog.entities.values():
            for prop, obj in (e.facts if e.type == "NationalTeam" else ()):
                if prop == "country" and (obj not in self.national_team or e.slug == f"{obj}-national-team"):
                    self.national_team[obj] = e.slug
        self.carriers = frozenset(words["definite_carriers"])
        self.city_cues = tuple(words["city_cues"])
        self.variant_keys = frozenset(k for k, pairs in catalog.aliases.items()
                                      if all(kind == "variant" for _, kind in pairs))
        self.automaton = ahocorasick.Automaton()
        for key in catalog.aliases:
            self._add(key, (key, ""))
            if _definite_phrase(key):
                self._add(key[1:], (key, "swallowed"))
            if key.startswith("ו") and not key.startswith("וו"):
                self._add("ו" + key, (key, "doubled"))
        for phrase in words["not_entities"]:
            key = normalize_alias(phrase)
            self._add(key, (_STOP, ""))
        self.automaton.make_automaton()

    def _add(self, surface: str, value: tuple[str, str]) -> None:
        """Index ``surface``; its value lists (alias key, variant, surface length)."""
        existing = self.automaton.get(surface, ())
        self.automaton.add_word(surface, (*existing, (*value, len(surface))))

    # -- scanning --------------------------------------------------------

    def _prefix_ok(self, text: str, start: int, latin: bool) -> tuple[bool, str]:
        """Whether the letters before ``start`` are a valid prefix; returns the prefix."""
        i = start
        if i > 0 and text[i - 1] == "-":
            i -= 1
        j = i
        while j > 0 and i - j < 3 and text[j - 1] in self.prefixes:
            j -= 1
        if j > 0 and _glued(text[j - 1], text[j]):
            return False, ""
        prefix = text[j:i]
        while prefix and not self.prefix_grammar.match(prefix):
            prefix = prefix[1:]  # the first letters belong to the word: no boundary here
            j += 1
            if _glued(text[j - 1], text[j]):
                return False, ""
        if i != start and not prefix:
            return latin, ""  # a hyphen with nothing before it: only before Latin/digits
        return True, prefix

    def hits(self, text: str) -> list[tuple[_Hit, str]]:
        out = []
        for end, values in self.automaton.iter(text):
            end += 1
            if end < len(text) and _is_word_char(text[end]):
                continue
            for key, variant, length in values:
                start = end - length
                latin = not ("\u0590" <= text[start] <= "\u05ff")
                ok, prefix = self._prefix_ok(text, start, latin)
                if not ok or (variant == "swallowed" and (not prefix or prefix[-1] not in self.carriers)) \
                        or (variant == "doubled" and not prefix):
                    continue
                out.append((_Hit(start, end, key, variant), prefix))
        return out

    def match(self, norm: Normalized, raw: str, on: date | None = None) -> list[Mention]:
        """The mentions of a text; ``on`` (the article's date) makes context use the
        catalogue roles of that day (a coach then, not the one of today)."""
        text = norm.text
        chosen: list[tuple[_Hit, str]] = []
        taken = SortedSpans()
        candidates = self.hits(text)
        candidates.sort(key=lambda hp: (-(hp[0].end - hp[0].start), hp[0].key in self.variant_keys,
                                        hp[0].start))
        for hit, prefix in candidates:
            if taken.overlaps(hit.start, hit.end):
                continue
            kinds = self._entities_for(hit, prefix, text)
            if not kinds or (prefix and hit.key in self.variant_keys and self._word_read(text, hit, prefix)):
                continue
            taken.add((hit.start, hit.end))
            chosen.append((hit, prefix))
        chosen.sort(key=lambda hp: hp[0].start)
        mentions = []
        for hit, prefix in chosen:
            if hit.key == _STOP:
                continue
            span = norm.raw_span(hit.start, hit.end)
            ents = self._entities_for(hit, prefix, text)
            mentions.append(self._mention(raw, span, ents))
        mentions = self._short_forms(mentions, norm, raw)
        mentions = self._resolve_ambiguous(mentions, text, norm, on)
        mentions = self._opponent_countries(mentions, norm)
        mentions = self._women_sides(mentions, text)
        return sorted(mentions, key=lambda m: m.span.start)

    def _women_sides(self, mentions: list[Mention], text: str) -> list[Mention]:
        """In a women's football article (two different ``women_words``, or a women's entity named) a
        club named plainly (``הפועל תל אביב``) is its women's side, when the catalogue
        has one (``hapoel-tel-aviv-women``); a senior national team, the women's team."""
        lex = cues("mentions")
        women = {m.entity for m in mentions if m.entity and "women" in m.entity}
        words = len(set(re.findall(rf"(?<![\w])[ובלמשכ]{{0,2}}((?:{'|'.join(map(re.escape, lex['women_words']))}))(?![\w])", text)))
        if not women and words < lex["women_min"]:
            return mentions
        out = []
        for m in mentions:
            side = f"{m.entity}-women" if m.entity and m.etype == "Club" else None
            if m.entity and m.etype == "NationalTeam" and m.entity.endswith("-national-team"):
                side = m.entity.replace("-national-team", "-women-national-team")
            if side and side in self.catalog.entities:
                m = replace(m, entity=side)
            out.append(m)
        return out

    def _word_read(self, text: str, hit: _Hit, prefix: str) -> bool:
        """Whether hspell reads a variant's first word with the letters before it as a
        word of another split (``שמרנו``, we kept, is not ``ש`` + ``מרנו``, a variant)."""
        from kg.morphology import default_morphology

        word = prefix + text[hit.start:hit.end].split()[0]
        return any(a.prefix != prefix for a in default_morphology().analyse(word))

    def _entities_for(self, hit: _Hit, prefix: str, text: str) -> list[tuple[str, str]]:
        if hit.key == _STOP:
            return [(_STOP, _STOP)]
        found = []
        for slug, kind in self.catalog.aliases[hit.key]:
            if kind == "nick" and (not prefix or prefix[-1] not in self.carriers):
                continue
            found.append((slug, kind))
        return found

    def _mention(self, raw: str, span: Span, ents: list[tuple[str, str]]) -> Mention:
        slugs = sorted({s for s, _ in ents})
        kind = ents[0][1]
        if len(slugs) == 1:
            return Mention.make(raw, span, entity=slugs[0], etype=self.catalog[slugs[0]].type, kind=kind)
        return Mention.make(raw, span, entity=None, etype=None, kind=kind, candidates=tuple(slugs))

    # -- context ---------------------------------------------------------

    def _resolve_ambiguous(self, mentions: list[Mention], text: str, norm: Normalized,
                           on: date | None = None) -> list[Mention]:
        """Decide what context can decide, strongest evidence first; names decided in
        one pass serve as context in the next (``קריית שמונה`` the club, then
        ``ברדה`` its coach)."""
        for level in (0, 1, 0, 2):  # decisions made with strong evidence serve the weaker ones
            if not any(m.entity is None and m.candidates for m in mentions):
                break
            known = {m.entity for m in mentions if m.entity}
            placed: dict[str, list[int]] = {}
            for m in mentions:
                if m.entity:
                    placed.setdefault(m.entity, []).append(m.span.start)
            mentions = [self._resolved(m, known, text, norm, placed, level, on) for m in mentions]
        for m in mentions:
            if m.entity is None and m.candidates:
                log.info("ambiguous mention %r: %s", m.surface, ", ".join(m.candidates))
        return mentions

    def _resolved(self, m: Mention, known, text, norm, placed, level: int, on: date | None = None) -> Mention:
        if m.entity is None and m.candidates:
            choice = self._decide(m, known, text, norm, placed, level, on)
            if choice:
                return Mention(m.span, m.surface, choice, self.catalog[choice].type, m.kind)
        return m

    def _decide(self, m: Mention, known: set[str], text: str, norm: Normalized, placed,
                level: int = 2, on: date | None = None) -> str | None:
        """Level 0: a city cue, a candidate named elsewhere, the nearest current
        catalogue neighbour. Level 1 adds: a club's town name is the club. Level 2
        adds: the candidate with most catalogue neighbours in the article."""
        start = bisect_left(norm.to_raw, m.span.start)  # to_raw is increasing
        before = text[max(0, start - 25):start]
        cities = [c for c in m.candidates if self.catalog[c].type == "City"]
        if len(cities) == 1 and any(cue in before for cue in self.city_cues):
            return cities[0]
        in_article = [c for c in m.candidates if c in known]
        pool = in_article or list(m.candidates)
        if len(in_article) == 1:
            return in_article[0]
        near = self._nearest(m, pool, placed, on)
        if len(near) == 1:
            return near[0]
        clubs = [c for c in pool if self.catalog[c].type == "Club"]
        if level >= 1 and len(clubs) == 1 and len(pool) == 2 and len(cities) == 1:
            return clubs[0]  # football news: a club's town name is the club, unless a city cue says so
        if level >= 2:
            scores = {c: len(self.catalog.neighbours.get(c, set()) & known) for c in pool}
            best = max(scores.values())
            winners = [c for c, s in scores.items() if s == best]
            if best > 0 and len(winners) == 1:
                return winners[0]
        return None

    def _nearest(self, m: Mention, candidates, placed: dict[str, list[int]], on: date | None = None) -> list[str]:
        """Of tied candidates, the one with a catalogue neighbour named closest to the mention
        (``מאמן האדומים אליניב ברדה``: Barda coaches Hapoel Tel Aviv)."""
        dist = {}
        for c in candidates:
            near = [_distance(placed.get(other, ()), m.span.start) for other in self.catalog.current_on(c, on)]
            dist[c] = min(near, default=10**9)
        best = min(dist.values())
        winners = [c for c, d in dist.items() if d == best]
        return winners if best < 200 else candidates

    def _opponent_countries(self, mentions: list[Mention], norm: Normalized) -> list[Mention]:
        """In national-team news a country faced (``מול סלובקיה``) is its national team."""
        if not any(m.etype == "NationalTeam" for m in mentions):
            return mentions
        out = []
        for m in mentions:
            if m.etype == "Country" and m.kind == "name" and m.entity in self.national_team:
                start = bisect_left(norm.to_raw, m.span.start)  # to_raw is increasing
                if re.search(self.versus, norm.text[max(0, start - 6):start]):
                    team = self.national_team[m.entity]
                    m = Mention(m.span, m.surface, team, "NationalTeam", m.kind)
            out.append(m)
        return out

    def _short_keys(self, slug: str) -> tuple[str, ...]:
        """A person's surnames and a club's head words, from its multi-word names (cached)."""
        if slug not in self._short_cache:
            ent = self.catalog[slug]
            keys = set()
            for name in {ent.he, *ent.alt_he}:
                parts = normalize_alias(name).split()
                if len(parts) >= 2:
                    key = parts[-1] if ent.type == "Person" else parts[0]
                    if len(key) >= (2 if ent.type == "Person" else 4):
                        keys.add(key)
            self._short_cache[slug] = tuple(sorted(keys))
        return self._short_cache[slug]

    def _short_forms(self, mentions, norm: Normalized, raw: str) -> list[Mention]:
        """Short forms of a full name in the same article: a person's surname
        (``מאס`` after ``חורחה מאס``), a club's head word (``הפועל`` after
        ``הפועל תל אביב``). The most recent full name wins; a short form
        replaces a catalogue match of another entity on the same word
        (``ברדה`` after ``אליניב ברדה`` is the coach, not NAC Breda)."""
        local: dict[str, list[tuple[int, str]]] = {}
        for m in mentions:
            if m.kind in ("name", "variant") and m.etype in ("Person", "Club"):
                for key in self._short_keys(m.entity) + _written_surname(m):
                    local.setdefault(key, []).append((m.span.end, m.entity))
        if not local:
            return mentions
        by_span = {(m.span.start, m.span.end): m for m in mentions}
        placed = SortedSpans(by_span)
        ends = {key: [end for end, _ in found] for key, found in local.items()}  # in text order
        for hit, _prefix in _local_hits(norm.text, local, self):
            span = norm.raw_span(hit.start, hit.end)
            latest = bisect_right(ends[hit.key], span.start)
            if latest:
                slug = local[hit.key][latest - 1][1]   # the most recent full name before it
            else:  # a headline may name him before the body does: only if one person fits
                named = {slug for _, slug in local[hit.key]}
                if len(named) != 1 or self.catalog[next(iter(named))].type != "Person":
                    continue
                slug = next(iter(named))
            current = by_span.get((span.start, span.end))
            overlaps = placed.overlaps(span.start, span.end, skip=(span.start, span.end))
            if overlaps or (current and current.entity == slug):
                continue
            if current and current.etype == "Person" and current.kind == "name":
                continue  # another person's own name: keep it
            kind = "surname" if self.catalog[slug].type == "Person" else "short"
            by_span[(span.start, span.end)] = Mention.make(raw, span, entity=slug,
                                                          etype=self.catalog[slug].type, kind=kind)
            if current is None:
                placed.add((span.start, span.end))
        return list(by_span.values())


def _written_surname(m: Mention) -> tuple[str, ...]:
    """The last word of a name found by a spelling variant, as the article spells it
    (``דוניס`` after ``ג'ורג'יוס דוניס``, whatever the catalogue writes)."""
    parts = normalize_alias(m.surface).split() if m.kind == "variant" else ()
    return (parts[-1],) if len(parts) >= 2 and len(parts[-1]) >= 2 else ()


def _distance(starts, pos: int) -> int:
    """How far the nearest of ``starts`` (in order) is from ``pos``."""
    i = bisect_left(starts, pos)
    return min((abs(starts[j] - pos) for j in (i - 1, i) if 0 <= j < len(starts)), default=10**9)


class SortedSpans:
    """(start, end) spans kept in order, for overlap tests in O(log n + k) rather
    than a scan of every span (which made long articles quadratic)."""

    def __init__(self, spans=()):
        self.items = sorted(spans)
        self.longest = max((e - s for s, e in self.items), default=0)

    def add(self, span: tuple[int, int]) -> None:
        insort(self.items, span)
        self.longest = max(self.longest, span[1] - span[0])

    def overlaps(self, start: int, end: int, skip=None) -> bool:
        i = bisect_left(self.items, (end,))          # the spans that open before ``end``
        while i > 0:
            i -= 1
            s, e = self.items[i]
            if s < start - self.longest:             # nothing earlier can reach ``start``
                return False
            if (s, e) != skip and s < end and start < e:
                return True
        return False


def _local_hits(text: str, keys, matcher: Matcher):
    auto = ahocorasick.Automaton()
    for key in keys:
        auto.add_word(key, key)
    auto.make_automaton()
    for end, key in auto.iter(text):
        end += 1
        start = end - len(key)
        if end < len(text) and _is_word_char(text[end]):
            continue
        ok, prefix = matcher._prefix_ok(text, start, False)
        if ok:
            yield _Hit(start, end, key, ""), prefix


@lru_cache(maxsize=4)
def matcher_for(catalog: Catalog) -> Matcher:
    return Matcher(catalog)
