import pytest

from kg.normalize import is_acronym_mark, normalize, normalize_alias


@pytest.mark.parametrize("raw, expected", [
    ("מכבי ת״א", 'מכבי ת"א'),
    ("מכבי ת”א", 'מכבי ת"א'),
    ("מכבי ת“א", 'מכבי ת"א'),
    ("ג׳רארד", "ג'רארד"),
    ("ג’רארד", "ג'רארד"),
    ("ג`רארד", "ג'רארד"),
    ("בית״ר י־ם", 'בית"ר י-ם'),
    ("ה–MLS", "ה-MLS"),
    ("«שלום»", '"שלום"'),
])
def test_normalize_marks_and_dashes(raw, expected):
    assert normalize(raw).text == expected


def test_normalize_strips_niqqud_and_keeps_offsets():
    raw = "שָׁלוֹם מסי"
    norm = normalize(raw)
    assert norm.text == "שלום מסי"
    start = norm.text.index("מסי")
    span = norm.raw_span(start, start + 3)
    assert raw[span.start:span.end] == "מסי"


def test_normalize_drops_bidi_controls_with_map():
    raw = "\u200fאינטר\u200e מיאמי\u202b"
    norm = normalize(raw)
    assert norm.text == "אינטר מיאמי"
    span = norm.raw_span(0, len(norm.text))
    assert raw[span.start:span.end] == "אינטר\u200e מיאמי"
    assert len(norm.to_raw) == len(norm.text) + 1


def test_normalize_nbsp_becomes_space():
    assert normalize("ליאו\u00a0מסי").text == "ליאו מסי"


@pytest.mark.parametrize("text, i, expected", [
    ('מכבי ת"א', 6, True),
    ('מנכ"ל', 3, True),
    ('"זה חלום"', 0, False),
    ('חלום", אמר', 4, False),
])
def test_acronym_mark(text, i, expected):
    assert is_acronym_mark(text, i) is expected


def test_normalize_alias_folds_whitespace():
    assert normalize_alias("  מכבי   ת״א ") == 'מכבי ת"א'


def test_raw_span_keeps_a_letters_niqqud_with_it():
    raw = "שָׁלוֹם לִיאוֹ מֶסִּי."
    norm = normalize(raw)
    start = norm.text.index("מסי")
    span = norm.raw_span(start, start + 3)
    assert raw[span.start:span.end] == "מֶסִּי"            # the marks on י's neighbours and after it stay
    word = norm.raw_span(0, 4)
    assert raw[word.start:word.end] == "שָׁלוֹם"


def test_raw_span_never_ends_between_a_letter_and_its_marks():
    import random
    import unicodedata

    rng = random.Random(7)
    alphabet = "אבגדהוזחטיכלמנסעפצקרשת ,.\"'\n" + "\u05b0\u05b4\u05b7\u05bc\u05c1\u05b8\u0591\u200f"
    for _ in range(300):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        norm = normalize(raw)
        n = len(norm.text)
        for start in range(n):
            for end in range(start + 1, min(n, start + 6) + 1):
                span = norm.raw_span(start, end)
                assert normalize(raw[span.start:span.end]).text == norm.text[start:end]
                if span.end < len(raw) and unicodedata.combining(raw[span.end]):
                    before = raw[span.end - 1]      # a mark right after the span: not the span's own
                    assert not ("\u05d0" <= before <= "\u05ea" or unicodedata.combining(before)), (raw, start, end)
