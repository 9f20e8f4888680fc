"""Curation tools: the names the catalogue lacks, and what the catalogue holds.

- :func:`find_candidates` / :func:`format_candidates` (``kg candidates``): the unknown
  names of :mod:`kg.candidates` over many articles, a lone surname or a prefixed form
  folded into its full name, ranked by frequency, each with a snippet.
- :func:`candidate_yaml` (``kg candidates --yaml``): catalogue entry skeletons.
- :func:`catalog_stats` / :func:`format_stats` (``kg catalog stats``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from statistics import mean

from kg.candidates import article_candidates
from kg.catalog import Catalog, default_catalog
from kg.lexicon import cues
from kg.normalize import normalize_alias
from kg.read import read_article
from kg.variants import name_variants

SNIPPET = 30
GROUP_LIMIT = 400      # spellings of a candidate compared with the others (kg.variants)


@dataclass
class Candidate:
    name: str
    count: int = 0
    types: Counter = field(default_factory=Counter)
    cues: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)                  # how it was found: speech, role, event...
    seen: list[tuple[str, int, str]] = field(default_factory=list)  # (file, offset, snippet)
    short: set[str] = field(default_factory=set)                    # merged surname-only forms
    spellings: set[str] = field(default_factory=set)                # merged spelling variants (kg.variants)
    same_surname: tuple[str, ...] = ()                               # catalogue people with its last word
    spelling_of: tuple[str, ...] = ()                                # catalogue names spelt with other vowels

    @property
    def type(self) -> str:
        return self.types.most_common(1)[0][0] if self.types else "Person"


# -- many articles ---------------------------------------------------------------

def _snippet(text: str, start: int, end: int) -> str:
    left = text[max(0, start - SNIPPET):start]
    right = text[end:end + SNIPPET]
    return " ".join(f"{left}[{text[start:end]}]{right}".split())


def find_candidates(paths, catalog: Catalog | None = None) -> list[Candidate]:
    """Candidates over article files and folders: speakers first, then most frequent."""
    from kg.pipeline import article_files

    catalog = catalog or default_catalog()
    by_name: dict[str, Candidate] = {}
    for path in article_files(paths):
        article = read_article(path)
        head = len(Path(path).read_text(encoding="utf-8-sig")) - len(article.text)
        for f in article_candidates(article, catalog):
            cand = by_name.setdefault(f.name, Candidate(f.name))
            cand.count += 1
            cand.types[f.type] += 1
            cand.cues[f.cue] += 1
            cand.kinds[f.kind] += 1
            cand.seen.append((str(path), head + f.start, _snippet(article.text, f.start, f.end)))
    merged = _merge(by_name)
    surnames, skeletons = _surnames(catalog), _skeletons(catalog)
    for cand in merged:
        cand.same_surname = tuple(sorted(surnames.get(cand.name.split()[-1], ())))
        cand.spelling_of = tuple(sorted(skeletons.get(_skeleton(cand.name), ())))
    # speakers first: an unknown speaker's words are kept unattributed until he is catalogued
    return sorted(merged, key=lambda c: (not c.kinds["speech"], -c.count, -len(c.cues), c.name))


def _merge(by_name: dict[str, Candidate]) -> list[Candidate]:
    """Fold a prefixed form (לז'ורז' X) into the plain one, then a lone surname into
    the one full name that ends with it."""
    def prefixed(name: str) -> str | None:
        for p in (1, 2):
            if all(ch in "ובלמשהכ" for ch in name[:p]) and name[p:] in by_name:
                return name[p:]
        return None

    def surname(name: str) -> str | None:
        fulls = [n for n in by_name if " " in n and n.split()[-1] == name] if " " not in name else []
        return fulls[0] if len(fulls) == 1 else None

    spelt: dict[str, set[str]] = {}        # a spelling -> the candidates it is a variant of
    variants_of: dict[str, set[str]] = {}

    def spelling(name: str) -> str | None:
        """A more frequent candidate that is a spelling variant of this one (or, at equal
        counts, the first in order): ``קלייבר`` and ``קליבר`` are one name."""
        if not spelt:
            for n, cand in by_name.items():
                if cand.type == "Person":
                    variants_of[n] = {v.text for v in name_variants(normalize_alias(n), limit=GROUP_LIMIT)}
                    for v in variants_of[n]:
                        spelt.setdefault(v, set()).add(n)
        if name not in variants_of:
            return None
        others = {o for o in (variants_of[name] | spelt.get(normalize_alias(name), set())) if o in by_name} - {name}
        others = [o for o in others if (by_name[o].count, o) > (by_name[name].count, name)]
        return max(others, key=lambda o: (by_name[o].count, o)) if others else None

    for target in (prefixed, surname, spelling):
        for name in sorted(by_name, key=lambda n: (-len(n), n)):
            if name not in by_name:
                continue
            into = target(name)
            if into and into != name and into in by_name:
                src, dst = by_name.pop(name), by_name[into]
                dst.count += src.count
                dst.types.update(src.types)
                dst.cues.update(src.cues)
                dst.kinds.update(src.kinds)
                dst.seen += src.seen
                dst.short |= src.short | ({name} if target is surname else set())
                dst.spellings |= src.spellings | ({name} if target is spelling else set())
    return list(by_name.values())


def _surnames(catalog: Catalog) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for ent in catalog.entities.values():
        if ent.type == "Person":
            for name in (ent.he, *ent.alt_he):
                parts = normalize_alias(name).split()
                if len(parts) >= 2:
                    out[parts[-1]].add(ent.slug)
    return out


def _skeleton(name: str) -> str:
    """A name without its vowel letters after the first letter of each word:
    ``עומרי אלטמן`` and ``עמרי אלטמן`` are the same name spelt twice."""
    return " ".join(w[0] + re.sub("[אויה']", "", w[1:]) for w in normalize_alias(name).split())


def _skeletons(catalog: Catalog) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for ent in catalog.entities.values():
        for name in (ent.he, *ent.alt_he):
            if " " in name.strip():
                out[_skeleton(name)].add(ent.slug)
    return out


def format_candidates(cands: list[Candidate]) -> str:
    lines = []
    for c in cands:
        cues = ", ".join(f"{k} ×{v}" if v > 1 else k for k, v in c.cues.most_common(4))
        hint = f"  ({_hint(c)}?)" if c.same_surname or c.spelling_of else ""
        also = f"  also: {', '.join(sorted(c.short | c.spellings))}" if c.short or c.spellings else ""
        lines.append(f"{c.count:4}  {c.name}  [{c.type}]  {cues}{also}{hint}")
        path, offset, snip = c.seen[0]
        lines.append(f"      {path}:{offset}  …{snip}…")
    return "\n".join(lines) + ("\n" if lines else "")


def _hint(c: Candidate) -> str:
    """The catalogue entity a name may be spelt for, or the people a lone surname may be."""
    if c.spelling_of:
        return "another spelling of " + ", ".join(c.spelling_of)
    return ("surname of " if " " not in c.name else "same surname as ") + ", ".join(c.same_surname)


# -- YAML skeletons ----------------------------------------------------------------

def transliterate(he: str) -> str:
    """A rough Latin spelling for a slug guess: the table's letters, with ו and י read
    as vowels inside a word, פ ב as f v after the first letter, a final ה as a
    (``רפאלוב`` -> ``rfalov``)."""
    table = cues("candidates")["transliteration"]
    out, i = [], 0
    while i < len(he):
        pair = he[i:i + 2]
        if len(pair) == 2 and (pair in table or pair in ("וו", "יי")):
            out.append(table.get(pair) or table[pair[0]])
            i += 2
            continue
        ch, first, last = he[i], i == 0, i == len(he) - 1
        if ch in "וי" and not first:
            out.append("o" if ch == "ו" else "i")
        elif ch == "ה" and last and not first:
            out.append("a")
        elif ch in "פב" and not first:
            out.append("f" if ch == "פ" else "v")
        elif ch == "ע" and first and he[1:2] == "ו":
            out.append("")
        else:
            out.append(table.get(ch, ch if ch.isascii() else ""))
        i += 1
    return "".join(out)


def guess_slug(he: str, taken: set[str]) -> str:
    words = [re.sub(r"[^a-z0-9]", "", transliterate(w).lower()) for w in he.split()]
    base = "-".join(w for w in words if w) or "unknown"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _flow(values) -> str:
    return "[" + ", ".join(_scalar(v) for v in values) + "]"


def _scalar(value: str) -> str:
    if re.search(r"[,\[\]{}#:'\"]", value) or value[:1] in "-?&*!|>%@` ":
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def candidate_yaml(cands: list[Candidate], catalog: Catalog | None = None) -> str:
    """Catalogue entries to complete (English name, facts) and paste."""
    catalog = catalog or default_catalog()
    taken = set(catalog.entities)
    out = ["# Candidates from `kg candidates --yaml`: check each name, the type and the",
           "# English spelling, add facts, then paste into a kg/data/catalog/*.yaml file.", ""]
    for c in cands:
        if c.spelling_of or (c.same_surname and " " not in c.name):
            out += [f"# {c.name}: {_hint(c)}; add it as an alt_he there if unambiguous", ""]
            continue
        slug = guess_slug(c.name, taken)
        path, offset, snip = c.seen[0]
        out += [f"- slug: {slug}", f"  type: {c.type}",
                f"  en: {_scalar(' '.join(w.capitalize() for w in slug.split('-')))}",
                f"  he: {_scalar(c.name)}"]
        if c.short:
            out.append(f"  alt_he: {_flow(sorted(c.short))}")
        out += ["  facts: []",
                f"  source: {_scalar(f'seen {c.count}x; {path}:{offset}')}",
                f"  # {', '.join(f'{k} x{v}' for k, v in c.cues.most_common(3))}: {snip}"]
        out += [f"  # {_hint(c)}: a spelling variant?"] if c.same_surname else []
        out.append("")
    return "\n".join(out)


# -- catalogue statistics -----------------------------------------------------------

def catalog_stats(catalog: Catalog | None = None) -> dict:
    catalog = catalog or default_catalog()
    ents = list(catalog.entities.values())
    indexed = [e for e in ents if e.type != "Outlet"]
    per_entity: Counter = Counter()
    ambiguous = []
    curated = {k: [(s, kind) for s, kind in pairs if kind != "variant"] for k, pairs in catalog.aliases.items()}
    curated = {k: pairs for k, pairs in curated.items() if pairs}
    for key, pairs in curated.items():
        slugs = {s for s, _ in pairs}
        per_entity.update(slugs)
        if len(slugs) > 1:
            ambiguous.append(key)
    counts = [per_entity[e.slug] for e in indexed]
    top = min(indexed, key=lambda e: (-per_entity[e.slug], e.slug)) if indexed else None
    files = Counter(e.origin.split(":", 1)[0].split(" ")[0] for e in ents)
    return {
        "entities": len(ents),
        "by_type": dict(sorted(Counter(e.type for e in ents).items(), key=lambda kv: (-kv[1], kv[0]))),
        "files": dict(sorted(files.items())),
        "aliases": {
            "keys": len(curated),
            "per_entity_mean": round(mean(counts), 2) if counts else 0.0,
            "per_entity_max": per_entity[top.slug] if top else 0,
            "max_entity": top.slug if top else None,
            "ambiguous": len(ambiguous),
            "ambiguous_examples": sorted(ambiguous)[:12],
        },
        "variants": _variant_stats(catalog),
        "nicknames": {"entities": sum(1 for e in ents if e.nick_he), "total": sum(len(e.nick_he) for e in ents)},
        "demonyms": {"entities": sum(1 for e in ents if e.demonym_he), "total": sum(len(e.demonym_he) for e in ents)},
        "without_wikidata": {
            "total": sum(1 for e in indexed if not e.wikidata),
            "by_type": dict(sorted(Counter(e.type for e in indexed if not e.wikidata).items())),
        },
        "facts": {"total": sum(len(e.facts) for e in ents),
                  "by_property": dict(Counter(p for e in ents for p, _ in e.facts).most_common()),
                  # roles that change over time: a period lets resolution use the one valid at an article's date
                  "roles_without_period": dict(Counter(
                      p for e in ents for p, o in e.facts if p in TIMED_ROLES and (p, o) not in e.periods
                  ).most_common()),
                  "with_period": sum(len(spells) for e in ents for spells in e.periods.values())},
    }


def _variant_stats(catalog: Catalog) -> dict:
    """The generated spelling variants (``kg/variants.py``): keys in use, the people they
    serve, the collisions that kept some out (by reason, with examples) and the words
    refused because hspell knows them."""
    index = catalog.variants
    if index is None:
        return {"keys": 0, "people": 0, "collisions": 0, "by_reason": {}, "examples": [],
                "refused_words": 0, "refused_examples": []}
    reasons = Counter(c.reason for c in index.collisions)
    by_reason: dict[str, list[str]] = defaultdict(list)
    for c in index.collisions:                    # one example a key
        shown = f"{c.variant} ({c.slug}: {c.reason}{' of ' + c.other if c.other else ''})"
        if not any(e.startswith(c.variant + " (") for e in by_reason[c.reason]):
            by_reason[c.reason].append(shown)
    examples = [e for group in zip_longest(*by_reason.values()) for e in group if e][:12]   # each reason in turn
    return {"keys": len(index.keys), "people": len(set(index.keys.values())),
            "collisions": len(index.collisions), "by_reason": dict(reasons.most_common()),
            "examples": examples, "refused_words": len(index.refused_words),
            "refused_examples": list(index.refused_words[:12])}


TIMED_ROLES = ("playsFor", "headCoachOf", "assistantCoachOf", "ownerOf", "presidentOf",
               "sportingDirectorOf", "captainOf", "competesIn")


def format_stats(stats: dict) -> str:
    a, v = stats["aliases"], stats["variants"]
    lines = [f"entities: {stats['entities']} in {len(stats['files'])} files", "", "by type:"]
    lines += [f"  {t:<14} {n:6}" for t, n in stats["by_type"].items()]
    lines += ["", "files:"] + [f"  {f:<32} {n:6}" for f, n in stats["files"].items()]
    lines += ["", f"alias keys: {a['keys']}",
              f"aliases per entity: mean {a['per_entity_mean']}, max {a['per_entity_max']} ({a['max_entity']})",
              f"ambiguous aliases: {a['ambiguous']}  e.g. {', '.join(a['ambiguous_examples'][:8])}",
              f"spelling variants: {v['keys']} keys for {v['people']} people; "
              f"{v['collisions']} collisions left out ("
              + ", ".join(f"{r} {n}" for r, n in v["by_reason"].items()) + ")"
              + (f"  e.g. {'; '.join(v['examples'][:6])}" if v["examples"] else ""),
              f"variant words refused (hspell knows them): {v['refused_words']}"
              + (f"  e.g. {', '.join(v['refused_examples'][:8])}" if v["refused_examples"] else ""),
              f"nicknames: {stats['nicknames']['total']} on {stats['nicknames']['entities']} entities",
              f"demonyms: {stats['demonyms']['total']} on {stats['demonyms']['entities']} entities",
              f"without wikidata: {stats['without_wikidata']['total']}  "
              + ", ".join(f"{t} {n}" for t, n in stats["without_wikidata"]["by_type"].items()),
              f"facts: {stats['facts']['total']}  "
              + ", ".join(f"{p} {n}" for p, n in stats["facts"]["by_property"].items()),
              f"facts with a period (from/until): {stats['facts']['with_period']}",
              f"roles without a period: {sum(stats['facts']['roles_without_period'].values())}  "
              + ", ".join(f"{p} {n}" for p, n in stats["facts"]["roles_without_period"].items())]
    return "\n".join(lines) + "\n"
