"""Curation tools: unknown names by context (kg.candidates), their ranking and YAML
skeletons, catalogue statistics (kg.curation), and the two CLI commands.

The sentences are written for these tests; the names in them are invented and
must stay unknown to the catalogue.
"""

import json
import re

import pytest
import yaml
from click.testing import CliRunner

from kg.candidates import article_candidates
from kg.catalog import TYPES, load_catalog
from kg.cli import cli
from kg.curation import (catalog_stats, candidate_yaml, find_candidates, format_candidates,
                         guess_slug, transliterate)
from kg.read import parse_article


def names(text, catalog):
    article = parse_article(" date 2026-02-01 " + text)
    found = article_candidates(article, catalog)
    for f in found:
        assert article.text[f.start:f.end] == f.name
    return [(f.name, f.type) for f in found]


@pytest.mark.parametrize("text, name, etype", [
    # a role word, with the club and commas between it and the name
    ("המאמן החדש של מכבי חיפה, גדעון פרלמוטר, הגיע לאימון הראשון.", "גדעון פרלמוטר", "Person"),
    ("החלוץ יואב קרמרמן חזר לסגל אחרי פציעה.", "יואב קרמרמן", "Person"),
    # a speaker after the quotation, and before the verb with a colon
    ('"אנחנו מוכנים לכל משחק", אמר יואב קרמרמן אחרי האימון.', "יואב קרמרמן", "Person"),
    ('יואב קרמרמן אמר: "זה היה שבוע קשה".', "יואב קרמרמן", "Person"),
    # match-event lines and line-ups
    ("בית\"ר ירושלים\nשער עזרא בוזגלו (14)\nהסתיים", "עזרא בוזגלו", "Person"),
    ("כרטיס אדום נחום פרלמוטר (90+2)", "נחום פרלמוטר", "Person"),
    ("הרכב הפועל חיפה: נחום פרלמוטר, גדעון בוזגלו ו-עזרא שטרנהל.", "עזרא שטרנהל", "Person"),
    # a transliterated foreign name, a club word before an unknown town
    ("בסיום התראיין ז'וזה פיגרדו לכלי התקשורת.", "ז'וזה פיגרדו", "Person"),
    ("המשחק מול הפועל כפר ורדים, שהסתיים בתיקו, היה משעמם.", "הפועל כפר ורדים", "Club"),
])
def test_candidates_found_by_context(catalog, text, name, etype):
    assert (name, etype) in names(text, catalog)


@pytest.mark.parametrize("text", [
    'המאמן ברק בכר אמר: "אנחנו בדרך הנכונה".',   # a catalogue person
    "החלוץ של מכבי חיפה כבש שער בדקה ה-20.",      # role words followed by common words
    "ירדן שועה חוגג עם הקהל (נחום פרלמוטר)",     # a photo credit
    "גדעון פרלמוטר | 01/02/2026 20:30",           # a byline
])
def test_candidates_exclude_catalogue_and_common_words(catalog, text):
    assert names(text, catalog) == []


def test_candidates_one_per_place(catalog):
    found = names("שער ז'וזה פיגרדו (55)", catalog)
    assert found == [("ז'וזה פיגרדו", "Person")]


def write(path, body, url="https://example.org/a/1"):
    path.write_text(f"url {url}\n date 2026-02-01 {body}", encoding="utf-8")
    return path


def test_find_candidates_ranks_merges_and_points_at_the_file(tmp_path, catalog):
    write(tmp_path / "a.txt", "החלוץ יואב קרמרמן כבש פעמיים. קרמרמן חגג עם הקהל.\n"
                              "שער עזרא בוזגלו (30)", "https://example.org/a/1")
    write(tmp_path / "b.txt", '"ניצחנו בצדק", אמר יואב קרמרמן.', "https://example.org/a/2")
    cands = find_candidates([tmp_path], catalog)
    top = cands[0]
    assert (top.name, top.count, top.type) == ("יואב קרמרמן", 2, "Person")
    assert {c.name for c in cands} >= {"יואב קרמרמן", "עזרא בוזגלו"}
    path, offset, snippet = top.seen[0]
    raw = (tmp_path / "a.txt").read_text(encoding="utf-8")
    assert path.endswith("a.txt") and raw[offset:offset + len(top.name)] == top.name
    assert "[יואב קרמרמן]" in snippet
    text = format_candidates(cands)
    assert "a.txt:" in text and "יואב קרמרמן" in text.splitlines()[0]


def test_find_candidates_folds_a_lone_surname_into_the_full_name(tmp_path, catalog):
    write(tmp_path / "a.txt", "המגן ג'ונתן מקפרסון פתח בהרכב.\nשער מקפרסון (14)")
    cands = find_candidates([tmp_path], catalog)
    assert [(c.name, c.count, sorted(c.short)) for c in cands] == [("ג'ונתן מקפרסון", 2, ["מקפרסון"])]


def test_candidate_yaml_loads_with_the_schema(tmp_path, catalog):
    write(tmp_path / "a.txt", "המאמן החדש של מכבי חיפה, גדעון פרלמוטר, הגיע.\n"
                              "המשחק מול הפועל כפר ורדים, שהסתיים בתיקו.")
    text = candidate_yaml(find_candidates([tmp_path], catalog), catalog)
    entries = yaml.safe_load(text)
    assert {e["he"] for e in entries} == {"גדעון פרלמוטר", "הפועל כפר ורדים"}
    for e in entries:
        assert {"slug", "type", "en", "he", "facts", "source"} <= set(e)
        assert e["type"] in TYPES and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", e["slug"])
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "new.yaml").write_text(text, encoding="utf-8")
    assert len(load_catalog(folder).entities) >= len(entries)  # the loader accepts them as they are


@pytest.mark.parametrize("he, latin", [("רפאלוב", "rfalov"), ("עומרי", "omri"), ("דמצ'וק", "dmchok")])
def test_curation_transliterate(he, latin):
    assert transliterate(he) == latin


def test_curation_guess_slug_is_unique():
    taken = {"omri-loi"}
    assert guess_slug("עומרי לוי", taken) == "omri-loi-2"
    assert "omri-loi-2" in taken


def test_catalog_stats_consistent_with_the_catalogue(catalog):
    s = catalog_stats(catalog)
    ents = catalog.entities.values()
    assert s["entities"] == len(catalog.entities) == sum(s["by_type"].values()) == sum(s["files"].values())
    curated = [k for k, pairs in catalog.aliases.items() if any(kind != "variant" for _, kind in pairs)]
    assert s["aliases"]["keys"] == len(curated)                # generated variants are counted apart
    assert s["variants"]["keys"] == len(catalog.aliases) - len(curated) > 0
    assert s["variants"]["collisions"] == len(catalog.variants.collisions)
    assert s["aliases"]["ambiguous"] == sum(len({slug for slug, _ in v}) > 1 for v in catalog.aliases.values())
    assert s["aliases"]["per_entity_max"] >= s["aliases"]["per_entity_mean"] >= 1
    assert s["nicknames"]["total"] == sum(len(e.nick_he) for e in ents)
    assert s["demonyms"]["total"] == sum(len(e.demonym_he) for e in ents)
    assert s["without_wikidata"]["total"] == sum(1 for e in ents if not e.wikidata and e.type != "Outlet")
    assert s["facts"]["total"] == sum(len(e.facts) for e in ents)


def test_catalog_stats_exact_on_a_small_catalogue(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "- {slug: club-a, type: Club, en: Club A, he: קבוצה א, alt_he: [הכחולים של א], nick_he: [כחולים],"
        " ambiguous: [כחולים], wikidata: Q1}\n"
        "- {slug: club-b, type: Club, en: Club B, he: קבוצה ב, nick_he: [כחולים], ambiguous: [כחולים]}\n",
        encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        "- {slug: land-c, type: Country, en: Land C, he: ארץ ג, demonym_he: [גי, גית]}\n", encoding="utf-8")
    cat = load_catalog(tmp_path)
    s = catalog_stats(cat)
    assert s["by_type"]["Club"] == 2 and s["by_type"]["Country"] == 1
    assert s["files"]["a.yaml"] == 2 and s["files"]["b.yaml"] == 1
    assert s["aliases"]["ambiguous"] == 1 and s["aliases"]["ambiguous_examples"] == ["כחולים"]
    assert s["aliases"]["per_entity_max"] == 4 and s["aliases"]["max_entity"] == "club-a"
    assert s["nicknames"] == {"entities": 2, "total": 2}
    assert s["demonyms"] == {"entities": 1, "total": 2}
    assert s["without_wikidata"]["by_type"] == {"Club": 1, "Country": 1}


def test_cli_candidates_text_and_yaml(tmp_path):
    write(tmp_path / "a.txt", "החלוץ יואב קרמרמן כבש פעמיים.")
    runner = CliRunner()
    r = runner.invoke(cli, ["candidates", str(tmp_path), "--top", "5"])
    assert r.exit_code == 0 and "יואב קרמרמן" in r.output
    r = runner.invoke(cli, ["candidates", str(tmp_path), "--yaml"])
    assert r.exit_code == 0 and yaml.safe_load(r.output)[0]["he"] == "יואב קרמרמן"
    r = runner.invoke(cli, ["candidates", str(tmp_path / "missing")])
    assert r.exit_code == 1 and "no such file" in r.output


def test_cli_catalog_stats(catalog):
    runner = CliRunner()
    r = runner.invoke(cli, ["catalog", "stats", "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["entities"] == len(catalog.entities)
    r = runner.invoke(cli, ["catalog", "stats"])
    assert r.exit_code == 0 and "by type:" in r.output
    for args in (["catalog", "--help"], ["catalog", "stats", "--help"], ["candidates", "--help"]):
        lines = [ln for ln in runner.invoke(cli, args).output.splitlines() if ln.strip()]
        assert any(ln.strip().startswith("Example: kg ") for ln in lines), args


def test_find_candidates_points_at_another_spelling(tmp_path, catalog):
    write(tmp_path / "a.txt", "המגן אלחנדרו בלדה חזר לאימונים.")  # the catalogue writes אלחנדרו באלדה
    cands = find_candidates([tmp_path], catalog)
    assert [(c.name, c.spelling_of) for c in cands] == [("אלחנדרו בלדה", ("alejandro-balde",))]
    assert "another spelling of alejandro-balde" in format_candidates(cands)
    assert yaml.safe_load(candidate_yaml(cands, catalog)) is None  # a comment, no new entry


def test_find_candidates_lists_unknown_speakers_first(tmp_path, catalog):
    write(tmp_path / "a.txt", "החלוץ יואב קרמרמן כבש. החלוץ יואב קרמרמן חגג.\n")
    write(tmp_path / "b.txt", '"ניצחנו בצדק", אמר דניאל ברנשטוק.', "https://example.org/a/2")
    cands = find_candidates([tmp_path], catalog)
    assert [c.name for c in cands][:2] == ["דניאל ברנשטוק", "יואב קרמרמן"]
    assert cands[0].kinds["speech"] == 1


def test_candidates_skip_bylines_credits_and_ordinary_words(catalog):
    from kg.candidates import article_candidates
    from kg.read import parse_article

    text = ('מכבי חיפה ניצחה אמש בסמי עופר.\nיוסי כהנוביץ 08.09.23 - 15:27\n'
            'עריכת וידאו: אבי גולדשטיין\n'
            'הצטרפו אלינו ברשתות החברתיות: "הכי מעודכן".\n'
            'מגן הקבוצה, ז\'אן לואי בוקה, נפצע.')
    names = {f.name for f in article_candidates(parse_article(text, "<test>"), catalog)}
    assert "ז'אן לואי בוקה" in names or "ז'אן לואי" in names
    assert not names & {"יוסי כהנוביץ", "אבי גולדשטיין", "ברשתות החברתיות"}


def test_find_candidates_groups_spelling_variants_of_one_name(tmp_path, catalog):
    (tmp_path / "a.txt").write_text('"נמשיך לעבוד", אמר ג\'ורג\' קלייבר אחרי האימון.', encoding="utf-8")
    (tmp_path / "b.txt").write_text('"נמשיך לעבוד", אמר ג\'ורג\' קלייבר אחרי המשחק.', encoding="utf-8")
    (tmp_path / "c.txt").write_text('"נמשיך לעבוד", אמר ג\'ורג\' קליבר אחרי המשחק.', encoding="utf-8")
    cands = {c.name: c for c in find_candidates([tmp_path], catalog)}
    assert "ג'ורג' קליבר" not in cands
    assert cands["ג'ורג' קלייבר"].count == 3 and cands["ג'ורג' קלייבר"].spellings == {"ג'ורג' קליבר"}
