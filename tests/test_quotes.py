import pytest

from kg.rules.quotes import find_quote_spans
from tests.conftest import extract_text


@pytest.mark.parametrize("text, n", [
    ('מכבי ת"א ניצחה. "זה חלום", אמר.', 1),       # the acronym mark is not a quote
    ("״אנחנו כאן״, אמר.", 1),                     # Hebrew gershayim as quotation marks
    ("“אנחנו כאן”, אמר.", 1),                     # curly quotes
    ('המנכ"ל של הקבוצה דיבר.', 0),
])
def test_quotes_found(text, n):
    from kg.normalize import normalize
    assert len(find_quote_spans(normalize(text).text)) == n


def speakers(text):
    return [(q.speaker, q.text[:12]) for q in extract_text(text).quotes]


def test_quotes_split_around_the_cue():
    got = speakers('"העונה הזאת", אמר ברק בכר, "נבנתה מתוך הכאב".')
    assert [s for s, _ in got] == ["barak-bakhar", "barak-bakhar"]


def test_quotes_multi_paragraph_quote_is_cut_per_paragraph():
    text = 'ברק בכר פנה לאוהדים: "תודה על התמיכה.\n\n"נמשיך לעבוד קשה".'
    got = speakers(text)
    assert [s for s, _ in got] == ["barak-bakhar", "barak-bakhar"]
    assert got[1][1].startswith("נמשיך")


def test_quotes_never_a_non_person_speaker():
    got = speakers('"אנחנו לא מתייחסים לשמועות", נמסר ממכבי תל אביב.')
    assert got == [(None, "אנחנו לא מתי")]


def test_quotes_entities_inside_are_its_mentions():
    ex = extract_text('"מכבי חיפה תזכה באליפות", אמר ברק בכר.')
    assert ex.quotes[0].mentions == ("maccabi-haifa",)
