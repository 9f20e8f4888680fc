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


@pytest.mark.parametrize("url,problem", [
    ("https://example.org/a{b}", "holds '{'"), ("https://example.org/a}b", "holds '}'"),
    ("https://example.org/a\\b", "holds '\\\\'"), ("https://example.org/a<b", "holds '<'"),
    ("https://example.org/a>b", "holds '>'"), ('https://example.org/a"b', "holds '\"'"),
    ("https://example.org/a|b", "holds '|'"), ("https://example.org/a^b", "holds '^'"),
    ("https://example.org/a`b", "holds '`'"), ("https://example.org/a\x7fb", "holds"),
    ("http://[::1", "not a valid URL"), ("http://[::1]:99999/a", "not a valid URL"),
    ("http:///a", "no host"), ("ftp://example.org/a", "not an http(s) URL"),
    ("httpx://example.org/a", "not an http(s) URL"),
])
def test_read_bad_url_header_is_an_article_error(url, problem):
    with pytest.raises(ArticleError) as exc:
        parse_article(f"url {url}\n date 2026-01-18 טקסט", "x.txt")
    assert str(exc.value).startswith("x.txt: line 1: url header") and problem in str(exc.value)
    assert "\n" not in str(exc.value)


def test_read_good_url_headers_still_pass():
    for url in ("http://[::1]:8080/a/12345", "https://www.ynet.co.il/sport/article/r1x2",
                "https://he.wikipedia.org/wiki/מכבי_חיפה", "https://example.org/a%7Bb%7D?x=1&y=2#f"):
        assert parse_article(f"url {url}\n date 2026-01-18 טקסט").url == url


@pytest.mark.parametrize("name,text", [
    ("page.html", "שלום"), ("page.HTM", "<p>שלום</p>"),
    ("page.txt", "<!DOCTYPE html>\n<html><body>שלום</body></html>"),
    ("page.txt", "\ufeff  \n<!doctype html><html lang='he'>"),
    ("page.txt", "<html lang=\"he\" dir=\"rtl\">\n<head><title>x</title></head>"),
    ("page.txt", "<!-- saved from url=(0044)https://www.one.co.il/ -->\n<html>"),
])
def test_read_html_page_is_refused(tmp_path, name, text):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ArticleError, match=rf"{name.replace('.', '[.]')}: an HTML page"):
        read_article(f)


def test_read_text_that_merely_mentions_html_is_fine():
    assert parse_article(" date 2026-01-18 הכתבה <html> בהמשך").text.startswith("הכתבה")


@pytest.mark.parametrize("text", [" date 2999-01-01 טקסט", "טקסט. יום ראשון, 18.01.2999 באצטדיון."])
def test_read_future_date_warns(caplog, text):
    parse_article(text, "future.txt")
    assert "future.txt: publication date 2999-01" in caplog.text and "in the future" in caplog.text


def test_read_near_dates_do_not_warn(caplog):
    from datetime import timedelta
    for d in (date.today(), date.today() + timedelta(days=1), date(2020, 1, 1)):
        parse_article(f" date {d.isoformat()} טקסט", "near.txt")
    assert "future" not in caplog.text
