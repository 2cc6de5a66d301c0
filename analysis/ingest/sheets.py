"""Office sheets as they come: find the header under the title rows, say what the sheet is,
name its columns, and find the footer.

A sheet is read as one of :data:`SHEET_KINDS` from the *fields* its header names
(:data:`FIELDS`: the words Thai office lists use for a column) and from its title: a list of
projects names a project title; a funding list a funder and an amount; a list of people a
name (whole or in parts) — an attendance sheet when it has a signature column or its title
says registration, a roster otherwise; an organisations list an organisation's name and no
person. Nothing else is guessed: a sheet that fits none is reported and not read.

The header is the row, among the first :data:`HEADER_SEARCH_ROWS` non-blank ones, that names
the most fields (at least :data:`MIN_HEADER_FIELDS`); the rows above it are the title.
"""

import re
from bisect import bisect_right
from itertools import accumulate, chain, repeat
from operator import itemgetter
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.ingest.normalise import normalise_text
from analysis.ingest.read import normalise_header

ROSTER, ATTENDANCE, PROJECTS, FUNDING, ORGANISATIONS, UNKNOWN = (
    "roster", "attendance sheet", "project list", "funding list", "organisations list", "not recognised")
SHEET_KINDS = (ROSTER, ATTENDANCE, PROJECTS, FUNDING, ORGANISATIONS)

#: Field -> the column headers that mean it (compared with :func:`normalise_header`).
FIELDS: dict[str, tuple[str, ...]] = {
    "seq": ("ลำดับ", "ลำดับที่", "ที่", "no", "no.", "#"),
    "honorific": ("คำนำหน้า", "คำนำหน้าชื่อ", "คำนำหน้านาม", "title", "prefix"),
    "first_name": ("ชื่อตัว", "first name", "firstname", "given name"),
    "last_name": ("นามสกุล", "สกุล", "last name", "lastname", "surname"),
    "name": ("ชื่อ-สกุล", "ชื่อ-นามสกุล", "ชื่อ – สกุล", "ชื่อสกุล", "ชื่อและนามสกุล", "ชื่อ นามสกุล",
             "full name", "name", "ชื่อผู้เข้าร่วม", "ชื่อผู้เข้าประชุม", "รายชื่อ"),
    "role": ("ตำแหน่ง", "บทบาท", "ตำแหน่งในคณะกรรมการ", "position", "role", "หน้าที่"),
    "house_no": ("บ้านเลขที่", "เลขที่"),
    "moo": ("หมู่ที่", "หมู่", "ม."),
    "tambon": ("ตำบล", "แขวง", "ตำบล/แขวง", "tambon", "subdistrict"),
    "district": ("อำเภอ", "เขต", "อำเภอ/เขต", "district", "amphoe"),
    "province": ("จังหวัด", "province", "changwat"),
    "address": ("ที่อยู่", "ที่อยู่ปัจจุบัน", "ที่อยู่ตามทะเบียนบ้าน", "address"),
    "phone": ("เบอร์โทรศัพท์", "โทรศัพท์", "เบอร์โทร", "โทร.", "โทร", "มือถือ", "เบอร์มือถือ",
              "หมายเลขโทรศัพท์", "เบอร์ติดต่อ", "phone", "tel", "tel."),
    "email": ("อีเมล", "อีเมล์", "e-mail", "email"),
    "national_id": ("เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "เลขบัตรประจำตัวประชาชน",
                    "เลขประจำตัวประชาชน 13 หลัก", "national id", "citizen id"),
    "org": ("หน่วยงาน", "หน่วยงาน/องค์กร", "องค์กร", "สังกัด", "หน่วยงาน/สังกัด", "organisation", "organization"),
    "note": ("หมายเหตุ", "note", "notes", "remark", "remarks"),
    "signature": ("ลายมือชื่อ", "ลงชื่อ", "ลายเซ็น", "signature"),
    "project_id": ("รหัสโครงการ", "project id", "project_id"),
    "title": ("ชื่อโครงการ", "โครงการ", "ชื่อโครงการ/กิจกรรม", "โครงการ/กิจกรรม", "project", "project title"),
    "lead_org": ("หน่วยงานที่รับผิดชอบ", "หน่วยงานรับผิดชอบ", "หน่วยงานดำเนินการ", "หน่วยงานเจ้าของโครงการ",
                 "ผู้ดำเนินการ", "lead organisation"),
    "area": ("พื้นที่ดำเนินการ", "พื้นที่", "พื้นที่เป้าหมาย", "สถานที่ดำเนินการ", "area"),
    "period": ("ระยะเวลา", "ระยะเวลาดำเนินการ", "ช่วงเวลา", "period"),
    "start": ("วันเริ่มต้น", "เริ่ม", "วันที่เริ่ม", "start"),
    "end": ("วันสิ้นสุด", "สิ้นสุด", "วันที่สิ้นสุด", "end"),
    "budget": ("งบประมาณ", "งบประมาณ (บาท)", "วงเงิน", "budget"),
    "funder": ("แหล่งงบประมาณ", "แหล่งทุน", "ผู้ให้ทุน", "แหล่งเงิน", "funder"),
    "contact": ("ผู้รับผิดชอบโครงการ", "ผู้รับผิดชอบ", "ผู้ประสานงานโครงการ", "contact"),
    "category": ("ประเภทโครงการ", "ด้าน", "category"),
    "description": ("วัตถุประสงค์", "รายละเอียด", "description"),
    "amount": ("จำนวนเงิน", "จำนวนเงิน (บาท)", "amount"),
    "stream": ("แผนงาน", "ประเภททุน", "ประเภทเงินทุน", "stream"),
    "date": ("วันที่", "วันที่โอน", "วันที่อนุมัติ", "date"),
    "recipient": ("ผู้รับทุน", "หน่วยงานผู้รับ", "ผู้รับเงิน", "recipient"),
    "org_id": ("รหัสหน่วยงาน", "รหัสองค์กร", "org id", "org_id"),
    "org_name": ("ชื่อหน่วยงาน", "ชื่อองค์กร", "ชื่อองค์กร/หน่วยงาน"),
    "kind": ("ประเภทองค์กร", "ประเภทหน่วยงาน", "ประเภท", "kind"),
    "parent": ("ต้นสังกัด", "หน่วยงานต้นสังกัด", "รหัสต้นสังกัด", "parent"),
    "aliases": ("ชื่อย่อ", "ชื่ออื่น", "aliases"),
    "record_id": ("รหัสบุคคล", "record id", "record_id"),
}
#: Fields whose column the tool reads but does not use, with the reason the report gives.
UNUSED_FIELDS = {
    "seq": "row numbers: the tool numbers rows itself",
    "note": "free-text notes",
    "signature": "signatures",
}
#: The word ``ชื่อ`` alone is the first name when a surname column is there, else the whole name
#: (a roster split in three read as whole names lost every surname, issue 15).
FIRST_OR_WHOLE_NAME = "ชื่อ"

#: Rows searched for the header: title blocks in office lists take one to five rows.
HEADER_SEARCH_ROWS = 12
#: A header names at least two fields (a title row names none, or one by chance).
MIN_HEADER_FIELDS = 2
#: Rows under the best header so far that name fewer than two fields each, after which the
#: search stops: they are its data (matching every cell of the first rows against every header
#: word cost a sheet more than reading it; a title block is above the header, not below).
DATA_ROWS_AFTER_HEADER = 3

_ALIAS_FIELD = {normalise_header(alias): name for name, aliases in FIELDS.items() for alias in aliases}
_ATTENDANCE_TITLE = re.compile(r"ลงทะเบียน|ผู้เข้าร่วม|ผู้ร่วม|ผู้เข้าประชุม|เวที|ลงชื่อเข้าร่วม")
# A total row says รวม (and what: ทั้งสิ้น, เงิน, 12 คน) and nothing else: a title such as
# "รวมพลังสร้างสุข" is data.
_TOTAL = re.compile(r"^\s*(?:ยอด)?รวม\s*(?:ทั้งสิ้น|ทั้งหมด|งบประมาณ|เงิน)?\s*(?:[\d,.]+\s*(?:คน|ราย|รายการ|โครงการ|บาท)?)?\s*$"
                    r"|^\s*total\b", re.IGNORECASE)
_SIGNATURE = re.compile(r"ลงชื่อ|ลงนาม|ผู้รับรอง|ผู้จัดทำ|ผู้ตรวจสอบ|ผู้บันทึก|\.{5,}|…{2,}|_{5,}")
#: What a cell of a row that holds no data is in: no column, a row number, a note, a signature.
_NOT_DATA = frozenset((None, "seq", "note", "signature"))
#: What a row's text holds, as written, before :func:`normalise_text` can make it a total or a
#: signature line: parts of those words without the marks whose typing varies, and the
#: invisible characters normalising removes. Substrings, not a regular expression: normalising
#: every cell of every row, or searching it with an alternation, costs more than the rest of
#: the reading (issue 15's benchmark).
_FOOTER_HINTS = ("รวม", "ลง", "รับรอง", "จัดท", "ตรวจสอบ", "บันท", ".....", "……", "_____",
                 "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060")
#: ``total`` as case folding finds it (``TOTAL``; ``ﬆotal`` folds to ``stotal``), in a text that
#: folding would lengthen.
_TOTAL_HINT = re.compile(r"[tﬅﬆ]otal", re.IGNORECASE)


@dataclass
class SheetLayout:
    """What a sheet is and where its parts are.

    Attributes
    ----------
    kind : one of :data:`SHEET_KINDS`, or :data:`UNKNOWN`.
    header_index : index in the sheet's rows of the header (None when none was found).
    columns : position -> field, for the columns the tool uses or knows.
    headers : position -> header as written.
    title : the text of the rows above the header, one line each.
    """

    kind: str
    header_index: int | None
    columns: dict[int, str] = field(default_factory=dict)
    headers: dict[int, str] = field(default_factory=dict)
    title: list[str] = field(default_factory=list)


#: Aliases long enough to be matched as the start of a longer header, longest first (one
#: regular expression: a sheet's first rows hold hundreds of distinct cells to try).
_PREFIX_ALIASES = re.compile("|".join(re.escape(a) for a in sorted((a for a in _ALIAS_FIELD if len(a) >= 4), key=len, reverse=True)))


@lru_cache(maxsize=2**14)  # a folder repeats the same few headers on hundreds of sheets
def find_field(header: str) -> str | None:
    """The field a header names, or None.

    Examples
    --------
    >>> find_field("ชื่อ - สกุล"), find_field("งบประมาณ (บาท)"), find_field("โทร."), find_field("สี")
    ('name', 'budget', 'phone', None)
    """
    key = normalise_header(header)
    if key in _ALIAS_FIELD:
        return _ALIAS_FIELD[key]
    if key == normalise_header(FIRST_OR_WHOLE_NAME):
        return FIRST_OR_WHOLE_NAME
    # "ตำแหน่งในกองทุน", "เบอร์โทรศัพท์มือถือ": a known header and a qualifier after it.
    match = _PREFIX_ALIASES.match(key)
    return _ALIAS_FIELD[match.group()] if match else None


def map_columns(header: list, overrides: dict[str, str] | None = None) -> dict[int, str]:
    """position -> field for a header row; ``overrides`` (header key -> field) win.

    Examples
    --------
    >>> map_columns(["ลำดับ", "คำนำหน้า", "ชื่อ", "นามสกุล"])
    {0: 'seq', 1: 'honorific', 2: 'first_name', 3: 'last_name'}
    >>> map_columns(["ที่", "ชื่อ", "โทร"])
    {0: 'seq', 1: 'name', 2: 'phone'}
    """
    overrides = overrides or {}
    found = {}
    for position, cell in enumerate(header):
        if cell is None or not str(cell).strip():
            continue
        name = (overrides.get(normalise_header(cell)) if overrides else None) or find_field(str(cell))
        if name is not None and name not in found.values():
            found[position] = name
    has_surname = "last_name" in found.values()
    return {p: ("first_name" if has_surname else "name") if f == FIRST_OR_WHOLE_NAME else f for p, f in found.items()}


def find_header(rows: list[list], overrides: dict[str, str] | None = None) -> int | None:
    """Index of the header row: the first of the rows naming the most fields, searched until
    :data:`DATA_ROWS_AFTER_HEADER` rows in a row under it name fewer than two (data)."""
    best, best_index, n_data = MIN_HEADER_FIELDS - 1, None, 0
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        n_fields = len(map_columns(cells, overrides))
        if n_fields > best:
            best, best_index, n_data = n_fields, index, 0
        elif best_index is not None:
            n_data = n_data + 1 if n_fields < MIN_HEADER_FIELDS else 0
            if n_data == DATA_ROWS_AFTER_HEADER:
                break
    return best_index


def classify_sheet(fields: set[str], title: str) -> str:
    """The kind of sheet whose header names ``fields`` under ``title``.

    Examples
    --------
    >>> classify_sheet({"seq", "honorific", "first_name", "last_name", "role"}, "ทะเบียนคณะกรรมการ")
    'roster'
    >>> classify_sheet({"name", "org", "phone", "signature"}, "")
    'attendance sheet'
    >>> classify_sheet({"title", "lead_org", "budget"}, "")
    'project list'
    """
    has_person = bool(fields & {"name", "first_name", "last_name"})
    if "funder" in fields and "amount" in fields:
        return FUNDING
    if "title" in fields:
        return PROJECTS
    if has_person:
        # A committee's roster has a role column; a registration list a signature column.
        if "signature" in fields or (_ATTENDANCE_TITLE.search(title) and "role" not in fields):
            return ATTENDANCE
        return ROSTER
    if "org_name" in fields or ("org_id" in fields and "kind" in fields):
        return ORGANISATIONS
    return UNKNOWN


def read_layout(rows: list[list], overrides: dict[str, str] | None = None) -> SheetLayout:
    """Header, title, column fields and kind of one sheet (rows: cells as text, blanks dropped)."""
    index = find_header(rows, overrides)
    if index is None:
        return SheetLayout(UNKNOWN, None, title=[line_text(r) for r in rows[:3]])
    header = rows[index]
    columns = map_columns(header, overrides)
    title = [line_text(r) for r in rows[:index]]
    kind = classify_sheet(set(columns.values()), " ".join(title))
    headers = {p: str(c).strip() for p, c in enumerate(header) if c is not None and str(c).strip()}
    return SheetLayout(kind, index, columns, headers, title)


def line_text(cells: list) -> str:
    """The cells of a row as one line of text (a merged title row is one cell)."""
    return " ".join(str(c).strip() for c in cells if c is not None and str(c).strip())


def find_footer_reason(cells: list, columns: dict[int, str]) -> str | None:
    """Why a row under the header is a footer (a total, a signature, a blank numbered row),
    or None for a data row. ``cells`` are text, a blank cell None (as
    :func:`analysis.ingest.office.read_sheets` gives them).

    Examples
    --------
    >>> columns = {0: "seq", 1: "name", 2: "role"}
    >>> find_footer_reason(["13", None, None], columns), find_footer_reason(["รวม", None, "12 คน"], columns)
    ('blank numbered row', 'total row')
    >>> find_footer_reason([None, "ลงชื่อ..........ประธาน", None], columns)
    'signature line'
    >>> find_footer_reason(["1", "นายสมชาย ใจดี", "ประธาน"], columns) is None
    True
    """
    return find_footer_reasons([cells], columns)[0]


def find_footer_reasons(rows: list[list], columns: dict[int, str]) -> list[str | None]:
    """:func:`find_footer_reason` of every row of a sheet: the cells holding a hint of a total
    or a signature are found with one search of each column's text per hint, and a row's data
    cells are looked up together (a national sheet has thousands of rows)."""
    reasons: list[str | None] = [None] * len(rows)
    for index, positions in find_hinted_cells(rows).items():
        texts = [normalise_text(rows[index][p]) for p in positions]
        if any(t and _TOTAL.match(t) for t in texts):
            reasons[index] = "total row"
        elif any(t and _SIGNATURE.search(t) for t in texts):
            reasons[index] = "signature line"
    data_positions = [p for p, f in columns.items() if f not in _NOT_DATA]
    seq_positions = [p for p, f in columns.items() if f == "seq"]
    for index in find_rows_without_data(rows, data_positions):
        if reasons[index] is None:
            cells = rows[index]
            is_numbered = any(p < len(cells) and cells[p] is not None for p in seq_positions)
            reasons[index] = "blank numbered row" if is_numbered else "no value in a used column"
    return reasons


def find_rows_without_data(rows: list[list], positions: list[int]) -> list[int]:
    """Indexes of the rows with no value (None, or beyond a short row) at any of
    ``positions``. When every row reaches them, the cells are counted by ``map`` over the
    rows and only the rows without data are visited: a national sheet has thousands of rows.

    Examples
    --------
    >>> find_rows_without_data([["1", "ก"], ["2", None], ["3"]], [1]), find_rows_without_data([["1"]], [])
    ([1, 2], [0])
    """
    if not positions or not rows or min(map(len, rows)) <= max(positions):
        return [index for index, cells in enumerate(rows)
                if not any(p < len(cells) and cells[p] is not None for p in positions)]
    if len(positions) == 1:
        found, blank = list(map(itemgetter(positions[0]), rows)), None
    else:
        found, blank = list(map(tuple.count, map(itemgetter(*positions), rows), repeat(None))), len(positions)
    indexes, index = [], -1
    try:
        while True:
            index = found.index(blank, index + 1)
            indexes.append(index)
    except ValueError:
        return indexes


def find_hinted_cells(rows: list[list]) -> dict[int, list[int]]:
    """Row index -> positions, in order, of the cells whose text holds one of
    :data:`_FOOTER_HINTS` (``total`` in any case). A cell without a hint cannot be a total or
    a signature, so only these are normalised: common words hold a hint (รวม, ลง), and
    normalising every cell of the rows holding one cost more than reading them.

    Examples
    --------
    >>> find_hinted_cells([["1", "นาย ก"], [None, "รวม", "TOTAL"], ["ลงชื่อ"]])
    {1: [1, 2], 2: [0]}
    """
    text = "\0".join([cell or "" for cell in chain.from_iterable(rows)])  # one cell after another
    hits = []
    # "total" in any case: searched in the text case-folded, when folding keeps every cell's
    # length (it does but for a few letters, ß → ss: then each cell is searched on its own).
    folded = text.casefold()
    if len(folded) == len(text):
        at = folded.find("total")
        while at != -1:
            hits.append(at)
            at = folded.find("total", at + 1)
    else:
        hits += [m.start() for m in _TOTAL_HINT.finditer(text)]
    for hint in _FOOTER_HINTS:
        at = text.find(hint)
        while at != -1:
            hits.append(at)
            at = text.find(hint, at + 1)
    ends = list(accumulate(map(len, rows)))  # cells before the end of each row
    found: dict[int, set[int]] = {}
    cell = end = 0
    for at in sorted(hits):  # a hit's cell: the cells ended before it, counted once along the text
        cell += text.count("\0", end, at)
        end = at
        row = bisect_right(ends, cell)
        found.setdefault(row, set()).add(cell - (ends[row - 1] if row else 0))
    return {index: sorted(found[index]) for index in sorted(found)}
