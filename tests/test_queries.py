"""Named queries on the desk fixture (tests/fixtures/desk.yaml): the exact rows each
must return, parameter binding, entity resolution, the SPARQL lexer, output formats
and the ``kg query`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.catalog import Catalog
from kg.cli import cli
from kg.errors import QueryError
from kg.output import render, short
from kg.queries import (bind, load_query, named_queries, query_form, remote_calls,
                        resolve_entity, run, tokens, values_offset)
from kg.store import open_store
from kg.vocab import FKA
from kg.validate import report_groups
from tests.fixtures.desk_graph import graphs, load_desk

NO_CATALOG = Catalog({}, {})   # entities resolve through the store's labels only
A1, A2, A3 = "fka:one-900001", "fka:sport5-900002", "fka:ynet-900003"
A4, A5, A6 = "fka:one-900004", "fka:sport5-900005", "fka:ynet-900006"
MH, MTA, BJ, HBS = "fke:maccabi-haifa", "fke:maccabi-tel-aviv", "fke:beitar-jerusalem", "fke:hapoel-beer-sheva"
OMER, IDO, NIR, AVI = "fke:omer-shalev", "fke:ido-barak", "fke:nir-golan", "fke:avi-mizrahi"
YOSSI, ERAN, MESSI = "fke:yossi-ben-david", "fke:eran-tal", "fke:lionel-messi"
IPL = "fke:israeli-premier-league"
MOVE = "fk:transferredTo"
URL2, URL3, URL5 = ("https://www.sport5.co.il/articles.aspx?id=900002",
                    "https://www.ynet.co.il/sport/article/900003",
                    "https://www.sport5.co.il/articles.aspx?id=900005")

# name, parameters, expected rows (cells as kg.output.short writes them, in the query's order)
CASES = [
    ("quotes-by-speaker", {"speaker": "ניר גולן"}, [
        (NIR, "ניר גולן", "עידו ברק הוא שחקן מצוין, אבל הוא לא בתוכניות שלנו", A5, "2026-01-26"),
        (NIR, "ניר גולן", "עומר הוא בדיוק השחקן שחסר לנו בהתקפה", A1, "2026-01-05")]),
    ("quotes-about", {"entity": "omer-shalev"}, [
        (NIR, "ניר גולן", "עומר הוא בדיוק השחקן שחסר לנו בהתקפה", A1, "2026-01-05")]),
    ("claims-about", {"entity": "עידו ברק"}, [
        (IDO, "fk:injured", "פציעה בברך", "fk:Asserted", "fke:sport5", A5, URL5, "2026-01-26", "הפציעה בברך"),
        (IDO, MOVE, HBS, "fk:Planned", "fke:sport5", A5, URL5, "2026-01-26",
         "הפועל באר שבע מתכננת להחתים את עידו ברק"),
        (IDO, "fk:playsFor", BJ, "fk:Asserted", "fke:ynet", A3, URL3, "2026-01-10", 'עידו ברק מבית"ר ירושלים'),
        (IDO, MOVE, MTA, "fk:Possible", "fke:ynet", A3, URL3, "2026-01-10",
         'עידו ברק מבית"ר ירושלים עשוי לעבור למכבי תל אביב')]),
    ("claim-first-reported", {}, [
        (AVI, "fk:headCoachOf", MTA, "first", "2026-01-08", "fke:sport5", "fk:Asserted", A2),
        (AVI, "fk:headCoachOf", MTA, "repeat", "2026-01-18", "fke:one", "fk:Asserted", A4),
        (NIR, "fk:headCoachOf", MH, "first", "2026-01-05", "fke:one", "fk:Asserted", A1),
        (NIR, "fk:headCoachOf", MH, "repeat", "2026-01-08", "fke:sport5", "fk:Asserted", A2),
        (OMER, MOVE, MH, "first", "2026-01-05", "fke:one", "fk:Planned", A1),
        (OMER, MOVE, MH, "repeat", "2026-01-08", "fke:sport5", "fk:Asserted", A2)]),
    ("claim-first-reported", {"entity": "Avi Mizrahi"}, [
        (AVI, "fk:headCoachOf", MTA, "first", "2026-01-08", "fke:sport5", "fk:Asserted", A2),
        (AVI, "fk:headCoachOf", MTA, "repeat", "2026-01-18", "fke:one", "fk:Asserted", A4)]),
    ("conflicting-claims", {}, [
        ("asserted vs negated", OMER, MOVE, MH, "fk:Asserted", "2026-01-08", A2,
         MH, "fk:Negated", "2026-01-10", A3),
        ("two clubs", IDO, MOVE, MTA, "fk:Possible", "2026-01-10", A3,
         HBS, "fk:Planned", "2026-01-26", A5)]),
    ("conflicting-claims", {"entity": "omer-shalev"}, [
        ("asserted vs negated", OMER, MOVE, MH, "fk:Asserted", "2026-01-08", A2,
         MH, "fk:Negated", "2026-01-10", A3)]),
    ("player-clubs", {"player": "Omer Shalev"}, [
        ("", "fk:formerPlayerOf", BJ, 'בית"ר ירושלים', "", "", "", "2025-26"),
        ("2026-01-08", MOVE, MH, "מכבי חיפה", "", "fk:Asserted", A2, "")]),
    ("club-coaches", {"club": 'מכבי ת"א'}, [
        (AVI, "אבי מזרחי", "fk:appointedBy", "2026-01-08", "2026-01-08", "1"),
        (AVI, "אבי מזרחי", "fk:headCoachOf", "2026-01-08", "2026-01-18", "2"),
        (NIR, "ניר גולן", "fk:formerHeadCoachOf", "2026-01-10", "2026-01-10", "1")]),
    ("club-results", {"club": "maccabi-haifa"}, [
        ("2026-01-17", IPL, MH, MTA, "3", "1", "W", "2"),
        ("2026-01-25", IPL, HBS, MH, "0", "2", "W", "1")]),
    ("club-results", {"club": "maccabi-tel-aviv"}, [
        ("2026-01-17", IPL, MH, MTA, "3", "1", "L", "2")]),
    ("top-scorers", {}, [
        (OMER, "עומר שלו", "3", "2"), (YOSSI, "יוסי בן דוד", "2", "2"), (ERAN, "ערן טל", "1", "1")]),
    ("top-scorers", {"competition": "ליגת העל", "from": "2026-01-20"}, [
        (OMER, "עומר שלו", "1", "1"), (YOSSI, "יוסי בן דוד", "1", "1")]),
    ("most-mentioned", {"from": "2026-01-06", "to": "2026-01-20", "type": "Person"}, [
        (OMER, "fk:Person", "עומר שלו", "Omer Shalev", "4"),
        (AVI, "fk:Person", "אבי מזרחי", "Avi Mizrahi", "2"),
        (NIR, "fk:Person", "ניר גולן", "Nir Golan", "2"),
        (ERAN, "fk:Person", "ערן טל", "Eran Tal", "1"),
        (IDO, "fk:Person", "עידו ברק", "Ido Barak", "1"),
        (MESSI, "fk:Person", "ליאו מסי", "Lionel Messi", "1"),
        (YOSSI, "fk:Person", "יוסי בן דוד", "Yossi Ben David", "1")]),
    ("co-mentioned", {"entity": "nir-golan"}, [
        (MH, "fk:Club", "מכבי חיפה", "Maccabi Haifa", "4"),
        (OMER, "fk:Person", "עומר שלו", "Omer Shalev", "4"),
        (BJ, "fk:Club", 'בית"ר ירושלים', "Beitar Jerusalem", "2"),
        (IDO, "fk:Person", "עידו ברק", "Ido Barak", "2"),
        (MTA, "fk:Club", "מכבי תל אביב", "Maccabi Tel Aviv", "2"),
        (AVI, "fk:Person", "אבי מזרחי", "Avi Mizrahi", "1"),
        (HBS, "fk:Club", "הפועל באר שבע", "Hapoel Beer Sheva", "1"),
        (MESSI, "fk:Person", "ליאו מסי", "Lionel Messi", "1"),
        (YOSSI, "fk:Person", "יוסי בן דוד", "Yossi Ben David", "1")]),
    ("articles-mentioning-both", {"x": "ido-barak", "y": "מכבי חיפה"}, [
        (A5, "2026-01-26", URL5, "fke:sport5"),
        (A3, "2026-01-10", URL3, "fke:ynet")]),
    ("transfers", {"from": "2026-01-06", "to": "2026-01-31"}, [
        ("2026-01-08", OMER, MOVE, MH, "", "fk:Asserted", "fke:sport5", A2),
        ("2026-01-10", IDO, MOVE, MTA, BJ, "fk:Possible", "fke:ynet", A3),
        ("2026-01-10", OMER, MOVE, MH, "", "fk:Negated", "fke:ynet", A3),
        ("2026-01-26", IDO, MOVE, HBS, "", "fk:Planned", "fke:sport5", A5)]),
    ("transfers", {"club": "Hapoel Beer Sheva"}, [
        ("2026-01-26", IDO, MOVE, HBS, "", "fk:Planned", "fke:sport5", A5)]),
    ("unconfirmed-rumours", {}, [
        ("2026-01-10", IDO, MOVE, MTA, "fk:Possible", "fke:ynet", A3),
        ("2026-01-26", IDO, MOVE, HBS, "fk:Planned", "fke:sport5", A5)]),
    ("claims-by-rule", {"rule": "transfer-rumour.v1"}, [
        ("2026-01-05", A1, OMER, MOVE, MH, "fk:Planned", "0.7", 'מכבי חיפה מתקרבת להחתמת עומר שלו מבית"ר ירושלים'),
        ("2026-01-10", A3, IDO, MOVE, MTA, "fk:Possible", "0.6", 'עידו ברק מבית"ר ירושלים עשוי לעבור למכבי תל אביב'),
        ("2026-01-26", A5, IDO, MOVE, HBS, "fk:Planned", "0.7", "הפועל באר שבע מתכננת להחתים את עידו ברק")]),
    ("rules-summary", {}, [
        ("fkr:coach-role.v1", "4", "4", "0.85"),
        ("fkr:transfer-rumour.v1", "3", "3", "0.666666666666666666"),
        ("fkr:coach-appointed.v1", "2", "1", "0.9"),
        ("fkr:transfer-signed.v1", "2", "2", "0.85"),
        ("fkr:injury.v1", "1", "1", "0.6"),
        ("fkr:player-of.v1", "1", "1", "0.8")]),
    ("entities-without-wikidata", {"type": "Club"}, [
        (MH, "fk:Club", "מכבי חיפה", "Maccabi Haifa", "6"),
        (MTA, "fk:Club", "מכבי תל אביב", "Maccabi Tel Aviv", "4"),
        (BJ, "fk:Club", 'בית"ר ירושלים', "Beitar Jerusalem", "2"),
        (HBS, "fk:Club", "הפועל באר שבע", "Hapoel Beer Sheva", "1")]),
    ("entities-without-wikidata", {"type": "Person"}, [   # quotes mention entities too: not counted
        (OMER, "fk:Person", "עומר שלו", "Omer Shalev", "6"),
        (NIR, "fk:Person", "ניר גולן", "Nir Golan", "4"),
        (AVI, "fk:Person", "אבי מזרחי", "Avi Mizrahi", "2"),
        (IDO, "fk:Person", "עידו ברק", "Ido Barak", "2"),
        (YOSSI, "fk:Person", "יוסי בן דוד", "Yossi Ben David", "2"),
        (ERAN, "fk:Person", "ערן טל", "Eran Tal", "1")]),
    ("story", {"entity": "Ido Barak"}, [   # each sentence whole; quotes that mention him too
        ("2026-01-10", "move", IDO, MOVE, MTA, "", "fk:Possible", "rumoured", "fke:ynet", "fke:ynet", A3,
         'בינתיים עידו ברק מבית"ר ירושלים עשוי לעבור למכבי תל אביב.'),
        ("2026-01-10", "role", IDO, "fk:playsFor", BJ, "", "fk:Asserted", "confirmed", "fke:ynet", "fke:ynet", A3,
         'בינתיים עידו ברק מבית"ר ירושלים עשוי לעבור למכבי תל אביב.'),
        ("2026-01-26", "injury", IDO, "fk:injured", "", "פציעה בברך", "fk:Asserted", "confirmed", "fke:sport5",
         "fke:sport5", A5, "הפועל באר שבע מתכננת להחתים את עידו ברק, למרות הפציעה בברך שלו, כבר בחלון הנוכחי."),
        ("2026-01-26", "move", IDO, MOVE, HBS, "", "fk:Planned", "rumoured", "fke:sport5", "fke:sport5", A5,
         "הפועל באר שבע מתכננת להחתים את עידו ברק, למרות הפציעה בברך שלו, כבר בחלון הנוכחי."),
        ("2026-01-26", "quote", NIR, "fk:Quote", "", "", "", "", NIR, "fke:sport5", A5,
         'ניר גולן אמר: "עידו ברק הוא שחקן מצוין, אבל הוא לא בתוכניות שלנו".')]),
    ("entities-of-article", {"article": "ynet-900006"}, [
        (A6, MH, "fk:Club", "מכבי חיפה", "Maccabi Haifa"),
        (A6, MTA, "fk:Club", "מכבי תל אביב", "Maccabi Tel Aviv"),
        (A6, OMER, "fk:Person", "עומר שלו", "Omer Shalev")]),
    ("relations-of", {"entity": "ido-barak"}, [
        ("out", "fk:playsFor", BJ, "Beitar Jerusalem", A3)]),
]
FK = "https://w3id.org/footkg/ontology#"
IDO_IRI = URIRef("https://w3id.org/footkg/entity/ido-barak")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
CARD = {  # entity-card for ido-barak: a CONSTRUCT result
    (IDO_IRI, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(FK + "Person")),
    (IDO_IRI, RDFS_LABEL, Literal("עידו ברק", lang="he")),
    (IDO_IRI, RDFS_LABEL, Literal("Ido Barak", lang="en")),
    (IDO_IRI, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"), Literal("Barak", lang="en")),
    (IDO_IRI, URIRef(FK + "playsFor"), URIRef("https://w3id.org/footkg/entity/beitar-jerusalem")),
    (IDO_IRI, URIRef(FK + "injured"), Literal("פציעה בברך", lang="he")),
}


@pytest.fixture(scope="module")
def desk():
    return load_desk(open_store(":memory:"))


def cells(result) -> list[tuple[str, ...]]:
    return [tuple(short(row.get(v)) for v in result.vars) for row in result.rows]


@pytest.mark.parametrize("name,params,expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_queries_named_query_rows(desk, name, params, expected):
    assert cells(run(desk, name, params, catalog=NO_CATALOG)) == expected


def test_queries_entity_card_is_a_graph(desk):
    result = run(desk, "entity-card", {"entity": "עידו ברק"}, catalog=NO_CATALOG)
    assert result.kind == "graph" and set(result.graph) == CARD
    assert set(Graph().parse(data=render(result, "turtle"), format="turtle")) == CARD


def test_queries_every_named_query_has_a_case():
    tested = {name for name, _, _ in CASES} | {"entity-card"}
    assert set(named_queries()) == tested
    assert len(tested) >= 15


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_queries_file_is_self_contained(desk, name):
    """Headers, its own PREFIX lines, and it runs unbound in any SPARQL engine."""
    q = load_query(name)
    assert q.title and q.description
    toks = [(kind, t) for kind, t, _ in tokens(q.text) if kind != "comment"]
    used = {t.split(":")[0] for kind, t in toks if kind == "pname"}
    declared = {t.split(":")[0] for (k0, t0), (kind, t) in zip(toks, toks[1:])
                if k0 == "word" and t0.upper() == "PREFIX"}
    assert used <= declared
    assert all(p.description for p in q.params)
    desk.query(q.text)  # no syntax error without the VALUES block


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pyshacl on rdflib 7.6
def test_queries_fixture_follows_the_vocabulary():
    """Spans say what the text says, and the shapes in kg/data/shapes.ttl hold."""
    from pyshacl import validate

    union = Graph()
    for g in graphs():
        union += g
    texts = {str(a): str(t) for a, t in union.subject_objects(URIRef(FK + "text")) if "/article/" in str(a)}
    for span in union.subjects(URIRef(FK + "exact"), None):
        start, end = (int(union.value(span, URIRef(FK + k))) for k in ("start", "end"))
        exact = str(union.value(span, URIRef(FK + "exact")))
        assert any(t[start:end] == exact for t in texts.values()), exact
    root = Path(__file__).resolve().parent.parent / "kg" / "data"
    # the shapes describe one article's report: a match two articles report is checked
    # once in each (kg.validate.report_groups)
    articles = [g for g in graphs() if "/article/" in str(g.identifier)]
    catalog = [g for g in graphs() if "/article/" not in str(g.identifier)]
    groups = report_groups(articles, catalog)
    assert len(groups) == 2                      # the desk's Haifa - Tel Aviv has two reports
    for group in groups:
        ok, _, report = validate(group, shacl_graph=str(root / "shapes.ttl"),
                                 ontology_graph=str(root / "ontology.ttl"))
        assert ok, report


# -- entity resolution


@pytest.mark.parametrize("value", [
    "omer-shalev", "https://w3id.org/footkg/entity/omer-shalev", "עומר שלו", "Omer Shalev",
    "omer shalev", " עומר שלו ", "Shalev", "שלו",
])
def test_queries_entity_by_slug_or_any_label(desk, value):
    assert resolve_entity(value, NO_CATALOG, desk) == URIRef("https://w3id.org/footkg/entity/omer-shalev")


@pytest.mark.parametrize("value,slug", [
    ('מכבי ת"א', "maccabi-tel-aviv"), ("מכבי ת״א", "maccabi-tel-aviv"),    # gershayim or ASCII quote
    ('בית"ר ירושלים', "beitar-jerusalem"), ("בית״ר ירושלים", "beitar-jerusalem"),
    ("מכבי ת”א", "maccabi-tel-aviv"), ("מכבי ת׳׳א", "maccabi-tel-aviv"),  # typographic quotes, two gereshes
    ("מכבי תא", "maccabi-tel-aviv"), ("ביתר ירושלים", "beitar-jerusalem"),    # no mark at all
])
def test_queries_entity_label_with_quote_marks(desk, value, slug):
    assert resolve_entity(value, NO_CATALOG, desk) == URIRef(f"https://w3id.org/footkg/entity/{slug}")


@pytest.mark.parametrize("value", ['בית"ר', "בית״ר", "ביתר", "בית”ר", 'בית"ר ירושלים', "ביתר ירושלים"])
def test_queries_entity_quote_mark_variants_in_the_catalogue(value):
    assert resolve_entity(value) == URIRef("https://w3id.org/footkg/entity/beitar-jerusalem")


@pytest.mark.parametrize("club", ['מכבי ת"א', "מכבי ת״א", "מכבי תא"])
def test_queries_transfers_to_a_club_by_any_quote_mark(desk, club):
    rows = cells(run(desk, "transfers", {"club": club}, catalog=NO_CATALOG))
    assert rows == [("2026-01-10", IDO, MOVE, MTA, BJ, "fk:Possible", "fke:ynet", A3)]


def test_queries_club_coaches_dates_survive_an_undated_article(desk):
    """An article without a date still counts, and does not blank first/last seen."""
    from tests.fixtures.desk_graph import _claim

    store = load_desk(open_store(":memory:"))
    art = {"id": "undated-900099", "outlet": "walla", "text": "אבי מזרחי, מאמן מכבי תל אביב, שמח."}
    g = Graph(identifier=FKA[art["id"]])
    g.add((FKA[art["id"]], RDF.type, URIRef(FK + "Article")))
    g.add((FKA[art["id"]], URIRef(FK + "text"), Literal(art["text"], lang="he")))
    _claim(g, art, "c-undated-1", {"s": "avi-mizrahi", "p": "headCoachOf", "o": "maccabi-tel-aviv",
                                   "evidence": "אבי מזרחי, מאמן מכבי תל אביב", "rule": "coach-role.v1",
                                   "confidence": 0.85})
    store.replace_graph(str(g.identifier), g)
    rows = cells(run(store, "club-coaches", {"club": "maccabi-tel-aviv"}, catalog=NO_CATALOG))
    assert (AVI, "אבי מזרחי", "fk:headCoachOf", "2026-01-08", "2026-01-18", "3") in rows


def test_queries_entity_through_the_catalogue(desk):
    from kg.catalog import Entity, build_catalog

    cat = build_catalog([Entity("ido-barak", "Person", "Ido Barak", "עידו ברק", alt_he=("ברקי",))])
    assert resolve_entity("ברקי", cat, desk) == IDO_IRI
    assert resolve_entity("ido-barak", cat, None) == IDO_IRI


def test_queries_unknown_entity_is_a_clear_error(desk):
    with pytest.raises(QueryError, match="no entity called 'ישראל ישראלי'"):
        run(desk, "claims-about", {"entity": "ישראל ישראלי"}, catalog=NO_CATALOG)


# -- binding: values are values


HOSTILE = [
    'x" } ; DROP ALL ; #',
    "'''", '"""', "\\", "} UNION { ?s ?p ?o }",
    "SERVICE <http://example.org/sparql> { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o }", "#comment", "@he", "^^<http://x>", "\n\t", "מכבי ת\"א }",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_queries_values_are_bound_not_spliced(desk, tmp_path, value):
    rq = tmp_path / "echo.rq"
    rq.write_text("# title: Echo\n# param: text string any text\nSELECT ?text WHERE { }\n", encoding="utf-8")
    before = desk.count()
    result = run(desk, str(rq), {"text": value}, catalog=NO_CATALOG)
    assert [str(r["text"]) for r in result.rows] == [value]
    assert desk.count() == before


@pytest.mark.parametrize("value", HOSTILE)
def test_queries_hostile_entity_values_find_nothing(desk, value):
    before = desk.count()
    with pytest.raises(QueryError, match="no entity called"):
        run(desk, "claims-about", {"entity": value}, catalog=NO_CATALOG)
    assert desk.count() == before


@pytest.mark.parametrize("params,message", [
    ({}, "missing parameter"),
    ({"entity": "omer-shalev", "colour": "red"}, "unknown parameter"),
])
def test_queries_parameter_errors(desk, params, message):
    with pytest.raises(QueryError, match=message):
        run(desk, "claims-about", params, catalog=NO_CATALOG)


@pytest.mark.parametrize("name,params,message", [
    ("transfers", {"from": "18.01.2026"}, "parameter from="),
    ("most-mentioned", {"type": "Footballer"}, "no class fk:Footballer"),
    ("most-mentioned", {"type": "_NS"}, "no class"),
    ("claims-by-rule", {"rule": "bad rule> } #"}, "not an IRI"),
    ("entities-of-article", {"article": "a b"}, "not an IRI"),
])
def test_queries_bad_values_are_refused(desk, name, params, message):
    with pytest.raises(QueryError, match=message):
        run(desk, name, params, catalog=NO_CATALOG)


def test_queries_values_block_placement():
    q = load_query("top-scorers")
    text = bind(q, {"from": "2026-01-01"}, catalog=NO_CATALOG)
    assert '#@values\n  VALUES (?from) { ("2026-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) }' in text
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert construct[values_offset(construct):].startswith(" ?s ?p ?o }")
    assert values_offset('SELECT * { ?s ?p "WHERE {" }') == len("SELECT * {")


# -- the lexer


@pytest.mark.parametrize("text,calls", [
    ("SELECT * WHERE { SERVICE <http://a/sparql> { ?s ?p ?o } }", ["SERVICE"]),
    ("select * { service silent <http://a> {} }", ["SERVICE"]),
    ("SELECT * { ?s ?p ?o .SERVICE <http://a> { ?a ?b ?c } }", ["SERVICE"]),
    ("SELECT * { \\u0053ERVICE <http://a> {} }", ["SERVICE"]),
    ("LOAD <http://example.org/data.ttl>", ["LOAD"]),
    ('SELECT * { ?s ?p "SERVICE <http://a> {}" }', []),
    ("SELECT * { ?s ?p '''a SERVICE\nb''' }", []),
    ("SELECT * { ?s ?p ?o } # SERVICE <http://a> {}", []),
    ("PREFIX ex: <http://x/> SELECT * { ?s ex:SERVICE ?service . ex:a.SERVICE ?p ?o }", []),
    ('SELECT * { ?s ?p "x"@service }', []),
    ("SELECT * { <http://x/SERVICE> ?p ?o }", []),
])
def test_queries_remote_calls(text, calls):
    assert remote_calls(text) == calls


@pytest.mark.parametrize("text,form", [
    ("PREFIX a: <http://select/> SELECT * {}", "select"),
    ("# ASK\nCONSTRUCT WHERE { ?s ?p ?o }", "construct"),
    ("DESCRIBE <http://x>", "describe"), ("ask {}", "ask"),
    ("PREFIX a: <b:> INSERT DATA { a:x a:y a:z }", "update"), ("DROP ALL", "update"),
])
def test_queries_query_form(text, form):
    assert query_form(text) == form


# -- output formats and the command line


def test_queries_output_formats(desk):
    result = run(desk, "quotes-about", {"entity": "omer-shalev"}, catalog=NO_CATALOG)
    doc = json.loads(render(result, "json"))
    assert doc["head"]["vars"] == result.vars
    assert doc["results"]["bindings"][0]["speakerName"] == {"type": "literal", "value": "ניר גולן",
                                                            "xml:lang": "he"}
    table = render(result, "table")
    assert "\u2068ניר גולן\u2069" in table and table.endswith("(1 row)\n")
    assert render(result, "csv").splitlines()[0] == "speaker,speakerName,text,article,date"
    tsv = render(result, "tsv").splitlines()
    assert tsv[1].split("\t")[1] == "ניר גולן" and len(tsv) == 2
    with pytest.raises(QueryError, match="CONSTRUCT"):
        render(result, "turtle")


def test_queries_tsv_keeps_one_row_a_line(desk, tmp_path):
    rq = tmp_path / "echo.rq"
    rq.write_text("# title: Echo\n# param: text string any\nSELECT ?text ?n WHERE { BIND (1 AS ?n) }\n")
    result = run(desk, str(rq), {"text": "א\tב\nג"}, catalog=NO_CATALOG)
    assert render(result, "tsv") == "text\tn\nא ב ג\t1\n"


@pytest.fixture(scope="module")
def desk_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("desk") / "kg"
    store = load_desk(open_store(str(path)))
    store.close()
    return str(path)


def test_queries_cli_list_shows_names_titles_params():
    r = CliRunner().invoke(cli, ["query", "--list"])
    assert r.exit_code == 0, r.output
    assert "top-scorers  —  Top scorers from match reports" in r.output
    assert "[--param from=<date>]" in r.output
    assert "--param speaker=<entity>" in r.output
    assert all(name in r.output for name in named_queries())


@pytest.mark.parametrize("fmt,check", [
    ("table", lambda out: "\u2068עומר שלו\u2069" in out and "(3 rows)" in out),
    ("csv", lambda out: out.splitlines()[1] == "https://w3id.org/footkg/entity/omer-shalev,עומר שלו,3,2"),
    ("tsv", lambda out: out.splitlines()[1] == "https://w3id.org/footkg/entity/omer-shalev\tעומר שלו\t3\t2"),
    ("json", lambda out: json.loads(out)["results"]["bindings"][0]["goals"]["value"] == "3"),
])
def test_queries_cli_formats(desk_dir, fmt, check):
    r = CliRunner().invoke(cli, ["query", "top-scorers", "--store", desk_dir, "--format", fmt])
    assert r.exit_code == 0, r.output
    assert check(r.output)


def test_queries_cli_hebrew_parameter_and_turtle(desk_dir):
    r = CliRunner().invoke(cli, ["query", "entity-card", "--param", "entity=עידו ברק",
                                 "--store", desk_dir, "--format", "turtle"])
    assert r.exit_code == 0, r.output
    assert set(Graph().parse(data=r.output, format="turtle")) == CARD


def test_queries_cli_missing_parameter_is_a_clean_error(desk_dir):
    r = CliRunner().invoke(cli, ["query", "player-clubs", "--store", desk_dir])
    assert r.exit_code == 1 and "missing parameter(s) player" in r.output


def test_queries_values_at_each_mark():
    """Each #@values line gets the block: UNION branches are evaluated apart, before the join."""
    q = load_query("story")
    text = bind(q, {"entity": "https://w3id.org/footkg/entity/omer-shalev"}, catalog=NO_CATALOG)
    assert text.count("VALUES (?entity)") == q.text.count("#@values") == 3
