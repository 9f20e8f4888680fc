"""The RDF graph -> networkx projection: entities, evidence-bearing edges, date range, exports."""

from __future__ import annotations

import networkx as nx
import pytest

from kg import projection
from kg.errors import ExportError
from kg.projection import project

URL = "https://www.one.co.il/Article/512109.html"


def test_projection_nodes_are_entities_with_labels_and_article_counts(g):
    messi = g.nodes["lionel-messi"]
    assert (messi["type"], messi["he"], messi["en"], messi["articles"]) == ("Person", "ליאו מסי", "Lionel Messi", 1)
    assert "מסי" in messi["alt"]
    assert messi["dates"] == ["2026-01-18"]
    assert "one" not in g  # the outlet narrates; it is no node
    assert all(d["type"] for _, d in g.nodes(data=True))


def test_projection_claim_edge_carries_its_evidence(g):
    d = g.edges["jorge-mas", "inter-miami", "claim:ownerOf:Asserted"]
    assert (d["kind"], d["relation"], d["modality"], d["claims"]) == ("claim", "ownerOf", "Asserted", 1)
    ev = d["evidence"][0]
    assert ev["text"] == "בעלי אינטר מיאמי, חורחה מאס"
    assert (ev["speaker"], ev["url"], ev["date"]) == ("one", URL, "2026-01-18")
    assert d["speakers"] == ["one"] and d["sources"] == [URL]
    assert d["first"] == d["last"] == "2026-01-18"
    assert d["background"]  # the catalogue confirms it


def test_projection_negated_and_desired_claims_keep_their_modality(g):
    assert g.has_edge("lionel-messi", "copa-libertadores", "claim:won:Negated")
    assert g.has_edge("lionel-messi", "copa-libertadores", "claim:competesIn:Desired")
    assert not g.has_edge("lionel-messi", "copa-libertadores", "claim:won:Asserted")


def test_projection_background_facts_are_flagged(g):
    d = g.edges["david-beckham", "inter-miami", "background:ownerOf"]
    assert d["kind"] == "background" and d["evidence"][0]["source"].startswith("Inter Miami")
    assert not d["evidence"][0]["text"]
    assert projection.cost(d) > max(projection.cost(e) for *_, e in g.edges(data=True) if e["kind"] != "background")


def test_projection_quote_links_speaker_to_what_it_mentions(g):
    d = g.edges["jorge-mas", "conmebol", "quote"]
    assert d["relation"] == "speaksAbout" and d["speakers"] == ["jorge-mas"]
    assert "קונמבול" in d["evidence"][0]["text"]


def test_projection_comentions_are_optional_and_weighted_by_articles(g, gc, seed_text):
    assert not any(d["kind"] == "comention" for *_, d in g.edges(data=True))
    d = gc.edges["conmebol", "copa-libertadores", "comention"]
    assert d["articles"] == 1
    first = d["evidence"][0]
    assert first["quoted"] and first["speaker"] == "jorge-mas"  # the quote speaks first
    assert all(e["text"] in seed_text for e in d["evidence"])


@pytest.mark.parametrize("since, until, nodes", [
    (None, None, 17), ("2026-01-18", "2026-01-18", 17), ("2026-01-19", None, 0), (None, "2026-01-17", 0),
])
def test_projection_date_range(seed_store, since, until, nodes):
    h = project(seed_store, since=since, until=until)
    assert h.number_of_nodes() == nodes
    assert (h.number_of_edges() > 0) == (nodes > 0)


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_projection_export_for_gephi(gc, tmp_path, fmt, read):
    out = tmp_path / f"kg.{fmt}"
    assert projection.export_projection(gc, fmt, out) == out.stat().st_size
    back = read(out)
    assert back.number_of_nodes() == gc.number_of_nodes()
    assert back.number_of_edges() == gc.number_of_edges()
    assert "ליאו מסי" in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_projection_export_unknown_format(g, tmp_path):
    with pytest.raises(ExportError):
        projection.export_projection(g, "dot", tmp_path / "x.dot")
