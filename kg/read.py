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
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse, urlsplit

from kg.errors import ArticleError
from kg.lexicon import outlets
from kg.normalize import normalize
from kg.model import Article, Limits
from kg.vocab import FKA

log = logging.getLogger(__name__)

_URL_LINE = re.compile(r"\A[ \t]*url[ \t]+(\S+)[ \t]*\r?\n")
_DATE_HEAD = re.compile(r"\A[ \t]*date[ \t]+(\d{4})-(\d{2})-(\d{2})(?:[ \t]|\r?\n|\Z)")
_TEXT_DATE = re.compile(r"(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)")
# what an IRI may not hold (RFC 3987; also what Turtle, N-Triples and SPARQL refuse in <...>)
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                         re.I | re.S)
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".mhtml", ".mht")
FUTURE_SLACK = timedelta(days=3)


def read_article(path: str | Path, max_bytes: int | None = Limits.max_bytes) -> Article:
    """``max_bytes``: files over it are refused with a message (None: no limit)."""
    path = Path(path)
    if path.suffix.lower() in HTML_SUFFIXES:
        raise ArticleError(f"{path}: an HTML page ({path.suffix} file), not article text; "
                           "save the article's text as a .txt file")
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes + 1) if max_bytes is not None else f.read()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if max_bytes is not None and len(data) > max_bytes:
        size = path.stat().st_size
        raise ArticleError(f"{path}: {size:,} bytes, over the {max_bytes:,}-byte limit for one article "
                           "(kg ingest --max-bytes); is it one article?")

    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"{path}: not UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); "
            "save the article as UTF-8"
        ) from exc
    return parse_article(raw, str(path))


def check_url(url: str, source: str) -> str:
    """The url header, if it is an absolute http(s) URL that can stand as an IRI; else ArticleError."""
    where = f"{source}: line 1: url header"
    bad = _NOT_IN_IRI.search(url)
    if bad:
        raise ArticleError(f"{where} holds {bad.group()!r}, which a URL may not (percent-encode it): {url!r}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ArticleError(f"{where} is not a valid URL ({exc}): {url!r}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ArticleError(f"{where} is not an http(s) URL: {url!r}")
    if not parts.hostname:
        raise ArticleError(f"{where} has no host: {url!r}")
    return url


def parse_article(raw: str, source: str = "<text>") -> Article:
    if _HTML_START.match(raw):
        raise ArticleError(f"{source}: an HTML page, not article text; save the article's text "
                           "(the body as read on the page), not the page's source")
    url = None
    m = _URL_LINE.match(raw)
    if m:
        url = check_url(m.group(1), source)
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
    if published is not None and published > date.today() + FUTURE_SLACK:
        log.warning("%s: publication date %s is in the future (today is %s); check the date",
                    source, published.isoformat(), date.today().isoformat())
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
