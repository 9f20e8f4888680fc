"""Raw article text -> normalised text plus a map back to raw offsets.

Each step maps one character to one character or drops it, so the map is a
list: ``to_raw[i]`` is the raw offset of normalised character ``i``. Steps:

- geresh variants (׳ ’ ‘ ` ´ ʼ) -> ASCII ``'``; gershayim and quotation-mark
  variants (״ ” “ „ ″ « ») -> ASCII ``"``;
- maqaf and dashes (־ ‐ ‑ ‒ – —) -> ``-``;
- niqqud and cantillation (combining marks) dropped;
- bidi controls and zero-width characters dropped;
- no-break and other exotic spaces -> `` ``.

Whether a ``"`` is an acronym mark (ת"א) or a quotation mark is decided by
:func:`is_acronym_mark`, not by rewriting the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kg.model import Span

_MAP = {
    **dict.fromkeys("\u05f3\u2019\u2018`\u00b4\u02bc\u2032", "'"),
    **dict.fromkeys("\u05f4\u201d\u201c\u201e\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u05be\u2010\u2011\u2012\u2013\u2014", "-"),
    **dict.fromkeys("\u00a0\u2002\u2003\u2009\u202f\u2007", " "),
}
_DROP = set(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\u061c\ufeff\u00ad"
)


def is_hebrew_letter(ch: str) -> bool:
    return "\u05d0" <= ch <= "\u05ea"


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str
    to_raw: tuple[int, ...]  # len(text) + 1 entries; the last is len(raw)
    raw_ends: tuple[int, ...] = ()  # raw end of each character with the marks that follow it

    def raw_span(self, start: int, end: int) -> Span:
        """The raw span covering normalised characters ``start:end``; it never ends
        between a letter and its niqqud or cantillation marks."""
        if end <= start:
            return Span(self.to_raw[start], self.to_raw[start])
        return Span(self.to_raw[start], self.raw_ends[end - 1])


def char_step(ch: str) -> str:
    """One character's normal form: itself, its replacement, or '' (dropped)."""
    if ch in _DROP:
        return ""
    if ch in _MAP:
        return _MAP[ch]
    if unicodedata.combining(ch):
        return ""
    return ch


# characters that are never dropped, as a few ranges (Latin, Hebrew letters); the
# regex engine tests a short class fast, so only the rest is looked at one by one
_MAYBE_DROPPED = re.compile("[^\x00-\u00ac\u00ae-\u02ff\u05d0-\u05ea]")


def _dropped(text: str) -> list[int]:
    return [m.start() for m in _MAYBE_DROPPED.finditer(text)
            if m.group() in _DROP or unicodedata.combining(m.group())]


def normalize(raw: str) -> Normalized:
    """The steps above, in linear time: one translate for the 1:1 replacements, and the
    offsets map built only around dropped characters (most texts have none)."""
    text = raw
    for old, new in _MAP.items():       # str.replace is many times faster than str.translate here
        if old in text:
            text = text.replace(old, new)
    drops = _dropped(text)
    if not drops:
        n = len(raw)
        return Normalized(text, tuple(range(n + 1)), tuple(range(1, n + 1)))
    chars: list[str] = []
    to_raw: list[int] = []
    raw_ends: list[int] = []
    pos = 0
    for i in drops + [len(text)]:
        if i > pos:
            chars.append(text[pos:i])
            to_raw.extend(range(pos, i))
            raw_ends.extend(range(pos + 1, i + 1))
        if i < len(text) and raw_ends and raw_ends[-1] == i and unicodedata.combining(text[i]):
            raw_ends[-1] = i + 1      # a mark right after the character (or its marks) belongs to it
        pos = i + 1
    to_raw.append(len(raw))
    return Normalized("".join(chars), tuple(to_raw), tuple(raw_ends))


def normalize_alias(alias: str) -> str:
    """Catalogue aliases go through the same steps, with whitespace folded."""
    return " ".join(normalize(alias).text.split())


def is_acronym_mark(text: str, i: int) -> bool:
    """A ``"`` or ``'`` at ``i`` between a Hebrew letter and a Hebrew letter (ת"א, מנכ"ל)."""
    return 0 < i < len(text) - 1 and is_hebrew_letter(text[i - 1]) and is_hebrew_letter(text[i + 1])
