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
