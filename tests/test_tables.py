"""Tables are written with Excel-friendly Thai, the same bytes each time, and no formulas."""

import csv
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from analysis.errors import DatasetError
from analysis.render import tables
from analysis.render.tables import _write_with_pandas, neutralise_formulas, write_columns_csv, write_csv


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

    class DiskFull:  # write_csv hands Python's csv writer an open file
        def __init__(self, file, **kwargs):
            self.file = file

        def writerow(self, row):
            self.file.write("record_id\nR")  # half a table, then the disk is full
            self.file.flush()
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(csv, "writer", DiskFull)
    with pytest.raises(DatasetError, match=r"quarantine.csv cannot be written \(No space left on device\)"):
        write_csv(pd.DataFrame({"record_id": ["R3"]}), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quarantine.csv"]  # no partial file left


#: Cells of the kinds the outputs hold, and the edges of each: text that a spreadsheet would
#: run or that must be quoted, whole numbers past int64, floats Python and numpy could write
#: differently (exponents, -0.0, infinity), gaps.
TEXT = st.text(alphabet=st.sampled_from(list('ab ,"\r\n\x00=+-@\tก่1.')), max_size=6)
FLOATS = st.floats(allow_nan=True) | st.sampled_from([1e16, 1e-5, 0.1, -0.0, 123456789.0])
INTS = st.integers(-2**64, 2**64) | st.integers(-3, 3)
COLUMN_KINDS = [TEXT, st.none() | TEXT, INTS, st.none() | INTS, FLOATS, st.none() | FLOATS,
                st.booleans(), st.none() | st.booleans()]


@st.composite
def python_columns(draw) -> dict[str, list]:
    n_rows = draw(st.integers(0, 6))
    kinds = draw(st.lists(st.sampled_from(COLUMN_KINDS), min_size=1, max_size=4))
    return {f"c{i}": draw(st.lists(kind, min_size=n_rows, max_size=n_rows)) for i, kind in enumerate(kinds)}


def read_written(write, table) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return write(table, Path(folder) / "t.csv").read_bytes()


@given(python_columns())
@example({"c0": [""]})  # one empty cell alone on its line: the csv writer quotes it
@example({"c0": ["=1", None], "c1": [2**63, None]})  # past int64 with a gap: pandas keeps objects
def test_columns_are_written_as_pandas_writes_their_frame(columns):
    # The reference is pandas' own to_csv of the frame the columns make.
    expected = read_written(_write_with_pandas, pd.DataFrame(columns))
    assert read_written(write_columns_csv, columns) == expected
    assert read_written(write_csv, pd.DataFrame(columns)) == expected


def test_rows_joined_a_chunk_at_a_time_are_the_csv_writers(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "CSV_CHUNK_ROWS", 2)
    columns = {"a": ["x", 'say "hi"', None, "ก,ข", "=1"], "b": [1.5, None, 2.0, None, 1e16]}
    expected = read_written(_write_with_pandas, pd.DataFrame(columns))
    assert write_columns_csv(columns, tmp_path / "t.csv").read_bytes() == expected
    assert write_csv(pd.DataFrame(columns), tmp_path / "f.csv").read_bytes() == expected
    assert write_csv(pd.DataFrame({"a": columns["a"]}), tmp_path / "one.csv").read_bytes() == \
        read_written(_write_with_pandas, pd.DataFrame({"a": columns["a"]}))


def test_a_frame_of_other_types_is_written_by_pandas(tmp_path):
    df = pd.DataFrame({"when": pd.to_datetime(["2026-01-02"]), "n": pd.array([1], dtype="Int64"),
                       "grade": pd.Categorical(["A"])})
    assert write_csv(df, tmp_path / "t.csv").read_text(encoding="utf-8-sig") == "when,n,grade\n2026-01-02,1,A\n"
