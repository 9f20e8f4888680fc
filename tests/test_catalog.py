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
