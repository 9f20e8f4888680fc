"""`kg validate`: the span invariant, checked by SHACL-SPARQL constraints in shapes.ttl,
against hand-broken spans."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.cli import cli
from kg.export import serialize
from kg.pipeline import ingest
from kg.store import open_store
from kg.validate import validate_graph, validate_store
from kg.vocab import FK
from tests.conftest import SEED


@pytest.fixture(scope="module")
def seed_graph(seed_store):
    return Graph().parse(data=serialize(seed_store, "ntriples").decode("utf-8"), format="nt")


def _a_span(g: Graph):
    span = sorted(g.subjects(RDF.type, FK.TextSpan))[0]
    return span, int(g.value(span, FK.start)), int(g.value(span, FK.end))


def _broken(g: Graph, **values) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    span, _, _ = _a_span(out)
    for name, value in values.items():
        out.set((span, FK[name], value))
    return out


def test_validate_seed_conforms(seed_graph):
    conforms, text = validate_graph(seed_graph)
    assert conforms, text


def test_validate_start_after_end(seed_graph):
    _, start, end = _a_span(seed_graph)
    conforms, text = validate_graph(_broken(seed_graph, start=Literal(end + 1)))
    assert not conforms and f"start {end + 1} is after its end {end}" in text


def test_validate_end_past_the_text(seed_graph):
    articles = list(seed_graph.subjects(RDF.type, FK.Article))
    assert len(articles) == 1
    text_len = len(str(seed_graph.value(articles[0], FK.text)))
    conforms, text = validate_graph(_broken(seed_graph, end=Literal(text_len + 1)))
    assert not conforms and f"end {text_len + 1} is past the end of the text" in text
    # exactly at the end is fine (half-open); the exact then has to match
    g = _broken(seed_graph, start=Literal(text_len - 3), end=Literal(text_len),
                exact=Literal(str(seed_graph.value(articles[0], FK.text))[-3:]))
    assert validate_graph(g)[0], validate_graph(g)[1]


def test_validate_exact_differs_from_the_text(seed_graph):
    span, start, end = _a_span(seed_graph)
    exact = str(seed_graph.value(span, FK.exact))
    conforms, text = validate_graph(_broken(seed_graph, exact=Literal(exact + "x")))
    assert not conforms and "is not the text of" in text
    # off by one: the same length, shifted
    conforms, text = validate_graph(_broken(seed_graph, start=Literal(start + 1), end=Literal(end + 1)))
    assert not conforms and "is not the text of" in text


def test_validate_span_without_an_article(seed_graph):
    g = Graph()
    for t in seed_graph:
        g.add(t)
    orphan = URIRef("https://w3id.org/footkg/claim/span-orphan")
    g.add((orphan, RDF.type, FK.TextSpan))
    g.add((orphan, FK.start, Literal(0)))
    g.add((orphan, FK.end, Literal(1)))
    g.add((orphan, FK.exact, Literal("x")))
    conforms, text = validate_graph(g)
    assert not conforms and "span is not the evidence of anything" in text


def test_validate_code_points_not_utf16(tmp_path):
    """Offsets count code points: an astral character before a span must not shift it."""
    f = tmp_path / "a.txt"
    f.write_text(" date 2026-02-01 \U0001F600\U0001F600 ליאו מסי הבקיע שער לאינטר מיאמי.\n", encoding="utf-8")
    store = open_store(":memory:")
    assert not ingest([f], store).failed
    conforms, text = validate_store(store)
    assert conforms, text


def test_validate_cli_reports_a_broken_store(tmp_path):
    path = str(tmp_path / "kg")
    store = open_store(path)
    ingest([SEED], store)
    span = store.query("SELECT ?s ?e WHERE { GRAPH ?g { ?s a <https://w3id.org/footkg/ontology#TextSpan> ; "
                       "<https://w3id.org/footkg/ontology#end> ?e } } ORDER BY ?s LIMIT 1").rows[0]
    store.ox.update(f"DELETE {{ GRAPH ?g {{ <{span['s']}> <https://w3id.org/footkg/ontology#end> ?e }} }} "
                    f"INSERT {{ GRAPH ?g {{ <{span['s']}> <https://w3id.org/footkg/ontology#end> 99999999 }} }} "
                    f"WHERE {{ GRAPH ?g {{ <{span['s']}> <https://w3id.org/footkg/ontology#end> ?e }} }}")
    store.close()
    r = CliRunner().invoke(cli, ["validate", "--store", path])
    assert r.exit_code == 1 and "end 99999999 is past the end of the text" in r.output
