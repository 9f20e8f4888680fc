import textwrap

import pytest

from kg.catalog import TYPES, load_catalog
from kg.errors import CatalogError


def write(tmp_path, name, text):
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")


def test_catalog_whole_catalogue_loads(catalog):
    assert len(catalog.entities) > 20
    for ent in catalog.entities.values():
        assert ent.type in TYPES and ent.en and ent.he


def test_catalog_seed_entities_present(catalog):
    for slug in ("lionel-messi", "inter-miami", "jorge-mas", "conmebol", "copa-libertadores", "mls"):
        assert slug in catalog


def test_catalog_duplicate_slug_names_both_places(tmp_path):
    write(tmp_path, "a.yaml", """\
        - {slug: x-club, type: Club, en: X, he: איקס}
        """)
    write(tmp_path, "b.yaml", """\
        # comment
        - {slug: x-club, type: Club, en: Y, he: וואי}
        """)
    with pytest.raises(CatalogError, match=r"b\.yaml:2 \(x-club\): duplicate slug, first defined at a\.yaml:1"):
        load_catalog(tmp_path)


def test_catalog_shared_alias_needs_ambiguous(tmp_path):
    write(tmp_path, "a.yaml", """\
        - {slug: hapoel-a, type: Club, en: Hapoel A, he: הפועל א, nick_he: [אדומים]}
        - {slug: hapoel-b, type: Club, en: Hapoel B, he: הפועל ב, nick_he: [אדומים]}
        """)
    with pytest.raises(CatalogError, match="alias 'אדומים' is also an alias of hapoel-a"):
        load_catalog(tmp_path)


def test_catalog_shared_alias_declared_loads(tmp_path):
    write(tmp_path, "a.yaml", """\
        - {slug: hapoel-a, type: Club, en: Hapoel A, he: הפועל א, nick_he: [אדומים], ambiguous: [אדומים]}
        - {slug: hapoel-b, type: Club, en: Hapoel B, he: הפועל ב, nick_he: [אדומים], ambiguous: [אדומים]}
        """)
    cat = load_catalog(tmp_path)
    assert sorted(s for s, _ in cat.aliases["אדומים"]) == ["hapoel-a", "hapoel-b"]


@pytest.mark.parametrize("entry, message", [
    ("{slug: x, type: Team, en: X, he: איקס}", "unknown type 'Team'"),
    ("{slug: x, type: Club, en: X}", "missing 'he'"),
    ("{slug: X Club, type: Club, en: X, he: איקס}", "slug must be lowercase"),
    ("{slug: x, type: Club, en: X, he: איקס, facts: [[basedIn, nowhere]]}", "unknown slug 'nowhere'"),
    ("{slug: x, type: Club, en: X, he: איקס, facts: [[plysFor, y]]}", "unknown fact property 'plysFor'"),
    ("{slug: x, type: Club, en: X, he: איקס, wikidata: 123}", "wikidata must look like Q123"),
    ("{slug: x, type: Club, en: X, he: איקס, colour: red}", "unknown key"),
])
def test_catalog_invalid_entry_names_file_line_slug(tmp_path, entry, message):
    write(tmp_path, "bad.yaml", f"- {{slug: ok, type: City, en: Ok, he: אוקי}}\n- {entry}\n")
    with pytest.raises(CatalogError, match=message) as info:
        load_catalog(tmp_path)
    assert str(info.value).startswith("bad.yaml:2")


def test_catalog_invalid_yaml(tmp_path):
    write(tmp_path, "broken.yaml", "- {slug: x, type: Club\n")
    with pytest.raises(CatalogError, match="broken.yaml: invalid YAML"):
        load_catalog(tmp_path)


# -- roles with periods (from / until)

PERIODS = """\
    - {slug: club-a, type: Club, en: Club A, he: מועדון א}
    - {slug: club-b, type: Club, en: Club B, he: מועדון ב}
    - slug: coach-x
      type: Person
      en: Coach X
      he: מאמן איקס
      facts:
        - [headCoachOf, club-a, {from: '2023-24', until: 2026-01-12}]
        - [headCoachOf, club-b, {from: 2026-01}]
        - [nationality, israel]
    - {slug: israel, type: Country, en: Israel, he: ישראל}
    """


def test_catalog_role_periods_select_the_role_valid_on_a_date(tmp_path):
    from datetime import date

    write(tmp_path, "a.yaml", PERIODS)
    cat = load_catalog(tmp_path)
    coach = lambda day: cat.fact_objects("coach-x", "headCoachOf", on=day)  # noqa: E731
    assert coach(date(2023, 6, 30)) == []                       # before the season began
    assert coach(date(2023, 7, 1)) == ["club-a"]
    assert coach(date(2026, 1, 12)) == ["club-a", "club-b"]     # the handover month
    assert coach(date(2026, 12, 1)) == ["club-b"]               # dismissed in January: not A's coach in December
    assert cat.fact_objects("coach-x", "headCoachOf") == ["club-a", "club-b"]     # no date: all
    assert cat.fact_objects("coach-x", "nationality", on=date(1990, 1, 1)) == ["israel"]  # no period: any date


@pytest.mark.parametrize("period, message", [
    ("{from: '2024-13'}", "a period bound is a season"),
    ("{from: 2025, until: 2024}", "ends before it starts"),
    ("{since: 2024}", "'from' and/or 'until'"),
])
def test_catalog_bad_period_is_a_clear_error(tmp_path, period, message):
    write(tmp_path, "a.yaml", f"""\
        - {{slug: club-a, type: Club, en: Club A, he: מועדון א}}
        - {{slug: p, type: Person, en: P, he: פי, facts: [[playsFor, club-a, {period}]]}}
        """)
    with pytest.raises(CatalogError, match=message) as info:
        load_catalog(tmp_path)
    assert str(info.value).startswith("a.yaml:2 (p)")


def test_catalog_periods_reach_the_catalogue_graph(tmp_path):
    from rdflib import Literal
    from rdflib.namespace import XSD

    from kg.graph import catalog_graph
    from kg.vocab import FK

    write(tmp_path, "a.yaml", PERIODS)
    g = catalog_graph(load_catalog(tmp_path), {"coach-x", "club-a", "club-b"})
    assert set(g.objects(None, FK.validUntil)) == {Literal("2026-01-12", datatype=XSD.date)}
    assert set(g.objects(None, FK.validFrom)) == {Literal("2023-07-01", datatype=XSD.date),
                                                  Literal("2026-01-01", datatype=XSD.date)}


def test_rules_see_the_roles_valid_at_the_articles_date(tmp_path):
    from kg.extract import build_context
    from kg.mentions import matcher_for
    from kg.normalize import normalize
    from kg.read import parse_article

    write(tmp_path, "a.yaml", PERIODS)
    cat = load_catalog(tmp_path)
    for day, coached in (("2024-03-01", ["club-a"]), ("2026-12-01", ["club-b"])):
        art = parse_article(f" date {day} מאמן איקס דיבר.\n")
        norm = normalize(art.text)
        ctx = build_context(art, norm, cat, matcher_for(cat).match(norm, art.text))
        assert ctx.facts("coach-x", "headCoachOf") == coached


def test_catalog_a_second_spell_at_a_club_is_its_own_period(tmp_path):
    from datetime import date

    write(tmp_path, "a.yaml", """\
        - {slug: club-a, type: Club, en: Club A, he: מועדון א}
        - {slug: club-b, type: Club, en: Club B, he: מועדון ב}
        - slug: coach-y
          type: Person
          en: Coach Y
          he: מאמן וואי
          facts:
            - [headCoachOf, club-a, {from: '2017-18', until: 2018-12}]
            - [headCoachOf, club-b, {from: 2019-01, until: 2021-06}]
            - [headCoachOf, club-a, {from: 2021-12}]
        """)
    cat = load_catalog(tmp_path)
    coach = lambda day: cat.fact_objects("coach-y", "headCoachOf", on=day)  # noqa: E731
    assert coach(date(2018, 3, 1)) == ["club-a"]
    assert coach(date(2020, 3, 1)) == ["club-b"]          # between the two spells at A: not A's coach
    assert coach(date(2023, 3, 1)) == ["club-a"]
    assert cat.fact_objects("coach-y", "headCoachOf") == ["club-a", "club-b"]   # each club once


def test_an_ambiguous_nickname_is_read_through_the_roles_of_the_articles_date(tmp_path):
    """``מאמן האדומים X``: the club X coached on the article's day, not the one of today."""
    from datetime import date

    from kg.mentions import Matcher
    from kg.normalize import normalize

    write(tmp_path, "a.yaml", """\
        - {slug: hapoel-a, type: Club, en: Hapoel A, he: הפועל אלף, nick_he: [אדומים], ambiguous: [אדומים]}
        - {slug: hapoel-b, type: Club, en: Hapoel B, he: הפועל בית, nick_he: [אדומים], ambiguous: [אדומים]}
        - slug: coach-z
          type: Person
          en: Coach Z
          he: זאב זמיר
          facts:
            - [headCoachOf, hapoel-a, {until: 2020-06}]
            - [headCoachOf, hapoel-b, {from: 2021-07}]
        """)
    matcher = Matcher(load_catalog(tmp_path))
    text = "מאמן האדומים זאב זמיר שיבח את השחקנים."
    norm = normalize(text)
    club = lambda day: next(m.entity for m in matcher.match(norm, text, on=day) if m.surface.endswith("אדומים"))  # noqa: E731
    assert club(date(2019, 3, 1)) == "hapoel-a"
    assert club(date(2024, 3, 1)) == "hapoel-b"
