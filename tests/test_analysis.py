"""Reading the projection: centrality, communities, paths with evidence, neighbours; their commands."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg import analysis
from kg.analysis import analyze, find_node, neighbors, paths
from kg.cli import cli
from kg.errors import QueryError
from tests.conftest import SEED

URL = "https://www.one.co.il/Article/512109.html"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("kg") / "store")
    r = CliRunner().invoke(cli, ["ingest", str(SEED), "--store", path])
    assert r.exit_code == 0, r.output
    return path


@pytest.mark.parametrize("value", ["lionel-messi", "ליאו מסי", "Lionel Messi", "מסי", "Messi", "ליונל מסי",
                                   "https://w3id.org/footkg/entity/lionel-messi"])
def test_analysis_find_node_by_slug_or_label(g, value):
    assert find_node(g, value) == "lionel-messi"


def test_analysis_find_node_unknown_is_a_query_error(g):
    with pytest.raises(QueryError):
        find_node(g, "שחקן שלא קיים בכלל")


def test_analysis_central_entities_and_communities(g):
    r = analyze(g, top=5)
    ranks = [c["pagerank"] for c in r["central"]]
    assert len(ranks) == 5 and ranks == sorted(ranks, reverse=True)
    assert r["betweenness"] == "exact"
    members = [m["entity"] for c in r["communities"] for m in c["members"]]
    assert len(members) == len(set(members)) and "lionel-messi" in members
    persons = analyze(g, top=10, types=("Person",))
    assert {c["type"] for c in persons["central"]} == {"Person"}
    json.dumps(r, ensure_ascii=False)


def test_analysis_betweenness_is_skipped_on_big_graphs(g, monkeypatch):
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLED_MAX", 5)
    assert analyze(g)["betweenness"] == "skipped"
    assert analyze(g, betweenness=True)["betweenness"] != "skipped"


def test_analysis_path_messi_conmebol_cites_evidence_on_every_hop(gc, seed_text):
    a, b = find_node(gc, "ליאו מסי"), find_node(gc, "CONMEBOL")
    found = paths(gc, a, b, k=3)
    assert found
    for path in found:
        assert path[0].source == "lionel-messi" and path[-1].target == "conmebol"
        for hop in path:
            assert hop.evidence, hop
            for ev in hop.evidence:
                assert ev["text"] and ev["text"] in seed_text
                assert ev["speaker"] and ev["speaker_label"]
                assert ev["url"] == URL and ev["date"] == "2026-01-18"
    costs = [sum(h.cost for h in p) for p in found]
    assert costs == sorted(costs)


def test_analysis_path_prefers_claims_over_quotes_and_comentions(gc):
    (hop,), *_ = paths(gc, "lionel-messi", "fc-barcelona", k=1)
    assert hop.kind == "claim" and hop.relation == "formerPlayerOf"
    (hop,), *_ = paths(gc, "jorge-mas", "conmebol", k=1)
    assert hop.kind == "quote"


def test_analysis_no_path_is_empty(g):
    assert paths(g, "lionel-messi", "kings-world-cup-nations") == []


def test_analysis_neighbors_by_hops(g):
    one = neighbors(g, "inter-miami", hops=1)
    two = neighbors(g, "inter-miami", hops=2)
    assert {r["entity"] for r in one} >= {"jorge-mas", "lionel-messi", "mls"}
    assert {r["hops"] for r in one} == {1} and {r["hops"] for r in two} == {1, 2}
    assert {r["entity"] for r in one} < {r["entity"] for r in two}
    owner = next(r for r in one if r["entity"] == "jorge-mas")
    assert (owner["relation"], owner["forward"]) == ("ownerOf", False)


def test_analysis_ego_graph(g):
    sub = analysis.ego(g, "lionel-messi", 1)
    assert set(sub) == {"lionel-messi"} | {r["entity"] for r in neighbors(g, "lionel-messi", 1)}


def test_analysis_cli_path(store_dir):
    r = CliRunner().invoke(cli, ["path", "ליאו מסי", "CONMEBOL", "--store", store_dir, "--max", "2"])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("path 1") and "«" in r.output and URL in r.output
    r = CliRunner().invoke(cli, ["path", "Lionel Messi", "conmebol", "--store", store_dir, "--json"])
    hops = json.loads(r.output)[0]
    assert all(h["evidence"][0]["text"] for h in hops)


def test_analysis_cli_analyze_neighbors_export(store_dir, tmp_path):
    runner = CliRunner()
    r = runner.invoke(cli, ["analyze", "--store", store_dir, "--json", "--type", "Person"])
    assert r.exit_code == 0 and json.loads(r.output)["central"][0]["type"] == "Person"
    r = runner.invoke(cli, ["analyze", "--store", store_dir, "--since", "2026-01-01", "--top", "3"])
    assert r.exit_code == 0 and "communities (Louvain)" in r.output
    r = runner.invoke(cli, ["analyze", "--store", store_dir, "--since", "18.01.2026"])
    assert r.exit_code == 2
    r = runner.invoke(cli, ["neighbors", "אינטר מיאמי", "--hops", "2", "--store", store_dir])
    assert r.exit_code == 0 and "Jorge Mas" in r.output
    out = tmp_path / "kg.gexf"
    r = runner.invoke(cli, ["graph-export", "--format", "gexf", "-o", str(out), "--store", store_dir])
    assert r.exit_code == 0 and out.exists()
    r = runner.invoke(cli, ["path", "ליאו מסי", "אף אחד בכלל", "--store", store_dir])
    assert r.exit_code == 1 and "Traceback" not in r.output


def _toy(edges) -> "nx.MultiDiGraph":
    """A projection of a few entities: (u, v, kind, relation) edges with the shape kg.projection gives."""
    import networkx as nx

    from kg.projection import COST

    g = nx.MultiDiGraph()
    types = {"israel": "Country"}
    for u, v, kind, relation in edges:
        for n in (u, v):
            g.add_node(n, he=n, en=n, type=types.get(n, "Person"), alt=[], articles=1, dates=[])
        g.add_edge(u, v, key=f"{u}-{relation}-{v}", kind=kind, relation=relation, modality="Asserted",
                   claims=1, cost=COST["claim" if kind == "claim" else kind], evidence=[])
    return g


def test_analysis_path_avoids_the_nationality_hub():
    g = _toy([("a", "israel", "claim", "nationality"), ("b", "israel", "claim", "nationality"),
              ("a", "c", "comention", "mentionedWith"), ("c", "d", "comention", "mentionedWith"),
              ("d", "b", "comention", "mentionedWith")])
    best, second = paths(g, "a", "b", k=2)
    assert [h.target for h in best] == ["c", "d", "b"]          # three weak links beat the hub
    assert [h.target for h in second] == ["israel", "b"]        # which stays as a last resort
    assert sum(h.cost for h in second) > sum(h.cost for h in best)


def test_analysis_path_through_a_country_when_nothing_else_links():
    g = _toy([("a", "israel", "claim", "nationality"), ("b", "israel", "claim", "nationality")])
    (only,) = paths(g, "a", "b", k=3)
    assert [h.target for h in only] == ["israel", "b"]
