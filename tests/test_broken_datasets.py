"""Every dataset of the catalogue (tests/broken_datasets.py) stops the run with its one sentence (issue 10).

Through the real command line, for ``validate`` and ``run``: exit status 2, stderr exactly
``stakemap: <message>`` on one line, nothing on stdout, no output folder. The catalogue and
the table in docs/data_format.md ("When a dataset cannot be read") must agree word for word.
"""

import contextlib
import io
import re

import pytest

from analysis.cli import main
from analysis.config import PROJECT_DIR
from tests.broken_datasets import CATALOGUE

DOCS = PROJECT_DIR / "docs" / "data_format.md"


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(argv)
    return status, stdout.getvalue(), stderr.getvalue()


@pytest.mark.parametrize("broken", CATALOGUE, ids=[b.name for b in CATALOGUE])
@pytest.mark.parametrize("command", ["validate", "run"])
def test_broken_dataset_stops_with_its_sentence(broken, command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = broken.build(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    status, stdout, stderr = run_cli([command, target, "--out", "out"])
    assert (status, stderr, stdout) == (2, f"stakemap: {broken.message}\n", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def docs_table() -> list[tuple[str, str]]:
    """(name, message) rows of the table under "When a dataset cannot be read"."""
    section = DOCS.read_text(encoding="utf-8").split("## When a dataset cannot be read\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| (.+?) \| `(.+)` \|$", section, flags=re.M)


def test_docs_list_every_broken_dataset_with_its_message():
    assert docs_table() == [(b.name, b.message) for b in CATALOGUE]


def test_catalogue_names_are_unique():
    assert len({b.name for b in CATALOGUE}) == len(CATALOGUE)
