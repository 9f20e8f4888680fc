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
