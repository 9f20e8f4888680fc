"""Fuzzing read -> extract -> graph -> every export: crashes, broken spans, exports that do not parse.

Each input is a mutation of a piece of a self-written article (``tests/gold/``)
or the seed: random cuts and splices, random characters from the classes that
broke things before (line and paragraph separators, C0/C1 controls, NUL,
niqqud and cantillation marks, bidi controls, geresh/gershayim and quotation
variants, digits and scores, lone surrogates and bad UTF-8 as bytes), random
headers (``url``/``date`` lines, good and bad). Each input goes through
``parse_article`` (bytes decoded as ``read_article`` does), ``extract``,
``article_graph`` and the span check (every ``fk:exact`` equals the article
text between its offsets, and no span ends between a letter and its marks).
Every ``--batch`` inputs, the batch's graphs go into an in-memory store that
is exported in Turtle, TriG, N-Quads and JSON-LD, each parsed back with
Oxigraph's parser and compared with the store's quad count.

A refused input (ArticleError: not UTF-8, empty, bad header) is counted, not a
fault; any other exception is a crash.

    python bench/bench_fuzz.py --inputs 1000000 --jobs 2
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import sys
import time
import traceback
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECIAL = (
    "\u2028\u2029\u0085\x0b\x0c\x1c\x1d\x1e\r\n\t\x00\x01\x07\x1b\x7f\x80\x9f"
    "\u05b0\u05b4\u05b7\u05bc\u05c1\u05c2\u05b8\u0591\u0596\u05bf"
    "\u200e\u200f\u202a\u202b\u202c\u2066\u2069\u200b\u200d\ufeff\u00ad"
    "\u05f3\u05f4\u2019\u2018\u201c\u201d\u201e\u00ab\u00bb'\"`\u05be\u2013\u2014-"
    "0123456789:., ?!()[]{}<>\\|#@%&*\u00a0\u2009"
    "\U0001F600\ufffd\u0300\u0301"
)
HEADERS = ("", "", "", "url https://www.one.co.il/Article/{n}.html\n", "url https://x.co.il/{n}\n",
           " date 2026-01-{d:02d} ", " date 2099-01-01 ")
BAD_HEADERS = (" date 2026-02-30 ", "url http://[::1\n", "url ftp://a/b\n", "url https://a.co.il/{{x}}\n")
BAD_HEADER_SHARE = 0.08     # refused inputs test the reader, not extraction: keep them a minority


def corpus() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "gold").glob("*.txt"))]
    texts.append((ROOT / "seeds" / "000_aa2c9240cabe1a9a.txt").read_text(encoding="utf-8"))
    return [t.split("\n", 1)[1] if t.startswith("url ") else t for t in texts]


def mutate(rng: random.Random, texts: list[str]) -> bytes:
    base = rng.choice(texts)
    a = rng.randrange(len(base))
    text = base[a:a + rng.choice((40, 200, 800, 2000))]
    if rng.random() < 0.3:                                     # splice two pieces
        other = rng.choice(texts)
        b = rng.randrange(len(other))
        text += other[b:b + rng.randint(10, 600)]
    chars = list(text)
    for _ in range(rng.choice((0, 1, 3, 10, 40))):
        pos = rng.randrange(len(chars) + 1)
        op = rng.random()
        if op < 0.6:
            chars.insert(pos, rng.choice(SPECIAL))
        elif op < 0.8 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif chars:
            chars.insert(pos, chars[rng.randrange(len(chars))])
    header = rng.choice(BAD_HEADERS if rng.random() < BAD_HEADER_SHARE else HEADERS).format(n=rng.randint(1000, 999999), d=rng.randint(1, 28))
    data = (header + "".join(chars)).encode("utf-8", "surrogatepass")
    r = rng.random()
    if r < 0.02:                                               # bad UTF-8
        pos = rng.randrange(len(data) + 1)
        data = data[:pos] + rng.choice((b"\xff", b"\xed\xa0\x80", b"\xd7", b"\xc0\xaf")) + data[pos:]
    elif r < 0.03:
        data = data[: rng.randrange(len(data) + 1)]            # truncated anywhere
    return data


def check_spans(graph, text: str) -> list[str]:
    from kg.vocab import FK

    bad = []
    for span in graph.subjects(FK.exact, None):
        start = int(graph.value(span, FK.start))
        end = int(graph.value(span, FK.end))
        exact = str(graph.value(span, FK.exact))
        if not (0 <= start <= end <= len(text)) or exact != text[start:end]:
            bad.append(f"span {start}:{end} {exact!r} != {text[start:end]!r}")
        elif end < len(text) and unicodedata.combining(text[end]) and end > start and \
                ("\u05d0" <= text[end - 1] <= "\u05ea" or unicodedata.combining(text[end - 1])):
            bad.append(f"span {start}:{end} ends before the mark {text[end]!r} of its letter")
    return bad


def export_batch(graphs) -> list[str]:
    import pyoxigraph as ox

    from kg.export import serialize_all
    from kg.store import EmbeddedStore

    store = EmbeddedStore(None)
    problems = []
    for iri, g in graphs:
        try:
            store.replace_graph(iri, g)
        except Exception as exc:  # noqa: BLE001 - a graph the store refuses is a finding, not the end
            problems.append(f"store refused {iri}: {str(exc)[:200]}")
    want = len(store.ox)
    formats = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
               "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
    triples = len({(q.subject, q.predicate, q.object) for q in store.ox})
    try:
        written = serialize_all(store, tuple(formats))
    except Exception as exc:  # noqa: BLE001 - every failure is a finding
        return problems + [f"export: {type(exc).__name__}: {str(exc)[:200]}"]
    for fmt, oxfmt in formats.items():
        try:
            got = len(list(ox.parse(written[fmt], format=oxfmt)))
        except Exception as exc:  # noqa: BLE001 - every failure is a finding
            problems.append(f"{fmt}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        expected = triples if fmt == "turtle" else want
        if got != expected:
            problems.append(f"{fmt}: {got} quads parsed back, {expected} stored")
    return problems


def work(args) -> dict:
    seed, count, batch = args
    import logging

    logging.getLogger("kg").setLevel(logging.ERROR)   # the per-article date warnings are expected here
    from kg.catalog import default_catalog
    from kg.errors import ArticleError
    from kg.graph import article_graph
    from kg.pipeline import extract
    from kg.read import parse_article

    catalog = default_catalog()
    rng = random.Random(seed)
    texts = corpus()
    out = {"inputs": 0, "refused": 0, "stored": 0, "crashes": 0, "bad_spans": 0, "exports": 0,
           "bad_exports": 0, "examples": []}
    graphs = []
    for i in range(count):
        data = mutate(rng, texts)
        out["inputs"] += 1
        try:
            try:
                raw = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                out["refused"] += 1
                continue
            try:
                article = parse_article(raw, f"fuzz-{seed}-{i}")
            except ArticleError:
                out["refused"] += 1
                continue
            ex = extract(article, catalog)
            g = article_graph(ex, catalog)
            bad = check_spans(g, article.text)
            if bad:
                out["bad_spans"] += len(bad)
                if len(out["examples"]) < 5:
                    out["examples"].append(f"input {seed}/{i}: {bad[0]}")
            out["stored"] += 1
            graphs.append((article.iri, g))
        except Exception:  # noqa: BLE001 - a crash is what we count
            out["crashes"] += 1
            if len(out["examples"]) < 5:
                out["examples"].append(f"input {seed}/{i}: {traceback.format_exc(limit=3)[-400:]}")
        if len(graphs) >= batch or (i == count - 1 and graphs):
            problems = export_batch(graphs)
            out["exports"] += 4
            out["bad_exports"] += len(problems)
            if problems and len(out["examples"]) < 5:
                out["examples"].append(f"batch at {seed}/{i}: {problems[0]}")
            graphs = []
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=mp.cpu_count())
    parser.add_argument("--batch", type=int, default=500, help="inputs per export round")
    parser.add_argument("--chunk", type=int, default=5_000, help="inputs per worker task")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    tasks = []
    left, seed = args.inputs, args.seed * 1_000_003
    while left > 0:
        n = min(args.chunk, left)
        tasks.append((seed, n, args.batch))
        seed += 1
        left -= n
    total: dict = {"inputs": 0, "refused": 0, "stored": 0, "crashes": 0, "bad_spans": 0, "exports": 0,
                   "bad_exports": 0, "examples": []}
    started = time.monotonic()
    with mp.get_context("spawn").Pool(args.jobs) as pool:
        for part in pool.imap_unordered(work, tasks):
            for k, v in part.items():
                total[k] = total[k] + v if k != "examples" else (total[k] + v)[:10]
            print(f"  {total['inputs']:>9,} inputs  {time.monotonic() - started:7.0f} s  "
                  f"crashes {total['crashes']}  bad spans {total['bad_spans']}  bad exports {total['bad_exports']}",
                  file=sys.stderr, flush=True)
    elapsed = time.monotonic() - started
    print(f"\n{'inputs':<34}{total['inputs']:>12,}")
    print(f"{'refused (ArticleError)':<34}{total['refused']:>12,}")
    print(f"{'extracted and graphed':<34}{total['stored']:>12,}")
    print(f"{'crashes':<34}{total['crashes']:>12,}")
    print(f"{'spans: exact != text[start:end]':<34}{total['bad_spans']:>12,}")
    print(f"{'exports written and parsed back':<34}{total['exports']:>12,}")
    print(f"{'exports that failed':<34}{total['bad_exports']:>12,}")
    print(f"{'time':<34}{elapsed:>11.0f}s  ({total['inputs'] / elapsed:,.0f} inputs/s on {args.jobs} processes)")
    for e in total["examples"]:
        print("  " + e)


if __name__ == "__main__":
    main()
