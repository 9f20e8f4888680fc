"""``kg serve`` with real clients (SPARQLWrapper, rdflib's SPARQLStore, plain HTTP)
against servers started on 127.0.0.1 and always stopped."""

from __future__ import annotations

import json
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper

from kg.catalog import Catalog
from kg.cli import cli
from kg.errors import StoreError
from kg.queries import bind, load_query
from kg.serve import MAX_BODY, ServeConfig, Server, negotiate, Refused
from kg.store import open_store
from tests.fixtures.desk_graph import graphs, load_desk

IDO = URIRef("https://w3id.org/footkg/entity/ido-barak")
LABELS = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
          "SELECT ?l WHERE { <https://w3id.org/footkg/entity/ido-barak> rdfs:label ?l } ORDER BY ?l")
CARD = "CONSTRUCT WHERE { <https://w3id.org/footkg/entity/ido-barak> ?p ?o }"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def desk_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "kg"
    load_desk(open_store(str(path))).close()
    return str(path)


@pytest.fixture(scope="module")
def server(desk_dir):
    srv = Server(ServeConfig(desk_dir, port=0, timeout=1.5, max_rows=100)).start()
    try:
        yield srv
    finally:
        srv.close()


@pytest.fixture()
def writable(tmp_path):
    path = str(tmp_path / "kg")
    load_desk(open_store(path)).close()
    srv = Server(ServeConfig(path, port=0, allow_update=True, token=TOKEN, timeout=5)).start()
    try:
        yield srv
    finally:
        srv.close()


def http(url, data: bytes | None = None, headers: dict | None = None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def get(server, query: str, accept: str = "*/*", **params):
    return http(f"{server.url}/query?{urlencode({'query': query, **params})}", headers={"Accept": accept})


# -- clients


def test_serve_sparqlwrapper_select_json(server):
    sw = SPARQLWrapper(f"{server.url}/query")
    sw.setQuery(LABELS)
    sw.setReturnFormat(JSON)
    rows = sw.queryAndConvert()["results"]["bindings"]
    assert [(r["l"]["value"], r["l"]["xml:lang"]) for r in rows] == [("Ido Barak", "en"), ("עידו ברק", "he")]


@pytest.mark.parametrize("fmt", [XML, CSV, TSV])
def test_serve_sparqlwrapper_other_formats(server, fmt):
    sw = SPARQLWrapper(f"{server.url}/query")
    sw.setQuery(LABELS)
    sw.setReturnFormat(fmt)
    out = sw.queryAndConvert()
    text = out.toxml() if fmt == XML else out.decode("utf-8")
    assert "עידו ברק" in text


def test_serve_sparqlwrapper_construct_turtle(server):
    sw = SPARQLWrapper(f"{server.url}/query")
    sw.setQuery(CARD)
    sw.setReturnFormat(TURTLE)
    g = Graph().parse(data=sw.queryAndConvert(), format="turtle")
    assert (IDO, RDFS.label, Literal("עידו ברק", lang="he")) in g and len(g) == 6


@pytest.mark.parametrize("return_format", ["xml", "json"])
def test_serve_rdflib_sparqlstore(server, return_format):
    g = Graph(store=SPARQLStore(f"{server.url}/query", returnFormat=return_format))
    assert set(g.objects(IDO, RDFS.label)) == {Literal("עידו ברק", lang="he"), Literal("Ido Barak", lang="en")}
    rows = list(g.query(LABELS))
    assert [r.l for r in rows] == [Literal("Ido Barak", lang="en"), Literal("עידו ברק", lang="he")]
    if return_format == "xml":  # rdflib then also accepts RDF/XML, for CONSTRUCT
        assert len(g.query(CARD).graph) == 6


def test_serve_named_query_over_http(server):
    text = bind(load_query("top-scorers"), {}, catalog=Catalog({}, {}))
    status, _, body = http(f"{server.url}/query", text.encode(),
                           {"Content-Type": "application/sparql-query", "Accept": "application/json"})
    rows = json.loads(body)["results"]["bindings"]
    assert status == 200 and [r["goals"]["value"] for r in rows] == ["3", "2", "1"]


# -- protocol and content negotiation


@pytest.mark.parametrize("query,accept,ctype,check", [
    (LABELS, "application/sparql-results+json", "application/sparql-results+json",
     lambda b: json.loads(b)["results"]["bindings"][1]["l"]["xml:lang"] == "he"),
    (LABELS, "application/sparql-results+xml", "application/sparql-results+xml",
     lambda b: '<literal xml:lang="he">עידו ברק</literal>' in b.decode()),
    (LABELS, "text/csv", "text/csv", lambda b: b.decode() == "l\r\nIdo Barak\r\nעידו ברק\r\n"),
    (LABELS, "text/tab-separated-values", "text/tab-separated-values",
     lambda b: b.decode() == '?l\n"Ido Barak"@en\n"עידו ברק"@he\n'),
    (LABELS, "text/html, application/xml;q=0.9", "application/sparql-results+xml", lambda b: b"<sparql" in b),
    ("ASK { ?s ?p ?o }", "*/*", "application/sparql-results+json", lambda b: json.loads(b)["boolean"] is True),
    (CARD, "*/*", "text/turtle", lambda b: len(Graph().parse(data=b, format="turtle")) == 6),
    (CARD, "application/n-triples", "application/n-triples", lambda b: len(b.splitlines()) == 6),
    (CARD, "application/rdf+xml", "application/rdf+xml", lambda b: len(Graph().parse(data=b, format="xml")) == 6),
    (CARD, "application/ld+json", "application/ld+json", lambda b: len(Graph().parse(data=b, format="json-ld")) == 6),
])
def test_serve_content_negotiation(server, query, accept, ctype, check):
    status, got, body = get(server, query, accept)
    assert status == 200 and got.startswith(ctype)
    assert check(body)


@pytest.mark.parametrize("ctype,body", [
    ("application/x-www-form-urlencoded", urlencode({"query": LABELS}).encode()),
    ("application/sparql-query", LABELS.encode()),
])
def test_serve_post(server, ctype, body):
    status, _, out = http(f"{server.url}/sparql", body, {"Content-Type": ctype, "Accept": "text/csv"})
    assert status == 200 and out.decode().splitlines() == ["l", "Ido Barak", "עידו ברק"]


def test_serve_dataset_parameters(server):
    a6 = next(g for g in graphs() if str(g.identifier).endswith("/ynet-900006"))
    status, _, body = get(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "text/csv",
                          **{"default-graph-uri": str(a6.identifier)})
    assert status == 200 and body.decode().split() == ["n", str(len(a6))]


@pytest.mark.parametrize("accept,form", [("image/png", "select"), ("text/csv", "construct")])
def test_serve_unknown_format_is_406(accept, form):
    with pytest.raises(Refused) as exc:
        negotiate(form, accept, None)
    assert exc.value.status == 406


def test_serve_format_parameter_wins():
    assert negotiate("select", "application/sparql-results+xml", "json") == "json"
    assert negotiate("construct", None, "json") == "jsonld"
    assert negotiate("construct", "text/plain;q=0.5, text/turtle", None) == "turtle"


@pytest.mark.parametrize("path,status", [("/nothing", 404), ("/query", 400), ("/update?query=x", 400)])
def test_serve_bad_requests(server, path, status):
    assert http(server.url + path)[0] == status


def test_serve_syntax_error_is_400(server):
    status, _, body = get(server, "SELECT WHERE {")
    assert status == 400 and b"syntax error" in body


def test_serve_viewer_page(server):
    status, ctype, body = http(server.url + "/")
    assert status == 200 and ctype.startswith("text/html") and b"<html" in body.lower()


# -- safety


def test_serve_write_without_allow_update_is_refused(server):
    before = get(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "text/csv")[2]
    insert = "INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> <http://x/c> } }"
    status, _, body = http(f"{server.url}/update", urlencode({"update": insert}).encode(),
                           {"Authorization": f"Bearer {TOKEN}"})
    assert status == 403 and b"read-only" in body
    status, _, body = http(f"{server.url}/query", insert.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 400 and b"/update" in body
    sw = SPARQLWrapper(f"{server.url}/query", updateEndpoint=f"{server.url}/update")
    sw.setMethod(POST)
    sw.setQuery(insert)
    with pytest.raises(urllib.error.HTTPError, match="403"):
        sw.query()
    assert get(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "text/csv")[2] == before


def test_serve_result_size_limit(server):
    status, _, body = get(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 422 and b"more than 100 rows" in body and b"--max-rows" in body
    status, _, body = get(server, "CONSTRUCT WHERE { ?s ?p ?o }")
    assert status == 422
    assert get(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 100", "text/csv")[0] == 200


def test_serve_time_limit_stops_the_query_and_the_server_goes_on(server):
    start = time.monotonic()
    status, _, body = get(server, ENDLESS)
    assert status == 503 and b"time limit" in body and b"--timeout" in body
    assert time.monotonic() - start < 5
    for _ in range(3):   # the spare worker answers at once, the killed one is replaced
        assert get(server, LABELS, "text/csv")[0] == 200


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?z . SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
])
def test_serve_service_is_refused_by_default(server, query):
    status, _, body = get(server, query)
    assert status == 403 and b"SERVICE refused" in body


def test_serve_service_inside_a_string_is_just_a_string(server):
    query = 'SELECT ?x WHERE { BIND ("SERVICE <http://example.org/sparql> { }" AS ?x) } # SERVICE'
    status, _, body = get(server, query, "text/csv")
    assert status == 200 and b"SERVICE <http://example.org/sparql>" in body


# -- update mode


def _update(srv, text: str, token: str | None):
    headers = {"Content-Type": "application/sparql-update"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return http(f"{srv.url}/update", text.encode(), headers)


def test_serve_update_needs_the_token(writable):
    insert = 'INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> "שלום"@he } }'
    for token in (None, "wrong"):
        status, _, _ = _update(writable, insert, token)
        assert status == 401
    assert _update(writable, insert, TOKEN)[0] == 204
    status, _, body = get(writable, "SELECT ?o WHERE { <http://x/a> ?p ?o }", "text/csv")
    assert body.decode().split() == ["o", "שלום"]


def test_serve_update_persists_after_the_server_stops(tmp_path):
    path = str(tmp_path / "kg")
    open_store(path).close()
    with Server(ServeConfig(path, port=0, allow_update=True, token=TOKEN)) as srv:
        insert = 'INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> "שלום"@he } }'
        assert _update(srv, insert, TOKEN)[0] == 204
    assert open_store(path, read_only=True).count() == 1


def test_serve_update_with_sparqlwrapper(writable):
    sw = SPARQLWrapper(f"{writable.url}/query", updateEndpoint=f"{writable.url}/update")
    sw.setMethod(POST)
    sw.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    sw.setQuery("DROP GRAPH <https://w3id.org/footkg/article/ynet-900006>")
    sw.query()
    status, _, body = get(writable, "ASK { GRAPH <https://w3id.org/footkg/article/ynet-900006> { ?s ?p ?o } }")
    assert json.loads(body)["boolean"] is False


def test_serve_load_is_refused_without_allow_service(writable):
    status, _, body = _update(writable, "LOAD <http://example.org/data.ttl>", TOKEN)
    assert status == 403 and b"LOAD refused" in body


# -- configuration and the command


def test_serve_update_mode_needs_a_token(tmp_path):
    with pytest.raises(StoreError, match="needs a token"):
        Server(ServeConfig(str(tmp_path / "kg"), allow_update=True))


def test_serve_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        Server(ServeConfig(str(tmp_path / "none"), port=0))


def test_serve_command_runs_and_stops_on_sigterm(desk_dir):
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", desk_dir, "--port", "0"],
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        url = re.search(r"at (http://127\.0\.0\.1:\d+)/query", line).group(1)
        status, _, body = http(f"{url}/query?{urlencode({'query': LABELS})}", headers={"Accept": "text/csv"})
        assert status == 200 and "עידו ברק" in body.decode()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


def test_serve_cli(tmp_path):
    r = CliRunner().invoke(cli, ["serve", "--help"])
    assert r.exit_code == 0 and "Example: kg serve" in r.output and "--allow-update" in r.output
    r = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path), "--allow-update"], env={"KG_SERVE_TOKEN": ""})
    assert r.exit_code == 1 and "needs a token" in r.output


# -- no fetch from other hosts, whatever the spelling (a real listener must see no connection)


@pytest.fixture()
def listener():
    """A socket on 127.0.0.1 standing for another host: ``url`` to aim at, ``contacted()`` after."""
    import socket

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.5)

    class Listener:
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"

        @staticmethod
        def contacted() -> bool:
            try:
                conn, _ = sock.accept()  # waits at most 0.5 s
            except OSError:
                return False
            conn.close()
            return True

    try:
        yield Listener
    finally:
        sock.close()


REMOTE_QUERIES = [
    "SELECT * WHERE { #\rSERVICE <URL> { ?s ?p ?o } }",            # the probe's: CR ends a comment
    "SELECT * WHERE { #x\rSERVICE <URL> { ?s ?p ?o } \n}",        # ... and parses without it
    "SELECT * WHERE { # c\nSERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { # c\r\nSERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { # c\r\r\nSERVICE <URL> { ?s ?p ?o }\n}",
    "select * where { service <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { SeRvIcE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?e { <URL> } SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } } } }",
    "SELECT * WHERE { OPTIONAL { ?a ?b ?c } MINUS { SERVICE <URL> { ?s ?p ?o } } }",
    "ASK { SERVICE <URL> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <URL\\u0078> { ?s ?p ?o } }",           # an escape inside the IRI
    "SELECT * WHERE { \\u0053ERVICE <URL> { ?s ?p ?o } }",          # an escaped keyword (SPARQL spec)
    # rdflib decodes escapes before parsing, Oxigraph only in strings: rdflib alone would see one
    # long string here where Oxigraph sees two BINDs and a SERVICE
    'SELECT * WHERE { BIND("\\u0022" AS ?a) SERVICE <URL> { ?s ?p ?o } BIND("\\u0022" AS ?b) }',
]


@pytest.mark.parametrize("query", REMOTE_QUERIES)
def test_serve_service_in_any_spelling_is_refused_and_not_fetched(server, listener, query):
    status, _, body = http(f"{server.url}/query", query.replace("URL", listener.url).encode(),
                           {"Content-Type": "application/sparql-query"})
    contacted = listener.contacted()
    assert not contacted, "the server fetched from the listener"
    assert status == 403 and b"SERVICE refused" in body


REMOTE_UPDATES = [
    "LOAD <URL>",
    "load <URL>",
    "LOAD SILENT <URL>",
    "LOAD <URL> INTO GRAPH <http://x/g>",
    "LOAD SILENT <URL> INTO GRAPH <http://x/g>",
    "DROP SILENT GRAPH <http://x/g> ; #\rLOAD <URL>",
    "INSERT { GRAPH <http://x/g> { ?s ?p ?o } } WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "INSERT { GRAPH <http://x/g> { ?s ?p ?o } } WHERE { #\rSERVICE <URL> { ?s ?p ?o }\n}",
    "DELETE { ?s ?p ?o } WHERE { SERVICE SILENT <URL> { ?s ?p ?o } }",
    "WITH <http://x/g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { service <URL> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("update", REMOTE_UPDATES)
def test_serve_remote_update_is_refused_and_not_fetched(writable, listener, update):
    status, _, body = _update(writable, update.replace("URL", listener.url), TOKEN)
    assert not listener.contacted(), "the server fetched from the listener"
    assert status == 403 and b"refused" in body


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { <http://x/\\u0053ERVICE> ?p ?o }",               # an IRI, not a keyword
    'SELECT ?x WHERE { BIND ("\\u0022 SERVICE <URL> { }" AS ?x) }',     # one string for Oxigraph
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # SERVICE <URL> { ?s ?p ?o }\r",
    "PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ?service } LIMIT 1",
])
def test_serve_service_as_a_name_or_in_a_string_is_allowed(server, listener, query):
    status, _, body = get(server, query.replace("URL", listener.url), "text/csv")
    assert not listener.contacted()
    assert status == 200, body


@pytest.mark.parametrize("query", ["SELECT * WHERE { ?s ?p ?o ", "SELECT * WHERE { ?s ?p ?o } \\u0041",
                                   "SELECT * WHERE { ?s ?p ?o } GARBAGE"])
def test_serve_query_that_does_not_parse_is_400(server, query):
    assert get(server, query)[0] == 400


# -- request bodies: the size comes from the bytes read (issue #16, item 4)


def raw(srv, headers: list[tuple[str, str]], body: bytes = b"", *, path: str = "/query",
        shut: bool = False, timeout: float = 5.0) -> tuple[int | None, bytes]:
    """A hand-made POST (any header, any body) on a plain socket; the answer's status and body.
    ``shut``: end the request with a half-close, as a client with nothing more to send."""
    host, port = srv.httpd.server_address[:2]
    head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(head.encode() + b"\r\n" + body)
        if shut:
            sock.shutdown(socket.SHUT_WR)
        return _answer(sock)


def _answer(sock) -> tuple[int | None, bytes]:
    data = b""
    try:
        while piece := sock.recv(65536):
            data += piece
    except OSError:  # a timeout (the server is still reading) or a reset
        pass
    head, _, body = data.partition(b"\r\n\r\n")
    status = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    return (int(status.group(1)) if status else None), body


SPARQL_QUERY = ("Content-Type", "application/sparql-query")


@pytest.mark.parametrize("length", ["-1", "-200000000", "12abc", "+6", "6_0", "0x6", "1e3", ""])
def test_serve_bad_content_length_is_400_without_reading_the_body(server, length):
    # -1 made the server read until the client closed: a 200 MB body went through the 16 MiB cap;
    # +6 and 6_0 are numbers to int() and made it wait for a body never sent
    start = time.monotonic()
    status, body = raw(server, [SPARQL_QUERY, ("Content-Length", length)], timeout=3)
    assert status == 400 and b"Content-Length" in body, body
    assert time.monotonic() - start < 2.5


def test_serve_two_different_content_lengths_are_400(server):
    status, body = raw(server, [SPARQL_QUERY, ("Content-Length", "6"), ("Content-Length", "60")],
                       b"ASK {}")
    assert status == 400 and b"Content-Length" in body


def test_serve_post_without_content_length_is_411(server):
    status, body = raw(server, [SPARQL_QUERY], b"ASK {}", shut=True)
    assert status == 411 and b"Content-Length" in body


def test_serve_body_shorter_than_announced_is_400(server):
    status, body = raw(server, [SPARQL_QUERY, ("Content-Length", "100")], b"ASK {}", shut=True)
    assert status == 400 and b"ended before" in body


def test_serve_content_length_over_the_cap_is_413_before_any_byte_is_read(server):
    status, body = raw(server, [SPARQL_QUERY, ("Content-Length", str(MAX_BODY + 1))], timeout=3)
    assert status == 413 and f"over {MAX_BODY} bytes".encode() in body


def test_serve_client_sending_a_body_over_the_cap_reads_the_413(server):
    # the server refuses unread, then reads and drops the rest for a moment: a plain client,
    # which sends its whole body before it reads, gets the 413 rather than a reset connection
    status, _, body = http(f"{server.url}/query", b"ASK {} #" + b"x" * MAX_BODY,
                           {"Content-Type": "application/sparql-query"})
    assert status == 413 and b"16 MiB" in body


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def test_serve_chunked_query_is_read(server):
    body = _chunk(b"ASK ") + b"2;ext=1\r\n{ \r\n" + _chunk(b"?s ?p ?o }") + b"0\r\nX-Trailer: 1\r\n\r\n"
    status, out = raw(server, [SPARQL_QUERY, ("Transfer-Encoding", "chunked")], body)
    assert status == 200 and json.loads(out)["boolean"] is True


@pytest.mark.parametrize("body", [b"zz\r\nASK {}\r\n0\r\n\r\n", b"3\r\nASK {}\r\n0\r\n\r\n"])
def test_serve_malformed_chunks_are_400(server, body):
    status, out = raw(server, [SPARQL_QUERY, ("Transfer-Encoding", "chunked")], body, shut=True)
    assert status == 400 and b"chunked" in out


def test_serve_chunked_body_over_the_cap_is_413_and_not_read_to_the_end(server):
    host, port = server.httpd.server_address[:2]
    piece, total, sent = _chunk(b"#" * (1 << 20)), 48 << 20, 0
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(f"POST /query HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-query"
                     "\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
        try:
            while sent < total and not select.select([sock], [], [], 0)[0]:
                sock.sendall(piece)
                sent += len(piece)
        except OSError:
            pass
        status, body = _answer(sock)
    assert status == 413 and f"over {MAX_BODY} bytes".encode() in body
    assert sent < total, "the server read the whole chunked body"


# -- result size in bytes, not only rows


@pytest.fixture(scope="module")
def small(desk_dir):
    """A server whose results may be 4 KiB at most (and any number of rows)."""
    srv = Server(ServeConfig(desk_dir, port=0, timeout=5, max_rows=100_000, max_result_bytes=4096)).start()
    try:
        yield srv
    finally:
        srv.close()


DOUBLINGS = "".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1}) " for i in range(20))
TEN_MB_ROW = f'SELECT ?a20 WHERE {{ BIND("0123456789" AS ?a0) {DOUBLINGS}}}'   # one 10 MiB value
ALL_TEXT = "SELECT (GROUP_CONCAT(STR(?o); separator=' ') AS ?all) WHERE { ?s ?p ?o }"


def test_serve_default_result_byte_limit():
    assert ServeConfig("x").max_result_bytes == 8 * 1024 * 1024


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv"])
def test_serve_one_huge_row_passes_no_more(server, accept):
    # max_rows is 100 here; one row of 10 MiB went through whole
    status, _, body = get(server, TEN_MB_ROW, accept)
    assert status == 422 and b"8388608 bytes (8 MiB)" in body and b"--max-result-bytes" in body


def test_serve_group_concat_over_the_byte_limit_is_422(small):
    status, _, body = get(small, ALL_TEXT)
    assert status == 422 and b"over 4096 bytes (4 KiB)" in body and b"--max-result-bytes" in body


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_serve_many_short_rows_over_the_byte_limit_are_422(small, accept):
    assert get(small, "SELECT * WHERE { ?s ?p ?o }", accept)[0] == 422
    status, _, body = get(small, "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 3", accept)
    assert status == 200 and len(body) < 4096


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/rdf+xml",
                                    "application/ld+json"])
def test_serve_construct_over_the_byte_limit_is_422(small, accept):
    status, _, body = get(small, "CONSTRUCT WHERE { ?s ?p ?o }", accept)
    assert status == 422 and b"4096 bytes" in body
    assert get(small, CARD, accept)[0] == 200


def test_serve_rows_are_written_as_write_results_writes_them():
    from kg.output import write_results
    from kg.workers import RowWriter

    names = ["a", "b"]
    rows = [{"a": {"type": "uri", "value": "http://x/1"}, "b": {"type": "literal", "value": 'ש"ל,\nום',
                                                               "xml:lang": "he"}},
            {"b": {"type": "literal", "value": "2", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}},
            {"a": {"type": "bnode", "value": "b0"}}]
    for fmt in ("json", "xml", "csv", "tsv"):
        w = RowWriter(names, fmt)
        streamed = w.head + "".join(w.row(r, i == 0) for i, r in enumerate(rows)) + w.tail
        assert streamed == write_results(names, rows, fmt)
        assert w.head + w.tail == write_results(names, [], fmt)


# -- user errors are 4xx with the engine's message, 500 is for the endpoint's own faults


@pytest.mark.parametrize("update,message", [
    ("DROP GRAPH <http://x/missing>", b"does not exist"),
    ("CLEAR GRAPH <http://x/missing>", b"does not exist"),
    ("MOVE <http://x/missing> TO <http://x/g2>", b"does not exist"),
    ("CREATE GRAPH <https://w3id.org/footkg/article/ynet-900006>", b"already exists"),
    ("INSERT { GRAPH <http://x/g> { <http://x/a> <http://x/b> ?o } } WHERE { BIND(<http://x/f>(1) AS ?o) }",
     b"not supported"),
])
def test_serve_update_user_errors_are_400(writable, update, message):
    status, _, body = _update(writable, update, TOKEN)
    assert status == 400 and message in body and b"internal" not in body, body
    assert _update(writable, "DROP SILENT GRAPH <http://x/missing>", TOKEN)[0] == 204


@pytest.mark.parametrize("query,params,message", [
    ("SELECT (<http://x/f>(1) AS ?x) {}", {}, b"not supported"),
    ("SELECT (<http://www.w3.org/2001/XMLSchema#integer>('1', '2') AS ?x) {}", {}, b"arguments"),
    ("ASK {}", {"default-graph-uri": "not an iri"}, b"default-graph-uri"),
    ("ASK {}", {"named-graph-uri": "relative"}, b"named-graph-uri"),
])
def test_serve_query_user_errors_are_400(server, query, params, message):
    status, _, body = get(server, query, **params)
    assert status == 400 and message in body and b"internal" not in body, body


# -- fresh snapshots while another process writes


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _number(srv, query: str = COUNT) -> int:
    status, _, body = get(srv, query, "text/csv")
    assert status == 200, body
    return int(body.decode().split()[1])


def test_serve_read_only_workers_see_what_kg_ingest_wrote(tmp_path):
    from tests.conftest import ROOT

    path = str(tmp_path / "kg")
    load_desk(open_store(path)).close()
    with Server(ServeConfig(path, port=0, timeout=1.5, workers=2)) as srv:
        before = _number(srv)
        viewer = http(srv.url + "/")[2]
        assert get(srv, ENDLESS)[0] == 503        # one worker is killed and replaced
        deadline = time.monotonic() + 30
        while len(srv.endpoint.pool.running) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        subprocess.run([sys.executable, "-m", "kg", "ingest", str(ROOT / "tests" / "fixtures" / "articles"),
                        "--store", path], check=True, capture_output=True, timeout=120)
        truth = open_store(path, read_only=True).count()
        assert truth > before
        # each answer from a snapshot taken after the write, whichever worker answers
        assert [_number(srv) for _ in range(6)] == [truth] * 6
        assert http(srv.url + "/")[2] != viewer   # the viewer page is rebuilt too


WRITER = """
import sys, time, pyoxigraph as ox
store = ox.Store(sys.argv[1])
print("open", flush=True)
for i in range(int(sys.argv[2])):
    store.update(f'INSERT DATA {{ GRAPH <http://x/w{i}> {{ <http://x/a> <http://x/b> {i} }} }}')
    time.sleep(0.02)
store.flush()
"""


def test_serve_answers_never_go_back_while_another_process_writes(tmp_path):
    path = str(tmp_path / "kg")
    load_desk(open_store(path)).close()
    with Server(ServeConfig(path, port=0, timeout=5, workers=2)) as srv:
        first = _number(srv, GRAPHS)
        writer = subprocess.Popen([sys.executable, "-c", WRITER, path, "60"], stdout=subprocess.PIPE,
                                  text=True)
        try:
            assert writer.stdout.readline() == "open\n"
            seen = []
            while writer.poll() is None:
                seen.append(_number(srv, GRAPHS))
            assert writer.wait(30) == 0
        finally:
            if writer.poll() is None:
                writer.kill()
        seen += [_number(srv, GRAPHS) for _ in range(4)]
    assert seen == sorted(seen), "an answer came from an older snapshot than the one before it"
    assert seen[-4:] == [first + 60] * 4 and len(set(seen)) > 2


# -- a fair share for fast queries


def test_serve_fast_queries_are_answered_while_a_slow_one_runs(server):
    # 2 workers: the slow query holds one until the time limit (1.5 s), then its worker is
    # killed and replaced; fast queries go to the other meanwhile, and to both after
    slow: list[int] = []
    thread = threading.Thread(target=lambda: slow.append(get(server, ENDLESS)[0]))
    start = time.monotonic()
    thread.start()
    times, during = [], 0
    try:
        time.sleep(0.2)
        while thread.is_alive() or len(times) < 10:
            t = time.monotonic()
            assert get(server, LABELS, "text/csv")[0] == 200
            times.append(time.monotonic() - t)
            during += thread.is_alive()
    finally:
        thread.join(10)
    assert slow == [503] and time.monotonic() - start >= 1.5
    assert during >= 3, "the fast queries waited for the slow one"
    assert max(times) < 1.0, times  # none waited for a worker (nor for a replacement's start-up)


@pytest.mark.parametrize("text", ["", "  # nothing\n", "PREFIX x: <http://x/>"])
def test_serve_empty_query_is_400_no_query(server, text):
    status, _, body = http(f"{server.url}/query", text.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 400 and b"no query" in body
