"""Cells that hold several things, split the way Thai office sheets write them.

Pure functions of one cell each, used by :mod:`analysis.ingest.office`: a name in parts or
with a phone after it, an address, a period, an area. They return text in the contract's
terms (names, place names, ISO dates); :mod:`analysis.ingest.validate` then checks it like
any other cell, so a part that cannot be read is listed in the quarantine, never guessed.

Address and area words are the abbreviations of the Royal Institute's list of
administrative units (บ้านเลขที่, ม./หมู่ที่, ต./ตำบล, อ./อำเภอ, จ./จังหวัด; แขวง/เขต in
Bangkok). Thailand's fiscal year runs from 1 October to 30 September and is named by the
Buddhist Era year it ends in (Budget Procedures Act B.E. 2561, section 4): ปีงบประมาณ 2567
is 1 October 2023 – 30 September 2024.
"""

import calendar
import datetime
import re
from functools import lru_cache

from analysis.ingest.normalise import BE_OFFSET, BE_THRESHOLD, _MONTH_BY_NAME, normalise_text, parse_date, thai_digits_to_ascii

# ---------------------------------------------------------------- names and phones

#: A phone number after a name: ``081-2345678``, ``08 1234 5678``, ``โทร. 02 123 4567``.
_DIGIT = re.compile(r"\d")  # Thai digits too
_TRAILING_PHONE = re.compile(r"\s*(?:โทร\.?|tel\.?|มือถือ|เบอร์)?\s*[:.]?\s*(\+?\d[\d\s\-().]{6,}\d)\s*$", re.IGNORECASE)


def join_name(honorific: str | None, first: str | None, last: str | None) -> str | None:
    """One name from คำนำหน้า + ชื่อ + นามสกุล, written as Thai lists write it whole: the
    honorific joined to the first name, a blank before the surname.

    Examples
    --------
    >>> join_name("นาย", "สมชาย", "ใจดี"), join_name("น.ส.", "สมหญิง", None), join_name(None, None, None)
    ('นายสมชาย ใจดี', 'น.ส.สมหญิง', None)
    """
    head = "".join(part.strip() for part in (honorific, first) if part)
    text = " ".join(part for part in (head, (last or "").strip()) if part)
    return text or None


def split_name_phone(text: str | None) -> tuple[str | None, str | None]:
    """A name cell with a phone number after it, as two values.

    Examples
    --------
    >>> split_name_phone("นายสมชาย ใจดี 081-2345678")
    ('นายสมชาย ใจดี', '081-2345678')
    >>> split_name_phone("นางสาวสมศรี มีสุข โทร. 089 123 4567")
    ('นางสาวสมศรี มีสุข', '089 123 4567')
    >>> split_name_phone("นายสมชาย ใจดี")
    ('นายสมชาย ใจดี', None)
    """
    if not text:
        return None, None
    if _DIGIT.search(text) is None:  # most name cells: no phone, and no search from every position
        return text.strip() or None, None
    match = _TRAILING_PHONE.search(thai_digits_to_ascii(text))
    if match is None or sum(ch.isdigit() for ch in match.group(1)) < 8:
        return text.strip() or None, None
    return text[: match.start()].strip() or None, match.group(1).strip()


# ---------------------------------------------------------------- addresses and areas

_WORD = r"([^\s,()]+)"
_HOUSE = re.compile(r"^\s*(?:บ้านเลขที่|เลขที่)?\s*(\d+(?:/\d+)?)(?=\s|$)")
_MOO = re.compile(r"(?:หมู่ที่|หมู่|ม\.)\s*(\d+)")
# ต./อ./จ. right after a letter end an abbreviation (รพ.สต., สปอ.), not a place word.
_NOT_AFTER_LETTER = r"(?<![\u0e01-\u0e4e])"
_TAMBON = re.compile(r"(?:ตำบล|แขวง|" + _NOT_AFTER_LETTER + r"ต\.)\s*" + _WORD)
_DISTRICT = re.compile(r"(?:อำเภอ|เขต|" + _NOT_AFTER_LETTER + r"อ\.)\s*" + _WORD)
_PROVINCE = re.compile(r"(?:จังหวัด|" + _NOT_AFTER_LETTER + r"จ\.)\s*" + _WORD)
#: Words saying an area is a whole district: อ.X (ทุกตำบล), ทั้งอำเภอ.
_WHOLE_DISTRICT = re.compile(r"ทุกตำบล|ทั้งอำเภอ|ทุกหมู่บ้าน")


def parse_address(text: str | None) -> dict[str, str | None]:
    """An address cell as house number, หมู่, tambon, district and province.

    Examples
    --------
    >>> parse_address("12 ม.1 ต.คลองหินปูน อ.วังน้ำเย็น จ.สระแก้ว")
    {'house_no': '12', 'moo': '1', 'tambon': 'คลองหินปูน', 'district': 'วังน้ำเย็น', 'province': 'สระแก้ว'}
    >>> parse_address("บ้านเลขที่ 5/2 หมู่ที่ 3 ตำบลท่าเกวียน")["tambon"]
    'ท่าเกวียน'
    """
    text = thai_digits_to_ascii(normalise_text(text) or "")
    found = {}
    for key, pattern in (("house_no", _HOUSE), ("moo", _MOO), ("tambon", _TAMBON),
                         ("district", _DISTRICT), ("province", _PROVINCE)):
        match = pattern.search(text)
        found[key] = match.group(1) if match else None
    return found


def parse_area(text: str | None) -> dict[str, str | None]:
    """Where a project works, from an area cell: tambon, district and province.

    ``อ.X (ทุกตำบล)`` is the district; several tambons are their district (the contract has
    one place a project, and the district contains them all: :func:`find_tambons` gives them,
    and the reader keeps them beside it and says so in the import report); one tambon is that
    tambon.

    Examples
    --------
    >>> parse_area("ต.คลองหินปูน อ.วังน้ำเย็น")
    {'tambon': 'คลองหินปูน', 'district': 'วังน้ำเย็น', 'province': None}
    >>> parse_area("อ.วังน้ำเย็น (ทุกตำบล)")
    {'tambon': None, 'district': 'วังน้ำเย็น', 'province': None}
    >>> parse_area("ต.ทุ่งมหาเจริญ, ต.ตาหลังใน อ.วังน้ำเย็น จ.สระแก้ว")["tambon"] is None
    True
    """
    text = thai_digits_to_ascii(normalise_text(text) or "")
    tambons = _TAMBON.findall(text)
    district, province = _DISTRICT.search(text), _PROVINCE.search(text)
    is_whole = bool(_WHOLE_DISTRICT.search(text)) or len(set(tambons)) != 1
    return {"tambon": None if is_whole else tambons[0],
            "district": district.group(1) if district else None,
            "province": province.group(1) if province else None}


def find_tambons(text: str | None) -> list[str]:
    """The distinct tambons an area cell names, in order (none when it says the whole district).

    Examples
    --------
    >>> find_tambons("ต.คลองหินปูน, ต.ทุ่งมหาเจริญ อ.วังน้ำเย็น"), find_tambons("อ.วังน้ำเย็น (ทุกตำบล)")
    (['คลองหินปูน', 'ทุ่งมหาเจริญ'], [])
    """
    text = thai_digits_to_ascii(normalise_text(text) or "")
    return [] if _WHOLE_DISTRICT.search(text) else list(dict.fromkeys(_TAMBON.findall(text)))


# ---------------------------------------------------------------- periods

_FISCAL_YEAR = re.compile(r"^(?:ปีงบประมาณ|ปีงบ\.?|ปี\s*งบ\s*ประมาณ)\s*(?:พ\.\s*ศ\.)?\s*(\d{4}|\d{2})$")
_RANGE = re.compile(r"\s*(?:ถึง|[-–—])\s*")
_MONTH_YEAR = re.compile(r"^([\u0e01-\u0e4e.\s]+?)\s*(?:พ\.\s*ศ\.)?\s*(\d{4}|\d{2})?$")


def to_ce_year(year_text: str) -> int:
    """A year as written (two-digit BE, four-digit BE or CE) in CE.

    Examples
    --------
    >>> to_ce_year("67"), to_ce_year("2567"), to_ce_year("2024")
    (2024, 2024, 2024)
    """
    year = int(year_text) + (2500 if len(year_text) == 2 else 0)
    return year - BE_OFFSET if year >= BE_THRESHOLD else year


def parse_fiscal_year(text: str) -> tuple[datetime.date, datetime.date] | None:
    """``ปีงบประมาณ 2567`` → 1 Oct 2023 – 30 Sep 2024 (None when it is not a fiscal year).

    Examples
    --------
    >>> parse_fiscal_year("ปีงบประมาณ 2567")
    (datetime.date(2023, 10, 1), datetime.date(2024, 9, 30))
    """
    match = _FISCAL_YEAR.match(text)
    if match is None:
        return None
    end_year = to_ce_year(match.group(1))
    return datetime.date(end_year - 1, 10, 1), datetime.date(end_year, 9, 30)


def parse_month(text: str) -> tuple[int, int | None] | None:
    """(month, CE year or None) of ``ก.ย. 67``, ``กันยายน``; None when it is not a month."""
    match = _MONTH_YEAR.match(text.strip())
    if match is None:
        return None
    month = _MONTH_BY_NAME.get(re.sub(r"[.\s]", "", match.group(1)))
    if month is None:
        return None
    return month, to_ce_year(match.group(2)) if match.group(2) else None


@lru_cache(maxsize=2**16)  # a project list repeats a few periods (fiscal years) on many lines
def parse_period(text: str | None) -> tuple[str | None, str | None]:
    """A period cell as start and end dates (ISO text).

    Accepted: a fiscal year (``ปีงบประมาณ 2567``); two dates joined by ``-`` or ``ถึง``
    (``1 ต.ค. 66 - 30 ก.ย. 67``); two months (``ม.ค. - ก.ย. 2567``: the first day of the
    first, the last day of the second; a month without a year takes the year at the end,
    the year before when its month comes later); one date (the start).

    Raises
    ------
    ValueError
        ``unreadable period`` when none of these fits.

    Examples
    --------
    >>> parse_period("1 ต.ค. 66 - 30 ก.ย. 67")
    ('2023-10-01', '2024-09-30')
    >>> parse_period("ม.ค. - ก.ย. 2567")
    ('2024-01-01', '2024-09-30')
    >>> parse_period("พ.ย. - มี.ค. 2568")
    ('2024-11-01', '2025-03-31')
    >>> parse_period("ปีงบประมาณ 2567")
    ('2023-10-01', '2024-09-30')
    """
    text = thai_digits_to_ascii(normalise_text(text) or "")
    if not text:
        return None, None
    if fiscal := parse_fiscal_year(text):
        return fiscal[0].isoformat(), fiscal[1].isoformat()
    single = _parse_day(text)
    if single is not None:
        return single.isoformat(), None
    for match in _RANGE.finditer(text):
        head, tail = text[: match.start()], text[match.end():]
        span = _parse_span(head, tail)
        if span is not None:
            return span[0].isoformat(), span[1].isoformat()
    raise ValueError("unreadable period")


@lru_cache(maxsize=2**16)  # the days of a project list's periods repeat (the starts and ends of fiscal years)
def _parse_day(text: str) -> datetime.date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _parse_span(head: str, tail: str) -> tuple[datetime.date, datetime.date] | None:
    """Start and end from the two sides of a range, days or months."""
    start, end = _parse_day(head), _parse_day(tail)
    if start and end:
        return start, end
    end_month = parse_month(tail)
    if end is None and end_month and end_month[1]:
        month, year = end_month
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    if end is None:
        return None
    if start is None:
        start_month = parse_month(head)
        if start_month is None:
            return None
        month, year = start_month
        year = year or (end.year if month <= end.month else end.year - 1)
        start = datetime.date(year, month, 1)
    return start, end
