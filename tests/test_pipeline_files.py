"""Output folders are written aside and moved into place whole (issue 10, atomic outputs;
the writer is :mod:`analysis.render.atomic`)."""

from pathlib import Path

import pytest

from analysis.cli import main
from analysis.errors import DatasetError
from analysis.pipeline import run_analysis
from analysis.render.atomic import write_folder as write_atomically


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


# --- a whole run, failing or interrupted while it writes -------------------------------------

ORGS = "org_id,name,kind\nO1,สำนักงานพัฒนาสังคมฯ สระแก้ว,agency\nO2,กลุ่มออมทรัพย์บ้านหนองบัว,community_org\n"
PEOPLE = ("record_id,source,name,org_id,role\nR1,ทะเบียน 2567,นายสมชาย ใจดี,O1,ประธาน\n"
          "R2,เวทีตำบล,นาย สมชาย ใจดี,O2,กรรมการ\nR3,เวทีตำบล,นางสาวมาลี ศรีสุข,O2,เหรัญญิก\n")


@pytest.fixture
def dataset(tmp_path):
    folder = tmp_path / "dataset"
    folder.mkdir()
    (folder / "organisations.csv").write_text(ORGS, encoding="utf-8")
    (folder / "people.csv").write_text(PEOPLE, encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fail_while_writing_the_workbook(monkeypatch, error=RuntimeError("disk full")):
    """The xlsx writer writes half a file, then fails: the other outputs are written by then."""
    def write_half(tables, path, public=False, area_links=None):
        Path(path).write_bytes(b"PK half a workbook")
        raise error
    monkeypatch.setattr("analysis.render.workbook.write_report_xlsx", write_half)


def test_a_run_failing_mid_write_keeps_the_old_output_whole(dataset, tmp_path, monkeypatch):
    out = run_analysis(dataset, tmp_path / "out")
    old = snapshot(out)
    assert {"persons.csv", "report.html", "report.xlsx", "run.json"} <= set(old)
    fail_while_writing_the_workbook(monkeypatch)
    with pytest.raises(RuntimeError, match="disk full"):
        run_analysis(dataset, out)
    assert snapshot(out) == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "out"]  # no partial folder beside it


def test_an_interrupted_first_run_leaves_no_folder(dataset, tmp_path, monkeypatch, capsys):
    fail_while_writing_the_workbook(monkeypatch, KeyboardInterrupt())
    assert main(["run", str(dataset), "--out", str(tmp_path / "out")]) == 130
    assert "no output folder was left half-written" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]


def test_a_rerun_replaces_the_old_output_cleanly(dataset, tmp_path):
    out = run_analysis(dataset, tmp_path / "out")
    (out / "left_from_an_older_version.csv").write_text("x")
    run_analysis(dataset, out)
    assert "left_from_an_older_version.csv" not in snapshot(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "out"]


def test_a_failed_move_into_place_puts_the_old_output_back(tmp_path, monkeypatch):
    out = tmp_path / "run"
    out.mkdir()
    (out / "hats.csv").write_text("old")
    rename = Path.rename

    def refuse_partial(self, target):
        if ".partial-" in self.name:
            raise OSError("device busy")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse_partial)
    monkeypatch.setattr("analysis.render.atomic.exchange", lambda a, b: False)  # the two-rename way
    with pytest.raises(DatasetError, match="device busy"):
        write_atomically(out, lambda folder: (folder / "hats.csv").write_text("new"))
    assert (out / "hats.csv").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


@pytest.mark.parametrize("where", ["dataset", "."])
def test_an_output_folder_holding_the_dataset_is_refused(dataset, tmp_path, monkeypatch, where):
    # Replacing that folder would delete the input along with the old output.
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatasetError, match=r"holds the dataset dataset: choose another --out"):
        run_analysis(Path("dataset"), Path(where))
    assert sorted(p.name for p in dataset.iterdir()) == ["organisations.csv", "people.csv"]


def test_a_folder_that_is_not_an_earlier_output_is_not_replaced(dataset, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "minutes.docx").write_text("x")
    with pytest.raises(DatasetError, match=r"notes is not the output of an earlier run \(it has no run.json\)"):
        run_analysis(dataset, notes)
    assert (notes / "minutes.docx").exists()
