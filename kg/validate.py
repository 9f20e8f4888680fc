"""SHACL validation of the stored graph against ``kg/data/shapes.ttl`` (pySHACL).

The shapes describe what one article states. A match reported by several articles is
one node stated in each of their graphs (its reports may differ), so the store is
validated in groups: unions of article graphs of which no two report the same match,
each with the catalogue graph. Most stores are one group."""

from __future__ import annotations

from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from kg.lexicon import DATA
from kg.vocab import CATALOG_GRAPH, FK


def validate_graph(data: Graph) -> tuple[bool, str]:
    """(conforms, report text) for a graph (the union of the store's graphs)."""
    from pyshacl import validate

    shapes = Graph().parse(DATA / "shapes.ttl", format="turtle")
    conforms, _, text = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    return bool(conforms), text


def report_groups(graphs, shared=()) -> list[Graph]:
    """Unions of ``graphs`` (in the order given) in which no match has two reports,
    each also holding the ``shared`` graphs (the catalogue)."""
    groups: list[tuple[set, Graph]] = []
    for g in graphs:
        matches = set(g.subjects(RDF.type, FK.Match))
        group = next((grp for grp in groups if not grp[0] & matches), None)
        if group is None:
            group = (set(), _union(shared))
            groups.append(group)
        seen, union = group
        seen.update(matches)
        union += g
    return [union for _, union in groups] or [_union(shared)]


def _union(graphs) -> Graph:
    out = Graph()
    for g in graphs:
        out += g
    return out


def validate_graphs(graphs, shared=()) -> tuple[bool, str]:
    """(conforms, report text) for article graphs, validated in report groups."""
    results = [validate_graph(g) for g in report_groups(graphs, shared)]
    return all(ok for ok, _ in results), "\n".join(text for _, text in results)


def validate_store(store) -> tuple[bool, str]:
    from kg.export import serialize

    ds = Dataset()
    ds.parse(data=serialize(store, "nquads").decode("utf-8"), format="nquads")
    contexts = sorted((c for c in ds.graphs() if len(c)), key=lambda c: str(c.identifier))
    shared = [c for c in contexts if c.identifier == CATALOG_GRAPH]
    return validate_graphs([c for c in contexts if c.identifier != CATALOG_GRAPH], shared)
