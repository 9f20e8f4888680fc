"""What the embedded and the remote store share: results in rdflib terms, the conversion
from pyoxigraph's terms, and SPARQL Update text for a graph (terms escaped by rdflib's
``n3()``, so article text never becomes query syntax). Kept apart from both stores so
that neither imports the other."""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import StoreError

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass
class Result:
    """A SPARQL result in rdflib terms: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT."""

    kind: str                                # "select" | "ask" | "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


def to_rdflib(term) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreError(f"unsupported term {term!r}")


def term_text(term) -> str:
    """A term as SPARQL / N-Triples text. Literals are written on one line with ``\\``,
    ``\"``, LF and CR escaped (rdflib's ``n3()`` writes a multi-line text in triple
    quotes and leaves the quote after a backslash unescaped: a text ending in
    ``\\"`` then ended the string early and the whole write failed)."""
    if isinstance(term, Literal):
        body = (str(term).replace("\\", "\\\\").replace('"', '\\"')
                .replace("\n", "\\n").replace("\r", "\\r"))
        if term.language:
            return f'"{body}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f'"{body}"^^<{term.datatype}>'
        return f'"{body}"'
    return term.n3()


def _triples_text(graph: Graph) -> str:
    return "\n".join(sorted(f"{term_text(s)} {term_text(p)} {term_text(o)} ." for s, p, o in graph))


def insert_data(graph_iri: str, graph: Graph, *, add: dict[str, Graph] | None = None,
                drop: tuple[str, ...] = ()) -> str:
    """``DROP SILENT GRAPH`` + ``INSERT DATA`` for a graph's triples, terms escaped by n3().

    ``add``: triples added (not replacing) to other graphs in the same update;
    ``drop``: other graphs dropped in it. One update is one transaction, so a
    kill leaves all of it or none."""
    return insert_text(graph_iri, _triples_text(graph),
                       add={other: _triples_text(g) for other, g in (add or {}).items() if len(g)}, drop=drop)


def insert_text(graph_iri: str, ntriples: str, *, add: dict[str, str] | None = None,
                drop: tuple[str, ...] = ()) -> str:
    """The same update for triples already written as N-Triples lines (which SPARQL's
    ``INSERT DATA`` reads as they are)."""
    target = URIRef(graph_iri).n3()
    ops = [f"DROP SILENT GRAPH {URIRef(g).n3()}" for g in drop]
    ops.append(f"DROP SILENT GRAPH {target}")
    ops.append(f"INSERT DATA {{ GRAPH {target} {{\n{ntriples}\n}} }}")
    for other, text in (add or {}).items():
        if text.strip():
            ops.append(f"INSERT DATA {{ GRAPH {URIRef(other).n3()} {{\n{text}\n}} }}")
    return " ;\n".join(ops)


def as_nquads(graph_iri: str, ntriples: str) -> str:
    """N-Triples lines (as :func:`kg.graph.ntriples` writes them) put in a named graph.
    A literal holds no raw line break (LF is escaped), so ``" .\\n"`` only ends lines."""
    return ntriples.replace(" .\n", f" {URIRef(graph_iri).n3()} .\n")


def _quote_encode(self) -> str:
    """rdflib's ``Literal._quote_encode``, corrected. rdflib writes a text holding a
    newline in triple quotes and escapes a final quote only when no backslash precedes
    it, so a text ending in ``\\"`` closed the string early and the Turtle or TriG file
    did not parse (found by bench/bench_fuzz.py). Here a quote is escaped when another
    quote or the end of the text follows it (the only places a long string cannot hold
    one), so the text stays readable."""
    body = self.replace("\\", "\\\\").replace("\r", "\\r")
    if "\n" in self:
        return '"""%s"""' % re.sub(r'"(?="|$)', r'\\"', body)
    return '"%s"' % body.replace('"', '\\"').replace("\n", "\\n")


@contextmanager
def escaped_literals():
    """While it runs, rdflib's serializers write literals with :func:`_quote_encode`."""
    original = Literal._quote_encode
    Literal._quote_encode = _quote_encode
    try:
        yield
    finally:
        Literal._quote_encode = original
