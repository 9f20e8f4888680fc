"""Named queries: ``queries/<name>.rq`` files with ``# title:``, ``# description:``
and ``# param: NAME TYPE description`` headers and their own PREFIX lines.

Parameters are bound, never spliced: each value becomes an rdflib term, written
with ``n3()`` (which escapes), in a ``VALUES`` block placed at the start of the
query's first group. A value holding quotes, braces or SPARQL keywords is just
a value. Parameter types: ``entity`` (slug or any label, Hebrew or English),
``article`` (IRI or source URL), ``date``, ``int``, ``string``, ``iri``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.catalog import Catalog, default_catalog
from kg.errors import QueryError
from kg.normalize import normalize_alias
from kg.vocab import FKA, FKE

PARAM_TYPES = ("entity", "article", "date", "int", "string", "iri")
_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    text: str


def query_dirs() -> list[Path]:
    """Where named queries are looked up: $KG_QUERIES, ./queries, the source tree's queries/."""
    dirs = [Path(d) for d in os.environ.get("KG_QUERIES", "").split(os.pathsep) if d]
    dirs += [Path("queries"), Path(__file__).resolve().parent.parent / "queries"]
    seen, out = set(), []
    for d in dirs:
        if d.is_dir() and d.resolve() not in seen:
            seen.add(d.resolve())
            out.append(d)
    return out


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {"title": "", "description": ""}
    params = []
    for lineno, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line.strip())
        if not m:
            continue
        key, value = m.groups()
        if key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1] not in PARAM_TYPES:
                raise QueryError(f"{path}:{lineno}: '# param: NAME TYPE description', TYPE one of {PARAM_TYPES}")
            params.append(Param(parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
        else:
            meta[key] = (meta[key] + " " + value).strip()
    if not meta["title"]:
        raise QueryError(f"{path}: missing '# title:' header")
    return NamedQuery(path.stem, path, meta["title"], meta["description"], tuple(params), text)


def named_queries() -> dict[str, NamedQuery]:
    found: dict[str, NamedQuery] = {}
    for d in query_dirs():
        for path in sorted(d.glob("*.rq")):
            found.setdefault(path.stem, parse_query_file(path))
    return found


def load_query(name_or_path: str) -> NamedQuery:
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.exists():
        return parse_query_file(path)
    queries = named_queries()
    if name_or_path not in queries:
        raise QueryError(f"unknown query {name_or_path!r}; 'kg query --list' shows the named queries")
    return queries[name_or_path]


def resolve_entity(value: str, catalog: Catalog | None = None) -> URIRef:
    """An entity by slug, IRI, or any label or alias (Hebrew or English)."""
    catalog = catalog or default_catalog()
    if value.startswith(str(FKE)):
        return URIRef(value)
    if value in catalog:
        return FKE[value]
    key = normalize_alias(value)
    hits = {s for s, _ in catalog.aliases.get(key, [])}
    if not hits:
        low = key.lower()
        hits = {e.slug for e in catalog.entities.values()
                if low in (e.en.lower(), *(a.lower() for a in e.alt_en))}
    if not hits:  # a surname alone, as articles use it after the full name
        hits = {e.slug for e in catalog.entities.values() if e.type == "Person" and (
            key == normalize_alias(e.he).split()[-1] or key.lower() == e.en.lower().split()[-1])}
    if len(hits) == 1:
        return FKE[hits.pop()]
    if hits:
        raise QueryError(f"{value!r} names several entities: {', '.join(sorted(hits))}; give the slug")
    raise QueryError(f"no entity called {value!r} in the catalogue")


def to_term(param: Param, value: str):
    try:
        if param.type == "entity":
            return resolve_entity(value)
        if param.type == "article":
            if value.startswith(str(FKA)):
                return URIRef(value)
            if value.startswith(("http://", "https://")):
                from kg.read import article_iri
                return article_iri("", value)
            return FKA[value]
        if param.type == "date":
            return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
        if param.type == "int":
            return Literal(int(value))
        if param.type == "iri":
            if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value, re.I):
                raise ValueError("not an IRI")
            return URIRef(value)
        return Literal(value)
    except ValueError as exc:
        raise QueryError(f"parameter {param.name}={value!r}: {exc}") from exc


def bind(query: NamedQuery, values: dict[str, str]) -> str:
    """The query text with a VALUES block for the given parameters."""
    known = {p.name: p for p in query.params}
    unknown = set(values) - set(known)
    if unknown:
        raise QueryError(f"{query.name}: unknown parameter(s) {sorted(unknown)}; "
                         f"it takes {', '.join(known) or 'none'}")
    if not values:
        return query.text
    names = sorted(values)
    terms = [to_term(known[n], values[n]).n3() for n in names]
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"
    m = re.search(r"\bWHERE\s*\{", query.text, re.IGNORECASE)
    if not m:
        return f"{query.text}\n{block}\n"
    return f"{query.text[:m.end()]}\n  {block}\n{query.text[m.end():]}"


def run(store, name_or_path: str, values: dict[str, str] | None = None):
    q = load_query(name_or_path)
    try:
        return store.query(bind(q, values or {}))
    except QueryError:
        raise
    except Exception as exc:  # the store's error, named after the query
        raise QueryError(f"{q.path}: {exc}") from exc
