"""The worker processes behind ``kg serve``: each opens the store and evaluates
queries; the pool hands a request to a free worker and kills one that runs past
the time limit (pyoxigraph cannot interrupt a query, and a thread cannot be
killed, so only a process really frees the CPU and memory). See ``kg/serve.py``.

A read-only worker answers each request from one snapshot of the store (a
``pyoxigraph.Store.read_only`` opening), and before each request checks whether
the files on disk changed since that snapshot was opened (``store_signature``:
RocksDB's logs, manifest and CURRENT, one ``scandir``); when they
did (``kg ingest`` wrote meanwhile) it opens a fresh snapshot first. So every
answer is consistent, and none is older than the store was when the request
came in: two workers, or a worker and its replacement, cannot disagree.
"""

from __future__ import annotations

import logging
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import StoreError
from kg.protocol import Refused  # noqa: F401 - also kg.workers' API
from kg.output import XSD_STRING, ask_result, write_results

if TYPE_CHECKING:
    from kg.protocol import ServeConfig

log = logging.getLogger(__name__)


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

    from kg.sparql_lex import remote_calls

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
        update = _parse(view, "update")[0] if kind == "query" else None
        if update is not None and any("request" in part for part in update):
            raise Refused(400, "this is a SPARQL Update: POST it to /update")
        if update is not None:  # nothing but a prologue and comments
            raise Refused(400, "no query: the text is empty (or only comments and prefixes)")
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


def human_bytes(n: int) -> str:
    """``8 MiB``, ``1.5 MiB``, ``4 KiB``, ``300 bytes``."""
    for unit, size in (("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def _too_big(max_bytes: int):
    return Refused(422, f"the result is over {max_bytes} bytes ({human_bytes(max_bytes)}) once "
                        "serialized, the endpoint's result-size limit (kg serve --max-result-bytes); "
                        "add a LIMIT, select fewer or shorter values (a GROUP_CONCAT of everything "
                        "is long), or narrow the query")


class CappedBuffer:
    """Bytes written up to ``limit``; the write that passes it raises 422 (``_too_big``), so a
    serializer writing here stops there instead of building the whole result first."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []

    def reserve(self, n: int) -> None:
        """Refuse now if ``n`` more bytes would pass the limit (a cheap look before serializing)."""
        if self.size + n > self.limit:
            raise _too_big(self.limit)

    def write(self, data) -> int:
        data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        self.reserve(len(data))
        self.size += len(data)
        self.parts.append(data)
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


# what kg.output.write_results writes after the last row, per format
_TAILS = {"json": "]}}\n", "xml": "</results>\n</sparql>\n", "csv": "", "tsv": ""}


class RowWriter:
    """``kg.output.write_results`` one row at a time: the same text, made as the rows come.

    The head is what the writer writes for no rows, less its tail; a row is what it
    writes for that row alone, less head and tail (JSON rows are joined by ``, ``,
    as ``json.dumps`` joins list items)."""

    def __init__(self, names: list[str], fmt: str):
        self.names, self.fmt = names, fmt
        empty = write_results(names, [], fmt)
        self.tail = _TAILS[fmt]
        if not empty.endswith(self.tail):
            raise StoreError(f"kg serve: the {fmt} result writer changed shape; update RowWriter")
        self.head = empty[: len(empty) - len(self.tail)]
        self.sep = ", " if fmt == "json" else ""

    def row(self, row: dict, first: bool) -> str:
        one = write_results(self.names, [row], self.fmt)
        return ("" if first else self.sep) + one[len(self.head): len(one) - len(self.tail)]


RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}


def _dataset(value: str, name: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise Refused(400, f"{name} {value!r} is not an absolute IRI: {exc}") from None


def evaluate(store, sparql: str, fmt: str, max_rows: int, default=(), named=(),
             max_bytes: int | None = None) -> bytes:
    """Run a query on a pyoxigraph store; the result in ``fmt``, serialized as the solutions
    come. Refused (422) at the ``max_rows``-th row or triple past the limit, and as soon as
    the text passes ``max_bytes`` (None: no byte limit)."""
    from kg.graph import PREFIXES

    kwargs = {"use_default_graph_as_union": not default}
    if default:
        kwargs["default_graph"] = [_dataset(g, "default-graph-uri") for g in default]
    if named:
        kwargs["named_graphs"] = [_dataset(g, "named-graph-uri") for g in named]
    res = store.query(sparql, **kwargs)
    out = CappedBuffer(max_bytes if max_bytes is not None else sys.maxsize)
    if isinstance(res, (bool, ox.QueryBoolean)):
        out.write(ask_result(bool(res), fmt))
        return out.getvalue()
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        writer = RowWriter(names, fmt)
        out.write(writer.head)
        for i, sol in enumerate(res):
            if i == max_rows:
                raise _too_many(max_rows)
            row = {n: _ox_json(sol[n]) for n in names if sol[n] is not None}
            # each format writes every value at least once, and a UTF-8 text is at least as
            # many bytes as characters: a value too long for what is left is refused unwritten
            out.reserve(sum(len(t["value"]) for t in row.values() if isinstance(t["value"], str)))
            out.write(writer.row(row, i == 0))
        out.write(writer.tail)
        return out.getvalue()

    def triples():
        for i, t in enumerate(res):
            if i == max_rows:
                raise _too_many(max_rows)
            yield t

    prefixes = PREFIXES if fmt in ("turtle", "rdfxml") else None
    ox.serialize(triples(), out, format=RDF_FORMATS[fmt], prefixes=prefixes)
    return out.getvalue()


def _viewer_page(store) -> bytes:
    import tempfile
    from pathlib import Path

    from kg.viewer import write_viewer

    with tempfile.TemporaryDirectory(prefix="kg-serve-") as tmp:
        path = Path(tmp) / "graph.html"
        write_viewer(store, path)
        return path.read_bytes()


# RuntimeError is what pyoxigraph raises for most evaluation errors: these messages are the
# request's fault (a missing or existing graph, an unknown function, a bad SERVICE name);
# any other RuntimeError (storage corruption, an unexpected engine state) is an internal fault
USER_ERRORS = re.compile(
    r"graph \S+ (?:does not exist|already exists)"
    r"|function \S+ (?:is not supported|requires)"
    r"|service name is unbound|is not a valid service name|service \S+ is not supported"
    r"|does not contains? variable|content media type \S+ is not supported", re.I)


def _handle(store, msg) -> tuple[int, str | None, bytes]:
    """(status, result format or None for plain text, body) for one request.

    ``("query", sparql, accept, asked, max_rows, default, named, allow_service, max_bytes)``,
    ``("update", sparql, allow_service)`` or ``("viewer",)``. Queries and updates are
    checked here (``inspect_request``), inside the time limit: a parse of a huge or
    deeply nested text is killed like a slow query.

    Errors: 400 for what the request got wrong, with the engine's message (a syntax
    error, a bad IRI, ``DROP GRAPH`` of a graph that does not exist, an unknown
    function: see ``USER_ERRORS``); 502 when a SERVICE or LOAD allowed by
    ``--allow-service`` failed to fetch; 500 only for the endpoint's own faults (the
    store's I/O, anything unexpected), logged with the traceback."""
    kind = msg[0]
    what = "update" if kind == "update" else "query"
    allow_service = msg[7] if kind == "query" else msg[2] if kind == "update" else False
    try:
        if kind == "query":
            from kg.protocol import negotiate

            sparql, accept, asked, max_rows, default, named, allow_service, max_bytes = msg[1:]
            form = inspect_request(sparql, "query", allow_service)
            fmt = negotiate(form, accept, asked)
            return 200, fmt, evaluate(store.ox, sparql, fmt, max_rows, default, named, max_bytes)
        if kind == "update":
            inspect_request(msg[1], "update", msg[2])
            store.ox.update(msg[1])  # committed (in RocksDB's log) when it returns
            return 204, None, b""
        return 200, "html", _viewer_page(store)
    except Refused as exc:
        return exc.status, None, f"{exc}\n".encode("utf-8")
    except SyntaxError as exc:
        return 400, None, f"SPARQL syntax error: {exc}\n".encode("utf-8")
    except ValueError as exc:
        return 400, None, f"{what} failed: {exc}\n".encode("utf-8")
    except RuntimeError as exc:
        if USER_ERRORS.search(str(exc)):
            hint = (" (with SILENT, a graph that does not exist is no error)"
                    if kind == "update" and "does not exist" in str(exc) else "")
            return 400, None, f"{what} failed: {exc}{hint}\n".encode("utf-8")
        log.exception("kg serve worker")
        return 500, None, f"internal error: {exc}\n".encode("utf-8")
    except OSError as exc:
        if allow_service:  # SERVICE and LOAD fetch, and report their failures as OSError
            return 502, None, f"{what} failed (fetching from another host?): {exc}\n".encode("utf-8")
        log.exception("kg serve worker")
        return 500, None, f"internal error: the store: {exc}\n".encode("utf-8")
    except Exception as exc:  # noqa: BLE001 - reported to the client, the worker lives on
        log.exception("kg serve worker")
        return 500, None, f"internal error: {type(exc).__name__}: {exc}\n".encode("utf-8")


def store_signature(location: str) -> tuple | None:
    """What changes whenever another process commits to the store at ``location``: the
    name, inode, size and mtime of RocksDB's write-ahead logs (``*.log``: a commit appends
    to one), its ``MANIFEST-*`` (every new or removed SST file, by a flush, a compaction
    or a bulk load, is an edit appended to it) and ``CURRENT`` (which names the manifest).
    SST files themselves need no look. None when the directory is gone. One ``scandir``
    and a few ``stat``: microseconds, whatever the size of the store."""
    entries = []
    try:
        with os.scandir(location) as it:
            for entry in it:
                name = entry.name
                if not (name.endswith(".log") or name.startswith("MANIFEST-") or name == "CURRENT"):
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                except FileNotFoundError:  # removed meanwhile (an old log, an old manifest)
                    continue
                entries.append((name, st.st_ino, st.st_size, st.st_mtime_ns))
    except OSError:
        return None
    return tuple(sorted(entries))


class Snapshot:
    """The store a worker answers from. Read-only: a snapshot opened with
    ``pyoxigraph.Store.read_only`` (which sees what was committed when it was opened, and
    nothing later), reopened by ``current()`` when ``store_signature`` changed since.
    Read-write: the worker owns the store (no other writer can exist), always current."""

    def __init__(self, location: str, read_only: bool):
        from kg.store import EmbeddedStore

        self._open = lambda: EmbeddedStore(location, read_only=read_only)
        self.location, self.read_only = location, read_only
        self.signature = store_signature(location) if read_only else None
        self.store = self._open()

    def current(self):
        if not self.read_only:
            return self.store
        signature = store_signature(self.location)
        if signature == self.signature:
            return self.store
        error: Exception | None = None
        for attempt in range(8):
            try:
                store = self._open()  # the signature was taken first: no commit is missed
            except Exception as exc:  # noqa: BLE001 - RocksDB raises RuntimeError ("Corruption")
                # when the writer's compaction removed a file between reading the manifest and
                # opening the file: look again, open again
                error = exc
                time.sleep(0.01 * (attempt + 1))
                signature = store_signature(self.location)
                continue
            self.store, self.signature = store, signature
            return store
        log.warning("kg serve: cannot reopen the store, answering from the previous snapshot: %s",
                    error)
        return self.store


def _warm_up(snapshot: Snapshot) -> None:
    """Import and run what the first request needs (the checker's grammar, the engine), so a
    fresh worker, a replacement of a killed one too, answers its first query as fast as later ones."""
    from kg.protocol import negotiate  # noqa: F401 - imported for the first query

    inspect_request("ASK { ?s ?p ?o }", "query", False)
    inspect_request("DROP SILENT GRAPH <http://x/g>", "update", False)
    snapshot.store.ox.query("ASK { ?s ?p ?o }")


def worker_main(conn, location: str, read_only: bool) -> None:
    """A worker process: open the store, then answer requests until the pipe closes."""
    try:
        snapshot = Snapshot(location, read_only)
        _warm_up(snapshot)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops
        conn.send(("error", str(exc)))
        return
    conn.send(("ready", ""))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_handle(snapshot.current(), msg))


def _worker_entry() -> None:
    """``python -c 'from kg.workers import _worker_entry; _worker_entry()' FD LOCATION ro|rw``."""
    from multiprocessing.connection import Connection

    fd, location, mode = sys.argv[1:4]
    worker_main(Connection(int(fd)), location, mode == "ro")


# -- in the server process


class Worker:
    """One worker process (a fresh interpreter, not a fork of the threaded server) and its socket.
    ``Worker(...)`` starts it, ``ready()`` waits until it has opened the store."""

    def __init__(self, location: str, read_only: bool):
        from multiprocessing.connection import Connection

        self.location = location
        parent, child = socket.socketpair()
        code = "from kg.workers import _worker_entry; _worker_entry()"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, str(child.fileno()), location, "ro" if read_only else "rw"],
            pass_fds=[child.fileno()], stdin=subprocess.DEVNULL)
        child.close()
        self.conn = Connection(parent.detach())

    def ready(self, startup: float = 60.0) -> Worker:
        if not self.conn.poll(startup):
            self.kill()
            raise StoreError(f"{self.location}: a query worker did not start within {startup:.0f} s")
        try:
            status, message = self.conn.recv()
        except EOFError:
            status, message = "error", f"{self.location}: a query worker exited while starting"
        if status != "ready":
            self.kill()
            raise StoreError(message)
        return self

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
        starting = [Worker(config.location, self.read_only)
                    for _ in range(config.workers if self.read_only else 1)]
        try:
            for worker in starting:  # they start side by side
                self._add(worker.ready())
        except StoreError:
            for worker in starting:
                worker.kill()
            self.close()
            raise

    def _start(self) -> None:
        self._add(Worker(self.config.location, self.read_only).ready())

    def _add(self, worker: Worker) -> None:
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
