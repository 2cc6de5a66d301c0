"""analysis/ingest/cells.py: cells that hold several things. Expected values are the cells'
own parts, read by hand; fiscal years from the Budget Procedures Act (1 Oct – 30 Sep)."""

import pytest

from analysis.ingest.cells import join_name, parse_address, parse_area, parse_period, split_name_phone


@pytest.mark.parametrize("cell, expected", [
    ("1 ต.ค. 66 - 30 ก.ย. 67", ("2023-10-01", "2024-09-30")),
    ("1 ต.ค. 2566 ถึง 30 ก.ย. 2567", ("2023-10-01", "2024-09-30")),
    ("01/10/2566 - 30/09/2567", ("2023-10-01", "2024-09-30")),
    ("2023-10-01 - 2024-09-30", ("2023-10-01", "2024-09-30")),
    ("ม.ค. - ก.ย. 2567", ("2024-01-01", "2024-09-30")),
    ("ต.ค. 66 - มี.ค. 67", ("2023-10-01", "2024-03-31")),
    ("พ.ย. - ก.พ. 2568", ("2024-11-01", "2025-02-28")),  # the start month comes later: the year before
    ("ปีงบประมาณ 2567", ("2023-10-01", "2024-09-30")),
    ("ปีงบ 68", ("2024-10-01", "2025-09-30")),
    ("๑ ต.ค. ๖๖ - ๓๐ ก.ย. ๖๗", ("2023-10-01", "2024-09-30")),  # Thai digits
    ("15 มีนาคม 2567", ("2024-03-15", None)),  # one date: the start
    (None, (None, None)),
])
def test_periods_are_split_into_start_and_end(cell, expected):
    assert parse_period(cell) == expected


def test_a_period_that_fits_no_form_is_refused():
    with pytest.raises(ValueError, match="unreadable period"):
        parse_period("ตลอดปี")


def test_area_cells_name_the_tambon_or_the_whole_district():
    assert parse_area("ตำบลคลองหินปูน อำเภอวังน้ำเย็น จังหวัดสระแก้ว") == {
        "tambon": "คลองหินปูน", "district": "วังน้ำเย็น", "province": "สระแก้ว"}
    assert parse_area("อ.วังน้ำเย็น (ทุกตำบล)")["tambon"] is None
    assert parse_area("ทั้งอำเภอวังน้ำเย็น")["district"] == "วังน้ำเย็น"


def test_an_abbreviation_ending_in_t_is_not_a_tambon():
    assert parse_address("รพ.สต.บ้านหนองปรือ ม.2")["tambon"] is None


def test_names_and_phones():
    assert join_name("นาง", " สมศรี ", "มีสุข") == "นางสมศรี มีสุข"
    assert split_name_phone("นายสมชาย ใจดี 0812345678") == ("นายสมชาย ใจดี", "0812345678")
    assert split_name_phone("นายสมชาย ใจดี ม.1") == ("นายสมชาย ใจดี ม.1", None)  # too few digits for a phone
