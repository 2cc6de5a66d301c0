"""Tests for analysis/ingest/normalise.py.

Every expected value is written by hand: dates converted with CE = BE - 543 and the Thai
month list (ตุลาคม = 10); Excel serial 45566 = 2024-10-01 (days since 1899-12-30, as
Excel shows it); phone numbers in the national form of the NBTC numbering plan.
"""

import datetime
import re
import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pythainlp.util import normalize as thai_normalize

from analysis.ingest.normalise import (
    normalise_email,
    normalise_phone,
    normalise_text,
    normalise_texts,
    parse_amount,
    parse_date,
    thai_digits_to_ascii,
)

OCT_1_2024 = datetime.date(2024, 10, 1)
MISSING = [None, "", "   ", "\u200b", "\u00a0", float("nan"), pd.NA, pd.NaT, np.nan]


# ---------------------------------------------------------------- text

@pytest.mark.parametrize(
    "written, expected",
    [
        # sara am: nikhahit + sara aa (two code points) and the single ำ (U+0E33)
        ("น\u0e4d\u0e32", "น\u0e33"),
        ("น\u0e49\u0e4d\u0e32", "น\u0e49\u0e33"),  # น้ำ typed as nikhahit, tone, sara aa
        ("น\u0e4d\u0e49\u0e32", "น\u0e49\u0e33"),  # ... or tone after the nikhahit
        ("ทำ", "ทำ"),
        # two sara e typed for sara ae
        ("\u0e40\u0e40ม่", "แม่"),
        # duplicated tone mark
        ("ก\u0e48\u0e48า", "ก\u0e48า"),
        # tone mark typed before the upper vowel: ที่ stored as ท + ่ + ี
        ("ท\u0e48\u0e35", "ท\u0e35\u0e48"),
        # zero-width characters
        ("สม\u200bชาย", "สมชาย"),
        ("สม\u200cชาย\u200d", "สมชาย"),
        ("\ufeffสมชาย", "สมชาย"),
        ("สม\u2060ชาย", "สมชาย"),
        # no-break and other Unicode spaces
        ("นาย\u00a0สมชาย", "นาย สมชาย"),
        ("นาย\u202fสมชาย", "นาย สมชาย"),
        ("นาย\u3000สมชาย", "นาย สมชาย"),
        ("นาย\u2003สมชาย", "นาย สมชาย"),
        # stray blanks
        ("  นาย   สมชาย \t\n", "นาย สมชาย"),
        # NFC composes Latin accents
        ("Cafe\u0301", "Caf\u00e9"),
        # not text
        (12, "12"),
    ],
)
def test_normalise_text(written, expected):
    assert normalise_text(written) == expected


def test_normalise_text_keeps_sara_am_one_character():
    # NFKC would split U+0E33 into U+0E4D U+0E32 (FIELD_NOTES).
    assert normalise_text("กำนัน") == "\u0e01\u0e33\u0e19\u0e31\u0e19"


def test_both_spellings_compare_equal():
    assert normalise_text("ผู้นำ  ชุมชน") == normalise_text("ผู้น\u0e4d\u0e32\u00a0ชุมชน\u200b")


@pytest.mark.parametrize("value", MISSING)
def test_missing_values_give_none(value):
    assert normalise_text(value) is None
    assert parse_date(value) is None
    assert parse_amount(value) is None
    assert normalise_phone(value) is None
    assert normalise_email(value) is None


def normalise_text_with_every_rule(text: str) -> str | None:
    """normalise_text as it was before PyThaiNLP's rules were skipped for texts they leave
    alone: the rules run on every text holding Thai."""
    text = re.sub(r"\s+", " ", re.sub("[\u200b\u200c\u200d\ufeff\u2060]", "", text))
    if re.search("[\u0e00-\u0e7f]", text):
        text = thai_normalize(text)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip() or None


#: Thai letters, vowels, marks and digits, blanks and a few others, and the pieces the
#: rules look for (doubled vowels and tone marks, marks after blanks, เ + เ, ํ + า, ๅ).
THAI_PIECES = st.sampled_from([*map(chr, range(0x0E01, 0x0E5C)), " ", "  ", "\u00a0", "\u200b", "\n", "a", "1",
                               "เเ", "\u0e4d\u0e32", "\u0e4d\u0e48\u0e32", "\u0e48\u0e48", "\u0e48\u0e35",
                               "\u0e32\u0e48", "า า", " \u0e38", "ฤๅ", "กๅ", "ีี", "\u0e4c\u0e34"])


@given(st.lists(THAI_PIECES, max_size=12).map("".join) | st.text())
def test_skipping_the_thai_rules_changes_no_text(text):
    assert normalise_text(text) == normalise_text_with_every_rule(text)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_an_ascii_text_comes_out_as_the_thai_rules_would_give_it(text):
    # ASCII texts already in normal form are returned without the rules or the cache.
    assert normalise_text(text) == normalise_text_with_every_rule(text)


@given(st.lists(st.lists(THAI_PIECES, max_size=12).map("".join) | st.text() | st.none(), max_size=8))
def test_texts_normalised_together_come_out_as_one_by_one(texts):
    # Texts starting with a mark, a vowel or ๅ, and texts ending in one before the next.
    assert normalise_texts(texts) == [normalise_text(text) for text in texts]


@pytest.mark.parametrize("texts", [
    ["\u0e48กา\u0e48", "ก\u0e4d\u0e32", "ๅก", "กๅ", "\u0e32\u0e48ก", "ก\u0e48\u0e48", "ก \u0e38"],
    ["ก\u0e48", "\u0e35ก", "กเเ", "ก\u0e4d\u0e32 \u0e38"],  # a mark ending one text, a vowel starting the next
])
def test_texts_that_start_with_a_mark_or_a_vowel_keep_their_own_rules(texts):
    # Each one's expected form is PyThaiNLP's on it alone (a dangling mark at the start goes).
    assert normalise_texts(texts) == [normalise_text(text) for text in texts]


def test_thai_digits_to_ascii():
    assert thai_digits_to_ascii("๐๑๒๓๔๕๖๗๘๙") == "0123456789"
    assert thai_digits_to_ascii("ม. ๓ ต.ค. 2567") == "ม. 3 ต.ค. 2567"


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize(
    "written",
    [
        "2024-10-01",  # ISO
        "01/10/2567",  # BE d/m/Y
        "1/10/2567",
        "2567-10-01",  # BE Y-m-d
        "2567/10/01",
        "01-10-2567",
        "01/10/2024",  # CE d/m/Y (year below 2400)
        "1.10.2024",
        "1 ต.ค. 2567",  # abbreviated Thai month
        "1 ต.ค.2567",
        "1 ตค 2567",  # without dots
        "1 ต. ค. 2567",
        "1 ต.ค. 67",  # two-digit BE year with a Thai month
        "1ต.ค.67",
        "1 ตุลาคม 2567",  # full Thai month
        "1 ตุลา 2567",  # colloquial short form
        "1 ตุลาคม พ.ศ. 2567",  # era before the year
        "1 ตุลาคม พ.ศ.2567",
        "1 ต.ค. พศ 2567",
        "1 ตุลาคม ค.ศ. 2024",
        "วันที่ 1 ตุลาคม พ.ศ. 2567",
        "วันอังคารที่ 1 ตุลาคม 2567",
        "๑ ตุลาคม ๒๕๖๗",  # Thai digits
        "๐๑/๑๐/๒๕๖๗",
        "๑ ต.ค. ๖๗",
        " 1\u00a0ต.ค.\u200b 2567 ",  # no-break and zero-width spaces
        "2024-10-01 00:00:00",  # a datetime cell written as text
        "2024-10-01T08:30:00",
        "45566",  # Excel serial as text
        "45566.0",
        45566,  # Excel serial as a number
        45566.75,
        datetime.date(2024, 10, 1),
        datetime.datetime(2024, 10, 1, 9, 0),
        datetime.date(2567, 10, 1),  # BE year typed into an Excel date cell
        pd.Timestamp("2024-10-01"),
        np.datetime64("2024-10-01"),
    ],
)
def test_parse_date_forms(written):
    assert parse_date(written) == OCT_1_2024


@pytest.mark.parametrize(
    "month, abbreviation, full",
    [
        (1, "ม.ค.", "มกราคม"), (2, "ก.พ.", "กุมภาพันธ์"), (3, "มี.ค.", "มีนาคม"),
        (4, "เม.ย.", "เมษายน"), (5, "พ.ค.", "พฤษภาคม"), (6, "มิ.ย.", "มิถุนายน"),
        (7, "ก.ค.", "กรกฎาคม"), (8, "ส.ค.", "สิงหาคม"), (9, "ก.ย.", "กันยายน"),
        (10, "ต.ค.", "ตุลาคม"), (11, "พ.ย.", "พฤศจิกายน"), (12, "ธ.ค.", "ธันวาคม"),
    ],
)
def test_every_thai_month(month, abbreviation, full):
    expected = datetime.date(2024, month, 15)
    assert parse_date(f"15 {abbreviation} 2567") == expected
    assert parse_date(f"15 {abbreviation.replace('.', '')} 67") == expected
    assert parse_date(f"15 {full} 2567") == expected


def test_day_always_comes_before_month():
    # Thai offices write d/m: 03/04 is 3 April, never 4 March.
    assert parse_date("03/04/2567") == datetime.date(2024, 4, 3)
    assert parse_date("03/04/2024") == datetime.date(2024, 4, 3)
    with pytest.raises(ValueError, match="month 13"):
        parse_date("10/13/2024")  # an m/d date is refused, not swapped


def test_be_year_converted_before_the_calendar_check():
    # BE 2567 = CE 2024, a leap year; BE 2566 = CE 2023 is not.
    assert parse_date("29/02/2567") == datetime.date(2024, 2, 29)
    with pytest.raises(ValueError, match="no such date"):
        parse_date("29/02/2566")


@pytest.mark.parametrize(
    "written, reason",
    [
        ("31/02/2567", "no such date: day 31, month 2"),
        ("1/10/67", "two-digit year needs a Thai month name"),
        ("1 Foo 2567", "unreadable date"),
        ("1 ตุลาคม", "unreadable date"),
        ("เมื่อวาน", "unreadable date"),
        ("1 ต.ค. พ.ศ. 2024", "marked พ.ศ."),
        ("1 ต.ค. ค.ศ. 2567", "marked ค.ศ."),
        ("32/01/2567", "no such date"),
        (12, "not an Excel date"),
    ],
)
def test_parse_date_refuses(written, reason):
    with pytest.raises(ValueError, match=reason):
        parse_date(written)


# ---------------------------------------------------------------- amounts

@pytest.mark.parametrize(
    "written, expected",
    [
        ("1500", 1500.0),
        ("1,500", 1500.0),
        ("1 500", 1500.0),
        ("12,345,678.90", 12345678.9),
        ("1500.50", 1500.5),
        ("1,500 บาท", 1500.0),
        ("1,500บาท", 1500.0),
        ("฿1,500", 1500.0),
        ("THB 1,500", 1500.0),
        ("1,500 baht", 1500.0),
        ("1,500.-", 1500.0),  # office style
        ("1,500.- บาท", 1500.0),
        ("๑,๕๐๐", 1500.0),  # Thai digits
        ("๕๐,๐๐๐ บาท", 50000.0),
        ("1.5 ล้าน", 1_500_000.0),
        ("1.5ล้านบาท", 1_500_000.0),
        ("2 แสน", 200_000.0),
        ("5 หมื่น", 50_000.0),
        ("4 พัน", 4_000.0),
        ("0", 0.0),
        ("-", None),  # a dash means "no amount" in Thai spreadsheets
        (37.5, 37.5),  # NHSO's 37.50 baht a head (seed 004)
        (100000, 100000.0),
    ],
)
def test_parse_amount(written, expected):
    assert parse_amount(written) == expected


@pytest.mark.parametrize("written", ["-100", "-1,500 บาท", -5, -0.5, "(1,000)"])
def test_parse_amount_negative(written):
    with pytest.raises(ValueError, match="negative amount"):
        parse_amount(written)


@pytest.mark.parametrize(
    "written", ["abc", "1,5", "1.2.3", "nan", "inf", "1e5", "ประมาณ 5,000", "ล้าน"]
)
def test_parse_amount_unreadable(written):
    with pytest.raises(ValueError, match="unreadable amount"):
        parse_amount(written)


# ---------------------------------------------------------------- phones

@pytest.mark.parametrize(
    "written, expected",
    [
        ("0812345678", "0812345678"),
        ("081-234-5678", "0812345678"),
        ("081 234 5678", "0812345678"),
        ("081.234.5678", "0812345678"),
        ("+66 81 234 5678", "0812345678"),
        ("+66812345678", "0812345678"),
        ("66812345678", "0812345678"),
        ("0066 81 234 5678", "0812345678"),
        ("+66 (0) 81 234 5678", "0812345678"),
        ("(02) 123 4567", "021234567"),
        ("02-123-4567", "021234567"),
        ("+66 2 123 4567", "021234567"),
        ("074-123456", "074123456"),
        ("061-234-5678", "0612345678"),
        ("09 1234 5678", "0912345678"),
        ("๐๘๑-๒๓๔-๕๖๗๘", "0812345678"),
        ("โทร. 081-234-5678", "0812345678"),
        ("โทร ๐๘๑ ๒๓๔ ๕๖๗๘", "0812345678"),
        ("มือถือ: 081-234-5678", "0812345678"),
        ("Tel. 02-123-4567", "021234567"),
        ("02-123-4567 ต่อ 12", "021234567"),
        ("02 123 4567 ต่อ12", "021234567"),
        ("02-123-4567 ext. 99", "021234567"),
        ("02-123-4567 x99", "021234567"),
        ("Fax 02-123-4567", "021234567"),
        ("812345678", "0812345678"),  # a spreadsheet dropped the leading 0
        (812345678, "0812345678"),
        (812345678.0, "0812345678"),
        ("21234567", "021234567"),
        # several numbers in one cell: the first is kept
        ("081-111-2222, 089-333-4444", "0811112222"),
        ("081-111-2222; 089-333-4444", "0811112222"),
        ("081-111-2222 / 089-333-4444", "0811112222"),
        ("081-111-2222 หรือ 089-333-4444", "0811112222"),
        ("081-111-2222 089-333-4444", "0811112222"),
        ("02-123-4567/8", "021234567"),
    ],
)
def test_normalise_phone(written, expected):
    assert normalise_phone(written) == expected


@pytest.mark.parametrize(
    "written", ["12345", "1300", "abc", "0123456789", "081-234-567", "08123456789", 81.5]
)
def test_normalise_phone_refuses(written):
    with pytest.raises(ValueError, match="not a Thai phone number"):
        normalise_phone(written)


# ---------------------------------------------------------------- e-mails

@pytest.mark.parametrize(
    "written, expected",
    [
        ("somchai@example.com", "somchai@example.com"),
        ("  Somchai.J@Example.CO.TH ", "somchai.j@example.co.th"),
        ("mailto:A@B.co", "a@b.co"),
        ("som\u200bchai@example.com", "somchai@example.com"),
    ],
)
def test_normalise_email(written, expected):
    assert normalise_email(written) == expected


@pytest.mark.parametrize(
    "written", ["somchai", "a@b", "a@@b.com", "a b@c.com", "a@b.c@d.com", "a@.com", "a@b."]
)
def test_normalise_email_refuses(written):
    with pytest.raises(ValueError, match="not an e-mail address"):
        normalise_email(written)
