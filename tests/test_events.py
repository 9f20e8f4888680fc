"""One match, many reports (kg.events, kg.graph.match_iri): the same match reported by k
articles is one fk:Match with k reports, whatever order they are ingested in; removing an
article leaves the others' reports. Articles written for the tests."""

from __future__ import annotations

from datetime import date

import pytest

from kg.pipeline import ingest, remove
from kg.queries import run
from kg.store import open_store
from kg.vocab import FKE

BJ = 'בית"ר ירושלים'
# the same evening's match, as four outlets tell it, dated by the text or the article
REPORTS = {
    "one": ("https://www.one.co.il/Article/990001.html", "2026-01-18",
            f"מכבי חיפה ניצחה הערב 1:3 את {BJ} באצטדיון סמי עופר ועלתה למקום השני."),
    "sport5": ("https://www.sport5.co.il/articles.aspx?id=990002", "2026-01-19",
               f"{BJ} נכנעה אמש 3:1 למכבי חיפה, והמאמן שלה דיבר על ערב קשה."),
    "ynet": ("https://www.ynet.co.il/sport/article/990003", "2026-01-20",
             f"אחרי שמכבי חיפה גברה ביום ראשון 1:3 על {BJ}, בקבוצה כבר חושבים על המחזור הבא."),
    # no day in the text: the article's date, a day after the match
    "walla": ("https://sports.walla.co.il/item/990004", "2026-01-19",
              f"מכבי חיפה ניצחה 1:3 את {BJ} ונראתה כמו מועמדת לאליפות."),
}


def _write(folder, name, url, day, body):
    path = folder / f"{name}.txt"
    path.write_text(f"url {url}\n date {day} {body}\n", encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    return {name: _write(tmp_path, name, *r) for name, r in REPORTS.items()}


def _matches(store):
    rows = store.query("""PREFIX fk: <https://w3id.org/footkg/ontology#>
        SELECT ?m (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?m a fk:Match } } GROUP BY ?m""").rows
    return {str(r["m"]): int(r["n"]) for r in rows}


def _results(store):
    return [tuple(str(r.get(v, "")) for v in ("date", "home", "away", "homeScore", "awayScore", "result", "reports"))
            for r in run(store, "club-results", {"club": "maccabi-haifa"}).rows]


def test_events_k_articles_one_match_k_reports(files):
    store = open_store(":memory:")
    report = ingest(sorted(files.values()), store)
    assert report.matches == 4 and not report.failed
    assert list(_matches(store).values()) == [4]
    (row,) = _results(store)
    assert row == ("2026-01-18", str(FKE["maccabi-haifa"]), str(FKE["beitar-jerusalem"]), "3", "1", "W", "4")
    # each article's graph says what it reports about that one match: its own date
    dates = store.query("""PREFIX fk: <https://w3id.org/footkg/ontology#>
        SELECT ?g ?d WHERE { GRAPH ?g { ?m a fk:Match ; fk:date ?d } }""").rows
    assert sorted(str(r["d"]) for r in dates) == ["2026-01-18", "2026-01-18", "2026-01-18", "2026-01-19"]


@pytest.mark.parametrize("order", [("one", "walla"), ("walla", "one")])
def test_events_a_day_apart_joins_in_either_order_and_survives_removal(files, order):
    store = open_store(":memory:")
    for name in order:                       # one article a run: the second finds the first
        ingest([files[name]], store)
    (match, n), = _matches(store).items()
    assert n == 2
    first = run(store, "club-results", {"club": "maccabi-haifa"}).rows
    assert [str(r["reports"]) for r in first] == ["2"]
    # removing either article leaves the other's report of the same match
    kept = order[1]
    remove(store, [_iri(store, order[0])])
    assert _matches(store) == {match: 1}
    assert [str(r["reports"]) for r in run(store, "club-results", {"club": "maccabi-haifa"}).rows] == ["1"]
    assert _iri(store, kept)


def _iri(store, outlet):
    rows = store.query(f"""PREFIX schema: <https://schema.org/>
        SELECT ?a WHERE {{ ?a schema:publisher <{FKE[outlet]}> }}""").rows
    return str(rows[0]["a"]) if rows else None


def test_events_reingest_keeps_one_match(files):
    store = open_store(":memory:")
    ingest([files["one"], files["walla"]], store)
    before = _matches(store)
    ingest([files["walla"]], store)          # an article read again joins the same match
    assert _matches(store) == before and list(before.values()) == [2]


@pytest.mark.parametrize("body, day, why", [
    (f"מכבי חיפה ניצחה 1:2 את {BJ}.", "2026-01-19", "another score"),
    (f"מכבי חיפה ניצחה 1:3 את {BJ}.", "2026-01-21", "three days later"),
    (f"מכבי חיפה ניצחה 1:3 את מכבי נתניה.", "2026-01-18", "another opponent"),
])
def test_events_other_matches_stay_apart(tmp_path, files, body, day, why):
    store = open_store(":memory:")
    other = _write(tmp_path, "other", "https://www.ynet.co.il/sport/article/990009", day, body)
    ingest([files["one"], other], store)
    assert sorted(_matches(store).values()) == [1, 1], why


def test_events_undated_match_stays_with_its_article(tmp_path):
    body = f"מכבי חיפה ניצחה 1:3 את {BJ}."
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(body + " הקהל חגג.\n", encoding="utf-8")
    b.write_text(body + " המאמן שמח.\n", encoding="utf-8")
    store = open_store(":memory:")
    ingest([a, b], store)
    assert sorted(_matches(store).values()) == [1, 1]   # no day known: no identity to share


def test_events_match_iri_from_teams_and_day():
    from kg.graph import match_iri
    from kg.model import Match, Span

    m = Match("maccabi-haifa", "beitar-jerusalem", 3, 1, Span(0, 5), "r", date=date(2026, 1, 18))
    assert match_iri(m, "https://w3id.org/footkg/article/x") == match_iri(m, "https://w3id.org/footkg/article/y")
    flipped = Match("beitar-jerusalem", "maccabi-haifa", 1, 3, Span(9, 12), "r", date=date(2026, 1, 18),
                    home_known=False)
    unknown = Match("maccabi-haifa", "beitar-jerusalem", 3, 1, Span(0, 5), "r", date=date(2026, 1, 18),
                    home_known=False)
    assert match_iri(flipped, "a") == match_iri(unknown, "b") != match_iri(m, "a")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pyshacl on rdflib 7.6
def test_events_store_with_shared_matches_validates(files):
    """Each article's report of the shared match satisfies the shapes (kg validate)."""
    from kg.validate import validate_store

    store = open_store(":memory:")
    ingest(sorted(files.values()), store)
    conforms, text = validate_store(store)
    assert conforms, text


def test_events_competition_from_the_report_that_names_it(tmp_path, files):
    league = _write(tmp_path, "league", "https://www.ynet.co.il/sport/article/990010", "2026-01-19",
                    f"במחזור ה-18 של ליגת העל מכבי חיפה ניצחה אמש 1:3 את {BJ}.")
    store = open_store(":memory:")
    ingest([files["one"], league], store)    # "one" names no competition
    (row,) = run(store, "club-results", {"club": "maccabi-haifa"}).rows
    assert str(row["competition"]) == str(FKE["israeli-premier-league"]) and str(row["reports"]) == "2"
