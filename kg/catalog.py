"""Load and validate the curated catalogue (``kg/data/catalog/*.yaml``).

The result is a :class:`Catalog`: entities by slug, background facts, and the
alias index the mention matcher uses. Every problem is a :class:`CatalogError`
naming file, line and slug.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from kg.errors import CatalogError
from kg.lexicon import DATA, cues, outlet_records
from kg.normalize import normalize_alias
from kg.variants import VariantIndex, cached_index, changed_words, store_index, variant_index

CATALOG_DIR = DATA / "catalog"

TYPES = (
    "Person", "Club", "NationalTeam", "Competition", "League",
    "Organization", "Country", "City", "Stadium", "Outlet",
)
FACT_PROPERTIES = frozenset({
    "playsFor", "formerPlayerOf", "headCoachOf", "formerHeadCoachOf", "assistantCoachOf",
    "ownerOf", "presidentOf", "sportingDirectorOf", "captainOf", "teammateOf",
    "formerTeammateOf", "siblingOf", "competesIn", "won", "nationality", "country",
    "basedIn", "homeStadium", "memberOf",
})
KEYS = frozenset({
    "slug", "type", "en", "he", "alt_he", "alt_en", "nick_he", "demonym_he",
    "ambiguous", "wikidata", "facts", "as_of", "source", "note",
})
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")


@dataclass(frozen=True, slots=True)
class Entity:
    slug: str
    type: str
    en: str
    he: str
    alt_he: tuple[str, ...] = ()
    alt_en: tuple[str, ...] = ()
    nick_he: tuple[str, ...] = ()
    demonym_he: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    wikidata: str | None = None
    facts: tuple[tuple[str, str], ...] = ()
    # (property, object) -> its spells: ((first day, last day), ...), either end None when
    # open; a fact listed without a period somewhere is not here (it holds at any date)
    periods: dict = field(default_factory=dict, hash=False, compare=False)
    as_of: str | None = None
    source: str | None = None
    origin: str = ""  # file:line

    def aliases(self) -> list[tuple[str, str]]:
        """(alias, kind) pairs: kind is name, nick or demonym (the catalogue adds
        generated spelling variants of a person's Hebrew names, kind variant)."""
        names = [self.he, *self.alt_he, self.en, *self.alt_en]
        return (
            [(a, "name") for a in names]
            + [(a, "nick") for a in self.nick_he]
            + [(a, "demonym") for a in self.demonym_he]
        )


@dataclass(slots=True, eq=False)
class Catalog:
    entities: dict[str, Entity]
    aliases: dict[str, list[tuple[str, str]]]  # normalised alias -> [(slug, kind)]
    neighbours: dict[str, set[str]] = field(default_factory=dict)
    current: dict[str, set[str]] = field(default_factory=dict)  # neighbours by present-tense facts with no end date
    # neighbours by present-tense facts, each with its spells: slug -> [(other, first, last)]
    current_spells: dict[str, list] = field(default_factory=dict)
    variants: VariantIndex | None = None    # the generated spelling variants, and those refused

    def __getitem__(self, slug: str) -> Entity:
        return self.entities[slug]

    def __contains__(self, slug: str) -> bool:
        return slug in self.entities

    def facts(self):
        """Background facts: (subject, property, object, entity) tuples."""
        for ent in self.entities.values():
            for prop, obj in ent.facts:
                yield ent.slug, prop, obj, ent

    def current_on(self, slug: str, on: date | None = None) -> set[str]:
        """Neighbours by a present-tense role (coach, player, owner...) that held on ``on``;
        without a date, the roles with no end date (``current``)."""
        if on is None:
            return self.current.get(slug, set())
        return {other for other, start, end in self.current_spells.get(slug, ())
                if (start is None or start <= on) and (end is None or on <= end)}

    def related(self, a: str, b: str) -> bool:
        return b in self.neighbours.get(a, ())

    def fact_objects(self, slug: str, prop: str, on: date | None = None) -> list[str]:
        """Objects of ``slug``'s ``prop`` facts; with ``on`` (an article's date) only those
        that held on that day: a fact with a period (``from``/``until``) outside it is
        left out, a fact without one is kept (its time is not known)."""
        ent = self.entities.get(slug)
        if not ent:
            return []
        return [o for p, o in ent.facts if p == prop and (on is None or held_on(ent, p, o, on))]


def held_on(ent: Entity, prop: str, obj: str, on: date) -> bool:
    """Whether one of the fact's spells covers ``on`` (a fact without a period always does)."""
    spells = ent.periods.get((prop, obj))
    return spells is None or any((start is None or start <= on) and (end is None or on <= end)
                                 for start, end in spells)


def period_bound(value, last: bool, where: str) -> date:
    """A ``from``/``until`` value as a day: a season ``2024-25`` (July to June), a year
    ``2024``, a month ``2024-07`` or a day ``2024-07-15``; ``last``: its last day."""
    text = str(value).strip()
    try:
        if isinstance(value, date):
            return value
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 12, 31) if last else date(int(text), 1, 1)
        m = re.fullmatch(r"(\d{4})-(\d{2})", text)
        if m:
            y, second = int(m.group(1)), int(m.group(2))
            if second == (y + 1) % 100:   # consecutive years: a season (for that month, write the day)
                return date(y + 1, 6, 30) if last else date(y, 7, 1)
            if 1 <= second <= 12:
                if not last:
                    return date(y, second, 1)
                nxt = date(y + (second == 12), second % 12 + 1, 1)
                return date.fromordinal(nxt.toordinal() - 1)
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    raise CatalogError(f"{where}: a period bound is a season (2024-25), year, YYYY-MM or YYYY-MM-DD, got {value!r}")


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Records the line of every mapping as ``__line__``."""


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _records(path: Path) -> list[dict]:
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_LineLoader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: invalid YAML: {exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise CatalogError(f"{path}: expected a list of entries")
    return data


def _strings(rec: dict, key: str, where: str) -> tuple[str, ...]:
    val = rec.get(key) or ()
    if isinstance(val, str) or not all(isinstance(v, str) and v.strip() for v in val):
        raise CatalogError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(v.strip() for v in val)


def _entity(rec: dict, where: str) -> Entity:
    if not isinstance(rec, dict):
        raise CatalogError(f"{where}: an entry must be a mapping")
    slug = rec.get("slug")
    where = f"{where} ({slug})"
    unknown = set(rec) - KEYS - {"__line__"}
    if unknown:
        raise CatalogError(f"{where}: unknown key(s) {sorted(unknown)}")
    for key in ("slug", "type", "en", "he"):
        if not isinstance(rec.get(key), str) or not rec[key].strip():
            raise CatalogError(f"{where}: missing '{key}'")
    if not _SLUG.match(slug):
        raise CatalogError(f"{where}: slug must be lowercase ASCII words joined by '-'")
    if rec["type"] not in TYPES:
        raise CatalogError(f"{where}: unknown type {rec['type']!r} (one of {', '.join(TYPES)})")
    wikidata = rec.get("wikidata")
    if wikidata is not None and not _QID.match(str(wikidata)):
        raise CatalogError(f"{where}: wikidata must look like Q123, got {wikidata!r}")
    facts, periods, undated = [], {}, set()
    for fact in rec.get("facts") or ():
        if not (isinstance(fact, list) and len(fact) in (2, 3) and all(isinstance(x, str) for x in fact[:2])
                and (len(fact) == 2 or isinstance(fact[2], dict))):
            raise CatalogError(f"{where}: a fact is [property, object-slug] or [property, object-slug, "
                               f"{{from: .., until: ..}}], got {fact!r}")
        if fact[0] not in FACT_PROPERTIES:
            raise CatalogError(f"{where}: unknown fact property {fact[0]!r}")
        if len(fact) == 3:
            bounds = {k: v for k, v in fact[2].items() if k != "__line__"}
            if not bounds or set(bounds) - {"from", "until"}:
                raise CatalogError(f"{where}: a fact's period has 'from' and/or 'until', got {sorted(bounds)}")
            start = period_bound(bounds["from"], False, where) if bounds.get("from") is not None else None
            end = period_bound(bounds["until"], True, where) if bounds.get("until") is not None else None
            if start and end and end < start:
                raise CatalogError(f"{where}: fact {fact[0]} {fact[1]} ends before it starts")
            periods.setdefault((fact[0], fact[1]), []).append((start, end))   # a second spell: another entry
        else:
            undated.add((fact[0], fact[1]))
        if (fact[0], fact[1]) not in facts:
            facts.append((fact[0], fact[1]))
    periods = {k: tuple(v) for k, v in periods.items() if k not in undated}
    return Entity(
        slug=slug, type=rec["type"], en=rec["en"].strip(), he=rec["he"].strip(),
        alt_he=_strings(rec, "alt_he", where), alt_en=_strings(rec, "alt_en", where),
        nick_he=_strings(rec, "nick_he", where), demonym_he=_strings(rec, "demonym_he", where),
        ambiguous=_strings(rec, "ambiguous", where), wikidata=wikidata,
        facts=tuple(facts), periods=periods, as_of=str(rec["as_of"]) if rec.get("as_of") else None,
        source=rec.get("source"), origin=where,
    )


def _outlets() -> list[Entity]:
    return [
        Entity(slug=r["slug"], type="Outlet", en=r["en"], he=r["he"], origin="outlets.yaml")
        for r in outlet_records()
    ]


def build_catalog(entities: list[Entity], variants: bool = True) -> Catalog:
    """Index and cross-check entities (duplicates, dangling facts, shared aliases); with
    ``variants``, add the spelling variants of people's Hebrew names (:mod:`kg.variants`)."""
    by_slug: dict[str, Entity] = {}
    for ent in entities:
        if ent.slug in by_slug:
            raise CatalogError(f"{ent.origin}: duplicate slug, first defined at {by_slug[ent.slug].origin}")
        by_slug[ent.slug] = ent
    aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for ent in by_slug.values():
        if ent.type == "Outlet":
            continue
        declared = {normalize_alias(a) for a in ent.ambiguous}
        for alias, kind in ent.aliases():
            key = normalize_alias(alias)
            if len(key) < 2 or (slug_kind := (ent.slug, kind)) in aliases[key]:
                continue
            others = {s for s, _ in aliases[key] if s != ent.slug}
            for other in others:
                if key not in declared or key not in {normalize_alias(a) for a in by_slug[other].ambiguous}:
                    raise CatalogError(
                        f"{ent.origin}: alias {alias!r} is also an alias of {other} "
                        f"({by_slug[other].origin}); list it under 'ambiguous' in both"
                    )
            aliases[key].append(slug_kind)
    index = _variant_aliases(by_slug, aliases) if variants else None
    neighbours: dict[str, set[str]] = defaultdict(set)
    current: dict[str, set[str]] = defaultdict(set)
    spells: dict[str, list] = defaultdict(list)
    for ent in by_slug.values():
        for prop, obj in ent.facts:
            if obj not in by_slug:
                raise CatalogError(f"{ent.origin}: fact {prop} -> unknown slug {obj!r}")
            periods = ent.periods.get((prop, obj), ((None, None),))
            ended = all(end is not None for _, end in periods)
            present = not prop.startswith("former") and not ended    # a role with an end date is past
            if not prop.startswith("former"):
                for start, end in periods:
                    spells[ent.slug].append((obj, start, end))
                    spells[obj].append((ent.slug, start, end))
            for table in (neighbours, current) if present else (neighbours,):
                table[ent.slug].add(obj)
                table[obj].add(ent.slug)
    return Catalog(entities=by_slug, aliases=dict(aliases), neighbours=dict(neighbours),
                   current=dict(current), current_spells=dict(spells), variants=index)


def _variant_aliases(by_slug: dict[str, Entity], aliases: dict[str, list]) -> VariantIndex:
    """Generated spellings of every person's Hebrew names become aliases of kind
    ``variant``, unless one is an alias of another entity, a variant of another person,
    a declared ambiguous alias, a listed non-entity or contains a word hspell knows."""
    from kg.morphology import default_morphology

    people = {e.slug: sorted({normalize_alias(n) for n in (e.he, *e.alt_he)})
              for e in by_slug.values() if e.type == "Person"}
    reserved = {normalize_alias(a) for e in by_slug.values() for a in e.ambiguous}
    reserved |= {normalize_alias(p) for p in cues("mentions")["not_entities"]}
    index = cached_index(people, aliases, reserved)
    if index is None:
        morph = default_morphology()
        morph.analyse_many(changed_words(n for names in people.values() for n in names))
        index = variant_index(people, aliases, reserved, refuse=lambda w: bool(morph.analyse(w)))
        store_index(people, aliases, reserved, index)
    for key, slug in index.keys.items():
        aliases[key].append((slug, "variant"))
    return index


def load_catalog(directory: Path | str = CATALOG_DIR) -> Catalog:
    directory = Path(directory)
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise CatalogError(f"{directory}: no catalogue files (*.yaml)")
    entities = []
    for path in files:
        for i, rec in enumerate(_records(path)):
            line = rec.get("__line__", i + 1) if isinstance(rec, dict) else i + 1
            entities.append(_entity(rec, f"{path.name}:{line}"))
    return build_catalog(entities + _outlets())


@lru_cache(maxsize=None)
def default_catalog() -> Catalog:
    """The packaged catalogue, or the folder named by ``$KG_CATALOG``."""
    return load_catalog(os.environ.get("KG_CATALOG") or CATALOG_DIR)
