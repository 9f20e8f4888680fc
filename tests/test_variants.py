"""Generated spelling variants of people's names (kg/variants.py) and their use."""

import pytest

from kg.catalog import load_catalog
from kg.curation import catalog_stats
from kg.mentions import Matcher
from kg.morphology import default_morphology
from kg.normalize import normalize
from kg.variants import LIMIT, fix_finals, name_variants, word_variants


def spellings(word):
    return {v for v, _, _ in word_variants(word)}


@pytest.mark.parametrize("word, variant", [
    ("רוחנא", "רוחאנא"),      # a vowel spelt out (plene)
    ("רוחאנא", "רוחנא"),      # and left out (defective)
    ("סליץ'", "סאליץ'"),
    ("סאליץ'", "סליץ'"),
    ("סאליץ'", "סאליץ"),      # the geresh left out
    ("פליפה", "פיליפה"),      # a yod for i
    ("ווילה", "וילה"),        # a consonantal vav single or double
    ("דויד", "דוויד"),
    ("מריה", "מרייה"),        # a consonantal yod single or double
    ("קובי", "כובי"),         # ק/כ
    ("טומאס", "תומאס"),       # ט/ת
    ("ג'ורג'", "גורג'"),      # ג'/ג
    ("ז'וזפ", "ז'וזף"),       # a last פ in its final form or not
    ("טאהא", "טהא"),
    ("סילבה", "סילבא"),       # ה/א at a word's end
    ("גאנח", "גנאח"),         # two edits: one alef dropped, one added
])
def test_variants_word_examples(word, variant):
    assert variant in spellings(word)


@pytest.mark.parametrize("word", ["מסי1", "MLS", 'ת"א', "א"])
def test_variants_none_for_what_is_not_a_plain_hebrew_word(word):
    assert word_variants(word) == ()


def test_variants_final_letters_put_right():
    assert fix_finals("כהנ") == "כהן" and fix_finals("שםעון") == "שמעון"
    assert all(not set(v[:-1]) & set("ךםןףץ") for v in spellings("שמעון"))


def test_variants_hyphen_or_space():
    texts = {v.text for v in name_variants("טל בן חיים")}
    assert "טל בן-חיים" in texts
    assert "אבי בן חיים" not in texts
    assert "יוסי בן חיים" in {v.text for v in name_variants("יוסי בן-חיים")}


def test_variants_bounded_nearest_first_never_the_name():
    name = "אלכסנדר פטרוביץ' מקדונלד"
    out = name_variants(name)
    assert 0 < len(out) <= LIMIT and name not in {v.text for v in out}
    assert [v.cost for v in out] == sorted(v.cost for v in out)
    assert len(name_variants(name, limit=5)) == 5
    assert out[0].cost == 1          # a cheap edit (the geresh, a final letter) comes first


def test_variants_refused_word_never_in_a_variant():
    morph = default_morphology()
    known = lambda w: bool(morph.analyse(w))   # noqa: E731
    for name in ("כהן", "אבי כהן", "משה לוי", "ערן זהבי"):
        for v in name_variants(name, refuse=known):
            changed = set(v.text.split()) - set(name.split())
            assert not any(known(w) for w in changed), (name, v.text)
    assert "כוהן" not in {v.text for v in name_variants("כהן", refuse=known)}


def _write(tmp_path, text):
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    return load_catalog(tmp_path)


def test_variants_collision_guard(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", "")
    cat = _write(tmp_path, (
        "- {slug: sami-a, type: Person, en: Sami A, he: סמי רוחנא}\n"
        "- {slug: sami-b, type: Person, en: Sami B, he: סמי רוחנה}\n"
        "- {slug: dani-c, type: Person, en: Dani C, he: דני סאליץ'}\n"
        "- {slug: club-x, type: Club, en: Club X, he: מכבי רוחנא}\n"))
    keys, why = cat.variants.keys, {(c.variant, c.slug): (c.reason, c.other) for c in cat.variants.collisions}
    assert keys["דני סליץ'"] == "dani-c"                         # his alone
    assert why[("סמי רוחנה", "sami-a")] == ("alias", "sami-b")   # another person's own name
    assert why[("סמי רוחאנה", "sami-a")] == ("variant", "sami-b")  # a variant of both: neither has it
    assert "סמי רוחאנה" not in keys and [p for p in cat.aliases["סמי רוחנה"]] == [("sami-b", "name")]
    assert not any(k.startswith("מכבי") for k in keys)          # clubs get no variants
    s = catalog_stats(cat)["variants"]
    assert s["keys"] == len(keys) and s["collisions"] == len(why) and s["by_reason"]["alias"] >= 1


def test_variants_cache_gives_the_same_index(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "cat").mkdir()
    text = "- {slug: sami-a, type: Person, en: Sami A, he: סמי רוחנא}\n"
    first = _write(tmp_path / "cat", text)
    assert list((tmp_path / "cache").glob("variants-*.json"))
    second = _write(tmp_path / "cat", text)
    assert second.variants == first.variants and second.aliases == first.aliases


def linked(catalog, text):
    ms = Matcher(catalog).match(normalize(text), text)
    return [(m.surface, m.entity, m.kind) for m in ms]


def test_variants_mention_spelled_otherwise_is_linked(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", "")
    cat = _write(tmp_path, (
        "- {slug: nikola-salic, type: Person, en: Nikola Salic, he: ניקולה סליץ'}\n"
        "- {slug: sami-a, type: Person, en: Sami A, he: סמי רוחנא}\n"))
    text = "הקשר ניקולה סאליץ' כבש, ואחרי המשחק סאליץ' אמר שסמי רוחנא בישל."
    assert linked(cat, text) == [("ניקולה סאליץ'", "nikola-salic", "variant"),
                                 ("סאליץ'", "nikola-salic", "surname"),   # the surname as the article spells it
                                 ("סמי רוחנא", "sami-a", "name")]


def test_variants_exact_alias_preferred(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", "")
    cat = _write(tmp_path, (
        "- {slug: sami-a, type: Person, en: Sami A, he: סמי רוחנא}\n"
        "- {slug: sami-b, type: Person, en: Sami B, he: סמי רוחנה}\n"))
    assert linked(cat, "סמי רוחנה הגיע") == [("סמי רוחנה", "sami-b", "name")]


def test_variants_common_word_never_linked(catalog):
    assert catalog.variants.keys.get("מרנו") == "mikel-merino"   # a variant of מרינו...
    assert linked(catalog, "אבל שמרנו על השחקנים שלנו") == []    # ...but שמרנו is "we kept"
    morph = default_morphology()
    single = [k for k in catalog.variants.keys if " " not in k and "-" not in k]
    assert single and not [k for k in single if morph.analyse(k)]
