"""How long the viewer takes: writing the page, and Chromium settling it.

Builds synthetic projections (the shape ``kg.analysis.project`` returns) of
the given sizes, writes each page with ``kg.viewer.write_graph`` and opens it
in Debian's chromium (Playwright, network blocked) until the page reports
``kgViewer.ready`` (live physics stopped, or the first frame drawn when the
positions come from Python).

    python bench/bench_viewer.py                      # 300 (live physics), 500, 2,000, 10,000 nodes
    python bench/bench_viewer.py --sizes 500 --budget 1500 --no-browser
"""

from __future__ import annotations

import argparse
import logging
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from kg.viewer import DEFAULT_BUDGET, write_graph

TYPES = ["Person"] * 6 + ["Club"] * 2 + ["Competition", "League", "Organization", "Country", "City"]
RELATIONS = {"Person": ["playsFor", "formerPlayerOf", "headCoachOf", "nationality"],
             "Club": ["competesIn", "basedIn", "country"], "": ["memberOf"]}
SYLLABLES = ["מא", "רי", "בן", "כה", "לו", "דה", "שי", "טל", "גו", "נה", "Ma", "Ro", "Li", "Ke"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A projection-shaped graph: n entities, about 2n claim edges (preferential attachment)."""
    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    g = nx.MultiDiGraph(since="", until="", labels={"one": {"he": "וואן", "en": "ONE"}})
    for i in base:
        t = rng.choice(TYPES)
        he = " ".join("".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(2))
        g.add_node(f"e{i}", type=t, he=he, en=f"Entity {i}", alt=[f"E{i}"], articles=rng.randint(1, 40),
                   dates=[f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"])
    for k, (u, v) in enumerate(base.edges()):
        rel = rng.choice(RELATIONS.get(g.nodes[f"e{u}"]["type"], RELATIONS[""]))
        mod = "Asserted" if k % 5 else "Desired"
        date = f"2026-0{rng.randint(1, 9)}-2{rng.randint(0, 8)}"
        ev = {"kind": "claim", "text": f"משפט ראיה מספר {k} על {g.nodes[f'e{u}']['he']}", "speaker": "one",
              "article": f"https://w3id.org/footkg/article/b-{k}", "url": f"https://example.org/a/{k}.html",
              "date": date, "modality": mod, "quoted": False}
        g.add_edge(f"e{u}", f"e{v}", key=f"claim:{rel}:{mod}", kind="claim", relation=rel, modality=mod,
                   evidence=[ev], claims=1, articles=1, speakers=["one"], sources=[ev["url"]],
                   dates=[date], first=date, last=date, background="", cost=1.0)
    return g


def wait_ready(page, timeout_s: float, every_s: float = 0.05) -> None:
    """Poll ``kgViewer.ready`` from Python: the page's CSP forbids the eval that
    Playwright's ``wait_for_function`` polling relies on."""
    end = time.perf_counter() + timeout_s
    while not page.evaluate("Boolean(window.kgViewer && window.kgViewer.ready)"):
        if time.perf_counter() > end:
            raise TimeoutError(f"viewer not ready after {timeout_s:.0f} s")
        time.sleep(every_s)


def settle(browser, path: Path, timeout_s: float = 600.0) -> tuple[float, int]:
    """Seconds from navigation until the page is ready, and the node count it holds."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    start = time.perf_counter()
    page.goto(path.as_uri(), timeout=timeout_s * 1000)
    wait_ready(page, timeout_s)
    took = time.perf_counter() - start
    count = page.evaluate("kgViewer.nodes.length")
    page.close()
    if errors:
        raise RuntimeError(f"{path}: page errors: {errors}")
    return took, count


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="300,500,2000,10000", help="Comma-separated node counts.")
    ap.add_argument("--budget", type=int, default=0,
                    help=f"Node budget (0: show all; the CLI's is {DEFAULT_BUDGET}).")
    ap.add_argument("--no-browser", action="store_true", help="Only time writing the page.")
    ap.add_argument("--keep", default=None, help="Keep the pages in this folder.")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    out = Path(args.keep or tempfile.mkdtemp(prefix="kg-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    browser, pw = None, None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        exe = shutil.which("chromium") or "/usr/bin/chromium"
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
    print(f"{'nodes':>6} {'edges':>6} {'shown':>6} {'mode':<8} {'write s':>8} {'MB':>6} {'settle s':>9}")
    try:
        for n in (int(x) for x in args.sizes.split(",")):
            g = synthetic(n)
            path = out / f"bench-{n}.html"
            start = time.perf_counter()
            write_graph(g, path, budget=args.budget or None)
            wrote = time.perf_counter() - start
            shown = min(n, args.budget) if args.budget else n
            mode = "physics" if shown <= 300 else "layout"
            took = "-"
            if browser:
                secs, count = settle(browser, path)
                took = f"{secs:9.2f}"
                assert count == shown, (count, shown)
            print(f"{n:>6} {g.number_of_edges():>6} {shown:>6} {mode:<8} {wrote:8.2f} "
                  f"{path.stat().st_size / 1e6:6.1f} {took:>9}", flush=True)
    finally:
        if browser:
            browser.close()
            pw.stop()
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
