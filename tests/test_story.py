"""`kg story` and the named query `story`: an entity's timeline, and each statement's
status over time from its claims (rumoured -> confirmed or denied), on the desk fixture
and on articles written for the tests."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.catalog import Catalog
from kg.cli import cli
from kg.store import open_store
from kg.story import statements, story
from kg.vocab import FK, FKA, SCHEMA
from tests.fixtures.desk_graph import _claim, load_desk

NO_CATALOG = Catalog({}, {})
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
OMER, MH = "https://w3id.org/footkg/entity/omer-shalev", "https://w3id.org/footkg/entity/maccabi-haifa"


def _article(store, ident, day, outlet, text, claims):
    art = {"id": ident, "outlet": outlet, "text": text}
    a = FKA[ident]
    g = Graph(identifier=a)
    g.add((a, RDF.type, FK.Article))
    g.add((a, FK.text, Literal(text, lang="he")))
    g.add((a, SCHEMA.publisher, URIRef(f"https://w3id.org/footkg/entity/{outlet}")))
    if day:
        g.add((a, SCHEMA.datePublished, Literal(day, datatype=XSD_DATE)))
    for i, c in enumerate(claims, 1):
        _claim(g, art, f"c-{ident}-{i}", {"rule": "transfer-signed.v1", "confidence": 0.85, **c})
    store.replace_graph(str(a), g)


@pytest.fixture
def desk():
    return load_desk(open_store(":memory:"))


def _course(rows, subject=OMER, obj=MH):
    (s,) = [s for s in statements(rows) if s.subject == subject and s.object == obj]
    return [(status, day) for status, day, _ in s.changes()]


def test_story_rumour_confirmed_then_denied(desk):
    _, rows = story(desk, "omer-shalev", NO_CATALOG)
    assert _course(rows) == [("rumoured", "2026-01-05"), ("confirmed", "2026-01-08"), ("denied", "2026-01-10")]
    assert [r["kind"] for r in rows] == ["move", "quote", "move", "move", "result", "result", "result"]


def test_story_a_later_confirmation_outranks_the_denial(desk):
    _article(desk, "walla-900010", "2026-01-12", "walla", "עומר שלו חתם סופית במכבי חיפה.",
             [{"s": "omer-shalev", "p": "transferredTo", "o": "maccabi-haifa", "evidence": "עומר שלו חתם סופית במכבי חיפה"}])
    _, rows = story(desk, "omer-shalev", NO_CATALOG)
    assert _course(rows)[-1] == ("confirmed", "2026-01-12")
    denial = next(r for r in rows if r["modality"].endswith("Negated"))
    assert denial["status"] == "denied"          # as of its own day, the denial stood


def test_story_same_day_confirmation_and_denial_is_disputed(desk):
    _article(desk, "walla-900011", "2026-01-10", "walla", "עומר שלו חתם במכבי חיפה, כך נמסר.",
             [{"s": "omer-shalev", "p": "transferredTo", "o": "maccabi-haifa", "evidence": "עומר שלו חתם במכבי חיפה"}])
    _, rows = story(desk, "omer-shalev", NO_CATALOG)
    assert {r["status"] for r in rows if r["date"] == "2026-01-10"} == {"disputed"}


def test_story_undated_claim_takes_its_own_modality_and_comes_last(desk):
    _article(desk, "undated-900012", None, "walla", "עומר שלו לא יחתום במכבי חיפה.",
             [{"s": "omer-shalev", "p": "transferredTo", "o": "maccabi-haifa", "modality": "Negated",
               "evidence": "עומר שלו לא יחתום במכבי חיפה"}])
    _, rows = story(desk, "omer-shalev", NO_CATALOG)
    assert rows[-1]["date"] == "" and rows[-1]["status"] == "denied"


def test_story_cli_prints_course_timeline_and_evidence(tmp_path):
    path = str(tmp_path / "kg")
    store = load_desk(open_store(path))
    store.close()
    r = CliRunner().invoke(cli, ["story", "עומר שלו", "--store", path])
    assert r.exit_code == 0, r.output
    assert "rumoured 2026-01-05 (וואן) → confirmed 2026-01-08 (ספורט 5) → denied 2026-01-10 (ynet)" in r.output
    assert "3 claim(s), 3 outlet(s); first: וואן, 2026-01-05" in r.output
    assert "«בניגוד לדיווחים, עומר שלו לא חתם במכבי חיפה והמגעים נתקעו.»" in r.output
    assert "https://www.ynet.co.il/sport/article/900003" in r.output
    csv = CliRunner().invoke(cli, ["story", "Omer Shalev", "--store", path, "--format", "csv"])
    assert csv.exit_code == 0 and csv.output.splitlines()[0].startswith("date,kind,subject,relation")
    assert len(csv.output.splitlines()) == 8


def test_story_of_a_club_shows_one_match_with_each_report(tmp_path):
    """From articles through the pipeline: the match, once per report, each with its sentence."""
    from kg.pipeline import ingest
    from tests.test_events import REPORTS, _write

    files = [_write(tmp_path, n, *r) for n, r in REPORTS.items()]
    store = open_store(":memory:")
    ingest(files, store)
    _, rows = story(store, "מכבי חיפה")
    results = [r for r in rows if r["kind"] == "result"]
    assert len(results) == 4 and len({r["article"] for r in results}) == 4
    assert all("מכבי חיפה" in r["evidence"] and r["evidence"].endswith(".") for r in results)


def test_story_names_an_unknown_outlet_by_its_host_and_hides_the_article_as_claimant(tmp_path):
    """An article from a site the catalogue does not list: its host stands for the outlet,
    its url is shown readable, and narration is not credited to the article's id."""
    from kg.pipeline import ingest

    f = tmp_path / "a.txt"
    f.write_text("url https://www.kaduregel.test/sport/%D7%9B%D7%93%D7%95%D7%A8%D7%92%D7%9C-1\n"
                 " date 2026-01-10 הקשר עומר אצילי עזב את בית\"ר ירושלים בקיץ.\n", encoding="utf-8")
    path = str(tmp_path / "store")
    ingest([f], open_store(path))
    r = CliRunner().invoke(cli, ["story", "עומר אצילי", "--store", path])
    assert r.exit_code == 0, r.output
    assert "— www.kaduregel.test, https://www.kaduregel.test/sport/כדורגל-1" in r.output
    assert "u-" not in r.output
