from datetime import date

import pytest

from kg.errors import ArticleError
from kg.read import parse_article, read_article


def test_read_date_header_body_on_same_line(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(" date 2026-01-18 גוף הכתבה כאן.\n", encoding="utf-8")
    a = read_article(f)
    assert a.published == date(2026, 1, 18)
    assert a.text == "גוף הכתבה כאן.\n"
    assert a.url is None and a.iri.startswith("https://w3id.org/footkg/article/t-")


def test_read_url_line_gives_outlet_and_iri():
    a = parse_article("url https://www.one.co.il/Article/512109.html\n date 2026-01-18 טקסט")
    assert a.iri == "https://w3id.org/footkg/article/one-512109"
    assert a.outlet == "one" and a.text == "טקסט"


def test_read_date_from_text_when_no_header():
    a = parse_article("מכבי חיפה ניצחה. יום ראשון, 18.01.2026 באצטדיון.")
    assert a.published == date(2026, 1, 18)


def test_read_unknown_date_warns(caplog):
    a = parse_article("אין כאן תאריך.", "x.txt")
    assert a.published is None
    assert "x.txt" in caplog.text and "no publication date" in caplog.text


def test_read_same_text_same_iri():
    assert parse_article("שלום  עולם").iri == parse_article("שלום עולם").iri


def test_read_not_utf8_names_the_file(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_bytes("מכבי".encode("cp1255"))
    with pytest.raises(ArticleError, match=r"bad\.txt: not UTF-8"):
        read_article(f)


def test_read_empty_body_is_an_error(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_text(" date 2026-01-18 \n", encoding="utf-8")
    with pytest.raises(ArticleError, match="empty.txt: empty article"):
        read_article(f)


def test_read_bad_date_header():
    with pytest.raises(ArticleError, match="bad date header"):
        parse_article(" date 2026-13-45 טקסט", "x.txt")


def test_read_url_numbers_outside_the_last_segment_are_not_ids():
    a = parse_article("url https://example.org/football/2026/01/one-story\n date 2026-01-18 א")
    b = parse_article("url https://example.org/football/2026/01/another-story\n date 2026-01-18 א")
    assert a.iri != b.iri and a.iri.startswith("https://w3id.org/footkg/article/u-")
