import pytest

from kg.chrome import find_chrome
from kg.normalize import normalize
from tests.conftest import GOLD_DIR, extract_text


@pytest.mark.parametrize("line, kind", [
    ('4216-4018הפועל ב"ש1', "table_row"),
    ("ליגת העל Winner 25-26", "table_head"),
    ("כדורגל ישראלי  >> ליגת העל", "breadcrumb"),
    ("נועם לוין | 31/01/2026 19:30", "byline"),
    ("ירדן שועה חוגג (צילום: אורי לנדאו)", "caption"),
    ("ירדן שועה חוגג (אורי לנדאו)", "caption"),
    ("הצביעו בסקר השבועי: מי תזכה באליפות?", "poll"),
])
def test_chrome_line_kinds(line, kind):
    assert [c.kind for c in find_chrome(line)] == [kind]


@pytest.mark.parametrize("line", [
    "מכבי חיפה ניצחה 1:3 את בני סכנין (בסיכום העונה זה היה השלישי).",
    "שער גיא מלמד (52)",
    "ברק בכר אמר אחרי המשחק שהוא מרוצה מאוד מהשחקנים ומהקהל הנהדר.",
])
def test_chrome_article_lines_are_not_chrome(line):
    assert find_chrome(line) == []


def test_chrome_table_widget_gives_no_entities_and_caption_no_facts():
    text = (" date 2026-01-10 מכבי חיפה ניצחה 1:3 את בני סכנין.\n"
            "ליגת העל Winner 25-26\n4216-4018הפועל ב\"ש1\n4119-4218בית\"ר ירושלים2\n"
            "בעלי מכבי חיפה, יעקב שחר, בטדי (צילום: אורי לנדאו)\n")
    ex = extract_text(text)
    assert "beitar-jerusalem" not in ex.entities and "hapoel-beer-sheva" not in ex.entities
    assert not any(c.predicate == "ownerOf" for c in ex.claims)


@pytest.mark.parametrize("path", sorted(GOLD_DIR.glob("*.txt")), ids=lambda p: p.stem)
def test_chrome_nothing_extracted_from_chrome_in_gold_articles(path):
    from kg.pipeline import extract_file

    ex = extract_file(path)
    norm = normalize(ex.article.text)
    raw_chrome = [norm.raw_span(c.start, c.end) for c in find_chrome(norm.text)]
    inside = lambda span: any(c.start <= span.start and span.end <= c.end for c in raw_chrome)
    for claim in ex.claims:
        assert not inside(claim.span), (claim, ex.article.text[claim.span.start:claim.span.end])
    tables = [norm.raw_span(c.start, c.end) for c in find_chrome(norm.text) if c.kind.startswith("table")]
    for m in ex.mentions:
        assert not any(t.start <= m.span.start < t.end for t in tables), m
    for match in ex.matches:
        assert not inside(match.span) or match.rule == "match-header.v2"
