"""Article file -> Article. The body is kept exactly as read; only the header goes.

Header forms (as saved from news sites):
- an optional first line ``url https://...``;
- `` date YYYY-MM-DD`` at the start of the body's line, the body following on
  the same line after one space.
Without a date header the date comes from the text (``יום ראשון, 18.01.2026``),
or stays unknown with a warning.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from kg.errors import ArticleError
from kg.lexicon import outlets
from kg.normalize import normalize
from kg.model import Article
from kg.vocab import FKA

log = logging.getLogger(__name__)

_URL_LINE = re.compile(r"\A[ \t]*url[ \t]+(\S+)[ \t]*\r?\n")
_DATE_HEAD = re.compile(r"\A[ \t]*date[ \t]+(\d{4})-(\d{2})-(\d{2})(?:[ \t]|\r?\n|\Z)")
_TEXT_DATE = re.compile(r"(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)")


def read_article(path: str | Path) -> Article:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"{path}: not UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); "
            "save the article as UTF-8"
        ) from exc
    return parse_article(raw, str(path))


def parse_article(raw: str, source: str = "<text>") -> Article:
    url = None
    m = _URL_LINE.match(raw)
    if m:
        url = m.group(1)
        if not urlparse(url).scheme.startswith("http"):
            raise ArticleError(f"{source}: line 1: url header is not an http(s) URL: {url!r}")
        raw = raw[m.end():]
    published = None
    m = _DATE_HEAD.match(raw)
    if m:
        try:
            published = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError as exc:
            raise ArticleError(f"{source}: bad date header {m.group(0).strip()!r}: {exc}") from exc
        raw = raw[m.end():]
    if not raw.strip():
        raise ArticleError(f"{source}: empty article (no body text)")
    if published is None:
        published = date_from_text(raw)
        if published is None:
            log.warning("%s: no publication date (no header, none in the text)", source)
    return Article(
        path=source,
        text=raw,
        url=url,
        published=published,
        iri=str(article_iri(raw, url)),
        outlet=outlet_of(url),
    )


def date_from_text(text: str) -> date | None:
    """The first plausible dd.mm.yyyy / dd/mm/yyyy date in the text."""
    for m in _TEXT_DATE.finditer(text[:2000]):
        d, mo, y = (int(g) for g in m.groups())
        try:
            return date(y, mo, d)
        except ValueError:
            continue
    return None


def outlet_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlparse(url).hostname or "").removeprefix("www.")
    for domain, slug in outlets().items():
        if host == domain or host.endswith("." + domain):
            return slug
    return None


def article_iri(text: str, url: str | None):
    """``fka:<outlet>-<id>`` for a known outlet's numbered URL, else a hash."""
    if url:
        outlet = outlet_of(url)
        last = urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]
        numbers = re.findall(r"\d{4,}", last)
        if outlet and numbers:  # one.co.il/Article/512109.html -> one-512109
            return FKA[f"{outlet}-{numbers[-1]}"]
        return FKA["u-" + hashlib.sha256(url.encode()).hexdigest()[:16]]
    body = " ".join(normalize(text).text.split())
    return FKA["t-" + hashlib.sha256(body.encode()).hexdigest()[:16]]
