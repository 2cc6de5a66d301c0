"""A folder of office files read as they are (CONTRACT §1, v2): rosters, project lists,
funding lists, attendance sheets and organisation lists, in xlsx, xls or csv (UTF-8 or
cp874), any number of sheets, alone or mixed with the contract's tables.

Every sheet of every file is read (:mod:`analysis.ingest.sheets` finds its header, kind and
footer; :mod:`analysis.ingest.cells` splits its cells) into the contract's five tables, as
text, so that :mod:`analysis.ingest.validate` checks them like any dataset:

- every line gets a ``record_id`` (or ``project_id``) from its file, sheet and row
  (``roster.xlsx:หมู่ 1:5``) unless a column gives one, and a ``source``: the list's title,
  else the file and sheet;
- organisations stay written as names; the validator matches them to ids. Names no table
  holds are drafted (:mod:`analysis.ingest.draft_orgs`) and written to
  ``organisations_draft.csv``;
- a project list's funder becomes a funding row, its responsible person a people record and a
  participation row; an attendance sheet whose title or column names a project becomes that
  project's participation.

:func:`finish_import` then maps the quarantine back to file, sheet and row, counts rows per
sheet (rows read = rows used + rows quarantined) and writes ``import_report.md``.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import chain, compress, count, repeat
from operator import is_not, itemgetter, not_
from pathlib import Path

import pandas as pd

from analysis.dataset import RawDataset
from analysis.errors import DatasetError
from analysis.ingest import cells as cellparts
from analysis.ingest import draft_orgs, sheets
from analysis.ingest.limits import check_workbook
from analysis.ingest.read import (BLANK_CHARACTERS, COLUMNS_FILE, JOINED_COLUMN, TABLE_ALIASES, WORKBOOK_SUFFIXES,
                                  build_table, decode_text, normalise_header, read_bytes, read_column_mapping,
                                  read_csv_cells, sha256_hex, sheet_cells)
from analysis.ingest.schema import PLACE_COLUMNS, ROW_COLUMN, TABLE_ORDER, TABLES
from analysis.parallel import run_tasks

OFFICE_SUFFIXES = (".csv", *WORKBOOK_SUFFIXES)
#: Office files are read side by side (:func:`analysis.parallel.run_tasks`) from this many
#: bytes: about 3 s of reading one by one (issue 15's benchmark: ~0.75 s a MB of workbooks),
#: against ~0.1 s to fork a worker and send its lines back.
SIDE_BY_SIDE_BYTES = 4 * 2**20
#: Files in a dataset folder that are not data: the tool's own inputs and outputs.
NOT_DATA = ("columns.csv", "decisions.csv", "aims.csv", "organisations_draft.csv", "quarantine.csv",
            "org_matches.csv")
#: Where a table's rows came from, kept beside it: ``file[:sheet]`` and the sheet row.
WHERE, SHEET_ROW = "_where", "_sheet_row"
#: A line's project as written (id, title, the sheet's title), until every file is read.
PROJECT_REF = "_project"
#: A line's key while tables are assembled: (table, n), unique.
LINE_KEY = "_key"
#: A part of a table (the lines of one sheet): column -> values, every column as long.
Block = dict[str, list]
#: The column of projects that keeps the tambons an area cell names when it names several: a
#: project has one area in the contract (CONTRACT §1, projects), their district.
AREA_TAMBONS = "area_tambons"
#: The table a sheet kind's lines are counted in.
PRIMARY_TABLE = {sheets.ROSTER: "people", sheets.ATTENDANCE: "people", sheets.PROJECTS: "projects",
                 sheets.FUNDING: "funding", sheets.ORGANISATIONS: "organisations"}
#: Where an organisation's name usually starts in a title or a file name.
ORG_START = re.compile(
    r"(สภาองค์กรชุมชน|กองทุน|อบต\.|องค์การบริหารส่วน|เทศบาล|กลุ่ม|ชมรม|เครือข่าย|รพ\.\s*สต\.|โรงพยาบาล|"
    r"สำนักงาน|มูลนิธิ|สมาคม|วิสาหกิจชุมชน|ธ\.ก\.ส\.|พอช\.|พมจ\.|คณะกรรมการหมู่บ้าน|อสม\.|สหกรณ์)")
#: Where it ends: a place, year or date written after the name.
ORG_END = re.compile(r"\s+(?:อำเภอ|อ\.|จังหวัด|จ\.|ประจำปี|ปี|ปีงบประมาณ|พ\.ศ\.|วันที่|ณ|หมู่|ม\.)|\s*[(\[]")
_FUNDER_SPLIT = re.compile(r"\s*(?:,|/|\+|และ)\s*")


@dataclass
class SheetReport:
    """What the reader did with one sheet (one line of ``import_report.md``)."""

    where: str
    kind: str
    header_row: int | None = None
    title: list[str] = field(default_factory=list)
    columns: list[tuple[str, str | None]] = field(default_factory=list)  # (as written, field or None)
    organisation: str | None = None
    organisation_from: str | None = None
    project: str | None = None
    project_from: str | None = None
    footer: list[tuple[int, str]] = field(default_factory=list)
    several_tambons: list[tuple[int, list[str], str | None]] = field(default_factory=list)  # (row, tambons, district)
    lines: list[tuple[int, str, int]] = field(default_factory=list)  # (sheet row, table, row in the assembled table)
    counts: dict = field(default_factory=dict)
    note: str | None = None


@dataclass
class OfficeImport:
    """The office reading of a folder, carried from reading to the outputs."""

    sheets: list[SheetReport]
    origins: dict[str, dict[int, tuple[str, int]]]
    draft: pd.DataFrame
    abbreviations: dict[str, list[str]] = field(default_factory=dict)
    report_md: str = ""

    def locate(self, table: str, row: int) -> str:
        """``file[:sheet]:row`` of a row of an assembled table.

        Examples
        --------
        >>> OfficeImport([], {"people": {2: ("a.xlsx:หมู่ 1", 4)}}, pd.DataFrame()).locate("people", 2)
        'a.xlsx:หมู่ 1:4'
        """
        where, number = self.origins[table][row]
        return f"{where}:{number}"


# --------------------------------------------------------------------------- entry points


def is_office_dataset(path: Path) -> bool:
    """True when ``path`` is to be read as office files: a single CSV file, a workbook without
    the contract's sheet names, or a folder with a workbook or without the required tables."""
    path = Path(path)
    if path.is_file():
        return path.suffix.lower() == ".csv" or not has_required_tables(sheet_names(path))
    files = data_files(path)
    if any(f.suffix.lower() in WORKBOOK_SUFFIXES for f in files):
        return True
    return not has_required_tables([f.stem for f in files])


#: Table names as compared (:func:`normalise_header`) -> table.
TABLE_BY_NAME = {normalise_header(a): t for t, aliases in TABLE_ALIASES.items() for a in aliases}


def has_required_tables(names: list[str]) -> bool:
    found = {TABLE_BY_NAME.get(normalise_header(n)) for n in names}
    return {"organisations", "people"} <= found


def sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_filelike(io.BytesIO(read_bytes(path))).sheet_names)
    except DatasetError:
        raise
    except Exception as error:  # calamine's own error types
        raise DatasetError(f"{path.name} cannot be read as an Excel workbook ({type(error).__name__}).") from None


def data_files(folder: Path) -> list[Path]:
    return [p for p in sorted(Path(folder).iterdir())
            if p.is_file() and p.suffix.lower() in OFFICE_SUFFIXES and p.name.lower() not in NOT_DATA
            and not p.name.startswith(("~$", "."))]


def read_office_dataset(path: Path) -> RawDataset:
    """Read a folder of office files (or one file) into the contract's tables, as text."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    files = data_files(folder) if path.is_dir() else [path]
    overrides = read_office_columns(folder)
    contract_mapping, checksums = read_column_mapping_safely(folder)
    reader = TableAssembler(overrides, contract_mapping)

    def read_file(file: Path) -> tuple | DatasetError:
        """A file's checksum and lines, read apart (:meth:`TableAssembler.take` joins them);
        the sentence of a file that cannot be read is returned, raised below in file order."""
        part = TableAssembler(overrides, contract_mapping)
        try:
            data = read_bytes(file)
            for sheet, rows, joined in read_sheets(file, data):
                part.read_sheet(file, sheet, rows, joined)
        except DatasetError as error:
            return error
        return sha256_hex(data), part.reports, part.blocks, part.n_lines

    # Files are read side by side when there is enough to read, and joined in file order:
    # the same tables as one by one.
    workers = None if sum(f.stat().st_size for f in files) >= SIDE_BY_SIDE_BYTES else 1
    for file, found in zip(files, run_tasks([partial(read_file, file) for file in files], workers)):
        if isinstance(found, DatasetError):
            raise found
        checksums[file.name] = found[0]
        reader.take(*found[1:])
    return reader.assemble(folder if path.is_dir() else path, checksums)


def read_column_mapping_safely(folder: Path) -> tuple[dict, dict]:
    """The contract rows of ``columns.csv`` (rows for office sheets are read by
    :func:`read_office_columns`)."""
    try:
        return read_column_mapping(folder)
    except DatasetError:
        path = folder / COLUMNS_FILE
        return {}, {COLUMNS_FILE: sha256_hex(read_bytes(path))} if path.is_file() else {}


def read_office_columns(folder: Path) -> dict[str, dict]:
    """``columns.csv`` rows for office sheets: scope -> {"map": {header key: field}, "fixed": {field: value}}.

    ``table`` is a file name, ``file:sheet``, a sheet name, a sheet kind (``roster``) or ``*``;
    ``column`` is a field of :data:`analysis.ingest.sheets.FIELDS` (or ``ignore``); a row with
    a ``value`` and no ``column_as_written`` gives that field one value for the whole sheet.
    """
    path = folder / COLUMNS_FILE
    if not path.is_file():
        return {}
    rows = list(csv.reader(io.StringIO(decode_text(read_bytes(path), COLUMNS_FILE), newline="")))
    header = [normalise_header(c) for c in rows[0]] if rows else []
    scopes: dict[str, dict] = {}
    for number, cells in enumerate(rows[1:], start=2):
        values = dict(zip(header, cells))
        target = normalise_header(values.get("column", ""))
        if target not in sheets.FIELDS and target != "ignore":
            continue  # a contract column: read_column_mapping's business
        scope = scopes.setdefault(normalise_header(values.get("table", "")) or "*", {"map": {}, "fixed": {}})
        written = normalise_header(values.get("column_as_written", ""))
        if written:
            scope["map"][written] = target
        elif values.get("value", "").strip():
            scope["fixed"][target] = values["value"].strip()
        else:
            raise DatasetError(f"{COLUMNS_FILE}, row {number}: give column_as_written or a value.")
    return scopes


def read_sheets(file: Path, data: bytes) -> list[tuple[str | None, list[tuple[int, list]], dict[int, str]]]:
    """Every sheet of a file as (sheet name or None for a CSV file, rows, joined): blank cells
    None; ``joined``, of a CSV file, the rows that are several lines joined by a stray quote
    (row -> ``lines a–b``, :func:`analysis.ingest.read.find_joined_records`)."""
    if file.suffix.lower() == ".csv":
        joined: dict[int, str] = {}
        rows = read_csv_cells(data, file.name, joined, under_title=True)
        return [(None, [(number, [c if c.strip(BLANK_CHARACTERS) else None for c in cells]) for number, cells in rows],
                 joined)]
    from python_calamine import CalamineWorkbook

    check_workbook(file, data)  # before calamine: what it cannot allocate aborts the process
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [(name, sheet_cells(workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)), {})
                for name in workbook.sheet_names]
    except Exception as error:  # calamine raises its own types and ValueError for zip, xml, password
        raise DatasetError(f"{file.name} cannot be read as an Excel workbook ({type(error).__name__}).") from None


# --------------------------------------------------------------------------- sheets → tables


class TableAssembler:
    """Collects the contract rows that the sheets of a folder hold.

    A table is kept as blocks, one a sheet (or a drafted line): column -> values, every
    column of a block as long. The lines of a sheet are split a column at a time, and a
    column the contract takes as written (a role, a phone) is passed on as it is: a national
    folder holds a million lines, and a dict a line cost more than reading the cells.
    """

    def __init__(self, overrides: dict, contract_mapping: dict):
        self.overrides = overrides
        self.contract_mapping = contract_mapping
        self.blocks: dict[str, list[Block]] = {t: [] for t in TABLE_ORDER}
        self.n_lines = 0
        self.reports: list[SheetReport] = []
        self.report_by_where: dict[str, SheetReport] = {}
        self.abbreviations: dict[str, list[str]] = {}  # a name cut short with ฯ -> the names it may be

    def read_sheet(self, file: Path, sheet: str | None, rows: list[tuple[int, list]],
                   joined: dict[int, str] | None = None) -> None:
        where = file.name if sheet is None else f"{file.name}:{sheet}"
        if self.read_contract_table(file, sheet, rows, where, joined):
            return
        scopes = [s for s in (scope_key(file.name), scope_key(file.stem), scope_key(where), scope_key(sheet or ""), "*")
                  if s]
        cells = [c for _, c in rows]
        layout = sheets.read_layout(cells, self.merged("map", scopes))
        kind_scope = normalise_header(layout.kind)
        if kind_scope in self.overrides:
            scopes.append(kind_scope)
            layout = sheets.read_layout(cells, self.merged("map", scopes))
        report = SheetReport(where, layout.kind, title=layout.title)
        self.reports.append(report)
        if layout.header_index is None or layout.kind == sheets.UNKNOWN:
            report.note = describe_unread(layout, len(rows))
            return
        report.header_row = rows[layout.header_index][0]
        ignored = {k for k, v in self.merged("map", scopes).items() if v == "ignore"}
        report.columns = [(written, None if ignored and normalise_header(written) in ignored else layout.columns.get(p))
                          for p, written in sorted(layout.headers.items())]
        columns = {p: f for p, f in layout.columns.items() if f != "ignore"}
        fixed = self.merged("fixed", scopes)
        context = SheetContext(where, layout, report, fixed, file, sheet)
        is_after_signature = False
        lines = rows[layout.header_index + 1:]
        footer = sheets.find_footer_reasons(list(map(itemgetter(1), lines)), columns)
        # The lines above the first footer are taken whole (a sheet's footers are at its end).
        first = next(compress(count(), footer), len(footer))
        numbers, kept = list(map(itemgetter(0), lines[:first])), list(map(itemgetter(1), lines[:first]))
        for (number, row), reason in zip(lines[first:], footer[first:]):
            reason = "after a signature line" if is_after_signature else reason
            if reason is not None:
                report.footer.append((number, reason))
                is_after_signature = is_after_signature or reason == "signature line"
                continue
            numbers.append(number)
            kept.append(row)
        if numbers:
            self.read_lines(context, numbers, select_columns(kept, columns, context.fixed), joined)

    def take(self, reports: list[SheetReport], blocks: dict[str, list[Block]], n_lines: int) -> None:
        """The sheets another assembler read (one file's), after those read so far."""
        offset = self.n_lines
        if offset:
            for report in reports:
                report.lines = [(number, table, key + offset) for number, table, key in report.lines]
            for found in blocks.values():
                for block in found:
                    block[LINE_KEY] = range(block[LINE_KEY].start + offset, block[LINE_KEY].stop + offset)
        self.reports += reports
        for table, found in blocks.items():
            self.blocks[table] += found
        self.n_lines += n_lines

    def merged(self, part: str, scopes: list[str]) -> dict:
        if not self.overrides:
            return {}
        out: dict = {}
        for scope in reversed(scopes):  # "*" first, the narrowest scope last (it wins)
            out.update(self.overrides.get(scope, {}).get(part, {}))
        return out

    def read_contract_table(self, file: Path, sheet: str | None, rows, where: str, joined: dict | None) -> bool:
        """A file or sheet named and shaped as a contract table is read as one."""
        table = TABLE_BY_NAME.get(normalise_header(sheet if sheet is not None else file.stem))
        if table is None or not rows:
            return False
        try:
            frame = build_table(rows, table, where, self.contract_mapping, joined)
        except DatasetError:
            return False  # named like a table but laid out as an office list
        report = SheetReport(where, f"{table} table (contract form)", header_row=rows[0][0])
        report.columns = [(str(c), c) for c in frame.columns if c != ROW_COLUMN]
        self.reports.append(report)
        values = {c: frame[c].tolist() for c in frame.columns if c != ROW_COLUMN}
        # A column with no value on any line is left out, as a line leaves out its blank cells.
        self.add(report, table, frame[ROW_COLUMN].tolist(),
                 {c: v for c, v in values.items() if v.count(None) < len(v)}, primary=True)
        return True

    def add(self, report: SheetReport, table: str, numbers: list[int], block: Block, primary=False,
            joined: dict[int, str] | None = None) -> None:
        """The lines ``numbers`` of a sheet, as ``block`` (column -> values) of ``table``;
        ``primary`` (True, or a flag a line) marks the lines the sheet's counts are of."""
        if not numbers:
            return
        keys = range(self.n_lines, self.n_lines + len(numbers))  # unique: lines are only added before assemble
        self.n_lines += len(numbers)
        if joined:  # the checker sets every row of such a line aside, and says why
            lines = [joined.get(number) for number in numbers]
            if lines.count(None) < len(lines):
                block[JOINED_COLUMN] = lines
        block[WHERE], block[SHEET_ROW], block[LINE_KEY] = [report.where] * len(numbers), numbers, keys
        self.blocks[table].append(block)
        if primary is True:
            report.lines.extend(zip(numbers, repeat(table), keys))
        elif primary:
            report.lines.extend((number, table, key) for number, key, is_primary in zip(numbers, keys, primary)
                                if is_primary)

    def read_lines(self, context: "SheetContext", numbers: list[int], values: dict[str, list],
                   joined: dict[int, str] | None) -> None:
        """The lines of one sheet below its header, footers left out; ``values``: field ->
        the lines' cells (:func:`select_columns`)."""
        kind, report, n = context.layout.kind, context.report, len(numbers)
        column = partial(get_column, values, [None] * n)
        if kind == sheets.PROJECTS:
            self.read_projects(context, numbers, values, joined)
        elif kind in (sheets.ROSTER, sheets.ATTENDANCE):
            org = column("org")
            # An attendance line naming only an organisation: the organisation took part.
            is_org = ([o is not None and a is None and b is None and c is None
                       for o, a, b, c in zip(org, column("name"), column("first_name"), column("last_name"))]
                      if kind == sheets.ATTENDANCE and "org" in values else [False] * n)
            if any(is_org):
                people = [i for i, flag in enumerate(is_org) if not flag]
                self.add(report, "people", [numbers[i] for i in people],
                         build_people({f: [v[i] for i in people] for f, v in values.items()},
                                      context, [numbers[i] for i in people]), primary=True, joined=joined)
            else:
                self.add(report, "people", numbers, build_people(values, context, numbers), primary=True, joined=joined)
            if kind == sheets.ATTENDANCE:
                # Projects are named by id or title; which project a title means is known once
                # every file is read (PROJECT_REF, resolved in assemble).
                sheet_title = " ".join(context.layout.title)
                record_ids = iter(self.blocks["people"][-1]["record_id"] if not all(is_org) else ())
                self.add(report, "participation", numbers, {
                    PROJECT_REF: [(p, t, sheet_title) for p, t in zip(column("project_id"), column("title"))],
                    "record_id": [None if flag else next(record_ids) for flag in is_org],
                    "org_id": [o if flag else None for o, flag in zip(org, is_org)],
                    "role": [r or "ผู้เข้าร่วม" for r in column("role")]}, primary=is_org, joined=joined)
                report.lines.sort(key=itemgetter(0))  # people and organisations, in the sheet's order
        elif kind == sheets.FUNDING:
            self.add(report, "funding", numbers, {
                "funder_id": column("funder"), PROJECT_REF: [(p, t, None) for p, t in zip(column("project_id"), column("title"))],
                "recipient_org_id": [r or o for r, o in zip(column("recipient"), column("org"))],
                "amount_thb": [a or b for a, b in zip(column("amount"), column("budget"))], "stream": column("stream"),
                "date": column("date")}, primary=True, joined=joined)
        elif kind == sheets.ORGANISATIONS:
            self.add(report, "organisations", numbers, {
                "org_id": [i or f"{context.where}:{number}" for i, number in zip(column("org_id"), numbers)],
                "name": [a or b for a, b in zip(column("org_name"), column("name"))],
                "kind": column("kind"), "parent_id": column("parent"),
                "aliases": [split_aliases(a) for a in column("aliases")],
                **{k: column(k) for k in PLACE_COLUMNS}}, primary=True, joined=joined)

    def read_projects(self, context: "SheetContext", numbers: list[int], values: dict[str, list],
                      joined: dict[int, str] | None) -> None:
        """A project list, a column at a time: a project a line, its funders' funding, its
        responsible person and that person's participation. A cell that needs parsing (a
        period, an area, a contact) is parsed once per distinct text: a list repeats them."""
        report, n = context.report, len(numbers)
        column = partial(get_column, values, [None] * n)
        project_ids = [p or f"{context.where}:{number}" for p, number in zip(column("project_id"), numbers)]
        starts, ends = list(column("start")), list(column("end"))
        if "period" in values:
            periods = {text: read_period(text) for text in dict.fromkeys(values["period"]) if text}
            for i, text in enumerate(values["period"]):
                if text:
                    start, end = periods[text]
                    starts[i] = start
                    if end is not False:
                        ends[i] = end
        places = {k: column(k) for k in ("province", "district", "tambon")}
        several: list[str | None] = []
        if "area" in values:
            areas = {text: (cellparts.parse_area(text), cellparts.find_tambons(text))
                     for text in dict.fromkeys(values["area"]) if text}
            places = {k: list(v) for k, v in places.items()}  # completed below: the sheet's columns stay as read
            several = [None] * n
            for i, text in enumerate(values["area"]):
                if not text:
                    continue
                area, tambons = areas[text]
                for k, found in area.items():
                    places[k][i] = places[k][i] or found
                if len(tambons) > 1:  # the contract has one area a project: their district, and the tambons kept
                    several[i] = "|".join(tambons)
                    report.several_tambons.append((numbers[i], tambons, places["district"][i]))
        leads = [a or b for a, b in zip(column("lead_org"), column("org"))]
        budgets = column("budget")
        self.add(report, "projects", numbers, {
            "project_id": project_ids, "title": column("title"), "description": column("description"),
            "category": column("category"), "lead_org_id": leads, **places, "start": starts, "end": ends,
            "budget_thb": budgets, **({AREA_TAMBONS: several} if any(several) else {})}, primary=True, joined=joined)
        funding: dict[str, list] = {"funder_id": [], "project_id": [], "amount_thb": []}
        funding_numbers = []
        for number, funder, project_id, budget in zip(numbers, column("funder"), project_ids, budgets):
            funders = [f for f in _FUNDER_SPLIT.split(funder) if f] if funder else []
            for name in funders:
                funding_numbers.append(number)
                funding["funder_id"].append(name)
                funding["project_id"].append(project_id)
                funding["amount_thb"].append(budget if len(funders) == 1 else None)
        self.add(report, "funding", funding_numbers, funding, joined=joined)
        if "contact" not in values:
            return
        contacts = {text: cellparts.split_name_phone(text) for text in dict.fromkeys(values["contact"]) if text}
        has_contact = [i for i, text in enumerate(values["contact"]) if text and contacts[text][0]]
        if not has_contact:
            return
        contact_numbers = [numbers[i] for i in has_contact]
        record_ids = [f"{context.where}:{number}:contact" for number in contact_numbers]
        self.add(report, "people", contact_numbers, {
            "record_id": record_ids, "source": [context.source] * len(has_contact),
            "name": [contacts[values["contact"][i]][0] for i in has_contact],
            "org_id": [leads[i] for i in has_contact], "role": ["ผู้รับผิดชอบโครงการ"] * len(has_contact),
            "phone": [contacts[values["contact"][i]][1] for i in has_contact],
            **{k: [v[i] for i in has_contact] for k, v in places.items()}}, joined=joined)
        self.add(report, "participation", contact_numbers, {
            "project_id": [project_ids[i] for i in has_contact], "record_id": record_ids,
            "role": ["ผู้รับผิดชอบโครงการ"] * len(has_contact)}, joined=joined)

    def resolve_projects(self) -> None:
        """Set project_id where a line names its project by id, title, or its sheet's title.
        An attendance sheet whose project is named nowhere records an event (a forum, a
        meeting): its lines take part in a project drafted from its title
        (:meth:`draft_event`), so that the people who met there are linked."""
        index = ProjectIndex(list(self.blocks["projects"]))  # the projects read: events drafted below are not named
        in_title: dict[tuple, str] = {}
        events: dict[str, str] = {}  # a drafted event's title -> its project_id

        def find_project(where: str, named: tuple) -> str | None:
            project_id, title, sheet_title = named
            if not project_id and title:
                found = index.with_title(title)
                project_id = next(iter(found)) if len(found) == 1 else title
            if not project_id and sheet_title is not None:
                if (where, sheet_title) not in in_title:
                    report = self.find_report(where)
                    report.project = index.find_in_title(sheet_title)
                    report.project_from = "named in the title"
                    if report.project is None:
                        report.project, title = self.draft_event(report, events)
                        report.project_from = "an event drafted from this sheet: no project list names it"
                        report.note = (f"Its lines take part in the event '{title}' (category {EVENT_CATEGORY}), "
                                       f"drafted from the sheet's title so that the people who met there are linked. "
                                       f"To tie them to a project instead, add a line to {COLUMNS_FILE}: table = "
                                       f"{report.where}, column = project_id, value = the project's id.")
                    in_title[where, sheet_title] = report.project
                project_id = in_title[where, sheet_title]
            return project_id

        for table in ("participation", "funding"):
            kept = []
            for block in self.blocks[table]:
                if PROJECT_REF not in block:
                    kept.append(block)
                    continue
                named_lines = block[PROJECT_REF]
                block = {column: values for column, values in block.items() if column != PROJECT_REF}
                # The lines of a sheet name a few projects, each many times: each looked up once.
                found = {line: find_project(*line) for line in dict.fromkeys(zip(block[WHERE], named_lines))}
                project_ids = list(map(found.__getitem__, zip(block[WHERE], named_lines)))
                block["project_id"] = project_ids
                if table == "participation":
                    keep = [bool(p) or bool(o) for p, o in zip(project_ids, block.get("org_id") or repeat(None))]
                    if not all(keep):
                        block = {column: [v for v, is_kept in zip(values, keep) if is_kept]
                                 for column, values in block.items()}
                if block[WHERE]:
                    kept.append(block)
            self.blocks[table] = kept

    def find_report(self, where: str) -> SheetReport:
        if len(self.report_by_where) != len(self.reports):  # a dict: a national folder has ~100,000 sheets
            self.report_by_where = {r.where: r for r in self.reports}
        return self.report_by_where[where]

    def draft_event(self, report: SheetReport, events: dict[str, str]) -> tuple[str, str]:
        """(project_id, title) of the event an attendance sheet records, drafted from its
        title (else its sheet or file name) the first time a sheet names it, with places and
        date when the title gives them. Sheets with one title (page 1, page 2) are one event."""
        file, _, sheet = report.where.partition(":")
        written = " ".join(report.title) or sheet or Path(file).stem
        title = event_title(written)
        if title in events:
            return events[title], title
        project_id = events[title] = f"{report.where}:event"
        day = find_date(written)
        self.blocks["projects"].append(block_from_lines([{
            "project_id": project_id, "title": title, "category": EVENT_CATEGORY,
            **draft_orgs.infer_places(written, []), "start": day, "end": day,
            WHERE: report.where, SHEET_ROW: report.header_row}]))
        return project_id, title

    # ------------------------------------------------------------------- assembling

    def assemble(self, source: Path, checksums: dict) -> RawDataset:
        """The contract tables, organisations drafted, and the import log."""
        self.resolve_projects()
        self.expand_abbreviations()
        known = self.lines("organisations")
        known_names = draft_orgs.find_known_names(known)
        drafted = draft_orgs.draft_organisations(self.mentions(leave_out=known_names), known, known_names)
        draft = pd.DataFrame(drafted, columns=list(draft_orgs.DRAFT_COLUMNS), dtype=object)
        if drafted:
            self.blocks["organisations"].append(block_from_lines([
                {**{k: v for k, v in row.items() if k != "evidence"}, WHERE: "organisations_draft.csv", SHEET_ROW: number}
                for number, row in enumerate(drafted, start=2)]))
        tables, origins, files = {}, {}, {}
        row_of: list[int | None] = [None] * self.n_lines  # a line's key -> the row of its table it became
        for table in TABLE_ORDER:
            blocks = self.blocks[table]
            if not blocks and table != "organisations":  # a folder naming no organisation still has the table
                continue
            names = set().union(*blocks)
            columns = [*TABLES[table].columns, *sorted(names - set(TABLES[table].columns) - {WHERE, SHEET_ROW, LINE_KEY})]
            # A column at a time, blank_none's common case (text) written out: millions of cells.
            frame = pd.DataFrame({c: blank_to_none(join_column(blocks, c)) for c in columns}, columns=columns, dtype=object)
            frame.insert(0, ROW_COLUMN, range(2, len(frame) + 2))
            frame[ROW_COLUMN] = frame[ROW_COLUMN].astype("int64")
            tables[table] = frame
            wheres = join_column(blocks, WHERE)
            origins[table] = dict(zip(count(2), zip(wheres, join_column(blocks, SHEET_ROW))))
            first = 2
            for block in blocks:
                keys, n = block.get(LINE_KEY), len(block[WHERE])
                if type(keys) is range:  # a sheet's lines, as added
                    row_of[keys.start:keys.stop] = range(first, first + n)
                elif keys is not None:  # lines left out (resolve_projects)
                    for key, row in zip(keys, count(first)):
                        row_of[key] = row
                first += n
            files[table] = describe_files(list(dict.fromkeys(wheres)))
        for report in self.reports:  # each sheet line → the row of its table it became
            if report.lines:
                numbers, line_tables, keys = zip(*report.lines)
                report.lines = list(zip(numbers, line_tables, map(row_of.__getitem__, keys)))
        if "people" not in tables:
            raise DatasetError(f"{source} has no people table and no sheet that reads as a list of people: "
                               f"add a file named 'people.csv' (or 'บุคคล.csv'), or name the columns of your list in {COLUMNS_FILE}.")
        office = OfficeImport(sheets=self.reports, origins=origins, draft=draft, abbreviations=self.abbreviations)
        return RawDataset(tables=tables, files=files, source=source, checksums=checksums, office=office)

    def lines(self, table: str) -> list[dict]:
        """The lines of a table as dicts, a line's blank cells left out (the organisations
        known before drafting: a national list holds 62,000, each made in C)."""
        return [dict(compress(zip(block, line), map(is_not, line, repeat(None))))
                for block in self.blocks[table] for line in zip(*block.values())]

    #: The columns of each table that name organisations.
    ORG_COLUMNS = {"people": ("org_id",), "projects": ("lead_org_id",), "funding": ("funder_id", "recipient_org_id"),
                   "participation": ("org_id",)}

    def mentions(self, leave_out: set[str] | frozenset = frozenset()) -> list[draft_orgs.Mention]:
        """Every organisation a line names, but for the names in ``leave_out`` (the names the
        user's list holds: a national folder names them on hundreds of thousands of lines),
        a column of a block at a time."""
        found = []
        for table, names in self.ORG_COLUMNS.items():
            for block in self.blocks[table]:
                for column in names:
                    values = block.get(column)
                    if values is None:
                        continue
                    named = [bool(value) and value not in leave_out for value in values]
                    if not any(named):
                        continue
                    places = zip(*(block.get(k) or repeat(None, len(values)) for k in PLACE_COLUMNS))
                    wheres = map("{} row {} ({})".format, compress(block[WHERE], named),
                                 compress(block[SHEET_ROW], named), repeat(column))
                    # Made as tuple.__new__ makes them, without a call to Python code a line.
                    found += map(tuple.__new__, repeat(draft_orgs.Mention),
                                 zip(map(str, compress(values, named)), wheres, compress(places, named)))
        return found

    def mentioned_names(self) -> Iterator[str]:
        """The names of :meth:`mentions`, line by line (the first written of a comparable form
        is the one :func:`analysis.ingest.draft_orgs.key_names` keeps)."""
        for table, names in self.ORG_COLUMNS.items():
            for block in self.blocks[table]:
                named = [block[column] for column in names if column in block]
                if named:
                    yield from map(str, filter(None, chain.from_iterable(zip(*named))))

    def expand_abbreviations(self) -> None:
        """Names cut short with ฯ written out, when exactly one known or named organisation fits."""
        keyed = None  # every name keyed, once a name is cut short
        for table, column in (("people", "org_id"), ("projects", "lead_org_id"), ("funding", "funder_id"),
                              ("funding", "recipient_org_id"), ("participation", "org_id")):
            for block in self.blocks[table]:
                values = block.get(column)
                if values is None or not any(map(str.__contains__, map(str, filter(None, values)), repeat("ฯ"))):
                    continue
                written = []
                for value in values:
                    if value and "ฯ" in str(value):
                        if str(value) not in self.abbreviations:
                            if keyed is None:
                                keyed = draft_orgs.key_names([*(n for n in join_column(self.blocks["organisations"], "name")
                                                                if n), *self.mentioned_names()])
                            self.abbreviations[str(value)] = draft_orgs.find_abbreviated(str(value), keyed)
                        found = self.abbreviations[str(value)]
                        if len(found) == 1:
                            value = found[0]
                    written.append(value)
                block[column] = written  # a new list: blocks may share a sheet's column


def read_period(text: str) -> tuple[str | None, str | None | bool]:
    """(start, end) of a period cell; an unreadable one is its start as written (the
    validator lists it as an unreadable date) and False for the end: the end column, if
    any, is kept.

    Examples
    --------
    >>> read_period("ปีงบประมาณ 2567"), read_period("เร็ว ๆ นี้")
    (('2023-10-01', '2024-09-30'), ('เร็ว ๆ นี้', False))
    """
    try:
        return cellparts.parse_period(text)
    except ValueError:
        return text, False


def block_from_lines(lines: list[dict]) -> Block:
    """Lines given as dicts, as one block: a column for every key any line has.

    Examples
    --------
    >>> block_from_lines([{"a": 1}, {"a": 2, "b": 3}])
    {'a': [1, 2], 'b': [None, 3]}
    """
    return {c: [line.get(c) for line in lines] for c in dict.fromkeys(c for line in lines for c in line)}


def get_column(values: dict[str, list], blank: list, name: str) -> list:
    """The cells of a field, ``blank`` (None on every line) when no column gives it."""
    return values.get(name, blank)


def join_column(blocks: list[Block], column: str) -> list:
    """One column of several blocks, end to end; None on the lines of a block without it."""
    values: list = []
    for block in blocks:
        values.extend(block[column] if column in block else [None] * len(block[WHERE]))
    return values


def select_columns(rows: list[list], columns: dict[int, str], fixed: dict[str, str]) -> dict[str, list]:
    """field -> the cells of ``rows`` under it (None where blank or beyond a short row), a
    fixed value (columns.csv) where the cell is blank. When two columns give one field, the
    later one's cell wins unless blank.

    Examples
    --------
    >>> select_columns([["1", "ก", None], ["2", None]], {1: "name", 2: "role"}, {"role": "สมาชิก"})
    {'name': ['ก', None], 'role': ['สมาชิก', 'สมาชิก']}
    """
    width = min(map(len, rows))
    found: dict[str, list] = {}
    for position, name in columns.items():
        getter = itemgetter(position)
        cells = (list(map(getter, rows)) if position < width
                 else [row[position] if position < len(row) else None for row in rows])
        found[name] = cells if name not in found else [b if b is not None else a for a, b in zip(found[name], cells)]
    for name, value in fixed.items():
        found[name] = [value] * len(rows) if name not in found else [v if v is not None else value for v in found[name]]
    return found


@dataclass
class SheetContext:
    """One sheet being read: where it is, its layout, its report, and the values it gives
    every line (a roster's organisation, a fixed value from columns.csv)."""

    where: str
    layout: sheets.SheetLayout
    report: SheetReport
    fixed: dict
    file: Path
    sheet: str | None

    def __post_init__(self):
        self.source = self.layout.title[0] if self.layout.title else self.where
        if self.layout.kind == sheets.ROSTER and "org" not in self.layout.columns.values() and "org" not in self.fixed:
            for origin, text in (*(("title", line) for line in self.layout.title), ("sheet name", self.sheet or ""),
                                 ("file name", self.file.stem)):
                name = find_org_in_text(text)
                if name:
                    self.fixed = {**self.fixed, "org": name}
                    self.report.organisation, self.report.organisation_from = name, origin
                    break
        elif "org" in self.fixed:
            self.report.organisation, self.report.organisation_from = self.fixed["org"], COLUMNS_FILE



def build_people(values: dict[str, list], context: SheetContext, numbers: list[int]) -> Block:
    """The people records of the lines of a roster or attendance sheet (``values``: field ->
    the lines' cells), a column at a time: most columns are taken as they are."""
    column = partial(get_column, values, [None] * len(numbers))
    name_cells = column("name")
    if values.keys() & {"honorific", "first_name", "last_name"}:
        names, phones = [], []
        for cell, honorific, first, last in zip(name_cells, column("honorific"), column("first_name"), column("last_name")):
            name, phone = cellparts.split_name_phone(cell)
            if name is None:
                name = cellparts.join_name(honorific, first, last)
            elif honorific:  # คำนำหน้า | ชื่อ-สกุล
                name = cellparts.join_name(honorific, name, None)
            names.append(name)
            phones.append(phone)
    else:
        names, phones = map(list, zip(*map(cellparts.split_name_phone, name_cells)))
    places = {k: column(k) for k in (*PLACE_COLUMNS, "house_no", "moo")}
    if "address" in values:
        places = {k: list(v) for k, v in places.items()}  # completed below: the sheet's columns stay as read
        for i, cell in enumerate(values["address"]):
            if cell:
                address = cellparts.parse_address(cell)
                for k, found in places.items():
                    found[i] = found[i] or address[k]
    return {"record_id": [r or f"{context.where}:{number}" for r, number in zip(column("record_id"), numbers)],
            "source": [context.source] * len(numbers), "name": names, "org_id": column("org"), "role": column("role"),
            "phone": [p or q for p, q in zip(column("phone"), phones)], "email": column("email"),
            "national_id": column("national_id"), **places}


#: A file or sheet name as columns.csv's ``table`` is compared (names repeat on every sheet).
scope_key = lru_cache(maxsize=2**12)(normalise_header)


def describe_files(sheets_read: list[str]) -> str:
    """The sheets a table came from, for run.json: named when few, counted when many.

    Examples
    --------
    >>> describe_files(["a.xlsx:หมู่ 1", "b.csv"]), describe_files([f"f{i}.csv" for i in range(9)])
    ('a.xlsx:หมู่ 1, b.csv', '9 office sheets (import_report.md)')
    """
    return ", ".join(sheets_read) if len(sheets_read) <= 3 else f"{len(sheets_read)} office sheets (import_report.md)"


def split_aliases(text: str | None) -> str | None:
    return "|".join(p.strip() for p in re.split(r"[,|;]", text) if p.strip()) if text else None


def blank_none(value) -> str | None:
    if type(value) is str:
        return value if value.strip() else None
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value)
    return text if text.strip() else None


def blank_to_none(values: list) -> list:
    """:func:`blank_none` of every value of a column. The common case, texts none of them
    blank (cells are read so), is found in one pass in C and the column returned as it is;
    else a column of texts, most of them repeated (places, organisations, roles), is
    checked a distinct text at a time.

    Examples
    --------
    >>> blank_to_none(["ก", " ", None, "ก"]), blank_to_none([1.0, "x"]), blank_to_none(["ก", None])
    (['ก', None, None, 'ก'], ['1.0', 'x'], ['ก', None])
    """
    try:
        if all(map(str.strip, compress(values, map(is_not, values, repeat(None))))):
            return values
    except TypeError:  # a value that is not text
        pass
    if not set(map(type, values)) <= {str, type(None)}:
        return [blank_none(v) for v in values]
    distinct = dict.fromkeys(values)
    distinct.pop(None, None)
    blank = dict.fromkeys(compress(distinct, map(not_, map(str.strip, distinct))))
    return [None if v in blank else v for v in values] if blank else values


def find_org_in_text(text: str) -> str | None:
    """The organisation a title or file name names, from its first organisation word to the
    place, year or date after it.

    Examples
    --------
    >>> find_org_in_text("ทะเบียนรายชื่อสมาชิกสภาองค์กรชุมชนตำบลคลองหินปูน อำเภอวังน้ำเย็น จังหวัดสระแก้ว")
    'สภาองค์กรชุมชนตำบลคลองหินปูน'
    >>> find_org_in_text("คณะกรรมการกองทุนสวัสดิการชุมชนตำบลคลองหินปูน ปี 2567"), find_org_in_text("รายชื่อ")
    ('กองทุนสวัสดิการชุมชนตำบลคลองหินปูน', None)
    """
    text = " ".join(text.replace("_", " ").split())
    start = ORG_START.search(text)
    if start is None:
        return None
    rest = text[start.start():]
    end = ORG_END.search(rest)
    return (rest[: end.start()] if end else rest).strip() or None


class ProjectIndex:
    """The projects of a folder looked up by title, or by a sheet title that names one, the
    indexes built when first asked: most sheets name their projects by id.

    Examples
    --------
    >>> index = ProjectIndex([{"project_id": ["PJ000001", "P2", "P3"], "title": ["ก", "โครงการบ้านมั่นคง", "บ้าน"]}])
    >>> index.find_in_title("ผู้เข้าร่วมโครงการ รหัส PJ000001"), index.find_in_title("ลงทะเบียน โครงการบ้านมั่นคง ปี 67")
    ('PJ000001', 'P2')
    >>> index.with_title("โครงการบ้านมั่นคง"), index.find_in_title("ประชุม")
    ({'P2'}, None)
    """

    def __init__(self, blocks: list[Block]):
        self.projects = [(project_id, title) for block in blocks
                         for project_id, title in zip(block["project_id"], block.get("title") or repeat(None))]
        self.by_title: dict[str, set] | None = None
        self.ids: set[str] | None = None
        self.by_key: dict[str, tuple[int, str]] = {}  # comparable title -> (its first project's place, project_id)
        self.lengths: list[int] = []  # the comparable titles' lengths, longest first

    def with_title(self, title: str) -> set:
        """The ids of the projects with this title (compared as headers are)."""
        if self.by_title is None:
            self.by_title = {}
            for project_id, written in self.projects:
                self.by_title.setdefault(normalise_header(written or ""), set()).add(project_id)
        return self.by_title.get(normalise_header(title), set())

    def find_in_title(self, title: str) -> str | None:
        """The project a sheet title names by id (a word of it), else by its whole title: the
        longest that the title holds, the first listed of equal length. Each part of the title
        of a length some project title has is looked up, where comparing every project's title
        cost a national folder's projects a sheet."""
        key = normalise_header(title)
        if not key:
            return None
        if self.ids is None:
            self.ids = {str(project_id) for project_id, _ in self.projects if project_id}
            for place, (project_id, written) in enumerate(self.projects):
                if written:
                    self.by_key.setdefault(normalise_header(written), (place, project_id))
            self.lengths = sorted({len(k) for k in self.by_key}, reverse=True)
        found = next((word for word in re.findall(r"[\w\-.:/]+", title) if word in self.ids), None)
        if found:
            return found
        for length in self.lengths:
            if length <= len(key):
                named = [self.by_key[part] for part in {key[i:i + length] for i in range(len(key) - length + 1)}
                         if part in self.by_key]
                if named:
                    return min(named)[1]
        return None


#: The words an attendance sheet's title starts with that name the list, not the event.
_LIST_WORDS = re.compile(r"^\s*(?:แบบ)?(?:ลงทะเบียน|บัญชีรายชื่อ|รายชื่อ|ทะเบียน)?\s*"
                         r"(?:ผู้เข้าร่วม(?:ประชุม|กิจกรรม|โครงการ)?|ผู้ลงทะเบียน|ผู้เข้าประชุม)?\s*")
#: A day written in a title: ``15 มีนาคม 2567``, ``15 มี.ค. 67``, ``15/03/2567``.
_DAY = re.compile(r"\d{1,2}\s*[^\s\d]+\s*\d{2,4}|\d{1,2}/\d{1,2}/\d{2,4}")
#: The category of a project drafted from an attendance sheet.
EVENT_CATEGORY = "เวที/กิจกรรม (จากใบลงทะเบียน)"


def event_title(written: str) -> str:
    """An attendance sheet's title without the words that name the list.

    Examples
    --------
    >>> event_title("รายชื่อผู้เข้าร่วมเวทีประชาคมตำบลคลองหินปูน วันที่ 15 มีนาคม 2567")
    'เวทีประชาคมตำบลคลองหินปูน วันที่ 15 มีนาคม 2567'
    >>> event_title("ลงทะเบียน")
    'ลงทะเบียน'
    """
    written = " ".join(written.split())
    return _LIST_WORDS.sub("", written) or written


def find_date(text: str) -> str | None:
    """The first readable day a title names, ISO, or None.

    Examples
    --------
    >>> find_date("เวทีประชาคม วันที่ 15 มีนาคม 2567"), find_date("ประชุมครั้งที่ 3")
    ('2024-03-15', None)
    """
    from analysis.ingest.normalise import parse_date

    for match in _DAY.finditer(text):
        try:
            day = parse_date(match.group())
        except ValueError:
            continue
        if day is not None:
            return day.isoformat()
    return None


def describe_unread(layout: sheets.SheetLayout, n_rows: int) -> str:
    if n_rows == 0:
        return "empty"
    if layout.header_index is None:
        return (f"not read: no row among the first {sheets.HEADER_SEARCH_ROWS} names two known columns "
                f"({n_rows} rows); name its columns in {COLUMNS_FILE} if it holds data")
    return f"not read: its columns ({', '.join(layout.headers.values())}) fit no kind of list"
