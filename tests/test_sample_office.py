"""analysis/sample/office.py: ``stakemap sample --as office`` writes the offices' files, and a
run on them finds what a run on the same lines in contract form finds (issue 15)."""

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from analysis.cli import main
from analysis.pipeline import run_analysis
from analysis.sample.office import make_national_id, thai_period
from analysis.ingest.normalise import normalise_national_id


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("office") / "sample"
    assert main(["sample", "--as", "office", "--scale", "tambon", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    out = tmp_path_factory.mktemp("office") / "merged"
    assert main(["sample", "--as", "office", "--scale", "tambon", "--layout", "merged", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module", params=["lists", "merged"])
def runs(request, tmp_path_factory):
    folder = request.getfixturevalue("sample" if request.param == "lists" else "merged")
    base = tmp_path_factory.mktemp("runs")
    return run_analysis(folder, base / "office"), run_analysis(folder / "contract", base / "contract")


def test_the_sample_holds_the_layouts_offices_keep(sample):
    books = sorted(sample.glob("*.xlsx"))
    assert any(len(CalamineWorkbook.from_path(str(b)).sheet_names) > 1 for b in books)  # several sheets
    csv_files = sorted(sample.glob("*.csv"))
    assert csv_files
    assert any(not f.read_bytes().startswith(b"\xef\xbb\xbf") for f in csv_files)  # cp874, no BOM
    roster = CalamineWorkbook.from_path(str(sample / "ทะเบียนรายชื่อ_01.xlsx"))
    rows = [r for name in roster.sheet_names for r in roster.get_sheet_by_name(name).to_python()]
    header = [r for r in rows if "ลำดับ" in r]
    assert any("คำนำหน้า" in h for h in header) and any("ชื่อ-สกุล" in h for h in header)
    assert any("เลขประจำตัวประชาชน" in h for h in header)
    assert any(isinstance(c, str) and c.endswith("E+12") for r in rows for c in r)  # mangled IDs
    assert any(isinstance(c, str) and c.startswith("ลงชื่อ") for r in rows for c in r)  # signature footer


def test_a_run_on_office_files_finds_what_a_run_on_the_contract_form_finds(runs):
    office, contract = runs
    for name in ("persons", "hats", "duplicate_projects", "bridges"):
        a = pd.read_csv(office / f"{name}.csv", dtype=str, keep_default_na=False)
        b = pd.read_csv(contract / f"{name}.csv", dtype=str, keep_default_na=False)
        key = list(a.columns)
        assert a.sort_values(key).reset_index(drop=True).equals(b.sort_values(key).reset_index(drop=True)), name
    assert len(pd.read_csv(office / "duplicate_projects.csv")) > 0  # the comparison is not empty


def test_the_merged_layout_joins_the_lists_into_a_few_long_sheets(sample, merged):
    def count(folder):
        books = sorted(folder.glob("*.xlsx"))
        return len(books) + len(list(folder.glob("*.csv"))), sum(len(CalamineWorkbook.from_path(str(b)).sheet_names) for b in books)

    (n_files, n_sheets), (n_merged_files, n_merged_sheets) = count(sample), count(merged)
    assert n_merged_files < n_files and n_merged_sheets < n_sheets
    assert n_merged_sheets == len(sorted(merged.glob("*.xlsx")))  # one sheet a workbook
    attendance = CalamineWorkbook.from_path(str(merged / "ลงทะเบียนผู้เข้าร่วม_01.xlsx")).get_sheet_by_name("ผู้เข้าร่วม 1")
    rows = attendance.to_python()
    assert "รหัสโครงการ" in rows[1] and len({r[1] for r in rows[2:] if r[1]}) > 1  # several projects, named per line
    for table in ("people", "projects", "funding", "participation"):  # the same lines, laid out otherwise
        assert len(pd.read_csv(sample / "contract" / f"{table}.csv")) == len(pd.read_csv(merged / "contract" / f"{table}.csv"))


def test_national_ids_made_for_the_sample_pass_their_check_digit():
    assert normalise_national_id(make_national_id("H-001")) == make_national_id("H-001")


def test_a_period_is_written_as_offices_write_it():
    assert thai_period("2023-10-01", "30/09/2567") == "1 ต.ค. 66 - 30 ก.ย. 67"


def test_the_workbooks_are_real_xlsx_with_merged_titles_and_numbers_as_numbers(sample, tmp_path):
    from openpyxl import load_workbook

    from analysis.sample.office import save_book

    book = load_workbook(sample / "ทะเบียนรายชื่อ_01.xlsx")  # what Excel opens: openpyxl checks the package
    sheet = book.worksheets[0]
    assert [str(r) for r in sheet.merged_cells.ranges] == [f"A1:{sheet.cell(2, sheet.max_column).column_letter}1"]
    assert sheet.cell(3, 1).value == 1  # ลำดับ as a number
    save_book(tmp_path / "a.xlsx", [("หมู่ 1", [["ทะเบียน & รายชื่อ"], ["ลำดับ", "ชื่อ"], [1, "<นาย ก>"], [], ["ลงชื่อ"]])])
    save_book(tmp_path / "b.xlsx", [("หมู่ 1", [["ทะเบียน & รายชื่อ"], ["ลำดับ", "ชื่อ"], [1, "<นาย ก>"], [], ["ลงชื่อ"]])])
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()  # same lines, same bytes
    rows = CalamineWorkbook.from_path(str(tmp_path / "a.xlsx")).get_sheet_by_name("หมู่ 1").to_python()
    assert rows == [["ทะเบียน & รายชื่อ", ""], ["ลำดับ", "ชื่อ"], [1, "<นาย ก>"], ["", ""], ["ลงชื่อ", ""]]
