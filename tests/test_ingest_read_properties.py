"""Property tests of reading and checking: every dataset is read whole or refused in one sentence (issue 10).

Hypothesis builds datasets the way Thai offices save them — CSV as UTF-8, UTF-8 with BOM
or a folder mixing one cp874 (Windows Thai) file with UTF-8 ones; LF, CRLF; comma,
semicolon or tab; English or Thai headers; blank rows anywhere; or one .xlsx workbook with
number, date and boolean cells where text belongs, merged cells and formulas — filled with
arbitrary Unicode (Thai typing variants, other scripts, invisible characters, quotes,
delimiters and line breaks inside cells, very long cells). Each row carries zero or more
planted faults whose quarantine line is known in advance (CONTRACT §1, "Bad rows";
docs/data_format.md, "What happens to rows that cannot be used").

Every example goes through the real command line, ``analysis.cli.main(["validate", …])``,
so an exception escaping it is exactly a traceback the user would see. The run must exit 0
with ``quarantine.csv`` holding exactly the planted lines and the summary counting, for
every table, rows read = rows written, used = read − skipped rows and quarantined = the
skipped rows listed. The second property damages the bytes of such datasets at random: the
run must then either exit 0 with rows read = used + quarantined for every table, or exit 2
with one sentence on stderr.

The budget is fixed: the examples are derandomised (the same ones on every machine, no
example database; tests/conftest.py), and the whole file runs in well under a minute.
"""

import contextlib
import csv
import datetime
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.render.tables import LONE_CR
from analysis.ingest.validate import (BAD_DATE, BAD_EMAIL, BAD_KIND, BAD_NUMBER, BAD_PHONE, EXTRA_VALUES, MISSING, NEGATIVE,
                               NO_SUCH_ID, REPEATED, ROW_SKIPPED, VALUE_IGNORED)

#: Examples per property: ~0.1 s each, so the file stays within ~20 s.
N_EXAMPLES = 80
SETTINGS = settings(max_examples=N_EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SKIP, IGNORE = ROW_SKIPPED, VALUE_IGNORED

# --- cells --------------------------------------------------------------------------------

#: Control characters a text file never holds (the reader refuses them; tests/broken_datasets.py).
CONTROL = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]))
#: Pieces worth more than a random character: Thai typing variants (ส + nikhahit + sara aa,
#: เ + เ, a doubled tone mark), invisible and odd spaces, delimiters, quotes, line breaks,
#: formula starts, Thai digits, other scripts, a combining accent, Unicode line separators.
PIECES = ("นาย", "ส\u0e4d\u0e32", "เเ", "ก่่", "\u200b", "\u00a0", "\ufeff", "\u3000", ",", ";", "\t", '"', "'",
          "\n", "\r\n", "=", "+", "-", "@", "๑๒๓", "|", "中文", "سلام", "Ελλάδα", "🙂", "e\u0301", "\u2028", "\x85")
#: A cell near Excel's limit of 32,767 characters.
LONG = "ข้อความยาว" * 3000
characters = st.characters(exclude_categories=("Cs", "Cn"), exclude_characters=CONTROL + "\ufffe\uffff")
free_text = st.lists(st.one_of(st.sampled_from(PIECES), characters), max_size=8).map("".join)
#: Cells that are blank to a reader: nothing, blanks, invisible characters.
blank = st.sampled_from(["", " ", "\u200b", "\u00a0 ", "\ufeff\t"])
#: A visible Thai letter ends every required text, so that it is never blank.
required_text = free_text.map(lambda text: text + "ก")

#: (cell as written — str, or a typed workbook cell —, text the reader gives, reason or None).
AMOUNTS = (
    ("1500", "1500", None), ("1,500.-", "1,500.-", None), ("๑,๕๐๐ บาท", "๑,๕๐๐ บาท", None), ("1.5 ล้าน", "1.5 ล้าน", None),
    ("฿1500", "฿1500", None), ("", "", None), (1500, "1500", None), (1500.5, "1500.5", None),
    ("ห้าพัน", "ห้าพัน", BAD_NUMBER), ("-500", "-500", NEGATIVE), (-5.0, "-5", NEGATIVE),
    (datetime.date(2024, 10, 1), "2024-10-01", BAD_NUMBER), (True, "TRUE", BAD_NUMBER),
)
DATES = (
    ("2024-10-01", "2024-10-01", None), ("1 ต.ค. 2567", "1 ต.ค. 2567", None), ("๑ ตุลาคม ๒๕๖๗", "๑ ตุลาคม ๒๕๖๗", None),
    ("", "", None), (datetime.date(2024, 10, 1), "2024-10-01", None), (datetime.datetime(2024, 10, 1, 9, 30), "2024-10-01", None),
    ("31/02/2567", "31/02/2567", BAD_DATE), ("1/10/67", "1/10/67", BAD_DATE), ("พรุ่งนี้", "พรุ่งนี้", BAD_DATE),
)
PHONES = (
    ("081-234-5678", None), ("+66 81 234 5678", None), ("๐๘๑ ๒๓๔ ๕๖๗๘", None), (812345678, None), ("", None),
    ("ไม่มี", BAD_PHONE), ("12", BAD_PHONE),
)
EMAILS = (("Somchai@Example.COM", None), ("", None), ("somchai.at.example", BAD_EMAIL))
#: Kind words of docs/data_format.md, and one that is not a kind.
KINDS = ("agency", "อบต.", "Local Government", "มูลนิธิ", "กองทุนสวัสดิการชุมชน")
#: An org_id no row has (no organisation name is like it: names end in a Thai letter).
UNKNOWN_ID = "O-404"

#: Headers as written, English or Thai (docs/data_format.md), by table and column.
HEADERS = {
    "organisations": {"org_id": ("org_id", "รหัสองค์กร", "Org ID"), "name": ("name", "ชื่อองค์กร"),
                      "kind": ("kind", "ประเภท"), "parent_id": ("parent_id", "ต้นสังกัด"), "aliases": ("aliases", "ชื่ออื่น")},
    "people": {"record_id": ("record_id", "รหัสบุคคล"), "source": ("source", "แหล่งที่มา"), "name": ("name", "ชื่อ-นามสกุล"),
               "org_id": ("org_id", "รหัสองค์กร"), "role": ("role", "ตำแหน่ง"), "phone": ("phone", "เบอร์โทรศัพท์"),
               "email": ("email", "อีเมล")},
    "funding": {"funder_id": ("funder_id", "ผู้ให้ทุน"), "recipient_org_id": ("recipient_org_id", "ผู้รับทุน"),
                "amount_thb": ("amount_thb", "จำนวนเงิน"), "stream": ("stream", "แผนงาน"), "date": ("date", "วันที่")},
}
FILE_NAMES = {"organisations": ("organisations", "องค์กร"), "people": ("people", "บุคคล"), "funding": ("funding", "การสนับสนุน")}


# --- the model of a dataset -----------------------------------------------------------------


@dataclass
class Row:
    """One data row: its cells by column, the quarantine lines it must give, and layout."""

    cells: dict
    lines: list = field(default_factory=list)  # (column, value as the reader gives it, reason, action)
    extra: str | None = None  # a value beyond the header's last column
    blank_before: int = 0  # blank rows above it
    merged_source: bool = False  # xlsx: its source cell merged with the one above


@dataclass
class Model:
    form: str  # csv, csv+bom, mixed (organisations in cp874), xlsx
    delimiter: str
    newline: str
    tables: dict  # table -> list[Row]
    headers: dict  # table -> {column: header as written}
    names: dict  # table -> file or sheet name
    blank_above_header: int
    blank_style: str


def text_of(value) -> str:
    """The text the reader gives for a cell written as ``value`` (analysis.ingest.read.cell_text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@st.composite
def models(draw) -> Model:
    form = draw(st.sampled_from(("csv", "csv+bom", "mixed", "xlsx")))
    numeric_ids = form == "xlsx" and draw(st.booleans())
    orgs, people, funding = [], [], []
    # A cp874 file holds only what cp874 can write, and real Thai that is not also valid
    # UTF-8 (สำนักงาน: CA D3 …): the reader relies on that (analysis.ingest.read.decode_text).
    org_text = free_text.map(lambda text: encodable(text, "cp874")) if form == "mixed" else free_text
    aliases = st.one_of(org_text, st.just(LONG)).map(lambda text: "สำนักงาน" + text)

    def org_id(i):
        return 100 + i if numeric_ids else f"O{i}:{draw(org_text)}"

    first_org = org_id(1)
    orgs.append(Row({"org_id": first_org, "name": draw(org_text) + "ก", "kind": "agency", "aliases": draw(aliases)}))
    for i in range(2, 2 + draw(st.integers(0, 3))):
        row = Row({"org_id": org_id(i), "name": draw(org_text) + "ก", "kind": draw(st.sampled_from(KINDS)),
                   "parent_id": draw(st.sampled_from([None, first_org])), "aliases": draw(aliases)})
        fault = draw(st.sampled_from([None, "name", "kind", "repeat", "parent"]))
        if fault == "name":
            row.cells["name"] = draw(blank)
            row.lines.append(("name", "", MISSING, SKIP))
        elif fault == "kind":
            row.cells["kind"] = "ชมรม"
            row.lines.append(("kind", "ชมรม", BAD_KIND, SKIP))
        elif fault == "repeat":
            row.cells["org_id"] = first_org
            row.lines.append(("org_id", text_of(first_org), REPEATED, SKIP))
        elif fault == "parent":
            row.cells["parent_id"] = UNKNOWN_ID
            row.lines.append(("parent_id", UNKNOWN_ID, NO_SUCH_ID, SKIP))
        orgs.append(row)

    first_record = None
    for i in range(1, 1 + draw(st.integers(0, 5))):
        record_id = 500 + i if numeric_ids else f"R{i}:{draw(free_text)}"
        first_record = first_record or record_id
        name = draw(st.one_of(required_text, st.sampled_from([3.5, True]))) if form == "xlsx" else draw(required_text)
        phone, phone_reason = draw(st.sampled_from(PHONES))
        email, email_reason = draw(st.sampled_from(EMAILS))
        if form != "xlsx":
            phone = text_of(phone)
        row = Row({"record_id": record_id, "source": draw(required_text), "name": name,
                   "org_id": draw(st.sampled_from([None, first_org])), "role": draw(free_text),
                   "phone": phone, "email": email})
        row.lines += [(c, text_of(v), r, IGNORE) for c, v, r in (("phone", phone, phone_reason),
                                                                 ("email", email, email_reason)) if r]
        faults = [None, "name", "source", "repeat", "org", "extra"] + (["merged", "formula"] if form == "xlsx" else [])
        fault = draw(st.sampled_from(faults if i > 1 else [None]))
        if fault in ("name", "source"):
            row.cells[fault] = draw(blank)
            row.lines.append((fault, "", MISSING, SKIP))
        elif fault == "repeat":
            row.cells["record_id"] = first_record
            row.lines.append(("record_id", text_of(first_record), REPEATED, SKIP))
        elif fault == "org":
            row.cells["org_id"] = UNKNOWN_ID
            row.lines.append(("org_id", UNKNOWN_ID, NO_SUCH_ID, SKIP))
        elif fault == "extra":
            # On a CSV line a value beyond the header is a delimiter typed inside a value;
            # in a workbook it is a column without a header, kept as column_<n>.
            row.extra = "ประธาน"
            if form != "xlsx":
                row.lines.append(("extra_values", "ประธาน", EXTRA_VALUES, SKIP))
        elif fault == "merged":
            # Excel keeps a merged range's value in its first cell; the others are empty.
            row.merged_source = True
            row.lines.append(("source", "", MISSING, SKIP))
        elif fault == "formula":
            # openpyxl stores no computed value with a formula, so the cell reads as empty.
            row.cells["name"] = '="นาย"&"สมชาย"'
            row.lines.append(("name", "", MISSING, SKIP))
        row.blank_before = draw(st.integers(0, 1)) if i > 1 else 0
        people.append(row)

    for _ in range(draw(st.integers(0, 4))):
        amount, amount_text, amount_reason = draw(st.sampled_from([a for a in AMOUNTS if form == "xlsx" or isinstance(a[0], str)]))
        date, date_text, date_reason = draw(st.sampled_from([d for d in DATES if form == "xlsx" or isinstance(d[0], str)]))
        row = Row({"funder_id": first_org, "recipient_org_id": first_org, "amount_thb": amount,
                   "stream": draw(free_text), "date": date})
        if amount_reason:
            row.lines.append(("amount_thb", amount_text, amount_reason, SKIP))  # the analysis needs amounts
        if date_reason:
            row.lines.append(("date", date_text, date_reason, IGNORE))
        fault = draw(st.sampled_from([None, "funder", "receiver", "unknown"]))
        if fault == "funder":
            row.cells["funder_id"] = draw(blank)
            row.lines.append(("funder_id", "", MISSING, SKIP))
        elif fault == "receiver":
            row.cells["recipient_org_id"] = None
            row.lines.append(("project_id/recipient_org_id", "", MISSING, SKIP))
        elif fault == "unknown" and not amount_reason:  # a row already set aside is not checked for references
            row.cells["recipient_org_id"] = UNKNOWN_ID
            row.lines.append(("recipient_org_id", UNKNOWN_ID, NO_SUCH_ID, SKIP))
        row.blank_before = draw(st.integers(0, 1))
        funding.append(row)

    tables = {"organisations": orgs, "people": people}
    if draw(st.booleans()):
        tables["funding"] = funding  # absent, header only or with rows
    headers = {t: {c: draw(st.sampled_from(HEADERS[t][c])) for c in HEADERS[t]} for t in tables}
    return Model(
        form=form, delimiter=draw(st.sampled_from([",", ";", "\t"])), newline=draw(st.sampled_from(["\n", "\r\n"])),
        tables=tables, headers=headers, names={t: draw(st.sampled_from(FILE_NAMES[t])) for t in tables},
        blank_above_header=draw(st.integers(0, 2)), blank_style=draw(st.sampled_from(["empty", "delimiters", "invisible"])),
    )


# --- writing the model to disk ----------------------------------------------------------------


def layout(model: Model, table: str):
    """(spreadsheet row, row) for each data row, and the header's row number."""
    header_row = model.blank_above_header + 1
    number, placed = header_row, []
    for row in model.tables[table]:
        number += 1 + row.blank_before
        placed.append((number, row))
    return header_row, placed


def encodable(text: str, encoding: str) -> str:
    return "".join(c for c in text if c.encode(encoding, errors="ignore"))


def csv_line(cells: list[str], delimiter: str) -> str:
    """One CSV line as Excel writes it: a cell holding the delimiter, a quote or a line break
    (``\\r`` too: Python's csv writer quotes only its own line terminator) is quoted."""
    def quoted(cell):
        return f'"{cell.replace(chr(34), chr(34) * 2)}"' if any(c in cell for c in (delimiter, '"', "\r", "\n")) else cell
    return delimiter.join(map(quoted, cells))


def write_csv_table(model: Model, table: str, path: Path) -> None:
    encoding = "cp874" if model.form == "mixed" and table == "organisations" else "utf-8"
    columns = list(HEADERS[table])
    blank_line = {"empty": [], "delimiters": [""] * len(columns), "invisible": ["\u200b"]}[model.blank_style]
    lines = [*[blank_line] * model.blank_above_header, [model.headers[table][c] for c in columns]]
    for row in model.tables[table]:
        lines += [blank_line] * row.blank_before
        lines.append([text_of(row.cells.get(c)) for c in columns] + ([row.extra] if row.extra else []))
    text = "".join(csv_line(cells, model.delimiter) + model.newline for cells in lines)
    data = encodable(text, encoding).encode(encoding)  # cp874 drops the invisible blanks
    if model.form == "csv+bom":
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)


def write_workbook(model: Model, path: Path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table, rows in model.tables.items():
        sheet = book.create_sheet(model.names[table])
        columns = list(HEADERS[table])
        header_row, placed = layout(model, table)
        for j, column in enumerate(columns, start=1):
            sheet.cell(header_row, j, model.headers[table][column])
        for number, row in placed:
            for j, column in enumerate(columns, start=1):
                value = row.cells.get(column)
                sheet.cell(number, j, None if value == "" else value)
            if row.extra:
                sheet.cell(number, len(columns) + 1, row.extra)
            if row.merged_source:
                j = columns.index("source") + 1
                sheet.merge_cells(start_row=number - 1, start_column=j, end_row=number, end_column=j)
    book.save(path)


def write_model(model: Model, folder: Path) -> Path:
    folder.mkdir()
    if model.form == "xlsx":
        path = folder / "dataset.xlsx"
        write_workbook(model, path)
        return path
    for table in model.tables:
        write_csv_table(model, table, folder / f"{model.names[table]}.csv")
    return folder


# --- running the command line -----------------------------------------------------------------


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str
    quarantine: list[dict]
    counts: dict[str, tuple[int, int, int]]


SUMMARY_LINE = re.compile(r"^(organisations|people|projects|funding|participation)\s+(\d+)\s+(\d+)\s+(\d+)$", re.M)


def validate(path: Path, out: Path) -> Outcome:
    """``stakemap validate PATH --out OUT`` in this process; an exception escaping is a traceback."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(["validate", str(path), "--out", str(out)])
    quarantine = []
    if status == 0:
        with (out / "quarantine.csv").open(encoding="utf-8-sig", newline="") as file:
            quarantine = list(csv.DictReader(file))
    counts = {m[1]: (int(m[2]), int(m[3]), int(m[4])) for m in SUMMARY_LINE.finditer(stdout.getvalue())}
    return Outcome(status, stdout.getvalue(), stderr.getvalue(), quarantine, counts)


def expected_lines(model: Model) -> set[tuple]:
    found = set()
    for table in model.tables:
        for number, row in layout(model, table)[1]:
            found |= {as_listed((table, number, *line)) for line in row.lines}
    return found


def listed_lines(outcome: Outcome) -> set[tuple]:
    return {(q["table"], int(q["row"]), q["column"], q["value"], q["reason"], q["action"]) for q in outcome.quarantine}


def as_listed(line: tuple) -> tuple:
    """A quarantine line as quarantine.csv holds it: a lone ``\\r`` in the value becomes ``\\n``
    (analysis.render.tables.LONE_CR)."""
    *head, value, reason, action = line
    return (*head, LONE_CR.sub("\n", value), reason, action)


def check_counts_add_up(outcome: Outcome) -> None:
    """rows read = rows used + rows quarantined, and the quarantined rows are the listed ones."""
    for table, (read, used, quarantined) in outcome.counts.items():
        skipped = {q["row"] for q in outcome.quarantine if q["table"] == table and q["action"] == SKIP}
        assert read == used + quarantined, (table, read, used, quarantined)
        assert quarantined == len(skipped), (table, quarantined, skipped)


@SETTINGS
@given(models())
def test_any_dataset_is_read_whole_with_exactly_the_planted_quarantine(model):
    with tempfile.TemporaryDirectory() as tmp:
        path = write_model(model, Path(tmp) / "dataset")
        outcome = validate(path, Path(tmp) / "out")
    assert outcome.status == 0, outcome.stderr
    assert listed_lines(outcome) == expected_lines(model)
    check_counts_add_up(outcome)
    for table, rows in model.tables.items():
        n_skipped = sum(any(line[3] == SKIP for line in row.lines) for row in rows)
        assert outcome.counts[table] == (len(rows), len(rows) - n_skipped, n_skipped), table


@st.composite
def damaged(draw):
    """A dataset from :func:`models` and a damage to one of its files' bytes."""
    model = draw(models())
    how = draw(st.sampled_from(["truncate", "insert", "overwrite"]))
    return model, how, draw(st.floats(0, 1)), draw(st.binary(min_size=1, max_size=4))


@SETTINGS
@given(damaged())
def test_damaged_bytes_give_a_counted_run_or_one_sentence(case):
    model, how, where, junk = case
    with tempfile.TemporaryDirectory() as tmp:
        path = write_model(model, Path(tmp) / "dataset")
        files = [path] if path.is_file() else sorted(path.glob("*.csv"))
        target = files[int(where * (len(files) - 1))]
        data = target.read_bytes()
        at = int(where * len(data))
        data = {"truncate": data[:at], "insert": data[:at] + junk + data[at:],
                "overwrite": data[:at] + junk + data[at + len(junk):]}[how]
        target.write_bytes(data)
        outcome = validate(path, Path(tmp) / "out")
    assert outcome.status in (0, 2)
    if outcome.status == 2:
        lines = outcome.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("stakemap: ") and lines[0].endswith("."), outcome.stderr
        assert "Traceback" not in outcome.stderr
    else:
        check_counts_add_up(outcome)
        assert set(outcome.counts) >= {"organisations", "people"}
