"""Render query results: a table that keeps Hebrew readable, CSV, TSV, SPARQL JSON,
SPARQL XML, Turtle.

Two layers. The SPARQL 1.1 result formats (JSON, XML, CSV, TSV) are written
from plain dicts in the shape of SPARQL JSON terms (``{"type": "uri", "value":
...}``), so the endpoint (``kg serve``, from Oxigraph terms) and the command
line (from rdflib terms, through :func:`term_json`) share one writer. ``render``
is the command line's choice of format for a ``Result``.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from functools import cache
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef

from kg.errors import QueryError
from kg.rdfterms import escaped_literals

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULT_FORMATS = ("json", "xml", "csv", "tsv")


# -- SPARQL 1.1 result formats over JSON-shaped terms


def term_json(t) -> dict:
    """An rdflib term as a SPARQL 1.1 JSON results term."""
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    out = {"type": "literal", "value": str(t)}
    if isinstance(t, Literal) and t.language:
        out["xml:lang"] = t.language
    elif isinstance(t, Literal) and t.datatype and str(t.datatype) != XSD_STRING:
        out["datatype"] = str(t.datatype)
    return out


def _nt_string(s: str) -> str:
    return '"' + (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                  .replace("\r", "\\r").replace("\t", "\\t")) + '"'


def term_nt(t: dict) -> str:
    """A JSON-shaped term in N-Triples syntax (the SPARQL TSV format's cells)."""
    if t["type"] == "uri":
        return f"<{t['value']}>"
    if t["type"] == "bnode":
        return f"_:{t['value']}"
    if t["type"] == "triple":
        v = t["value"]
        return f"<< {term_nt(v['subject'])} {term_nt(v['predicate'])} {term_nt(v['object'])} >>"
    lit = _nt_string(t["value"])
    if "xml:lang" in t:
        return f"{lit}@{t['xml:lang']}"
    return f"{lit}^^<{t['datatype']}>" if t.get("datatype") else lit


def _xml_term(t: dict) -> str:
    if t["type"] in ("uri", "bnode"):
        tag = "uri" if t["type"] == "uri" else "bnode"
        return f"<{tag}>{escape(t['value'])}</{tag}>"
    if t["type"] == "triple":
        v = t["value"]
        parts = "".join(f"<{k}>{_xml_term(v[k])}</{k}>" for k in ("subject", "predicate", "object"))
        return f"<triple>{parts}</triple>"
    attr = ""
    if "xml:lang" in t:
        attr = f" xml:lang={quoteattr(t['xml:lang'])}"
    elif t.get("datatype"):
        attr = f" datatype={quoteattr(t['datatype'])}"
    return f"<literal{attr}>{escape(t['value'])}</literal>"


def results_json(vars_, rows, indent: int | None = None) -> str:
    return json.dumps({"head": {"vars": list(vars_)}, "results": {"bindings": list(rows)}},
                      ensure_ascii=False, indent=indent) + "\n"


def results_xml(vars_, rows) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"  <variable name={quoteattr(v)}/>" for v in vars_]
    out += ["</head>", "<results>"]
    for row in rows:
        cells = "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in row.items())
        out.append(f"  <result>{cells}</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def results_csv(vars_, rows) -> str:
    """SPARQL 1.1 CSV: plain values (IRIs, lexical forms), CRLF line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(vars_)
    for row in rows:
        writer.writerow(["_:" + row[v]["value"] if v in row and row[v]["type"] == "bnode"
                         else row[v]["value"] if v in row else "" for v in vars_])
    return buf.getvalue()


def results_tsv(vars_, rows) -> str:
    """SPARQL 1.1 TSV: ``?var`` headers, cells in N-Triples syntax."""
    lines = ["\t".join("?" + v for v in vars_)]
    lines += ["\t".join(term_nt(row[v]) if v in row else "" for v in vars_) for row in rows]
    return "\n".join(lines) + "\n"


def ask_result(boolean: bool, fmt: str) -> str:
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/'
                f'sparql-results#">\n<head/>\n<boolean>{str(bool(boolean)).lower()}</boolean>\n</sparql>\n')
    if fmt in ("csv", "tsv"):
        return ("_askResult" if fmt == "csv" else "?_askResult") + f"\n{str(bool(boolean)).lower()}\n"
    return json.dumps({"head": {}, "boolean": bool(boolean)}) + "\n"


def write_results(vars_, rows, fmt: str) -> str:
    """SELECT rows (dicts of JSON-shaped terms) in one of RESULT_FORMATS."""
    writers = {"json": results_json, "xml": results_xml, "csv": results_csv, "tsv": results_tsv}
    return writers[fmt](vars_, rows)


# -- the command line's table, CSV and TSV


@cache
def _short_prefixes() -> list[tuple[str, str]]:
    from kg.graph import PREFIXES

    return sorted(((p, ns) for p, ns in PREFIXES.items() if p != "rdf"), key=lambda kv: -len(kv[1]))


def short(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, ns in _short_prefixes():
            if str(term).startswith(ns):
                return f"{prefix}:{str(term)[len(ns):]}"
    return str(term)


def _width(s: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * (n - _width(s))


def _isolate(cell: str) -> str:
    """A Hebrew cell between FSI and PDI marks keeps its order inside its column."""
    return f"\u2068{cell}\u2069" if any("\u0590" <= ch <= "\u05ff" for ch in cell) else cell


def table(vars_, rows, max_col: int = 60) -> str:
    cells = [[short(r.get(v)).replace("\n", " ") for v in vars_] for r in rows]
    cells = [[c if len(c) <= max_col else c[: max_col - 1] + "…" for c in row] for row in cells]
    widths = [max([_width(v)] + [_width(row[i]) for row in cells]) for i, v in enumerate(vars_)]
    lines = [" | ".join(_pad(v, w) for v, w in zip(vars_, widths))]
    lines.append("-+-".join("-" * w for w in widths))
    for row in cells:
        lines.append(" | ".join(_isolate(c) + " " * (w - _width(c)) for c, w in zip(row, widths)))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def plain_rows(result, sep: str) -> str:
    """CSV (quoted as RFC 4180) or TSV (tabs and line breaks in values become spaces) of plain values."""
    buf = io.StringIO()
    if sep == ",":
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(result.vars)
        writer.writerows([str(row.get(v, "")) for v in result.vars] for row in result.rows)
        return buf.getvalue()
    clean = lambda s: " ".join(s.replace("\t", " ").splitlines())
    lines = ["\t".join(result.vars)]
    lines += ["\t".join(clean(str(row.get(v, ""))) for v in result.vars) for row in result.rows]
    return "\n".join(lines) + "\n"


def sparql_json(result) -> str:
    if result.kind == "ask":
        return ask_result(result.boolean, "json")
    rows = [{k: term_json(v) for k, v in row.items()} for row in result.rows]
    return results_json(result.vars, rows, indent=1)


def _graph(result, fmt: str) -> str:
    from kg.graph import bind_prefixes

    if fmt in ("csv", "tsv"):
        raise QueryError("a CONSTRUCT/DESCRIBE result prints as turtle (or json for JSON-LD), "
                         f"not {fmt}")
    bind_prefixes(result.graph)
    if fmt == "json":
        return result.graph.serialize(format="json-ld", indent=1, sort_keys=True)
    with escaped_literals():
        return result.graph.serialize(format="turtle")


def render(result, fmt: str) -> str:
    """A Result for the terminal or a file: table, csv, tsv, json (SPARQL JSON) or turtle."""
    if result.kind == "graph":
        return _graph(result, fmt)
    if result.kind == "ask":
        return ask_result(result.boolean, "json") if fmt == "json" else f"{'yes' if result.boolean else 'no'}\n"
    if fmt == "json":
        return sparql_json(result)
    if fmt in ("csv", "tsv"):
        return plain_rows(result, "," if fmt == "csv" else "\t")
    if fmt == "turtle":
        raise QueryError("turtle output is for CONSTRUCT/DESCRIBE queries; "
                         "use table, csv, tsv or json for SELECT")
    return table(result.vars, result.rows)


def query_list(queries) -> str:
    """``kg query --list``: each query's name and title, then its parameters."""
    lines = []
    for q in queries:
        lines.append(f"{q.name}  —  {q.title}")
        for p in q.params:
            arg = f"--param {p.name}=<{p.type}>"
            arg = arg if p.required else f"[{arg}]"
            lines.append(f"    {arg:36} {p.description}")
    return "\n".join(lines) + "\n"
