"""Turtle / TriG / N-Quads / JSON-LD exports, byte-stable and written atomically.

Small graphs go through rdflib's serialisers (sorted, grouped by subject, with
prefixes); past ``NATIVE_ABOVE`` quads the native Oxigraph dump is used (25-40x
faster; still deterministic, in its own order).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.errors import ExportError
from kg.graph import PREFIXES, bind_prefixes
from kg.rdfterms import escaped_literals

FORMATS = {"turtle": "ttl", "trig": "trig", "nquads": "nq", "jsonld": "jsonld", "ntriples": "nt"}
NATIVE_ABOVE = 200_000


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _dataset(nquads: bytes) -> Dataset:
    ds = Dataset()
    bind_prefixes(ds)
    ds.parse(data=nquads.decode("utf-8"), format="nquads")
    return ds


def _union(ds: Dataset) -> Graph:
    g = Graph()
    bind_prefixes(g)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _sorted_json(value):
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _stable_json(text: str) -> bytes:
    """rdflib's JSON-LD follows hash order; sort every list so the bytes are stable."""
    return json.dumps(_sorted_json(json.loads(text)), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def _trig(ds: Dataset) -> bytes:
    """TriG with the graphs in IRI order (rdflib's own order follows the hash seed)."""
    head, blocks = None, []
    for ctx in sorted(ds.contexts(), key=lambda g: str(g.identifier)):
        if not len(ctx):
            continue
        g = Graph()
        bind_prefixes(g)
        for triple in ctx:
            g.add(triple)
        text = g.serialize(format="turtle")
        # split at LF only: str.splitlines() also splits at U+2028, U+0085, VT, FF...,
        # which rdflib leaves raw inside literals. The prefixes are the leading
        # @prefix lines only: a line of a multi-line literal may start with "@prefix" too.
        lines = text.split("\n")
        n = 0
        while n < len(lines) and lines[n].startswith("@prefix"):
            n += 1
        prefixes, body = lines[:n], lines[n:]
        head = sorted(set(head or []) | set(prefixes))
        # no indentation: lines inside multi-line literals must stay as they are
        blocks.append(f"<{ctx.identifier}> {{\n" + "\n".join(body).strip("\n") + "\n}\n")
    return ("\n".join(head or []) + "\n\n" + "\n".join(blocks)).encode("utf-8")


def serialize(store, fmt: str) -> bytes:
    """The whole store in ``fmt``. Turtle and N-Triples are the union of all graphs."""
    return serialize_all(store, (fmt,))[fmt]


def serialize_all(store, fmts) -> dict[str, bytes]:
    """The store in each of ``fmts``, dumped and parsed once for all of them."""
    for fmt in fmts:
        if fmt not in FORMATS:
            raise ExportError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    with escaped_literals():
        nquads = store.nquads()
        native = nquads.count(b"\n") > NATIVE_ABOVE and hasattr(store, "ox")
        out, ds = {}, None
        for fmt in fmts:
            if fmt == "nquads":
                out[fmt] = nquads
            elif native:
                out[fmt] = _native(store, fmt)
            else:
                ds = ds if ds is not None else _dataset(nquads)
                out[fmt] = _from_dataset(ds, fmt)
        return out


def _from_dataset(ds: Dataset, fmt: str) -> bytes:
    if fmt == "trig":
        return _trig(ds)
    if fmt == "jsonld":
        return _stable_json(ds.serialize(format="json-ld"))
    return _union(ds).serialize(format="turtle" if fmt == "turtle" else "nt").encode("utf-8")


def _native(store, fmt: str) -> bytes:
    if fmt == "trig":
        return store.ox.dump(format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    union = ox.Store()
    union.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in store.ox)
    of = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
          "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    return union.dump(format=of, from_graph=ox.DefaultGraph(),
                      prefixes=PREFIXES if fmt == "turtle" else None)


def export(store, fmt: str, path: str | Path) -> int:
    return export_all(store, {fmt: path})[fmt]


def export_all(store, paths: dict[str, str | Path]) -> dict[str, int]:
    """Write the store in several formats (``{fmt: path}``); the sizes written, by format."""
    sizes = {}
    for fmt, data in serialize_all(store, tuple(paths)).items():
        try:
            atomic_write(paths[fmt], data)
        except OSError as exc:
            raise ExportError(f"{paths[fmt]}: cannot write: {exc.strerror}") from exc
        sizes[fmt] = len(data)
    return sizes
