"""One match, many reports: at ingest, a match an article reports joins the match
already stored from other articles when it is the same event.

A match's IRI is its teams and its day (``kg.graph.match_iri``), so two articles that
date it alike name one node without help. Outlets may date it a day apart (a late
match, ``אמש`` in a morning paper), or one may not say which team was at home; so
before an article is written, each of its dated matches is looked up among the
matches of the *other* articles in the store:

- the same two teams (either way round),
- a date at most one day from its own,
- a compatible score: the same goals for each team, or a score one side leaves unknown.

If several stored matches qualify, the one taken is, in this order: the closest date,
a report that names the same home team, then the smallest IRI. The article then writes
its report about that IRI. The choice depends on what is already stored (ingesting
A then B gives B the IRI of A, B then A gives A the IRI of B), never on chance; either
way the match is one node with both reports, and removing one article leaves the
other's report. The article's own earlier version is not looked at, so re-ingesting an
article gives the same IRIs as long as the other articles are the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdflib import URIRef

from kg.graph import match_iri
from kg.model import Match
from kg.rdfterms import term_text
from kg.vocab import FKE

WINDOW_DAYS = 1

_STORED = """PREFIX fk: <https://w3id.org/footkg/ontology#>
SELECT ?match ?g ?home ?away ?homeScore ?awayScore ?date WHERE {
  VALUES (?t1 ?t2) { %s }
  GRAPH ?g {
    ?match a fk:Match ; fk:homeTeam ?home ; fk:awayTeam ?away ; fk:date ?date .
    OPTIONAL { ?match fk:homeScore ?homeScore }
    OPTIONAL { ?match fk:awayScore ?awayScore }
  }
  FILTER (?home = ?t1 && ?away = ?t2 || ?home = ?t2 && ?away = ?t1)
  FILTER (?g != %s)
}"""


@dataclass(frozen=True)
class Report:
    """One stored article's report of a match."""

    match: str
    home: str
    away: str
    goals: dict            # team slug -> goals, for the teams whose score is stated
    day: date


def _slug(term) -> str:
    return str(term)[len(str(FKE)):]


def _reports(store, matches: list[Match], article: str) -> list[Report]:
    pairs = sorted({tuple(sorted((m.home, m.away))) for m in matches if m.date})
    if not pairs:
        return []
    values = " ".join(f"({term_text(FKE[a])} {term_text(FKE[b])})" for a, b in pairs)
    rows = store.query(_STORED % (values, term_text(URIRef(article)))).rows
    out = []
    for r in rows:
        try:
            day = date.fromisoformat(str(r["date"]))
        except ValueError:
            continue
        home, away = _slug(r["home"]), _slug(r["away"])
        goals = {team: int(r[key]) for team, key in ((home, "homeScore"), (away, "awayScore")) if key in r}
        out.append(Report(str(r["match"]), home, away, goals, day))
    return out


def compatible(m: Match, r: Report) -> bool:
    """The same teams, at most a day apart, and no team given two different scores."""
    if {m.home, m.away} != {r.home, r.away} or m.date is None:
        return False
    if abs((m.date - r.day).days) > WINDOW_DAYS:
        return False
    mine = {m.home: m.home_score, m.away: m.away_score}
    return all(mine.get(team) is None or mine[team] == n for team, n in r.goals.items())


def stored_matches(store, matches: list[Match], article: str) -> dict[int, URIRef]:
    """For each of ``matches`` (by index) that is a match already stored from another
    article, that match's IRI; see the module's docstring for the policy."""
    reports = _reports(store, matches, article)
    out: dict[int, URIRef] = {}
    for i, m in enumerate(matches):
        fits = [r for r in reports if compatible(m, r)]
        if not fits:
            continue
        best = min(fits, key=lambda r: (abs((m.date - r.day).days), r.home != m.home, r.match))
        if URIRef(best.match) != match_iri(m, article):
            out[i] = URIRef(best.match)
    return out
