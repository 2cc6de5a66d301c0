"""Tables are written with Excel-friendly Thai, the same bytes each time, and no formulas."""

import pandas as pd
import pytest

from analysis.errors import DatasetError
from analysis.render.tables import neutralise_formulas, write_csv


def test_formula_cells_are_prefixed_but_numbers_and_text_are_not():
    df = pd.DataFrame({"name": ["=1+2", "@SUM(A1)", "+66 81", "-500", "สมชาย", "-x"]})
    assert neutralise_formulas(df)["name"].tolist() == ["'=1+2", "'@SUM(A1)", "'+66 81", "-500", "สมชาย", "'-x"]


def test_csv_is_utf8_with_bom_and_byte_identical(tmp_path):
    df = pd.DataFrame({"person_name": ["สมชาย ใจดี"], "n_agencies": [3]})
    a = write_csv(df, tmp_path / "a.csv").read_bytes()
    b = write_csv(df, tmp_path / "b.csv").read_bytes()
    assert a == b
    assert a.startswith(b"\xef\xbb\xbf")
    assert a.decode("utf-8-sig") == "person_name,n_agencies\nสมชาย ใจดี,3\n"


def test_a_lone_carriage_return_stays_inside_its_cell(tmp_path):
    # Python's csv writer would leave "x\ry" unquoted (it quotes only "\n", the terminator
    # used), and every reader would then see two rows.
    df = pd.DataFrame({"value": ["x\ry", "a\r\nb", "z"]})
    back = pd.read_csv(write_csv(df, tmp_path / "q.csv"), encoding="utf-8-sig", dtype=str)
    assert back["value"].tolist() == ["x\ny", "a\r\nb", "z"]


def test_a_failed_write_leaves_the_earlier_file_whole(tmp_path, monkeypatch):
    path = write_csv(pd.DataFrame({"record_id": ["R1", "R2"]}), tmp_path / "quarantine.csv")
    before = path.read_bytes()

    def disk_full(self, file, **kwargs):  # write_csv hands to_csv an open file
        file.write("record_id\nR")  # half a table, then the disk is full
        file.flush()
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", disk_full)
    with pytest.raises(DatasetError, match=r"quarantine.csv cannot be written \(No space left on device\)"):
        write_csv(pd.DataFrame({"record_id": ["R3"]}), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quarantine.csv"]  # no partial file left
