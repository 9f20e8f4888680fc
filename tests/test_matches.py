from datetime import date

import pytest

from tests.conftest import extract_text

HEADER = """ date 2026-01-11 יום ראשון, 11/01/2026, 20:30אצטדיון טדי - 29,114 צופיםליגת העל - מחזור 18
מכבי חיפה
שער גיא מלמד (52)
כרטיס אדום עבדולאי סק (58)
הסתיים
3 1
שופט: יגאל פריד (ציון: 7)
שער ירדן שועה (14)
פנדל עומר אצילי (64)
שער דור מיכה (90+4)
בית"ר ירושלים
"""


def test_matches_structured_header():
    (m,) = extract_text(HEADER).matches
    assert (m.home, m.away, m.home_score, m.away_score) == ("beitar-jerusalem", "maccabi-haifa", 3, 1)
    assert m.round == 18 and m.attendance == 29114 and m.date == date(2026, 1, 11)
    assert m.venue == "teddy-stadium" and m.competition == "israeli-premier-league"
    assert [(g.minute, g.team, g.penalty) for g in m.goals] == [
        (14, "beitar-jerusalem", False), (52, "maccabi-haifa", False),
        (64, "beitar-jerusalem", True), (94, "beitar-jerusalem", False)]
    assert m.red_cards == (("abdoulaye-seck", 58),)


@pytest.mark.parametrize("sentence, expected", [
    ("מכבי תל אביב ניצחה 1:3 את בני סכנין.", ("maccabi-tel-aviv", "bnei-sakhnin", 3, 1)),
    ("עירוני טבריה נכנעה 2:0 להפועל חיפה.", ("ironi-tiberias", "hapoel-haifa", 0, 2)),
    ("מכבי חיפה ובית\"ר ירושלים נפרדו ב-1:1.", ("maccabi-haifa", "beitar-jerusalem", 1, 1)),
    ("1:3 לבית\"ר ירושלים על מכבי חיפה", ("beitar-jerusalem", "maccabi-haifa", 3, 1)),
    ("מכבי פתח תקווה – הפועל עכו 0:2", ("maccabi-petah-tikva", "hapoel-akko", 2, 0)),
])
def test_matches_prose_hebrew_score_order(sentence, expected):
    (m,) = extract_text(sentence).matches
    assert (m.home, m.away, m.home_score, m.away_score) == expected


def test_matches_same_pair_twice_is_one_match():
    text = "מכבי תל אביב – בני סכנין 1:3\n\nמכבי תל אביב ניצחה 1:3 את בני סכנין במחזור ה-18 של ליגת העל."
    (m,) = extract_text(text).matches
    assert m.home_known and m.round == 18 and m.competition == "israeli-premier-league"


def test_matches_teams_take_part_in_the_competition():
    ex = extract_text("מכבי תל אביב ניצחה 1:3 את בני סכנין במחזור ה-18 של ליגת העל.")
    assert {(c.subject, c.obj) for c in ex.claims if c.predicate == "competesIn"} == {
        ("maccabi-tel-aviv", "israeli-premier-league"), ("bnei-sakhnin", "israeli-premier-league")}


def test_matches_lead_is_not_a_result():
    assert extract_text("מכבי חיפה עלתה ליתרון 0:1 על בני סכנין בדקה ה-20.").matches == []


def test_matches_home_words_belong_to_their_own_result():
    text = "בית\"ר ירושלים גברה 1:2 על עירוני קריית שמונה, והפועל באר שבע ניצחה בחוץ 0:1 את בני סכנין."
    by_pair = {frozenset((m.home, m.away)): m for m in extract_text(text).matches}
    beitar = by_pair[frozenset(("beitar-jerusalem", "ironi-kiryat-shmona"))]
    sheva = by_pair[frozenset(("hapoel-beer-sheva", "bnei-sakhnin"))]
    assert not beitar.home_known
    assert sheva.home_known and sheva.home == "bnei-sakhnin"


def test_matches_sentence_score_beats_a_heading_score():
    text = "הפועל חדרה – הפועל כפר שלם 0:0\n\nהפועל חדרה והפועל כפר שלם נפרדו ב-1:1 אחרי משחק סוער."
    (m,) = extract_text(text).matches
    assert (m.home, m.home_score, m.away_score, m.home_known) == ("hapoel-hadera", 1, 1, True)


@pytest.mark.parametrize("text, expected", [
    # a team named as an object is not the subject of the next verb
    ("מכבי חיפה ניצחה את בני סכנין ואת מכבי נתניה, אבל הפסידה 2:0 להפועל באר שבע.", set()),
    ("בעונה שעברה היא ניצחה את בני סכנין ומכבי נתניה, אבל הפסידה 2:0 להפועל באר שבע.", set()),
    # a second result of the same subject in one sentence
    ("מכבי חיפה ספגה תבוסה 4:0 לבני סכנין, ובהמשך הפסידה 3:1 להפועל באר שבע.",
     {("maccabi-haifa", "bnei-sakhnin", 0, 4), ("maccabi-haifa", "hapoel-beer-sheva", 1, 3)}),
    # the score after the object; "אחרי x:y על"; an inline list; the coach for his team
    ("הפועל חיפה גברה על מכבי נתניה בסמי עופר בתוצאה 1:3 אחרי מהפך.", {("hapoel-haifa", "maccabi-netanya", 3, 1)}),
    ("מכבי חיפה טיפסה למקום השני בליגת העל לאחר 1:2 על בני סכנין.", {("maccabi-haifa", "bnei-sakhnin", 2, 1)}),
    ("אמש: הפועל חיפה - מכבי נתניה 0:2.", {("hapoel-haifa", "maccabi-netanya", 2, 0)}),
])
def test_matches_journalists_forms(text, expected):
    got = {(m.home, m.away, m.home_score, m.away_score) for m in extract_text(text).matches}
    assert got == expected


# the article is of Tuesday 20 January 2026
@pytest.mark.parametrize("words, day", [
    ("אמש", date(2026, 1, 19)),
    ("הלילה", date(2026, 1, 19)),
    ("אתמול", date(2026, 1, 19)),
    ("הערב", date(2026, 1, 20)),
    ("בשבת", date(2026, 1, 17)),
    ("במוצאי שבת", date(2026, 1, 17)),
    ("ביום ראשון", date(2026, 1, 18)),
    ("ביום שלישי", date(2026, 1, 20)),           # the article's own day
    ("ביום ד'", date(2026, 1, 14)),               # the Wednesday before
    ("(18.1)", date(2026, 1, 18)),
    ("ב-18.01.2026", date(2026, 1, 18)),
    ("", date(2026, 1, 20)),                      # nothing said: the article's date
    ("ב-4.5", date(2026, 1, 20)),                 # May is no day before this article
])
def test_matches_date_from_the_sentence(words, day):
    (m,) = extract_text(f" date 2026-01-20 {words} מכבי חיפה ניצחה 1:3 את בני סכנין.").matches
    assert m.date == day


def test_matches_date_without_year_across_new_year():
    (m,) = extract_text(" date 2026-01-02 ב-30.12 מכבי חיפה ניצחה 1:3 את בני סכנין.").matches
    assert m.date == date(2025, 12, 30)


def test_matches_relative_day_needs_the_article_date():
    (m,) = extract_text("אמש מכבי חיפה ניצחה 1:3 את בני סכנין.").matches
    assert m.date is None


def test_matches_a_draw_after_an_object_list_and_a_passive_defeat():
    from tests.conftest import extract_text
    got = {(m.home, m.away, m.home_score, m.away_score) for m in extract_text(
        "מכבי הרצליה גברה 0:1 על מכבי יפו והפועל חדרה והפועל כפר שלם נפרדו ב-1:1.").matches}
    assert ("hapoel-hadera", "hapoel-kfar-shalem", 1, 1) in got and len(got) == 2
    got = [(m.home, m.away, m.home_score, m.away_score) for m in extract_text(
        'מכבי תל אביב הושפלה הערב 6:2 בבלומפילד מול בית"ר ירושלים.').matches]
    assert got == [("maccabi-tel-aviv", "beitar-jerusalem", 2, 6)]


def test_matches_two_results_in_a_sentence_each_keep_their_competition():
    from tests.conftest import extract_text
    got = {(m.away, m.competition) for m in extract_text(
        'מכבי תל אביב ספגה תבוסה 6:2 לבית"ר ירושלים, ובהמשך תבוסה נוספת, הפעם בליגה האירופית, 6:0 לליון.').matches}
    assert got == {("beitar-jerusalem", None), ("lyon", "uefa-europa-league")}
