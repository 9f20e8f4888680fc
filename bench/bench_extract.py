"""How fast is the whole extraction (normalise, match, morphology, rules)?

Runs ``kg.pipeline.extract`` over N synthetic articles of about 4 KB (the
templates of ``bench_matching.py``, written for the benchmarks) and over the
self-written articles of ``tests/gold/``, one core. The first pass over the
synthetic set starts with an empty morphology cache (every new word goes to
hspell); the second reuses it, as a long ingest does.

    python bench/bench_extract.py --articles 300
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_matching import names_by_type, one_core, synthetic_article  # noqa: E402

from kg.catalog import default_catalog  # noqa: E402
from kg.model import Article  # noqa: E402
from kg.pipeline import extract  # noqa: E402
from kg.read import read_article  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def timed(articles, catalog) -> tuple[float, int]:
    start, claims = time.perf_counter(), 0
    for a in articles:
        claims += len(extract(a, catalog).claims)
    return time.perf_counter() - start, claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(one_core())
    catalog = default_catalog()
    rng, pools = random.Random(args.seed), names_by_type(catalog)
    synthetic = [Article(f"synthetic-{i}", synthetic_article(rng, pools, 4096), None, date(2026, 1, 1),
                         f"https://w3id.org/footkg/article/bench-{i}", None) for i in range(args.articles)]
    gold = [read_article(p) for p in sorted((ROOT / "tests" / "gold").glob("*.txt"))]
    extract(gold[0], catalog)  # warm-up: rules, cue lexicons, automaton
    rows = [("synthetic, cold morphology cache", synthetic), ("synthetic, warm cache", synthetic),
            ("tests/gold (20 articles) x5", gold * 5)]
    print(f"{'set':<34} {'articles':>8} {'seconds':>8} {'articles/s':>10} {'claims':>7}")
    for name, arts in rows:
        secs, claims = timed(arts, catalog)
        print(f"{name:<34} {len(arts):>8} {secs:8.2f} {len(arts) / secs:10.0f} {claims:7}")


if __name__ == "__main__":
    main()
