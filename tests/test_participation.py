"""Who takes part in which competition: fixtures, table places, 'X מהליגה הלאומית'."""

from tests.conftest import extract_text


def competes(text):
    return sorted((c.subject, c.obj) for c in extract_text(text).claims if c.predicate == "competesIn")


def test_fixture_both_sides_and_a_list_after_the_verb():
    got = competes('אחרי הפגרה תפגוש בית"ר ירושלים את מ.ס. אשדוד ואת הפועל חיפה בגמר גביע הטוטו.')
    assert got == [("beitar-jerusalem", "toto-cup"), ("hapoel-haifa", "toto-cup"), ("ms-ashdod", "toto-cup")]


def test_fixture_a_team_takes_the_nearer_of_two_competitions():
    got = competes('אחרי הניצחון מול הפועל חיפה בחצי גמר גביע הטוטו, בית"ר ירושלים תפתח את העונה '
                   'בליגת העל מול בני סכנין.')
    assert ("hapoel-haifa", "toto-cup") in got and ("bnei-sakhnin", "israeli-premier-league") in got
    assert ("hapoel-haifa", "israeli-premier-league") not in got and ("bnei-sakhnin", "toto-cup") not in got


def test_fixture_qualifiers_are_not_the_tournament():
    assert competes("נבחרת ישראל תשחק מול נורווגיה במוקדמות מונדיאל 2026.") == []


def test_fixture_a_country_is_its_national_team_only_in_a_national_team_sentence():
    got = competes("נבחרת ישראל תפגוש את איטליה בשלב הבתים של ליגת האומות.")
    assert ("italy-national-team", "uefa-nations-league") in got
    assert competes("מכבי חיפה תפגוש את איטליה בשלב הבתים של ליגת האומות.") == [
        ("maccabi-haifa", "uefa-nations-league")]


def test_a_club_from_a_league_and_a_table_place():
    assert competes("הערב הפתיעה בני יהודה מהליגה הלאומית את הפועל באר שבע.") == [("bnei-yehuda", "liga-leumit")]
    assert competes("מכבי תל אביב התבססה במקום השלישי בליגת העל.") == [("maccabi-tel-aviv", "israeli-premier-league")]
    assert competes("בני יהודה ירדה מהליגה הלאומית.") == []
