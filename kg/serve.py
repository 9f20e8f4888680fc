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
- Result limits, in rows (``max_rows``) and in bytes of the serialized result
  (``max_result_bytes``, 8 MiB): the worker serializes the solutions as they come
  and stops at the first row or write past either limit, so one huge
  ``GROUP_CONCAT`` row is refused without building all of its text. Both answer
  422 (Unprocessable Content) with a message naming the limit: the request is
  valid but asks for more than this endpoint gives, and the client must change
  the query (not its body, as 413 would say; nor is it the server's fault, as a
  5xx such as 507 would say, inviting a retry of the same query).
- Request bodies: at most ``MAX_BODY`` (16 MiB). The size comes from the bytes
  read, never from a header alone: a body announced as longer is refused (413)
  before a byte of it is read; a chunked body is read chunk by chunk and refused
  as soon as it passes the cap; a Content-Length that is not a plain decimal
  number (``-1``, ``12abc``, two that differ) is 400, a POST with neither
  Content-Length nor chunked transfer 411, a body that ends early 400. At most
  the cap is ever read. After refusing a body it has not read, the server
  closes its side, then reads and drops what the client still sends for a
  moment (a "lingering close", bounded in time and bytes), so that the client
  reads the refusal instead of a connection reset.
- Errors: 4xx with the engine's message for what the request got wrong (syntax,
  a bad IRI, ``DROP GRAPH`` of a graph that does not exist, an unknown function);
  500 only for the endpoint's own faults (see ``kg.workers._handle``).
- Read-only mode runs several workers, each opening the store read-only.
  Update mode runs one worker that owns the store read-write (RocksDB allows
  one writer), so queries and updates are serialised.
- Fresh answers while another process writes: a read-only opening is a
  snapshot, so before each request a read-only worker compares the store's
  files with those of its snapshot and reopens it when they changed (``kg
  ingest`` wrote meanwhile); see ``kg.workers.Snapshot``. Each request is
  answered from one consistent snapshot, never older than the store when the
  request came in, so consecutive queries agree whichever worker answers. The
  cached viewer page is rebuilt when the store changed, the same way.
- A fair share for fast queries: each request holds one worker, so with N
  workers (``--workers``, 2 by default) up to N-1 slow queries leave a worker
  free and a fast query is answered at once (a test checks it with 2 workers
  and a query running until the time limit). The killed worker's replacement
  starts in the background and warms up (imports, first engine call) before it
  takes requests; the viewer page is built by one worker at a time. Only N slow
  queries at once fill the pool: a request then waits at most ``--timeout``
  for a worker, then gets 503.
"""

from __future__ import annotations

import hmac
import logging
import re
import signal
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from kg.errors import StoreError
from kg.protocol import (  # noqa: F401 - ServeConfig, negotiate and the tables are also kg.serve's API
    CONTENT_TYPES, GRAPH_TYPES, SELECT_TYPES, SHORT_NAMES, Refused, ServeConfig, negotiate,
)
from kg.workers import WorkerPool, human_bytes, store_signature

log = logging.getLogger(__name__)

MAX_BODY = 16 * 1024 * 1024     # bytes of a request body
BODY_SECONDS = 120.0            # to receive a whole request body
LINGER_SECONDS = 2.0            # to read and drop what a client still sends after a refusal
LINGER_BYTES = 64 * 1024 * 1024
_DECIMAL = re.compile(r"[0-9]+")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;.*)?")


# -- HTTP


class Endpoint:
    """What the handler calls: checks, limits and the worker pool."""

    def __init__(self, config: ServeConfig):
        config.check()
        self.config = config
        self.pool = WorkerPool(config)
        self._viewer: bytes | None = None
        self._viewer_signature: tuple | None = None
        self._viewer_lock = threading.Lock()

    def query(self, sparql: str, accept: str | None, asked: str | None,
              default=(), named=()) -> tuple[int, str, bytes]:
        """The worker checks the query (SERVICE, syntax, form), negotiates the format, answers."""
        msg = ("query", sparql, accept, asked, self.config.max_rows, tuple(default), tuple(named),
               self.config.allow_service, self.config.max_result_bytes)
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
        """The viewer page, built by a worker and kept until the store changes (an update
        here, or another process writing to the store directory)."""
        with self._viewer_lock:
            signature = store_signature(self.config.location)
            if self._viewer is None or signature != self._viewer_signature:
                status, _, body = self.pool.call(("viewer",), max(self.config.timeout, 120.0))
                if status != 200:
                    return status, "text/plain; charset=utf-8", body
                self._viewer, self._viewer_signature = body, signature
            return 200, "text/html; charset=utf-8", self._viewer

    def close(self) -> None:
        self.pool.close()


def _too_long(limit: int) -> Refused:
    return Refused(413, f"request body over {limit} bytes ({human_bytes(limit)}), the endpoint's "
                        "limit; send a shorter query or update")


def _read_exactly(rfile, n: int, deadline: float, into: bytearray) -> None:
    """``n`` more bytes of ``rfile`` appended to ``into``; 400 if the body ends first."""
    while n > 0:
        if time.monotonic() > deadline:
            raise Refused(408, f"the request body did not arrive within {BODY_SECONDS:g} s")
        piece = rfile.read1(min(n, 65536))
        if not piece:
            raise Refused(400, "the request body ended before the length it announced")
        into += piece
        n -= len(piece)


def read_body(headers, rfile, limit: int) -> bytearray:
    """A request body, by ``Content-Length`` or chunked transfer, at most ``limit`` bytes.

    The length is checked before each read, never trusted after: a Content-Length over
    ``limit`` is refused (413) unread, a chunk that would pass it too, so no more than
    ``limit`` bytes are ever held. Refused 400 for a Content-Length that is not a plain
    decimal number (``-1``, ``1e3``, ``+5``, two that differ) or a malformed chunk, 411
    for a body with neither header, 501 for a transfer coding other than chunked."""
    deadline = time.monotonic() + BODY_SECONDS
    lengths = {v.strip() for v in headers.get_all("Content-Length") or ()}
    coding = ",".join(headers.get_all("Transfer-Encoding") or ()).strip().lower()
    body = bytearray()
    try:
        if coding:
            if lengths:
                raise Refused(400, "a request has Content-Length or Transfer-Encoding, not both")
            if coding != "chunked":
                raise Refused(501, f"transfer coding {coding!r} not supported: send Content-Length "
                                   "or chunked")
            while True:
                line = rfile.readline(1026)
                match = _CHUNK_SIZE.fullmatch(line.rstrip(b"\r\n"))
                if not line.endswith(b"\n") or not match:
                    raise Refused(400, "malformed chunked body: bad chunk-size line")
                size = int(match.group(1), 16)
                if size == 0:
                    for _ in range(64):  # trailer fields, dropped, then the empty line
                        trailer = rfile.readline(8194)
                        if trailer in (b"\r\n", b"\n", b""):
                            return body
                    raise Refused(400, "malformed chunked body: too many trailer fields")
                if len(body) + size > limit:
                    raise _too_long(limit)
                _read_exactly(rfile, size, deadline, body)
                if rfile.readline(3) not in (b"\r\n", b"\n"):
                    raise Refused(400, "malformed chunked body: a chunk is longer than its size")
        if not lengths:
            raise Refused(411, "a POST needs Content-Length (or Transfer-Encoding: chunked)")
        text = ", ".join(sorted(lengths))
        if len(lengths) > 1 or not _DECIMAL.fullmatch(text):
            raise Refused(400, f"bad Content-Length {text!r}: it must be one whole number of bytes, "
                               "0 or more")
        if int(text) > limit:
            raise _too_long(limit)
        _read_exactly(rfile, int(text), deadline, body)
        return body
    except TimeoutError:
        raise Refused(408, "the request body stopped arriving") from None


class Handler(BaseHTTPRequestHandler):
    server_version = "footkg"
    endpoint: Endpoint  # set on the subclass made by make_server
    timeout = 30  # seconds a connection may stay silent (socket timeout on each read)

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
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        data = read_body(self.headers, self.rfile, MAX_BODY)
        self._body_read = True
        return ctype, data.decode("utf-8")

    def _declares_body(self) -> bool:
        return bool(self.headers.get("Transfer-Encoding")) or (
            (self.headers.get("Content-Length") or "0").strip() not in ("", "0"))

    def _linger(self) -> None:
        """Close our side, then read and drop what the client still sends, for a moment: a
        close with unread bytes would reset the connection before the client reads the answer."""
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + LINGER_SECONDS
            dropped = 0
            while dropped < LINGER_BYTES and (left := deadline - time.monotonic()) > 0:
                self.connection.settimeout(left)
                piece = self.connection.recv(65536)
                if not piece:
                    break
                dropped += len(piece)
        except OSError:
            pass
        self.close_connection = True

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
        self._body_read = False
        extra = None
        try:
            status, ctype, body = self._route(method)
        except Refused as exc:
            extra = {"WWW-Authenticate": 'Bearer realm="kg"'} if exc.status == 401 else None
            status, ctype, body = exc.status, "text/plain; charset=utf-8", (str(exc) + "\n").encode()
        except (UnicodeDecodeError, ValueError) as exc:
            status, ctype, body = 400, "text/plain; charset=utf-8", f"bad request: {exc}\n".encode()
        try:
            self._send(status, ctype, body, extra)
        except (BrokenPipeError, ConnectionResetError):  # the client left without its answer
            self.close_connection = True
            return
        if not self._body_read and (self.command == "POST" or self._declares_body()):
            self._linger()

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
