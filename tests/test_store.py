from rdflib import Graph

from kg.errors import StoreError
from kg.pipeline import ingest
from kg.store import open_store
from tests.conftest import SEED

import pytest


def quads(store) -> set[str]:
    return set(store.nquads().decode().splitlines())


def test_store_ingest_twice_is_isomorphic(tmp_path):
    store = open_store(str(tmp_path / "kg"))
    ingest([SEED], store)
    first = quads(store)
    ingest([SEED], store)
    assert quads(store) == first
    assert len(first) > 300


def test_store_changed_article_replaces_only_its_graph(tmp_path):
    other = tmp_path / "other.txt"
    other.write_text(" date 2026-02-01 ליאו מסי הבקיע שער לאינטר מיאמי.\n", encoding="utf-8")
    changed = tmp_path / "seed.txt"
    changed.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    store = open_store(str(tmp_path / "kg"))
    ingest([changed, other], store)
    other_graph = next(g for g in store.graphs() if "/article/t-" in g)
    before_other = {q for q in quads(store) if other_graph in q}
    text = changed.read_text(encoding="utf-8").replace("חורחה מאס", "חורחה מאס החדש", 1)
    changed.write_text(text, encoding="utf-8")
    ingest([changed], store)
    after = quads(store)
    assert {q for q in after if other_graph in q} == before_other
    seed_quads = [q for q in after if "one-512109>" in q.rsplit(" ", 2)[-2]]
    assert any("החדש" in q for q in seed_quads)
    assert sum("fk#text" in q or "ontology#text" in q for q in seed_quads) >= 1


def test_store_persists_across_opens(tmp_path):
    path = str(tmp_path / "kg")
    store = open_store(path)
    ingest([SEED], store)
    n = store.count()
    store.close()
    again = open_store(path, read_only=True)
    assert again.count() == n
    assert "https://w3id.org/footkg/article/one-512109" in again.graphs()


def test_store_bad_file_in_batch_keeps_the_rest(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("שלום".encode("cp1255"))
    store = open_store(str(tmp_path / "kg"))
    report = ingest([bad, SEED], store)
    assert [f for f, _ in report.failed] == [str(bad)]
    assert "not UTF-8" in report.failed[0][1]
    assert len(report.stored) == 1


def test_store_failed_write_keeps_what_was_stored(tmp_path, monkeypatch):
    store = open_store(str(tmp_path / "kg"))
    ingest([SEED], store)
    before = quads(store)
    import kg.store as st
    monkeypatch.setattr(st, "insert_data", lambda iri, g, **_: "DROP SILENT GRAPH <%s> ; INSERT DATA { nonsense" % iri)
    with pytest.raises(StoreError):
        store.replace_graph("https://w3id.org/footkg/article/one-512109", Graph())
    assert quads(store) == before


def test_store_read_only_missing_store_is_clear(tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        open_store(str(tmp_path / "nothing"), read_only=True)


def test_store_removing_article_retracts_it(tmp_path):
    from kg.pipeline import remove
    store = open_store(str(tmp_path / "kg"))
    ingest([SEED], store)
    remove(store, ["https://w3id.org/footkg/article/one-512109"])
    assert store.count() == 0


@pytest.mark.parametrize("url", ['https://example.org/a{b}', 'https://example.org/a"b', "http://[::1",
                                 "https://example.org/a\\b", "https://example.org/<b>"])
def test_store_bad_url_in_batch_keeps_the_rest(tmp_path, url):
    bad = tmp_path / "a-bad.txt"
    bad.write_text(f"url {url}\n date 2026-01-18 ליאו מסי הבקיע.\n", encoding="utf-8")
    good = tmp_path / "b-good.txt"
    good.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    store = open_store(":memory:")
    report = ingest([bad, good], store)
    assert [f for f, _ in report.failed] == [str(bad)]
    assert report.failed[0][1].startswith(f"{bad}: line 1: url header")
    assert [f for f, _ in report.stored] == [str(good)]
    assert "https://w3id.org/footkg/article/one-512109" in store.graphs()


def test_store_unexpected_fault_in_one_file_keeps_the_rest(tmp_path, monkeypatch):
    import kg.pipeline as pl

    real = pl.extract_file

    def flaky(path, catalog=None, limits=None):
        if path.name == "a.txt":
            raise RuntimeError("boom\nsecond line")
        return real(path, catalog, limits)

    monkeypatch.setattr(pl, "extract_file", flaky)
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(" date 2026-01-18 א\n", encoding="utf-8")
    b.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    report = ingest([a, b], open_store(":memory:"))
    assert report.failed == [(str(a), f"{a}: cannot be ingested: RuntimeError: boom second line")]
    assert len(report.stored) == 1


def test_store_skipped_files_are_counted(tmp_path):
    (tmp_path / "a.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.md").write_text("x", encoding="utf-8")
    report = ingest([tmp_path], open_store(":memory:"))
    assert len(report.stored) == 1
    assert report.skipped == [str(tmp_path / "sub" / "c.md")]
    # a saved HTML page is not skipped in silence: it is refused, one line naming it
    assert report.failed == [(str(tmp_path / "b.html"), f"{tmp_path / 'b.html'}: an HTML page (.html file), "
                              "not article text; save the article's text as a .txt file")]


# -- store lifecycle: atomic creation, waiting for the lock, identity of url-less articles

CATALOG = "https://w3id.org/footkg/graph/catalog"
NO_URL = " date 2026-02-01 ליאו מסי הבקיע שער לאינטר מיאמי.\n"


def test_store_creation_leaves_no_half_made_store(tmp_path):
    """A killed creation leaves only a hidden sibling folder; the next open removes it and
    makes a usable store (a half-made RocksDB folder at the store's path was unusable)."""
    import pyoxigraph as ox

    dead = tmp_path / ".kg.creating-999999999-1"      # no such pid: a killed creation's leftover
    ox.Store(str(dead)).flush()
    store = open_store(str(tmp_path / "kg"))
    assert store.graphs() == [] and store.count() == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg"]


def test_store_in_an_empty_folder_made_by_hand(tmp_path):
    (tmp_path / "kg").mkdir()
    store = open_store(str(tmp_path / "kg"))
    ingest([SEED], store)
    assert "https://w3id.org/footkg/article/one-512109" in store.graphs()


def test_store_writer_waits_for_the_lock_then_fails_clearly(tmp_path):
    import threading
    import time

    first = open_store(str(tmp_path / "kg"))
    with pytest.raises(StoreError, match="another kg process is writing.*--wait"):
        open_store(str(tmp_path / "kg"), wait=0.2)
    released = threading.Timer(0.5, first.close)
    released.start()
    started = time.monotonic()
    second = open_store(str(tmp_path / "kg"), wait=20)   # gets the store once the first lets go
    assert time.monotonic() - started >= 0.4
    assert second.count() == 0


def test_store_edited_article_without_url_replaces_its_earlier_version(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text(NO_URL, encoding="utf-8")
    store = open_store(str(tmp_path / "kg"))
    first = ingest([art], store).stored[0][1]
    art.write_text(NO_URL.replace("שער", "שני שערים"), encoding="utf-8")
    second = ingest([art], store).stored[0][1]
    assert first != second                     # the text hash changed with the edit
    assert [g for g in store.graphs() if g != CATALOG] == [second]
    # the same text in another file is another source: both stay
    other = tmp_path / "b.txt"
    other.write_text(NO_URL, encoding="utf-8")
    third = ingest([other], store).stored[0][1]
    assert sorted(g for g in store.graphs() if g != CATALOG) == sorted([second, third])


def test_store_catalogue_graph_describes_stored_articles_after_a_kill(tmp_path, monkeypatch):
    """The catalogue descriptions go in with each article: a run killed before its end
    (here: refresh_catalog fails) still leaves every stored entity described."""
    import kg.pipeline as pipeline

    def killed(*a, **k):
        raise KeyboardInterrupt("killed before the end of the run")

    monkeypatch.setattr(pipeline, "refresh_catalog", killed)
    store = open_store(str(tmp_path / "kg"))
    with pytest.raises(KeyboardInterrupt):
        ingest([SEED], store)
    described = {str(r["e"]) for r in store.query(
        "SELECT ?e WHERE { GRAPH <%s> { ?e a ?t } }" % CATALOG).rows}
    mentioned = {str(r["e"]) for r in store.query(
        "SELECT ?e WHERE { GRAPH ?g { ?a <https://w3id.org/footkg/ontology#mentions> ?e } }").rows}
    assert mentioned and mentioned <= described
    monkeypatch.undo()
    clean = open_store(str(tmp_path / "clean"))
    ingest([SEED], clean)
    ingest([SEED], store)                      # the re-run equals a clean run
    assert quads(store) == quads(clean)


# -- per-file limits: size and time, one line each, the batch goes on

def test_store_file_over_the_size_limit_is_one_line_and_the_batch_goes_on(tmp_path):
    from kg.model import Limits

    big = tmp_path / "big.txt"
    big.write_text(" date 2026-02-01 " + "ליאו מסי הבקיע שער. " * 2000, encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(NO_URL, encoding="utf-8")
    report = ingest([big, good], open_store(":memory:"), limits=Limits(max_bytes=10_000))
    assert [p for p, _ in report.stored] == [str(good)]
    (path, message), = report.failed
    assert path == str(big) and "over the 10,000-byte limit" in message and "--max-bytes" in message
    assert len(ingest([big], open_store(":memory:"), limits=Limits(max_bytes=None)).stored) == 1


def test_store_file_over_the_time_limit_is_one_line_and_the_batch_goes_on(tmp_path, monkeypatch):
    import time

    import kg.pipeline as pl
    from kg.model import Limits

    real = pl.extract

    def slow(article, catalog=None):
        if article.path.endswith("slow.txt"):
            time.sleep(30)
        return real(article, catalog)

    monkeypatch.setattr(pl, "extract", slow)
    slow_file, good = tmp_path / "slow.txt", tmp_path / "good.txt"
    slow_file.write_text(NO_URL.replace("שער", "שני שערים"), encoding="utf-8")
    good.write_text(NO_URL, encoding="utf-8")
    started = time.monotonic()
    report = ingest([slow_file, good], open_store(":memory:"), limits=Limits(seconds=0.5))
    assert time.monotonic() - started < 20
    assert [p for p, _ in report.stored] == [str(good)]
    (path, message), = report.failed
    assert path == str(slow_file) and "after 0.5 s" in message and "--time-limit" in message


def test_cli_limits_are_options(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    big = tmp_path / "big.txt"
    big.write_text(" date 2026-02-01 " + "ליאו מסי הבקיע שער. " * 200, encoding="utf-8")
    r = CliRunner().invoke(cli, ["ingest", str(big), "--store", str(tmp_path / "kg"), "--max-bytes", "100"])
    assert r.exit_code == 1 and "big.txt" in r.output and "over the 100-byte limit" in r.output
    assert r.output.count("\n") == 2           # the summary and one line for the file


def test_store_unreadable_folder_and_dangling_link_are_reported(tmp_path, monkeypatch):
    """Each is one line naming it; the readable files of the batch are stored. (Root reads
    any folder, so the refusal of one folder is made by the OS call that lists it.)"""
    import os

    top = tmp_path / "in"
    (top / "locked").mkdir(parents=True)
    (top / "locked" / "x.txt").write_text(NO_URL, encoding="utf-8")
    (top / "good.txt").write_text(NO_URL, encoding="utf-8")
    (top / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = ingest([top], open_store(":memory:"))
    assert [p for p, _ in report.stored] == [str(top / "good.txt")]
    messages = dict(report.failed)
    assert messages[str(top / "locked")] == f"{top / 'locked'}: folder cannot be read: Permission denied; its files were not ingested"
    assert "a link to nothing" in messages[str(top / "gone.txt")]


# -- parallel ingest: extraction in worker processes, one writer, the same store

def _batch(tmp_path):
    """The seed, the self-written gold articles, a url-less one, a duplicate and a bad file."""
    from tests.conftest import GOLD_DIR

    folder = tmp_path / "batch"
    folder.mkdir()
    for i, src in enumerate([SEED, *sorted(GOLD_DIR.glob("*.txt"))]):
        (folder / f"{i:02d}.txt").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "50-no-url.txt").write_text(NO_URL, encoding="utf-8")
    (folder / "51-again.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "52-bad.txt").write_bytes("שלום".encode("cp1255"))
    return folder


def test_store_parallel_ingest_equals_one_process(tmp_path):
    folder = _batch(tmp_path)
    one, two = open_store(str(tmp_path / "one")), open_store(str(tmp_path / "two"))
    r1 = ingest([folder], one, jobs=1)
    r2 = ingest([folder], two, jobs=2)
    assert one.nquads() == two.nquads()
    assert len(one.nquads().splitlines()) > 3000
    assert (r1.stored, r1.failed, r1.claims, r1.quotes) == (r2.stored, r2.failed, r2.claims, r2.quotes)
    assert [p for p, _ in r2.failed] == [str(folder / "52-bad.txt")] and "not UTF-8" in r2.failed[0][1]


def test_store_parallel_time_limit_is_one_line_and_the_batch_goes_on(tmp_path, monkeypatch):
    import time

    import kg.pipeline as pl
    from kg.model import Limits

    real = pl.extract

    def slow(article, catalog=None):
        if article.path.endswith("slow.txt"):
            time.sleep(30)
        return real(article, catalog)

    monkeypatch.setattr(pl, "extract", slow)     # the forked workers run it too
    slow_file, good = tmp_path / "slow.txt", tmp_path / "good.txt"
    slow_file.write_text(NO_URL.replace("שער", "שני שערים"), encoding="utf-8")
    good.write_text(NO_URL, encoding="utf-8")
    started = time.monotonic()
    report = ingest([slow_file, good, SEED], open_store(":memory:"), limits=Limits(seconds=0.5), jobs=2)
    assert time.monotonic() - started < 20
    assert [p for p, _ in report.stored] == [str(good), str(SEED)]
    (path, message), = report.failed
    assert path == str(slow_file) and "after 0.5 s" in message and "--time-limit" in message


def test_cli_ingest_jobs_option(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    folder = _batch(tmp_path)
    r = CliRunner().invoke(cli, ["ingest", str(folder), "--store", str(tmp_path / "kg"), "--jobs", "2"])
    assert r.exit_code == 1                     # the bad file
    summary = r.output.splitlines()[0]
    assert summary.startswith(f"stored {len(list(folder.iterdir())) - 2} article(s)")
    assert "; 1 unchanged (not extracted again)" in summary    # 51-again.txt: the seed's bytes
    assert r.output.count("failed: ") == 1 and "52-bad.txt" in r.output


def test_store_loaded_articles_equal_updated_ones(tmp_path):
    """A new article's graph goes in through Oxigraph's N-Quads loader with the catalogue
    descriptions it adds; a graph already stored is replaced by a SPARQL update, and the
    catalogue graph is then rebuilt from scratch: both give the same store."""
    folder = _batch(tmp_path)
    loaded, updated = open_store(str(tmp_path / "loaded")), open_store(str(tmp_path / "updated"))
    ingest([folder], loaded)
    ingest([folder], updated)
    ingest([folder], updated, force=True)      # every graph replaced, the catalogue graph rebuilt
    assert loaded.nquads() == updated.nquads()
    catalog = {q for q in loaded.nquads().decode().splitlines() if q.endswith(f"<{CATALOG}> .")}
    assert len(catalog) > 500 and any("CatalogFact" in q for q in catalog)


# -- an unchanged file is not extracted again

def test_store_unchanged_file_is_skipped_by_its_content_hash(tmp_path, monkeypatch):
    import kg.pipeline as pl

    folder = _batch(tmp_path)
    store = open_store(str(tmp_path / "kg"))
    first = ingest([folder], store)
    before = store.nquads()
    assert b"ontology#contentHash" in before
    calls = []
    real = pl.extract
    monkeypatch.setattr(pl, "extract", lambda article, catalog=None: calls.append(article.path) or real(article, catalog))
    (folder / "01.txt").write_text((folder / "01.txt").read_text(encoding="utf-8") + "\nעוד שורה.\n", encoding="utf-8")
    second = ingest([folder], store)
    assert calls == [str(folder / "01.txt")]             # only the edited file was extracted
    assert [p for p, _ in second.stored] == [str(folder / "01.txt")]
    assert first.unchanged == [str(folder / "51-again.txt")]         # the seed's bytes, stored just before
    assert len(second.unchanged) == len(first.stored) + len(first.unchanged) - 1
    assert second.failed == first.failed
    assert "עוד שורה" in store.nquads().decode()
    assert ingest([folder], store, force=True).unchanged == []  # --force extracts every file


def test_store_new_ruleset_version_extracts_again(tmp_path, monkeypatch):
    import kg.rules.registry as registry

    store = open_store(str(tmp_path / "kg"))
    ingest([SEED], store)
    assert ingest([SEED], store).unchanged == [str(SEED)]
    monkeypatch.setattr(registry, "RULESET_SERIES", "2099.1")
    report = ingest([SEED], store)
    assert report.unchanged == [] and [p for p, _ in report.stored] == [str(SEED)]
    versions = {str(r["v"]) for r in store.query(
        "SELECT ?v WHERE { ?run <https://w3id.org/footkg/ontology#ruleSetVersion> ?v }").rows}
    assert len(versions) == 1 and versions.pop().startswith("2099.1+")
    assert ingest([SEED], store).unchanged == [str(SEED)]


def test_store_same_text_in_another_file_without_url_is_not_skipped(tmp_path):
    """A url-less article is known by its file: the same bytes read from another path
    are extracted (and recorded with that path), as before the content hash."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    for f in (a, b):
        f.write_text(NO_URL, encoding="utf-8")
    store = open_store(str(tmp_path / "kg"))
    ingest([a], store)
    report = ingest([b], store)
    assert report.unchanged == [] and [p for p, _ in report.stored] == [str(b)]
    assert ingest([b], store).unchanged == [str(b)]
