"""Render query results: a table that keeps Hebrew readable, CSV, TSV, SPARQL JSON, Turtle."""

from __future__ import annotations

import csv
import io
import json
import unicodedata

from rdflib import BNode, Literal, URIRef

from kg.graph import PREFIXES, bind_prefixes

_SHORT = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def short(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, ns in _SHORT:
            if str(term).startswith(ns) and prefix not in ("rdf",):
                return f"{prefix}:{str(term)[len(ns):]}"
        return str(term)
    return str(term)


def _width(s: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * (n - _width(s))


def table(vars_, rows, max_col: int = 60) -> str:
    cells = [[short(r.get(v)).replace("\n", " ") for v in vars_] for r in rows]
    cells = [[c if len(c) <= max_col else c[: max_col - 1] + "…" for c in row] for row in cells]
    widths = [max([_width(v)] + [_width(row[i]) for row in cells]) for i, v in enumerate(vars_)]
    # each cell is isolated (FSI ... PDI) so Hebrew cells keep their order inside the column
    iso = lambda c: f"\u2068{c}\u2069" if any("\u0590" <= ch <= "\u05ff" for ch in c) else c
    lines = [" | ".join(_pad(v, w) for v, w in zip(vars_, widths))]
    lines.append("-+-".join("-" * w for w in widths))
    for row in cells:
        lines.append(" | ".join(iso(c) + " " * (w - _width(c)) for c, w in zip(row, widths)))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def sparql_json(result) -> str:
    def term(t):
        if isinstance(t, URIRef):
            return {"type": "uri", "value": str(t)}
        if isinstance(t, BNode):
            return {"type": "bnode", "value": str(t)}
        out = {"type": "literal", "value": str(t)}
        if isinstance(t, Literal) and t.language:
            out["xml:lang"] = t.language
        elif isinstance(t, Literal) and t.datatype:
            out["datatype"] = str(t.datatype)
        return out

    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
    bindings = [{k: term(v) for k, v in row.items()} for row in result.rows]
    return json.dumps({"head": {"vars": result.vars}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1) + "\n"


def render(result, fmt: str) -> str:
    if result.kind == "graph":
        bind_prefixes(result.graph)
        return result.graph.serialize(format="turtle" if fmt in ("turtle", "table") else "nt")
    if result.kind == "ask":
        return sparql_json(result) if fmt == "json" else f"{'yes' if result.boolean else 'no'}\n"
    if fmt == "json":
        return sparql_json(result)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.vars)
        for row in result.rows:
            writer.writerow([str(row.get(v, "")) for v in result.vars])
        return buf.getvalue()
    if fmt == "turtle":
        raise_fmt = "turtle output is for CONSTRUCT/DESCRIBE queries"
        from kg.errors import QueryError
        raise QueryError(raise_fmt)
    return table(result.vars, result.rows)
