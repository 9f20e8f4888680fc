import pytest

from kg.errors import EvalError
from kg.evaluate import evaluate, format_report
from kg.rules import load_rules
from tests.conftest import SEED_GOLD


@pytest.fixture(scope="module")
def seed_report():
    return evaluate([SEED_GOLD])


def test_eval_seed_meets_acceptance(seed_report):
    k = seed_report.kinds
    assert k["entities"].f1 >= 0.95
    assert k["facts"].f1 >= 0.85
    assert seed_report.modality_right == seed_report.modality_total > 0
    assert k["quotes"].tp == 5 and k["quotes"].fn == 0


def test_eval_report_lists_kinds_and_relations(seed_report):
    text = format_report(seed_report, by_rule=True)
    apposition = next(r for r in load_rules() if r.startswith("role-apposition."))   # its current version
    for word in ("entities", "facts", "quotes", "matches", "ownerOf", apposition):
        assert word in text


def test_eval_counts_false_and_missed_facts(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(" date 2026-01-01 בעלי אינטר מיאמי, חורחה מאס, אמר שלום.\n", encoding="utf-8")
    (tmp_path / "a.gold.yaml").write_text(
        "entities:\n  - {en: Inter Miami, he: אינטר מיאמי, type: Club}\n"
        "facts:\n  - [David Beckham, ownerOf, Inter Miami]\n", encoding="utf-8")
    r = evaluate([tmp_path])
    assert r.kinds["facts"].tp == 0 and r.kinds["facts"].fp == 1 and r.kinds["facts"].fn == 1
    assert r.kinds["entities"].fp == 1  # Jorge Mas is not in this gold
    assert any("David Beckham" in m for m in r.misses)


def test_eval_missing_article_is_clear(tmp_path):
    (tmp_path / "x.gold.yaml").write_text("url: https://example.org/none\nentities: []\n", encoding="utf-8")
    with pytest.raises(EvalError, match="x.gold.yaml: no article found"):
        evaluate([tmp_path / "x.gold.yaml"])


def test_eval_realset_split_is_fixed_and_roughly_even():
    from kg.realset import split_of

    stems = [f"site-{i}" for i in range(400)]
    halves = [split_of(s) for s in stems]
    assert halves == [split_of(s) for s in stems]          # a function of the stem alone
    assert 150 < halves.count("tune") < 250
    assert split_of("d") == "tune" and split_of("a") == "check"


def _realset(tmp_path):
    gold_dir, texts = tmp_path / "gold", tmp_path / "texts"
    gold_dir.mkdir(), texts.mkdir()
    body = " date 2026-01-01 בעלי אינטר מיאמי, חורחה מאס, אמר שלום.\n"
    gold = ("entities:\n  - {en: Jorge Mas, he: חורחה מאס, type: Person}\n"
            "  - {en: Inter Miami, he: אינטר מיאמי, type: Club}\n"
            "facts:\n  - [Jorge Mas, ownerOf, Inter Miami]\n")
    for name in ("d", "a"):                       # one tune, one check
        (gold_dir / f"{name}.gold.yaml").write_text(f"url: https://x.test/{name}\n" + gold, encoding="utf-8")
    (texts / "d.txt").write_text("url https://x.test/d\n" + body, encoding="utf-8")
    return gold_dir, texts


def test_eval_texts_dir_and_split(tmp_path):
    gold_dir, texts = _realset(tmp_path)
    report = evaluate([gold_dir], texts=texts, split="tune")
    assert [p.rsplit("/", 1)[-1] for p in report.files] == ["d.gold.yaml"]
    assert report.kinds["facts"].tp == 1
    with pytest.raises(EvalError, match=r"a\.gold\.yaml: no text .*a\.txt"):
        evaluate([gold_dir], texts=texts, split="check")


def test_eval_realset_status_names_missing_and_wrong_url(tmp_path):
    from kg.realset import status

    gold_dir, texts = _realset(tmp_path)
    assert [line.rsplit(" ", 1)[-1] for line in status(gold_dir, texts)] == [str(texts / "a.txt")]
    (texts / "a.txt").write_text("url https://other.test/\nx", encoding="utf-8")
    assert "is not 'url https://x.test/a'" in status(gold_dir, texts)[0]
