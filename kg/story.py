"""An entity's story over time (``kg story``): the rows of the named query ``story``
(roles, moves, injuries, quotes, results, each with its evidence sentence, outlet, date
and status) as a timeline, and each statement's course from its claims: rumoured
(possible, desired, planned) -> confirmed (asserted, past) or denied (negated), with
the date and outlet of each change, how many outlets said it and who first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from rdflib import URIRef

from kg.queries import resolve_entity, run
from kg.vocab import FK, FKE

EVIDENCE_CHARS = 300

_NAMES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
SELECT ?x ?he ?en ?url WHERE {
  VALUES ?x { %s }
  OPTIONAL { ?x rdfs:label ?he FILTER (lang(?he) = "he") }
  OPTIONAL { ?x rdfs:label ?en FILTER (lang(?en) = "en") }
  OPTIONAL { ?x schema:url ?url }
}"""


@dataclass
class Statement:
    """One (subject, relation, object) and its claims in date order."""

    subject: str
    relation: str
    object: str
    claims: list[dict] = field(default_factory=list)

    def changes(self) -> list[tuple[str, str, str]]:
        """(status, date, outlet) at each change of status, the first claim included."""
        out: list[tuple[str, str, str]] = []
        for c in self.claims:
            if not out or out[-1][0] != c["status"]:
                out.append((c["status"], c["date"], c["outlet"]))
        return out

    @property
    def outlets(self) -> list[str]:
        return sorted({c["outlet"] for c in self.claims if c["outlet"]})


def story(store, entity: str, catalog=None) -> tuple[URIRef, list[dict]]:
    """The entity's IRI and its story rows (the query's variables, as strings; '' if unbound)."""
    iri = resolve_entity(entity, catalog, store)
    result = run(store, "story", {"entity": str(iri)}, catalog=catalog)
    return iri, [{v: str(r[v]) if v in r else "" for v in result.vars} for r in result.rows]


def statements(rows: list[dict]) -> list[Statement]:
    """The claims of the rows grouped by statement, oldest first (undated last)."""
    found: dict[tuple, Statement] = {}
    for r in rows:
        if r["kind"] in ("quote", "result"):
            continue
        key = (r["subject"], r["relation"], r["object"] or r["detail"])
        found.setdefault(key, Statement(*key)).claims.append(r)
    for s in found.values():
        s.claims.sort(key=lambda c: (not c["date"], c["date"], c["article"]))
    return sorted(found.values(), key=lambda s: (not s.claims[0]["date"], s.claims[0]["date"], s.subject,
                                                 s.relation, s.object))


def names(store, rows: list[dict], iri: URIRef) -> dict[str, dict]:
    """Hebrew and English labels of the entities, outlets and articles the rows name, urls of the articles."""
    terms = {iri, *(URIRef(r[k]) for r in rows for k in ("subject", "object", "claimedBy", "outlet", "article")
                    if r[k].startswith("https://"))}
    if not terms:
        return {}
    found = store.query(_NAMES % " ".join(URIRef(t).n3() for t in sorted(terms))).rows
    out: dict[str, dict] = {}
    for r in found:
        d = out.setdefault(str(r["x"]), {})
        for k in ("he", "en", "url"):
            if k in r:
                d.setdefault(k, str(r[k]))
    return out


def format_story(iri: URIRef, rows: list[dict], labels: dict[str, dict]) -> str:
    def name(x: str) -> str:
        if not x:
            return ""
        d = labels.get(x, {})
        return d.get("he") or d.get("en") or x.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def rel(x: str) -> str:
        return x[len(str(FK)):] if x.startswith(str(FK)) else x

    me = labels.get(str(iri), {})
    title = f"{me.get('he', '')} ({me.get('en', '')})" if me.get("he") else str(iri)[len(str(FKE)):]
    dates = sorted(r["date"] for r in rows if r["date"])
    span = f", {dates[0]} – {dates[-1]}" if dates else ""
    lines = [f"{title}: {len(rows)} entries{span}", ""]
    told = [s for s in statements(rows) if len(s.claims) > 1 or s.changes()[-1][0] != "confirmed"]
    if told:
        lines.append("statements over time:")
        for s in told:
            course = " → ".join(f"{st} {d or 'undated'} ({name(o)})" for st, d, o in s.changes())
            first = s.claims[0]
            lines.append(f"  {name(s.subject)} —{rel(s.relation)}→ {name(s.object) or s.object}: {course}")
            lines.append(f"    {len(s.claims)} claim(s), {len(s.outlets)} outlet(s); first: "
                         f"{name(first['outlet']) or '?'}, {first['date'] or 'undated'}")
        lines.append("")
    lines.append("timeline:")
    for r in rows:
        lines += _entry(r, name, rel, labels)
    return "\n".join(lines) + "\n"


def _entry(r: dict, name, rel, labels) -> list[str]:
    if r["kind"] == "quote":
        what = f"{name(r['subject']) or r['detail'] or 'unattributed'} said"
    elif r["kind"] == "result":
        what = f"{name(r['subject'])} {r['detail']} {name(r['object'])}"
    else:
        obj = name(r["object"]) if r["object"] else r["detail"]
        what = f"{name(r['subject'])} —{rel(r['relation'])}→ {obj}  [{rel(r['modality'])}, {r['status']}]"
    art = labels.get(r["article"], {})
    url = art.get("url")
    outlet = name(r["outlet"]) or (urlsplit(url).hostname or "" if url else "")
    where = ", ".join(x for x in (outlet, unquote(url) if url else r["article"]) if x)
    # narration is claimed by the article (or its outlet): only another claimant is shown
    by = name(r["claimedBy"]) if r["claimedBy"] and r["claimedBy"] not in (r["outlet"], r["article"]) else ""
    evidence = " ".join(r["evidence"].split())        # a match header spans lines: one line here
    if len(evidence) > EVIDENCE_CHARS:
        evidence = evidence[:EVIDENCE_CHARS - 1] + "…"
    return [f"{r['date'] or 'undated':<10}  {r['kind']:<6}  {what}",
            f"{'':<10}  «{evidence}»",
            f"{'':<10}  — {by + ', ' if by else ''}{where}"]
