"""SHACL validation of the stored graph against ``kg/data/shapes.ttl`` (pySHACL)."""

from __future__ import annotations

from rdflib import Graph

from kg.lexicon import DATA


def validate_graph(data: Graph) -> tuple[bool, str]:
    """(conforms, report text) for a graph (the union of the store's graphs)."""
    from pyshacl import validate

    shapes = Graph().parse(DATA / "shapes.ttl", format="turtle")
    conforms, _, text = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    return bool(conforms), text


def validate_store(store) -> tuple[bool, str]:
    from kg.export import serialize

    return validate_graph(Graph().parse(data=serialize(store, "ntriples").decode("utf-8"), format="nt"))
