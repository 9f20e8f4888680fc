"""Extraction results -> rdflib triples, in the shape ``shared/spec/vocabulary.md`` fixes.

Everything here is deterministic: IRIs are hashes of what is stated and where,
there are no blank nodes and no wall-clock times, so the same article always
gives the same graph.
"""

from __future__ import annotations

import functools
import hashlib
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

import kg
from kg.catalog import Catalog
from kg.model import Claim, Extraction, Match, Quote, Span
from kg.rdfterms import term_text
from kg.rules import REGISTRY, load_rules, ruleset_version
from kg.vocab import FK, FKA, FKC, FKE, RULE, SCHEMA

ASSERTING = ("Asserted", "Past")
PREFIXES = {
    "fk": str(FK), "fke": str(FKE), "fka": str(FKA), "fkc": str(FKC), "fkr": str(RULE),
    "fkg": "https://w3id.org/footkg/graph/",
    "schema": str(SCHEMA), "prov": str(PROV), "skos": str(SKOS), "owl": str(OWL),
    "xsd": str(XSD), "rdfs": str(RDFS), "rdf": str(RDF),
}
WIKIDATA = "http://www.wikidata.org/entity/"


def bind_prefixes(g) -> None:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)


def _h(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=65536)
def ent(slug: str) -> URIRef:
    """An entity's IRI (cached: a batch names the same few thousand entities over and over)."""
    return FKE[slug]


def source_file(path: str) -> str:
    """The absolute path an article was read from, as recorded by ``fk:sourceFile``."""
    return str(Path(path).resolve())


def span_iri(article: str, span: Span) -> URIRef:
    return FKC[f"span-{_h(article, span.start, span.end)}"]


def claim_iri(article: str, c: Claim) -> URIRef:
    return FKC[f"c-{_h(article, c.subject, c.predicate, c.obj, c.value, c.modality, c.span.start, c.span.end)}"]


def match_iri(m: Match, article: str) -> URIRef:
    """A match is one real-world event: its IRI is its two teams and its day (home then
    away as reported; in slug order when the text does not say who was at home), so every
    article reporting it names the same node. A match with no date at all (neither the
    text nor the article gives one) stays local to its article and span."""
    if m.date is None:
        return FKC[f"m-{_h(article, m.home, m.away, m.span.start)}"]
    home, away = (m.home, m.away) if m.home_known else sorted((m.home, m.away))
    return FKC[f"m-{_h(home, away, m.date.isoformat())}"]


class _Builder:
    """Collects an article's triples (rdflib terms) in a plain list: an rdflib Graph is
    made only for the callers that want one (indexing each triple cost more than
    building it)."""

    def __init__(self, ex: Extraction, catalog: Catalog, content_hash: str | None = None,
                 match_iris: dict[int, URIRef] | None = None):
        self.ex, self.catalog, self.content_hash = ex, catalog, content_hash
        self.match_iris = match_iris or {}
        self.a = URIRef(ex.article.iri)
        self.triples: list[tuple] = []
        self.add = lambda s, p, o: self.triples.append((s, p, o))
        self.narrator = ent(ex.article.outlet) if ex.article.outlet else self.a

    def span(self, span: Span) -> URIRef:
        node = span_iri(self.a, span)
        self.add(node, RDF.type, FK.TextSpan)
        self.add(node, FK.start, Literal(span.start))
        self.add(node, FK.end, Literal(span.end))
        self.add(node, FK.exact, Literal(self.ex.article.text[span.start:span.end]))
        return node

    def article(self) -> None:
        art, a = self.ex.article, self.a
        self.add(a, RDF.type, FK.Article)
        if art.url:
            self.add(a, SCHEMA.url, URIRef(art.url))
        if art.published:
            self.add(a, SCHEMA.datePublished, Literal(art.published.isoformat(), datatype=XSD.date))
        if art.outlet:
            self.add(a, SCHEMA.publisher, ent(art.outlet))
        elif art.path and not art.path.startswith("<"):
            # no url: the file it was read from is its identity across edits (kg.pipeline.ingest)
            self.add(a, FK.sourceFile, Literal(source_file(art.path)))
        if self.content_hash:
            self.add(a, FK.contentHash, Literal(self.content_hash))
        self.add(a, SCHEMA.inLanguage, Literal("he"))
        self.add(a, FK.text, Literal(art.text, lang="he"))
        for slug in self.ex.entities:
            self.add(a, FK.mentions, ent(slug))
        load_rules()
        version = ruleset_version()
        run = FKC[f"run-{_h(a, kg.__version__, version)}"]
        self.add(a, PROV.wasGeneratedBy, run)
        self.add(run, RDF.type, FK.IngestRun)
        self.add(run, FK.toolVersion, Literal(f"footkg {kg.__version__}"))
        self.add(run, FK.ruleSetVersion, Literal(version))
        self.add(run, PROV.used, URIRef(art.url) if art.url else a)
        for m in self.ex.mentions:
            if m.entity is None and m.candidates:
                node = FKC[f"amb-{_h(a, m.span.start, m.span.end)}"]
                self.add(node, RDF.type, FK.AmbiguousMention)
                self.add(node, FK.statedIn, a)
                self.add(node, FK.evidence, self.span(m.span))
                for c in m.candidates:
                    self.add(node, FK.candidate, ent(c))

    def claim(self, c: Claim) -> None:
        node = claim_iri(self.a, c)
        pred = FK[c.predicate]
        self.add(node, RDF.type, FK.Claim)
        self.add(node, FK.subject, ent(c.subject))
        self.add(node, FK.predicate, pred)
        obj = ent(c.obj) if c.obj else Literal(c.value, lang="he")
        self.add(node, FK.object if c.obj else FK.objectValue, obj)
        self.add(node, FK.modality, FK[c.modality])
        for key, value in c.qualifiers:
            if key == "season":
                self.add(node, FK.season, Literal(value))
            elif key == "from":
                self.add(node, FK.fromClub, ent(value))
            elif key in ("fee", "contractUntil"):
                self.add(node, FK[key], Literal(value, lang="he"))
        self.add(node, FK.claimedBy, ent(c.speaker) if c.speaker else self.narrator)
        self.add(node, FK.statedIn, self.a)
        self.add(node, FK.evidence, self.span(c.span))
        self.add(node, FK.extractedBy, URIRef(REGISTRY[c.rule].iri))
        self.add(node, FK.confidence, Literal(Decimal(str(c.confidence)), datatype=XSD.decimal))
        if c.modality in ASSERTING:
            self.add(ent(c.subject), pred, obj)

    def quote(self, q: Quote) -> None:
        node = FKC[f"q-{_h(self.a, q.span.start, q.span.end)}"]
        self.add(node, RDF.type, FK.Quote)
        if q.speaker:
            self.add(node, FK.speaker, ent(q.speaker))
        elif q.speaker_name:
            self.add(node, FK.speakerName, Literal(q.speaker_name))
            if q.speaker_role:
                self.add(node, FK.speakerRole, Literal(q.speaker_role, lang="he"))
        self.add(node, FK.text, Literal(q.text, lang="he"))
        for slug in q.mentions:
            self.add(node, FK.mentions, ent(slug))
        self.add(node, FK.statedIn, self.a)
        self.add(node, FK.evidence, self.span(q.span))
        self.add(node, FK.extractedBy, URIRef(f"{RULE}{q.rule}"))

    def match(self, index: int, m: Match) -> None:
        # the stored match this report joins (kg.events), else its own teams and day
        node = self.match_iris.get(index) or match_iri(m, self.a)
        self.add(node, RDF.type, FK.Match)
        self.add(node, FK.homeTeam, ent(m.home))
        self.add(node, FK.awayTeam, ent(m.away))
        self.add(node, FK.homeScore, Literal(m.home_score))
        self.add(node, FK.awayScore, Literal(m.away_score))
        self.add(node, FK.homeKnown, Literal(m.home_known))
        for prop, value in ((FK.competition, m.competition), (FK.venue, m.venue), (FK.referee, m.referee)):
            if value:
                self.add(node, prop, ent(value))
        if m.round is not None:
            self.add(node, FK.round, Literal(m.round))
        if m.attendance is not None:
            self.add(node, FK.attendance, Literal(m.attendance))
        if m.date:
            self.add(node, FK.date, Literal(m.date.isoformat(), datatype=XSD.date))
        # goals and red cards are this report's (their IRIs hold the article): a match
        # reported twice has each report's list, which queries compare, never add up
        for i, goal in enumerate(m.goals):
            g = FKC[f"g-{_h(self.a, node, i, goal.scorer, goal.minute)}"]
            self.add(node, FK.goal, g)
            self.add(g, RDF.type, FK.Goal)
            for prop, value in ((FK.scorer, goal.scorer), (FK.team, goal.team), (FK.assist, goal.assist)):
                if value:
                    self.add(g, prop, ent(value))
            if goal.minute is not None:
                self.add(g, FK.minute, Literal(goal.minute))
            self.add(g, FK.penalty, Literal(goal.penalty))
            self.add(g, FK.ownGoal, Literal(goal.own_goal))
        for i, (player, minute) in enumerate(m.red_cards):
            r = FKC[f"r-{_h(self.a, node, i, player, minute)}"]
            self.add(node, FK.redCard, r)
            self.add(r, RDF.type, FK.RedCard)
            self.add(r, FK.player, ent(player))
            if minute is not None:
                self.add(r, FK.minute, Literal(minute))
        self.add(node, FK.statedIn, self.a)
        self.add(node, FK.evidence, self.span(m.span))
        self.add(node, FK.extractedBy, URIRef(f"{RULE}{m.rule}"))


def article_triples(ex: Extraction, catalog: Catalog, content_hash: str | None = None,
                    match_iris: dict[int, URIRef] | None = None) -> list[tuple]:
    """The triples of the article's named graph: article node, claims, quotes, matches, spans
    (and the hash of the file's bytes, when given). ``match_iris``: for a match (its index
    in ``ex.matches``) already stored from another article, that match's IRI
    (kg.events.stored_matches)."""
    b = _Builder(ex, catalog, content_hash, match_iris)
    b.article()
    for c in ex.claims:
        b.claim(c)
    for q in ex.quotes:
        b.quote(q)
    for i, m in enumerate(ex.matches):
        b.match(i, m)
    return b.triples


def article_graph(ex: Extraction, catalog: Catalog, match_iris: dict[int, URIRef] | None = None) -> Graph:
    """The article's named graph as an rdflib Graph."""
    g = Graph(identifier=URIRef(ex.article.iri), bind_namespaces="none")
    bind_prefixes(g)
    for triple in article_triples(ex, catalog, match_iris=match_iris):
        g.add(triple)
    return g


def ntriples(triples) -> str:
    """Triples as N-Triples lines (also SPARQL ``INSERT DATA`` syntax), sorted, no duplicates."""
    iris: dict[URIRef, str] = {}

    def text(t) -> str:
        if type(t) is URIRef:
            found = iris.get(t)
            if found is None:
                found = iris[t] = t.n3()
            return found
        return term_text(t)

    return "".join(sorted({f"{text(s)} {text(p)} {text(o)} .\n" for s, p, o in triples}))


def entity_slugs(triples) -> set[str]:
    """Slugs of the catalogue entities triples refer to."""
    prefix = str(FKE)
    return {str(t)[len(prefix):] for triple in triples for t in triple
            if isinstance(t, URIRef) and t.startswith(prefix)}


def catalog_graph(catalog: Catalog, slugs) -> Graph:
    """Descriptions of the given entities, and the background facts among them."""
    from kg.vocab import CATALOG_GRAPH

    g = Graph(identifier=CATALOG_GRAPH, bind_namespaces="none")
    bind_prefixes(g)
    for triple in catalog_triples(catalog, slugs):
        g.add(triple)
    return g


def catalog_triples(catalog: Catalog, slugs, known=frozenset()):
    """What the catalogue graph gains when entities ``slugs`` join the ``known`` ones
    (already described): the descriptions of the new ones and the background facts
    between two described entities of which one is new. With nothing known: the
    catalogue graph of ``slugs``."""
    new = {s for s in slugs if s in catalog} - set(known)
    chosen = new | set(known)
    incoming = _facts_to(catalog)
    facts = set()
    for slug in new:
        facts |= {(slug, prop, obj) for prop, obj in catalog[slug].facts if obj in chosen}
        facts |= {(subj, prop, slug) for subj, prop in incoming.get(slug, ()) if subj in chosen}
    for slug in sorted(new):
        yield from _description(catalog[slug], ent(slug))
    for subj, prop, obj in sorted(facts):
        yield from _fact(catalog[subj], subj, prop, obj)


_INCOMING: dict[int, tuple[Catalog, dict]] = {}


def _facts_to(catalog: Catalog) -> dict[str, list[tuple[str, str]]]:
    """For each entity, the (subject, property) of the catalogue facts that name it."""
    cached = _INCOMING.get(id(catalog))
    if cached is None or cached[0] is not catalog:
        index: dict[str, list[tuple[str, str]]] = {}
        for e in catalog.entities.values():
            for prop, obj in e.facts:
                index.setdefault(obj, []).append((e.slug, prop))
        cached = _INCOMING[id(catalog)] = (catalog, index)
    return cached[1]


def _description(e, node):
    yield node, RDF.type, FK[e.type]
    yield node, RDFS.label, Literal(e.he, lang="he")
    yield node, RDFS.label, Literal(e.en, lang="en")
    for alias in (*e.alt_he, *(f"ה{n}" for n in e.nick_he), *e.demonym_he):
        yield node, SKOS.altLabel, Literal(alias, lang="he")
    for alias in e.alt_en:
        yield node, SKOS.altLabel, Literal(alias, lang="en")
    if e.wikidata:
        yield node, OWL.sameAs, URIRef(WIKIDATA + e.wikidata)


def _fact(e, slug: str, prop: str, obj: str):
    node = ent(slug)
    yield node, FK[prop], ent(obj)
    for start, end in e.periods.get((prop, obj), ((None, None),)):
        # one catalogue fact a spell (a second spell at a club is another fact)
        key = (slug, prop, obj) if start is None and end is None else (slug, prop, obj, start, end)
        fact = FKC[f"cf-{_h(*key)}"]
        yield fact, RDF.type, FK.CatalogFact
        yield fact, FK.subject, node
        yield fact, FK.predicate, FK[prop]
        yield fact, FK.object, ent(obj)
        if start:
            yield fact, FK.validFrom, Literal(start.isoformat(), datatype=XSD.date)
        if end:
            yield fact, FK.validUntil, Literal(end.isoformat(), datatype=XSD.date)
        if e.as_of:
            yield fact, FK.asOf, Literal(e.as_of)
        if e.source:
            yield fact, FK.source, Literal(e.source)
