"""Reading datasets: encodings, delimiters, Thai headers and names, workbooks, and the errors.

Every file is written by the test itself; expected values are the cells as typed below and
the row numbers a spreadsheet would show for them (header = row 1).
"""

import datetime
import hashlib

import openpyxl
import pandas as pd
import pytest

from analysis.errors import DatasetError
from analysis.config import PROJECT_DIR
from analysis.ingest.read import (ALIASES_PATH, FIRST_LINES_CHARACTERS, TABLE_ALIASES, INVISIBLE, build_table,
                                  find_first_filled_line, is_blank, map_headers, normalise_header, read_dataset)
from analysis.ingest.schema import TABLES

ORGS = "org_id,name,kind\nO1,สำนักงานพัฒนาสังคมฯ สระแก้ว,agency\nO2,อบต.ท่าเกวียน,local_government\n"
PEOPLE = "record_id,source,name,phone\nR1,roster-2567,นายสมชาย ใจดี,0812345678\nR2,roster-2567,นางสาวมาลี ศรีสุข,\n"


def write_dataset(folder, files: dict[str, str], encoding="utf-8", newline="\n"):
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.replace("\n", newline).encode(encoding))
    return folder


def test_reads_folder_with_row_numbers_and_text_cells(tmp_path):
    raw = read_dataset(write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "people.csv": PEOPLE}))
    people = raw.tables["people"]
    assert list(people.columns) == ["row", "record_id", "source", "name", "phone"]
    assert people["row"].tolist() == [2, 3]  # header is row 1
    assert people.loc[0, "phone"] == "0812345678"  # text, leading zero kept
    assert people.loc[1, "phone"] is None  # blank cell is missing
    assert raw.files == {"organisations": "organisations.csv", "people": "people.csv"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874"])
def test_each_encoding_keeps_thai_names(tmp_path, encoding):
    raw = read_dataset(write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "people.csv": PEOPLE}, encoding, "\r\n"))
    assert raw.tables["people"]["name"].tolist() == ["นายสมชาย ใจดี", "นางสาวมาลี ศรีสุข"]
    assert raw.tables["organisations"].columns[1] == "org_id"  # a BOM does not stick to the header


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_delimiter(tmp_path, delimiter):
    people = 'record_id,source,name\nR1,"list, 2567",นายสมชาย ใจดี\n'.replace(",", delimiter)
    if delimiter != ",":
        people = people.replace(f'"list{delimiter} 2567"', '"list, 2567"')
    raw = read_dataset(write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "people.csv": people}))
    assert raw.tables["people"].loc[0, ["record_id", "source", "name"]].tolist() == ["R1", "list, 2567", "นายสมชาย ใจดี"]


def test_quoted_newline_and_blank_rows_keep_spreadsheet_row_numbers(tmp_path):
    # Excel ends rows with CRLF and a line break inside a cell (Alt+Enter) with LF.
    people = 'record_id,source,name\r\nR1,"roster\nline 2",นาย ก\r\n\r\nR3,x,นาย ค\r\n,,\r\n\r\n'
    raw = read_dataset(write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "people.csv": people}))
    people = raw.tables["people"]
    # R1 is row 2 (its cell spans two lines but one row), the blank row 3 is skipped,
    # R3 is row 4, and the blank rows at the end are not counted.
    assert people["row"].tolist() == [2, 4]
    assert people.loc[0, "source"] == "roster\nline 2"


def test_cells_are_never_converted(tmp_path):
    people = "record_id,source,name,phone,start\n007,2567-10-01,1e3,0812345678,01/10/2567\n"
    raw = read_dataset(write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "people.csv": people}))
    row = raw.tables["people"].loc[0]
    assert (row["record_id"], row["source"], row["name"], row["phone"], row["start"]) == (
        "007", "2567-10-01", "1e3", "0812345678", "01/10/2567")


def test_thai_file_names_and_thai_headers(tmp_path):
    orgs = "รหัสองค์กร,ชื่อองค์กร,ประเภท,หน่วยงานต้นสังกัด,จังหวัด,อำเภอ,ตำบล\nO1,พมจ.สระแก้ว,หน่วยงานรัฐ,,สระแก้ว,วังน้ำเย็น,ตาหลังใน\n"
    people = "รหัสบุคคล,แหล่งที่มา,ชื่อ-นามสกุล,ตำแหน่ง,เบอร์โทรศัพท์,อีเมล,รหัสองค์กร\nR1,ทะเบียน,นาย ก,ประธาน,081,a@b.co,O1\n"
    projects = "รหัสโครงการ,ชื่อโครงการ,งบประมาณ (บาท),วันเริ่ม,วันสิ้นสุด\nP1,บ้านมั่นคง,100000,1 ต.ค. 67,30 ก.ย. 68\n"
    folder = write_dataset(tmp_path / "d", {"องค์กร.csv": orgs, "บุคคล.csv": people, "โครงการ.csv": projects,
                                            "การสนับสนุน.csv": "ผู้ให้ทุน,โครงการ,จำนวนเงิน\nO1,P1,5\n",
                                            "การมีส่วนร่วม.csv": "โครงการ,รหัสบุคคล,บทบาท\nP1,R1,แกนนำ\n"})
    raw = read_dataset(folder)
    assert list(raw.tables) == ["organisations", "people", "projects", "funding", "participation"]
    assert list(raw.tables["organisations"].columns[1:]) == ["org_id", "name", "kind", "parent_id", "province", "district", "tambon"]
    assert list(raw.tables["people"].columns[1:]) == ["record_id", "source", "name", "role", "phone", "email", "org_id"]
    assert list(raw.tables["projects"].columns[1:]) == ["project_id", "title", "budget_thb", "start", "end"]
    assert list(raw.tables["funding"].columns[1:]) == ["funder_id", "project_id", "amount_thb"]
    assert list(raw.tables["participation"].columns[1:]) == ["project_id", "record_id", "role"]


ALIASES = pd.read_csv(ALIASES_PATH, dtype=str, keep_default_na=False)


def minimal_header(table: str, column: str) -> list[str]:
    """The columns a table cannot do without, leaving room for ``column``."""
    spec = TABLES[table]
    header = [c for c in spec.required if c != column]
    return header + [group[0] for group in spec.one_of if column not in group]


@pytest.mark.parametrize("table,alias,column", list(ALIASES.itertuples(index=False, name=None)))
def test_every_header_alias_maps_to_its_column(table, alias, column):
    tables = [t for t, spec in TABLES.items() if column in spec.columns] if table == "*" else [table]
    key = normalise_header(alias)
    for name in tables:
        if table == "*" and ((ALIASES["table"] == name) & (ALIASES["alias"].map(normalise_header) == key)).any():
            continue  # the table's own alias wins over a "*" one (tested by that row)
        assert map_headers([*minimal_header(name, column), alias], name, "test.csv", {})[-1] == column


def test_every_alias_and_table_name_is_in_the_user_docs():
    docs = (PROJECT_DIR / "docs" / "data_format.md").read_text(encoding="utf-8")
    names = [*ALIASES["alias"], *(a for aliases in TABLE_ALIASES.values() for a in aliases)]
    assert [name for name in names if name not in docs] == []


def test_headers_match_whatever_case_blanks_and_invisible_characters(tmp_path):
    people = "\u200bRecord ID,SOURCE , Name\u00a0\nR1,x,นาย ก\n"
    raw = read_dataset(write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "people.csv": people}))
    assert list(raw.tables["people"].columns) == ["row", "record_id", "source", "name"]


def test_mapping_file_and_extra_columns_kept(tmp_path):
    people = "เลขที่,รายชื่อจาก,ผู้ประสาน,หมายเหตุ\nR1,เวทีตำบล,นาย ก,มาสาย\n"
    columns = "table,column_as_written,column\npeople,เลขที่,record_id\nบุคคล,รายชื่อจาก,source\npeople,ผู้ประสาน,name\n"
    raw = read_dataset(write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "people.csv": people, "columns.csv": columns}))
    assert list(raw.tables["people"].columns) == ["row", "record_id", "source", "name", "หมายเหตุ"]
    assert raw.tables["people"].loc[0, "หมายเหตุ"] == "มาสาย"
    assert set(raw.checksums) == {"organisations.csv", "people.csv", "columns.csv"}


def test_mapping_file_with_unknown_column_names_the_row(tmp_path):
    columns = "table,column_as_written,column\npeople,เลขที่,phone_number\n"
    folder = write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "people.csv": PEOPLE, "columns.csv": columns})
    with pytest.raises(DatasetError, match=r"columns.csv, row 2, column column: 'phone_number' is not a column of people"):
        read_dataset(folder)


def test_checksums_are_sha256_of_the_bytes(tmp_path):
    folder = write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "people.csv": PEOPLE})
    raw = read_dataset(folder)
    assert raw.checksums["people.csv"] == hashlib.sha256((folder / "people.csv").read_bytes()).hexdigest()


def test_row_with_more_values_than_header_keeps_them_apart(tmp_path):
    people = "record_id,source,name\nR1,x,นาย ก, ประธาน\nR2,x,นาย ข\n"
    raw = read_dataset(write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "people.csv": people}))
    assert raw.tables["people"]["extra_values"].tolist() == [" ประธาน", None]


def test_cells_are_laid_out_under_the_header_short_rows_padded_blanks_missing():
    # Rows as read_csv_cells gives them; the expected frame is read off the cells by hand.
    rows = [(1, ["record_id", "source", "name", ""]), (2, ["R1", "x", "นาย ก", ""]), (3, ["R2", " \u200b"]),
            (5, ["R3", "y", "นาย ข", "", "", "\u00a0", "ประธาน", "O1"])]
    frame = build_table(rows, "people", "people.csv", {}, joined={5: "lines 5–6"})
    assert list(frame.columns) == ["row", "record_id", "source", "name", "extra_values", "joined_lines"]
    assert frame["row"].dtype == "int64" and frame["row"].tolist() == [2, 3, 5]
    assert frame["source"].tolist() == ["x", None, "y"] and frame["name"].tolist() == ["นาย ก", None, "นาย ข"]
    assert frame["extra_values"].tolist() == [None, None, "ประธาน|O1"]  # the blank surplus cells left out
    assert frame["joined_lines"].tolist() == [None, None, "lines 5–6"]
    assert all(dtype == object for dtype in frame.dtypes.iloc[1:])


def test_a_header_row_only_gives_an_empty_table_with_its_columns():
    frame = build_table([(1, ["record_id", "source", "name"])], "people", "people.csv", {})
    assert list(frame.columns) == ["row", "record_id", "source", "name"] and frame.empty


@pytest.mark.parametrize("text,header", [
    ("\n \u200b\r\nid,name\r\nR1,x\r\n", "id,name"),
    # Beyond the first part read: blank lines, then a CR LF pair cut by the part's end.
    (" " * (FIRST_LINES_CHARACTERS - 1) + "\r\nid,name\n", "id,name"),
    ("\n" * (5 * FIRST_LINES_CHARACTERS) + "id,name", "id,name"),
    (" \u00a0\n\u2028\n", None),
    ("", None),
])
def test_the_header_is_the_first_line_holding_more_than_blanks(text, header):
    assert find_first_filled_line(text) == header
    assert header == next((line for line in text.splitlines() if not is_blank(line)), None)  # as splitlines


@pytest.mark.parametrize("encoding,message", [
    ("utf-8", r"people.csv line 3 holds a control character \(U\+0007\) that is not text"),
    ("cp874", "people.csv cannot be read: it is not text in UTF-8 or Windows Thai"),
])
def test_a_control_character_in_a_csv_file_is_one_sentence(tmp_path, encoding, message):
    folder = write_dataset(tmp_path / "d", {"organisations.csv": ORGS})
    text = PEOPLE.replace("นางสาวมาลี", "นางสาว\x07มาลี")
    (folder / "people.csv").write_bytes(text.encode(encoding))
    with pytest.raises(DatasetError, match=message):
        read_dataset(folder)


def test_workbook_with_thai_sheets_number_phone_and_date_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "องค์กร"
    sheet.append(["org_id", "name", "kind"])
    sheet.append([1, "พอช.", "agency"])
    people = book.create_sheet("บุคคล")
    people.append(["record_id", "source", "name", "phone", "วันเริ่ม"])
    people.append(["R1", "roster", "นาย ก", 812345678, datetime.date(2024, 10, 1)])
    people.append(["R2", "roster", "นาย ข", "081-234-5678", datetime.datetime(2024, 10, 2, 9, 30)])
    people.append([None, None, None])
    book.create_sheet("README").append(["notes for the reader"])
    book.save(tmp_path / "data.xlsx")

    raw = read_dataset(tmp_path / "data.xlsx")
    assert raw.files == {"organisations": "data.xlsx:องค์กร", "people": "data.xlsx:บุคคล"}
    assert raw.tables["organisations"].loc[0, "org_id"] == "1"  # a number cell, without ".0"
    people = raw.tables["people"]
    assert people["row"].tolist() == [2, 3]
    assert people["phone"].tolist() == ["812345678", "081-234-5678"]  # digits as stored; normalise_phone adds the 0
    assert people["วันเริ่ม"].tolist() == ["2024-10-01", "2024-10-02"]  # date cells as ISO dates
    assert list(raw.checksums) == ["data.xlsx"]


def test_missing_required_table_names_the_folder_and_table(tmp_path):
    folder = write_dataset(tmp_path / "d", {"organisations.csv": ORGS})
    with pytest.raises(DatasetError, match=r"d has no people table and no sheet that reads as a list of people: add a file named 'people.csv' \(or 'บุคคล.csv'\)"):
        read_dataset(folder)


def test_missing_required_column_names_file_and_column(tmp_path):
    folder = write_dataset(tmp_path / "d", {"organisations.csv": "org_id,name\nO1,x\n", "people.csv": PEOPLE})
    with pytest.raises(DatasetError, match=r"^organisations.csv has no column kind"):
        read_dataset(folder)


def test_one_of_columns_missing_names_file(tmp_path):
    folder = write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "people.csv": PEOPLE, "funding.csv": "funder_id,amount_thb\nO1,5\n"})
    with pytest.raises(DatasetError, match=r"^funding.csv needs a column project_id or recipient_org_id"):
        read_dataset(folder)


def test_duplicated_header_names_both_spellings(tmp_path):
    folder = write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "people.csv": "record_id,source,name,ชื่อ-สกุล\nR1,x,a,b\n"})
    with pytest.raises(DatasetError, match=r"people.csv has the column name twice \('name' and 'ชื่อ-สกุล'\)"):
        read_dataset(folder)


@pytest.mark.parametrize("content,message", [
    (b"", "people.csv is empty"),
    (b"\r\n\r\n", "people.csv is empty"),
    (b"\x00\x01\x02binary\x03", "people.csv cannot be read: it is not text in UTF-8 or Windows Thai"),
    ("record_id".encode("utf-16"), "people.csv is saved as UTF-16"),
])
def test_unreadable_or_empty_file_names_the_file(tmp_path, content, message):
    folder = write_dataset(tmp_path / "d", {"organisations.csv": ORGS})
    (folder / "people.csv").write_bytes(content)
    with pytest.raises(DatasetError, match=message):
        read_dataset(folder)


def test_utf8_file_with_broken_bytes_names_the_line(tmp_path):
    folder = write_dataset(tmp_path / "d", {"organisations.csv": ORGS})
    good = PEOPLE.encode("utf-8")
    (folder / "people.csv").write_bytes(good + "R3,x,นาย ".encode() + b"\xff\n")
    with pytest.raises(DatasetError, match=r"people.csv is UTF-8 but line 4 holds bytes that are not"):
        read_dataset(folder)


def test_short_utf8_file_with_a_broken_byte_names_the_line_too(tmp_path):
    # Four Thai letters and half of a fifth: every byte of them is a letter in cp874 too, so
    # reading it as Windows Thai would have given wrong names without a word.
    folder = write_dataset(tmp_path / "d", {"organisations.csv": ORGS})
    text = "record_id,source,name,org_id\nR1,roster,สม,O1\nR2,roster,มา,O1\n".encode("utf-8")
    (folder / "people.csv").write_bytes(text.replace("มา".encode(), "มา".encode() + b"\xe0\xb8"))
    with pytest.raises(DatasetError, match=r"people.csv is UTF-8 but line 3 holds bytes that are not"):
        read_dataset(folder)


def test_windows_thai_file_full_of_names_spelled_with_nae_and_thoe_reads(tmp_path):
    # เน and เธ are E0 B9 and E0 B8 in cp874, the bytes every Thai letter starts with in UTF-8.
    names = ["เนตรนภา เนินทอง", "เธียร เนียมหอม", "เนาวรัตน์ เนตรทิพย์"] * 5
    people = "record_id,source,name,org_id\n" + "".join(f"R{i},roster,{name},O1\n" for i, name in enumerate(names))
    folder = write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "people.csv": people}, "cp874")
    assert read_dataset(folder).tables["people"]["name"].tolist() == names


@pytest.mark.parametrize("text", ["", " ", "\t\u00a0\u3000\u2028", "\u200b", " \ufeff\u2060 ", "x", " \u200bก ", "\u0e48"])
def test_is_blank_agrees_with_removing_invisible_characters_and_stripping(text):
    assert is_blank(text) == (text.translate(INVISIBLE).strip() == "")


def test_two_files_for_one_table(tmp_path):
    folder = write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "องค์กร.csv": ORGS, "people.csv": PEOPLE})
    with pytest.raises(DatasetError, match=r"two organisations tables"):
        read_dataset(folder)


def test_broken_workbook_names_the_file(tmp_path):
    (tmp_path / "data.xlsx").write_bytes(b"not a zip file")
    with pytest.raises(DatasetError, match=r"^data.xlsx cannot be read as an Excel workbook"):
        read_dataset(tmp_path / "data.xlsx")


def test_a_file_that_is_neither_csv_nor_workbook_is_not_a_dataset(tmp_path):
    (tmp_path / "people.txt").write_text(PEOPLE)
    with pytest.raises(DatasetError, match="is not a folder of office files, a CSV file or an Excel workbook"):
        read_dataset(tmp_path / "people.txt")


def test_a_workbook_that_cannot_be_opened_names_the_file(tmp_path):
    with pytest.raises(DatasetError, match=r"^missing.xlsx cannot be opened \(No such file or directory\)"):
        read_dataset(tmp_path / "missing.xlsx")


def test_tables_read_side_by_side_give_what_they_give_one_by_one(tmp_path, monkeypatch):
    import analysis.parallel
    from analysis.ingest import read

    folder = write_dataset(tmp_path / "d", {"organisations.csv": ORGS, "people.csv": PEOPLE,
                                            "projects.csv": "project_id,title,lead_org_id\nP1,บ้านมั่นคง,O2\n"})
    monkeypatch.setattr(read, "SIDE_BY_SIDE_BYTES", 0)  # three small files, read by two workers
    monkeypatch.setattr(analysis.parallel, "count_cores", lambda: 2)
    two = read_dataset(folder)
    monkeypatch.setattr(analysis.parallel, "count_cores", lambda: 1)
    one = read_dataset(folder)
    assert list(two.tables) == list(one.tables) == ["organisations", "people", "projects"]
    assert all(two.tables[t].equals(one.tables[t]) for t in one.tables)
    assert two.files == one.files and two.checksums == one.checksums


def test_the_first_table_that_cannot_be_read_is_named_when_tables_are_read_side_by_side(tmp_path, monkeypatch):
    import analysis.parallel
    from analysis.ingest import read

    # people.csv, the largest, is read in this process; organisations.csv, first in table
    # order, in the second worker: its sentence is the one given, as when read one by one.
    folder = write_dataset(tmp_path / "d", {"organisations.csv": "org_id,name\nO1,x\n",
                                            "people.csv": "record_id,name\n" + "R1,นาย ก\n" * 50})
    monkeypatch.setattr(read, "SIDE_BY_SIDE_BYTES", 0)
    monkeypatch.setattr(analysis.parallel, "count_cores", lambda: 2)
    with pytest.raises(DatasetError, match=r"^organisations.csv has no column kind"):
        read_dataset(folder)
