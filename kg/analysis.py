"""The RDF graph -> a networkx projection: entities as nodes, claimed relations as edges."""

from __future__ import annotations

import networkx as nx

ENTITIES = """
PREFIX fk: <https://w3id.org/footkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?e ?type ?he ?en (COUNT(DISTINCT ?a) AS ?articles) WHERE {
  ?a a fk:Article ; fk:mentions ?e .
  OPTIONAL { ?e a ?type }
  OPTIONAL { ?e rdfs:label ?he FILTER (lang(?he) = "he") }
  OPTIONAL { ?e rdfs:label ?en FILTER (lang(?en) = "en") }
} GROUP BY ?e ?type ?he ?en
"""

CLAIMS = """
PREFIX fk: <https://w3id.org/footkg/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?claim ?s ?p ?o ?modality ?by ?article ?date ?exact WHERE {
  ?claim a fk:Claim ; fk:subject ?s ; fk:predicate ?p ; fk:object ?o ;
         fk:modality ?modality ; fk:claimedBy ?by ; fk:statedIn ?article ;
         fk:evidence/fk:exact ?exact .
  OPTIONAL { ?article schema:datePublished ?date }
}
"""


def _local(iri) -> str:
    return str(iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def project(store) -> nx.MultiDiGraph:
    """Nodes: entity slugs with type, labels, article count. Edges: one per (s, relation, o, modality)."""
    g = nx.MultiDiGraph()
    for row in store.query(ENTITIES).rows:
        slug = _local(row["e"])
        g.add_node(slug, type=_local(row.get("type", "")), he=str(row.get("he", slug)),
                   en=str(row.get("en", slug)), articles=int(row["articles"]))
    for row in store.query(CLAIMS).rows:
        s, o, rel, mod = _local(row["s"]), _local(row["o"]), _local(row["p"]), _local(row["modality"])
        for node in (s, o):
            if node not in g:
                g.add_node(node, type="", he=node, en=node, articles=0)
        key = f"{rel}:{mod}"
        evidence = {"text": str(row["exact"]), "speaker": _local(row["by"]),
                    "article": str(row["article"]), "date": str(row.get("date", ""))}
        if g.has_edge(s, o, key):
            g.edges[s, o, key]["evidence"].append(evidence)
        else:
            g.add_edge(s, o, key=key, relation=rel, modality=mod, evidence=[evidence])
    return g
