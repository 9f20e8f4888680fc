"""Every fact, quote and match of the gold files of tests/gold/, one test each: found, or a
known miss (tests/gold/known-misses.yaml) that runs as a strict xfail with its reason, so
a rule that starts finding it makes the test fail until the line is deleted."""

import pytest
import yaml

from kg.evaluate import evaluate
from tests.conftest import GOLD_DIR

KNOWN = yaml.safe_load((GOLD_DIR / "known-misses.yaml").read_text(encoding="utf-8")) or {}


def _items():
    for path in sorted(GOLD_DIR.glob("*.gold.yaml")):
        tag = path.name.removesuffix(".gold.yaml")
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        for fact in gold.get("facts") or ():
            yield tag, f"fact: {fact[0]} | {fact[1]} | {fact[2]}", f"{tag}: fact {fact[:3]}"
        for q in gold.get("quotes") or ():
            yield tag, f"quote: {q.get('speaker')}: {q.get('starts')}", f"{tag}: quote {q.get('speaker')}: {q.get('starts')} "
        for m in gold.get("matches") or ():
            text = f"{m.get('home')} {m.get('home_score')}-{m.get('away_score')} {m.get('away')}"
            yield tag, f"match: {text}", f"{tag}: match {text}"


ITEMS = list(_items())


@pytest.fixture(scope="module")
def misses():
    return evaluate([GOLD_DIR]).misses


def _param(tag, item, miss):
    reason = (KNOWN.get(tag) or {}).get(item)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(item, miss, id=f"{tag}: {item}", marks=marks)


@pytest.mark.parametrize("item, miss", [_param(*i) for i in ITEMS])
def test_gold_item_is_found(misses, item, miss):
    assert not any(m == miss or m.startswith(miss) for m in misses), miss


def test_gold_known_misses_name_real_items():
    """Every line of known-misses.yaml is an item of a gold file (no stale lines)."""
    items = {(tag, item) for tag, item, _ in ITEMS}
    stale = [(tag, item) for tag, listed in KNOWN.items() for item in listed if (tag, item) not in items]
    assert stale == []
