"""report.xlsx (analysis/render/workbook.py): every table a sheet, two header rows, values
never formulas, same bytes twice."""

import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.render.workbook import README_SHEET, _cell, _cell_xml, _column_xml, _rows_xml, write_report_xlsx


def tables():
    return {
        "hats": pd.DataFrame({"person_id": ["P-1", "P-2"], "person_name": ["=HYPERLINK(\"http://x\")", "นางสมศรี"],
                              "n_agencies": [3, 1], "agencies": ["@SUM(A1)", "+พอช.|-อบต."]}),
        "bridges": pd.DataFrame({"org_id": ["O1"], "name": ["-2+3"], "rank": [1], "betweenness": [float("nan")]}),
        "gaps": pd.DataFrame(columns=["district", "tambon", "category"]),
    }


def test_every_table_is_a_sheet_with_thai_and_english_headers(tmp_path):
    path = write_report_xlsx(tables(), tmp_path / "report.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [README_SHEET, "hats", "bridges", "gaps"]
    ws = wb["hats"]
    assert [c.value for c in ws[1]] == ["รหัสบุคคล", "ชื่อ-สกุล", "จำนวนหน่วยงาน", "หน่วยงาน"]
    assert [c.value for c in ws[2]] == ["person_id", "person_name", "n_agencies", "agencies"]
    assert ws.freeze_panes == "A3"
    assert ws["C3"].value == 3 and ws["C3"].data_type == "n"
    assert wb["bridges"]["D3"].value is None  # NaN → empty cell
    assert ws.max_row == 4 and wb["gaps"].max_row == 2  # headers only for an empty table


def test_formula_like_text_is_stored_as_text(tmp_path):
    path = write_report_xlsx(tables(), tmp_path / "report.xlsx")
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert wb["hats"]["B3"].value == "=HYPERLINK(\"http://x\")" and wb["hats"]["B3"].data_type == "s"
    assert wb["bridges"]["B3"].value == "-2+3"


def test_pandas_reads_a_sheet_with_header_row_2(tmp_path):
    path = write_report_xlsx(tables(), tmp_path / "report.xlsx")
    hats = pd.read_excel(path, sheet_name="hats", header=1, engine="openpyxl")
    assert list(hats.columns) == ["person_id", "person_name", "n_agencies", "agencies"]
    assert hats["n_agencies"].tolist() == [3, 1]


def test_same_tables_same_bytes(tmp_path):
    first = write_report_xlsx(tables(), tmp_path / "a.xlsx").read_bytes()
    second = write_report_xlsx(tables(), tmp_path / "b.xlsx").read_bytes()
    assert first == second


def test_readme_lists_sheets_and_public_note(tmp_path):
    wb = openpyxl.load_workbook(write_report_xlsx(tables(), tmp_path / "r.xlsx", public=True))
    text = [c.value for row in wb[README_SHEET].iter_rows() for c in row if c.value is not None]
    assert "hats.csv" in text and "bridges.csv" in text
    assert any("public edition" in str(v) for v in text)


def test_a_long_table_is_cut_at_the_row_limit_and_the_readme_says_so(tmp_path, monkeypatch):
    from analysis.render import workbook

    monkeypatch.setattr(workbook, "MAX_DATA_ROWS", 1)
    path = write_report_xlsx(tables(), tmp_path / "report.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb["hats"].max_row == 3  # two header rows and the first data row of two
    notes = [row for row in wb[README_SHEET].iter_rows(values_only=True) if row and row[1] == "hats.csv"]
    assert notes == [(notes[0][0], "hats.csv", 2, "first 1 rows; all rows in hats.csv")]


def test_data_rows_are_the_xml_openpyxl_writes_for_the_same_cells(tmp_path):
    # The expected bytes come from openpyxl itself: the same values as write-only cells
    # (workbook._cell, text forced to text), saved, and the <sheetData> read back.
    values = ["a", "", " ", " x", "x ", "a&b<c>d\"e'f", "l1\nl2", "cr\rx", "\tt", "=1+2", "#N/A", "ไทย\u3000",
              "x" * 40_000, 0, -5, 12345678901234567, 0.1, 1e20, 1e-7, float("nan"), float("inf"), True, False,
              None, np.int64(7), np.float64(2.5), np.bool_(True), np.str_("np"), -0.0]
    table = pd.DataFrame({"v": pd.Series(values, dtype=object), "w": pd.Series(values[::-1], dtype=object)})
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("s")
    for row in table.itertuples(index=False, name=None):
        ws.append([_cell(ws, value) for value in row])
    wb.save(tmp_path / "openpyxl.xlsx")
    sheet = zipfile.ZipFile(tmp_path / "openpyxl.xlsx").read("xl/worksheets/sheet1.xml")
    expected = sheet.split(b"<sheetData>")[1].split(b"</sheetData>")[0]
    assert b"".join(_rows_xml(table, first_row=1)) == expected


def test_a_cell_of_another_type_is_refused(tmp_path):
    with pytest.raises(TypeError, match="text, numbers and true/false"):
        write_report_xlsx({"t": pd.DataFrame({"when": [pd.Timestamp("2026-01-01")]})}, tmp_path / "r.xlsx")


def test_every_sheet_prints_a4_landscape_one_page_wide_with_repeated_headers(tmp_path):
    path = write_report_xlsx(tables(), tmp_path / "report.xlsx")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4 in the OOXML paper size list
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
    for ws in wb.worksheets[1:]:
        assert ws.print_title_rows == "$1:$2", ws.title
    # autofilter over the CSV header row (row 2) and the data rows
    assert [wb[n].auto_filter.ref for n in ("hats", "bridges", "gaps")] == ["A2:D4", "A2:D3", "A2:C2"]


def test_cells_are_wrapped_and_numbers_shown_rounded_with_thousands_separators(tmp_path):
    table = pd.DataFrame({"name": ["มูลนิธิ " * 30, "ก"], "betweenness": [0.3792994134863084, 0.0],
                          "budget_thb": [1250000.0, 3.0], "effective_size": [1.9999999999999996, 12.5],
                          "phone": ["0812345678", "021234567"], "tambon": ["800801", "100101"]})
    wb = openpyxl.load_workbook(write_report_xlsx({"t": table}, tmp_path / "r.xlsx"))
    ws = wb["t"]
    assert [ws.cell(3, c).number_format for c in range(1, 7)] == ["@", "0.000", "#,##0", "#,##0.00", "@", "@"]
    assert ws["A3"].alignment.wrap_text and ws["A1"].alignment.wrap_text
    assert ws["B3"].value == 0.3792994134863084  # the cell keeps the value; the format rounds what is shown
    # codes and phones stay text with their leading 0
    assert (ws["E4"].value, ws["E4"].data_type, ws["F3"].value, ws["F3"].data_type) == ("021234567", "s", "800801", "s")
    # the long name wraps in a column capped at MAX_WIDTH; the sheet fits the page width
    from analysis.render.workbook import MAX_WIDTH, PAGE_WIDTH

    widths = [ws.column_dimensions[letter].width for letter in "ABCDEF"]
    assert widths[0] == MAX_WIDTH and sum(widths) <= PAGE_WIDTH


def test_a_wide_sheet_is_narrowed_to_the_page_width(tmp_path):
    # 10 columns of 40-character text would take 10 × 42 = 420 characters: narrowed to PAGE_WIDTH.
    from analysis.render.workbook import MIN_TEXT_WIDTH, PAGE_WIDTH

    table = pd.DataFrame({f"c{i}": ["ข" * 40] for i in range(10)})
    ws = openpyxl.load_workbook(write_report_xlsx({"wide": table}, tmp_path / "r.xlsx"))["wide"]
    widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width for i in range(1, 11)]
    assert sum(widths) <= PAGE_WIDTH and min(widths) >= MIN_TEXT_WIDTH


def test_control_characters_and_non_characters_give_a_well_formed_workbook(tmp_path):
    # Issue 16, case 6: Excel's _x0008_ / _x000B_ escapes arrive as U+0008 / U+000B once read;
    # case 10: U+FFFF in an organisation name. XML 1.0 refuses both: they are dropped, the
    # rest of the name kept, every part of the package parses.
    import xml.etree.ElementTree as ET

    table = pd.DataFrame({"org_id": ["O\x0b1"], "name": ["กองทุน\x08สวัสดิการ\uffff ฯ"], "n": [1]})
    path = write_report_xlsx({"bridges": table, "x\x08": pd.DataFrame({"c\uffff": ["\x01"]})}, tmp_path / "r.xlsx")
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                ET.fromstring(package.read(name))  # raises when not well-formed
    ws = openpyxl.load_workbook(path)["bridges"]
    assert (ws["A3"].value, ws["B3"].value) == ("O1", "กองทุนสวัสดิการ ฯ")


def test_area_cells_link_to_their_profile_pages(tmp_path):
    grades = pd.DataFrame({"area": ["270101", "270102"], "grade": ["A", "C"], "score": [80.0, 20.0]})
    counts = pd.DataFrame({"area": ["2701", "group:กลุ่มจังหวัดภาคตะวันออก 2"], "n_tambons": [2, 2]})
    links = {"270101": "profiles/270101.html", "2701": "profiles/2701.html",
             "group:กลุ่มจังหวัดภาคตะวันออก 2": "profiles/group-09.html"}  # 270102 has no page here
    path = write_report_xlsx({"grades": grades, "grade_counts": counts, **tables()}, tmp_path / "report.xlsx",
                             area_links=links)
    wb = openpyxl.load_workbook(path)
    assert wb["grades"]["A3"].hyperlink.target == "profiles/270101.html"
    assert wb["grades"]["A3"].value == "270101"  # the cell keeps its code
    assert wb["grades"]["A4"].hyperlink is None
    assert [wb["grade_counts"][f"A{r}"].hyperlink.target for r in (3, 4)] == ["profiles/2701.html",
                                                                               "profiles/group-09.html"]
    assert not [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.hyperlink is not None and ws.title not in ("grades", "grade_counts")]
    unlinked = openpyxl.load_workbook(write_report_xlsx({"grades": grades}, tmp_path / "plain.xlsx"))
    assert unlinked["grades"]["A3"].hyperlink is None
    # the same links give the same bytes
    again = write_report_xlsx({"grades": grades, "grade_counts": counts, **tables()}, tmp_path / "again.xlsx",
                              area_links=links)
    assert again.read_bytes() == path.read_bytes()


#: Text with what changes a cell's XML: characters to escape or to clean out, spaces kept
#: with xml:space, empty text; numbers openpyxl writes as "" (infinity) or not at all (NaN).
CELL_TEXT = st.text(alphabet=st.sampled_from(list("ab &<>\x08\uffff\tก่")), max_size=5)
COLUMNS = [st.lists(st.none() | CELL_TEXT), st.lists(st.floats()), st.lists(st.integers(-2**63, 2**63 - 1)),
           st.lists(st.booleans())]


@given(st.one_of(COLUMNS), st.booleans())
def test_a_column_at_a_time_writes_each_cell_as_the_cell_by_cell_way(values, is_styled):
    # The reference is _cell_xml, checked against openpyxl's own output above.
    column = pd.Series(values, dtype=None if values else object)
    styles = (' s="1"', ' s="2"') if is_styled else ("", "")
    numbers = range(3, 3 + len(values))
    assert _column_xml("C", numbers, column, styles) == [_cell_xml(f"C{n}", v, styles) for n, v in zip(numbers, column.tolist())]
