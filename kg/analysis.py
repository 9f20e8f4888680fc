"""What can be read off the projection: centrality, communities, paths, neighbours.

The projection itself (``kg.projection``) is a MultiDiGraph of entities with
claim, quote, co-mention and background edges; here it is collapsed to one
weighted edge per linked pair (:func:`simple`) for the algorithms, and every
answer points back to the edges' evidence.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from kg.errors import QueryError
from kg.projection import ASSERTING, KINDS, local

BETWEENNESS_EXACT_MAX = 1_000
BETWEENNESS_SAMPLED_MAX = 5_000


def simple(g, kinds=KINDS) -> nx.Graph:
    """One edge per linked pair: ``weight`` = pieces of evidence, ``cost`` and ``key``
    of the cheapest edge between them (for paths)."""
    h = nx.Graph()
    h.add_nodes_from(g.nodes)
    for u, v, key, d in g.edges(keys=True, data=True):
        if d["kind"] not in kinds or u == v:
            continue
        if h.has_edge(u, v):
            e = h.edges[u, v]
            e["weight"] += d["claims"]
            if (d["cost"], -d["claims"]) < (e["cost"], -g.edges[e["edge"]]["claims"]):
                e.update(cost=d["cost"], edge=(u, v, key))
        else:
            h.add_edge(u, v, weight=d["claims"], cost=d["cost"], edge=(u, v, key))
    return h


def centrality(g, kinds=KINDS, betweenness: bool | None = None) -> dict[str, dict]:
    """slug -> pagerank, degree (distinct neighbours) and betweenness (None when skipped:
    exact up to 1,000 nodes, sampled up to 5,000, off beyond unless asked for)."""
    if not g.number_of_nodes():
        return {}
    und = simple(g, kinds)
    pr = pagerank(g, kinds)
    n = und.number_of_nodes()
    bc = {}
    if betweenness is not False and (betweenness or n <= BETWEENNESS_SAMPLED_MAX):
        k = None if n <= BETWEENNESS_EXACT_MAX else min(n, 200)
        bc = nx.betweenness_centrality(und, k=k, seed=0)
    return {s: {"pagerank": pr.get(s, 0.0), "degree": und.degree(s), "betweenness": bc.get(s)} for s in g}


def pagerank(g, kinds=KINDS) -> dict[str, float]:
    """Pagerank over the links taken both ways, weighted by pieces of evidence."""
    if not g.number_of_nodes():
        return {}
    return nx.pagerank(simple(g, kinds), weight="weight")


def communities(g, kinds=KINDS) -> list[list[str]]:
    """Louvain communities (seeded: the same graph gives the same groups), biggest first."""
    und = simple(g, kinds)
    if not und.number_of_edges():
        return []
    groups = nx.community.louvain_communities(und, weight="weight", seed=0)
    return sorted((sorted(c) for c in groups if len(c) > 1), key=lambda c: (-len(c), c[0]))


def label(g, slug: str) -> str:
    d = g.nodes[slug] if slug in g else g.graph.get("labels", {}).get(slug)
    if not d:
        return slug
    return d["he"] if d["he"] == d["en"] else f"{d['he']} ({d['en']})"


def find_node(g, value: str) -> str:
    """A node by slug, IRI or label/alias (Hebrew or English); QueryError if not in the graph."""
    from kg.normalize import normalize_alias

    slug = local(value) if value.startswith("https://w3id.org/footkg/entity/") else value
    if slug in g:
        return slug
    key = normalize_alias(value).lower()
    hits = sorted(s for s, d in g.nodes(data=True)
                  if key in {normalize_alias(x).lower() for x in (d["he"], d["en"], *d["alt"])})
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise QueryError(f"{value!r} names several entities: {', '.join(hits)}; give the slug")
    from kg.queries import resolve_entity

    slug = local(resolve_entity(value))
    if slug not in g:
        raise QueryError(f"{value!r} ({slug}) is not in the graph (no article mentions it in this range)")
    return slug


def analyze(g, top: int = 10, types=(), kinds=KINDS, betweenness: bool | None = None) -> dict:
    """The most central entities (overall and per type) and the communities."""
    cent = centrality(g, kinds, betweenness)
    rank = sorted(cent, key=lambda s: (-cent[s]["pagerank"], s))
    chosen = [s for s in rank if not types or g.nodes[s]["type"] in types]

    def row(s):
        d = g.nodes[s]
        return {"entity": s, "he": d["he"], "en": d["en"], "type": d["type"], "articles": d["articles"], **cent[s]}

    by_type = defaultdict(list)
    for s in chosen:
        if len(by_type[g.nodes[s]["type"]]) < 3:
            by_type[g.nodes[s]["type"]].append(row(s))
    order = {s: i for i, s in enumerate(rank)}
    groups = [{"size": len(c), "members": [row(s) for s in sorted(c, key=order.get)[:8]]}
              for c in communities(g, kinds)]
    n = g.number_of_nodes()
    mode = ("exact" if n <= BETWEENNESS_EXACT_MAX else "sampled (200 sources)") if any(
        v["betweenness"] is not None for v in cent.values()) else "skipped"
    return {"nodes": n, "edges": g.number_of_edges(), "since": g.graph.get("since", ""),
            "until": g.graph.get("until", ""), "kinds": list(kinds), "betweenness": mode,
            "central": [row(s) for s in chosen[:top]], "by_type": dict(sorted(by_type.items())),
            "communities": groups}


@dataclass
class Hop:
    source: str
    target: str
    kind: str
    relation: str
    modality: str
    forward: bool                # the relation reads source -> target
    cost: float
    evidence: list[dict] = field(default_factory=list)


# A country links everyone of its nationality and every club and league in it: a path
# through it says little. Such hops cost this much more, so they are a last resort.
HUB_TYPES = frozenset({"Country"})
HUB_RELATIONS = frozenset({"nationality", "country"})
HUB_COST = 25.0


def hub_cost(g, u: str, v: str, relation: str) -> float:
    """The extra cost of a hop between u and v (see HUB_COST)."""
    hub = relation in HUB_RELATIONS or any(g.nodes[n].get("type") in HUB_TYPES for n in (u, v))
    return HUB_COST if hub else 0.0


def paths(g, a: str, b: str, k: int = 3, kinds=KINDS) -> list[list[Hop]]:
    """Up to ``k`` cheapest simple paths from a to b; each hop with its best evidence.
    A hop through a country or over a nationality costs HUB_COST more (a last resort)."""
    h = simple(g, kinds)
    if a == b:
        raise QueryError("the two entities are the same")
    for x, y, e in h.edges(data=True):
        e["cost"] += hub_cost(g, x, y, g.edges[e["edge"]]["relation"])
    try:
        found = list(itertools.islice(nx.shortest_simple_paths(h, a, b, weight="cost"), k))
    except nx.NetworkXNoPath:
        return []
    return [[_hop(g, h, x, y) for x, y in itertools.pairwise(p)] for p in found]


def _hop(g, h, x, y) -> Hop:
    u, v, key = h.edges[x, y]["edge"]
    d = g.edges[u, v, key]
    ev = [{**e, "speaker_label": label(g, e["speaker"]) if e["speaker"] else ""} for e in d["evidence"][:2]]
    return Hop(x, y, d["kind"], d["relation"], d["modality"], forward=(u == x), cost=h.edges[x, y]["cost"],
               evidence=ev)


def neighbors(g, x: str, hops: int = 1, kinds=KINDS) -> list[dict]:
    """Entities within ``hops`` links of x, nearest first, each with the link it was reached by."""
    h = simple(g, kinds)
    out = []
    depth = {x: 0}
    for parent, child in nx.bfs_edges(h, x, depth_limit=hops, sort_neighbors=sorted):
        depth[child] = depth[parent] + 1
        u, v, key = h.edges[parent, child]["edge"]
        d, n = g.edges[u, v, key], g.nodes[child]
        out.append({"entity": child, "he": n["he"], "en": n["en"], "type": n["type"], "hops": depth[child],
                    "via": parent, "kind": d["kind"], "relation": d["relation"], "modality": d["modality"],
                    "forward": u == parent, "evidence": d["claims"]})
    return sorted(out, key=lambda r: (r["hops"], r["via"] != x, r["en"].lower()))


def ego(g, x: str, hops: int = 2, kinds=KINDS) -> nx.MultiDiGraph:
    """The subgraph within ``hops`` links of x (focus mode)."""
    keep = nx.single_source_shortest_path_length(simple(g, kinds), x, cutoff=hops)
    sub = g.subgraph(keep).copy()
    sub.graph.update(g.graph, focus=x, hops=hops)
    return sub


# -- text output ------------------------------------------------------------------

def format_analysis(r: dict) -> str:
    span = f" ({r['since'] or '…'} – {r['until'] or '…'})" if r["since"] or r["until"] else ""
    lines = [f"{r['nodes']} entities, {r['edges']} links{span}; betweenness {r['betweenness']}", "",
             f"{'#':>3}  {'pagerank':>8}  {'degree':>6}  {'between':>7}  {'articles':>8}  {'type':<13} entity"]
    for i, c in enumerate(r["central"], 1):
        bc = "-" if c["betweenness"] is None else f"{c['betweenness']:.3f}"
        lines.append(f"{i:>3}  {c['pagerank']:8.4f}  {c['degree']:>6}  {bc:>7}  {c['articles']:>8}  "
                     f"{c['type']:<13} {c['he']} / {c['en']}")
    lines += ["", "most central per type:"]
    lines += [f"  {t or '?':<13} " + ", ".join(c["en"] for c in rows) for t, rows in r["by_type"].items()]
    lines += ["", f"communities (Louvain): {len(r['communities'])}"]
    for i, c in enumerate(r["communities"], 1):
        lines.append(f"  {i:>2}. {c['size']:>4} entities: " + ", ".join(m["en"] for m in c["members"])
                     + (", …" if c["size"] > len(c["members"]) else ""))
    return "\n".join(lines) + "\n"


def format_paths(g, found: list[list[Hop]]) -> str:
    lines = []
    for i, path in enumerate(found, 1):
        chain = " → ".join([label(g, path[0].source)] + [label(g, h.target) for h in path])
        hops = f"{len(path)} hop{'s' * (len(path) > 1)}"
        lines.append(f"path {i} ({hops}, cost {sum(h.cost for h in path):g}): {chain}")
        for j, h in enumerate(path, 1):
            a, b = (h.source, h.target) if h.forward or h.kind == "comention" else (h.target, h.source)
            lines.append(f"  {j}. {g.nodes[a]['en']} {_arrow(h.kind, h.relation, h.modality)} {g.nodes[b]['en']}"
                         f"  ({h.kind})")
            for e in h.evidence:
                where = ", ".join(x for x in (e["date"], e["url"] or e["article"]) if x)
                lines.append(f"     «{e['text']}»" if e["text"] else f"     catalogue: {e.get('source', '')}")
                lines.append(f"       — {e['speaker_label'] or 'unattributed'}, {where}")
        lines.append("")
    return "\n".join(lines)


def format_neighbors(g, x: str, rows: list[dict]) -> str:
    lines = [f"{label(g, x)}: {len(rows)} entities within reach", ""]
    for r in rows:
        a, b = (r["via"], r["entity"]) if r["forward"] or r["kind"] == "comention" else (r["entity"], r["via"])
        lines.append(f"{r['hops']:>2}  {r['type']:<13} {r['he']} / {r['en']}    via {g.nodes[a]['en']} "
                     f"{_arrow(r['kind'], r['relation'], r['modality'])} {g.nodes[b]['en']} ({r['evidence']}×)")
    return "\n".join(lines) + "\n"


def _arrow(kind: str, relation: str, modality: str) -> str:
    mod = f" [{modality}]" if modality and modality not in ASSERTING else ""
    return f"—{relation}{mod}—" if kind == "comention" else f"—{relation}{mod}→"
