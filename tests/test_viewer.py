"""The viewer page: offline, escaped, UTF-8, deterministic; and in Debian's chromium
(Playwright, network blocked): it draws, searches, filters, and runs no article text."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import time
from pathlib import Path

import networkx as nx
import pytest

from kg import viewer
from kg.projection import project
from kg.viewer import render, script_json, write_graph, write_viewer
from tests.conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# An article in our own words that carries markup and a javascript: link: all of it must stay text.
UNTRUSTED = """url https://www.example.co.il/sport/777.html
 date 2026-02-03 בעלי אינטר מיאמי, חורחה מאס, הודיע אתמול כי המועדון ינסה שוב להגיע לקופה ליברטדורס \
<img src=x onerror="window.__pwned=1">.
"אנחנו רוצים לשחק מול הטובים ביותר <script>window.__pwned=1</script> ונדבר עם קונמבול \
<img src=x onerror=window.__pwned=1> על כך", אמר מאס.
ליאו מסי, הכוכב הארגנטינאי, שיחק בעבר בברצלונה ובאינטר מיאמי <a href="javascript:window.__pwned=1">לחצו כאן</a> \
ובכתובת javascript:alert(1).
"""
ATTACKS = ("<script>window.__pwned", "<img src=x", '<a href="javascript:')


def synthetic(n: int, seed: int = 3) -> nx.MultiDiGraph:
    """A projection-shaped graph of n entities (preferential attachment)."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph(since="", until="", labels={})
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    for i in base:
        g.add_node(f"e{i}", type=rng.choice(["Person", "Club", "League"]), he=f"ישות {i}", en=f"Entity {i}",
                   alt=[], articles=1, dates=["2026-01-01"])
    for u, v in base.edges():
        ev = {"kind": "claim", "text": f"ראיה {u}-{v}", "speaker": "", "article": "a", "url": "javascript:alert(1)",
              "date": "2026-01-01", "modality": "Asserted", "quoted": False}
        g.add_edge(f"e{u}", f"e{v}", key="claim:playsFor:Asserted", kind="claim", relation="playsFor",
                   modality="Asserted", evidence=[ev], claims=1, articles=1, speakers=[], sources=["a"],
                   dates=["2026-01-01"], first="2026-01-01", last="2026-01-01", background="", cost=1.0)
    return g


def page_data(page: str, name: str):
    m = re.search(rf"^const {name} = (.*);$", page, re.M)
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def seed_page(seed_store):
    return render(project(seed_store))[0]


@pytest.fixture(scope="module")
def untrusted_store(tmp_path_factory):
    from kg.pipeline import ingest
    from kg.store import open_store

    path = tmp_path_factory.mktemp("untrusted") / "777.txt"
    path.write_text(UNTRUSTED, encoding="utf-8")
    store = open_store(":memory:")
    report = ingest([path], store)
    assert report.stored and not report.failed
    return store


# -- the page as text ------------------------------------------------------------------

def test_viewer_page_links_nothing_outside(seed_page):
    assert "<link" not in seed_page and "bootstrap" not in seed_page.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", seed_page)
    assert not re.search(r"cdn\.|cdnjs|jsdelivr|unpkg", seed_page)
    assert "Content-Security-Policy" in seed_page and "default-src 'none'" in seed_page
    assert "#mynetwork canvas { direction: rtl; }" in seed_page


def test_viewer_data_matches_the_projection(seed_store, seed_page):
    g = project(seed_store)
    nodes, edges = page_data(seed_page, "NODES"), page_data(seed_page, "EDGES")
    assert len(nodes) == g.number_of_nodes() and len(edges) == g.number_of_edges()
    messi = next(n for n in nodes if n["id"] == "lionel-messi")
    assert messi["label"] == "ליאו מסי" and messi["shape"] == "dot" and "Lionel Messi" in messi["tip"]
    desired = [e for e in edges if e["modality"] == "Desired"]
    assert desired and all(e["dashes"] is True for e in desired)
    assert all(e["dashes"] is False for e in edges if e["kind"] == "claim" and e["modality"] == "Asserted")
    assert all(e["dashes"] == [2, 5] for e in edges if e["kind"] == "background")
    owner = next(e for e in edges if e["from"] == "jorge-mas" and e["relation"] == "ownerOf")
    assert owner["ev"][0]["url"] == "https://www.one.co.il/Article/512109.html"
    assert owner["ev"][0]["speaker"] == "וואן" and owner["label"] == "בעלים של"


def test_viewer_writes_utf8_atomically_and_deterministically(seed_store, tmp_path):
    out = tmp_path / "graph.html"
    write_viewer(seed_store, out)
    first = out.read_bytes()
    write_viewer(seed_store, out)
    assert out.read_bytes() == first
    assert "ליאו מסי".encode("utf-8") in first
    first.decode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_viewer_script_json_cannot_close_the_script():
    value = {"t": "</script><script>alert(1)</script><!-- & \u2028 \u2029"}
    text = script_json(value)
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


def test_viewer_untrusted_text_never_reaches_the_page_as_markup(untrusted_store):
    page = render(project(untrusted_store, comentions=True))[0]
    for attack in ATTACKS:
        assert attack not in page
    assert page.lower().count("</script") == 2  # vis-network's and ours: nothing closes them early
    texts = " ".join(ev["text"] for e in page_data(page, "EDGES") for ev in e["ev"])
    assert "<script>window.__pwned=1</script>" in texts  # kept, as data


def test_viewer_links_only_http():
    edges = page_data(render(synthetic(20))[0], "EDGES")
    assert all(ev["url"] == "" for e in edges for ev in e["ev"])


def test_viewer_budget_keeps_the_most_central_and_says_so():
    g = synthetic(900)
    page, info = render(g, budget=400)
    nodes = page_data(page, "NODES")
    assert len(nodes) == 400 and "500 left out" in info
    assert "e0" in {n["id"] for n in nodes}  # the first hub of a preferential-attachment graph
    assert "הושמטו 500 ישויות" in page and "500 entities" in page
    assert all("x" in n and "y" in n for n in nodes)  # big view: positions from Python
    assert page_data(page, "OPTIONS")["physics"]["enabled"] is False
    small = page_data(render(synthetic(50))[0], "OPTIONS")
    assert small["physics"]["enabled"] is True


def test_viewer_layout_spreads_nodes():
    g = synthetic(600)
    pos = viewer.layout(g, {s: 1.0 for s in g})
    assert set(pos) == set(g)
    assert len(set(pos.values())) == len(pos)
    assert all(abs(x) < 1e5 and abs(y) < 1e5 for x, y in pos.values())


def test_viewer_focus_keeps_the_neighbourhood(seed_store):
    g = project(seed_store)
    page, _ = render(g, focus="מסי", hops=1)
    ids = {n["id"] for n in page_data(page, "NODES")}
    assert "lionel-messi" in ids and "argentina" in ids and "conmebol" not in ids
    assert page_data(page, "KG")["focus"] == "lionel-messi"


def test_viewer_cli_view_with_focus_and_budget(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli
    from tests.conftest import SEED

    runner, store, out = CliRunner(), str(tmp_path / "kg"), tmp_path / "g.html"
    assert runner.invoke(cli, ["ingest", str(SEED), "--store", store]).exit_code == 0
    r = runner.invoke(cli, ["view", "-o", str(out), "--focus", "Lionel Messi", "--hops", "1", "--store", store])
    assert r.exit_code == 0 and "7 nodes" in r.output
    r = runner.invoke(cli, ["view", "-o", str(out), "--budget", "5", "--store", store])
    assert r.exit_code == 0 and "5 nodes" in r.output and "12 left out" in r.output
    r = runner.invoke(cli, ["view", "-o", str(out), "--focus", "אין כזה", "--store", store])
    assert r.exit_code == 1 and "Traceback" not in r.output


# -- in chromium -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
        pytest.skip("Debian's chromium is not installed (CI installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Opened:
    """A viewer page in chromium with every request but the file itself refused and logged."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors, self.requests, self.dialogs = [], [], []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        end = time.monotonic() + 60
        while not self.js("Boolean(window.kgViewer && window.kgViewer.ready)"):  # CSP forbids eval polling
            assert time.monotonic() < end, "viewer never became ready"
            time.sleep(0.05)

    def _route(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def js(self, expr: str):
        return self.page.evaluate(expr)

    def shown(self) -> int:
        return int(self.js("document.getElementById('kg-status').dataset.nodes"))


def test_viewer_in_chromium_offline_search_filters(browser, seed_store, tmp_path):
    out = tmp_path / "graph.html"
    write_viewer(seed_store, out)
    view = Opened(browser, out)
    n = project(seed_store).number_of_nodes()
    assert view.js("kgViewer.nodes.length") == n == view.shown()
    assert view.js("KG.physics") is True  # small view: live physics, stopped once settled
    assert view.js("kgViewer.network.physics.options.enabled") is False
    assert view.js("kgViewer.network.body.nodeIndices.length") == n
    view.page.fill("#kg-search", "מסי")
    assert "Lionel Messi" in view.page.inner_text("#kg-results")
    view.page.press("#kg-search", "Enter")
    assert view.js("kgViewer.network.getSelectedNodes()") == ["lionel-messi"]
    assert view.page.inner_text("#kg-details").startswith("ליאו מסי")
    ARTIFACTS.mkdir(exist_ok=True)
    view.page.screenshot(path=str(ARTIFACTS / "viewer-seed.png"))
    persons = sum(1 for n in page_data(out.read_text(encoding="utf-8"), "NODES") if n["type"] == "Person")
    view.page.uncheck("[data-type=Person]")
    assert view.shown() == n - persons
    view.page.check("[data-type=Person]")
    view.page.fill("#kg-hops", "1")
    view.page.click("#kg-focus")
    assert view.shown() == 7  # Messi and his six neighbours
    view.page.click("#kg-reset")
    view.page.fill("#kg-since", "2026-02-01")
    view.page.dispatch_event("#kg-since", "change")
    assert view.shown() == 0
    assert view.errors == [] and view.requests == [] and view.dialogs == []


def test_viewer_in_chromium_runs_no_article_text(browser, untrusted_store, tmp_path):
    out = tmp_path / "untrusted.html"
    write_viewer(untrusted_store, out, comentions=True)
    view = Opened(browser, out)
    shown = view.js("""(() => { let text = "";
        for (const id of kgViewer.edges.getIds()) { kgViewer.showEdge(id); text += document.getElementById('kg-details').textContent; }
        for (const id of kgViewer.nodes.getIds()) { kgViewer.showNode(id); }
        return text; })()""")
    assert "<script>window.__pwned=1</script>" in shown and "<img src=x" in shown  # shown as text
    assert view.js("document.querySelectorAll('#kg-details img, #kg-details script').length") == 0
    assert view.js("[...document.querySelectorAll('a')].every(a => /^https?:/.test(a.href))")
    time.sleep(0.2)
    assert view.js("typeof window.__pwned") == "undefined"
    assert view.errors == [] and view.requests == [] and view.dialogs == []


def test_viewer_in_chromium_big_graph_draws_within_budget(browser, tmp_path):
    out = tmp_path / "big.html"
    write_graph(synthetic(2000), out, budget=1500)
    view = Opened(browser, out)
    assert view.js("kgViewer.nodes.length") == 1500
    assert "500" in view.page.inner_text("#kg-note")
    assert view.js("kgViewer.network.physics.options.enabled") is False
    assert view.errors == [] and view.requests == []
