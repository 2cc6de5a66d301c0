"""analysis/ingest/sheets.py: header, kind and footer of office sheets (tiny sheets, by hand)."""

from analysis.ingest.sheets import find_footer_reason, find_footer_reasons, find_rows_without_data, read_layout


def test_the_header_is_found_under_title_rows():
    rows = [["ทะเบียนรายชื่อคณะกรรมการ"], ["ประจำปี 2567"],
            ["ลำดับ", "ชื่อ-สกุล", "ตำแหน่ง", "เบอร์โทร"], ["1", "นายสมชาย ใจดี", "ประธาน", "0812345678"]]
    layout = read_layout(rows)
    assert (layout.kind, layout.header_index, layout.title) == ("roster", 2, ["ทะเบียนรายชื่อคณะกรรมการ", "ประจำปี 2567"])
    assert layout.columns == {0: "seq", 1: "name", 2: "role", 3: "phone"}


def test_first_name_alone_is_never_taken_for_the_whole_name():
    layout = read_layout([["ลำดับ", "คำนำหน้า", "ชื่อ", "นามสกุล"]])
    assert layout.columns == {0: "seq", 1: "honorific", 2: "first_name", 3: "last_name"}


def test_kinds_of_sheet():
    assert read_layout([["ที่", "ชื่อ-สกุล", "หน่วยงาน/องค์กร", "ลายมือชื่อ"]]).kind == "attendance sheet"
    assert read_layout([["รายชื่อผู้เข้าร่วมเวที"], ["ที่", "ชื่อ-สกุล", "หน่วยงาน"]]).kind == "attendance sheet"
    assert read_layout([["ชื่อโครงการ", "หน่วยงานที่รับผิดชอบ", "ระยะเวลา"]]).kind == "project list"
    assert read_layout([["แหล่งทุน", "รหัสโครงการ", "จำนวนเงิน"]]).kind == "funding list"
    assert read_layout([["ชื่อหน่วยงาน", "ประเภทองค์กร", "ชื่อย่อ"]]).kind == "organisations list"
    assert read_layout([["สี", "ขนาด"], ["แดง", "ใหญ่"]]).kind == "not recognised"


def test_a_title_that_only_starts_like_a_total_is_data():
    columns = {0: "seq", 1: "title"}
    assert find_footer_reason(["1", "รวมพลังสร้างสุขชุมชน"], columns) is None
    assert find_footer_reason([None, "รวมทั้งสิ้น 1,470,000 บาท"], columns) == "total row"


def test_a_sheet_s_footers_are_the_rows_that_hold_them():
    # By hand: row 1 data (its ß folds to ss, lengthening the text before the next rows),
    # row 2 a blank numbered row, row 3 a total, row 4 a signature, row 5 a short data row.
    columns = {0: "seq", 1: "name", 2: "role", 3: "note"}
    rows = [["1", "Straße นายสมชาย ใจดี", "ประธาน", None], ["2", None, None, "ว่าง"], [None, "รวม 12 คน"],
            [None, "ลงชื่อ..........ประธาน", None, None], ["3", "นางสมศรี มีสุข"]]
    assert find_footer_reasons(rows, columns) == [None, "blank numbered row", "total row", "signature line", None]
    assert find_footer_reasons(rows, columns) == [find_footer_reason(r, columns) for r in rows]


def test_total_in_capitals_is_found_where_case_folding_lengthens_the_sheet_s_text():
    # By hand: "ß" folds to "ss", so the cells are searched one by one; row 2 a total, row 3 a
    # word that only starts with total (the pattern ends at a word boundary).
    columns = {0: "seq", 1: "name"}
    rows = [["1", "Straße"], [None, "TOTAL 12"], ["2", "Totalbetrag"]]
    assert find_footer_reasons(rows, columns) == [None, "total row", None]


def test_rows_without_data_are_found_alike_in_full_and_short_rows():
    # By hand: rows 1 and 3 hold no value at positions 1 and 2 (row 3 is too short to reach
    # them); counting over full rows finds the same as looking row by row.
    full = [["1", "ก", None], ["2", None, None], ["3", None, "ข"]]
    assert find_rows_without_data(full, [1, 2]) == [1]
    assert find_rows_without_data(full, [1]) == [1, 2]
    assert find_rows_without_data([*full, ["4"]], [1, 2]) == [1, 3]
    assert find_rows_without_data(full, []) == [0, 1, 2]
