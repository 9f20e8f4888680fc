"""Where graphs live: an embedded Oxigraph store (on disk or in memory) or a
remote SPARQL 1.1 endpoint, behind one interface.

Writes replace a whole named graph in one SPARQL Update (``DROP SILENT GRAPH``
then ``INSERT DATA``), which Oxigraph applies atomically: a failed write leaves
what was stored before. Terms are written with rdflib's ``n3()``, which escapes
literals, so article text never becomes query syntax.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from kg.errors import StoreError
from kg.rdfterms import Result, as_nquads, insert_data, insert_text, to_rdflib  # noqa: F401 - also the store API

log = logging.getLogger(__name__)
DEFAULT_LOCATION = ".kg"


class EmbeddedStore:
    """pyoxigraph: on disk (a directory) or in memory (``location=None``)."""

    def __init__(self, location: str | Path | None = DEFAULT_LOCATION, *, read_only: bool = False,
                 wait: float = 0.0):
        """``wait``: seconds a writer waits for another process's lock before failing."""
        self.location = str(location) if location else None
        if self.location is None:
            self.ox = ox.Store()
            return
        path = Path(self.location)
        if read_only:
            if not path.exists():
                raise StoreError(f"{self.location}: no store here; run 'kg ingest' first")
            self.ox = self._open(lambda: ox.Store.read_only(self.location), 0.0)
            return
        if not path.exists() or (path.is_dir() and not any(path.iterdir())):
            create_store(path)
        self.ox = self._open(lambda: ox.Store(self.location), wait)

    def _open(self, opener, wait: float):
        deadline = time.monotonic() + max(wait, 0.0)
        delay = 0.05
        while True:
            try:
                return opener()
            except OSError as exc:
                locked = "lock" in str(exc).lower()
                if locked and time.monotonic() < deadline:
                    time.sleep(min(delay, max(deadline - time.monotonic(), 0.0)))
                    delay = min(delay * 2, 1.0)
                    continue
                hint = (f" (another kg process is writing to it; --wait SECONDS waits for it)"
                        if locked else "")
                raise StoreError(f"{self.location}: cannot open the store: {exc}{hint}") from exc

    # writing
    def replace_graph(self, graph_iri: str, graph: Graph, *, add: dict[str, Graph] | None = None,
                      drop: tuple[str, ...] = ()) -> None:
        """Replace one named graph (and add to / drop others) in one transaction."""
        try:
            self.ox.update(insert_data(graph_iri, graph, add=add, drop=drop))
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.location or 'memory'}: writing {graph_iri} failed: {exc}") from exc

    def write_triples(self, graph_iri: str, ntriples: str, *, add: dict[str, str] | None = None,
                      drop: tuple[str, ...] = ()) -> bool:
        """:meth:`replace_graph` for triples written as N-Triples lines (kg.graph.ntriples).

        A graph not yet in the store, with nothing to drop, is written by Oxigraph's
        N-Quads loader (one transaction, like the update, but no SPARQL to parse); a
        graph that is there is dropped and written in one SPARQL update. True when a
        graph was replaced or dropped."""
        try:
            if drop or self.ox.contains_named_graph(ox.NamedNode(graph_iri)):
                self.ox.update(insert_text(graph_iri, ntriples, add=add, drop=drop))
                return True
            data = as_nquads(graph_iri, ntriples) + "".join(as_nquads(g, t) for g, t in (add or {}).items())
            self.ox.load(data.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
            return False
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.location or 'memory'}: writing {graph_iri} failed: {exc}") from exc

    def remove_graph(self, graph_iri: str) -> None:
        self.ox.update(f"DROP SILENT GRAPH {URIRef(graph_iri).n3()}")

    def flush(self) -> None:
        if self.location:
            self.ox.flush()

    # reading
    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.ox.named_graphs())

    def query(self, sparql: str) -> Result:
        try:
            res = self.ox.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from exc
        if isinstance(res, (bool, ox.QueryBoolean)):  # pyoxigraph 0.5 returns QueryBoolean
            return Result("ask", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows = [{n: to_rdflib(sol[n]) for n in names if sol[n] is not None} for sol in res]
            return Result("select", vars=names, rows=rows)
        g = Graph()
        for t in res:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return Result("graph", graph=g)

    def nquads(self) -> bytes:
        """Every quad of every named graph as N-Quads, lines sorted (byte-stable).

        Oxigraph writes one quad a line, each ended by LF, with LF and CR inside
        literals escaped; so the lines are split at LF bytes only. (str.splitlines()
        also splits at U+0085, U+2028, U+2029, VT, FF and FS/GS/RS, which Oxigraph
        leaves raw inside literals: that cut quads in two.) Sorting the UTF-8 bytes
        is sorting by code point, the order used before."""
        data = self.ox.dump(format=ox.RdfFormat.N_QUADS)
        lines = sorted({line for line in data.split(b"\n") if line})
        return b"\n".join(lines) + b"\n" if lines else b""

    def dataset(self) -> Dataset:
        """The store as an rdflib Dataset (shares the underlying Oxigraph store)."""
        from oxrdflib import OxigraphStore

        return Dataset(store=OxigraphStore(store=self.ox))

    def count(self) -> int:
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(res.rows[0]["n"])

    def close(self) -> None:
        self.flush()
        del self.ox


def create_store(path: Path) -> None:
    """A new empty store at ``path``, atomically: it is built in a sibling folder and
    renamed into place, so a kill during creation never leaves a half-made store
    (RocksDB's first files are written over some milliseconds). Leftovers of killed
    creations are removed here."""
    path = Path(path)
    parent = path.parent
    parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{path.name}.creating-"
    for stale in parent.glob(prefix + "*"):
        pid = stale.name[len(prefix):].split("-", 1)[0]
        if not pid.isdigit() or not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    tmp = parent / f"{prefix}{os.getpid()}-{time.monotonic_ns()}"
    if path.is_dir() and not any(path.iterdir()):
        path.rmdir()           # an empty folder made by hand: the store takes its place
    try:
        store = ox.Store(str(tmp))
        store.flush()
        del store
        gc.collect()
        os.rename(tmp, path)   # atomic; fails if another process created the store meanwhile
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if not path.exists():
            raise StoreError(f"{path}: cannot create the store: {exc}") from exc


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def open_store(location: str | None = None, *, read_only: bool = False, wait: float = 0.0):
    """An embedded store for a path (default ``.kg/``), a remote one for an http(s) URL or a
    ``query=URL,update=URL`` spec; without a location, the config file's (see kg.remote)."""
    from kg.remote import RemoteStore, configured_location, remote_endpoint

    location = location or configured_location() or DEFAULT_LOCATION
    endpoint = remote_endpoint(location)
    if endpoint is not None:
        return RemoteStore(endpoint, read_only=read_only)
    if location == ":memory:":
        return EmbeddedStore(None)
    return EmbeddedStore(location, read_only=read_only, wait=wait)
