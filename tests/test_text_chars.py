"""Characters that str.splitlines() (and other line readers) take for line breaks, and
control characters, in article text: every export must still parse, with another parser
(pyoxigraph), back to the very text that was read."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.export import serialize
from kg.pipeline import ingest
from kg.store import open_store

TEXT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
SPLITLINES = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r" and chr(c) not in SPLITLINES]
OTHERS = ["\x7f", "\r", "\r\n", "\ufeff", "\u200f", "\U0001F600", '"""', "\\", "\\u0041", "'''", ">",
          "\n@prefix ex: <http://x/> .\n", "\n} <http://x/g> {\n"]
CHARS = SPLITLINES + CONTROLS + OTHERS
OXFORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
             "jsonld": ox.RdfFormat.JSON_LD, "ntriples": ox.RdfFormat.N_TRIPLES}


def _body(ch: str) -> str:
    return f" date 2026-02-01 ליאו מסי הבקיע{ch}שער לאינטר מיאמי.{ch}\nעוד שורה {ch} כאן.\n"


def _texts(quads) -> set[str]:
    return {q.object.value for q in quads if q.predicate.value.endswith(("#text", "/text"))
            and isinstance(q.object, ox.Literal) and "ליאו מסי" in q.object.value}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One store holding an article per character (each in its own file)."""
    folder = tmp_path_factory.mktemp("chars")
    for i, ch in enumerate(CHARS):
        # a URL each: the hash IRI of a text without a URL ignores some of these characters
        head = f"url https://example.org/chars/{i}\n"
        (folder / f"a{i:02d}.txt").write_bytes((head + _body(ch)).encode("utf-8"))
    st = open_store(":memory:")
    report = ingest([folder], st)
    assert not report.failed and len(report.stored) == len(CHARS)
    return st


def test_text_chars_nquads_dump_has_every_quad(store):
    data = store.nquads()
    dumped = set(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    assert dumped == set(store.ox)
    assert len(data.splitlines()) >= len(dumped)  # bytes.splitlines only splits on \n, \r
    assert data == store.nquads()                # byte-stable


@pytest.mark.parametrize("fmt", sorted(OXFORMATS))
def test_text_chars_every_export_parses_back_to_the_text(store, fmt):
    data = serialize(store, fmt)
    quads = list(ox.parse(data, format=OXFORMATS[fmt]))
    got = _texts(quads)
    want = {_body(ch).split(" ", 3)[3] for ch in CHARS}
    assert got == want
    if fmt in ("trig", "nquads"):
        assert set(quads) == set(store.ox)
    else:
        assert {(q.subject, q.predicate, q.object) for q in quads} == \
            {(q.subject, q.predicate, q.object) for q in store.ox}


@pytest.mark.parametrize("ch", SPLITLINES + ["\x00", "\x01", "\x7f"])
def test_text_chars_cli_ingest_export_validate(tmp_path, ch):
    f = tmp_path / "a.txt"
    f.write_bytes(_body(ch).encode("utf-8"))
    kg = str(tmp_path / "kg")
    runner = CliRunner()
    r = runner.invoke(cli, ["ingest", str(f), "--store", kg])
    assert r.exit_code == 0, r.output
    for fmt in ("turtle", "trig", "nquads", "jsonld"):
        out = tmp_path / f"x.{fmt}"
        r = runner.invoke(cli, ["export", "--format", fmt, "-o", str(out), "--store", kg])
        assert r.exit_code == 0, r.output
        assert _texts(ox.parse(out.read_bytes(), format=OXFORMATS[fmt])) == {_body(ch).split(" ", 3)[3]}
    r = runner.invoke(cli, ["validate", "--store", kg])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert "Traceback" not in r.output


def test_text_chars_lone_surrogate_is_refused_as_not_utf8(tmp_path):
    f = tmp_path / "s.txt"
    f.write_bytes(" date 2026-02-01 ליאו מסי ".encode() + b"\xed\xa0\x80" + " שער.\n".encode())
    report = ingest([f], open_store(":memory:"))
    assert report.failed and "s.txt: not UTF-8" in report.failed[0][1]


@pytest.mark.parametrize("ending", ['\\"', '\\', '"', '""', '\\\\"', '"\\"', '\\\n"'])
def test_text_chars_an_article_ending_in_quotes_and_backslashes_is_stored_and_exported(tmp_path, ending):
    """rdflib's n3() writes a multi-line text in triple quotes and left a quote after a
    backslash unescaped: an article ending in ``\\"`` failed to be stored at all (found by
    bench/bench_fuzz.py). Store and exports must keep the text exactly."""
    body = f" date 2026-02-01 ליאו מסי הבקיע שער.\nהוא אמר: \"ניצחנו{ending}"
    f = tmp_path / "a.txt"
    f.write_bytes(body.encode("utf-8"))
    store = open_store(":memory:")
    report = ingest([f], store)
    assert report.failed == [] and len(report.stored) == 1
    want = body[len(" date 2026-02-01 "):]
    for fmt, oxfmt in OXFORMATS.items():
        if fmt == "ntriples":
            continue
        assert _texts(ox.parse(serialize(store, fmt), format=oxfmt)) == {want}, fmt
