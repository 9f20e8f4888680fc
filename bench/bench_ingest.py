"""How fast does ``kg ingest`` fill an on-disk store, and how much memory does it take?

Writes the seeded corpus of ``bench/corpus.py`` (cached under ``--work``), then
for each size and each ``--jobs`` value runs ``kg ingest`` as a real process into
a fresh store and samples the resident memory of that process and its children
(``/proc``, every 0.1 s). Prints articles/s and the peak RSS (the sum over the
process tree: the writer and its extraction workers).

    python bench/bench_ingest.py --sizes 1000,10000 --jobs 1,2
    python bench/bench_ingest.py --sizes 1000 --jobs -      # '-': without --jobs (older kg)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import write_corpus  # noqa: E402

KG = [sys.executable, "-m", "kg"]


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        p = int(entry.name)
        children.setdefault(int(fields[1]), []).append(p)      # field 4: ppid
        rss[p] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")  # field 24: rss pages
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, ()))
    return total


def run(corpus: Path, jobs: str, work: Path) -> tuple[float, int, str]:
    store = work / "store"
    shutil.rmtree(store, ignore_errors=True)
    cmd = [*KG, "ingest", str(corpus), "--store", str(store)]
    if jobs != "-":
        cmd += ["--jobs", jobs]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=work)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = proc.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"kg ingest failed ({proc.returncode}): {err.decode()[-2000:]}")
    return elapsed, peak, out.decode().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="Corpus sizes, comma-separated.")
    parser.add_argument("--jobs", default="1,2", help="--jobs values, comma-separated ('-': no flag).")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "footkg-bench-ingest"))
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} cores; corpus seed {args.seed}; stores under {work}")
    print(f"{'articles':>8} {'jobs':>4} {'seconds':>8} {'articles/s':>10} {'peak RSS MB':>11}  kg says")
    for size in (int(s) for s in args.sizes.split(",")):
        corpus = work / f"corpus-{args.seed}-{size}"
        if not (corpus / f"{size - 1:06d}.txt").exists():
            write_corpus(corpus, size, args.seed)
        for jobs in args.jobs.split(","):
            secs, peak, said = run(corpus, jobs, work)
            print(f"{size:>8} {jobs:>4} {secs:8.1f} {size / secs:10.0f} {peak / 2**20:11.0f}  {said}",
                  flush=True)
    shutil.rmtree(work / "store", ignore_errors=True)


if __name__ == "__main__":
    main()
