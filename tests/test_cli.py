import pytest
from click.testing import CliRunner

from kg.cli import cli
from tests.conftest import SEED

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_cli_every_command_has_help_with_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output or "example" in result.output, name


def test_cli_ingest_query_export(tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "kg")
    r = runner.invoke(cli, ["ingest", str(SEED), "--store", store])
    assert r.exit_code == 0 and "stored 1 article(s)" in r.output
    r = runner.invoke(cli, ["query", "quotes-by-speaker", "--param", "speaker=ג'רארד פיקה",
                            "--store", store, "--format", "csv"])
    assert r.exit_code == 0
    assert r.output.count("gerard-pique") == 2
    r = runner.invoke(cli, ["export", "--format", "nquads", "-o", str(tmp_path / "x.nq"), "--store", store])
    assert r.exit_code == 0 and (tmp_path / "x.nq").stat().st_size > 1000


def test_cli_bad_input_is_a_clean_error(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00")
    r = CliRunner().invoke(cli, ["ingest", str(bad), "--store", str(tmp_path / "kg")])
    assert r.exit_code == 1
    assert "bad.txt: not UTF-8" in r.output
    assert "Traceback" not in r.output


def test_cli_unknown_query_is_a_clean_error(tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "kg")
    runner.invoke(cli, ["ingest", str(SEED), "--store", store])
    r = runner.invoke(cli, ["query", "no-such-query", "--store", store])
    assert r.exit_code == 1 and "unknown query 'no-such-query'" in r.output


def test_cli_python_dash_m(tmp_path):
    import subprocess, sys
    out = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "ingest" in out.stdout


def test_cli_each_rejected_file_is_one_line_and_the_batch_goes_on(tmp_path):
    import subprocess, sys
    bad = {"a-url.txt": "url https://example.org/a{b}\n date 2026-01-18 א\n",
           "b-ipv6.txt": "url http://[::1\n date 2026-01-18 א\n",
           "c-page.txt": "<!doctype html><html><body>א</body></html>",
           "d-page.html": "<html></html>"}
    for name, text in bad.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "e-bytes.txt").write_bytes(b"\xff\xfe")
    (tmp_path / "z-good.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    files = [str(tmp_path / n) for n in (*bad, "e-bytes.txt", "z-good.txt")]
    out = subprocess.run([sys.executable, "-m", "kg", "ingest", *files, "--store", str(tmp_path / "kg")],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert "stored 1 article(s)" in out.stdout and "5 file(s) failed" in out.stdout
    assert "Traceback" not in out.stderr
    for name in (*bad, "e-bytes.txt"):
        lines = [ln for ln in out.stderr.splitlines() if name in ln]
        assert len(lines) == 1, (name, out.stderr)
    assert "HTML page" in out.stderr


def test_cli_ingest_counts_skipped_files(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "in" / "b.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "in" / "notes.md").write_text("x", encoding="utf-8")
    r = CliRunner().invoke(cli, ["ingest", str(tmp_path / "in"), "--store", str(tmp_path / "kg")])
    assert r.exit_code == 1 and "stored 1 article(s)" in r.output
    assert "1 file(s) failed; skipped 1 file(s) that are not .txt" in r.output
    assert [ln for ln in r.output.splitlines() if "b.html" in ln] == \
        [f"failed: {tmp_path / 'in' / 'b.html'}: an HTML page (.html file), not article text; "
         "save the article's text as a .txt file"]


def test_cli_remove_of_an_article_not_stored_is_an_error(tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "kg")
    runner.invoke(cli, ["ingest", str(SEED), "--store", store])
    missing = "https://w3id.org/footkg/article/one-999999"
    r = runner.invoke(cli, ["remove", missing, "--store", store])
    assert r.exit_code == 1 and "removed" not in r.output.replace("nothing removed", "")
    assert len(r.output.strip().splitlines()) == 1 and missing in r.output and "not in the store" in r.output
    r = runner.invoke(cli, ["remove", "https://w3id.org/footkg/article/one-512109", missing, "--store", store])
    assert r.exit_code == 1, r.output             # nothing removed when one is missing
    r = runner.invoke(cli, ["remove", "https://w3id.org/footkg/article/one-512109", "--store", store])
    assert r.exit_code == 0 and "removed 1 article graph(s)" in r.output, r.output
