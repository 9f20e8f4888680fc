"""``kg eval``: extraction scored against gold annotations (``shared/spec/gold-format.md``).

Gold names entities by label; they are mapped to catalogue slugs by English
label or alias first, then by Hebrew form. A gold entity the catalogue does not
know is a miss (and is named in the report). Scores are micro-averaged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg.catalog import Catalog, default_catalog
from kg.errors import EvalError
from kg.normalize import normalize_alias
from kg.pipeline import extract
from kg.read import read_article
from kg.realset import in_split

SYMMETRIC = {"teammateOf", "formerTeammateOf", "siblingOf"}
LITERAL_OBJECT = {"injured", "suspended"}
ASSERTING = {"asserted", "past"}
SEARCH_DIRS = ("seeds", "tests/gold")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Report:
    files: list[str] = field(default_factory=list)
    kinds: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    relations: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    rules: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    modality_right: int = 0
    modality_total: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "files": self.files,
            "scores": {k: v.as_dict() for k, v in self.kinds.items()},
            "relations": {k: v.as_dict() for k, v in sorted(self.relations.items())},
            "rules": {k: v.as_dict() for k, v in sorted(self.rules.items())},
            "modality": {"right": self.modality_right, "of": self.modality_total},
            "misses": self.misses, "false": self.false,
        }


class EntityNames:
    """Gold labels -> catalogue slugs."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.local: dict[str, str] = {}  # this gold file's names, resolved by their Hebrew forms
        self.en: dict[str, list[str]] = defaultdict(list)
        for e in catalog.entities.values():
            for name in (e.en, *e.alt_en):
                self.en[name.casefold()].append(e.slug)

    def slug(self, en: str | None, he=(), etype: str | None = None) -> str | None:
        if en and en.casefold() in self.local:
            return self.local[en.casefold()]
        if en and en.casefold() in self.en:
            slugs = self.en[en.casefold()]
            typed = [x for x in slugs if self.catalog[x].type == etype]
            return (typed or slugs)[0]
        for form in he:
            key = normalize_alias(str(form))
            for cand in (key, key[1:] if key.startswith("ה") else None):
                hits = {s for s, _ in self.catalog.aliases.get(cand or "", [])}
                if etype:
                    hits = {s for s in hits if self.catalog[s].type == etype} or hits
                if len(hits) == 1:
                    return hits.pop()
        return None


def gold_files(paths) -> list[Path]:
    out = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.gold.yaml")) if p.is_dir() else [p])
    if not out:
        raise EvalError(f"no *.gold.yaml files in {', '.join(map(str, paths))}")
    return out


def article_for(gold_path: Path, gold: dict, texts: Path | None = None) -> Path:
    if texts is not None:
        rebuilt = Path(texts) / (gold_path.name.removesuffix(".gold.yaml") + ".txt")
        if not rebuilt.exists():
            raise EvalError(f"{gold_path}: no text {rebuilt} (rebuild it: tests/realset/README.md)")
        return rebuilt
    sibling = gold_path.with_name(gold_path.name.removesuffix(".gold.yaml") + ".txt")
    if sibling.exists():
        return sibling
    url = gold.get("url")
    if url:
        for d in SEARCH_DIRS:
            for f in sorted(Path(d).glob("*.txt")):
                if f.read_text(encoding="utf-8", errors="replace").startswith(f"url {url}"):
                    return f
    raise EvalError(f"{gold_path}: no article found (no {sibling.name}, no file in "
                    f"{'/'.join(SEARCH_DIRS)} with url {url})")


def _load(path: Path) -> dict:
    try:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise EvalError(f"{path}: cannot read gold: {exc}") from exc
    if not isinstance(gold, dict):
        raise EvalError(f"{path}: a gold file is a mapping (see gold-format.md)")
    return gold


def _fact_key(s, rel, o):
    if rel in SYMMETRIC:
        s, o = sorted((s, o))
    return (s, rel, None if rel in LITERAL_OBJECT else o)


def _gold_facts(names: EntityNames, facts, where: str, misses: list[str]):
    out = {}
    for fact in facts or ():
        if not isinstance(fact, list) or len(fact) < 3:
            raise EvalError(f"{where}: a fact is [subject, relation, object, {{attributes}}]: {fact!r}")
        attrs = fact[3] if len(fact) > 3 else {}
        s, o = names.slug(fact[0]), names.slug(fact[2]) if fact[1] not in LITERAL_OBJECT else fact[2]
        key = _fact_key(s or f"?{fact[0]}", fact[1], o or f"?{fact[2]}")
        out[key] = (attrs.get("modality", "asserted"), fact)
    return out


def score_file(gold_path: Path, catalog: Catalog, report: Report, texts: Path | None = None) -> None:
    gold = _load(gold_path)
    where = str(gold_path)
    ex = extract(read_article(article_for(gold_path, gold, texts)), catalog)
    names = EntityNames(catalog)
    tag = gold_path.name.removesuffix(".gold.yaml")

    # entities: each gold entity's English name -> slug (by label, then Hebrew forms)
    gold_ents, optional = {}, set()
    for key, bucket in (("entities", gold_ents), ("optional_entities", None)):
        for e in gold.get(key) or ():
            slug = names.slug(e.get("en"), [e.get("he", ""), *(e.get("he_alt") or [])], e.get("type"))
            if slug and e.get("en"):
                names.local[e["en"].casefold()] = slug
            if bucket is None:
                optional.add(slug)
            else:
                bucket[slug or f"?{e.get('en')}"] = e.get("en")
    found = set(ex.entities)
    s = Score(tp=len(found & set(gold_ents)), fp=len(found - set(gold_ents) - optional),
              fn=len(set(gold_ents) - found))
    report.kinds["entities"].add(s)
    report.misses += [f"{tag}: entity {gold_ents[k]}" for k in sorted(set(gold_ents) - found)]
    report.false += [f"{tag}: entity {k}" for k in sorted(found - set(gold_ents) - optional)]

    # facts
    gfacts = _gold_facts(names, gold.get("facts"), where, report.misses)
    opt = _gold_facts(names, gold.get("optional_facts"), where, [])
    predicted = defaultdict(set)
    rules_of = defaultdict(set)
    for c in ex.claims:
        key = _fact_key(c.subject, c.predicate, c.obj)
        predicted[key].add(c.modality.lower())
        rules_of[key].add(c.rule)
    fs = Score()
    for key, mods in predicted.items():
        rel = key[1]
        if key in gfacts:
            fs.tp += 1
            report.relations[rel].tp += 1
            gmod = gfacts[key][0].lower()
            report.modality_total += 1
            right = mods <= ASSERTING if gmod in ASSERTING else mods == {gmod}
            report.modality_right += right
            if not right:
                report.false.append(f"{tag}: modality {key} gold {gmod}, found {sorted(mods)}")
        elif key not in opt:
            fs.fp += 1
            report.relations[rel].fp += 1
            report.false.append(f"{tag}: fact {key} {sorted(mods)} by {sorted(rules_of[key])}")
        for r in rules_of[key]:
            if key in gfacts:
                report.rules[r].tp += 1
            elif key not in opt:
                report.rules[r].fp += 1
    for key, (_, fact) in gfacts.items():
        if key not in predicted:
            fs.fn += 1
            report.relations[key[1]].fn += 1
            report.misses.append(f"{tag}: fact {fact[:3]}")
    report.kinds["facts"].add(fs)

    # quotes: right speaker and opening words
    qs = Score()
    used = set()
    for gq in gold.get("quotes") or ():
        start = normalize_alias(gq.get("starts", ""))
        speaker = names.slug(gq.get("speaker"))
        hit = next((i for i, q in enumerate(ex.quotes) if i not in used
                    and normalize_alias(q.text).startswith(start) and q.speaker == speaker), None)
        if hit is None:
            qs.fn += 1
            got = [q.speaker for q in ex.quotes if normalize_alias(q.text).startswith(start)]
            report.misses.append(f"{tag}: quote {gq.get('speaker')}: {gq.get('starts')} (found speaker {got})")
        else:
            used.add(hit)
            qs.tp += 1
    qs.fp = len([q for i, q in enumerate(ex.quotes) if i not in used and q.speaker])
    report.kinds["quotes"].add(qs)
    for i, q in enumerate(ex.quotes):           # each attribution sieve's precision (--by-rule)
        if q.speaker:
            if i in used:
                report.rules[q.rule].tp += 1
            else:
                report.rules[q.rule].fp += 1
                report.false.append(f"{tag}: quote {q.speaker} by {q.rule}: {q.text[:30]}")

    # matches: both teams and the score
    ms = Score()
    found_m = [(m.home, m.away, m.home_score, m.away_score) for m in ex.matches]
    for gm in gold.get("matches") or ():
        h, a = names.slug(gm.get("home")), names.slug(gm.get("away"))
        want = (h, a, gm.get("home_score"), gm.get("away_score"))
        alts = {want} if gm.get("home_known", True) else {want, (a, h, want[3], want[2])}
        if alts & set(found_m):
            ms.tp += 1
            found_m.remove(next(iter(alts & set(found_m))))
        else:
            ms.fn += 1
            report.misses.append(f"{tag}: match {gm.get('home')} {gm.get('home_score')}-"
                                 f"{gm.get('away_score')} {gm.get('away')}")
    ms.fp = len(found_m)
    report.false += [f"{tag}: match {m}" for m in found_m]
    report.kinds["matches"].add(ms)


def evaluate(paths, catalog: Catalog | None = None, texts: Path | None = None,
             split: str | None = None) -> Report:
    """Score every gold file of ``paths`` (of one half of the real set when ``split``
    is given), reading each article from ``texts/<stem>.txt`` when ``texts`` is given."""
    catalog = catalog or default_catalog()
    report = Report()
    chosen = [p for p in gold_files(paths) if in_split(p, split)]
    if not chosen:
        raise EvalError(f"no gold files of the {split} half in {', '.join(map(str, paths))}")
    for path in chosen:
        report.files.append(str(path))
        score_file(path, catalog, report, texts)
    return report


def format_report(report: Report, by_rule: bool = False, misses: bool = True) -> str:
    lines = [f"gold files: {len(report.files)}", "",
             f"{'kind':<12} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
    row = lambda name, s: f"{name:<12} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:5} {s.fp:5} {s.fn:5}"
    for kind in ("entities", "facts", "quotes", "matches"):
        lines.append(row(kind, report.kinds[kind]))
    lines.append(f"modality right on {report.modality_right}/{report.modality_total} found facts")
    lines += ["", f"{'relation':<22} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
    for rel, s in sorted(report.relations.items()):
        lines.append(f"{rel:<22} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:5} {s.fp:5} {s.fn:5}")
    if by_rule:
        lines += ["", f"{'rule':<30} {'precision':>9} {'TP':>5} {'FP':>5}"]
        for r, s in sorted(report.rules.items()):
            lines.append(f"{r:<30} {s.precision:9.3f} {s.tp:5} {s.fp:5}")
    if misses:
        lines += ["", "misses:"] + ([f"  {m}" for m in report.misses] or ["  none"])
        lines += ["false:"] + ([f"  {m}" for m in report.false] or ["  none"])
    return "\n".join(lines) + "\n"
