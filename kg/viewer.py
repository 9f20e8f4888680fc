"""networkx projection -> one self-contained HTML page (pyvis + vis-network in-line).

The page works offline: vis-network and our own script are in-line, no
Bootstrap, no CDN, and a Content-Security-Policy forbids any request. Article
text is untrusted: data reaches the page as JSON with ``<``, ``>`` and ``&``
escaped, tooltips and the details panel set ``textContent``, links are
http(s) only. Hebrew reads right to left (``direction: rtl`` on the canvas).
Small views settle with live physics, which then stops; past ``PHYSICS_MAX``
nodes positions come from Python (:func:`layout`) and physics stays off.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from functools import lru_cache
from pathlib import Path

import networkx as nx
import numpy as np
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader
from pyvis.network import Network

from kg.analysis import ego, find_node, pagerank, simple
from kg.export import atomic_write
from kg.lexicon import DATA
from kg.projection import ASSERTING, project
from kg.viewer_assets import PAGE, SCRIPT

log = logging.getLogger(__name__)

PHYSICS_MAX = 300          # live physics up to this many nodes
DEFAULT_BUDGET = 1_500     # most nodes a page shows; the most central are kept
SPACING = 90.0             # pixels per node in computed layouts
TYPES = {  # type: (colour, vis shape, legend glyph)
    "Person": ("#e4572e", "dot", "●"), "Club": ("#17a2a0", "square", "■"),
    "NationalTeam": ("#2e86ab", "hexagon", "⬢"), "Competition": ("#e0a800", "star", "★"),
    "League": ("#f29e4c", "triangle", "▲"), "Organization": ("#5e9e34", "diamond", "◆"),
    "Country": ("#9b5de5", "triangleDown", "▼"), "City": ("#6c7a89", "dot", "●"),
    "Stadium": ("#8a5a83", "square", "■"), "": ("#999999", "dot", "●"),
}
KIND_COLOURS = {"claim": "#4a4a4a", "quote": "#8e44ad", "comention": "#b8c2cc", "background": "#9aa5b1"}
EXTRA_LABELS = {"speaksAbout": ("מדבר על", "speaks about"), "mentionedWith": ("מוזכר עם", "mentioned with")}
KIND_LABELS = {"claim": ("טענה", "claim"), "quote": ("ציטוט", "quote"),
               "comention": ("אזכור משותף", "co-mention"), "background": ("רקע (קטלוג)", "background")}
MAX_EVIDENCE = 5


def write_viewer(store, path, focus: str | None = None, hops: int = 2, *, budget: int | None = DEFAULT_BUDGET,
                 since: str | None = None, until: str | None = None, comentions: bool = False) -> str:
    """Project the store and write the viewer to ``path`` (UTF-8, atomically); returns a summary."""
    g = project(store, since=since, until=until, comentions=comentions)
    return write_graph(g, path, focus=focus, hops=hops, budget=budget)


def write_graph(g, path, focus: str | None = None, hops: int = 2, budget: int | None = DEFAULT_BUDGET) -> str:
    page, info = render(g, focus=focus, hops=hops, budget=budget)
    atomic_write(path, page.encode("utf-8"))
    return info


def render(g, focus: str | None = None, hops: int = 2, budget: int | None = DEFAULT_BUDGET) -> tuple[str, str]:
    """The page for a projection, and a one-line summary of what it shows."""
    centre = None
    if focus:
        centre = find_node(g, focus)
        g = ego(g, centre, hops)
    rank = pagerank(g)
    view, note = trim(g, rank, budget, keep={centre} if centre else set())
    positions = layout(view, rank) if view.number_of_nodes() > PHYSICS_MAX else None
    nodes, edges = _nodes(view, rank, positions), _edges(view)
    config = _config(view, nodes, centre, hops, positions is None, note)
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.nodes, net.edges = nodes, edges
    net.options = _options(positions is None, len(nodes))
    net.templateEnv = _environment(net.template_dir)
    net.path = "footkg.html"
    net.templateEnv.globals["page"] = {"config": config, "note": note, "script": SCRIPT, "options": net.options,
                                       "legend": config["types"], "kinds": config["kinds"]}
    page = net.generate_html()
    info = f"{len(nodes)} nodes, {len(edges)} edges" + (f"; {note['left_out']} left out" if note else "")
    return page, info


# -- safety ---------------------------------------------------------------------------

def script_json(value) -> str:
    """JSON safe inside a <script> element: no ``</script>``, ``<!--`` or line separators survive."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _environment(template_dir: str) -> Environment:
    env = Environment(loader=ChoiceLoader([DictLoader({"footkg.html": PAGE}), FileSystemLoader(template_dir)]),
                      autoescape=True, keep_trailing_newline=True)
    env.filters["script_json"] = script_json
    env.globals["vis_js"] = _vis_asset(template_dir, "vis-network.min.js")
    env.globals["vis_css"] = _vis_asset(template_dir, "vis-network.css")
    return env


@lru_cache(maxsize=4)
def _vis_asset(template_dir: str, name: str) -> str:
    text = (Path(template_dir) / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"pyvis asset {name} cannot be in-lined safely")
    return text


def _safe_url(url: str) -> str:
    return url if url.lower().startswith(("https://", "http://")) else ""


# -- labels -----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def ontology_labels() -> dict[str, tuple[str, str]]:
    """fk: local name -> (Hebrew, English) label, from the ontology file."""
    from rdflib import Graph
    from rdflib.namespace import RDFS

    g = Graph().parse(DATA / "ontology.ttl", format="turtle")
    out: dict[str, dict[str, str]] = {}
    for s, o in g.subject_objects(RDFS.label):
        out.setdefault(str(s).rsplit("#", 1)[-1], {})[o.language or "en"] = str(o)
    labels = {k: (v.get("he", k), v.get("en", k)) for k, v in out.items()}
    return labels | EXTRA_LABELS


def _lab(name: str) -> tuple[str, str]:
    return ontology_labels().get(name, (name, name))


# -- what the page shows -------------------------------------------------------------------

def trim(g, rank: dict, budget: int | None, keep=frozenset()) -> tuple[nx.MultiDiGraph, dict]:
    """At most ``budget`` nodes, the most central first; the note says what was left out."""
    n = g.number_of_nodes()
    if not budget or n <= budget:
        return g, {}
    order = sorted(g, key=lambda s: (s not in keep, -rank.get(s, 0.0), s))
    kept = set(order[:budget])
    view = g.subgraph(kept).copy()
    view.graph.update(g.graph)
    types = Counter(g.nodes[s]["type"] or "?" for s in g if s not in kept)
    note = {"shown": budget, "total": n, "left_out": n - budget,
            "edges_left_out": g.number_of_edges() - view.number_of_edges(),
            "types": [{"type": t, "he": _lab(t)[0], "count": c} for t, c in types.most_common()]}
    log.info("viewer: %d of %d nodes shown (budget)", budget, n)
    return view, note


def _nodes(g, rank: dict, positions) -> list[dict]:
    top = max(rank.values(), default=0.0) or 1.0
    out = []
    for s, d in sorted(g.nodes(data=True)):
        colour, shape, _ = TYPES.get(d["type"], TYPES[""])
        type_he, type_en = _lab(d["type"]) if d["type"] else ("?", "?")
        tip = "\n".join(x for x in (d["he"], d["en"] if d["en"] != d["he"] else "",
                                    f"{type_he} · {type_en} · {d['articles']} כתבות / articles") if x)
        node = {"id": s, "label": d["he"], "he": d["he"], "en": d["en"], "alt": d["alt"], "type": d["type"],
                "articles": d["articles"], "dates": d["dates"], "tip": tip, "shape": shape, "color": colour,
                "size": round(9 + 22 * math.sqrt(rank.get(s, 0.0) / top), 1)}
        if positions is not None:
            node["x"], node["y"] = positions[s]
        out.append(node)
    return out


def _edges(g) -> list[dict]:
    out, parallel = [], Counter()
    for i, (u, v, key, d) in enumerate(sorted(g.edges(keys=True, data=True), key=lambda e: e[:3])):
        pair = tuple(sorted((u, v)))
        rel_he, rel_en = _lab(d["relation"])
        mod_he = _lab(d["modality"])[0] if d["modality"] and d["modality"] not in ASSERTING else ""
        edge = {"id": f"e{i}", "from": u, "to": v, "kind": d["kind"], "relation": d["relation"],
                "modality": d["modality"], "dates": d["dates"], "background": d["background"],
                "label": "" if d["kind"] == "comention" else rel_he + (f" ({mod_he})" if mod_he else ""),
                "rel": [rel_he, rel_en], "mod": mod_he, "count": d["claims"],
                "tip": _edge_tip(g, d, rel_he, rel_en, mod_he),
                "ev": [_ev(g, e) for e in d["evidence"][:MAX_EVIDENCE]],
                "color": KIND_COLOURS[d["kind"]], "width": round(1 + math.log2(d["claims"]), 2),
                "arrows": "" if d["kind"] == "comention" else "to",
                "dashes": [2, 5] if d["kind"] == "background" else bool(mod_he)}
        if parallel[pair]:
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.2 * parallel[pair]}
        parallel[pair] += 1
        out.append(edge)
    return out


def _speaker(g, slug: str) -> str:
    lab = g.graph.get("labels", {}).get(slug)
    return lab["he"] if lab else slug


def _ev(g, e: dict) -> dict:
    return {"text": e["text"], "speaker": _speaker(g, e["speaker"]) if e["speaker"] else "",
            "date": e["date"], "url": _safe_url(e["url"]), "article": e["article"],
            "quoted": e["quoted"], "source": e.get("source", "")}


def _edge_tip(g, d: dict, rel_he: str, rel_en: str, mod_he: str) -> str:
    head = f"{rel_he} / {rel_en}" + (f" · {mod_he}" if mod_he else "") + f" · {KIND_LABELS[d['kind']][0]}"
    lines = [head + (f" · {d['articles']} כתבות" if d["kind"] == "comention" else "")]
    for e in d["evidence"][:3]:
        if e["kind"] == "background":
            lines.append(f"רקע (קטלוג): {e.get('source', '')}")
            continue
        lines.append(f"«{e['text']}»")
        lines.append(" — " + ", ".join(x for x in (_speaker(g, e["speaker"]) if e["speaker"] else "",
                                                   e["date"], _safe_url(e["url"]) or e["article"]) if x))
    if len(d["evidence"]) > 3:
        lines.append(f"(+{len(d['evidence']) - 3})")
    if d["background"]:
        lines.append(f"מאושר ברקע: {d['background']}")
    return "\n".join(lines)


def _config(g, nodes, focus, hops, physics: bool, note: dict) -> dict:
    counts = Counter(n["type"] for n in nodes)
    types = [{"type": t, "he": _lab(t)[0] if t else "?", "en": _lab(t)[1] if t else "?",
              "colour": TYPES.get(t, TYPES[""])[0], "glyph": TYPES.get(t, TYPES[""])[2], "count": counts[t]}
             for t in sorted(counts, key=lambda t: (list(TYPES).index(t) if t in TYPES else 99, t))]
    kinds = Counter(d["kind"] for _, _, d in g.edges(data=True))
    return {"types": types, "focus": focus or "", "hops": hops, "physics": physics, "nodes": len(nodes),
            "kinds": [{"kind": k, "he": KIND_LABELS[k][0], "en": KIND_LABELS[k][1], "count": kinds[k],
                       "colour": KIND_COLOURS[k]} for k in KIND_LABELS if kinds[k]],
            "since": g.graph.get("since", ""), "until": g.graph.get("until", ""), "left_out": note}


def _options(physics: bool, n: int) -> dict:
    opts = {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": physics and n <= 100},
        "nodes": {"font": {"size": 14, "face": "DejaVu Sans, Arial, sans-serif"}, "borderWidth": 1},
        "edges": {"smooth": False, "font": {"size": 10, "face": "DejaVu Sans, Arial"},
                  "arrows": {"to": {"scaleFactor": 0.5}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": not physics},
        "physics": {"enabled": False},
    }
    if physics:
        opts["physics"] = {"enabled": True, "solver": "forceAtlas2Based",
                           "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 130},
                           "stabilization": {"enabled": True, "iterations": 400, "fit": True}}
    return opts


# -- layout for big views --------------------------------------------------------------------

def layout(g, rank: dict, spacing: float = SPACING) -> dict[str, tuple[float, float]]:
    """Positions without live physics: Louvain groups, each laid out by a small
    force simulation, packed in rows (largest group first, from the right)."""
    und = simple(g)
    groups, rest = _groups(und)
    blocks = [_block(und, grp, spacing) for grp in groups]
    if rest:
        blocks.append(_grid(sorted(rest, key=lambda s: (-rank.get(s, 0.0), s)), spacing))
    return _pack(blocks, spacing)


def _groups(und, max_size: int = 1000) -> tuple[list[list[str]], list[str]]:
    if not und.number_of_edges():
        return [], sorted(und)
    found = nx.community.louvain_communities(und, seed=0)
    groups, rest = [], []
    while found:
        c = sorted(found.pop())
        if len(c) <= 2:
            rest.extend(c)
        elif len(c) <= max_size:
            groups.append(c)
        else:
            parts = nx.community.louvain_communities(und.subgraph(c), resolution=2.0, seed=0)
            if len(parts) > 1:
                found.extend(parts)
            else:
                groups.extend(c[i:i + max_size] for i in range(0, len(c), max_size))
    return sorted(groups, key=lambda c: (-len(c), c[0])), rest


def _block(und, nodes: list[str], spacing: float) -> tuple[dict, float]:
    index = {s: i for i, s in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in und.subgraph(nodes).edges()], dtype=int).reshape(-1, 2)
    pos = force_layout(len(nodes), edges)
    radius = spacing * 0.6 * math.sqrt(len(nodes)) + spacing / 2
    return {s: (float(pos[i, 0]) * radius, float(pos[i, 1]) * radius) for s, i in index.items()}, radius


def force_layout(n: int, edges: np.ndarray, iterations: int = 50, seed: int = 0) -> np.ndarray:
    """Fruchterman-Reingold, vectorised (dense: for groups of up to about a thousand
    nodes), with a little gravity; positions centred inside the unit disc."""
    if n <= 1:
        return np.zeros((n, 2))
    pos = (np.random.default_rng(seed).random((n, 2)) - 0.5).astype(np.float32)
    k, t = math.sqrt(1.0 / n), 0.1
    src, dst = edges[:, 0], edges[:, 1]
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        push = np.einsum("ijk,ijk->ij", delta, delta)
        np.maximum(push, 1e-6, out=push)
        np.divide(k * k, push, out=push)
        disp = np.einsum("ijk,ij->ik", delta, push) - pos * (0.5 * k)
        d = pos[src] - pos[dst]
        pull = d * (np.sqrt(np.einsum("ij,ij->i", d, d)) / k)[:, None]
        np.add.at(disp, src, -pull)
        np.add.at(disp, dst, pull)
        length = np.maximum(np.sqrt(np.einsum("ij,ij->i", disp, disp)), 1e-9)
        pos += disp * (np.minimum(length, t) / length)[:, None]
        t = max(t * 0.95, 0.005)
    pos -= pos.mean(0)
    return pos / max(float(np.sqrt((pos ** 2).sum(1)).max()), 1e-9)


def _grid(nodes: list[str], spacing: float) -> tuple[dict, float]:
    side = math.ceil(math.sqrt(len(nodes)))
    half = (side - 1) * spacing / 2
    pos = {s: ((i % side) * spacing - half, (i // side) * spacing - half) for i, s in enumerate(nodes)}
    return pos, half * math.sqrt(2) + spacing / 2


def _pack(blocks: list[tuple[dict, float]], spacing: float) -> dict[str, tuple[float, float]]:
    """Shelf packing of round blocks, right to left, top to bottom."""
    width = math.sqrt(sum((2 * r + spacing) ** 2 for _, r in blocks)) * 1.15
    out, x, y, row = {}, 0.0, 0.0, 0.0
    for pos, r in sorted(blocks, key=lambda b: -b[1]):
        if x and x + 2 * r > width:
            x, y, row = 0.0, y + row + spacing, 0.0
        cx, cy = -(x + r), y + r
        for s, (px, py) in pos.items():
            out[s] = (round(cx + px, 1), round(cy + py, 1))
        x += 2 * r + spacing
        row = max(row, 2 * r)
    return out
