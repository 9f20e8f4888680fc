"""A remote SPARQL 1.1 Query/Update endpoint behind the same interface as the embedded store.

Where it is (``--store``, ``$KG_STORE`` or a config file):

- ``http://host:7878``: a base URL, Oxigraph's convention: ``/query`` and ``/update``;
  a base with a path (``http://host:3030/ds``, Fuseki) gets the same suffixes;
- ``http://host/sparql`` or ``.../query``: the query URL; updates go to the same
  ``/sparql`` (Virtuoso, Neptune) or to ``.../update``;
- ``query=URL,update=URL[,union=oxigraph|fuseki|none]``: both explicit;
- ``footkg.toml`` or ``.kg.toml`` in the working directory (or ``$KG_CONFIG``), a
  ``[store]`` table with ``location`` (a directory) or ``url``/``query``/``update``,
  ``union``, ``user``, ``timeout``.

footkg's queries read the union of the named graphs as the default graph.
``union`` says how to ask the server for that: ``oxigraph`` adds the
``union-default-graph`` parameter (the default for a bare base URL), ``fuseki``
sends ``default-graph-uri=urn:x-arq:UnionGraph``, ``none`` relies on the
server (Virtuoso, GraphDB and Neptune query all graphs by default).

Credentials come from ``$KG_STORE_TOKEN`` (bearer) or ``$KG_STORE_USER`` /
``$KG_STORE_PASSWORD`` (basic), the config file, or the URL's ``user:password@``;
they are sent in a header and never appear in messages.

Results are asked for as SPARQL JSON (some servers' XML breaks rdflib on
``@he`` literals) and graphs as N-Triples.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from kg.errors import StoreError
from kg.sparql_lex import query_form
from kg.rdfterms import Result, insert_data, insert_text, to_rdflib

log = logging.getLogger(__name__)
CONFIG_FILES = ("footkg.toml", ".kg.toml")
UNION_PARAMS = {"oxigraph": {"union-default-graph": ""},
                "fuseki": {"default-graph-uri": "urn:x-arq:UnionGraph"}, "none": {}}
GRAPH_MEDIA = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
               "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
               "application/rdf+xml": ox.RdfFormat.RDF_XML}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Endpoint:
    query: str
    update: str
    union: str = "none"
    timeout: float = 60.0
    headers: dict = field(default_factory=dict, repr=False, compare=False)  # credentials

    @property
    def name(self) -> str:
        return self.query


# -- where the store is


def load_config() -> tuple[dict, Path | None]:
    """The ``[store]`` table of ``$KG_CONFIG``, ``footkg.toml`` or ``.kg.toml``, and its path."""
    names = [os.environ["KG_CONFIG"]] if os.environ.get("KG_CONFIG") else CONFIG_FILES
    for name in names:
        path = Path(name)
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise StoreError(f"{path}: invalid config file: {exc}") from exc
            table = data.get("store", {})
            if not isinstance(table, dict):
                raise StoreError(f"{path}: [store] must be a table")
            return table, path
        if os.environ.get("KG_CONFIG"):
            raise StoreError(f"{path}: no such config file ($KG_CONFIG)")
    return {}, None


def configured_location() -> str | None:
    """The store the config file names, as a ``--store`` value (credentials stay out of it)."""
    table, path = load_config()
    if "location" in table:
        return str(path.resolve().parent / table["location"])  # relative to the config file
    if "query" in table:
        parts = [f"query={table['query']}", f"update={table.get('update', table['query'])}"]
        if "union" in table:
            parts.append(f"union={table['union']}")
        return ",".join(parts)
    return table.get("url")


def _strip_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    parts = urlsplit(url)
    if not parts.username:
        return url, None
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, (parts.username, parts.password or "")


def _urls(location: str) -> tuple[str, str, str]:
    """(query URL, update URL, default union mode) for a one-URL location."""
    path = urlsplit(location).path.rstrip("/")
    base = location.rstrip("/")
    if path.endswith("/sparql"):
        return base, base, "none"
    if path.endswith("/query"):
        return base, base[: -len("query")] + "update", "none"
    return base + "/query", base + "/update", "oxigraph" if not path else "none"


def _auth_headers(table: dict, userinfo) -> dict:
    token = os.environ.get("KG_STORE_TOKEN") or table.get("token")
    if token:
        return {"Authorization": f"Bearer {token}"}
    user = os.environ.get("KG_STORE_USER") or table.get("user")
    password = os.environ.get("KG_STORE_PASSWORD") or table.get("password")
    if user is None and userinfo:
        user, password = userinfo
    if user is None:
        return {}
    pair = f"{user}:{password or ''}".encode("utf-8")
    return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


def remote_endpoint(location: str | None) -> Endpoint | None:
    """The endpoint a ``--store`` value names, or None for an embedded store directory."""
    if not location:
        return None
    table, _ = load_config()
    timeout = float(table.get("timeout", 60))
    if location.startswith(("query=", "update=")):
        spec = dict(item.split("=", 1) for item in location.split(",") if "=" in item)
        if "query" not in spec:
            raise StoreError("a store spec needs query=URL (and update=URL for writing)")
        query, userinfo = _strip_userinfo(spec["query"])
        update, _ = _strip_userinfo(spec.get("update", spec["query"]))
        union = spec.get("union", "none")
    elif location.startswith(("http://", "https://")):
        url, userinfo = _strip_userinfo(location)
        query, update, union = _urls(url)
        union = table.get("union", union)
    else:
        return None
    if union not in UNION_PARAMS:
        raise StoreError(f"union={union!r}: one of {', '.join(UNION_PARAMS)}")
    return Endpoint(query, update, union, timeout, _auth_headers(table, userinfo))


# -- SPARQL JSON results -> rdflib terms


def from_json(t: dict):
    kind = t.get("type")
    if kind == "uri":
        return URIRef(t["value"])
    if kind == "bnode":
        return BNode(t["value"])
    if kind in ("literal", "typed-literal"):
        lang = t.get("xml:lang")
        dt = t.get("datatype")
        if lang or dt in (None, _XSD_STRING, _LANG_STRING):
            return Literal(t["value"], lang=lang)
        return Literal(t["value"], datatype=URIRef(dt))
    raise StoreError(f"unsupported term in the endpoint's results: {kind!r}")


def parse_results(data: bytes) -> Result:
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"the endpoint's answer is not SPARQL JSON: {exc}") from exc
    if "boolean" in doc:
        return Result("ask", boolean=bool(doc["boolean"]))
    names = doc.get("head", {}).get("vars", [])
    rows = [{k: from_json(v) for k, v in b.items()} for b in doc.get("results", {}).get("bindings", [])]
    return Result("select", vars=names, rows=rows)


# -- the store


class RemoteStore:
    """A SPARQL 1.1 endpoint with the EmbeddedStore's methods. Each write is one update request."""

    def __init__(self, location: str | Endpoint, *, read_only: bool = False):
        endpoint = location if isinstance(location, Endpoint) else remote_endpoint(location)
        if endpoint is None:
            raise StoreError(f"{location}: not a SPARQL endpoint URL")
        self.endpoint = endpoint
        self.location = endpoint.name
        self.read_only = read_only

    # HTTP
    def _post(self, url: str, form: dict, accept: str, params: dict | None = None) -> tuple[bytes, str]:
        target = url + ("?" + urlencode(params) if params else "")
        body = urlencode(form).encode("utf-8")
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                   **self.endpoint.headers}
        req = urllib.request.Request(target, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.endpoint.timeout) as resp:
                return resp.read(), resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            detail = exc.read(400).decode("utf-8", "replace").strip()
            raise StoreError(f"{url}: HTTP {exc.code} {exc.reason}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"{url}: cannot reach the endpoint: {reason}") from None

    def _update(self, sparql: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.location}: opened read-only")
        self._post(self.endpoint.update, {"update": sparql}, "*/*")

    # writing
    def replace_graph(self, graph_iri: str, graph: Graph, *, add: dict[str, Graph] | None = None,
                      drop: tuple[str, ...] = ()) -> None:
        self._update(insert_data(graph_iri, graph, add=add, drop=drop))

    def write_triples(self, graph_iri: str, ntriples: str, *, add: dict[str, str] | None = None,
                      drop: tuple[str, ...] = ()) -> bool:
        """:meth:`replace_graph` for triples written as N-Triples lines (one update). True:
        it may have replaced a graph (the server is not asked)."""
        self._update(insert_text(graph_iri, ntriples, add=add, drop=drop))
        return True

    def remove_graph(self, graph_iri: str) -> None:
        self._update(f"DROP SILENT GRAPH {URIRef(graph_iri).n3()}")

    def flush(self) -> None:
        """Every update is committed by the server when it answers."""

    # reading
    def query(self, sparql: str) -> Result:
        params = UNION_PARAMS[self.endpoint.union]
        if query_form(sparql) in ("construct", "describe"):
            data, ctype = self._post(self.endpoint.query, {"query": sparql},
                                     "application/n-triples, text/turtle;q=0.8", params)
            g = Graph()
            for t in self._triples(data, ctype):
                g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
            return Result("graph", graph=g)
        data, _ = self._post(self.endpoint.query, {"query": sparql},
                             "application/sparql-results+json", params)
        return parse_results(data)

    def _triples(self, data: bytes, ctype: str):
        fmt = GRAPH_MEDIA.get(ctype.split(";")[0].strip().lower())
        if fmt is None:
            raise StoreError(f"{self.location}: graph results came as {ctype!r}; "
                             "expected N-Triples or Turtle")
        try:
            return list(ox.parse(data, format=fmt))
        except SyntaxError as exc:
            raise StoreError(f"{self.location}: unreadable graph result: {exc}") from exc

    def graphs(self) -> list[str]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        return sorted(str(r["g"]) for r in rows if isinstance(r.get("g"), URIRef))

    def graph_triples(self, graph_iri: str) -> list:
        """One named graph's triples (pyoxigraph terms)."""
        sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {URIRef(graph_iri).n3()} {{ ?s ?p ?o }} }}"
        data, ctype = self._post(self.endpoint.query, {"query": sparql},
                                 "application/n-triples, text/turtle;q=0.8")
        return self._triples(data, ctype)

    def nquads(self) -> bytes:
        """Every quad of every named graph as N-Quads, lines sorted (byte-stable), graph by graph."""
        lines: set[str] = set()
        for iri in self.graphs():
            g = ox.NamedNode(iri)
            quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in self.graph_triples(iri)]
            lines.update(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines())
        return ("\n".join(sorted(lines)) + "\n").encode("utf-8") if lines else b""

    def count(self) -> int:
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(res.rows[0]["n"])

    def close(self) -> None:
        """Nothing to release: each request has its own connection."""
