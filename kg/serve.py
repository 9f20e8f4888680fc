"""``kg serve``: the embedded store over the SPARQL 1.1 Protocol, and the viewer at ``/``.

``GET``/``POST /query`` (also ``/sparql``) answer queries, ``POST /update``
applies SPARQL Update. Results come as JSON, XML, CSV or TSV (SELECT, ASK) and
Turtle, N-Triples, RDF/XML or JSON-LD (CONSTRUCT, DESCRIBE), by the ``Accept``
header or a ``format=`` parameter.

Safety:

- Read-only unless ``allow_update``; updates also need ``Authorization:
  Bearer <token>``.
- ``SERVICE`` (federation) and ``LOAD`` make the engine fetch from other hosts:
  refused unless ``allow_service``. The check reads a SPARQL parser's tree
  (rdflib's grammar, fed the text the way Oxigraph lexes it: comments end at CR
  too, codepoint escapes only inside strings and IRIs; see
  ``kg.workers.inspect_request``), so the word inside a string, an IRI or a
  comment is not a call, and a text the check cannot parse is refused (400).
  The check runs in the worker, under the time limit.
- A time limit and a row limit per query. pyoxigraph cannot interrupt a query,
  and a thread cannot be killed, so an abandoned thread would keep burning a
  core and holding memory. Queries therefore run in worker processes (fresh
  interpreters, not forks of the threaded server), each with the store open;
  on timeout the worker is killed (which really frees the CPU and memory) and a
  fresh one is started while the others go on answering. Killing is safe for
  writes too: an Oxigraph update is one transaction, all or nothing.
- Read-only mode runs several workers, each opening the store read-only.
  Update mode runs one worker that owns the store read-write (RocksDB allows
  one writer), so queries and updates are serialised.
"""

from __future__ import annotations

import hmac
import logging
import signal
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from kg.errors import StoreError
from kg.workers import Refused, WorkerPool

log = logging.getLogger(__name__)

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
MAX_BODY = 16 * 1024 * 1024


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

    def check(self) -> None:
        if self.allow_update and not self.token:
            raise StoreError("kg serve --allow-update needs a token (--token or KG_SERVE_TOKEN)")
        if self.location.startswith(("http://", "https://")) or "=" in self.location:
            raise StoreError("kg serve serves an embedded store directory, not a remote endpoint")
        if self.timeout <= 0 or self.max_rows <= 0 or self.workers <= 0:
            raise StoreError("kg serve: --timeout, --max-rows and --workers must be positive")


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


# -- HTTP


class Endpoint:
    """What the handler calls: checks, limits and the worker pool."""

    def __init__(self, config: ServeConfig):
        config.check()
        self.config = config
        self.pool = WorkerPool(config)
        self._viewer: bytes | None = None
        self._viewer_lock = threading.Lock()

    def query(self, sparql: str, accept: str | None, asked: str | None,
              default=(), named=()) -> tuple[int, str, bytes]:
        """The worker checks the query (SERVICE, syntax, form), negotiates the format, answers."""
        msg = ("query", sparql, accept, asked, self.config.max_rows, tuple(default), tuple(named),
               self.config.allow_service)
        status, fmt, body = self.pool.call(msg, self.config.timeout)
        return status, CONTENT_TYPES[fmt] if status == 200 else "text/plain; charset=utf-8", body

    def update(self, sparql: str, authorization: str | None) -> tuple[int, str, bytes]:
        if not self.config.allow_update:
            raise Refused(403, "this endpoint is read-only: updates need kg serve --allow-update and a token")
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(),
                                                                 self.config.token.encode()):
            raise Refused(401, "updates need 'Authorization: Bearer <token>' with the server's token")
        status, _, body = self.pool.call(("update", sparql, self.config.allow_service),
                                         self.config.timeout)
        if status == 204:
            self._viewer = None
        return status, "text/plain; charset=utf-8", body

    def viewer(self) -> tuple[int, str, bytes]:
        with self._viewer_lock:
            if self._viewer is None:
                status, _, body = self.pool.call(("viewer",), max(self.config.timeout, 120.0))
                if status != 200:
                    return status, "text/plain; charset=utf-8", body
                self._viewer = body
            return 200, "text/html; charset=utf-8", self._viewer

    def close(self) -> None:
        self.pool.close()


class Handler(BaseHTTPRequestHandler):
    server_version = "footkg"
    endpoint: Endpoint  # set on the subclass made by make_server

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        log.info("%s %s", self.address_string(), format % args)

    def _send(self, status: int, ctype: str, body: bytes, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _body(self) -> tuple[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise Refused(413, f"request body over {MAX_BODY} bytes")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return ctype, self.rfile.read(length).decode("utf-8") if length else ""

    def _route(self, method: str) -> tuple[int, str, bytes]:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if method == "GET" and url.path in ("/", "/index.html", "/graph.html"):
            return self.endpoint.viewer()
        if url.path not in ("/query", "/sparql", "/update"):
            raise Refused(404, "not here: SPARQL at /query (or /sparql) and /update, the viewer at /")
        if method == "POST":
            ctype, body = self._body()
            if ctype == "application/x-www-form-urlencoded":
                params.update(parse_qs(body, keep_blank_values=True))
            elif ctype == "application/sparql-query":
                params["query"] = [body]
            elif ctype == "application/sparql-update":
                params["update"] = [body]
            else:
                raise Refused(415, "POST a form, application/sparql-query or application/sparql-update")
        if "update" in params:
            if method != "POST" or url.path == "/query":
                raise Refused(400, "SPARQL Update is POSTed to /update")
            return self.endpoint.update(params["update"][0], self.headers.get("Authorization"))
        if "query" not in params or url.path == "/update":
            raise Refused(400, "no query: pass query=... (GET or POST) to /query")
        asked = (params.get("format") or params.get("output") or [None])[0]
        return self.endpoint.query(params["query"][0], self.headers.get("Accept"), asked,
                                   params.get("default-graph-uri", ()),
                                   params.get("named-graph-uri", ()))

    def _serve(self, method: str) -> None:
        try:
            status, ctype, body = self._route(method)
        except Refused as exc:
            extra = {"WWW-Authenticate": 'Bearer realm="kg"'} if exc.status == 401 else None
            status, ctype, body = exc.status, "text/plain; charset=utf-8", (str(exc) + "\n").encode()
            self._send(status, ctype, body, extra)
            return
        except (UnicodeDecodeError, ValueError) as exc:
            status, ctype, body = 400, "text/plain; charset=utf-8", f"bad request: {exc}\n".encode()
        self._send(status, ctype, body)

    def do_GET(self):  # noqa: N802 - http.server's names
        self._serve("GET")

    def do_HEAD(self):  # noqa: N802
        self._serve("GET")

    def do_POST(self):  # noqa: N802
        self._serve("POST")


class Server:
    """A running endpoint: ``with Server(config) as s: ... s.url``."""

    def __init__(self, config: ServeConfig):
        self.endpoint = Endpoint(config)
        handler = type("BoundHandler", (Handler,), {"endpoint": self.endpoint})
        try:
            self.httpd = ThreadingHTTPServer((config.host, config.port), handler)
        except OSError as exc:
            self.endpoint.close()
            raise StoreError(f"cannot listen on {config.host}:{config.port}: {exc.strerror}") from exc
        self.httpd.daemon_threads = True
        host, port = self.httpd.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread: threading.Thread | None = None

    def start(self) -> Server:
        """Serve in a background thread (tests, embedding)."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve until Ctrl-C or SIGTERM, then stop the workers."""
        def stop(signum, frame):
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, stop)
        try:
            self.httpd.serve_forever()
        except KeyboardInterrupt:
            log.info("kg serve: stopping")
        finally:
            signal.signal(signal.SIGTERM, previous)
            self.close()

    def close(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(5)
            self._thread = None
        self.httpd.server_close()
        self.endpoint.close()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
