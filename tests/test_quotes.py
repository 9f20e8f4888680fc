import pytest

from kg.rules.quotes import find_quote_spans
from tests.conftest import extract_text


@pytest.mark.parametrize("text, n", [
    ('מכבי ת"א ניצחה. "זה חלום", אמר.', 1),       # the acronym mark is not a quote
    ("״אנחנו כאן״, אמר.", 1),                     # Hebrew gershayim as quotation marks
    ("“אנחנו כאן”, אמר.", 1),                     # curly quotes
    ('המנכ"ל של הקבוצה דיבר.', 0),
    ('ברק בכר אמר: "אנחנו במקום טוב ונמשיך', 1),       # never closed: runs to the paragraph end
    ('ברק בכר אמר: "אנחנו במקום טוב\n\nמכבי חיפה ניצחה.', 1),
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


def test_quotes_a_statement_is_the_organisations_other_words_need_a_person():
    # an official statement is the club's (vocabulary.md: Quotes)
    assert speakers('"אנחנו לא מתייחסים לשמועות", נמסר ממכבי תל אביב.') == [("maccabi-tel-aviv", "אנחנו לא מתי")]
    # the club's collective voice ("אמרו ב<club>", unnamed people of the club) is the club's too,
    # as readers of real articles attribute it; people who are not a body are not a speaker
    assert speakers('"אנחנו לא מתייחסים לשמועות", אמרו במכבי תל אביב.') == [("maccabi-tel-aviv", "אנחנו לא מתי")]
    assert speakers('"אנחנו לא מתייחסים לשמועות", אמרו השחקנים אחרי האימון.') == [(None, "אנחנו לא מתי")]
    assert speakers('"אנחנו לא מתייחסים לשמועות", אמרו לשחקני מכבי תל אביב.') == [(None, "אנחנו לא מתי")]


def test_quotes_entities_inside_are_its_mentions():
    ex = extract_text('"מכבי חיפה תזכה באליפות", אמר ברק בכר.')
    assert ex.quotes[0].mentions == ("maccabi-haifa",)


@pytest.mark.parametrize("text, speaker", [
    # a speech verb no list holds, known by its hspell lemma family
    ('"אנחנו במקום טוב", הצהיר ברק בכר.', "barak-bakhar"),
    ('"נחזור חזקים יותר", התגאה ליאו מסי אחרי המשחק.', "lionel-messi"),
    # the sentence's subject, a long clause, then the colon
    ('המאמן ברק בכר ערך היום מסיבת עיתונאים ונשאל בעיקר על הימים האחרונים של חלון ההעברות: '
     '"אנחנו לא נחתים סתם".', "barak-bakhar"),
    # a question that names a player: the one asked answers, not the player
    ('המאמן ברק בכר ערך היום מסיבת עיתונאים ונשאל על ליאו מסי: "הוא הטוב בעולם".', "barak-bakhar"),
    ('במסיבת העיתונאים נשאל ברק בכר על ליאו מסי: "הוא הטוב בעולם".', "barak-bakhar"),
])
def test_quotes_journalists_attributions(text, speaker):
    assert [q.speaker for q in extract_text(text).quotes] == [speaker]


@pytest.mark.parametrize("text", [
    # a role whose holder the article does not name: silent, not the nearest name
    'ליאו מסי חזר לאימונים.\n\nמאמן בני סכנין אחרי ההפסד: "היה לנו ערב קשה מאוד".',
])
def test_quotes_stay_silent_without_a_clear_speaker(text):
    assert [q.speaker for q in extract_text(text).quotes] == [None]


def test_quotes_an_unknown_speaker_is_kept_as_written_not_given_a_known_name():
    from rdflib import Literal

    from kg.catalog import default_catalog
    from kg.graph import article_graph
    from kg.vocab import FK

    ex = extract_text('"העסקה הזו נסגרה אחרי חודשים של משא ומתן", אמר מואיז, בנו של ליאו מסי.')
    (quote,) = ex.quotes
    assert quote.speaker is None and quote.speaker_name == "מואיז"
    g = article_graph(ex, default_catalog())
    assert set(g.objects(None, FK.speakerName)) == {Literal("מואיז")}
    assert not set(g.objects(None, FK.speaker))


def test_quotes_an_unknown_speakers_role_is_kept():
    from rdflib import Literal

    from kg.catalog import default_catalog
    from kg.graph import article_graph
    from kg.vocab import FK

    ex = extract_text('"הוא ישחק באירופה כבר בקיץ הקרוב", אמר סוכן השחקנים גבריאלוב.')
    (quote,) = ex.quotes
    assert (quote.speaker, quote.speaker_name, quote.speaker_role) == (None, "גבריאלוב", "סוכן השחקנים")
    g = article_graph(ex, default_catalog())
    assert set(g.objects(None, FK.speakerRole)) == {Literal("סוכן השחקנים", lang="he")}


def test_quotes_an_official_statement_is_the_clubs():
    ex = extract_text('ליאו מסי לא התאמן היום. נמסר ממכבי חיפה: "השחקן ייבדק מחר ונעדכן בהמשך".')
    assert [q.speaker for q in ex.quotes] == ["maccabi-haifa"]


def test_quotes_a_statement_from_the_club_and_its_follow_on_are_the_clubs():
    ex = extract_text('מכבי חיפה הודיעה על פיטורי המאמן. "ההחלטה התקבלה אחרי חשיבה ארוכה", '
                      'נמסר מהמועדון. "אנחנו מודים לו על הכל ומאחלים לו הצלחה".')
    assert [q.speaker for q in ex.quotes] == ["maccabi-haifa", "maccabi-haifa"]
    # no club anywhere before it: silent
    ex = extract_text('"ההחלטה התקבלה אחרי חשיבה ארוכה", נמסר מהמועדון.')
    assert [q.speaker for q in ex.quotes] == [None]
