"""What ``kg serve`` does with hostile requests: a table, by hand (no asserts).

Starts ``kg serve`` (read-only, and a second one with ``--allow-update`` for LOAD) on
a throw-away store, then for each attack prints the status answered, how many body
bytes the client got to send before the answer came (an upper bound on what the
server took in: it counts what sat in the sockets' buffers too), the peak resident
memory of the server process and of its query workers (psutil, sampled every few
milliseconds; the server's exact peak from /proc when it can be reset), and how many
connections reached a listener on 127.0.0.1 that stands for another host (must be 0).

    python bench/bench_endpoint.py                  # this checkout's kg
    python bench/bench_endpoint.py --kg /tmp/old    # another copy of the package (PYTHONPATH)
    python bench/bench_endpoint.py --mb 50          # smaller bodies
"""

from __future__ import annotations

import argparse
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import psutil

TOKEN = "bench-token"
MiB = 1 << 20


# -- the server, its memory, a listener


class Served:
    """``python -m kg serve`` in a subprocess; its URL; peak RSS sampling."""

    def __init__(self, store: str, kg_path: str | None, update: bool = False, timeout: float = 10.0):
        env = dict(os.environ, KG_SERVE_TOKEN=TOKEN)
        if kg_path:
            env["PYTHONPATH"] = kg_path + os.pathsep + env.get("PYTHONPATH", "")
        cmd = [sys.executable, "-m", "kg", "serve", "--store", store, "--port", "0",
               "--timeout", str(timeout)] + (["--allow-update"] if update else [])
        self.proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env,
                                     cwd=kg_path or None)
        line = self.proc.stderr.readline()
        match = re.search(r"at (http://[\d.]+:\d+)/query", line)
        if not match:
            self.proc.kill()
            raise SystemExit(f"kg serve did not start: {line}{self.proc.stderr.read()}")
        self.url = match.group(1)
        self.host, self.port = self.url[7:].split(":")[0], int(self.url.rsplit(":", 1)[1])
        self.log: list[str] = []
        threading.Thread(target=lambda: self.log.extend(self.proc.stderr), daemon=True).start()
        self.ps = psutil.Process(self.proc.pid)

    def measure(self):
        return Peak(self.ps)

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


class Peak:
    """``with Peak(process) as p: ...`` then ``p.server``, ``p.workers``: peak RSS in bytes."""

    def __init__(self, ps: psutil.Process):
        self.ps, self.server, self.workers = ps, 0, 0
        self._stop = threading.Event()

    def _hwm(self) -> int | None:
        try:
            text = Path(f"/proc/{self.ps.pid}/status").read_text()
            return int(re.search(r"VmHWM:\s+(\d+) kB", text).group(1)) * 1024
        except (OSError, AttributeError):
            return None

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                self.server = max(self.server, self.ps.memory_info().rss)
                for child in self.ps.children():
                    try:
                        self.workers = max(self.workers, child.memory_info().rss)
                    except psutil.Error:
                        pass
            except psutil.Error:
                return
            time.sleep(0.003)

    def __enter__(self) -> Peak:
        try:  # reset the kernel's high-water mark, so VmHWM is this attack's peak
            Path(f"/proc/{self.ps.pid}/clear_refs").write_text("5")
            self._exact = True
        except OSError:
            self._exact = False
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        time.sleep(0.05)
        self._stop.set()
        self._thread.join()
        hwm = self._hwm() if self._exact else None
        if hwm:
            self.server = max(self.server, hwm)


class Listener:
    """A socket on 127.0.0.1 standing for another host; counts the connections it accepts."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.count = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.count += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join()
        self.sock.close()


# -- the attacks


def _answer(sock: socket.socket, wait: float = 60.0) -> tuple[str, int, str]:
    """(status, size of the answer's body, its opening when it is an error)."""
    sock.settimeout(wait)
    data = b""
    try:
        while piece := sock.recv(1 << 16):
            data += piece
    except OSError:
        pass
    head, _, body = data.partition(b"\r\n\r\n")
    match = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    status = match.group(1).decode() if match else "no answer"
    why = body[:44].decode("utf-8", "replace").strip() if status != "200" else ""
    return status, len(body), why


def push(srv: Served, headers: list[tuple[str, str]], pieces, path: str = "/query"):
    """Send the headers, then body pieces until the server answers; (status, sent, answer size, why)."""
    head = f"POST {path} HTTP/1.1\r\nHost: {srv.host}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    sent = 0
    with socket.create_connection((srv.host, srv.port), timeout=60) as sock:
        sock.sendall(head.encode() + b"\r\n")
        try:
            for piece in pieces:
                if select.select([sock], [], [], 0)[0]:
                    break  # an answer (or a close) came: stop sending
                sock.sendall(piece)
                sent += len(piece)
            else:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        status, size, why = _answer(sock)
    return status, sent, size, why


def body_pieces(total: int, chunked: bool = False):
    """A query, then a comment of ``total`` bytes in all, in 1 MiB pieces (chunk-framed)."""
    first = b"ASK { } #"
    yield (f"{len(first):x}\r\n".encode() + first + b"\r\n") if chunked else first
    piece = b"x" * MiB
    for _ in range(total // MiB):
        yield (f"{MiB:x}\r\n".encode() + piece + b"\r\n") if chunked else piece
    if chunked:
        yield b"0\r\n\r\n"


def get(srv: Served, query: str) -> tuple[str, int, int]:
    with socket.create_connection((srv.host, srv.port), timeout=120) as sock:
        line = f"GET /query?{urlencode({'query': query})} HTTP/1.1\r\nHost: {srv.host}\r\n\r\n"
        sock.sendall(line.encode())
        status, size, why = _answer(sock, 120)
    return status, len(line), size, why


REMOTE_QUERIES = [
    "SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "select * where { service <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { SeRvIcE SILENT <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { #\rSERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { # c\r\nSERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?e { <URL> } SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } } } }",
    "SELECT * WHERE { OPTIONAL { ?a ?b ?c } MINUS { SERVICE <URL> { ?s ?p ?o } } }",
    "ASK { SERVICE <URL> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <URL\\u0078> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <URL> { ?s ?p ?o } }",
    'SELECT * WHERE { BIND("\\u0022" AS ?a) SERVICE <URL> { ?s ?p ?o } BIND("\\u0022" AS ?b) }',
]
REMOTE_UPDATES = [
    "LOAD <URL>",
    "load silent <URL>",
    "LOAD <URL> INTO GRAPH <http://x/g>",
    "DROP SILENT GRAPH <http://x/g> ; #\rLOAD <URL>",
    "INSERT { GRAPH <http://x/g> { ?s ?p ?o } } WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "INSERT { GRAPH <http://x/g> { ?s ?p ?o } } WHERE { #\rSERVICE <URL> { ?s ?p ?o }\n}",
    "WITH <http://x/g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { service <URL> { ?s ?p ?o } }",
]


def remote_spellings(ro: Served, rw: Served, listener: Listener) -> tuple[str, int, int, str]:
    statuses: dict[str, int] = {}
    sent = 0
    for text, srv, ctype in ([(q, ro, "application/sparql-query") for q in REMOTE_QUERIES]
                             + [(u, rw, "application/sparql-update") for u in REMOTE_UPDATES]):
        body = text.replace("URL", listener.url).encode()
        path = "/update" if ctype.endswith("update") else "/query"
        status, n, _, why = push(srv, [("Content-Type", ctype), ("Content-Length", str(len(body))),
                                  ("Authorization", f"Bearer {TOKEN}")], [body], path)
        statuses[status] = statuses.get(status, 0) + 1
        sent += n
    time.sleep(0.3)  # a late fetch would still be counted
    return " ".join(f"{k}×{v}" for k, v in sorted(statuses.items())), sent, 0, why


# -- the store


def make_store(path: str, rows: int, width: int) -> None:
    """``rows`` triples with ``width``-character literals (their GROUP_CONCAT: rows × width)."""
    import pyoxigraph as ox

    store = ox.Store(path)
    graph = ox.NamedNode("https://w3id.org/footkg/article/bench")
    text = "ש" * (width // 2)  # 2 bytes a letter in UTF-8: width bytes
    store.bulk_extend(ox.Quad(ox.NamedNode(f"http://x/s{i}"), ox.NamedNode("http://x/text"),
                              ox.Literal(f"{i:08d}{text}"), graph) for i in range(rows))
    store.flush()
    del store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kg", help="a folder holding another kg package to serve with (PYTHONPATH)")
    ap.add_argument("--mb", type=int, default=200, help="size of the hostile bodies, MiB")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-endpoint-"))
    listener = Listener()
    servers: list[Served] = []
    try:
        t = time.monotonic()
        make_store(str(tmp / "ro"), rows=20_000, width=750)      # GROUP_CONCAT: about 15 MB
        shutil.copytree(tmp / "ro", tmp / "rw")
        print(f"store: 20,000 triples of 750-byte literals ({time.monotonic() - t:.1f} s)", file=sys.stderr)
        ro = Served(str(tmp / "ro"), args.kg)
        servers.append(ro)
        rw = Served(str(tmp / "rw"), args.kg, update=True)
        servers.append(rw)
        big = args.mb * MiB
        attacks = [
            (f"Content-Length: -1, {args.mb} MiB body", lambda: push(
                ro, [("Content-Type", "application/sparql-query"), ("Content-Length", "-1")],
                body_pieces(big))),
            (f"no Content-Length, {args.mb} MiB body", lambda: push(
                ro, [("Content-Type", "application/sparql-query")], body_pieces(big))),
            (f"Content-Length: {big} (over the cap)", lambda: push(
                ro, [("Content-Type", "application/sparql-query"), ("Content-Length", str(big + 9))],
                body_pieces(big))),
            (f"chunked, {args.mb} MiB (over the cap)", lambda: push(
                ro, [("Content-Type", "application/sparql-query"), ("Transfer-Encoding", "chunked")],
                body_pieces(big, chunked=True))),
            ("GROUP_CONCAT of a 15 MB result", lambda: get(
                ro, "SELECT (GROUP_CONCAT(?o) AS ?all) WHERE { ?s ?p ?o }")),
            ("SELECT * LIMIT 10000: 8.5 MB of rows", lambda: get(
                ro, "SELECT * WHERE { ?s ?p ?o } LIMIT 10000")),
            (f"{len(REMOTE_QUERIES)} SERVICE + {len(REMOTE_UPDATES)} LOAD/SERVICE updates",
             lambda: remote_spellings(ro, rw, listener)),
        ]
        rows = []
        for name, attack in attacks:
            before = listener.count
            t = time.monotonic()
            with ro.measure() as peak:
                status, sent, answer, why = attack()
            rows.append((name, status, f"{sent:,}", f"{answer:,}", f"{peak.server / MiB:.0f}",
                         f"{peak.workers / MiB:.0f}", str(listener.count - before),
                         f"{time.monotonic() - t:.1f}", why))
        head = ("attack", "status", "body bytes sent", "answer bytes", "server peak MiB",
                "worker peak MiB", "listener hits", "s", "answer opens with")
        widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
        print(f"kg: {args.kg or 'this checkout'}; body cap 16 MiB; result cap: see status")
        print("  ".join(h.ljust(w) for h, w in zip(head, widths)))
        print("  ".join("-" * w for w in widths))
        for r in rows:
            print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    finally:
        for srv in servers:
            srv.close()
        listener.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
