"""Page chrome: the lines of a saved page that are not the article.

League-table widgets, photo captions, bylines, breadcrumbs, polls and rating
boxes are found line by line (patterns in ``kg/data/cues/chrome.yaml``). No
rule reads them, so no fact, venue or match comes from them; mentions in table
widgets are dropped altogether (a club in a table is not in the story).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.lexicon import cues


@dataclass(frozen=True, slots=True)
class ChromeLine:
    start: int   # normalised offsets of the line
    end: int
    kind: str


@lru_cache(maxsize=None)
def _patterns():
    lex = cues("chrome")
    return tuple((kind, re.compile(p)) for kind, p in lex["kinds"].items())


def _kind(line: str) -> str | None:
    for kind, pattern in _patterns():
        if pattern.search(line):
            if kind == "caption" and (len(line.split()) > cues("chrome")["caption_max_words"]
                                      or re.search(r"[.!?]\s", line)):
                continue
            return kind
    return None


def find_chrome(text: str) -> list[ChromeLine]:
    out, pos = [], 0
    for line in text.split("\n"):
        kind = _kind(line) if line.strip() else None
        if kind:
            out.append(ChromeLine(pos, pos + len(line), kind))
        pos += len(line) + 1
    return out


def drops_mentions(kind: str) -> bool:
    return kind in cues("chrome")["drop_mentions"]
