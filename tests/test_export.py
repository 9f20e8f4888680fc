import os
import subprocess
import sys

import pyoxigraph as ox
import pytest

from kg.errors import ExportError
from kg.export import serialize, serialize_all
from tests.conftest import ROOT, SEED

ARTICLE = "https://w3id.org/footkg/article/one-512109"
CATALOG = "https://w3id.org/footkg/graph/catalog"


@pytest.mark.parametrize("fmt, oxfmt", [
    ("turtle", ox.RdfFormat.TURTLE), ("trig", ox.RdfFormat.TRIG),
    ("nquads", ox.RdfFormat.N_QUADS), ("jsonld", ox.RdfFormat.JSON_LD),
])
def test_export_parses_with_oxigraph(seed_store, fmt, oxfmt):
    data = serialize(seed_store, fmt)
    quads = list(ox.parse(data, format=oxfmt))
    stored = list(ox.parse(seed_store.nquads(), format=ox.RdfFormat.N_QUADS))
    if oxfmt.supports_datasets:
        assert set(quads) == set(stored)
    else:
        assert {(q.subject, q.predicate, q.object) for q in quads} == \
            {(q.subject, q.predicate, q.object) for q in stored}


def test_export_all_formats_at_once_equal_one_at_a_time(seed_store):
    together = serialize_all(seed_store, ("turtle", "trig", "nquads", "jsonld"))
    assert together == {fmt: serialize(seed_store, fmt) for fmt in together}


def test_export_all_refuses_an_unknown_format_before_writing(seed_store):
    with pytest.raises(ExportError, match="unknown format 'rdfxml'"):
        serialize_all(seed_store, ("turtle", "rdfxml"))


def test_export_trig_keeps_graphs_apart(seed_store):
    quads = list(ox.parse(serialize(seed_store, "trig"), format=ox.RdfFormat.TRIG))
    graphs = {q.graph_name.value for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert graphs == {ARTICLE, CATALOG}
    catalog_subjects = {q.subject.value for q in quads if q.graph_name == ox.NamedNode(CATALOG)}
    assert "https://w3id.org/footkg/entity/lionel-messi" in catalog_subjects
    assert not any(q.predicate.value.endswith("#text") for q in quads if q.graph_name == ox.NamedNode(CATALOG))


def test_export_turtle_is_the_union(seed_store):
    quads = list(ox.parse(serialize(seed_store, "turtle"), format=ox.RdfFormat.TURTLE))
    assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)


def test_export_byte_stable_across_processes(tmp_path):
    code = ("import sys; from kg.store import open_store; from kg.pipeline import ingest; "
            "from kg.export import serialize; s = open_store(':memory:'); ingest(sys.argv[1:], s); "
            "sys.stdout.buffer.write(b''.join(serialize(s, f) for f in ('turtle', 'trig', 'jsonld')))")
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.append(subprocess.run([sys.executable, "-c", code, str(SEED), str(ROOT / "tests" / "gold")], env=env,
                                   capture_output=True, check=True).stdout)
    assert outs[0] == outs[1] and len(outs[0]) > 10_000


def test_export_unknown_format(seed_store):
    from kg.errors import ExportError
    with pytest.raises(ExportError, match="unknown format 'xml'"):
        serialize(seed_store, "xml")


def test_export_files_in_exports_are_current(tmp_path, update_golden):
    """exports/ holds the main job's output for seeds/; stale exports fail here."""
    from click.testing import CliRunner
    from kg.cli import cli

    out = ROOT / "exports" if update_golden else tmp_path
    result = CliRunner().invoke(cli, ["build", str(ROOT / "seeds"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("kg.ttl", "kg.trig", "graph.html"):
        committed = (ROOT / "exports" / name).read_bytes()
        assert (out / name).read_bytes() == committed, f"exports/{name} is stale: run kg build seeds/ --out exports/"
