"""Output folders are written aside and moved into place whole (issue 10, atomic outputs)."""

import pytest

from analysis.pipeline import write_atomically


def test_complete_write_replaces_the_old_folder(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "stale.csv").write_text("old")
    write_atomically(out, lambda folder: (folder / "hats.csv").write_text("new"))
    assert sorted(p.name for p in out.iterdir()) == ["hats.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_failed_write_leaves_the_old_folder_untouched_and_no_partial(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "hats.csv").write_text("old")

    def fail(folder):
        (folder / "hats.csv").write_text("half")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_atomically(out, fail)
    assert (out / "hats.csv").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_failed_first_write_leaves_no_folder(tmp_path):
    def fail(folder):
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_atomically(tmp_path / "run", fail)
    assert list(tmp_path.iterdir()) == []
