"""Hebrew morphology from Debian's ``hspell`` (a spell checker and analyser).

``hspell -l`` reads words in ISO-8859-8 and prints, for each legal prefix split
of a word, its analyses: ``צירוף חוקי: ו+יעבור`` then ``עבר(פ,ז,3,יחיד,עתיד)``
(lemma, then part of speech, gender, person, number, tense, construct state,
pronoun suffix). Words it does not know (many names, new loanwords) have no
analysis: names come from the catalogue, never from here.

One long-lived ``hspell -a -l`` process (ispell's pipe mode, which answers each
line as it is read, with the same analyses) serves every article: starting one
per article cost ~36 ms, more than the article's extraction. Each word is sent
as a ``^word`` line (``^``: text, never a command) and its answer ends with an
empty line. Analyses are cached per word for the life of the
:class:`Morphology`, since a news vocabulary is small. A process forked from
the one that started hspell starts its own.
A missing ``hspell`` is a :class:`MorphologyError`, never a silent fall-back.
"""

from __future__ import annotations

import os
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
    """Analyses of Hebrew words, from one long-lived ``hspell -a -l`` process."""

    def __init__(self, binary: str | None = None):
        self.binary = binary or shutil.which("hspell") or "/usr/bin/hspell"
        if not shutil.which(self.binary):
            raise MorphologyError(f"hspell not found ({self.binary}): install Debian's hspell "
                                  "(apt-get install hspell; scripts/setup.sh does it)")
        self._cache: dict[str, tuple[Analysis, ...]] = {}
        self._proc: subprocess.Popen | None = None
        self._pid = 0

    CHUNK = 64          # words written before their answers are read (pipes never fill)

    def _process(self) -> subprocess.Popen:
        if self._proc is None or self._pid != os.getpid() or self._proc.poll() is not None:
            try:
                self._proc = subprocess.Popen([self.binary, "-a", "-l"], stdin=subprocess.PIPE,
                                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            except OSError as exc:
                raise MorphologyError(f"{self.binary} -a -l cannot start: {exc}") from exc
            self._pid = os.getpid()
            banner = self._proc.stdout.readline()            # "@(#) International Ispell ... Hspell"
            if not banner.startswith(b"@(#)"):
                raise MorphologyError(f"{self.binary} -a -l: unexpected first line {banner[:80]!r}")
        return self._proc

    def _run(self, words: list[str]) -> dict[str, tuple[Analysis, ...]]:
        proc = self._process()
        out: list[bytes] = []
        try:
            for i in range(0, len(words), self.CHUNK):
                chunk = words[i:i + self.CHUNK]
                proc.stdin.write(b"".join(b"^" + w.encode("iso-8859-8") + b"\n" for w in chunk))
                proc.stdin.flush()
                for _ in chunk:                               # one answer a line, ended by an empty line
                    while (line := proc.stdout.readline()) not in (b"\n", b""):
                        out.append(line)
                    if not line:
                        raise MorphologyError(f"{self.binary} -a -l stopped answering")
        except (OSError, ValueError) as exc:
            self._proc = None
            raise MorphologyError(f"{self.binary} -a -l failed: {exc}") from exc
        return parse_output(b"".join(out).decode("iso-8859-8", errors="replace"))

    def close(self) -> None:
        if self._proc is not None and self._pid == os.getpid():
            self._proc.stdin.close()
            self._proc.wait(timeout=5)
        self._proc = None

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - at interpreter exit anything may be gone
            pass

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
