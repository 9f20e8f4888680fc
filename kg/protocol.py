"""The SPARQL 1.1 Protocol side of ``kg serve`` that both the HTTP server and its
worker processes use: the endpoint's settings, result formats and their media types,
content negotiation, and the refusal a request gets. Kept apart from ``kg.serve``
(HTTP) and ``kg.workers`` (the engine) so that neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import StoreError


class Refused(Exception):
    """A request the endpoint answers with an error status and a message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
    "text/plain": "ntriples", "application/rdf+xml": "rdfxml", "application/xml": "rdfxml",
    "application/ld+json": "jsonld",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml", "jsonld": "application/ld+json",
}
SHORT_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle",
               "ttl": "turtle", "nt": "ntriples", "ntriples": "ntriples", "n-triples": "ntriples",
               "rdfxml": "rdfxml", "rdf+xml": "rdfxml", "jsonld": "jsonld", "json-ld": "jsonld"}


@dataclass(frozen=True)
class ServeConfig:
    location: str
    host: str = "127.0.0.1"
    port: int = 7878
    allow_update: bool = False
    token: str | None = None
    allow_service: bool = False
    timeout: float = 10.0          # seconds per query or update
    max_rows: int = 10_000         # rows (SELECT) or triples (CONSTRUCT) per result
    workers: int = 2               # read-only mode; update mode always uses one
    max_result_bytes: int = 8 * 1024 * 1024  # bytes of a serialized result

    def check(self) -> None:
        if self.allow_update and not self.token:
            raise StoreError("kg serve --allow-update needs a token (--token or KG_SERVE_TOKEN)")
        if self.location.startswith(("http://", "https://")) or "=" in self.location:
            raise StoreError("kg serve serves an embedded store directory, not a remote endpoint")
        if self.timeout <= 0 or self.max_rows <= 0 or self.workers <= 0 or self.max_result_bytes <= 0:
            raise StoreError("kg serve: --timeout, --max-rows, --max-result-bytes and --workers "
                             "must be positive")


def negotiate(form: str, accept: str | None, asked: str | None) -> str:
    """The result format for a query form, from ``format=`` or the Accept header."""
    table = GRAPH_TYPES if form in ("construct", "describe") else SELECT_TYPES
    allowed = set(table.values())
    if asked:
        name = SHORT_NAMES.get(asked.lower()) or table.get(asked.lower().split(";")[0].strip())
        if name == "json" and "json" not in allowed:
            name = "jsonld"
        if name == "xml" and "xml" not in allowed:
            name = "rdfxml"
        if name in allowed:
            return name
    default = "turtle" if "turtle" in allowed else "json"
    ranked = []
    for i, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = next((p[2:] for p in params if p.startswith("q=")), "1")
        ranked.append((-float(q) if q.replace(".", "", 1).isdigit() else -1.0, i, media.lower()))
    for q, _, media in sorted(ranked):
        if q == 0:
            break
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    raise Refused(406, f"cannot answer in {accept!r}; for this query: {', '.join(sorted(allowed))}")
