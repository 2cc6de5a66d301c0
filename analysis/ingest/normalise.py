"""Normalise cell values before anything compares them: Thai text, dates, amounts, contacts.

Pure functions of one value each. Text goes through PyThaiNLP's ``normalize`` (tone-mark
order, เเ → แ, ํา → ำ, repeated marks) and Unicode NFC; NFKC is never used because it
splits sara am (ำ) in two. Dates follow how Thai offices write them: day before month,
Buddhist Era (BE) years above 2400, Thai month names and Thai digits.

References
----------
.. [1] PyThaiNLP, ``pythainlp.util.normalize``, https://pythainlp.org/docs/5.0/api/util.html
.. [2] Unicode Standard Annex #15, Unicode Normalization Forms (NFC).
.. [3] ISO 8601-1:2019, calendar dates ``YYYY-MM-DD``.
.. [4] Royal Institute, Thai month names and their standard abbreviations (ม.ค. … ธ.ค.).
.. [5] ITU-T E.164 and NBTC numbering plan for Thailand: country code 66, trunk prefix 0,
   mobile numbers 0[689] + 8 digits, fixed lines 0[2-7] + 7 digits.
"""

import datetime
import math
import numbers
import re
import string
import unicodedata
from functools import lru_cache

import pandas as pd
from pythainlp import (thai_above_vowels, thai_below_vowels, thai_consonants, thai_follow_vowels, thai_lead_vowels,
                       thai_tonemarks)
from pythainlp.util import normalize as _thai_normalize

from analysis.privacy import find_phone_numbers, is_thai_phone, national_phone_digits

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff\u2060]")
# Python's \s covers no-break (U+00A0, U+202F), en/em/thin (U+2000-U+200A) and
# ideographic spaces, but not the zero-width characters removed above.
_BLANKS = re.compile(r"\s+")
# Where one of the rules of PyThaiNLP 5's ``normalize`` [1]_ can change a text that has no
# zero-width characters, no line breaks and no doubled or outer blanks: a blank before a
# mark or a mark at the start (remove_spaces_before_marks, remove_dangling); เ + เ, a tone
# mark or thanthakhat before an upper or lower vowel, nikhahit (+ tone) + sara aa, a
# following vowel before a tone mark, lakkhangyao after anything but ฤ/ฦ (reorder_vowels);
# a vowel or sign repeated, with blanks between or not, and two tone marks in a row
# (remove_repeat_vowels). A text with none of these comes out of ``normalize`` as it went
# in, so it skips the rules' some forty regular-expression passes: most names and titles
# do (tests/test_ingest_normalise.py checks the two ways agree).
_MARKS = f"{thai_above_vowels}{thai_below_vowels}{thai_tonemarks}\u0e3a\u0e4c\u0e4d\u0e4e"
_NO_REPEAT = f"{thai_follow_vowels}{thai_lead_vowels}{thai_above_vowels}{thai_below_vowels}\u0e3a\u0e4c\u0e4d\u0e4e"
_THAI_RULES_APPLY = re.compile(
    f"^[{_MARKS}]| [{_MARKS}]|\u0e40\u0e40|[{thai_tonemarks}\u0e4c][{thai_above_vowels}{thai_below_vowels}]"
    f"|\u0e4d[{thai_tonemarks}]*\u0e32|[{thai_follow_vowels}][{thai_tonemarks}]|[^\u0e24\u0e26]\u0e45"
    f"|([{_NO_REPEAT}]) *\\1|[{thai_tonemarks}]{{2}}"
)


def _is_missing(value) -> bool:
    """True for None, NaN, NaT, pd.NA and text that is only blanks."""
    if value is None:
        return True
    if isinstance(value, str):
        return _BLANKS.sub("", _ZERO_WIDTH.sub("", value)) == ""
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like values are not missing scalars
        return False


def normalise_text(value) -> str | None:
    """Put Thai (or any) text in one comparable form.

    Zero-width characters are removed, every kind of Unicode space becomes one plain
    space, PyThaiNLP fixes the typing variants of Thai [1]_ and NFC composes the rest [2]_.

    Parameters
    ----------
    value : str or anything; None, NaN and blank text count as missing.

    Returns
    -------
    str or None
        The normalised text, or None when the value is missing.

    Examples
    --------
    >>> normalise_text("  เเม่\u00a0 น\u0e49\u0e4d\u0e32\u200b ")
    'แม่ น้ำ'
    >>> normalise_text(" \u200b ") is None
    True
    """
    if isinstance(value, str):
        if value.isascii() and value == " ".join(value.split()):
            return value or None  # ids, codes, numbers: no Thai rule or invisible character, nothing to remember
        return _normalise_str(value)  # None for blank text, without checking it twice
    if _is_missing(value):
        return None
    return _normalise_str(str(value))


# Tables repeat the same texts (places, organisations, roles) on many rows, and PyThaiNLP's
# rules cost tens of microseconds a call: remember the last 2**16 distinct texts (~10 MB).
@lru_cache(maxsize=2**16)
def _normalise_str(text: str) -> str | None:
    if _is_normal(text):
        return text or None
    text = _clean_blanks(text)
    if _THAI_RULES_APPLY.search(text):
        text = _thai_normalize(text)
    return _compose(text)


def _is_normal(text: str) -> bool:
    """True for a text already in :func:`normalise_text`'s form, as most are: single blanks,
    nothing invisible, no Thai rule to apply, composed (NFC); four checks in C."""
    return (text == " ".join(text.split()) and not _ZERO_WIDTH.search(text) and not _THAI_RULES_APPLY.search(text)
            and unicodedata.is_normalized("NFC", text))


def _clean_blanks(text: str) -> str:
    # Stripped first: normalize would strip it before any rule that could tell the difference.
    return _BLANKS.sub(" ", _ZERO_WIDTH.sub("", text)).strip()


def _compose(text: str) -> str | None:
    text = _BLANKS.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return text or None


def normalise_texts(values) -> list:
    """``[normalise_text(value) for value in values]``, with PyThaiNLP's rules run over many
    texts at once (:func:`_thai_normalize_many`): a national roster has tens of thousands of
    names typed with a variant (sara am as nikhahit + sara aa, a doubled tone mark).

    Examples
    --------
    >>> normalise_texts(["R-001", " น\u0e49\u0e4d\u0e32 ", "นายส\u0e4d\u0e32ราญ", None, "สมชาย"])
    ['R-001', 'น้ำ', 'นายสำราญ', None, 'สมชาย']
    """
    results, waiting = [], []
    for value in values:
        if not isinstance(value, str) or (value.isascii() and value == " ".join(value.split())):
            results.append(normalise_text(value))
        elif _is_normal(value):
            results.append(value or None)
        elif _THAI_RULES_APPLY.search(text := _clean_blanks(value)):
            waiting.append((len(results), text))
            results.append(None)
        else:
            results.append(_compose(text))
    for (position, _), text in zip(waiting, _thai_normalize_many([text for _, text in waiting])):
        results[position] = _compose(text)
    return results


#: First letters of a text that PyThaiNLP's rules treat the same inside a longer text as at
#: its start: consonants and ASCII letters and digits. The rules that look at a text's start
#: (a dangling mark removed there; lakkhangyao made sara aa after a letter) look for a mark
#: or a vowel, and none of the rules takes a consonant away or moves a mark before it.
_JOINABLE_FIRST = frozenset(thai_consonants + string.ascii_letters + string.digits)


def _thai_normalize_many(texts: list[str]) -> list[str]:
    """``[_thai_normalize(text) for text in texts]`` for texts cleaned of blanks
    (:func:`_clean_blanks`: no line break, no outer or doubled blank, not empty).

    Those starting with a letter of :data:`_JOINABLE_FIRST` are normalised in one call,
    joined by line breaks: every rule of PyThaiNLP's ``normalize`` [1]_ works within a line
    (marks, vowels, blanks between them), and a single line break between two such texts
    stays as it is, so the result splits back into as many texts. About forty
    regular-expression passes over all of them instead of forty a text.
    """
    results = list(texts)
    joinable = [i for i, text in enumerate(texts) if text[0] in _JOINABLE_FIRST]
    if joinable:
        for i, text in zip(joinable, _thai_normalize("\n".join(texts[i] for i in joinable)).split("\n")):
            results[i] = text
    for i in sorted(set(range(len(texts))) - set(joinable)):
        results[i] = _thai_normalize(texts[i])
    return results


#: Characters no one sees: Unicode's format characters (category Cf: soft hyphen U+00AD,
#: direction marks U+200E/F, invisible operators U+2061–4, Mongolian vowel separator U+180E,
#: zero-width ones), variation selectors (U+FE00–FE0F, U+E0100–E01EF) and the combining
#: grapheme joiner U+034F (Unicode Standard 15, §23.2 and §23.4).
_INVISIBLE = re.compile("[\u034f\ufe00-\ufe0f\U000e0100-\U000e01ef"
                        + "".join(re.escape(chr(c)) for c in range(0x30000) if unicodedata.category(chr(c)) == "Cf")
                        + "]")


def remove_invisible(value: str | None) -> str | None:
    """``value`` without the characters no one sees (:data:`_INVISIBLE`), for ids: two ids
    that look the same are the same id.

    Examples
    --------
    >>> remove_invisible("R0\u00ad00\u200e001\ufe0f") == "R000001", remove_invisible(None)
    (True, None)
    """
    return _INVISIBLE.sub("", value) or None if isinstance(value, str) else value


def thai_digits_to_ascii(text: str) -> str:
    """Replace Thai digits (๐–๙) with ASCII digits (0–9).

    Examples
    --------
    >>> thai_digits_to_ascii("หมู่ ๑๒ โทร ๐๘๑")
    'หมู่ 12 โทร 081'
    """
    return text.translate(_THAI_DIGITS)


def _clean(value) -> str:
    """Normalised text with ASCII digits (callers have checked the value is not missing)."""
    return thai_digits_to_ascii(normalise_text(value))


# ---------------------------------------------------------------- dates

_MONTHS = {
    1: ("มกราคม", "มกรา", "มค"),
    2: ("กุมภาพันธ์", "กุมภา", "กพ"),
    3: ("มีนาคม", "มีนา", "มีค"),
    4: ("เมษายน", "เมษา", "เมย"),
    5: ("พฤษภาคม", "พฤษภา", "พค"),
    6: ("มิถุนายน", "มิถุนา", "มิย"),
    # กรกฏาคม (with ฏ) is a misspelling common enough in office documents to accept.
    7: ("กรกฎาคม", "กรกฏาคม", "กรกฎา", "กรกฏา", "กค"),
    8: ("สิงหาคม", "สิงหา", "สค"),
    9: ("กันยายน", "กันยา", "กย"),
    10: ("ตุลาคม", "ตุลา", "ตค"),
    11: ("พฤศจิกายน", "พฤศจิกา", "พย"),
    12: ("ธันวาคม", "ธันวา", "ธค"),
}
_MONTH_BY_NAME = {name: month for month, names in _MONTHS.items() for name in names}

#: Years from this value up are Buddhist Era: BE 2400 is CE 1857, earlier than any record
#: this tool reads, and CE 2400 is far in the future, so the two ranges cannot be confused.
BE_THRESHOLD = 2400
BE_OFFSET = 543

# Excel's serial day 1 is 1900-01-01 but it counts a 29 Feb 1900 that never existed, so
# serials from 61 (1900-03-01) up are days since 1899-12-30; smaller ones are refused.
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_EXCEL_FIRST_SAFE = 61
_EXCEL_LAST = 2958465  # 9999-12-31, the last day Excel can show

_TIME_SUFFIX = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME_SUFFIX)
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})" + _TIME_SUFFIX)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_ERA = r"(?:(พ\.?\s*ศ|ค\.?\s*ศ)\.?\s*)?"
_THAI_MONTH = re.compile(
    r"(?:วัน\S*?ที่\s*)?(\d{1,2})\s*([\u0e01-\u0e4e.\s]+?)\s*" + _ERA + r"(\d{4}|\d{2})"
)


def _to_ce_year(year: int, n_digits: int, era: str | None) -> int:
    """The CE year of a year as written: BE from 2400, two digits = BE 25xx."""
    is_be_era = era is not None and era.startswith("พ")
    is_ce_era = era is not None and era.startswith("ค")
    if n_digits == 2:
        if is_ce_era:
            raise ValueError("two-digit year marked ค.ศ.")
        year += 2500  # offices write 67 for BE 2567 (CE 2024)
    if year >= BE_THRESHOLD:
        if is_ce_era:
            raise ValueError(f"year {year} marked ค.ศ. but Buddhist Era")
        return year - BE_OFFSET
    if is_be_era:
        raise ValueError(f"year {year} marked พ.ศ. but below {BE_THRESHOLD}")
    return year


def _make_date(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"no such date: day {day}, month {month}") from None


def _date_from_excel_serial(serial: float) -> datetime.date:
    if not _EXCEL_FIRST_SAFE <= serial <= _EXCEL_LAST:
        raise ValueError(f"number {serial:g} is not an Excel date")
    return _EXCEL_EPOCH + datetime.timedelta(days=int(serial))


def _date_from_object(value: datetime.date) -> datetime.date:
    """A date cell; a BE year typed into Excel arrives as a year above 2400."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day.year >= BE_THRESHOLD:
        return _make_date(day.year - BE_OFFSET, day.month, day.day)
    return day


def _date_from_thai_month(match: re.Match) -> datetime.date:
    day, month_text, era, year_text = match.groups()
    month = _MONTH_BY_NAME.get(re.sub(r"[.\s]", "", month_text))
    if month is None:
        raise ValueError(f"unknown month {month_text.strip()!r}")
    year = _to_ce_year(int(year_text), len(year_text), era)
    return _make_date(year, month, int(day))


def _date_from_text(text: str) -> datetime.date:
    if m := _YMD.fullmatch(text):
        year, month, day = (int(g) for g in m.groups())
        return _make_date(_to_ce_year(year, 4, None), month, day)
    if m := _DMY.fullmatch(text):
        day, month, year_text = m.groups()
        if len(year_text) == 2:
            raise ValueError("two-digit year needs a Thai month name")
        return _make_date(_to_ce_year(int(year_text), 4, None), int(month), int(day))
    if m := _THAI_MONTH.fullmatch(text):
        return _date_from_thai_month(m)
    if _SERIAL.fullmatch(text):
        return _date_from_excel_serial(float(text))
    raise ValueError("unreadable date")


def parse_date(value) -> datetime.date | None:
    """Read a date written the way Thai offices write them.

    Accepted: ISO ``2024-10-01`` [3]_; BE or CE day/month/year ``01/10/2567``,
    ``1-10-2024``; BE ``2567-10-01``; Thai month names or abbreviations, with or without
    dots, an optional ``วันที่`` before and ``พ.ศ.``/``ค.ศ.`` before the year [4]_
    (``1 ต.ค. 2567``, ``1 ตค 67``, ``วันที่ 1 ตุลาคม พ.ศ. 2567``); Thai digits anywhere;
    Excel serial day numbers (as numbers or five-digit text); date, datetime and
    Timestamp objects from workbook cells. A time after the date is ignored.

    Rules: the day always comes before the month, as Thai offices write it (``03/04/2567``
    is 3 April, never 4 March). A year from 2400 up is BE (CE = BE - 543), never CE;
    a CE year is accepted only below 2400. Two-digit years are read only next to a Thai
    month name and mean BE 25xx (``67`` → 2567): with digits only, ``1/10/67`` could be
    1967, 2024 or 2067, so it is refused.

    Parameters
    ----------
    value : str, number, date, datetime, Timestamp, or a missing value.

    Returns
    -------
    datetime.date or None
        The CE date, or None when the value is missing.

    Raises
    ------
    ValueError
        With a short English reason when the value is not a readable date.

    Examples
    --------
    >>> parse_date("01/10/2567")
    datetime.date(2024, 10, 1)
    >>> parse_date("๑ ต.ค. ๖๗")
    datetime.date(2024, 10, 1)
    >>> parse_date(45566)
    datetime.date(2024, 10, 1)
    >>> parse_date("31/02/2567")
    Traceback (most recent call last):
    ...
    ValueError: no such date: day 31, month 2
    """
    if _is_missing(value):
        return None
    if isinstance(value, datetime.date):  # datetime and pandas Timestamp are dates too
        return _date_from_object(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return _date_from_excel_serial(float(value))
    return _date_from_text(_clean(value))


# ---------------------------------------------------------------- amounts

_MULTIPLIERS = {"ล้าน": 1e6, "แสน": 1e5, "หมื่น": 1e4, "พัน": 1e3}
_CURRENCY = re.compile(r"บาท|฿|thb|baht", re.IGNORECASE)
_NUMBER = re.compile(r"(-?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
_DASHES = "-–—"


def parse_amount(value) -> float | None:
    """Read an amount of money in baht.

    Accepted: digits with thousands commas (groups of three) and spaces, Thai digits,
    ``บาท``/``฿``/``THB`` before or after, the office style ``1,500.-``, and one
    multiplier word after the number (``1.5 ล้าน`` = 1,500,000; also แสน, หมื่น, พัน).
    A dash alone (``-``) means no amount, as in Thai spreadsheets, and gives None.

    Parameters
    ----------
    value : str, number or a missing value.

    Returns
    -------
    float or None
        The amount in baht, or None when the value is missing.

    Raises
    ------
    ValueError
        ``negative amount`` for a negative number; ``unreadable amount`` otherwise.

    Examples
    --------
    >>> parse_amount("1,500.- บาท")
    1500.0
    >>> parse_amount("๑.๕ ล้านบาท")
    1500000.0
    >>> parse_amount("-200")
    Traceback (most recent call last):
    ...
    ValueError: negative amount
    """
    if _is_missing(value):
        return None
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return _check_amount(float(value))
    text = _CURRENCY.sub("", _clean(value)).strip()
    if text and all(ch in _DASHES for ch in text):
        return None
    text = re.sub(r"\.-$", "", text.replace(" ", ""))
    multiplier = 1.0
    for word, factor in _MULTIPLIERS.items():
        if text.endswith(word):
            text, multiplier = text[: -len(word)], factor
            break
    if text.startswith("(") and text.endswith(")"):  # accounting style for a negative
        raise ValueError("negative amount")
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise ValueError("unreadable amount")
    sign, whole, fraction = match.groups()
    amount = float(whole.replace(",", "") + (fraction or "")) * multiplier
    return _check_amount(-amount if sign else amount)


#: The largest amount read, in baht: a thousand times Thailand's whole national budget
#: (3.75 trillion baht, fiscal year 2025). A larger one is a typing or file error, and with
#: this cap a billion rows sum to at most 1e24, so no total overflows (float max 1.8e308).
MAX_AMOUNT = 1e15


def _check_amount(amount: float) -> float | None:
    if math.isnan(amount):
        return None
    if math.isinf(amount):
        raise ValueError("unreadable amount")
    if amount < 0:
        raise ValueError("negative amount")
    if amount > MAX_AMOUNT:
        raise ValueError("amount too large")
    return amount


# ---------------------------------------------------------------- phones and e-mails

# "x12" is an extension, but the x of "Fax 02…" is not.
_EXTENSION = re.compile(r"(?:ต่อ|ext\.?|extension|(?<![a-z])x|#)\s*\d+", re.IGNORECASE)
_SEPARATORS = re.compile(r"[,;/|\n]|\s(?:หรือ|or)\s", re.IGNORECASE)


#: A phone cell as most are typed: digits, blanks and hyphens, perhaps a leading +. Its digits
#: are read straight away; any other cell goes through the pieces below (same number either way).
_PLAIN_PHONE = re.compile(r"\+?[0-9][0-9 \-]*")


def _phone_from_piece(piece: str) -> str | None:
    """The number in one piece of a cell, or None: all its digits when they spell a number,
    else the first number the contact recogniser finds in it (a piece holding two numbers
    with only a space between them), the one public output hides (:mod:`analysis.privacy`)."""
    piece = _EXTENSION.sub("", piece)
    digits = national_phone_digits(re.sub(r"\D", "", piece), "+" in piece, lost_zero=True)
    if is_thai_phone(digits):
        return digits
    found = find_phone_numbers(piece, lost_zero=True)
    return found[0][2] if found else None


def normalise_phone(value) -> str | None:
    """Put a Thai phone number in national form, digits only.

    Accepted: ``081-234-5678``, ``081 234 5678``, ``+66 81 234 5678``, ``66812345678``,
    ``(02) 123 4567``, Thai digits, words such as ``โทร.`` around it, an extension
    (``ต่อ 12``, ``ext. 12``) which is dropped, and numbers whose leading 0 a spreadsheet
    removed (``812345678``). A mobile number is 10 digits starting 06, 08 or 09; a fixed
    line 9 digits starting 02–07 [5]_.

    When a cell holds several numbers (``081-111-2222, 089-333-4444``) the first is kept:
    the contract has one phone per record, and the first is the one written as primary.

    Parameters
    ----------
    value : str, int or a missing value.

    Returns
    -------
    str or None
        The number such as ``'0812345678'``, or None when the value is missing.

    Raises
    ------
    ValueError
        ``not a Thai phone number`` when no valid number can be read.

    Examples
    --------
    >>> normalise_phone("โทร. +66 81 234 5678")
    '0812345678'
    >>> normalise_phone("(02) 123 4567 ต่อ 12, 089-333-4444")
    '021234567'
    """
    if _is_missing(value):
        return None
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if float(value) != int(value):
            raise ValueError("not a Thai phone number")
        value = str(int(value))
    if isinstance(value, str) and _PLAIN_PHONE.fullmatch(value):
        digits = national_phone_digits(value.replace(" ", "").replace("-", "").removeprefix("+"),
                                       value.startswith("+"), lost_zero=True)
        if is_thai_phone(digits):
            return digits
    pieces = [p for p in _SEPARATORS.split(_clean(value)) if re.search(r"\d", p)]
    phone = _phone_from_piece(pieces[0]) if pieces else None
    if phone is None:
        raise ValueError("not a Thai phone number")
    return phone


_EMAIL = re.compile(r"[^@\s]+@(?:[^@\s.]+\.)+[^@\s.]+")


def normalise_email(value) -> str | None:
    """Strip and lower-case an e-mail address after a basic shape check.

    The shape is ``local@domain`` with exactly one ``@``, no blanks, and a domain of at
    least two dot-separated labels (RFC 5321 allows more, but not on a roster).

    Parameters
    ----------
    value : str or a missing value.

    Returns
    -------
    str or None
        The address in lower case, or None when the value is missing.

    Raises
    ------
    ValueError
        ``not an e-mail address`` when the shape is wrong.

    Examples
    --------
    >>> normalise_email("  Somchai.J@Example.CO.TH ")
    'somchai.j@example.co.th'
    """
    if _is_missing(value):
        return None
    text = normalise_text(value).lower().removeprefix("mailto:")
    if not _EMAIL.fullmatch(text):
        raise ValueError("not an e-mail address")
    return text


# ---------------------------------------------------------------- national ID numbers

_NATIONAL_ID_SHAPE = re.compile(r"\d[\d\s\-]*\d")


def normalise_national_id(value) -> str | None:
    """A Thai national ID number (เลขประจำตัวประชาชน) as 13 digits, when its check digit holds.

    The 13th digit is the check digit of the first twelve: the sum of digit *i* times
    (14 − *i*) for *i* = 1…12, taken modulo 11, subtracted from 11, modulo 10 (Department
    of Provincial Administration's numbering rule, as published with the ID card format [6]_).
    Accepted: 13 digits in any grouping (``3-2706-00234-56-2``, blanks), Thai digits, and a
    whole number typed into a numeric cell. Anything else — an Excel-mangled ``3.27060E+12``,
    which has lost its last digits, or a number whose check digit fails — is no evidence.

    Returns
    -------
    str or None
        The 13 digits, or None when the value is missing.

    Raises
    ------
    ValueError
        ``not a national ID`` (wrong shape, mangled) or ``check digit does not match``.

    References
    ----------
    .. [6] กรมการปกครอง, เลขประจำตัวประชาชน 13 หลัก: หลักที่ 13 คือเลขตรวจสอบ (mod 11).

    Examples
    --------
    >>> normalise_national_id("3-2706-00234-56-1")
    '3270600234561'
    >>> normalise_national_id(3270600234561)
    '3270600234561'
    >>> normalise_national_id("3.27060E+12")
    Traceback (most recent call last):
    ...
    ValueError: not a national ID
    >>> normalise_national_id("3-2706-00234-56-2")  # 3·13 + 2·12 + … + 6·2 = 264 ≡ 0 (mod 11): check digit 1
    Traceback (most recent call last):
    ...
    ValueError: check digit does not match
    """
    if _is_missing(value):
        return None
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if float(value) != int(value):
            raise ValueError("not a national ID")
        value = str(int(value))
    text = _clean(value)
    if not _NATIONAL_ID_SHAPE.fullmatch(text):
        raise ValueError("not a national ID")
    digits = re.sub(r"\D", "", text)
    if len(digits) != 13:
        raise ValueError("not a national ID")
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    if (11 - total % 11) % 10 != int(digits[12]):
        raise ValueError("check digit does not match")
    return digits
