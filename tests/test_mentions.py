import pytest

from kg.mentions import matcher_for
from kg.normalize import normalize


def linked(text, catalog):
    ms = matcher_for(catalog).match(normalize(text), text)
    for m in ms:
        assert text[m.span.start:m.span.end] == m.surface
    return [(m.surface, m.entity) for m in ms]


@pytest.mark.parametrize("text, surface, slug", [
    ("קבוצות מה-MLS אינן משתתפות", "MLS", "mls"),
    ("גם ל-MLS מגיע ייצוג", "MLS", "mls"),
    ("וגם לליגה המקסיקנית מגיע", "ליגה המקסיקנית", "liga-mx"),
    ("באינטר מיאמי פועלים", "אינטר מיאמי", "inter-miami"),
    ("ושבאינטר מיאמי אמרו", "אינטר מיאמי", "inter-miami"),
    ("לאפשר לליאו מסי להשתתף", "ליאו מסי", "lionel-messi"),
    ("היחסים בין קונקאקא”ף לקונמבול", "קונקאקא”ף", "concacaf"),
    ("היחסים בין קונקאקא״ף לקונמבול", "קונקאקא״ף", "concacaf"),
    ("הכוכב הארגנטינאי", "ארגנטינאי", "argentina"),
])
def test_mentions_prefix_letters(catalog, text, surface, slug):
    assert (surface, slug) in linked(text, catalog)


@pytest.mark.parametrize("text", [
    "מסים חדשים הוטלו",        # a longer word that starts with an alias
    "הטורניר הדרום אמריקאי",   # a phrase that is not an entity
    "אבמסי",                   # more than a prefix before the alias
])
def test_mentions_no_partial_words(catalog, text):
    assert linked(text, catalog) == []


def test_mentions_surname_after_full_name(catalog):
    text = "חורחה מאס דיבר. מאס הוסיף כי הוא אופטימי."
    assert linked(text, catalog) == [("חורחה מאס", "jorge-mas"), ("מאס", "jorge-mas")]


def test_mentions_surname_in_a_headline_before_the_full_name(catalog):
    text = "מאס: זה חלום\nבעלי אינטר מיאמי, חורחה מאס, דיבר."
    assert ("מאס", "jorge-mas") in linked(text, catalog)


def test_mentions_surname_alone_without_full_name_not_linked(catalog):
    assert linked("מאס דיבר אתמול.", catalog) == []


def test_mentions_longest_match_wins(catalog):
    assert linked("אלופות הליגה המקסיקנית", catalog) == [("הליגה המקסיקנית", "liga-mx")]


def test_mentions_ambiguous_decided_by_context(catalog):
    text = "ג'רארד פיקה שיחק בברצלונה."
    assert ("ברצלונה", "fc-barcelona") in linked(text, catalog)


def test_mentions_ambiguous_city_cue(catalog):
    assert ("ברצלונה", "barcelona") in linked("הוא גר בעיר ברצלונה.", catalog)


def test_mentions_ambiguous_without_context_is_reported(catalog):
    text = "האדומים ניצחו הערב."
    ms = matcher_for(catalog).match(normalize(text), text)
    assert len(ms) == 1 and ms[0].entity is None
    assert {"hapoel-tel-aviv", "hapoel-beer-sheva"} <= set(ms[0].candidates)


@pytest.mark.parametrize("text, slug", [
    ("המשחק השני ייערך בשבוע הבא בברצלונה.", "barcelona"),
    ("ריאל מדריד ניצחה את ברצלונה.", "fc-barcelona"),
])
def test_mentions_town_name_is_the_club_unless_a_city_cue(catalog, text, slug):
    assert ("ברצלונה", slug) in linked(text, catalog)


@pytest.mark.parametrize("text, surface, slug", [
    ("כשהקשר הוונצואלי סיים", "וונצואלי", "venezuela"),   # ו doubled after a prefix
])
def test_mentions_doubled_vav(catalog, text, surface, slug):
    assert (surface, slug) in linked(text, catalog)


def test_mentions_prefix_order(catalog):
    # ה+ש is no prefix chain: השמאלי is a word, not ה+ש+מאלי (Mali)
    assert linked("מהאגף השמאלי", catalog) == []


def test_mentions_country_faced_by_a_national_team_is_its_team(catalog):
    text = "נבחרת ישראל תפגוש את סלובקיה ומול הונגריה תשחק בבודפשט."
    got = linked(text, catalog)
    assert ("סלובקיה", "slovakia-national-team") in got and ("הונגריה", "hungary-national-team") in got


def test_mentions_country_outside_national_team_news_stays_a_country(catalog):
    assert ("סלובקיה", "slovakia") in linked("מכבי חיפה טסה מול סלובקיה.", catalog)


def test_mentions_a_club_in_a_womens_football_article_is_its_womens_side():
    from tests.conftest import extract_text
    women = extract_text("השחקניות של הפועל תל אביב ניצחו אמש, והחלוצה כבשה פעמיים.")
    assert "hapoel-tel-aviv-women" in women.entities and "hapoel-tel-aviv" not in women.entities
    men = extract_text("השחקנים של הפועל תל אביב ניצחו אמש, והחלוץ כבש פעמיים.")
    assert "hapoel-tel-aviv" in men.entities and "hapoel-tel-aviv-women" not in men.entities
    # one women's word alone is not enough: "נשים" may be anyone's
    assert "hapoel-tel-aviv" in extract_text("נשים וילדים הגיעו למשחק של הפועל תל אביב.").entities
