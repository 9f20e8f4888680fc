"""A SPARQL lexer: enough to tell keywords from strings, IRIs, names and comments, to
know a text's query form and the words that make an engine fetch from other hosts.
Used by the named queries, the remote store and the endpoint's last check; kept in the
rdf layer so the stores need not import the query surface."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\" | '''(?:[^'\\]|\\.|'(?!''))*'''
              | "(?:[^"\\\n]|\\.)*" | '(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%-]|\\.|\.(?=[\w:%-]))*)
  | (?P<word>[^\W\d]\w*)
  | (?P<number>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<punct>.)
""", re.X | re.S)
QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


def tokens(text: str):
    """(kind, text, offset) for each token; whitespace dropped, comments kept."""
    for m in _TOKEN.finditer(text):
        if m.lastgroup != "ws":
            yield m.lastgroup, m.group(), m.start()


def keywords(text: str) -> list[str]:
    """The bare words of a query or update, upper-cased (not strings, IRIs, names or comments)."""
    return [t.upper() for kind, t, _ in tokens(text) if kind == "word"]


def query_form(text: str) -> str:
    """``select``, ``construct``, ``describe``, ``ask`` or ``update`` (or ``unknown``)."""
    for word in keywords(text):
        if word in QUERY_FORMS:
            return word.lower()
        if word in UPDATE_WORDS:
            return "update"
    return "unknown"


def _unescape_codepoints(text: str) -> str:
    """SPARQL allows ``\\uXXXX`` escapes anywhere, to be decoded before parsing."""
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})",
                  lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def remote_calls(text: str) -> list[str]:
    """The keywords that make the engine fetch from other hosts: SERVICE, LOAD.

    Strings, IRIs, prefixed names, variables and comments holding these words
    do not count. The text is also checked with codepoint escapes decoded, for
    engines that decode them before parsing."""
    words = keywords(text) + keywords(_unescape_codepoints(text))
    return sorted({w for w in words if w in ("SERVICE", "LOAD")})
