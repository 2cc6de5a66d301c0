"""A sample written the way offices keep it (``stakemap sample --as office``, issue 15).

The contract sample of one quarter (:func:`analysis.sample.generate_sample`) is written
again as office files — and, beside them in ``contract/``, as the contract's tables holding
exactly the same lines, so that a test can check that ``stakemap run`` finds the same
persons, hats, duplicate groups and bridges either way:

- ``ทะเบียนหน่วยงาน.xlsx``: the organisations, under a title row, ids as รหัสหน่วยงาน;
- ``ทะเบียนรายชื่อ_NN.xlsx``: one sheet per roster (a title row, then a header; names whole or
  split into คำนำหน้า | ชื่อ | นามสกุล; places as columns or one address cell; phones stored
  as numbers, as Excel keeps them; some with เลขประจำตัวประชาชน, a few mangled to
  ``3.27060E+12``; blank numbered rows and a signature block under the last line); every
  fifth roster a Windows Thai (cp874) CSV file instead;
- ``โครงการ_NN.xlsx``: projects (organisations by name, the period in one cell where both
  dates are readable), ``การสนับสนุนงบประมาณ_NN.xlsx``: funding, each under title rows and
  over a total row;
- ``ลงทะเบียนผู้เข้าร่วม_NN.xlsx``: one attendance sheet per project, its title naming the
  project's id, with a signature column: each line a new people record, as at a forum.

With ``layout="merged"`` (``--layout merged``) the same lines are written as an office that
consolidates its lists keeps them: lists joined into sheets of about :data:`MERGED_LINES`
lines, one sheet a workbook (each merged sheet's title is its lines' source; an attendance
sheet names each line's project in a column).

Record ids in ``contract/`` are the ones the reader gives (``file:sheet:row``,
:mod:`analysis.ingest.office`).
"""

import hashlib
import numbers
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

from analysis.ingest.cells import join_name
from analysis.ingest.normalise import parse_date
from analysis.resolve.names import split_name
from analysis.resolve.organisations import OrgMatcher

#: Sheets a workbook holds before the next one starts (an office's yearly workbook).
SHEETS_PER_WORKBOOK = 12
#: Lines a project or funding sheet holds.
LINES_PER_SHEET = 150
#: The layouts the files can be written in: ``lists``, one sheet per list as a tambon office
#: keeps them (most sheets hold a few lines); ``merged``, lists joined into one sheet per
#: workbook of about :data:`MERGED_LINES` lines, as an office that consolidates them keeps
#: them (issue 15's "hundreds of workbooks" at national scale).
LAYOUTS = ("lists", "merged")
#: Lines a merged sheet holds at least (whole lists are kept together): Excel opens such a
#: sheet at once, and a national sample comes to a few hundred workbooks.
MERGED_LINES = 2000
#: Every CSV_EVERY-th roster is a cp874 CSV file, every ID_EVERY-th has national IDs.
CSV_EVERY, ID_EVERY = 5, 3
#: Of the national IDs written, one in MANGLED_EVERY as Excel mangles a long number.
MANGLED_EVERY = 4
THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
SIGNATURE = (["ลงชื่อ..............................ผู้รับรองข้อมูล"], ["(..............................)"])


def write_office_sample(out: Path, scale: str = "tambon", seed: int = 1, layout: str = "lists") -> Path:
    """Write the office files into ``out`` and the same lines as contract tables into
    ``out/contract``; returns ``out``. ``layout`` is one of :data:`LAYOUTS`. Same arguments →
    the same bytes."""
    from analysis.sample import generate_sample, write_table

    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    sample = generate_sample(scale, seed=seed)
    writer = OfficeWriter(Path(out), sample.tables, sample.truth["persons"], layout)
    writer.write_all()
    for name, frame in writer.contract_tables().items():
        write_table(frame, Path(out) / "contract" / f"{name}.csv")
    (Path(out) / "README.md").write_text(README.format(scale=scale, seed=seed, layout=layout), encoding="utf-8")
    return Path(out)


README = """# Synthetic office files ({scale} scale, seed {seed}, {layout} layout)

**Everything here is synthetic** (places are real: GeoThai data, Pongsakorn Thipayanate,
CC BY 4.0). Made with `stakemap sample --as office --scale {scale} --seed {seed} --layout {layout}`.

The files a tambon or province office keeps, as it keeps them: an organisations list, roster
workbooks (one sheet per list, title rows, names whole or split, phones stored as numbers,
national ID numbers on some lists, a few mangled by Excel, signature footers), rosters saved
as Windows Thai CSV, project lists (periods in one cell), funding lists and attendance
sheets. Run it as it is: `stakemap run THIS_FOLDER`.

`contract/` holds exactly the same lines as the contract's tables (record ids as the reader
gives them: file:sheet:row). A run on either gives the same persons, hats, duplicate groups
and bridges (tests/test_sample_office.py).
"""


class OfficeWriter:
    """Writes the office files and remembers the contract lines they hold."""

    def __init__(self, out: Path, tables: dict[str, pd.DataFrame], persons: pd.DataFrame, layout: str = "lists"):
        self.out, self.tables, self.layout = out, tables, layout
        self.true_person = dict(zip(persons["record_id"], persons["true_person_id"]))
        self.people: list[dict] = []
        self.participation: list[dict] = []
        self.record_ids: dict[str, str] = {}  # contract record_id -> office record_id
        orgs = tables["organisations"]
        matcher = OrgMatcher(orgs)
        # An organisation is written by name where its name finds it alone, else by id.
        self.org_written = {i: n if n and matcher.match(n).org_id == i else i for i, n in zip(orgs["org_id"], orgs["name"])}

    def write_all(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        self.write_organisations()
        self.write_rosters()
        self.write_projects()
        self.write_funding()
        self.write_attendance()

    def org(self, value: str) -> str:
        return self.org_written.get(value, value)

    # ------------------------------------------------------------------ files

    def write_organisations(self) -> None:
        orgs = self.tables["organisations"]
        header = ["รหัสหน่วยงาน", "ชื่อหน่วยงาน", "ประเภทองค์กร", "รหัสต้นสังกัด", "จังหวัด", "อำเภอ", "ตำบล", "ชื่อย่อ"]
        rows = orgs[["org_id", "name", "kind", "parent_id", "province", "district", "tambon", "aliases"]].values.tolist()
        save_book(self.out / "ทะเบียนหน่วยงาน.xlsx", [("หน่วยงาน", [["ทะเบียนองค์กรและหน่วยงาน"], header, *rows])])

    def write_rosters(self) -> None:
        people = self.tables["people"]
        people = people[(people["name"] != "") & (people["source"] != "")]
        sheets, n_book = [], 1
        lists = [lines for _, lines in people.groupby("source", sort=False)]
        for number, lines in enumerate(self.merge(lists), start=1):
            source = lines["source"].iat[0] if self.layout == "lists" else f"ทะเบียนรายชื่อกรรมการ (รวม) ชุดที่ {number}"
            if number % CSV_EVERY == 0:
                self.write_roster_csv(number, source, lines)
                continue
            name = f"ทะเบียนรายชื่อ_{n_book:02d}.xlsx"
            sheet = f"รายชื่อ {len(sheets) + 1}"
            sheets.append((sheet, self.roster_rows(f"{name}:{sheet}", source, lines, number)))
            if len(sheets) == self.sheets_per_workbook:
                save_book(self.out / name, sheets)
                sheets, n_book = [], n_book + 1
        if sheets:
            save_book(self.out / f"ทะเบียนรายชื่อ_{n_book:02d}.xlsx", sheets)

    def write_roster_csv(self, number: int, source: str, lines: pd.DataFrame) -> None:
        name = f"รายชื่อกรรมการ_{number:03d}.csv"
        rows = self.roster_rows(name, source, lines, number, as_text=True)
        text = "\r\n".join(",".join(csv_cell(c) for c in row) for row in rows) + "\r\n"
        try:
            data = text.encode("cp874")
        except UnicodeEncodeError:  # a character Windows Thai lacks: Excel would save UTF-8
            data = text.encode("utf-8-sig")
        (self.out / name).write_bytes(data)

    def roster_rows(self, where: str, source: str, lines: pd.DataFrame, number: int, as_text: bool = False) -> list[list]:
        """A title row, the header, the lines (remembered as contract rows), then the footer."""
        parts = [split_parts(n) for n in lines["name"]]
        is_split = number % 2 == 0 and all(p is not None for p in parts)
        has_ids = number % ID_EVERY == 0
        header = ["ลำดับ", *(["คำนำหน้า", "ชื่อ", "นามสกุล"] if is_split else ["ชื่อ-สกุล"]), "หน่วยงาน", "ตำแหน่ง",
                  "เบอร์โทรศัพท์", "อีเมล", "จังหวัด", "อำเภอ", "ตำบล", *(["เลขประจำตัวประชาชน"] if has_ids else []),
                  "หมายเหตุ"]
        rows = [[source], header]
        for n, (line, part) in enumerate(zip(lines.to_dict("records"), parts), start=1):
            row_number = len(rows) + 1
            record_id = f"{where}:{row_number}"
            name = join_name(*part) if is_split else line["name"]
            national_id, written_id = self.national_id(line["record_id"], n) if has_ids else (None, None)
            phone = line["phone"]
            rows.append([n, *(list(part) if is_split else [line["name"]]), self.org(line["org_id"]), line["role"],
                         phone if as_text else phone_cell(phone), line["email"], line["province"], line["district"],
                         line["tambon"], *([written_id] if has_ids else []), None])
            self.record_ids.setdefault(line["record_id"], record_id)
            self.people.append({**line, "record_id": record_id, "source": source, "name": name, "org_id": self.org(line["org_id"]),
                                "national_id": national_id or ""})
        rows += [[n] for n in range(len(lines) + 1, len(lines) + 3)]
        return [*rows, [], *SIGNATURE]

    def national_id(self, record_id: str, n: int) -> tuple[str | None, str | None]:
        """(the valid ID the reader keeps or None, the cell as written) for a record's person."""
        person = self.true_person.get(record_id, record_id)
        digits = make_national_id(person)
        if n % MANGLED_EVERY == 0:
            return None, f"{int(digits[:6]) / 10**5:.5f}E+12"
        return digits, f"{digits[0]}-{digits[1:5]}-{digits[5:10]}-{digits[10:12]}-{digits[12]}"

    def write_projects(self) -> None:
        projects = self.tables["projects"]
        for start in range(0, len(projects), self.lines_per_sheet):
            chunk = projects.iloc[start:start + self.lines_per_sheet]
            number = start // self.lines_per_sheet + 1
            use_period = number % 2 == 1 and all(readable(s) and readable(e) for s, e in zip(chunk["start"], chunk["end"]))
            header = ["ลำดับ", "รหัสโครงการ", "ชื่อโครงการ", "หน่วยงานที่รับผิดชอบ", "จังหวัด", "อำเภอ", "ตำบล",
                      *(["ระยะเวลา"] if use_period else ["วันเริ่มต้น", "วันสิ้นสุด"]), "งบประมาณ", "ประเภทโครงการ",
                      "รายละเอียด"]
            rows = [["บัญชีโครงการพัฒนาในพื้นที่"], ["ข้อมูลจากหน่วยงานต่าง ๆ"], header]
            for n, p in enumerate(chunk.to_dict("records"), start=1):
                period = [thai_period(p["start"], p["end"])] if use_period else [p["start"], p["end"]]
                rows.append([n, p["project_id"], p["title"], self.org(p["lead_org_id"]), p["province"], p["district"],
                             p["tambon"], *period, p["budget_thb"], p["category"], p["description"]])
            rows.append([None, "รวม"])
            save_book(self.out / f"โครงการ_{number:02d}.xlsx", [("โครงการ", rows)])

    def write_funding(self) -> None:
        funding = self.tables["funding"]
        header = ["ลำดับ", "แหล่งทุน", "รหัสโครงการ", "ผู้รับทุน", "จำนวนเงิน", "แผนงาน", "วันที่โอน"]
        for start in range(0, len(funding), self.lines_per_sheet):
            chunk = funding.iloc[start:start + self.lines_per_sheet]
            rows = [["รายการสนับสนุนงบประมาณ"], header]
            for n, f in enumerate(chunk.to_dict("records"), start=1):
                rows.append([n, self.org(f["funder_id"]), f["project_id"], self.org(f["recipient_org_id"]),
                             f["amount_thb"], f["stream"], f["date"]])
            rows.append([None, "รวมทั้งสิ้น"])
            save_book(self.out / f"การสนับสนุนงบประมาณ_{start // self.lines_per_sheet + 1:02d}.xlsx", [("งบประมาณ", rows)])

    def write_attendance(self) -> None:
        """One sheet per project, its title naming the project (merged: many projects a sheet,
        a column naming each line's project): people lines copied from the rosters they came from."""
        participation = self.tables["participation"]
        projects = set(self.tables["projects"]["project_id"])
        people = {p["record_id"]: p for p in self.tables["people"].to_dict("records")}
        usable = participation[participation["project_id"].isin(projects)
                               & (participation["record_id"].isin(set(self.record_ids)) | (participation["org_id"] != ""))
                               & ~((participation["record_id"] != "") & (participation["org_id"] != ""))]
        is_merged = self.layout == "merged"
        sheets, n_book = [], 1
        lists = [lines for _, lines in usable.groupby("project_id", sort=True)]
        for number, lines in enumerate(self.merge(lists), start=1):
            name = f"ลงทะเบียนผู้เข้าร่วม_{n_book:02d}.xlsx"
            sheet = f"ผู้เข้าร่วม {len(sheets) + 1}"
            title = (f"รายชื่อผู้เข้าร่วมโครงการ (รวม) ชุดที่ {number}" if is_merged
                     else f"รายชื่อผู้เข้าร่วมโครงการ รหัส {lines['project_id'].iat[0]}")
            rows = [[title], ["ลำดับ", *(["รหัสโครงการ"] if is_merged else []), "ชื่อ-สกุล", "หน่วยงาน/องค์กร", "เบอร์โทร",
                              "บทบาท", "ลายมือชื่อ"]]
            for n, line in enumerate(lines.to_dict("records"), start=1):
                number_in_sheet = len(rows) + 1
                project = [line["project_id"]] if is_merged else []
                if line["record_id"]:
                    person = people[line["record_id"]]
                    record_id = f"{name}:{sheet}:{number_in_sheet}"
                    rows.append([n, *project, person["name"], self.org(person["org_id"]), person["phone"], line["role"], None])
                    self.people.append({**person, "record_id": record_id, "source": title, "role": "",
                                        "email": "", "province": "", "district": "", "tambon": "",
                                        "org_id": self.org(person["org_id"]), "national_id": ""})
                    self.participation.append({"project_id": line["project_id"], "record_id": record_id, "org_id": "",
                                               "role": line["role"] or "ผู้เข้าร่วม"})
                else:
                    rows.append([n, *project, None, self.org(line["org_id"]), None, line["role"], None])
                    self.participation.append({"project_id": line["project_id"], "record_id": "",
                                               "org_id": self.org(line["org_id"]), "role": line["role"] or "ผู้เข้าร่วม"})
            sheets.append((sheet, rows))
            if len(sheets) == self.sheets_per_workbook:
                save_book(self.out / name, sheets)
                sheets, n_book = [], n_book + 1
        if sheets:
            save_book(self.out / f"ลงทะเบียนผู้เข้าร่วม_{n_book:02d}.xlsx", sheets)

    # ------------------------------------------------------------------ layout

    @property
    def sheets_per_workbook(self) -> int:
        return SHEETS_PER_WORKBOOK if self.layout == "lists" else 1

    @property
    def lines_per_sheet(self) -> int:
        return LINES_PER_SHEET if self.layout == "lists" else MERGED_LINES

    def merge(self, lists: list[pd.DataFrame]) -> list[pd.DataFrame]:
        """The lists as written: each alone, or (merged) joined in order until a sheet holds
        :data:`MERGED_LINES` lines."""
        if self.layout == "lists":
            return lists
        merged, part, n_lines = [], [], 0
        for lines in lists:
            part.append(lines)
            n_lines += len(lines)
            if n_lines >= MERGED_LINES:
                merged.append(pd.concat(part))
                part, n_lines = [], 0
        return merged + ([pd.concat(part)] if part else [])

    # ------------------------------------------------------------------ the same lines, contract form

    def contract_tables(self) -> dict[str, pd.DataFrame]:
        people_columns = ["record_id", "source", "name", "org_id", "role", "phone", "email", "national_id",
                          "province", "district", "tambon"]
        projects = self.tables["projects"].copy()
        projects["lead_org_id"] = projects["lead_org_id"].map(self.org)
        funding = self.tables["funding"].copy()
        for column in ("funder_id", "recipient_org_id"):
            funding[column] = funding[column].map(self.org)
        return {"organisations": self.tables["organisations"],
                "people": pd.DataFrame(self.people)[people_columns],
                "projects": projects, "funding": funding,
                "participation": pd.DataFrame(self.participation, columns=["project_id", "record_id", "org_id", "role"])}


def save_book(path: Path, sheets: list[tuple[str, list[list]]]) -> None:
    """A workbook with these sheets; empty strings left as empty cells; the first row, the
    title, merged across the header's width as offices do.

    The SpreadsheetML parts are written directly (ECMA-376 Part 1: the package's content
    types and relationships, ``workbook.xml``, one ``sheetN.xml`` a sheet with inline strings
    and ``mergeCells``): openpyxl took over an hour for the national sample's ~100,000 sheets
    on a shared machine, this a few minutes. Entries carry a fixed time, so the same lines
    give the same bytes.
    """
    names = [name for name, _ in sheets]
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for n in range(1, len(names) + 1))
            + "</Types>"),
        "_rels/.rels": (
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC_RELS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><sheets>'
            + "".join(f'<sheet name="{escape(name, _QUOTE)}" sheetId="{n}" r:id="rId{n}"/>'
                      for n, name in enumerate(names, start=1))
            + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_RELS}">'
            + "".join(f'<Relationship Id="rId{n}" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                      for n in range(1, len(names) + 1))
            + "</Relationships>"),
    }
    for n, (_, rows) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{n}.xml"] = sheet_xml(rows)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            entry = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            book.writestr(entry, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_QUOTE = {'"': "&quot;"}


def sheet_xml(rows: list[list]) -> str:
    """A worksheet's XML: text as inline strings, numbers as numbers, None and "" left empty;
    the first row merged across the widest row."""
    out = [f'<worksheet xmlns="{_MAIN}"><sheetData>']
    for r, cells in enumerate(rows, start=1):
        written = []
        for c, value in enumerate(cells):
            if value is None or value == "":
                continue
            ref = f"{column_letters(c)}{r}"
            if isinstance(value, numbers.Number) and not isinstance(value, bool):
                if value == value:  # NaN: an empty cell
                    written.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                written.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>')
        if written:
            out.append(f'<row r="{r}">{"".join(written)}</row>')
    out.append("</sheetData>")
    width = max((len(r) for r in rows), default=0)
    if width > 1:
        out.append(f'<mergeCells count="1"><mergeCell ref="A1:{column_letters(width - 1)}1"/></mergeCells>')
    return "".join(out) + "</worksheet>"


def column_letters(index: int) -> str:
    """``0`` → ``A``, ``25`` → ``Z``, ``26`` → ``AA``.

    Examples
    --------
    >>> column_letters(0), column_letters(11), column_letters(26)
    ('A', 'L', 'AA')
    """
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def split_parts(name: str) -> tuple[str, str, str] | None:
    """(honorific, first name, surname) of a name, or None when it has no honorific or surname."""
    parts = split_name(name)
    if not parts.honorifics or not parts.last:
        return None
    return "".join(parts.honorifics), parts.first, parts.last


def make_national_id(person: str) -> str:
    """A 13-digit national ID with a right check digit, the same for every line of one person."""
    body = "3" + str(int(hashlib.sha1(person.encode("utf-8")).hexdigest(), 16))[:11]
    total = sum(int(d) * (13 - i) for i, d in enumerate(body))
    return body + str((11 - total % 11) % 10)


def phone_cell(phone: str):
    """A phone as Excel keeps it when typed into a number cell: the leading 0 gone."""
    return int(phone) if phone.isdigit() and phone.startswith("0") and len(phone) in (9, 10) else phone


def readable(value: str) -> bool:
    try:
        return parse_date(value) is not None
    except ValueError:
        return False


def thai_period(start: str, end: str) -> str:
    """``1 ต.ค. 66 - 30 ก.ย. 67`` for two dates."""
    return " - ".join(thai_date(parse_date(d)) for d in (start, end))


def thai_date(day) -> str:
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {(day.year + 543) % 100:02d}"


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\n\r') else text
