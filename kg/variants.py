"""Spelling variants of transliterated person names, generated rather than typed.

Hebrew writes a foreign name (and many Israeli ones) in more than one way: the
vowels may be spelt out or left to the reader (``רוחאנא``/``רוחנא``,
``סאליץ'``/``סליץ'``), a /k/ is ``ק`` or ``כ``, a /t/ ``ט`` or ``ת``, a
consonantal v ``ו`` or ``וו``, a consonantal y ``י`` or ``יי``, a j ``ג'`` or
``ג``. :func:`name_variants` makes those spellings of one name, nearest first
and at most ``limit`` of them, so the catalogue need not list them by hand.

What it makes, per word (each edit has a cost; a name's variants cost at most
``MAX_COST`` in all, so at most two ordinary edits):

=========  ========================================================  ====
class      edit                                                      cost
=========  ========================================================  ====
hyphen     a hyphen is a space; a space after a particle (בן, אבו,    1
           אל, בר, דה, ואן, פון...) is a hyphen
geresh     ``ג'``/``ז'``/``צ'``/``ץ'`` without the geresh (the geresh   1/2
           added: 2)
final      a word's last ``פ``/``צ`` in its final form or not          1
kof        ``ק`` for ``כ``/``ך`` and back                              2
tet        ``ט`` for ``ת`` and back (not ``ת'``, a th)                  2
vav        ``וו`` for a consonantal ``ו`` (first letter, or before     2
           ``א``/``י``) and back
yod        ``יי`` for ``י`` before a vowel letter (``מריה``/``מרייה``)   2
           and back
alef       a silent ``א`` between two consonants dropped; alef-add:   2
           one added there (``סליץ'``/``סאליץ'``)
plene      an ``י`` between two consonants dropped; plene-add: one    2
           added (``פיליפה``/``פליפה``); one added letter a word at most
end        a word's last ``ה`` for ``א`` and back (``טהא``/``טאהה``)     2
=========  ========================================================  ====

After every edit the final letters are put right (``כ מ נ`` at a word's end
take their final form, a final form inside a word its ordinary one).

What it refuses: words with anything but Hebrew letters and the geresh
(Latin, digits, the acronym ``"``) are left as written; a changed word that
``refuse`` rejects (the catalogue passes "hspell knows this word": a real word
is never a name's variant, so ``כהן`` never becomes ``כוהן``) is dropped with
every variant that contains it. Names only: clubs, cities and competitions are
not transliterations of one person's name and their variants were not tested
(see ``kg/data/catalog/README.md``).
"""

from __future__ import annotations

import hashlib
import heapq
import json
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

log = logging.getLogger(__name__)

MAX_COST = 4          # two ordinary edits, or up to four cheap ones
LIMIT = 24            # variants per name, nearest first
COSTS = {"hyphen": 1, "geresh": 1, "geresh-add": 2, "final": 1, "kof": 2, "tet": 2, "vav": 2,
         "yod": 2, "alef": 2, "alef-add": 2, "plene": 2, "plene-add": 2, "end": 2}
_ADDED = frozenset({"alef-add", "plene-add"})     # one added vowel letter a word at most
PARTICLES = frozenset({"בן", "בר", "אבו", "אבן", "אל", "דה", "די", "דל", "ואן", "פון", "לה", "בת"})

_WORD = re.compile(r"[א-ת]+(?:'[א-ת]+)*'?")
_FINAL = {"כ": "ך", "מ": "ם", "נ": "ן", "פ": "ף", "צ": "ץ"}
_PLAIN = {v: k for k, v in _FINAL.items()}
_VOWEL = frozenset("אוי")     # vowel letters; a ה is one at a word's end only
_GERESH = {"ג": "ג'", "ז": "ז'", "צ": "צ'", "ץ": "ץ'"}


@dataclass(frozen=True, slots=True)
class Variant:
    text: str
    cost: int
    classes: tuple[str, ...]      # the edit classes that made it, sorted


def _consonant(ch: str) -> bool:
    return bool(ch) and "א" <= ch <= "ת" and ch not in _VOWEL


def fix_finals(word: str) -> str:
    """Final forms where Hebrew writes them: ``כ מ נ`` at the end take theirs, a final
    form inside the word its ordinary one (``פ``/``צ`` at the end are left: both occur)."""
    core = word.rstrip("'")
    if core[-1:] not in "כמנ" and not _PLAIN.keys() & set(core[:-1]):
        return word
    letters = [_PLAIN.get(ch, ch) for ch in core[:-1]] + [core[-1:]]
    last = letters[-1]
    if last in "כמנ" and last:
        letters[-1] = _FINAL[last]
    return "".join(letters) + word[len(core):]


def _swap(word: str, cls: str, pairs: dict[str, str]) -> Iterable[tuple[str, str]]:
    for i, ch in enumerate(word):
        if ch in pairs and not (cls == "tet" and word[i + 1:i + 2] == "'"):
            yield word[:i] + pairs[ch] + word[i + 1:], cls


def _edits(word: str) -> Iterable[tuple[str, str]]:
    """Every one-edit spelling of ``word`` (before final letters are put right)."""
    yield from _swap(word, "kof", {"ק": "כ", "כ": "ק", "ך": "ק"})
    yield from _swap(word, "tet", {"ט": "ת", "ת": "ט"})
    n = len(word)
    for i, ch in enumerate(word):
        nxt, prev = word[i + 1:i + 2], word[i - 1:i]
        if ch in _GERESH and nxt != "'" and (ch != "ץ" or i == n - 1):
            yield word[:i] + _GERESH[ch] + word[i + 1:], "geresh-add"
        if ch == "'" and prev in _GERESH:
            yield word[:i] + word[i + 1:], "geresh"
        if ch == "ו":
            if nxt == "ו":
                yield word[:i] + word[i + 1:], "vav"
            elif prev != "ו" and (i == 0 or nxt in ("א", "י")):
                yield word[:i] + "וו" + word[i + 1:], "vav"
        if ch == "י" and 0 < i:
            if nxt == "י":
                yield word[:i] + word[i + 1:], "yod"
            elif prev != "י" and nxt in ("א", "ה", "ו"):
                yield word[:i] + "יי" + word[i + 1:], "yod"
        if ch in "אי" and 0 < i < n - 1 and (_consonant(prev) or prev == "'") and _consonant(nxt):
            yield word[:i] + word[i + 1:], "alef" if ch == "א" else "plene"     # defective spelling
        at = i + 1 + (nxt == "'")                # after the letter and its geresh
        if _consonant(ch) and at < n - (word[-1] == "ה") and _consonant(word[at]):
            yield word[:at] + "א" + word[at:], "alef-add"                          # plene spelling
            yield word[:at] + "י" + word[at:], "plene-add"
    core = word.rstrip("'")
    tail = word[len(core):]
    last = core[-1:]
    if last in "פףצץ":
        yield core[:-1] + (_FINAL.get(last) or _PLAIN[last]) + tail, "final"
    if last in "הא" and len(core) > 2 and not tail:
        yield core[:-1] + ("א" if last == "ה" else "ה"), "end"


@lru_cache(maxsize=None)
def word_variants(word: str, max_cost: int = MAX_COST) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """The spellings of one word other than itself within ``max_cost``, nearest first:
    (spelling, cost, classes). A word that is not plain Hebrew letters has none."""
    if not _WORD.fullmatch(word) or len(word.replace("'", "")) < 2:
        return ()
    best: dict[str, tuple[int, tuple[str, ...]]] = {word: (0, ())}
    frontier = [word]
    while frontier:
        nxt = []
        for w in frontier:
            cost, classes = best[w]
            added = _ADDED.intersection(classes)
            for raw, cls in _edits(w):
                if added and cls in _ADDED:
                    continue
                v, c = fix_finals(raw), cost + COSTS[cls]
                if c <= max_cost and (v not in best or c < best[v][0]):
                    best[v] = (c, tuple(sorted((*classes, cls))))
                    nxt.append(v)
        frontier = nxt
    del best[word]
    return tuple(sorted(((v, c, k) for v, (c, k) in best.items()), key=lambda t: (t[1], t[0])))


def _tokens(name: str) -> list[str]:
    """Words and the separators between them: ``['בן', '-', 'חיים']``."""
    return [t for t in re.split(r"([ \-])", " ".join(name.split())) if t]


def _options(tokens: list[str], i: int, refuse: Callable[[str], bool]) -> list[tuple[str, int, tuple]]:
    tok = tokens[i]
    if tok == "-":
        return [("-", 0, ()), (" ", COSTS["hyphen"], ("hyphen",))]
    if tok == " ":
        opts = [(" ", 0, ())]
        if i > 0 and tokens[i - 1] in PARTICLES:
            opts.append(("-", COSTS["hyphen"], ("hyphen",)))
        return opts
    return [(tok, 0, ())] + [v for v in word_variants(tok) if not refuse(v[0])]


def name_variants(name: str, limit: int = LIMIT, max_cost: int = MAX_COST,
                  refuse: Callable[[str], bool] = lambda word: False) -> list[Variant]:
    """Up to ``limit`` spellings of ``name`` other than itself, nearest first (by cost,
    then text): each word's variants combined, ``max_cost`` in all. ``refuse(word)``
    drops a changed word (the catalogue refuses words hspell knows)."""
    tokens = _tokens(name)
    options = [_options(tokens, i, refuse) for i in range(len(tokens))]
    # best-first over one choice per token (each list is sorted by cost, the plain form first)
    start = (0,) * len(options)
    heap, seen, out = [(0, "", start)], {start}, []
    while heap and len(out) < limit:
        cost, _, pick = heapq.heappop(heap)
        if any(pick):
            chosen = [options[t][k] for t, k in enumerate(pick)]
            out.append(Variant("".join(c[0] for c in chosen), cost,
                               tuple(sorted(cls for c in chosen for cls in c[2]))))
        for t, k in enumerate(pick):
            if k + 1 < len(options[t]):
                step = (*pick[:t], k + 1, *pick[t + 1:])
                c = sum(options[u][j][1] for u, j in enumerate(step))
                if c <= max_cost and step not in seen:
                    seen.add(step)
                    heapq.heappush(heap, (c, "".join(options[u][j][0] for u, j in enumerate(step)), step))
    return [v for v in out if v.text != name]


def changed_words(names: Iterable[str]) -> set[str]:
    """Every changed word the variants of ``names`` may use (to ask hspell in one go)."""
    return {v for name in names for tok in _tokens(name) for v, _, _ in word_variants(tok)}


# -- the catalogue's variant aliases ----------------------------------------------

@dataclass(frozen=True, slots=True)
class Collision:
    """A variant not used: it is an alias of another entity (``alias``), a variant of
    another person too (``variant``), or a form some entity declares ambiguous or the
    matcher's list of non-entities holds (``reserved``)."""
    variant: str
    slug: str
    reason: str
    other: str = ""


@dataclass(frozen=True, slots=True)
class VariantIndex:
    keys: dict[str, str]                    # variant key -> the person's slug
    collisions: tuple[Collision, ...]
    refused_words: tuple[str, ...]          # changed words refused (hspell knows them)


KEEP = 8              # cache files kept
MIN_SINGLE = 4        # a one-word name gets variants from four letters on


def variant_index(people: dict[str, list[str]], aliases: dict[str, list[tuple[str, str]]],
                  reserved: set[str], refuse: Callable[[str], bool], limit: int = LIMIT) -> VariantIndex:
    """Variant keys for ``people`` (slug -> normalised Hebrew names), checked against
    every alias of the catalogue (``aliases``: key -> [(slug, kind)]), ``reserved``
    keys and each other: any collision drops the variant, for every person it came from."""
    refused: set[str] = set()

    def guarded(word: str) -> bool:
        if refuse(word):
            refused.add(word)
            return True
        return False

    proposed: dict[str, set[str]] = {}
    for slug, names in people.items():
        for name in names:
            if " " not in name and "-" not in name and len(name.replace("'", "")) < MIN_SINGLE:
                continue
            for v in name_variants(name, limit=limit, refuse=guarded):
                proposed.setdefault(v.text, set()).add(slug)
    keys, collisions = {}, []
    for key in sorted(proposed):
        slugs = proposed[key]
        owners = {s for s, _ in aliases.get(key, ())}
        rivals = slugs - owners                                # an owner has it as a name already
        for slug in sorted(rivals):
            if owners:
                collisions.append(Collision(key, slug, "alias", sorted(owners)[0]))
            elif key in reserved:
                collisions.append(Collision(key, slug, "reserved"))
            elif len(rivals) > 1:
                collisions.append(Collision(key, slug, "variant", sorted(rivals - {slug})[0]))
            else:
                keys[key] = slug
    return VariantIndex(keys, tuple(collisions), tuple(sorted(refused)))


# -- a cache of the index: generating it takes ~2 s, reading it ~50 ms ---------------

def cache_dir() -> Path | None:
    """``$KG_CACHE_DIR``, else ``~/.cache/footkg``; ``KG_CACHE_DIR=`` (empty) turns the cache off."""
    value = os.environ.get("KG_CACHE_DIR")
    if value == "":
        return None
    return Path(value) if value else Path.home() / ".cache" / "footkg"


def _cache_path(people, aliases, reserved) -> Path | None:
    """The cache file of these inputs: named by a hash of the people's names, every alias
    key and its entities, the reserved keys, this module's source and the hspell binary."""
    folder = cache_dir()
    if folder is None:
        return None
    hspell = shutil.which("hspell") or ""
    stamp = os.stat(hspell).st_mtime_ns if hspell else 0
    blob = json.dumps([sorted(people.items()), sorted((k, sorted(v)) for k, v in aliases.items()),
                       sorted(reserved), Path(__file__).read_text(encoding="utf-8"), hspell, stamp],
                      ensure_ascii=False)
    return folder / f"variants-{hashlib.sha256(blob.encode('utf-8')).hexdigest()[:24]}.json"


def cached_index(people, aliases, reserved) -> VariantIndex | None:
    """The index stored for these exact inputs, or None."""
    path = _cache_path(people, aliases, reserved)
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else None
    except (OSError, ValueError):
        return None
    if not data:
        return None
    try:
        return VariantIndex(data["keys"], tuple(Collision(*c) for c in data["collisions"]),
                            tuple(data["refused_words"]))
    except (KeyError, TypeError):          # a file of another shape: built again
        return None


def store_index(people, aliases, reserved, index: VariantIndex) -> None:
    """Write the index for the next load (atomically; a failure only costs time)."""
    path = _cache_path(people, aliases, reserved)
    if path is None:
        return
    data = {"keys": index.keys, "collisions": [[c.variant, c.slug, c.reason, c.other] for c in index.collisions],
            "refused_words": list(index.refused_words)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                         suffix=".tmp") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(fh.name, path)
        old = sorted(path.parent.glob("variants-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP:]:                 # each catalogue edit makes a new one: keep the last few
            stale.unlink(missing_ok=True)
    except OSError as exc:
        log.info("variant cache not written (%s): %s", path, exc)
