"""Shared pattern pieces for rules: entity tokens, prefixes, cue alternations, modality."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.lexicon import cues

PREFIX = r"(?:[והבלמשכ]{1,3}-?)?"   # prefix letters before a word or token
B = r"(?<![\w״'\"])"                  # a word starts here
E = r"(?![\w'\"])"                    # a word ends here (acronym marks count as letters)

MODALITIES = ("Negated", "Possible", "Planned", "Desired")

TEAMS = ("Club", "NationalTeam")
# What each relation's object may be (the ontology's ranges, for rules to check).
RANGES = {
    "ownerOf": ("Club",),
    "presidentOf": ("Club", "Organization", "League", "Competition"),
    "headCoachOf": TEAMS,
    "formerHeadCoachOf": TEAMS,
    "assistantCoachOf": TEAMS,
    "sportingDirectorOf": ("Club",),
    "captainOf": TEAMS,
    "playsFor": TEAMS,
    "formerPlayerOf": TEAMS,
    "competesIn": ("Competition", "League"),
    "won": ("Competition", "League"),
    "transferredTo": ("Club",),
    "loanedTo": ("Club",),
    "signedContractWith": ("Club",),
    "appointedBy": TEAMS,
    "dismissedBy": TEAMS,
}


def ent(name: str, *types: str) -> str:
    """A masked mention token of one of ``types``, its index captured as ``name``."""
    return rf"«(?:{'|'.join(types)}):(?P<{name}>\d+)»"


def alt(words) -> str:
    """An alternation of cue words/fragments, longest first (non-capturing)."""
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


def cue_re(words, prefix: bool = True) -> str:
    """Whole-word cue alternation, prefix letters allowed before it."""
    return B + (PREFIX if prefix else "") + alt(words) + E


@lru_cache(maxsize=None)
def _modality_res() -> tuple[tuple[str, re.Pattern], ...]:
    lex = cues("modality")
    return tuple((name, re.compile(cue_re(lex[name]))) for name in MODALITIES)


def modality(clause: str, default: str = "Asserted") -> str:
    """The modality its cue words give a clause (first matching list wins)."""
    clause = re.sub(r"«\w+:\d+»", " ", clause)
    clause = re.sub(cue_re(cues("modality")["neutral"]), " ", clause)
    for name, pattern in _modality_res():
        if pattern.search(clause):
            return name
    return default


def clause_before(masked: str, pos: int) -> str:
    """The clause that ends at ``pos``: back to the previous comma, colon or quote mark."""
    cut = max(masked.rfind(ch, 0, pos) for ch in ',:;"')
    return masked[cut + 1:pos]
