"""RemoteStore: where the endpoint is (URL, spec, config file, credentials), SPARQL JSON
parsing, and integration runs against a real Oxigraph server and against ``kg serve``:
the same input gives the same export as the embedded store."""

from __future__ import annotations

import shutil
import sys
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from kg.catalog import Catalog
from kg.cli import cli
from kg.errors import StoreError
from kg.export import serialize
from kg.pipeline import ingest, remove
from kg.queries import run
from kg.remote import RemoteStore, configured_location, from_json, parse_results, remote_endpoint
from kg.serve import ServeConfig, Server
from kg.store import open_store
from tests.conftest import SEED
from tests.fixtures.desk_graph import load_desk

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"
# The binary of PyPI's `oxigraph` sits next to the interpreter running the tests (.venv/bin),
# which need not be on PATH.
OXIGRAPH = str(Path(sys.executable).with_name("oxigraph")) if Path(sys.executable).with_name("oxigraph").exists() \
    else shutil.which("oxigraph")
TEXT = "https://w3id.org/footkg/ontology#text"


@pytest.fixture(autouse=True)
def no_config(monkeypatch, tmp_path):
    """No config file or credentials from the environment unless a test sets them."""
    for var in ("KG_CONFIG", "KG_STORE_TOKEN", "KG_STORE_USER", "KG_STORE_PASSWORD", "KG_STORE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)


# -- where the endpoint is


@pytest.mark.parametrize("location,query,update,union", [
    ("http://127.0.0.1:7878", "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update", "oxigraph"),
    ("http://127.0.0.1:7878/", "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update", "oxigraph"),
    ("http://h:3030/kg", "http://h:3030/kg/query", "http://h:3030/kg/update", "none"),
    ("http://h:3030/kg/query", "http://h:3030/kg/query", "http://h:3030/kg/update", "none"),
    ("http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql", "none"),
    ("query=http://h:7200/repositories/kg,update=http://h:7200/repositories/kg/statements",
     "http://h:7200/repositories/kg", "http://h:7200/repositories/kg/statements", "none"),
    ("query=http://h:3030/kg/sparql,update=http://h:3030/kg/update,union=fuseki",
     "http://h:3030/kg/sparql", "http://h:3030/kg/update", "fuseki"),
])
def test_remote_endpoint_urls(location, query, update, union):
    ep = remote_endpoint(location)
    assert (ep.query, ep.update, ep.union) == (query, update, union)


@pytest.mark.parametrize("location", [None, "", ".kg", "/data/kg", ":memory:"])
def test_remote_directories_are_not_endpoints(location):
    assert remote_endpoint(location) is None


def test_remote_credentials_stay_out_of_messages():
    ep = remote_endpoint("http://admin:pa55word@127.0.0.1:9/sparql")
    assert ep.query == "http://127.0.0.1:9/sparql" and "pa55word" not in repr(ep)
    assert ep.headers["Authorization"].startswith("Basic ")
    with pytest.raises(StoreError) as exc:
        RemoteStore(ep).count()
    assert "pa55word" not in str(exc.value) and "admin" not in str(exc.value)


def test_remote_token_from_environment(monkeypatch):
    monkeypatch.setenv("KG_STORE_TOKEN", "t0k3n")
    assert remote_endpoint("http://h/sparql").headers == {"Authorization": "Bearer t0k3n"}


def test_remote_config_file(monkeypatch, tmp_path):
    (tmp_path / "footkg.toml").write_text(
        '[store]\nquery = "http://h:3030/kg/sparql"\nupdate = "http://h:3030/kg/update"\n'
        'union = "fuseki"\nuser = "admin"\ntimeout = 5\n', encoding="utf-8")
    monkeypatch.setenv("KG_STORE_PASSWORD", "from-env")
    location = configured_location()
    assert location == "query=http://h:3030/kg/sparql,update=http://h:3030/kg/update,union=fuseki"
    ep = remote_endpoint(location)
    assert (ep.union, ep.timeout) == ("fuseki", 5.0)
    assert ep.headers["Authorization"] == "Basic YWRtaW46ZnJvbS1lbnY="   # admin:from-env
    assert isinstance(open_store(), RemoteStore)


def test_remote_config_file_can_name_a_directory(tmp_path):
    (tmp_path / ".kg.toml").write_text('[store]\nlocation = "graph-store"\n', encoding="utf-8")
    store = open_store()
    assert store.location == str(tmp_path / "graph-store")


@pytest.mark.parametrize("location,message", [
    ("query=http://h/q,union=virtuoso", "union='virtuoso'"),
    ("update=http://h/u", "needs query=URL"),
])
def test_remote_bad_specs(location, message):
    with pytest.raises(StoreError, match=message):
        remote_endpoint(location)


def test_remote_missing_config_file_is_an_error(monkeypatch):
    monkeypatch.setenv("KG_CONFIG", "nowhere.toml")
    with pytest.raises(StoreError, match="no such config file"):
        configured_location()


# -- SPARQL JSON


@pytest.mark.parametrize("term,expected", [
    ({"type": "uri", "value": "http://x/a"}, URIRef("http://x/a")),
    ({"type": "bnode", "value": "b0"}, BNode("b0")),
    ({"type": "literal", "value": "שלום", "xml:lang": "he"}, Literal("שלום", lang="he")),
    ({"type": "literal", "value": "שלום", "xml:lang": "he",
      "datatype": "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}, Literal("שלום", lang="he")),
    ({"type": "literal", "value": "x", "datatype": str(XSD.string)}, Literal("x")),
    ({"type": "typed-literal", "value": "3", "datatype": str(XSD.integer)}, Literal("3", datatype=XSD.integer)),
])
def test_remote_json_terms(term, expected):
    got = from_json(term)
    assert got == expected and type(got) is type(expected)


def test_remote_ask_and_bad_json():
    assert parse_results(b'{"head": {}, "boolean": true}').boolean is True
    with pytest.raises(StoreError, match="not SPARQL JSON"):
        parse_results(b"<sparql/>")


# -- against real servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"oxigraph exited: {proc.stderr.read().decode(errors='replace')}")
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"oxigraph did not answer at {url} within {seconds} s")


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    if OXIGRAPH is None:
        pytest.fail("the 'oxigraph' binary is missing: pip install 'footkg[test]' (PyPI package oxigraph)")
    url = f"http://127.0.0.1:{free_port()}"
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                             "--bind", url.removeprefix("http://")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@pytest.fixture()
def oxigraph(oxigraph_server):
    store = open_store(oxigraph_server)
    store._update("DROP ALL")
    return store


def articles() -> list[Path]:
    return [SEED, *sorted(ARTICLES.glob("*.txt"))]


def test_remote_oxigraph_ingest_gives_the_embedded_export(oxigraph):
    embedded = open_store(":memory:")
    ingest(articles(), embedded)
    report = ingest(articles(), oxigraph)
    assert not report.failed and len(report.stored) == 3
    assert oxigraph.graphs() == embedded.graphs()
    assert oxigraph.nquads() == embedded.nquads()
    remote_ttl = Graph().parse(data=serialize(oxigraph, "turtle").decode(), format="turtle")
    local_ttl = Graph().parse(data=serialize(embedded, "turtle").decode(), format="turtle")
    assert len(local_ttl) > 300 and isomorphic(remote_ttl, local_ttl)


def test_remote_hebrew_and_symbols_survive_the_round_trip(oxigraph):
    ingest(articles(), oxigraph)
    texts = {str(r["t"]) for r in oxigraph.query(f"SELECT ?t WHERE {{ ?a <{TEXT}> ?t }}").rows}
    body = (ARTICLES / "02_kings-league-symbols.txt").read_text(encoding="utf-8")
    assert body.split(" ", 3)[-1].rstrip("\n") in {t.rstrip("\n") for t in texts}
    rows = oxigraph.query(f"SELECT ?t WHERE {{ ?a <{TEXT}> ?t }}").rows
    assert all(r["t"].language == "he" for r in rows)


def test_remote_ingest_replaces_and_remove_retracts(oxigraph, tmp_path):
    ingest(articles(), oxigraph)
    before = oxigraph.count()
    ingest(articles(), oxigraph)
    assert oxigraph.count() == before
    seed_iri = "https://w3id.org/footkg/article/one-512109"
    remove(oxigraph, [seed_iri])
    assert seed_iri not in oxigraph.graphs() and oxigraph.count() < before


def test_remote_named_queries_match_the_embedded_store(oxigraph):
    load_desk(oxigraph)
    embedded = load_desk(open_store(":memory:"))
    none = Catalog({}, {})
    for name, params in [("top-scorers", {}), ("conflicting-claims", {}),
                         ("claims-about", {"entity": "עידו ברק"}), ("entity-card", {"entity": "ido-barak"})]:
        remote, local = run(oxigraph, name, params, catalog=none), run(embedded, name, params, catalog=none)
        if local.kind == "graph":
            assert isomorphic(remote.graph, local.graph)
        else:
            assert (remote.vars, remote.rows) == (local.vars, local.rows), name


def test_remote_cli_query_and_export(oxigraph, oxigraph_server, tmp_path):
    load_desk(oxigraph)
    r = CliRunner().invoke(cli, ["query", "top-scorers", "--store", oxigraph_server, "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[1] == "https://w3id.org/footkg/entity/omer-shalev,עומר שלו,3,2"
    out = tmp_path / "kg.nq"
    r = CliRunner().invoke(cli, ["export", "--format", "nquads", "-o", str(out), "--store", oxigraph_server])
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == load_desk(open_store(":memory:")).nquads()


def test_remote_read_only_refuses_writes(oxigraph_server):
    store = open_store(oxigraph_server, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        store.remove_graph("https://w3id.org/footkg/article/one-512109")


def test_remote_server_errors_are_store_errors(oxigraph):
    with pytest.raises(StoreError, match="HTTP 400"):
        oxigraph.query("SELECT WHERE {")


def test_remote_unreachable_endpoint():
    with pytest.raises(StoreError, match="cannot reach"):
        open_store(f"http://127.0.0.1:{free_port()}").graphs()


def test_remote_kg_serve_as_the_remote_store(tmp_path, monkeypatch):
    """kg serve --allow-update is itself a store the pipeline can write to, with a bearer token."""
    path = str(tmp_path / "served")
    open_store(path).close()
    with Server(ServeConfig(path, port=0, allow_update=True, token="tok", timeout=30)) as srv:
        monkeypatch.setenv("KG_STORE_TOKEN", "tok")
        remote = open_store(srv.url)
        load_desk(remote)
        assert remote.nquads() == load_desk(open_store(":memory:")).nquads()
        monkeypatch.setenv("KG_STORE_TOKEN", "wrong")
        with pytest.raises(StoreError, match="HTTP 401"):
            open_store(srv.url).remove_graph("https://w3id.org/footkg/article/one-900001")
