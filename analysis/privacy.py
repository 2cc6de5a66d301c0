"""What ``--public`` output hides (Thailand's PDPA): phones, e-mails, record ids, private people.

A person is named in public output only when they hold a *public role* (see
:data:`PUBLIC_ROLES` and docs/privacy.md); everyone else is shown by a
label made from their person id, the same in every table and view of a run.

Contacts and national ids typed *inside* text (a name, a role, a note: "ประธาน โทร
081-234-5678") are hidden too: :func:`redact_text` replaces them in every text cell of
every public table and every text attribute of the public graph.

Nationally that is a million distinct texts in the tables and half a million in the
graph, so the search does the least it can: each distinct text of a column is searched
once (:func:`redact_column`); only a text with nine digits is searched for numbers
(:data:`NINE_DIGITS`, one pass), and each distinct run of digits once per process
(:func:`_find_numbers_in_run`: the periods of generated texts repeat in every text).
:func:`find_masked_columns` gives only the columns a table changes, so a process masking
tables for another sends back only those (:func:`analysis.pipeline.hide_personal_data`).
"""

import re
from functools import lru_cache

import pandas as pd

#: Tables not written at all in public mode: they exist to hold record ids and contacts.
PRIVATE_TABLES = ("persons", "match_review")

#: Columns that hold a person's name.
NAME_COLUMNS = ("person_name",)

HIDDEN = "(ซ่อน / hidden)"

#: Roles held in public, matched as substrings of the role as written (case-insensitive), so
#: ``ผอ.`` covers ผอ.รพ.สต. and ผอ.โรงเรียน, ``ประธาน`` รองประธาน, ``นายก`` นายก อบต.: titles whose
#: holder's name is on public notices and signboards already. Grouped as docs/privacy.md lists
#: them; the titles are those of the rosters offices keep (Local Administration Act 1914 for
#: village and tambon offices; Ministry of Public Health and Office of the Basic Education
#: Commission for heads of health centres and schools).
PUBLIC_ROLES = (
    # chairs and vice-chairs of committees, councils and funds
    "ประธาน", "chair", "president",
    # village and tambon heads and their officers
    "กำนัน", "ผู้ใหญ่บ้าน", "ผญบ.", "แพทย์ประจำตำบล", "kamnan", "village head",
    # elected local government: executives and council members
    "นายก", "ส.อบต.", "สมาชิกสภาองค์การบริหารส่วนตำบล", "สมาชิกสภาเทศบาล", "ส.ท.", "mayor",
    # heads of offices: directors (ผอ.รพ.สต., ผอ.โรงเรียน), health centres, schools
    "ผู้อำนวยการ", "ผอ.", "หัวหน้าสถานีอนามัย", "สาธารณสุขอำเภอ", "สาธารณสุขจังหวัด", "ครูใหญ่", "อาจารย์ใหญ่",
    "director", "headmaster", "head teacher", "principal",
    # district and province officials
    "ปลัด", "นายอำเภอ", "ผู้ว่าราชการ", "พัฒนาการอำเภอ", "พัฒนาการจังหวัด", "เกษตรอำเภอ", "ท้องถิ่นอำเภอ",
    "หัวหน้าส่วนราชการ", "district chief", "governor",
)

# --------------------------------------------------------------------------- contacts in text
#
# One recogniser of contacts, used by the reader (:func:`analysis.ingest.normalise.normalise_phone`
# reads the number in a phone cell with :func:`find_phone_numbers`) and by the public masker
# (:func:`redact_text` hides every contact :func:`find_contacts` finds in any text): a number
# the reader accepts as a phone is a number public output hides.

#: Digits as typed: ASCII or Thai (๐–๙, one code point each, so positions do not move).
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
#: What people type between the digit groups of one number: blanks (also no-break), a dot,
#: a hyphen or any Unicode dash (``081–234–5678`` with en dashes), brackets (``(02)``,
#: ``+66 (0)81``). At most three in a row, so that two numbers a phrase apart stay two.
#: The lookahead changes no match (a run starts with ``+``, ``(`` or a digit); it only lets
#: the search pass each other character with one test (a third less time on long texts).
DIGIT_RUN = re.compile(
    r"(?=[+(0-9๐-๙])(?<![A-Za-z0-9๐-๙])\+?\(?[0-9๐-๙]+(?:[\s.\-\u2010-\u2015()]{1,3}[0-9๐-๙]+)*"
)
DIGIT_GROUP = re.compile(r"[0-9๐-๙]+")
#: Nine digits anywhere in a text: the fewest a phone number typed in text has (a fixed line,
#: 0 + 8), and so the fewest a text must hold before it is searched for numbers. Matched
#: from the text's start, each stretch of other characters taken whole (``*+``): one pass,
#: where a search from every digit went over the rest of the text again (twice the time).
NINE_DIGITS = re.compile(r"(?:[^0-9๐-๙]*+[0-9๐-๙]){9}")
#: A Thai national id has 13 digits, the first 1–8 (Civil Registration Act 1991, grouped
#: 1-4-5-2-1 on the card, but typed in any grouping); the longest phone is 0066 + 0 + 9 digits = 14.
MAX_DIGITS = 14
#: The fewest: a fixed line whose 0 a spreadsheet dropped from a phone cell (8, ``lost_zero``).
MIN_DIGITS = 8
NATIONAL_ID_DIGITS = 13
#: Thailand's numbering plan (ITU-T E.164, NBTC): mobiles 0[689] + 8 digits, fixed lines 0[2-7] + 7.
MOBILE = re.compile(r"0[689]\d{8}")
LANDLINE = re.compile(r"0[2-7]\d{7}")
#: A person id (``P-`` and ten hex digits, :mod:`analysis.resolve.people`): the tool's own
#: pseudonym, shown in public output, never taken for a phone number even when its digits spell one.
PERSON_ID = re.compile(r"P-[0-9a-f]{10}(?![0-9a-f])")
#: An e-mail address: ``local@label.label…``; labels may be Thai (``สมชาย@ตัวอย่าง.ไทย``, an
#: internationalised domain, RFC 6531), so any character counts but blanks and the punctuation
#: that surrounds an address in text.
_NOT_IN_ADDRESS = "\\s@<>()\\[\\]{},;:\"'|"
EMAIL = re.compile(f"[^{_NOT_IN_ADDRESS}]+@(?:[^{_NOT_IN_ADDRESS}.]+\\.)+[^{_NOT_IN_ADDRESS}.]+")


def national_phone_digits(digits: str, has_plus: bool, lost_zero: bool = False) -> str:
    """Digits of a phone number in national form: country code 66 (``+66``, ``0066``) replaced
    by the trunk 0, also when the 0 is kept after it (``+66 (0)81…``).

    ``lost_zero``: also give back the 0 a spreadsheet drops from a number cell (``812345678``);
    only for a cell that is a phone number, never for digits inside text (an amount).

    Examples
    --------
    >>> national_phone_digits("66812345678", True), national_phone_digits("00660812345678", False)
    ('0812345678', '0812345678')
    """
    if digits.startswith("0066"):
        digits = digits[2:]
    # 66 + a national number without its 0 is 10 (landline) or 11 (mobile) digits, 11 or 12
    # when the 0 was kept; a 9-digit 66… is a 066 mobile that lost its 0 (below).
    if digits.startswith("66") and (has_plus or len(digits) in (10, 11, 12)):
        rest = digits[2:]
        digits = rest if rest.startswith("0") else "0" + rest
    if lost_zero and (len(digits) == 9 and digits[0] in "689" or len(digits) == 8 and digits[0] in "234567"):
        digits = "0" + digits
    return digits


def is_thai_phone(digits: str) -> bool:
    """True for a national-form Thai mobile or fixed-line number (:data:`MOBILE`, :data:`LANDLINE`)."""
    return bool(MOBILE.fullmatch(digits) or LANDLINE.fullmatch(digits))


def find_phone_numbers(text: str, lost_zero: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, national digits) of every phone number in ``text``, left to right.

    A number is a run of digit groups (:data:`DIGIT_RUN`) whose digits, or those of the
    longest stretch of its groups from the left, spell a Thai number.

    Examples
    --------
    >>> find_phone_numbers("โทร ๐๘-๑๒๓๔-๕๖๑๐ หรือ +66 (0)81 234 5606")
    [(4, 16, '0812345610'), (22, 40, '0812345606')]
    """
    return [(start, end, digits) for start, end, kind, digits in _find_numbers(text, lost_zero) if kind == "phone"]


def find_contacts(text: str) -> list[tuple[int, int]]:
    """(start, end) of every phone number, national id and e-mail address in ``text``,
    in order, not overlapping; person ids (:data:`PERSON_ID`) are never part of one.

    Examples
    --------
    >>> text = "ประธาน 0 2123 4615, id 1.2345.67890.10.5, สมชาย.a4@ตัวอย่าง.ไทย, P-0812345678"
    >>> [text[a:b] for a, b in find_contacts(text)]
    ['0 2123 4615', '1.2345.67890.10.5', 'สมชาย.a4@ตัวอย่าง.ไทย']
    """
    # The searches run only where they can find something: most texts have no @, and fewer
    # than nine digits (dates, codes, amounts, person ids).
    spans = [m.span() for m in EMAIL.finditer(text)] if "@" in text else []
    spans += [(start, end) for start, end, *_ in _find_numbers(text)] if NINE_DIGITS.match(text) else []
    if not spans:
        return []
    protected = [m.span() for m in PERSON_ID.finditer(text)] if "P-" in text else []
    spans = [s for s in spans if not any(a < s[1] and s[0] < b for a, b in protected)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _find_numbers(text: str, lost_zero: bool = False) -> list[tuple[int, int, str, str]]:
    """(start, end, ``phone`` or ``national_id``, digits) of the numbers in ``text``."""
    found = []
    for run in DIGIT_RUN.finditer(text):
        if run.end() - run.start() < MIN_DIGITS:  # a date, a year, an amount: too few digits
            continue
        offset = run.start()
        found += [(offset + start, offset + end, kind, digits)
                  for start, end, kind, digits in _find_numbers_in_run(run.group(), lost_zero)]
    return found


#: Digit runs whose numbers are remembered (:func:`_find_numbers_in_run`). The runs that
#: recur are few: the periods, dates and amounts of generated texts (31,018 distinct
#: project-relation details of the dense national sample hold 148,643 runs, 745 of them
#: distinct); a phone number, distinct, passes through. About 6 MB when full.
RUN_CACHE_SIZE = 2**14


@lru_cache(maxsize=RUN_CACHE_SIZE)
def _find_numbers_in_run(run: str, lost_zero: bool) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, kind, digits) of the numbers in one digit run, positions in the run.

    What a run holds depends on its text alone (a ``+`` before its digits is part of it),
    so each distinct run is searched once however many texts repeat it (a period such as
    ``2022-08..2023-03`` reads as one run of twelve digits).
    """
    groups = [(m.start(), m.end(), m.group().translate(THAI_DIGITS)) for m in DIGIT_GROUP.finditer(run)]
    if sum(len(group[2]) for group in groups) < MIN_DIGITS:
        return ()
    found = []
    first = 0
    while first < len(groups):
        hit = _longest_number(groups, first, first == 0 and run[0] == "+", lost_zero)
        if hit is None:
            first += 1
            continue
        last, kind, digits = hit
        start = 0 if first == 0 else groups[first][0]
        found.append((start, groups[last][1], kind, digits))
        first = last + 1
    return tuple(found)


def _longest_number(groups: list, first: int, has_plus: bool, lost_zero: bool):
    """(last group, kind, digits) of the longest number starting at group ``first``, or None."""
    candidates, digits = [], ""
    for last in range(first, len(groups)):
        digits += groups[last][2]
        if len(digits) > MAX_DIGITS:
            break
        candidates.append((last, digits))
    for last, digits in reversed(candidates):
        if len(digits) < MIN_DIGITS:
            break
        national = national_phone_digits(digits, has_plus, lost_zero and first == 0 and last == len(groups) - 1)
        if is_thai_phone(national):
            return last, "phone", national
        if len(digits) == NATIONAL_ID_DIGITS and digits[0] != "0" and not has_plus:
            return last, "national_id", digits
    return None


def public_name(person_id: str) -> str:
    """The label a person without a public role gets in public output.

    Examples
    --------
    >>> public_name("P-3f2a9c1d07")
    'บุคคล P-3f2a9c1d07'
    """
    return f"บุคคล {person_id}"


def redact_text(text: str) -> str:
    """``text`` with every national id, phone number and e-mail address inside it hidden.

    Examples
    --------
    >>> redact_text("ประธาน โทร 081-234-5678, a.b@x.co.th, บัตร 1-2345-67890-12-3, งบ 300000")
    'ประธาน โทร (ซ่อน / hidden), (ซ่อน / hidden), บัตร (ซ่อน / hidden), งบ 300000'
    """
    for start, end in reversed(find_contacts(text)):
        text = text[:start] + HIDDEN + text[end:]
    return text


def redact_column(values: pd.Series) -> pd.Series:
    """:func:`redact_text` on every text cell of a column; other cells as they are.

    Each distinct text is searched once (a column repeats its ids, kinds and names), and a
    column with nothing to hide comes back as it is.
    """
    hidden = {}
    for value in pd.unique(values.to_numpy(dtype=object)):  # not a pandas 3 text array: a Python call per cell
        if isinstance(value, str) and (redacted := redact_text(value)) != value:
            hidden[value] = redacted
    if not hidden:
        return values
    is_hidden = values.isin(hidden.keys())
    return values.mask(is_hidden, values.map(hidden))


def find_masked_columns(name: str, table: pd.DataFrame, public_person_ids: set[str]) -> dict[str, pd.Series]:
    """The columns of table ``name`` that ``--public`` output replaces, by column name; every
    other column is written as it is (:func:`replace_columns` puts them in).

    The names of people without a public role are replaced; the value of every quarantined
    cell is hidden (it may be a phone number or a name); every national id, phone number
    and e-mail address typed inside any text is hidden (:func:`redact_text`). Only columns
    that change come back, so a process that masks a table for another sends back only those
    (:func:`analysis.pipeline.hide_personal_data`).

    Examples
    --------
    >>> table = pd.DataFrame({"person_id": ["P-1"], "person_name": ["สมชาย"], "role": ["ประธาน"]})
    >>> {column: values.tolist() for column, values in find_masked_columns("hats", table, set()).items()}
    {'person_name': ['บุคคล P-1']}
    """
    table = table.copy(deep=False)  # columns are replaced below, never written into
    replaced = []
    if "person_id" in table.columns:
        for column in NAME_COLUMNS:
            if column in table.columns:
                is_private = ~table["person_id"].isin(public_person_ids)
                table[column] = table[column].mask(is_private, table["person_id"].map(public_name))
                replaced.append(column)
    if name == "quarantine" and "value" in table.columns:
        table["value"] = HIDDEN
        replaced.append("value")
    for column in table.columns:
        values = table[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            if (redacted := redact_column(values)) is not values:
                table[column] = redacted
                replaced.append(column)
    return {column: table[column] for column in dict.fromkeys(replaced)}


def replace_columns(table: pd.DataFrame, columns: dict[str, pd.Series]) -> pd.DataFrame:
    """``table`` with ``columns`` (column name → values, :func:`find_masked_columns`) in
    place of its own; ``table`` itself is not changed."""
    table = table.copy(deep=False)
    for column, values in columns.items():
        table[column] = values
    return table


def mask_tables(tables: dict[str, pd.DataFrame], public_person_ids: set[str]) -> dict[str, pd.DataFrame]:
    """The tables as ``--public`` writes them: without :data:`PRIVATE_TABLES`, each other
    table's columns masked (:func:`find_masked_columns`)."""
    return {name: replace_columns(table, find_masked_columns(name, table, public_person_ids))
            for name, table in tables.items() if name not in PRIVATE_TABLES}
