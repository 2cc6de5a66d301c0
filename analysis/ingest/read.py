"""Reading a dataset from disk: a folder of CSV files or one Excel workbook (CONTRACT §1).

The reader only gets the cells off the disk, as text, under the contract's column names;
:mod:`analysis.ingest.validate` checks and normalises them. Nothing here guesses a value.

- **Tables** are found by file (or sheet) name: the English table names or the Thai ones in
  :data:`TABLE_ALIASES`. Other files and sheets (notes, ``decisions.csv``) are left alone.
- **Encodings**: UTF-8 with or without BOM, else Windows Thai (cp874, the superset of
  TIS-620 that Excel on Thai Windows writes). Tried in that order, strictly: UTF-8 almost
  never decodes text that is not UTF-8, so trying it first cannot mistake a cp874 file for
  it (Unicode Standard 15, §3.9, well-formed UTF-8 byte sequences).
- **Delimiters**: comma, semicolon (Excel where the decimal mark is a comma) or tab, chosen
  by counting them outside quotes on the first lines (a title row above the header holds
  none).
- **Headers** become contract columns through ``analysis/data/header_aliases.csv`` and an
  optional ``columns.csv`` in the dataset folder (table, column_as_written, column).
- **Cells** are kept as text exactly as written; blank cells become missing. From a workbook,
  a number cell is written without a trailing ``.0`` (a phone typed as a number,
  ``812345678``, stays digits; :func:`analysis.ingest.normalise.normalise_phone` gives back the 0
  Excel dropped) and a date cell as an ISO date (``2024-10-01``).
- **Rows** keep the number a spreadsheet shows (header = row 1) in the ``row`` column.
  Blank rows are skipped and not counted; a row with more cells than the header keeps the
  surplus in ``extra_values``, and a CSV row that looks like several lines joined by a stray
  quote says which in ``joined_lines``, so that the validator can set the row aside: no line of a
  file is lost without a word.
"""

import collections
import csv
import datetime
import hashlib
import io
import re
import sys
import unicodedata
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import PACKAGE_DIR
from analysis.dataset import RawDataset
from analysis.errors import DatasetError
from analysis.ingest.limits import check_workbook
from analysis.ingest.schema import PLACE_CODE_COLUMNS, REQUIRED_TABLES, ROW_COLUMN, TABLE_ORDER, TABLES
from analysis.ingest.transfer import PackedFrame, pack_frame, unpack_frame
from analysis.parallel import is_worker, run_tasks

ALIASES_PATH = PACKAGE_DIR / "data" / "header_aliases.csv"

#: The per-dataset header mapping file, in the dataset folder (or beside the workbook).
COLUMNS_FILE = "columns.csv"

#: Column that keeps the cells of a row beyond the header's last column.
EXTRA_COLUMN = "extra_values"
#: Column that says which lines of a CSV file a row joined by a stray quote spans (``lines 5–6``).
JOINED_COLUMN = "joined_lines"

#: Name stem of a column whose header cell is blank.
UNNAMED = "column_"

#: Table names as users write them on files and sheets (compared after :func:`normalise_header`).
TABLE_ALIASES = {
    "organisations": ("organisations", "organizations", "orgs",
                      "องค์กร", "หน่วยงาน", "องค์กรและหน่วยงาน"),
    "people": ("people", "persons", "บุคคล", "รายชื่อ", "รายชื่อบุคคล"),
    "projects": ("projects", "โครงการ"),
    "funding": ("funding", "งบประมาณ", "การสนับสนุน", "การสนับสนุนงบประมาณ", "ทุน"),
    "participation": ("participation", "การมีส่วนร่วม", "ผู้เข้าร่วม", "ผู้เข้าร่วมโครงการ"),
}

DELIMITERS = (",", ";", "\t")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: A folder's CSV tables are read side by side (:func:`analysis.parallel.run_tasks`) from
#: this many bytes: about 0.4 s of reading one by one (~55 ms a MB nationally), against
#: ~0.1 s to fork a worker and send its tables back.
SIDE_BY_SIDE_BYTES = 8 * 2**20

# Characters that hide in headers copied from the web or Word: BOM, zero-width space/joiners,
# word joiner. Removed, not replaced, because they are invisible to the person who typed them.
INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"))
#: What a blank cell or line holds, if anything: white space (what ``str.strip`` removes)
#: and the invisible characters above.
BLANK_CHARACTERS = "".join(filter(str.isspace, map(chr, range(sys.maxunicode + 1)))) + "".join(map(chr, INVISIBLE))
# Runs of blanks and word separators are one separator: "Org ID", "org-id" and "org_id" agree.
SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015/()\[\]]+")


def normalise_header(text: object) -> str:
    """The form headers and table names are compared in.

    Case-folded, NFC, invisible characters removed, sara am typed as nikhahit + sara aa
    joined (the typing variant Unicode NFC leaves alone), and runs of blanks, ``_``, ``-``,
    ``/`` and brackets made one ``_``.

    Examples
    --------
    >>> normalise_header("\\ufeffOrg ID"), normalise_header("ชื่อ - สกุล"), normalise_header("งบประมาณ (บาท)")
    ('org_id', 'ชื่อ_สกุล', 'งบประมาณ_บาท')
    """
    text = unicodedata.normalize("NFC", str(text).translate(INVISIBLE)).replace("\u0e4d\u0e32", "\u0e33")
    return SEPARATORS.sub("_", text.casefold()).strip("_")


def read_dataset(path: Path) -> RawDataset:
    """Read a dataset folder of CSV files, or one workbook, into text tables.

    Parameters
    ----------
    path : a folder holding ``organisations.csv``, ``people.csv``, … (or their Thai names),
        or an ``.xlsx`` workbook with one sheet per table.

    Returns
    -------
    RawDataset
        Tables under canonical names, every cell a string or missing, a ``row`` column with
        the spreadsheet row number, and the sha256 of every file read.

    Raises
    ------
    DatasetError
        When a required table or column is missing, a header is repeated, or a file is
        empty or cannot be read; the message names the file.
    """
    from analysis.ingest import office

    path = Path(path)
    if path.exists() and (path.is_dir() or path.suffix.lower() in office.OFFICE_SUFFIXES) and office.is_office_dataset(path):
        return office.read_office_dataset(path)
    if path.is_dir():
        return read_folder(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return read_workbook(path)
    raise DatasetError(f"{path} is not a folder of office files, a CSV file or an Excel workbook.")


def read_folder(folder: Path) -> RawDataset:
    """Read every CSV file of ``folder`` whose name is a table name."""
    csv_files = {p.stem: p for p in list_folder(folder) if p.suffix.lower() == ".csv" and p.is_file()}
    found = find_tables(csv_files, folder)
    check_required_tables(found, folder, "file")
    mapping, checksums = read_column_mapping(folder)

    def read_table(table: str) -> tuple[str, pd.DataFrame | PackedFrame] | DatasetError:
        """A table's checksum and rows, read apart (packed to be sent back from a worker,
        :mod:`analysis.ingest.transfer`); the sentence of a file that cannot be read is
        returned, and raised below in table order."""
        file = found[table]
        try:
            data = read_bytes(file)
            joined: dict[int, str] = {}
            frame = build_table(read_csv_cells(data, file.name, joined), table, file.name, mapping, joined)
            return sha256_hex(data), pack_frame(frame) if is_worker() else frame
        except DatasetError as error:
            return error

    # Tables are read side by side, the largest file in this process, when there is enough
    # to read (issue 19); the tables and any sentence are those of a read one by one, in
    # table order.
    largest_first = sorted(found, key=lambda table: -found[table].stat().st_size)
    size = sum(file.stat().st_size for file in found.values())
    workers = None if size >= SIDE_BY_SIDE_BYTES else 1
    read = dict(zip(largest_first, run_tasks([partial(read_table, table) for table in largest_first], workers)))
    tables, files = {}, {}
    for table, file in found.items():
        if isinstance(read[table], DatasetError):
            raise read[table]
        checksums[file.name], tables[table] = read[table][0], unpack_frame(read[table][1])
        files[table] = file.name
    return RawDataset(tables=tables, files=files, source=folder, checksums=checksums)


def list_folder(folder: Path) -> list[Path]:
    """The entries of ``folder``, sorted; a folder that cannot be listed is one sentence."""
    try:
        return sorted(folder.iterdir())
    except OSError as error:
        raise DatasetError(f"{folder} cannot be opened ({error.strerror or type(error).__name__}): "
                           f"check that you may read it.") from None


def read_workbook(path: Path) -> RawDataset:
    """Read the sheets of a workbook whose names are table names (python-calamine)."""
    from python_calamine import CalamineWorkbook

    data = read_bytes(path)
    check_workbook(path, data)  # before calamine: what it cannot allocate aborts the process
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        found = find_tables({name: name for name in workbook.sheet_names}, path)
        # skip_empty_area=False keeps blank rows above the header, so positions are sheet rows.
        sheets = {table: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                  for table, name in found.items()}
    except DatasetError:
        raise
    except Exception as error:  # calamine raises its own types and ValueError for zip, xml, password
        raise DatasetError(f"{path.name} cannot be read as an Excel workbook ({type(error).__name__}).") from None
    check_required_tables(found, path, "sheet")
    mapping, checksums = read_column_mapping(path.parent)
    checksums[path.name] = sha256_hex(data)
    tables, files = {}, {}
    for table, name in found.items():
        where = f"{path.name}:{name}"
        tables[table] = build_table(sheet_cells(sheets[table]), table, where, mapping)
        files[table] = where
    return RawDataset(tables=tables, files=files, source=path, checksums=checksums)


def find_tables(candidates: dict[str, object], where: Path) -> dict[str, object]:
    """Pick the candidates (file stems or sheet names) that name a table, in table order."""
    by_name = {normalise_header(alias): table for table, aliases in TABLE_ALIASES.items() for alias in aliases}
    found: dict[str, tuple[str, object]] = {}
    for name, item in candidates.items():
        table = by_name.get(normalise_header(name))
        if table is None:
            continue
        if table in found:
            raise DatasetError(
                f"{where} has two {table} tables, '{found[table][0]}' and '{name}': keep one."
            )
        found[table] = (name, item)
    return {table: found[table][1] for table in TABLE_ORDER if table in found}


def check_required_tables(found: dict, where: Path, unit: str) -> None:
    for table in REQUIRED_TABLES:
        if table not in found:
            thai = next(a for a in TABLE_ALIASES[table] if not a.isascii())
            suffix = ".csv" if unit == "file" else ""
            raise DatasetError(
                f"{where} has no {table} table: add a {unit} named '{table}{suffix}' (or '{thai}{suffix}')."
            )


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise DatasetError(f"{path.name} cannot be opened ({error.strerror or type(error).__name__}).") from None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- CSV --------------------------------------------------------------------------------


#: A Thai letter in UTF-8: E0 B8 or E0 B9, then a continuation byte (U+0E00–U+0E7F).
UTF8_THAI_LETTER = re.compile(rb"\xe0[\xb8\xb9][\x80-\xbf]")
HIGH_BYTES = bytes(range(0x80, 0x100))


def is_broken_utf8_thai(data: bytes) -> bool:
    """True when bytes that are not UTF-8 are UTF-8 Thai with a few broken bytes (pasted from
    elsewhere), not Windows Thai: at least half of their bytes above 7F spell UTF-8 Thai
    letters, as all but the broken ones of a UTF-8 Thai text do.

    In cp874 every Thai letter is one byte above 7F, and three in a row spell a UTF-8
    letter only for เ + ธ or น + one of ก–ฟ (เนตร): a few in a list of names, never half.
    (Counting the pairs เธ and เน alone called a cp874 list of a dozen such names UTF-8.)

    Examples
    --------
    >>> is_broken_utf8_thai("สมชาย".encode("utf-8") + b"\\xff"), is_broken_utf8_thai("เนตรนภา".encode("cp874"))
    (True, False)
    """
    high = len(data) - len(data.translate(None, HIGH_BYTES))
    return high > 0 and 2 * 3 * len(UTF8_THAI_LETTER.findall(data)) >= high


#: Control characters other than tab and line ends, as bytes.
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def decode_text(data: bytes, name: str) -> str:
    """Decode a CSV file: UTF-8 (with or without BOM), else cp874; anything else is an error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DatasetError(f"{name} is saved as UTF-16 (Unicode Text): save it as 'CSV UTF-8' instead.")
    is_utf8 = True
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        is_utf8 = False
        if is_broken_utf8_thai(data):
            line = data[: error.start].count(b"\n") + 1
            raise DatasetError(f"{name} is UTF-8 but line {line} holds bytes that are not: retype that line.") from None
        try:
            text = data.decode("cp874")
        except UnicodeDecodeError:
            text = None
    # cp874 maps nearly every byte, so a binary file can decode: control characters other
    # than tab and line ends never occur in a text table, so they betray it. In text that
    # is UTF-8 (NUL aside: UTF-16 without a BOM) one is a stray character: say where.
    # Looked for among the bytes first, in C: these are the same bytes in UTF-8 and in cp874.
    has_control = text is not None and len(data.translate(None, CONTROL_BYTES)) < len(data)
    control = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text) if has_control else None
    if control and is_utf8 and control.group() != "\x00":
        line = text[: control.start()].count("\n") + 1
        raise DatasetError(
            f"{name} line {line} holds a control character (U+{ord(control.group()):04X}) that is not text: remove it."
        )
    if text is None or control:
        raise DatasetError(f"{name} cannot be read: it is not text in UTF-8 or Windows Thai (cp874) encoding.")
    return text


#: Lines (from the top) whose delimiters are counted: a title row or two above the header
#: hold none, or one by chance, while the header and the lines under it hold one between
#: every two cells (a semicolon list under a title was read as one column, issue 15).
DELIMITER_SAMPLE_LINES = 20


def detect_delimiter(text: str) -> str:
    """The delimiter that occurs most often outside quotes in the first
    :data:`DELIMITER_SAMPLE_LINES` lines of ``text`` (comma on a tie).

    Examples
    --------
    >>> detect_delimiter('org_id;name;"kind, as written"'), detect_delimiter("a\\tb"), detect_delimiter("name")
    (';', '\\t', ',')
    >>> detect_delimiter("ทะเบียนรายชื่อ, ปี 2567\\nลำดับ;ชื่อ-สกุล;ตำแหน่ง\\n1;นาย ก ข;ประธาน\\n")
    ';'
    """
    end = 0
    for _ in range(DELIMITER_SAMPLE_LINES):
        end = text.find("\n", end) + 1
        if end == 0:
            end = len(text)
            break
    unquoted = re.sub(r'"[^"]*"', "", text[:end])  # over the lines: a quoted cell may hold a line break
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first on a tie: comma
    return best if counts[best] else ","


def read_csv_cells(data: bytes, name: str, joined: dict[int, str] | None = None,
                   under_title: bool = False) -> list[tuple[int, list]]:
    """Rows of a CSV file as (spreadsheet row number, cells), blank rows left out.

    ``joined``, when given, receives row number -> ``lines a–b`` for every row that looks
    like several lines joined by a stray quote (:func:`find_joined_records`), so that the
    checker sets it aside instead of using half of two roster lines as one. The header's
    delimiters are counted on the first line, or, ``under_title`` (an office list, whose
    header may lie under title rows), as the most common width of its rows less one.
    """
    text = decode_text(data, name)
    # The header is the first line holding more than blanks (a zero-width space is blank too).
    header = find_first_filled_line(text)
    if header is None:
        raise DatasetError(f"{name} is empty: it needs at least a header row.")
    delimiter = detect_delimiter(text)
    # strict: a quote never closed would otherwise swallow every later row into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, spans, number, last_line = [], {}, 0, 0
    try:
        # csv.reader yields one record per spreadsheet row, even when a quoted cell holds
        # line breaks, so the record's position is the row number a spreadsheet shows.
        for number, cells in enumerate(reader, start=1):
            first_line, last_line = last_line + 1, reader.line_num
            if (cells and cells[0].strip(BLANK_CHARACTERS)) or not is_blank_row(cells):  # most rows: a first cell
                rows.append((number, cells))
                if last_line > first_line:
                    spans[number] = (first_line, last_line)
    except csv.Error as error:
        raise DatasetError(describe_csv_error(name, number + 1, error)) from None
    if joined is not None and spans:
        if under_title:  # the widest of the most common widths: a title row is one of a few
            widths = collections.Counter(len(cells) for _, cells in rows)
            n_delimiters = max(widths, key=lambda width: (widths[width], width)) - 1
        else:
            n_delimiters = header.count(delimiter)
        joined.update(find_joined_records(text, spans, n_delimiters, delimiter))
    return rows


#: Characters of the first lines read to find the header: the whole text split in lines
#: would be a list of every line of a national file (0.15 s for a list of people).
FIRST_LINES_CHARACTERS = 2**16


def find_first_filled_line(text: str) -> str | None:
    """The first line of ``text`` holding more than blanks (:func:`is_blank`), split as
    ``str.splitlines`` splits it, or None; read from the top, a longer part each time.

    Examples
    --------
    >>> find_first_filled_line("\\n \\u200b\\r\\nid,name\\nR1,ก\\n"), find_first_filled_line(" \\n\\n")
    ('id,name', None)
    """
    size = FIRST_LINES_CHARACTERS
    while True:
        lines = text[:size].splitlines()
        # The part's last line may go on beyond it: it counts only when the part is the whole text.
        for line in lines if size >= len(text) else lines[:-1]:
            if not is_blank(line):
                return line
        if size >= len(text):
            return None
        size *= 4


def find_joined_records(text: str, spans: dict[int, tuple[int, int]], n_delimiters: int,
                        delimiter: str) -> dict[int, str]:
    """Row -> ``lines a–b`` for the records spanning several lines of which every line could
    be a row by itself (it holds as many delimiters as the header): lines joined by a stray
    quote (``"`` opening a cell, its closing quote on a later line), not a cell holding a
    line break (Alt+Enter), whose lines hold part of a row each.

    Examples
    --------
    >>> text = 'id,src,name,org\\nR1,s,"นาย ก,O1\\nR2,s,นาย ข",O1\\nR3,"a\\nb",นาย ค,O1\\n'
    >>> find_joined_records(text, {2: (2, 3), 3: (4, 5)}, 3, ",")
    {2: 'lines 2–3'}
    """
    lines = io.StringIO(text, newline="").readlines()
    return {number: f"lines {first}–{last}" for number, (first, last) in spans.items()
            if n_delimiters and all(line.count(delimiter) >= n_delimiters for line in lines[first - 1:last])}


def describe_csv_error(name: str, row: int, error: csv.Error) -> str:
    """The sentence for a CSV record the csv module cannot read (Python's own messages)."""
    message = str(error)
    if "unexpected end of data" in message:
        return f"{name}, row {row}: a quote (\") opens a cell that is never closed: close it or remove it."
    if "expected after" in message:
        return (f"{name}, row {row}: a cell has text after its closing quote: "
                f"quote the whole cell and double each quote inside it (\"\").")
    if "field larger than field limit" in message:
        # Excel's own limit is 32,767 characters a cell, so a longer one is a damaged file.
        return f"{name}, row {row}: a cell is longer than {csv.field_size_limit():,} characters: the file is damaged."
    return f"{name}, row {row}: cannot be read as CSV ({message})."


# --- workbook ---------------------------------------------------------------------------


def sheet_cells(rows: list[list]) -> list[tuple[int, list]]:
    """Rows of a sheet as (spreadsheet row number, cells as text), blank rows left out."""
    found, blank = [], BLANK_CHARACTERS
    for number, cells in enumerate(rows, start=1):
        # cell_text's text and number cases written out: a national folder has millions of cells.
        texts = [(c if c.strip(blank) else None) if type(c) is str
                 else (str(int(c)) if c.is_integer() else repr(c)) if type(c) is float else cell_text(c) for c in cells]
        if texts.count(None) < len(texts):
            found.append((number, texts))
    return found


def cell_text(value: object) -> str | None:
    """A workbook cell as the text a person would have typed; None for a blank cell.

    Examples
    --------
    >>> cell_text(812345678.0), cell_text(1500.5), cell_text(datetime.date(2024, 10, 1)), cell_text("\u200b ")
    ('812345678', '1500.5', '2024-10-01', None)
    """
    if type(value) is str:  # most cells: first, a national folder holds millions
        return value if value.strip(BLANK_CHARACTERS) else None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        # Only dates mean anything in the contract; a time of day typed with it is dropped.
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return None
    text = str(value)
    return text if text.strip(BLANK_CHARACTERS) else None


# --- tables -----------------------------------------------------------------------------


def is_blank(text: str) -> bool:
    """True when ``text`` holds nothing but blanks (:data:`BLANK_CHARACTERS`) or nothing.

    Examples
    --------
    >>> is_blank(" \u200b\u00a0"), is_blank(" x ")
    (True, False)
    """
    return not text.strip(BLANK_CHARACTERS)


def is_blank_row(cells: list) -> bool:
    return all(c is None or is_blank(str(c)) for c in cells)


def build_table(rows: list[tuple[int, list]], table: str, where: str, mapping: dict,
                joined: dict[int, str] | None = None) -> pd.DataFrame:
    """Name the columns of one table, check them, and keep the cells as text.

    ``rows`` as :func:`read_csv_cells` or :func:`sheet_cells` give them: cells are text or None.
    ``joined`` (row -> lines, from :func:`read_csv_cells`) goes in :data:`JOINED_COLUMN`.
    """
    if not rows:
        raise DatasetError(f"{where} is empty: it needs at least a header row.")
    columns = map_headers(rows[0][1], table, where, mapping)
    width = len(columns)
    body = rows[1:]
    # Cells laid out in a block, width wide, and made columns in one step: a short row padded
    # with None, the surplus of a long row kept apart (blank_to_none written out in the loop:
    # a national people list has millions of cells).
    blank = BLANK_CHARACTERS
    block = np.array([[c if c and c.strip(blank) else None for c in cells] if len(cells) == width else
                      [c if c and c.strip(blank) else None for c in cells[:width]] + [None] * (width - len(cells))
                      for _, cells in body], dtype=object).reshape(len(body), width)
    data = {column: block[:, position] for position, column in enumerate(columns)}
    surplus = [[c for c in cells[width:] if c and c.strip(blank)] if len(cells) > width else None for _, cells in body]
    data[EXTRA_COLUMN] = np.array(["|".join(cells) if cells else None for cells in surplus], dtype=object)
    data[JOINED_COLUMN] = np.array([joined.get(number) for number, _ in body] if joined else [None] * len(body),
                                   dtype=object)
    frame = pd.DataFrame(data, dtype=object)
    frame.insert(0, ROW_COLUMN, np.array([number for number, _ in body], dtype="int64"))
    # Columns without a header (a trailing delimiter) are dropped when blank, kept otherwise.
    unnamed = [c for c in frame.columns if c.startswith(UNNAMED) or c in (EXTRA_COLUMN, JOINED_COLUMN)]
    return frame.drop(columns=[c for c in unnamed if frame[c].isna().all()])


def blank_to_none(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    return None if is_blank(text) else text


def map_headers(header: list, table: str, where: str, mapping: dict) -> list[str]:
    """Canonical column names for a header row; check required and repeated columns.

    A blank header cell is named ``column_<position>`` (1 = first column).
    """
    aliases = load_header_aliases()
    spec = TABLES[table]
    columns, written_as = [], {}
    for position, cell in enumerate(header, start=1):
        written = "" if cell is None else str(cell)
        key = normalise_header(written)
        if not key:
            columns.append(f"{UNNAMED}{position}")
            continue
        column = mapping.get((table, key)) or aliases.get((table, key)) or aliases.get(("*", key))
        if column is None or column not in spec.accepted:
            column = key if key in spec.accepted else reserved_safe(key)
        if column in written_as:
            raise DatasetError(
                f"{where} has the column {column} twice ('{written_as[column]}' and '{written.strip()}'): keep one."
            )
        written_as[column] = written.strip()
        columns.append(column)
    for column in spec.required:
        if column not in written_as:
            raise DatasetError(
                f"{where} has no column {column}: add it, or name the column that holds it in {COLUMNS_FILE}."
            )
    for group in spec.one_of:
        if not any(c in written_as for c in group):
            raise DatasetError(f"{where} needs a column {' or '.join(group)}.")
    return columns


#: Names of the columns the reader and the checker add themselves, and of blank headers.
RESERVED_COLUMNS = (ROW_COLUMN, EXTRA_COLUMN, JOINED_COLUMN, *PLACE_CODE_COLUMNS)
UNNAMED_COLUMN = re.compile(rf"{UNNAMED}\d+")


def reserved_safe(key: str) -> str:
    """An extra column's name, kept clear of the columns the reader and the checker add
    themselves (``row``, ``tambon_code``, …) and of the names given to blank headers
    (``column_11``): a file's own ``Tambon Code`` becomes ``tambon_code_in_file``.

    Examples
    --------
    >>> reserved_safe("tambon_code"), reserved_safe("column_11"), reserved_safe("note")
    ('tambon_code_in_file', 'column_11_in_file', 'note')
    """
    return f"{key}_in_file" if key in RESERVED_COLUMNS or UNNAMED_COLUMN.fullmatch(key) else key


_ALIASES: dict[tuple[str, str], str] = {}


def load_header_aliases() -> dict[tuple[str, str], str]:
    """(table or ``*``, normalised alias) -> column, from ``analysis/data/header_aliases.csv``.

    ``*`` rows apply to every table that has the column; a table's own row wins over them.
    """
    if not _ALIASES:
        frame = pd.read_csv(ALIASES_PATH, dtype=str, keep_default_na=False, encoding="utf-8")
        for table, alias, column in frame[["table", "alias", "column"]].itertuples(index=False):
            _ALIASES[(table, normalise_header(alias))] = column
    return _ALIASES


def read_column_mapping(folder: Path) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """The dataset's own header mapping (``columns.csv``), and its checksum when it exists.

    Each row says: in ``table``, the column headed ``column_as_written`` holds ``column``.
    """
    path = folder / COLUMNS_FILE
    if not path.is_file():
        return {}, {}
    data = read_bytes(path)
    rows = read_csv_cells(data, COLUMNS_FILE)
    header = [normalise_header(c) for c in rows[0][1]]
    needed = ("table", "column_as_written", "column")
    if any(n not in header for n in needed):
        raise DatasetError(f"{COLUMNS_FILE} needs the columns table, column_as_written, column.")
    tables = {normalise_header(a): t for t, aliases in TABLE_ALIASES.items() for a in aliases}
    mapping = {}
    for number, cells in rows[1:]:
        values = dict(zip(header, [blank_to_none(c) or "" for c in cells]))
        table = tables.get(normalise_header(values.get("table", "")))
        column = normalise_header(values.get("column", ""))
        if table is None:
            raise DatasetError(f"{COLUMNS_FILE}, row {number}, column table: '{values.get('table')}' is not a table name.")
        if column not in TABLES[table].columns:
            raise DatasetError(
                f"{COLUMNS_FILE}, row {number}, column column: '{values.get('column')}' is not a column of {table}."
            )
        mapping[(table, normalise_header(values.get("column_as_written", "")))] = column
    return mapping, {COLUMNS_FILE: sha256_hex(data)}


def read_text_csv(path: Path, columns: tuple[str, ...], hint: str) -> pd.DataFrame:
    """A UTF-8 CSV file the tool wrote or documents (an output table, ``aims.csv``), every
    cell as text ('' when empty). A file that cannot be read, or lacks one of ``columns``, is
    one sentence (:class:`DatasetError`) ending in ``hint``: what the file should be.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "hats.csv"
    >>> _ = path.write_text("person_id,n_agencies\\nP-1,\\n", encoding="utf-8")
    >>> read_text_csv(path, ("person_id",), "give a stakemap run's hats.csv").to_dict("records")
    [{'person_id': 'P-1', 'n_agencies': ''}]
    >>> read_text_csv(path, ("rank",), "give a stakemap run's bridges.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    analysis.errors.DatasetError: .../hats.csv has no column rank: give a stakemap run's bridges.csv.
    """
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise DatasetError(f"{path} cannot be read as a UTF-8 CSV file ({error}).") from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DatasetError(f"{path} has no column {', '.join(missing)}: {hint}.")
    return df

