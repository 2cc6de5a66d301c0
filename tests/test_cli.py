"""The command line: help, and bad arguments give exit status 2 without a traceback."""

import subprocess
import sys


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True)


def test_help_lists_every_contract_command():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("demo", "run", "validate", "compare", "graph", "sample"):
        assert command in result.stdout


def test_unknown_command_exits_2_without_traceback():
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_a_command_s_whole_output_reaches_a_pipe_before_it_exits(tmp_path):
    """The command exits without freeing its objects (cli.run_command): what it printed is
    flushed first, and its files are whole."""
    assert run_cli("sample", "--out", str(tmp_path / "d"), "--scale", "tambon").returncode == 0
    result = run_cli("validate", str(tmp_path / "d" / "2026Q3"), "--out", str(tmp_path / "v"))
    assert result.returncode == 0
    assert result.stdout.rstrip().splitlines()[-1].startswith("Organisation names matched to ids:")  # the last line
    assert "people" in result.stdout and "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "d" / "2026Q3").glob("*.csv")) == [
        "funding.csv", "organisations.csv", "participation.csv", "people.csv", "projects.csv"]
