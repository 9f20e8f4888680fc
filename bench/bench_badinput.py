"""Bad inputs in one batch: does each get one clear line, and does the rest of the batch go on?

Writes a folder holding good articles (the seed and self-written ones from
``tests/gold/``) and one file of each kind of bad input, runs ``kg ingest`` on
the folder (a real process), then exports every format and parses each back
with Oxigraph's parser. Prints, for each bad input, the lines that name it
and whether the article was stored; then the totals: good articles lost,
tracebacks, exports that do not parse.

    python bench/bench_badinput.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg"]
BODY = " date 2026-02-01 ליאו מסי הבקיע שער לאינטר מיאמי מול אורלנדו.\n"

# name -> (bytes, expected: "stored" | "refused" | "warned")
BAD: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "refused"),
    "only-header.txt": (b"url https://www.one.co.il/Article/1.html\n", "refused"),
    "binary.txt": (bytes(range(256)) * 4, "refused"),
    "windows-1255.txt": (BODY.encode("cp1255"), "refused"),
    "bom.txt": (b"\xef\xbb\xbf" + BODY.encode(), "stored"),
    "crlf.txt": (BODY.replace("\n", "\r\n").encode() + "שורה שנייה.\r\n".encode(), "stored"),
    "nul.txt": (BODY.encode().replace(" שער".encode(), b"\x00 \xd7\xa9\xd7\xa2\xd7\xa8"), "stored"),
    "truncated-utf8.txt": (BODY.encode()[:-3], "refused"),
    "lone-surrogate.txt": (BODY.encode()[:-2] + b"\xed\xa0\x80\n", "refused"),
    "line-separators.txt": (BODY.replace("שער", "שער\u2028 ו\u2029 עוד\u0085").encode(), "stored"),
    "url-braces.txt": (b"url https://x.co.il/a{b}\n" + BODY.encode(), "refused"),
    "url-backslash.txt": (b"url https://x.co.il/a\\b\n" + BODY.encode(), "refused"),
    "url-angle.txt": (b"url https://x.co.il/<a>\n" + BODY.encode(), "refused"),
    "url-quote.txt": (b'url https://x.co.il/"a"\n' + BODY.encode(), "refused"),
    "url-ipv6.txt": (b"url http://[::1\n" + BODY.encode(), "refused"),
    "url-ftp.txt": (b"url ftp://x.co.il/a\n" + BODY.encode(), "refused"),
    "bad-date.txt": (b" date 2026-13-45 " + BODY.encode()[17:], "refused"),
    "future-date.txt": (b" date 2099-01-01 " + BODY.encode()[17:], "warned"),
    "html-as-txt.txt": (b"<!DOCTYPE html><html><body><p>" + BODY.encode() + b"</p></body></html>", "refused"),
    "page.html": (b"<html><body>" + BODY.encode() + b"</body></html>", "refused"),
    "huge.txt": (b" date 2026-02-01 " + ("מסי הבקיע. " * 120_000).encode(), "refused"),
    "notes.md": (b"# not an article\n", "skipped"),
}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-bad-"))
    try:
        batch = work / "batch"
        batch.mkdir()
        good = [ROOT / "seeds" / "000_aa2c9240cabe1a9a.txt", *sorted((ROOT / "tests" / "gold").glob("*.txt"))[:6]]
        for i, f in enumerate(good):
            shutil.copy(f, batch / f"good-{i:02d}.txt")
        for name, (data, _) in BAD.items():      # each body its own (a body is an article's identity)
            (batch / name).write_bytes(data.replace("אורלנדו".encode(), f"אורלנדו {name}".encode()))
        (batch / "dangling.txt").symlink_to(work / "nowhere.txt")
        store = work / "kg"
        r = subprocess.run([*KG, "ingest", str(batch), "--store", str(store)], cwd=ROOT,
                           capture_output=True, text=True)
        lines = (r.stdout + r.stderr).splitlines()
        count = ("from kg.store import EmbeddedStore; import sys; "
                 "print(sum('/article/' in g for g in EmbeddedStore(sys.argv[1], read_only=True).graphs()))")
        n_articles = int(subprocess.run([sys.executable, "-c", count, str(store)], cwd=ROOT,
                                        capture_output=True, text=True).stdout)
        print(f"{'input':<22}{'expected':<10}{'lines':>6}  first line naming it")
        rows = [*BAD.items(), ("dangling.txt", (b"", "refused"))]
        wrong = 0
        for name, (_, expected) in rows:
            naming = [ln for ln in lines if name in ln]
            print(f"{name:<22}{expected:<10}{len(naming):>6}  {(naming[0] if naming else '-')[:110]}")
            if expected in ("refused", "warned") and len(naming) != 1:
                wrong += 1
        want = len(good) + sum(1 for _, (_, e) in BAD.items() if e in ("stored", "warned"))
        print(f"\nexit status {r.returncode}; summary: {lines[0] if lines else '-'}")
        print(f"articles stored {n_articles} of {want} storable; good articles lost {want - n_articles}")
        print(f"inputs without exactly one line {wrong}; tracebacks {sum('Traceback' in ln for ln in lines)}")
        formats = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
                   "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
        for fmt, oxfmt in formats.items():
            out = work / f"x.{fmt}"
            e = subprocess.run([*KG, "export", "--format", fmt, "-o", str(out), "--store", str(store)],
                               cwd=ROOT, capture_output=True, text=True)
            try:
                n = len(list(ox.parse(out.read_bytes(), format=oxfmt)))
                verdict = f"parses back: {n} quads"
            except (OSError, SyntaxError, ValueError) as exc:
                verdict = f"DOES NOT PARSE: {exc}"
            print(f"export {fmt:<8} exit {e.returncode}  {verdict}")
        v = subprocess.run([*KG, "validate", "--store", str(store)], cwd=ROOT, capture_output=True, text=True)
        print(f"validate exit {v.returncode}: {(v.stdout + v.stderr).strip().splitlines()[:1]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
