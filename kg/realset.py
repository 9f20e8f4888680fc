"""The real development set: gold files for published articles whose texts are
rebuilt locally (``tests/realset/README.md``), split once into tune and check.

The split is a fixed function of the file's stem, so adding files never moves
an existing one from one half to the other.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SPLITS = ("tune", "check")


def stem(gold_path: Path) -> str:
    return Path(gold_path).name.removesuffix(".gold.yaml")


def split_of(name: str) -> str:
    """``tune`` when the first hex digit of sha1(stem) is 0-7, else ``check``."""
    return "tune" if hashlib.sha1(name.encode("utf-8")).hexdigest()[0] in "01234567" else "check"


def in_split(gold_path: Path, split: str | None) -> bool:
    return split is None or split_of(stem(gold_path)) == split


def status(gold_dir: Path, texts: Path) -> list[str]:
    """One line per gold file whose text is missing or whose url line disagrees."""
    import yaml

    problems = []
    for gold_path in sorted(Path(gold_dir).glob("*.gold.yaml")):
        url = (yaml.safe_load(gold_path.read_text(encoding="utf-8")) or {}).get("url")
        text = Path(texts) / f"{stem(gold_path)}.txt"
        if not text.exists():
            problems.append(f"{gold_path}: missing text {text}")
            continue
        with text.open(encoding="utf-8") as fh:
            first = fh.readline().rstrip("\n")
        if first != f"url {url}":
            problems.append(f"{text}: first line {first[:80]!r} is not 'url {url}'")
    return problems


if __name__ == "__main__":  # python -m kg.realset [GOLD_DIR [TEXTS]]
    import sys

    gold_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/realset")
    texts = Path(sys.argv[2] if len(sys.argv) > 2 else gold_dir / "texts")
    found = status(gold_dir, texts)
    counts = {s: sum(split_of(stem(p)) == s for p in gold_dir.glob("*.gold.yaml")) for s in SPLITS}
    print(f"{sum(counts.values())} gold files (tune {counts['tune']}, check {counts['check']}); "
          f"{len(found)} problem(s)")
    for line in found:
        print(line)
    sys.exit(1 if found else 0)
