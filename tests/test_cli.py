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
