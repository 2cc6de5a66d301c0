"""The catalogue of datasets stakemap cannot read, and the one sentence each one gets (issue 10).

Each entry: a name (as docs/data_format.md, "When a dataset cannot be read", lists it), a
builder that writes the broken dataset into a folder, and the exact message the user
reads after ``stakemap:`` on stderr (exit status 2, CONTRACT §1 and §3). The builders
write a dataset called ``dataset`` (a folder, or ``dataset.xlsx``) and return the path to
give the command line, relative to that folder's parent, so the messages hold no
temporary paths. tests/test_broken_datasets.py runs every entry and checks the docs.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import openpyxl

ORGS = "org_id,name,kind\nO1,สำนักงานพัฒนาสังคมฯ สระแก้ว,agency\n"
PEOPLE = "record_id,source,name\nR1,ทะเบียน 2567,นายสมชาย ใจดี\nR2,ทะเบียน 2567,นางสาวมาลี ศรีสุข\n"


@dataclass(frozen=True)
class Broken:
    name: str
    build: Callable[[Path], str]  # writes into the given parent folder, returns the path to give
    message: str


def folder(files: dict[str, str | bytes]) -> Callable[[Path], str]:
    """A builder of a folder ``dataset`` holding ``files`` (text is written as UTF-8)."""
    def build(parent: Path) -> str:
        target = parent / "dataset"
        target.mkdir()
        for name, content in files.items():
            (target / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return "dataset"
    return build


def workbook(sheets: dict[str, list[list]]) -> Callable[[Path], str]:
    """A builder of ``dataset.xlsx`` with one sheet per entry (openpyxl)."""
    def build(parent: Path) -> str:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        book.save(parent / "dataset.xlsx")
        return "dataset.xlsx"
    return build


def raw_file(name: str, content: bytes) -> Callable[[Path], str]:
    def build(parent: Path) -> str:
        (parent / name).write_bytes(content)
        return name
    return build


def nothing(name: str) -> Callable[[Path], str]:
    return lambda parent: name


ORG_ROWS = [["org_id", "name", "kind"], ["O1", "พอช.", "agency"]]

CATALOGUE = (
    Broken("path that does not exist", nothing("dataset"),
           "dataset does not exist: give a folder of CSV files or one .xlsx workbook."),
    Broken("a file that is not a table", raw_file("people.txt", PEOPLE.encode()),
           "people.txt is not a folder of office files, a CSV file or an Excel workbook."),
    Broken("no people table", folder({"organisations.csv": ORGS}),
           "dataset has no people table and no sheet that reads as a list of people: add a file named 'people.csv' (or 'บุคคล.csv'), or name the columns of your list in columns.csv."),
    Broken("a workbook with no list in it", workbook({"บันทึก": [["ประชุมวันที่ 1 ตุลาคม 2567"]]}),
           "dataset.xlsx has no people table and no sheet that reads as a list of people: add a file named 'people.csv' (or 'บุคคล.csv'), or name the columns of your list in columns.csv."),
    Broken("two files for one table", folder({"organisations.csv": ORGS, "องค์กร.csv": ORGS, "people.csv": PEOPLE}),
           "dataset has two organisations tables, 'organisations' and 'องค์กร': keep one."),
    Broken("required column missing", folder({"organisations.csv": "org_id,name\nO1,พอช.\n", "people.csv": PEOPLE}),
           "organisations.csv has no column kind: add it, or name the column that holds it in columns.csv."),
    Broken("same column twice", folder({"organisations.csv": ORGS, "people.csv": "record_id,source,name,ชื่อ-สกุล\nR1,x,a,b\n"}),
           "people.csv has the column name twice ('name' and 'ชื่อ-สกุล'): keep one."),
    Broken("same column twice in a sheet",
           workbook({"organisations": ORG_ROWS, "people": [["record_id", "source", "Name", "name"], ["R1", "x", "a", "b"]]}),
           "dataset.xlsx:people has the column name twice ('Name' and 'name'): keep one."),
    Broken("funding without a receiver column",
           folder({"organisations.csv": ORGS, "people.csv": PEOPLE, "funding.csv": "funder_id,amount_thb\nO1,5000\n"}),
           "funding.csv needs a column project_id or recipient_org_id."),
    Broken("participation without a person or organisation column",
           folder({"organisations.csv": ORGS, "people.csv": PEOPLE, "participation.csv": "project_id,role\nP1,แกนนำ\n"}),
           "participation.csv needs a column record_id or org_id."),
    Broken("empty file", folder({"organisations.csv": ORGS, "people.csv": b""}),
           "people.csv is empty: it needs at least a header row."),
    Broken("file of blank lines", folder({"organisations.csv": ORGS, "people.csv": "\r\n \r\n\u200b\r\n"}),
           "people.csv is empty: it needs at least a header row."),
    Broken("empty sheet", workbook({"organisations": ORG_ROWS, "people": []}),
           "dataset.xlsx:people is empty: it needs at least a header row."),
    Broken("saved as UTF-16", folder({"organisations.csv": ORGS, "people.csv": PEOPLE.encode("utf-16")}),
           "people.csv is saved as UTF-16 (Unicode Text): save it as 'CSV UTF-8' instead."),
    Broken("not a text file", folder({"organisations.csv": ORGS, "people.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}),
           "people.csv cannot be read: it is not text in UTF-8 or Windows Thai (cp874) encoding."),
    Broken("UTF-8 with a broken line",
           folder({"organisations.csv": ORGS, "people.csv": PEOPLE.encode() + "R3,x,นาย ".encode() + b"\xff\n"}),
           "people.csv is UTF-8 but line 4 holds bytes that are not: retype that line."),
    Broken("control character in a cell", folder({"organisations.csv": ORGS, "people.csv": PEOPLE + "R3,x,นาย\x0bก\n"}),
           "people.csv line 4 holds a control character (U+000B) that is not text: remove it."),
    Broken("quote never closed", folder({"organisations.csv": ORGS, "people.csv": PEOPLE + 'R3,"ทะเบียน,นาย ก\nR4,x,นาย ข\n'}),
           'people.csv, row 4: a quote (") opens a cell that is never closed: close it or remove it.'),
    Broken("text after a closing quote", folder({"organisations.csv": ORGS, "people.csv": PEOPLE + 'R3,"ทะเบียน" 2567,นาย ก\n'}),
           'people.csv, row 4: a cell has text after its closing quote: quote the whole cell and double each quote '
           'inside it ("").'),
    Broken("cell longer than any spreadsheet holds",
           folder({"organisations.csv": ORGS, "people.csv": PEOPLE + 'R3,x,"' + "ก" * 140_000 + '"\n'}),
           "people.csv, row 4: a cell is longer than 131,072 characters: the file is damaged."),
    Broken("damaged workbook", raw_file("dataset.xlsx", b"PK\x03\x04 not really a zip"),
           "dataset.xlsx cannot be read as an Excel workbook (CalamineError)."),
    Broken("columns.csv names an unknown table",
           folder({"organisations.csv": ORGS, "people.csv": PEOPLE,
                   "columns.csv": "table,column_as_written,column\nstaff,เลขที่,record_id\n"}),
           "columns.csv, row 2, column table: 'staff' is not a table name."),
    Broken("columns.csv names an unknown column",
           folder({"organisations.csv": ORGS, "people.csv": PEOPLE,
                   "columns.csv": "table,column_as_written,column\npeople,เลขที่,phone_number\n"}),
           "columns.csv, row 2, column column: 'phone_number' is not a column of people."),
    Broken("columns.csv without its columns",
           folder({"organisations.csv": ORGS, "people.csv": PEOPLE, "columns.csv": "table,header\npeople,เลขที่\n"}),
           "columns.csv needs the columns table, column_as_written, column."),
    Broken("decisions.csv with an unknown decision",
           folder({"organisations.csv": ORGS, "people.csv": PEOPLE,
                   "decisions.csv": "kind,a,b,decision,note\nperson,a,b,maybe,\n"}),
           "dataset/decisions.csv, row 2, column decision: 'maybe' is not 'same' or 'different'."),
)
