"""The worker processes behind ``kg serve``: each opens the store and evaluates
queries; the pool hands a request to a free worker and kills one that runs past
the time limit (pyoxigraph cannot interrupt a query, and a thread cannot be
killed, so only a process really frees the CPU and memory). See ``kg/serve.py``.
"""

from __future__ import annotations

import logging
import queue
import re
import socket
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import StoreError
from kg.output import XSD_STRING, ask_result, write_results

if TYPE_CHECKING:
    from kg.serve import ServeConfig

log = logging.getLogger(__name__)


class Refused(Exception):
    """A request the endpoint answers with an error status and a message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


# -- what a request would make the engine do


REMOTE_OPERATIONS = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}
_FORMS = {"SelectQuery": "select", "ConstructQuery": "construct", "DescribeQuery": "describe",
          "AskQuery": "ask"}
_ESCAPES = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)


def _oxigraph_view(text: str) -> str:
    """The text as Oxigraph's parser sees it, in a form rdflib's grammar reads the same way.

    Oxigraph ends a comment at CR as well as LF (rdflib only at LF): CR becomes LF,
    which changes nothing else (neither may stand in a short string or an IRI, both
    may in a long string). Oxigraph decodes ``\\uXXXX`` only inside strings and IRIs,
    where rdflib's grammar has no such escape (rdflib decodes them in the whole text
    before parsing, the SPARQL spec's way): each becomes the letter ``x``, which keeps
    the string or IRI as long as it was. Other backslash pairs are kept, read left
    to right so that ``\\\\u0022`` stays an escaped backslash and ``u0022``."""
    text = text.replace("\r", "\n")
    return _ESCAPES.sub(lambda m: "x" if m.group()[1] in "uU" else m.group(), text)


def _walk(node, found: set[str]) -> None:
    stack = [node]
    while stack:
        node = stack.pop()
        name = getattr(node, "name", None)
        if name in REMOTE_OPERATIONS:
            found.add(REMOTE_OPERATIONS[name])
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)


def _parse(text: str, kind: str):
    """rdflib's parse of a query or an update (its grammar, no escape decoding), or the error."""
    from rdflib.plugins.sparql.parser import Query, UpdateUnit

    try:
        return (Query if kind == "query" else UpdateUnit).parse_string(text, parse_all=True), None
    except Exception as exc:  # noqa: BLE001 - pyparsing errors, RecursionError on deep nesting
        return None, exc


def inspect_request(text: str, kind: str, allow_service: bool) -> str:
    """Check a query (``kind="query"``) or an update with a SPARQL parser; the query form.

    Raises Refused: 403 when the request holds SERVICE or LOAD (unless
    ``allow_service``), 400 when it does not parse, or is an update sent as a
    query. Two parses are read: the text as Oxigraph reads it (see
    ``_oxigraph_view``), which must parse, and the text with codepoint escapes
    decoded first, as the SPARQL spec says (``\\u0053ERVICE`` is SERVICE there);
    SERVICE or LOAD in either is refused. The hand tokenizer of kg.queries adds its
    view too (a third net; it only ever adds refusals)."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    from kg.queries import remote_calls

    view = _oxigraph_view(text)
    parsed, error = _parse(view, kind)
    try:
        spec, _ = _parse(expandUnicodeEscapes(text.replace("\r", "\n")), kind)
    except Exception:  # noqa: BLE001 - a bad escape: that view is just absent
        spec = None
    found: set[str] = set(remote_calls(view))
    for tree in (parsed, spec):
        if tree is not None:
            _walk(tree, found)
    if found and not allow_service:
        raise Refused(403, f"{' and '.join(sorted(found))} refused: this endpoint does not fetch from "
                           "other hosts (federated queries are off; kg serve --allow-service turns them on)")
    if parsed is None:
        if kind == "query" and _parse(view, "update")[0] is not None:
            raise Refused(400, "this is a SPARQL Update: POST it to /update")
        raise Refused(400, f"SPARQL syntax error (or SPARQL this endpoint cannot check): {error}")
    return _FORMS.get(getattr(parsed[1], "name", None), "unknown") if kind == "query" else "update"


# -- inside a worker process


def _ox_json(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    parts = {"subject": t.subject, "predicate": t.predicate, "object": t.object}
    return {"type": "triple", "value": {k: _ox_json(v) for k, v in parts.items()}}


def _too_many(max_rows: int):
    return Refused(422, f"the result has more than {max_rows} rows, the endpoint's result-size "
                        "limit (kg serve --max-rows); add a LIMIT or narrow the query")


def _graph_body(triples, fmt: str) -> bytes:
    from kg.graph import PREFIXES

    formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}
    prefixes = PREFIXES if fmt in ("turtle", "rdfxml") else None
    return ox.serialize(triples, format=formats[fmt], prefixes=prefixes)


def evaluate(store, sparql: str, fmt: str, max_rows: int, default=(), named=()) -> bytes:
    """Run a query on a pyoxigraph store, stopping at ``max_rows``; the result in ``fmt``."""
    kwargs = {"use_default_graph_as_union": not default}
    if default:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default]
    if named:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named]
    res = store.query(sparql, **kwargs)
    if isinstance(res, (bool, ox.QueryBoolean)):
        return ask_result(bool(res), fmt).encode("utf-8")
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        rows = []
        for sol in res:
            if len(rows) == max_rows:
                raise _too_many(max_rows)
            rows.append({n: _ox_json(sol[n]) for n in names if sol[n] is not None})
        return write_results(names, rows, fmt).encode("utf-8")
    triples = []
    for t in res:
        if len(triples) == max_rows:
            raise _too_many(max_rows)
        triples.append(t)
    return _graph_body(triples, fmt)


def _viewer_page(store) -> bytes:
    import tempfile
    from pathlib import Path

    from kg.viewer import write_viewer

    with tempfile.TemporaryDirectory(prefix="kg-serve-") as tmp:
        path = Path(tmp) / "graph.html"
        write_viewer(store, path)
        return path.read_bytes()


def _handle(store, msg) -> tuple[int, str | None, bytes]:
    """(status, result format or None for plain text, body) for one request.

    ``("query", sparql, accept, asked, max_rows, default, named, allow_service)``,
    ``("update", sparql, allow_service)`` or ``("viewer",)``. Queries and updates are
    checked here (``inspect_request``), inside the time limit: a parse of a huge or
    deeply nested text is killed like a slow query."""
    kind = msg[0]
    try:
        if kind == "query":
            from kg.serve import negotiate

            sparql, accept, asked, max_rows, default, named, allow_service = msg[1:]
            form = inspect_request(sparql, "query", allow_service)
            fmt = negotiate(form, accept, asked)
            return 200, fmt, evaluate(store.ox, sparql, fmt, max_rows, default, named)
        if kind == "update":
            inspect_request(msg[1], "update", msg[2])
            store.ox.update(msg[1])  # committed (in RocksDB's log) when it returns
            return 204, None, b""
        return 200, "html", _viewer_page(store)
    except Refused as exc:
        return exc.status, None, f"{exc}\n".encode("utf-8")
    except SyntaxError as exc:
        return 400, None, f"SPARQL syntax error: {exc}\n".encode("utf-8")
    except (ValueError, OSError) as exc:
        return 400, None, f"query failed: {exc}\n".encode("utf-8")
    except Exception as exc:  # noqa: BLE001 - reported to the client, the worker lives on
        log.exception("kg serve worker")
        return 500, None, f"internal error: {type(exc).__name__}: {exc}\n".encode("utf-8")


def worker_main(conn, location: str, read_only: bool) -> None:
    """A worker process: open the store, then answer requests until the pipe closes."""
    from kg.store import EmbeddedStore

    try:
        store = EmbeddedStore(location, read_only=read_only)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops
        conn.send(("error", str(exc)))
        return
    conn.send(("ready", ""))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_handle(store, msg))


def _worker_entry() -> None:
    """``python -c 'from kg.workers import _worker_entry; _worker_entry()' FD LOCATION ro|rw``."""
    from multiprocessing.connection import Connection

    fd, location, mode = sys.argv[1:4]
    worker_main(Connection(int(fd)), location, mode == "ro")


# -- in the server process


class Worker:
    """One worker process (a fresh interpreter, not a fork of the threaded server) and its socket."""

    def __init__(self, location: str, read_only: bool, startup: float = 60.0):
        from multiprocessing.connection import Connection

        parent, child = socket.socketpair()
        code = "from kg.workers import _worker_entry; _worker_entry()"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, str(child.fileno()), location, "ro" if read_only else "rw"],
            pass_fds=[child.fileno()], stdin=subprocess.DEVNULL)
        child.close()
        self.conn = Connection(parent.detach())
        if not self.conn.poll(startup):
            self.kill()
            raise StoreError(f"{location}: a query worker did not start within {startup:.0f} s")
        try:
            status, message = self.conn.recv()
        except EOFError:
            status, message = "error", f"{location}: a query worker exited while starting"
        if status != "ready":
            self.kill()
            raise StoreError(message)

    def call(self, msg, timeout: float) -> tuple[int, str | None, bytes] | None:
        """The worker's reply, or None when the time limit passed (the worker is then killed)."""
        try:
            self.conn.send(msg)
            if self.conn.poll(timeout):
                return self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise StoreError("a query worker died") from None
        self.kill()
        return None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            log.error("kg serve: worker %s did not stop", self.proc.pid)
        self.conn.close()


class WorkerPool:
    """Idle workers wait in a queue; a killed one is replaced in the background."""

    def __init__(self, config: ServeConfig):
        self.config = config
        self.read_only = not config.allow_update
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.running: set[Worker] = set()
        self.lock = threading.Lock()
        self.closed = False
        try:
            for _ in range(config.workers if self.read_only else 1):
                self._start()
        except StoreError:
            self.close()
            raise

    def _start(self) -> None:
        worker = Worker(self.config.location, self.read_only)
        with self.lock:
            if not self.closed:
                self.running.add(worker)
                self.idle.put(worker)
                return
        worker.kill()

    def _replace(self, dead: Worker) -> None:
        with self.lock:
            self.running.discard(dead)
        try:
            self._start()
        except StoreError as exc:
            log.error("kg serve: cannot restart a worker: %s", exc)

    def call(self, msg, timeout: float) -> tuple[int, str | None, bytes]:
        try:
            worker = self.idle.get(timeout=timeout)
        except queue.Empty:
            raise Refused(503, f"the endpoint is busy: no worker free within {timeout:g} s") from None
        try:
            reply = worker.call(msg, timeout)
        except StoreError as exc:
            reply, error = None, Refused(500, str(exc))
        else:
            error = Refused(503, f"query stopped after {timeout:g} s, the endpoint's time limit "
                                 "(kg serve --timeout)")
        if reply is None:
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            raise error
        self.idle.put(worker)
        return reply

    def close(self) -> None:
        """Stop every worker, busy ones included."""
        with self.lock:
            self.closed = True
            workers, self.running = self.running, set()
        for worker in workers:
            worker.kill()
