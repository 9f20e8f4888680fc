"""The RDF graph -> a networkx projection (and its GraphML/GEXF export).

The projection is a ``MultiDiGraph``. Nodes are entity slugs with ``type``,
``he``/``en``/``alt`` labels, ``articles`` (how many articles mention them)
and ``dates`` (the distinct publication dates of those articles). Edges carry
``kind`` and ``relation`` and a list of ``evidence`` records (text, speaker,
article, url, date, modality); one edge per kind of link:

- ``claim``: ``fk:Claim`` subject -> object, one edge per (relation, modality);
- ``quote``: speaker -> an entity the quote mentions (relation ``speaksAbout``);
- ``comention`` (optional): two entities named in one quote or one sentence,
  ``articles`` = how many articles do so (relation ``mentionedWith``);
- ``background``: a curated fact from the catalogue graph, no article behind it.
  A claim edge that the catalogue confirms keeps ``background`` = its source.

Paths (``kg.analysis``) prefer evidence in that order: claims, then quotes,
then co-mentions, then background facts (see ``cost``).
"""

from __future__ import annotations

import io
import itertools
import logging
import re
from collections import Counter, defaultdict

import networkx as nx

from kg.errors import ExportError
from kg.vocab import CATALOG_GRAPH

log = logging.getLogger(__name__)

ASSERTING = frozenset({"Asserted", "Past"})
HIDDEN_TYPES = frozenset({"Outlet"})   # outlets speak (narration); they are not nodes
KINDS = ("claim", "quote", "comention", "background")
COST = {"claim": 1.0, "claim?": 1.5, "claim-": 1.75,   # asserted/past, desired/planned/possible, negated
        "quote": 2.0, "comention-quote": 2.5, "comention": 3.0, "background": 3.5}

_P = """PREFIX fk: <https://w3id.org/footkg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_CAT = CATALOG_GRAPH.n3()
ENTITIES = _P + f"""SELECT ?e ?type ?label ?alt WHERE {{ GRAPH {_CAT} {{
  ?e a ?type . FILTER(STRSTARTS(STR(?type), STR(fk:)))
  {{ ?e rdfs:label ?label }} UNION {{ ?e skos:altLabel ?alt }} }} }}"""
ARTICLES = _P + """SELECT ?a ?date ?url ?publisher WHERE { GRAPH ?a { ?a a fk:Article .
  OPTIONAL { ?a schema:datePublished ?date } OPTIONAL { ?a schema:url ?url }
  OPTIONAL { ?a schema:publisher ?publisher } } }"""
MENTIONS = _P + "SELECT ?a ?e WHERE { GRAPH ?a { ?a a fk:Article ; fk:mentions ?e } }"
CLAIMS = _P + """SELECT ?c ?a ?s ?p ?o ?modality ?by ?exact WHERE { GRAPH ?a {
  ?c a fk:Claim ; fk:subject ?s ; fk:predicate ?p ; fk:object ?o ; fk:modality ?modality .
  OPTIONAL { ?c fk:claimedBy ?by } OPTIONAL { ?c fk:evidence/fk:exact ?exact } } }"""
QUOTES = _P + """SELECT ?q ?a ?speaker ?m ?exact WHERE { GRAPH ?a { ?q a fk:Quote .
  OPTIONAL { ?q fk:speaker ?speaker } OPTIONAL { ?q fk:mentions ?m }
  OPTIONAL { ?q fk:evidence/fk:exact ?exact } } }"""
FACTS = _P + f"""SELECT ?s ?p ?o ?asOf ?source WHERE {{ GRAPH {_CAT} {{
  ?f a fk:CatalogFact ; fk:subject ?s ; fk:predicate ?p ; fk:object ?o .
  OPTIONAL {{ ?f fk:asOf ?asOf }} OPTIONAL {{ ?f fk:source ?source }} }} }}"""
TEXTS = _P + "SELECT ?a ?text WHERE { GRAPH ?a { ?a a fk:Article ; fk:text ?text } }"


def local(iri) -> str:
    return str(iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _s(row, key) -> str:
    return str(row[key]) if row.get(key) is not None else ""


# -- the projection ----------------------------------------------------------

def project(store, *, since: str | None = None, until: str | None = None,
            comentions: bool = False, background: bool = True) -> nx.MultiDiGraph:
    """The store as a networkx graph of entities; ``since``/``until`` (ISO dates,
    inclusive) keep only articles published in that range."""
    g = nx.MultiDiGraph(since=since or "", until=until or "")
    entities = _entities(store)
    g.graph["labels"] = {s: {"he": d["he"], "en": d["en"]} for s, d in entities.items()}
    articles = _articles(store, since, until)
    counts, dates = Counter(), defaultdict(set)
    for row in store.query(MENTIONS).rows:
        art = articles.get(str(row["a"]))
        if art is not None:
            slug = local(row["e"])
            counts[slug] += 1
            dates[slug].add(art["date"])
    for slug, d in sorted(entities.items()):
        if d["type"] not in HIDDEN_TYPES and (counts[slug] or not (since or until)):
            g.add_node(slug, **d, articles=counts[slug], dates=sorted(x for x in dates[slug] if x))
    _add_claims(g, store, articles)
    quotes = _quotes(store, articles)
    _add_quotes(g, quotes, articles)
    if background:
        _add_facts(g, store)
    if comentions:
        _add_comentions(g, store, articles, quotes)
    _finish(g)
    log.debug("projection: %d entities, %d links", g.number_of_nodes(), g.number_of_edges())
    return g


def _entities(store) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for row in store.query(ENTITIES).rows:
        d = out.setdefault(local(row["e"]), {"type": local(row["type"]), "he": "", "en": "", "alt": []})
        if row.get("label") is not None:
            d[row["label"].language or "en"] = str(row["label"])
        if row.get("alt") is not None:
            d["alt"].append(str(row["alt"]))
    for slug, d in out.items():
        d["he"] = d["he"] or d["en"] or slug
        d["en"] = d["en"] or slug
        d["alt"] = sorted(set(d["alt"]) - {d["he"], d["en"]})
    return out


def _articles(store, since, until) -> dict[str, dict]:
    out = {}
    for row in store.query(ARTICLES).rows:
        date = _s(row, "date")[:10]
        if (since or until) and not (date and (not since or date >= since) and (not until or date <= until)):
            continue
        url = _s(row, "url")
        out[str(row["a"])] = {"date": date, "url": url if url.startswith(("http://", "https://")) else "",
                              "publisher": local(row["publisher"]) if row.get("publisher") else ""}
    return out


def _node(g, slug: str) -> str:
    if slug not in g:
        lab = g.graph["labels"].get(slug, {"he": slug, "en": slug})
        g.add_node(slug, type="", he=lab["he"], en=lab["en"], alt=[], articles=0, dates=[])
    return slug


def _evidence(g, u, v, key, attrs: dict, ev: dict) -> None:
    _node(g, u), _node(g, v)
    if not g.has_edge(u, v, key):
        g.add_edge(u, v, key=key, **attrs, evidence=[])
    g.edges[u, v, key]["evidence"].append(ev)


def _record(kind, text, speaker, article, art, modality="", quoted=False) -> dict:
    return {"kind": kind, "text": text, "speaker": speaker, "article": article,
            "url": art["url"], "date": art["date"], "modality": modality, "quoted": quoted}


def _add_claims(g, store, articles) -> None:
    seen = set()
    for row in store.query(CLAIMS).rows:
        a, c = str(row["a"]), str(row["c"])
        if a not in articles or c in seen:
            continue
        seen.add(c)
        s, o, rel, mod = local(row["s"]), local(row["o"]), local(row["p"]), local(row["modality"])
        speaker = local(row["by"]) if row.get("by") is not None else articles[a]["publisher"]
        _evidence(g, s, o, f"claim:{rel}:{mod}", {"kind": "claim", "relation": rel, "modality": mod},
                  _record("claim", _s(row, "exact"), speaker, a, articles[a], mod))


def _quotes(store, articles) -> list[dict]:
    quotes: dict[str, dict] = {}
    for row in store.query(QUOTES).rows:
        a = str(row["a"])
        if a not in articles:
            continue
        q = quotes.setdefault(str(row["q"]), {"article": a, "speaker": "", "mentions": set(), "text": ""})
        if row.get("speaker") is not None:
            q["speaker"] = local(row["speaker"])
        if row.get("m") is not None:
            q["mentions"].add(local(row["m"]))
        q["text"] = q["text"] or _s(row, "exact")
    return [quotes[k] for k in sorted(quotes)]


def _add_quotes(g, quotes, articles) -> None:
    for q in quotes:
        if not q["speaker"]:
            continue
        for m in sorted(q["mentions"] - {q["speaker"]}):
            _evidence(g, q["speaker"], m, "quote", {"kind": "quote", "relation": "speaksAbout", "modality": ""},
                      _record("quote", q["text"], q["speaker"], q["article"], articles[q["article"]], quoted=True))


def _add_facts(g, store) -> None:
    for row in store.query(FACTS).rows:
        s, o, rel = local(row["s"]), local(row["o"]), local(row["p"])
        if s not in g or o not in g:
            continue
        source = ", ".join(x for x in (_s(row, "source"), _s(row, "asOf") and f"as of {_s(row, 'asOf')}") if x)
        for mod in sorted(ASSERTING):
            if g.has_edge(s, o, f"claim:{rel}:{mod}"):
                g.edges[s, o, f"claim:{rel}:{mod}"]["background"] = source or "catalogue"
                break
        else:
            ev = {"kind": "background", "text": "", "speaker": "", "article": str(CATALOG_GRAPH),
                  "url": "", "date": "", "modality": "", "quoted": False, "source": source or "catalogue"}
            _evidence(g, s, o, f"background:{rel}", {"kind": "background", "relation": rel, "modality": ""}, ev)


def _add_comentions(g, store, articles, quotes) -> None:
    """Pairs named in one quote (speaker kept) or one sentence (the outlet narrates)."""
    for q in quotes:
        for u, v in itertools.combinations(sorted(q["mentions"] & set(g)), 2):
            _comention(g, u, v, _record("comention", q["text"], q["speaker"], q["article"],
                                            articles[q["article"]], quoted=True))
    quoted = defaultdict(list)
    for q in quotes:
        quoted[q["article"]].append(q["text"])
    for a, pairs in sorted(sentence_comentions(store, articles).items()):
        for (u, v), text in pairs:
            inside = any(text.strip('"״ ') in t for t in quoted[a])   # the quote already speaks for it
            if u in g and v in g and not inside:
                _comention(g, u, v, _record("comention", text, articles[a]["publisher"], a, articles[a]))


def _comention(g, u, v, ev) -> None:
    key_attrs = {"kind": "comention", "relation": "mentionedWith", "modality": ""}
    if g.has_edge(u, v, "comention"):
        known = g.edges[u, v, "comention"]["evidence"]
        if any(e["text"] == ev["text"] and e["article"] == ev["article"] for e in known):
            return
    _evidence(g, u, v, "comention", key_attrs, ev)


def sentence_comentions(store, articles) -> dict[str, list]:
    """article IRI -> [((slug, slug), sentence text)], found again with the catalogue's matcher."""
    from kg.catalog import default_catalog
    from kg.extract import build_context
    from kg.mentions import matcher_for
    from kg.model import Article
    from kg.normalize import normalize

    catalog = default_catalog()
    matcher = matcher_for(catalog)
    out: dict[str, list] = {}
    for row in store.query(TEXTS).rows:
        a, text = str(row["a"]), str(row["text"])
        if a not in articles:
            continue
        norm = normalize(text)
        art = Article(path=a, text=text, url=None, published=None, iri=a, outlet=None)
        ctx = build_context(art, norm, catalog, matcher.match(norm, text))
        for sent in ctx.sentences:
            ents = sorted({m.entity for m in sent.mentions() if m.entity})
            if len(ents) > 1:
                span = ctx.raw(sent.start, sent.end)
                sentence = text[span.start:span.end].strip()
                out.setdefault(a, []).extend((pair, sentence) for pair in itertools.combinations(ents, 2))
    return out


def _finish(g) -> None:
    """Counts, speakers, sources and first/last date on every edge; evidence in a stable order."""
    for _, _, d in g.edges(data=True):
        ev = sorted(d["evidence"], key=lambda e: (not e["quoted"], e["date"], e["article"], e["text"]))
        d["evidence"] = ev
        dates = sorted({e["date"] for e in ev if e["date"]})
        d["claims"] = len(ev)
        d["articles"] = len({e["article"] for e in ev})
        d["speakers"] = sorted({e["speaker"] for e in ev if e["speaker"]})
        d["sources"] = sorted({e["url"] or e["article"] for e in ev})
        d["dates"], d["first"], d["last"] = dates, dates[0] if dates else "", dates[-1] if dates else ""
        d.setdefault("background", "")
        d["cost"] = cost(d)


def cost(d: dict) -> float:
    """How much a hop over this edge costs: claims < quotes < co-mentions < background facts."""
    if d["kind"] == "claim":
        if d["modality"] in ASSERTING:
            return COST["claim"]
        return COST["claim-"] if d["modality"] == "Negated" else COST["claim?"]
    if d["kind"] == "comention":
        return COST["comention-quote"] if any(e["quoted"] for e in d["evidence"]) else COST["comention"]
    return COST[d["kind"]]


# -- export ---------------------------------------------------------------------

def flat(g) -> nx.MultiDiGraph:
    """The projection with scalar attributes only (GraphML and GEXF take no lists)."""
    h = nx.MultiDiGraph()
    for s, d in g.nodes(data=True):
        h.add_node(s, label=d["en"], he=d["he"], en=d["en"], type=d["type"], articles=d["articles"],
                   alt="; ".join(d["alt"]), first=d["dates"][0] if d["dates"] else "",
                   last=d["dates"][-1] if d["dates"] else "")
    for u, v, key, d in g.edges(keys=True, data=True):
        first = d["evidence"][0] if d["evidence"] else {}
        h.add_edge(u, v, key=key, kind=d["kind"], relation=d["relation"], modality=d["modality"],
                   claims=d["claims"], articles=d["articles"], weight=float(d["claims"]),
                   speakers="; ".join(d["speakers"]), sources="; ".join(d["sources"]),
                   first=d["first"], last=d["last"], background=d["background"],
                   evidence=first.get("text") or first.get("source", ""))
    return h


def export_projection(g, fmt: str, path) -> int:
    """GraphML or GEXF of the projection, written atomically; returns the size in bytes."""
    from kg.export import atomic_write

    writers = {"graphml": nx.write_graphml, "gexf": nx.write_gexf}
    if fmt not in writers:
        raise ExportError(f"unknown projection format {fmt!r} (graphml or gexf)")
    buf = io.BytesIO()
    writers[fmt](flat(g), buf, encoding="utf-8")
    data = re.sub(rb' lastmodifieddate="[^"]*"', b"", buf.getvalue(), count=1)   # byte-stable
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror}") from exc
    return len(data)
