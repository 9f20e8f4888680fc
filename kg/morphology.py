"""Hebrew morphology from Debian's ``hspell`` (a spell checker and analyser).

``hspell -l`` reads words in ISO-8859-8 and prints, for each legal prefix split
of a word, its analyses: ``צירוף חוקי: ו+יעבור`` then ``עבר(פ,ז,3,יחיד,עתיד)``
(lemma, then part of speech, gender, person, number, tense, construct state,
pronoun suffix). Words it does not know (many names, new loanwords) have no
analysis: names come from the catalogue, never from here.

One process answers a whole batch of distinct words; analyses are cached per
word for the life of the :class:`Morphology`, since a news vocabulary is small.
A missing ``hspell`` is a :class:`MorphologyError`, never a silent fall-back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from kg.errors import KGError

POS = {"פ": "verb", "ע": "noun", "ת": "adj", "x": "other"}
TENSE = {"עבר": "past", "הווה": "present", "עתיד": "future", "ציווי": "imperative", "מקור": "infinitive"}
GENDER = {"ז": "m", "נ": "f"}
NUMBER = {"יחיד": "sg", "רבים": "pl"}
WORD = re.compile(r"[א-ת]+(?:[\"'][א-ת]+)*'?")       # what hspell can analyse (ISO-8859-8)
_HEADER = re.compile(r"^(?:מילה חוקית|צירוף חוקי): (\S+)$")
_ANALYSIS = re.compile(r"^\t(.+?)\((.*)\)$")


class MorphologyError(KGError):
    """Raised when the morphological analyser is missing or fails."""


@dataclass(frozen=True, slots=True)
class Analysis:
    prefix: str                  # prefix letters split off: "", "ו", "וכש", ...
    lemma: str
    pos: str                     # verb, noun, adj, other
    tense: str | None = None     # past, present, future, imperative, infinitive
    gender: str | None = None    # m, f
    number: str | None = None    # sg, pl
    person: str | None = None    # "1", "2", "3"
    construct: bool = False      # סמיכות
    suffix: str | None = None    # pronoun suffix, e.g. "m3sg" (שחקנו: his player)


def parse_analysis(prefix: str, lemma: str, codes: str) -> Analysis:
    """One analysis line's lemma and codes, e.g. ``פ,ז,3,יחיד,עתיד``."""
    main, _, suffix_codes = codes.partition("כינוי/")
    fields = [c for c in main.split(",") if c]
    got = {"pos": POS.get(fields[0], "other") if fields else "other"}
    for c in fields[1:]:
        if c in TENSE:
            got["tense"] = TENSE[c]
        elif c in GENDER:
            got["gender"] = GENDER[c]
        elif c in NUMBER:
            got["number"] = NUMBER[c]
        elif c in "123":
            got["person"] = c
        elif c == "סמיכות":
            got["construct"] = True
    if suffix_codes:
        parts = suffix_codes.split(",")
        got["suffix"] = "".join([GENDER.get(parts[0], ""), *[NUMBER.get(p, p) for p in parts[1:]]])
    return Analysis(prefix=prefix, lemma=lemma, **got)


def parse_output(text: str) -> dict[str, tuple[Analysis, ...]]:
    """``hspell -l`` output -> word -> its analyses (all prefix splits)."""
    out: dict[str, list[Analysis]] = {}
    word = prefix = None
    for line in text.splitlines():
        if header := _HEADER.match(line):
            split = header.group(1)
            prefix, _, _ = split.rpartition("+")
            word = split.replace("+", "")
            out.setdefault(word, [])
        elif word and (m := _ANALYSIS.match(line)):
            out[word].append(parse_analysis(prefix, m.group(1), m.group(2)))
        elif not line.startswith("\t"):
            word = None                       # the list of unknown words follows
    return {w: tuple(a) for w, a in out.items()}


class Morphology:
    """Analyses of Hebrew words, from one ``hspell -l`` call per batch of new words."""

    def __init__(self, binary: str | None = None):
        self.binary = binary or shutil.which("hspell") or "/usr/bin/hspell"
        if not shutil.which(self.binary):
            raise MorphologyError(f"hspell not found ({self.binary}): install Debian's hspell "
                                  "(apt-get install hspell; scripts/setup.sh does it)")
        self._cache: dict[str, tuple[Analysis, ...]] = {}

    def _run(self, words: list[str]) -> dict[str, tuple[Analysis, ...]]:
        data = "\n".join(words).encode("iso-8859-8")
        try:
            done = subprocess.run([self.binary, "-l"], input=data, capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise MorphologyError(f"{self.binary} -l failed: {exc}") from exc
        return parse_output(done.stdout.decode("iso-8859-8", errors="replace"))

    def analyse_many(self, words: Iterable[str]) -> None:
        """Analyse (and cache) every new word of ``words`` in one call."""
        new = sorted({w for w in words if w not in self._cache and WORD.fullmatch(w)})
        if new:
            found = self._run(new)
            for w in new:
                self._cache[w] = found.get(w, ())

    def analyse(self, word: str) -> tuple[Analysis, ...]:
        if word not in self._cache:
            self.analyse_many([word])
        return self._cache.get(word, ())

    def lemmas(self, word: str, pos: str | None = None) -> set[str]:
        return {a.lemma for a in self.analyse(word) if pos is None or a.pos == pos}

    def verb_tenses(self, word: str, lemmas: Iterable[str] | None = None) -> set[str]:
        """The tenses ``word`` can have as a verb (of one of ``lemmas``, when given)."""
        keep = set(lemmas) if lemmas is not None else None
        return {a.tense for a in self.analyse(word)
                if a.pos == "verb" and a.tense and (keep is None or a.lemma in keep)}


def tense_modality(tenses: set[str]) -> str | None:
    """A verb's default modality from its possible tenses: any past reading asserts
    (``נמכר`` is past or present), a future, infinitive or imperative plans, a present
    alone (``עובר``, ``מצטרף``) plans: news uses it for what is under way."""
    if not tenses:
        return None
    return "Asserted" if "past" in tenses else "Planned"


@lru_cache(maxsize=1)
def default_morphology() -> Morphology:
    return Morphology()
