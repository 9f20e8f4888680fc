"""Does a store survive being killed? SIGKILL ``kg ingest`` at random points, store creation included.

Each trial runs ``kg ingest`` over the self-written articles of ``tests/gold/``
and the seed, into a store that is missing (half the trials: the kill can land
while the store is being created) or already holds part of the batch, and
kills it with SIGKILL after a random delay within the length of a clean run.
Then it checks, in a fresh process:

- the store opens and answers a query (read-only) and exports N-Quads;
- no article graph is half-written: each stored article graph is exactly the
  graph a clean run stores for it;
- the catalogue graph is there whenever an article is, and describes every
  entity the stored articles refer to;
- a re-run of the same ingest gives exactly the clean run's quads.

    python bench/bench_kill.py --trials 100
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg"]
CATALOG = "https://w3id.org/footkg/graph/catalog"
CHECK = r"""
import json, sys
from kg.store import EmbeddedStore
st = EmbeddedStore(sys.argv[1], read_only=True)
graphs = st.graphs()
by_graph = {}
for line in st.nquads().decode().split("\n"):
    if line:
        g = line.rsplit(" ", 2)[-2]
        by_graph.setdefault(g.strip("<>"), []).append(line)
described = {str(r["e"]) for r in st.query(
    "SELECT ?e WHERE { GRAPH <%s> { ?e a ?t } }" % sys.argv[2]).rows}
mentioned = {str(r["e"]) for r in st.query(
    "SELECT ?e WHERE { GRAPH ?g { ?a <https://w3id.org/footkg/ontology#mentions> ?e } }").rows}
print(json.dumps({"graphs": graphs, "quads": {g: sorted(q) for g, q in by_graph.items()},
                  "undescribed": sorted(mentioned - described)}))
"""


def articles() -> list[str]:
    return [str(ROOT / "seeds")] + sorted(str(p) for p in (ROOT / "tests" / "gold").glob("*.txt"))


def ingest(store: Path, files, kill_after: float | None = None) -> tuple[str, float]:
    start = time.monotonic()
    proc = subprocess.Popen([*KG, "ingest", *files, "--store", str(store)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if kill_after is None:
        _, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"clean ingest failed: {err.decode()[-500:]}")
        return "done", time.monotonic() - start
    try:
        proc.wait(timeout=kill_after)
        return "finished before the kill", time.monotonic() - start
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return "killed", time.monotonic() - start


def inspect(store: Path) -> dict | str:
    import json

    r = subprocess.run([sys.executable, "-c", CHECK, str(store), CATALOG], cwd=ROOT,
                       capture_output=True, text=True)
    if r.returncode != 0:
        return (r.stderr.strip().splitlines() or ["?"])[-1]
    return json.loads(r.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    files = articles()
    work = Path(tempfile.mkdtemp(prefix="bench-kill-"))
    try:
        clean_store = work / "clean"
        _, clean_time = ingest(clean_store, files)
        clean = inspect(clean_store)
        assert isinstance(clean, dict), clean
        print(f"clean run: {len(files) - 1 + 1} inputs, {len(clean['graphs'])} graphs, "
              f"{sum(map(len, clean['quads'].values()))} quads, {clean_time:.2f} s")
        tally: Counter = Counter()
        faults: list[str] = []
        for trial in range(args.trials):
            store = work / f"t{trial}"
            fresh = trial % 2 == 0
            batch = files
            if not fresh:          # a store already holding part of the batch
                ingest(store, files[: rng.randint(1, len(files) - 1)])
                batch = files[rng.randint(0, len(files) // 2):]
            delay = rng.uniform(0.0, clean_time * (0.3 if fresh and trial % 4 == 0 else 1.0))
            outcome, _ = ingest(store, batch, kill_after=delay)
            tally[outcome] += 1
            if not store.exists():
                tally["no store yet (killed before creating it)"] += 1
                state = None
            else:
                state = inspect(store)
                if isinstance(state, str):
                    tally["store unusable"] += 1
                    faults.append(f"trial {trial}: unusable after a kill at {delay:.3f} s: {state}")
                    shutil.rmtree(store, ignore_errors=True)
                    continue
                tally["store opens and answers"] += 1
                for g, quads in state["quads"].items():
                    if g != CATALOG and quads != clean["quads"].get(g):
                        tally["half-written article"] += 1
                        faults.append(f"trial {trial}: {g} differs from the clean run's graph")
                articles_stored = [g for g in state["graphs"] if g != CATALOG]
                if articles_stored and CATALOG not in state["graphs"]:
                    tally["catalogue graph missing"] += 1
                    faults.append(f"trial {trial}: {len(articles_stored)} articles, no catalogue graph")
                if state["undescribed"]:
                    tally["entities without description"] += 1
                    faults.append(f"trial {trial}: {len(state['undescribed'])} entities not in the catalogue graph")
            ingest(store, files)                       # the re-run
            again = inspect(store)
            if again == clean:
                tally["re-run equals a clean run"] += 1
            else:
                tally["re-run differs"] += 1
                faults.append(f"trial {trial}: the re-run differs from the clean run")
            shutil.rmtree(store, ignore_errors=True)
        print(f"\n{'trials':<48}{args.trials:>6}")
        for key in ("killed", "finished before the kill", "no store yet (killed before creating it)",
                    "store opens and answers", "store unusable", "half-written article",
                    "catalogue graph missing", "entities without description",
                    "re-run equals a clean run", "re-run differs"):
            print(f"{key:<48}{tally[key]:>6}")
        for f in faults[:20]:
            print("  " + f)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
