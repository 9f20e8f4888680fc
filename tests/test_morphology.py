"""Hebrew morphology through the real hspell: prefixes, lemmas, tenses, suffixes."""

import pytest

from kg.morphology import Morphology, MorphologyError, default_morphology, parse_output, tense_modality
from tests.conftest import extract_text


@pytest.fixture(scope="module")
def morph():
    return default_morphology()


@pytest.mark.parametrize("word, prefix, lemma, tense", [
    ("ויעבור", "ו", "עבר", "future"),
    ("ופיטרה", "ו", "פיטר", "past"),
    ("וכשהצטרף", "וכש", "הצטרף", "past"),
    ("שיצטרפו", "ש", "הצטרף", "future"),
    ("יחתום", "", "חתם", "future"),
    ("לשחק", "ל", "שיחק", "infinitive"),
])
def test_morphology_verbs_prefix_lemma_tense(morph, word, prefix, lemma, tense):
    verbs = [a for a in morph.analyse(word) if a.pos == "verb"]
    assert any(a.prefix == prefix and a.lemma == lemma and a.tense == tense for a in verbs), verbs


def test_morphology_possessive_suffix_and_gender(morph):
    assert any(a.lemma == "שחקן" and a.pos == "noun" and a.suffix == "m3sg" for a in morph.analyse("שחקנו"))
    assert {a.gender for a in morph.analyse("ופיטרה") if a.suffix is None} == {"f"}


def test_morphology_unknown_names_have_no_analysis(morph):
    assert morph.analyse("קונמבול") == ()
    assert morph.analyse("MLS") == ()          # not Hebrew: never sent to hspell


def test_morphology_past_or_present_asserts_future_plans(morph):
    assert morph.verb_tenses("נמכר") == {"past", "present"}
    assert tense_modality(morph.verb_tenses("נמכר")) == "Asserted"
    assert tense_modality(morph.verb_tenses("יצטרפו")) == "Planned"
    assert tense_modality(morph.verb_tenses("מצטרפת")) == "Planned"
    assert tense_modality(set()) is None


def test_morphology_batch_is_cached(morph, monkeypatch):
    m = Morphology()
    m.analyse_many(["חתם", "הצטרף"])
    monkeypatch.setattr(m, "_run", lambda words: pytest.fail(f"hspell called again for {words}"))
    assert m.analyse("חתם") and m.analyse("הצטרף")


def test_morphology_missing_binary_is_a_clear_error():
    with pytest.raises(MorphologyError, match="hspell not found .*apt-get install hspell"):
        Morphology(binary="/nonexistent/hspell")


def test_morphology_parses_hspell_output_blocks():
    out = "צירוף חוקי: ו+יעבור\n\tעבר(פ,ז,3,יחיד,עתיד)\nמילה חוקית: שחקנו\n\tשחקן(ע,ז,יחיד,כינוי/ז,3,יחיד)\n" \
          "שגיאות כתיב שנמצאו:\n\nקונמבול\n"
    got = parse_output(out)
    assert set(got) == {"ויעבור", "שחקנו"}
    assert got["שחקנו"][0].suffix == "m3sg" and got["ויעבור"][0].person == "3"


@pytest.mark.parametrize("text, modality", [
    ("ערן זהבי ואחיו הצטרפו למכבי חיפה.", "Asserted"),     # plural past: in no cue list
    ("ערן זהבי ואחיו יצטרפו למכבי חיפה בקיץ.", "Planned"),  # plural future
    ("ערן זהבי וכשחתם במכבי חיפה לא ידע זאת.", "Asserted"),   # a prefix chain the patterns lack
])
def test_morphology_move_verbs_match_every_inflection(text, modality):
    claims = [c for c in extract_text(text).claims if c.predicate in ("transferredTo", "signedContractWith")]
    assert claims and {c.modality for c in claims} == {modality}, claims
