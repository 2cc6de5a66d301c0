"""report.xlsx: every output table as a sheet, with Thai and English headers, safe cells.

Layout of each sheet (documented for users in docs/review_guide.md):

- row 1: the column's Thai label (:data:`THAI_LABELS`; the column name when none is known);
- row 2: the column name as in the CSV file (the contract's English name);
- data from row 3; both header rows frozen, columns sized to their content, an autofilter
  on row 2;
- printed A4 landscape, one page wide, both header rows repeated on every page, text
  wrapped, grid lines, the sheet's name and page number in the footer (:func:`_set_print_layout`);
- numbers shown rounded for reading with thousands separators (:func:`_number_format`:
  whole numbers ``1,234``, scores ``0.379``, other amounts ``1,234.50``); the cell keeps the
  value, and the CSV files keep every digit;
- text is always a text cell (format ``@``), so codes and phones keep their leading 0.

With ``area_links`` (a run that wrote its profile pages), each area cell of the ``grades``
and ``grade_counts`` sheets is a hyperlink to that area's page, relative to the workbook
(``profiles/270101.html``), so the link works wherever the run's folder is copied.

Scripts read a sheet with ``pandas.read_excel(path, sheet_name="hats", header=1)``. A first
sheet, ``อ่านก่อน_README``, lists the sheets and their row counts.

Cells hold values, never formulas: a text cell starting with ``=``, ``+``, ``-`` or ``@``
is stored as a text cell (data type ``s``) so a hostile name cannot run in Excel (OWASP,
"CSV Injection"). The same tables give the same bytes: the document's dates are fixed and
the zip entries carry a fixed time.

openpyxl writes the workbook: the README sheet, each sheet's header rows, widths and frozen
panes, styles and the package. The data rows (3.6 million cells nationally) are written
here as the XML openpyxl writes for them (:func:`_cell_xml`), without its element tree per
cell: about 13 µs a cell there, 1 here. Tables hold text, numbers and true/false only.
Each column's styles are registered with openpyxl once (:func:`_column_styles`) and the data
cells name them by their index, so styling costs a few characters a cell. Every string goes
through :func:`analysis.render.xmltext.clean_xml_text` first: a control character or U+FFFF
in a name would make the sheet XML not well-formed (issue 16, cases 6 and 10).
"""

import datetime as dt
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from analysis.render.xmltext import XML_ILLEGAL_RE, clean_xml_text

#: Rows written per sheet. The workbook is for reading and pasting into a report; the CSV
#: files hold every row. Excel's own limit is 1,048,576 rows, but a national run's tables
#: (persons, hats, relations: millions of rows in all) took 101 s to write through openpyxl
#: cell by cell, and 50,000 rows is more than any report table holds.
MAX_DATA_ROWS = 50_000
#: Column width bounds in characters: narrow enough that a Thai name and its agencies fit a
#: screen, wide enough for a 10-digit phone or a person id. Longer text wraps in its cell.
MIN_WIDTH, MAX_WIDTH = 8, 45
#: Total width a sheet's columns are narrowed to (widest first, none below
#: :data:`MIN_TEXT_WIDTH`): A4 landscape holds about 130 characters at 100 %; fitted to one
#: page wide, 180 prints at about 70 %, still readable, where a 15-column sheet at its natural
#: widths (500 characters) would print at 25 %.
PAGE_WIDTH = 180
#: Narrowest a column is made to fit :data:`PAGE_WIDTH`: a Thai name on two lines.
MIN_TEXT_WIDTH = 16
#: Largest absolute value shown with three decimals: scores, shares and network measures
#: (betweenness, constraint) read as 0.379; anything larger is an amount or a count, shown
#: with two decimals.
SCORE_LIMIT = 10
#: Rows sampled to size a column: enough to see typical values, cheap on 500,000 rows.
WIDTH_SAMPLE = 200
#: A fixed date for the document properties and zip entries (deterministic bytes).
FIXED_TIME = dt.datetime(2000, 1, 1)
README_SHEET = "อ่านก่อน_README"
#: Longest text a cell holds (Excel's limit); openpyxl cuts longer text there.
MAX_CELL_TEXT = 32_767
#: Data rows turned into XML at a time: large enough for few calls, small enough to hold.
CHUNK_ROWS = 5_000

THAI_LABELS = {
    "person_id": "รหัสบุคคล", "person_name": "ชื่อ-สกุล", "record_id": "รหัสรายการ",
    "n_agencies": "จำนวนหน่วยงาน", "n_organisations": "จำนวนองค์กร", "n_projects": "จำนวนโครงการ",
    "agencies": "หน่วยงาน", "roles": "บทบาท", "is_giver_receiver": "เป็นทั้งผู้ให้และผู้รับ",
    "giver_receiver_detail": "รายละเอียดผู้ให้-ผู้รับ", "tambon_code": "รหัสตำบล", "tambon": "ตำบล",
    "tambon_name": "ชื่อตำบล", "n_tambon_projects": "โครงการในตำบล", "share": "สัดส่วน",
    "group_id": "รหัสกลุ่ม", "project_id": "รหัสโครงการ", "title": "ชื่อโครงการ", "funder": "แหล่งทุน",
    "funder_id": "รหัสแหล่งทุน", "score": "คะแนน", "reasons": "เหตุผล (EN)", "reasons_th": "เหตุผล",
    "aim": "เป้าหมาย", "lead_org_id": "องค์กรหลัก", "suggested_host_id": "รหัสเจ้าภาพที่เสนอ",
    "suggested_host": "เจ้าภาพที่เสนอ", "period": "ช่วงเวลา", "org_id": "รหัสองค์กร", "name": "ชื่อ",
    "rank": "อันดับ", "betweenness": "ความเป็นตัวกลาง", "constraint": "ข้อจำกัดเครือข่าย",
    "effective_size": "ขนาดเครือข่ายที่มีผล", "degree": "จำนวนองค์กรที่เชื่อม",
    "is_articulation_point": "เป็นจุดเชื่อมเดียว", "community": "กลุ่มเครือข่าย", "sector": "ภาคส่วน",
    "reason": "คำอธิบาย (EN)", "reason_th": "คำอธิบาย", "area": "พื้นที่", "area_level": "ระดับพื้นที่",
    "area_name": "ชื่อพื้นที่", "category": "ประเภทงาน", "agency": "หน่วยงาน", "agency_id": "รหัสหน่วยงาน",
    "projects": "จำนวนโครงการ", "budget_thb": "งบประมาณ (บาท)", "amount_thb": "จำนวนเงิน (บาท)",
    "district": "อำเภอ", "district_name": "ชื่ออำเภอ", "n_tambons_with": "ตำบลที่มีงานนี้",
    "agencies_in_district": "หน่วยงานในอำเภอ", "agency_ids": "รหัสหน่วยงาน", "stream": "สายเงินทุน",
    "n_organisations_paid": "องค์กรที่ได้รับเงิน", "table": "ตาราง", "row": "แถว", "column": "คอลัมน์",
    "value": "ค่า", "action": "การดำเนินการ", "detail": "รายละเอียด", "kind": "ประเภท", "change": "การเปลี่ยนแปลง",
    "before": "ก่อน", "after": "หลัง", "topic": "หัวข้อ", "text_th": "ข้อเสนอ", "text_en": "ข้อเสนอ (EN)",
    "evidence": "หลักฐาน", "impact": "ผลที่คาด",
}


def _cell_value(value):
    """A Python value openpyxl can store: numpy scalars unwrapped, NaN/NaT as empty."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _cell(ws, value, font=None, alignment=None):
    """A write-only cell holding ``value`` as a value: text is always a text cell, fit for XML."""
    value = _cell_value(value)
    if isinstance(value, str):
        value = clean_xml_text(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        # openpyxl marks text starting with "=" as a formula; force it back to text.
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _sheet_title(name: str, used: set[str]) -> str:
    """A sheet title Excel accepts: ≤ 31 characters, none of []:*?/\\, unique."""
    title = "".join("_" if ch in "[]:*?/\\" else ch for ch in clean_xml_text(str(name)))[:31] or "sheet"
    base, n = title, 2
    while title.lower() in used:
        suffix = f"_{n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _display_width(text: str) -> int:
    """Characters a text takes on a line: Thai vowel and tone marks above or below a letter
    (Unicode category Mn) take none.

    Examples
    --------
    >>> len("ผู้ใหญ่บ้าน"), _display_width("ผู้ใหญ่บ้าน")
    (11, 7)
    """
    return sum(unicodedata.category(ch) != "Mn" for ch in text)


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))


def _number_format(values: pd.Series) -> str:
    """The format a column's numbers are read in: ``#,##0`` for whole numbers, ``0.000`` for
    scores (below :data:`SCORE_LIMIT`), ``#,##0.00`` for other amounts.

    Examples
    --------
    >>> _number_format(pd.Series([1200, 3])), _number_format(pd.Series([0.3792994134863084, None]))
    ('#,##0', '0.000')
    >>> _number_format(pd.Series([1.9999999999999996, 250000.5]))
    '#,##0.00'
    """
    if pd.api.types.is_bool_dtype(values):
        return "#,##0"
    if pd.api.types.is_numeric_dtype(values):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
    else:  # text, or a mix: only its numbers
        numbers = np.array([float(v) for v in values.tolist() if _is_number(v)], dtype=float)
    numbers = numbers[np.isfinite(numbers)]
    if (numbers == np.round(numbers)).all():
        return "#,##0"
    return "0.000" if np.abs(numbers).max() < SCORE_LIMIT else "#,##0.00"


def _shown(value, number_format: str) -> str:
    """A cell's text as its format shows it, to size its column."""
    value = _cell_value(value)
    if value is None:
        return ""
    if _is_number(value) and math.isfinite(value):
        return f"{value:,.0f}" if number_format == "#,##0" else f"{value:,.3f}"
    return str(value)


def _widths(table: pd.DataFrame, formats: list[str]) -> list[float]:
    """Column widths from a sample of the values as shown, narrowed to :data:`PAGE_WIDTH`:
    the widest column is cut first, never below :data:`MIN_TEXT_WIDTH` (its text wraps)."""
    widths = []
    for i, column in enumerate(table.columns):
        sample = [_display_width(line) for v in table.iloc[:WIDTH_SAMPLE, i].tolist()
                  for line in _shown(v, formats[i]).split("\n")]
        labels = [len(str(column)), _display_width(THAI_LABELS.get(str(column), ""))]
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, max(labels + sample) + 2))))
    while sum(widths) > PAGE_WIDTH:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= MIN_TEXT_WIDTH:
            break
        widths[widest] -= 1
    return widths


def _set_print_layout(ws) -> None:
    """A4 landscape, one page wide, grid lines, the sheet's name and page number in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.gridLines = True
    ws.oddFooter.center.text = "&A — &P / &N"


def _column_styles(ws, formats: list[str]) -> list[tuple[str, str]]:
    """For each column, the style attribute of its text cells (wrapped, format ``@``) and of its
    number cells (its number format), registered once in the workbook's styles."""
    styles = []
    for number_format in formats:
        text, number = WriteOnlyCell(ws), WriteOnlyCell(ws)
        text.number_format, text.alignment = "@", Alignment(wrap_text=True, vertical="top")
        number.number_format, number.alignment = number_format, Alignment(vertical="top")
        styles.append((f' s="{text.style_id}"', f' s="{number.style_id}"'))
    return styles


#: Sheets whose ``area`` cells link to the area's profile page (when the run wrote them).
LINKED_SHEETS = ("grades", "grade_counts")


def _link_areas(ws, table: pd.DataFrame, area_links: dict[str, str]) -> None:
    """Hyperlinks from the data cells of ``table``'s ``area`` column to their pages, for the
    areas ``area_links`` has. openpyxl writes them (and their relationships) after the rows,
    which :class:`_ReportArchive` puts in."""
    letter = get_column_letter(list(table.columns).index("area") + 1)
    for row, area in enumerate(table["area"].tolist(), start=3):
        if area in area_links:
            ws._hyperlinks.append(Hyperlink(ref=f"{letter}{row}", target=area_links[area]))


def _write_sheet(wb: Workbook, title: str, table: pd.DataFrame,
                 area_links: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """A sheet with the two header rows and its print layout (and, with ``area_links``, its
    area cells' hyperlinks); returns its column styles (:func:`_column_styles`). The data rows
    are added as the sheet is stored (:class:`_ReportArchive`)."""
    ws = wb.create_sheet(title)
    shown = table.head(MAX_DATA_ROWS)
    formats = [_number_format(shown.iloc[:, i]) for i in range(len(table.columns))]
    for i, width in enumerate(_widths(shown, formats), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    _set_print_layout(ws)
    ws.print_title_rows = "1:2"  # both header rows on every printed page
    ws.auto_filter.ref = f"A2:{get_column_letter(max(1, len(table.columns)))}{2 + len(shown)}"
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append([_cell(ws, THAI_LABELS.get(str(c), str(c)), Font(bold=True), wrap) for c in table.columns])
    ws.append([_cell(ws, str(c), Font(italic=True, color="555555"), wrap) for c in table.columns])
    if area_links and "area" in table.columns:
        _link_areas(ws, shown, area_links)  # after the first rows: openpyxl's writer holds the list then
    return _column_styles(ws, formats)


#: The attribute that keeps a text's leading or trailing spaces.
XML_SPACE = ' xml:space="preserve"'


def _cell_xml(ref: str, value, styles: tuple[str, str] = ("", "")) -> str:
    """A data cell as openpyxl writes it (text inline), or "" for an empty cell. ``styles``:
    the style attributes of the column's text and number cells (:func:`_column_styles`); the
    default writes an unstyled cell. Text is cleaned for XML (:func:`clean_xml_text`).

    Examples
    --------
    >>> _cell_xml("B3", "=1+2"), _cell_xml("C3", 3), _cell_xml("D3", float("nan"))
    ('<c r="B3" t="inlineStr"><is><t>=1+2</t></is></c>', '<c r="C3" t="n"><v>3</v></c>', '')
    >>> _cell_xml("E3", "ก\\x08ข\\uffff", (' s="1"', ' s="2"')), _cell_xml("F3", 0.5, (' s="1"', ' s="2"'))
    ('<c r="E3" s="1" t="inlineStr"><is><t>กข</t></is></c>', '<c r="F3" s="2" t="n"><v>0.5</v></c>')
    """
    value = _cell_value(value)
    if value is None:
        return ""
    if isinstance(value, str):
        text = clean_xml_text(value[:MAX_CELL_TEXT])
        style = styles[0]
        if not text:
            return f'<c r="{ref}"{style} t="inlineStr" />'
        stripped = text.strip()
        space = XML_SPACE if stripped and stripped != text else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{value:d}</v></c>'
    if isinstance(value, (int, float)):
        style = styles[1]
        number = safe_string(value)  # "" for infinity, as openpyxl writes it
        return f'<c r="{ref}"{style} t="n"><v>{number}</v></c>' if number else f'<c r="{ref}"{style} t="n"><v /></c>'
    raise TypeError(f"report.xlsx cells hold text, numbers and true/false, not {type(value).__name__} ({value!r})")


#: The characters :func:`xml.sax.saxutils.escape` changes.
XML_ESCAPED = re.compile("[&<>]")
INFINITIES = (math.inf, -math.inf)


def _column_xml(letter: str, numbers: range, values: pd.Series, styles: tuple[str, str]) -> list[str]:
    """``[_cell_xml(f"{letter}{n}", value, styles) for n, value in zip(numbers, values)]``,
    made a column at a time for float64, int64 and text columns (nationally 3.6 million
    cells: a call, a regular expression and three replacements each cost the workbook
    8 of its 22 CPU seconds); other columns, and text to clean or cut, cell by cell.

    Examples
    --------
    >>> _column_xml("B", range(3, 5), pd.Series(["x", None]), ("", "")) == [_cell_xml("B3", "x"), ""]
    True
    """
    cells = values.tolist()
    dtype = values.dtype
    if dtype == np.float64 or dtype == np.int64:
        style = styles[1]
        return [("" if value != value else f'<c r="{letter}{n}"{style} t="n"><v /></c>' if value in INFINITIES
                 else f'<c r="{letter}{n}"{style} t="n"><v>{"%.16g" % value}</v></c>')  # as openpyxl's safe_string
                for n, value in zip(numbers, cells)]
    if isinstance(dtype, pd.StringDtype) and dtype.na_value is np.nan:  # text, NaN where missing
        texts = [value for value in cells if type(value) is str]
        joined = "".join(texts)
        if not XML_ILLEGAL_RE.search(joined) and max(map(len, texts), default=0) <= MAX_CELL_TEXT:
            style = styles[0]
            text_xml = escape if XML_ESCAPED.search(joined) else str
            return [("" if type(text) is not str else f'<c r="{letter}{n}"{style} t="inlineStr" />' if not text
                     else f'<c r="{letter}{n}"{style} t="inlineStr"><is><t'
                          f'{XML_SPACE if (stripped := text.strip()) and stripped != text else ""}>{text_xml(text)}</t></is></c>')
                    for n, text in zip(numbers, cells)]
    return [_cell_xml(f"{letter}{n}", value, styles) for n, value in zip(numbers, cells)]


def _rows_xml(table: pd.DataFrame, first_row: int = 3,
              styles: list[tuple[str, str]] | None = None) -> Iterator[bytes]:
    """The ``<row>`` elements of ``table``'s data from row ``first_row``, UTF-8, in chunks;
    ``styles`` per column as :func:`_cell_xml` takes them (None: unstyled)."""
    letters = [get_column_letter(i) for i in range(1, len(table.columns) + 1)]
    styles = styles or [("", "")] * len(letters)
    for start in range(0, len(table), CHUNK_ROWS):
        chunk = table.iloc[start:start + CHUNK_ROWS]
        numbers = range(first_row + start, first_row + start + len(chunk))
        columns = [_column_xml(letter, numbers, chunk.iloc[:, i], styles[i]) for i, letter in enumerate(letters)]
        rows = "".join(f'<row r="{n}">{"".join(cells)}</row>' for n, *cells in zip(numbers, *columns))
        yield rows.encode("utf-8", "xmlcharrefreplace")  # as openpyxl encodes


def _write_readme(wb: Workbook, titles: dict[str, str], tables: dict[str, pd.DataFrame], public: bool) -> None:
    ws = wb.create_sheet(README_SHEET)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 70
    _set_print_layout(ws)
    header = Font(bold=True)
    ws.append([_cell(ws, "stakemap: ตารางผลการวิเคราะห์ / analysis tables", Font(bold=True, size=14))])
    ws.append([_cell(ws, "แถว 1 = หัวตารางภาษาไทย, แถว 2 = ชื่อคอลัมน์ในไฟล์ CSV; "
                         "row 1 = Thai header, row 2 = the CSV column name; data from row 3.")])
    if public:
        ws.append([_cell(ws, "ฉบับเผยแพร่: ไม่มีเบอร์โทร อีเมล หรือรหัสรายการ / public edition: "
                             "no phones, e-mails or record ids.")])
    ws.append([])
    ws.append([_cell(ws, v, header) for v in ("แผ่นงาน / sheet", "ไฟล์ / file", "แถว / rows", "หมายเหตุ / note")])
    for name, title in titles.items():
        n_rows = len(tables[name])
        note = "" if n_rows <= MAX_DATA_ROWS else f"first {MAX_DATA_ROWS:,} rows; all rows in {name}.csv"
        ws.append([_cell(ws, title), _cell(ws, f"{name}.csv"), _cell(ws, n_rows), _cell(ws, note)])


class _ReportArchive(zipfile.ZipFile):
    """The zip file openpyxl's ``ExcelWriter`` fills, with every entry at :data:`FIXED_TIME`
    (zip stores each entry's write time) and each table's data rows put into its sheet.

    ``ExcelWriter`` stores a write-only sheet with ``write`` from the temporary file openpyxl
    streamed it to (header rows only, here); the rows of ``tables[arcname]`` (a table and its column styles) go in before its
    ``</sheetData>``. Every other part comes with ``writestr``.
    """

    def __init__(self, path: Path, tables: dict[str, tuple[pd.DataFrame, list[tuple[str, str]]]]):
        super().__init__(path, "w", zipfile.ZIP_DEFLATED)
        self.tables = tables

    @staticmethod
    def _entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    def writestr(self, name, data, *args, **kwargs):
        super().writestr(self._entry(name), data)

    def write(self, filename, arcname=None, *args, **kwargs):
        head, end, tail = Path(filename).read_bytes().partition(b"</sheetData>")
        with self.open(self._entry(arcname), "w") as entry:
            entry.write(head)
            if arcname in self.tables:
                table, styles = self.tables[arcname]
                for rows in _rows_xml(table, styles=styles):
                    entry.write(rows)
            entry.write(end + tail)


def write_report_xlsx(tables: dict[str, pd.DataFrame], out_path: Path, public: bool = False,
                      area_links: dict[str, str] | None = None) -> Path:
    """Write every table as a sheet of one workbook (module docstring says the layout).

    Parameters
    ----------
    tables : file stem → table, in the order the sheets should appear. With ``public=True``
        the caller passes tables already masked (:func:`analysis.privacy.mask_tables`);
        nothing is added here.
    out_path : the ``.xlsx`` file to write.
    public : only changes the README sheet's note.
    area_links : area (as in the ``area`` column) → its page, relative to the workbook; the
        area cells of the :data:`LINKED_SHEETS` link there. None: no link.

    Returns
    -------
    Path : ``out_path``.
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "stakemap"
    used: set[str] = {README_SHEET.lower()}
    titles = {name: _sheet_title(name, used) for name in tables}
    _write_readme(wb, titles, tables, public)
    styles = {name: _write_sheet(wb, title, tables[name], area_links if name in LINKED_SHEETS else None)
              for name, title in titles.items()}
    # openpyxl names the sheets' parts by their place: the README is sheet1.
    rows = {f"xl/worksheets/sheet{n}.xml": (tables[name].head(MAX_DATA_ROWS), styles[name])
            for n, name in enumerate(titles, start=2)}
    with _ReportArchive(out_path, rows) as archive:
        ExcelWriter(wb, archive).save()  # not wb.save, which stamps today as the modified date
    return out_path
