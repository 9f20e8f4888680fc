"""Named queries: ``queries/<name>.rq`` files with ``# title:``, ``# description:``
and ``# param: NAME TYPE description`` headers and their own PREFIX lines.

Parameters are bound, never spliced: each value becomes an rdflib term, written
with ``n3()`` (which escapes), in a ``VALUES`` block. The block goes where the
query has a ``#@values`` comment line (at each, when it has several: the branches of
a UNION are evaluated apart), else at the start of its WHERE group.
A value holding quotes, braces or SPARQL keywords is just a value.

Parameter types: ``entity`` (slug, IRI, or any label, Hebrew or English),
``article`` (IRI, local name or source URL), ``date``, ``int``, ``string``,
``iri``, ``rule`` (rule id like ``owner-possessive.v1``) and ``class`` (an
``fk:`` class name like ``Person``). A type ending in ``?`` makes the parameter
optional: the query then sees the variable unbound (``!BOUND(?x) || ...``).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import KGError, QueryError
from kg.vocab import FK, FKA, FKE, RULE

log = logging.getLogger(__name__)
PARAM_TYPES = ("entity", "article", "date", "int", "string", "iri", "rule", "class")
_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*)$")
_IRI_VALUE = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", re.I)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    required: bool = True


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    text: str


from kg.sparql_lex import (  # noqa: E402,F401 - the lexer lives in the rdf layer; kept importable here
    QUERY_FORMS, UPDATE_WORDS, keywords, query_form, remote_calls, tokens,
)


def values_offsets(text: str) -> list[int]:
    """Where the VALUES block goes: after each ``#@values`` comment (a query whose UNION
    branches each need the values marks each), else the one place of :func:`values_offset`."""
    marks = [at + len(t) for kind, t, at in tokens(text) if kind == "comment" and t[1:].strip() == "@values"]
    if marks:
        return marks
    at = values_offset(text)
    return [] if at is None else [at]


def values_offset(text: str) -> int | None:
    """Where a VALUES block goes: after a ``#@values`` comment, else inside the WHERE group."""
    toks = list(tokens(text))
    for kind, t, at in toks:
        if kind == "comment" and t[1:].strip() == "@values":
            return at + len(t)
    form = None
    for i, (kind, t, at) in enumerate(toks):
        if kind != "word":
            continue
        word = t.upper()
        if word == "WHERE" and i + 1 < len(toks) and toks[i + 1][1] == "{":
            return toks[i + 1][2] + 1
        if form is None and word in QUERY_FORMS:
            form = (word, i)
    if form and form[0] != "CONSTRUCT":
        brace = next((at for kind, t, at in toks[form[1]:] if t == "{"), None)
        return brace + 1 if brace is not None else None
    return None


# -- loading


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


def _param(value: str, where: str) -> Param:
    parts = value.split(None, 2)
    kind = parts[1].rstrip("?") if len(parts) > 1 else ""
    if kind not in PARAM_TYPES:
        raise QueryError(f"{where}: '# param: NAME TYPE description', TYPE one of "
                         f"{', '.join(PARAM_TYPES)} (with '?' when optional)")
    return Param(parts[0], kind, parts[2] if len(parts) > 2 else "", not parts[1].endswith("?"))


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
            params.append(_param(value, f"{path}:{lineno}"))
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


# -- entity resolution: slug, IRI, catalogue alias, or a label in the store

_STORE_LABEL = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?e WHERE {
  VALUES ?v { %s }
  ?e rdfs:label|skos:altLabel ?l .
  FILTER (REPLACE(REPLACE(LCASE(STR(?l)), "\u05f4", "\\""), "\u05f3", "'") = ?v)
  FILTER (STRSTARTS(STR(?e), "https://w3id.org/footkg/entity/"))
}"""
_STORE_HAS = "ASK { VALUES ?e { %s } { ?e ?p ?o } UNION { ?s ?p ?e } }"
# quote marks a label may be written with or without: בית"ר, בית״ר, ביתר, ב׳ש, ב'ש
_MARKS = "\"'`\u00b4\u05f3\u05f4\u2018\u2019\u201c\u201d\u201e\u2032\u2033"
_MARK_RE = re.compile(f"[{re.escape(_MARKS)}]")
_STORE_UNMARKED = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?e WHERE {
  VALUES ?v { %s }
  ?e rdfs:label|skos:altLabel ?l .
  FILTER (REPLACE(LCASE(STR(?l)), %s, "") = ?v)
  FILTER (STRSTARTS(STR(?e), "https://w3id.org/footkg/entity/"))
}"""


def unmarked(text: str) -> str:
    """A label without its quote marks (geresh, gershayim and their look-alikes), lower case."""
    return _MARK_RE.sub("", text).lower()


def _catalog_hits(value: str, catalog) -> set[str]:
    from kg.normalize import normalize_alias

    key = normalize_alias(value)
    hits = {s for s, _ in catalog.aliases.get(key, [])}
    if not hits:
        low = key.lower()
        hits = {e.slug for e in catalog.entities.values()
                if low in (e.en.lower(), *(a.lower() for a in e.alt_en))}
    if not hits:  # the same label with other quote marks, or none: ביתר for בית"ר
        bare = unmarked(key)
        hits = {s for alias, found in catalog.aliases.items() if unmarked(alias) == bare for s, _ in found}
    if not hits:  # a surname alone, as articles use it after the full name
        hits = {e.slug for e in catalog.entities.values() if e.type == "Person" and (
            key == normalize_alias(e.he).split()[-1] or key.lower() == e.en.lower().split()[-1])}
    return hits


def _store_hits(value: str, store) -> set[str]:
    from kg.normalize import normalize_alias

    keys = {value.strip().lower(), normalize_alias(value).lower()}
    rows = store.query(_STORE_LABEL % " ".join(Literal(k).n3() for k in sorted(keys))).rows
    if not rows:
        bare = sorted({unmarked(k) for k in keys})
        pattern = Literal(f"[{_MARKS}]").n3()
        rows = store.query(_STORE_UNMARKED % (" ".join(Literal(k).n3() for k in bare), pattern)).rows
    return {str(r["e"])[len(str(FKE)):] for r in rows}


def _default_catalog():
    from kg.catalog import default_catalog

    try:
        return default_catalog()
    except KGError as exc:
        log.warning("catalogue not loaded (%s); entities are looked up in the store only", exc)
        return None


def resolve_entity(value: str, catalog=None, store=None) -> URIRef:
    """An entity by IRI, slug, catalogue name or alias, or a label in the store."""
    value = value.strip()
    if value.startswith(str(FKE)):
        return URIRef(value)
    catalog = catalog if catalog is not None else _default_catalog()
    if catalog is not None and value in catalog:
        return FKE[value]
    hits = _catalog_hits(value, catalog) if catalog is not None else set()
    if not hits and store is not None:
        hits = _store_hits(value, store)
        if not hits and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
            if store.query(_STORE_HAS % FKE[value].n3()).boolean:
                hits = {value}
    if len(hits) == 1:
        return FKE[hits.pop()]
    if hits:
        raise QueryError(f"{value!r} names several entities: {', '.join(sorted(hits))}; give the slug")
    raise QueryError(f"no entity called {value!r} in the catalogue or the store")


# -- binding


def _iri(value: str) -> URIRef:
    if not _IRI_VALUE.match(value):
        raise ValueError("not an IRI")
    return URIRef(value)


def _article(value: str) -> URIRef:
    if value.startswith(str(FKA)):
        return _iri(value)
    if value.startswith(("http://", "https://")):
        from kg.read import article_iri
        return article_iri("", _iri(value))
    return _iri(FKA + value)


def _class(value: str) -> URIRef:
    name = value.rsplit("#", 1)[-1].removeprefix("fk:")
    if re.fullmatch(r"[A-Z][A-Za-z]*", name) and hasattr(FK, name):
        return getattr(FK, name)
    raise ValueError(f"no class fk:{name} in the footkg vocabulary")


def to_term(param: Param, value: str, *, catalog=None, store=None):
    try:
        if param.type == "entity":
            return resolve_entity(value, catalog, store)
        if param.type == "article":
            return _article(value)
        if param.type == "date":
            return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
        if param.type == "int":
            return Literal(int(value))
        if param.type == "rule":
            return _iri(value if value.startswith(str(RULE)) else RULE + value)
        if param.type == "class":
            return _class(value)
        if param.type == "iri":
            return _iri(value)
        return Literal(value)
    except ValueError as exc:
        raise QueryError(f"parameter {param.name}={value!r}: {exc}") from exc


def bind(query: NamedQuery, values: dict[str, str], *, catalog=None, store=None) -> str:
    """The query text with a VALUES block for the given parameters."""
    known = {p.name: p for p in query.params}
    unknown = set(values) - set(known)
    if unknown:
        raise QueryError(f"{query.name}: unknown parameter(s) {sorted(unknown)}; "
                         f"it takes {', '.join(known) or 'none'}")
    missing = [p.name for p in query.params if p.required and p.name not in values]
    if missing:
        raise QueryError(f"{query.name}: missing parameter(s) {', '.join(missing)} "
                         f"(--param {missing[0]}=...)")
    if not values:
        return query.text
    names = sorted(values)
    terms = [to_term(known[n], values[n], catalog=catalog, store=store).n3() for n in names]
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"
    marks = values_offsets(query.text)
    if not marks:
        return f"{query.text}\n{block}\n"
    text, last = [], 0
    for at in marks:
        text.append(f"{query.text[last:at]}\n  {block}\n")
        last = at
    return "".join(text) + query.text[last:]


def run(store, name_or_path: str, values: dict[str, str] | None = None, *, catalog=None):
    """Run a named query (or a .rq file) on a store, its parameters bound."""
    q = load_query(name_or_path)
    text = bind(q, values or {}, catalog=catalog, store=store)
    try:
        return store.query(text)
    except QueryError:
        raise
    except Exception as exc:  # the store's error, named after the query
        raise QueryError(f"{q.path}: {exc}") from exc
