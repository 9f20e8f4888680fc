from rdflib import BNode, Literal, URIRef

from kg.graph import article_graph
from kg.pipeline import extract_file
from kg.validate import validate_graph
from kg.vocab import FK
from tests.conftest import SEED


def test_graph_every_span_exact_is_text_slice(seed_extraction, catalog):
    g = article_graph(seed_extraction, catalog)
    text = seed_extraction.article.text
    spans = list(g.subjects(predicate=None, object=FK.TextSpan))
    assert len(spans) >= 15
    for span in spans:
        start, end = int(g.value(span, FK.start)), int(g.value(span, FK.end))
        assert str(g.value(span, FK.exact)) == text[start:end]


def test_graph_article_text_is_body_as_read(seed_extraction, catalog):
    g = article_graph(seed_extraction, catalog)
    a = URIRef(seed_extraction.article.iri)
    body = SEED.read_text(encoding="utf-8").split("\n", 1)[1].removeprefix(" date 2026-01-18 ")
    assert g.value(a, FK.text) == Literal(body, lang="he")


def test_graph_deterministic_and_no_blank_nodes(catalog):
    g1 = article_graph(extract_file(SEED, catalog), catalog)
    g2 = article_graph(extract_file(SEED, catalog), catalog)
    assert sorted(g1) == sorted(g2)
    assert not any(isinstance(t, BNode) for triple in g1 for t in triple)


def test_graph_direct_triples_only_for_asserting_claims(seed_extraction, catalog):
    g = article_graph(seed_extraction, catalog)
    for claim in g.subjects(object=FK.Claim):
        s, p = g.value(claim, FK.subject), g.value(claim, FK.predicate)
        o, mod = g.value(claim, FK.object), g.value(claim, FK.modality)
        assert ((s, p, o) in g) == (mod in (FK.Asserted, FK.Past)), (s, p, o, mod)


def test_graph_claims_have_provenance(seed_extraction, catalog):
    g = article_graph(seed_extraction, catalog)
    owner = [c for c in g.subjects(FK.predicate, FK.ownerOf)]
    assert len(owner) == 1
    c = owner[0]
    assert g.value(c, FK.claimedBy) == URIRef("https://w3id.org/footkg/entity/one")
    assert g.value(c, FK.statedIn) == URIRef("https://w3id.org/footkg/article/one-512109")
    assert str(g.value(c, FK.extractedBy)).rsplit("/", 1)[-1].startswith("role-apposition.v")
    assert str(g.value(g.value(c, FK.evidence), FK.exact)) == "בעלי אינטר מיאמי, חורחה מאס"


def test_graph_conforms_to_shapes(seed_store):
    from kg.validate import validate_store

    conforms, text = validate_store(seed_store)
    assert conforms, text


def test_graph_shapes_catch_a_bad_claim():
    from rdflib import Graph
    g = Graph()
    c = URIRef("https://w3id.org/footkg/claim/c-x")
    g.add((c, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), FK.Claim))
    g.add((c, FK.modality, Literal("sure")))
    conforms, text = validate_graph(g)
    assert not conforms
    assert "Result Path: fk:subject" in text and "not in list" in text
