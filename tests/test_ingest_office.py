"""analysis/ingest/office.py: the four files of issue 15 (tests/office_files.py) read and run
with no hand work. Expected numbers are counted by hand from tests/office_files.py."""

import pandas as pd
import pytest

from analysis.ingest.office import ProjectIndex, blank_to_none, is_office_dataset
from analysis.ingest.read import read_dataset
from analysis.pipeline import read_stage, run_analysis
from tests import office_files as files


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return files.write_office_folder(tmp_path_factory.mktemp("office") / "tambon")


@pytest.fixture(scope="module")
def dataset(folder):
    return read_stage(folder)[0]


@pytest.fixture(scope="module")
def run(folder, tmp_path_factory):
    return run_analysis(folder, tmp_path_factory.mktemp("out") / "run")


def sheet(dataset, where):
    return next(r for r in dataset.office.sheets if r.where == where)


def test_a_folder_of_office_files_is_read_as_office_files(folder, tmp_path):
    assert is_office_dataset(folder)
    (tmp_path / "organisations.csv").write_text("org_id,name,kind\nO1,พอช.,agency\n")
    (tmp_path / "people.csv").write_text("record_id,source,name\nR1,a,นาย ก\n")
    assert not is_office_dataset(tmp_path)


def test_every_sheet_is_read_as_what_it_is_with_its_header_under_the_title(dataset):
    kinds = {r.where: (r.kind, r.header_row) for r in dataset.office.sheets}
    assert kinds == {
        files.FUND_FILE: ("roster", 2),
        **{f"{files.ROSTER_FILE}:{v}": ("roster", 3) for v in files.VILLAGES},  # all three village sheets
        f"{files.FORUM_FILE}:ลงทะเบียน": ("attendance sheet", 2),
        f"{files.PROJECTS_FILE}:โครงการ": ("project list", 3),
    }


def test_footers_are_left_out_and_listed(dataset):
    roster = sheet(dataset, f"{files.ROSTER_FILE}:หมู่ 1")
    # header row 3, two people (rows 4-5), two blank numbered rows, a blank row, three signature rows.
    assert roster.footer == [(6, "blank numbered row"), (7, "blank numbered row"), (9, "signature line"),
                             (10, "after a signature line"), (11, "after a signature line")]
    assert sheet(dataset, f"{files.PROJECTS_FILE}:โครงการ").footer == [(7, "total row")]


def test_rows_read_equal_rows_used_plus_quarantined_per_sheet(dataset):
    for report in dataset.office.sheets:
        assert report.counts["read"] == report.counts["used"] + report.counts["quarantined"]
    assert sum(r.counts["read"] for r in dataset.office.sheets) == files.N_ROSTER_LINES + 3 + 3 + len(files.FORUM)


def test_names_in_parts_are_joined_and_every_line_has_a_stable_record_id(dataset):
    people = dataset["people"].set_index("record_id")
    assert people.loc[f"{files.ROSTER_FILE}:หมู่ 2:5", "name"] == "นายประเสริฐ วงศ์ดี"  # surname kept
    assert people.loc[f"{files.ROSTER_FILE}:หมู่ 2:5", "phone"] == "0833334444"  # stored as a number
    assert people.loc[f"{files.ROSTER_FILE}:หมู่ 1:4", "source"] == "ทะเบียนรายชื่อสมาชิกสภาองค์กรชุมชนตำบลคลองหินปูน"


def test_cp874_csv_with_address_cells_and_national_ids(dataset):
    people = dataset["people"].set_index("record_id")
    line = people.loc[f"{files.FUND_FILE}:3"]
    assert (line["tambon"], line["house_no"], line["moo"]) == ("คลองหินปูน", "12", "1")
    assert line["national_id"] == "3270600234561"
    assert pd.isna(people.loc[f"{files.FUND_FILE}:4", "national_id"])  # 3.27060E+12: mangled, no evidence
    hidden = dataset.quarantine[dataset.quarantine["column"] == "national_id"]
    assert hidden[["file", "row", "value"]].values.tolist() == [[files.FUND_FILE, 4, "(not shown)"]]


def test_project_cells_are_split(dataset):
    projects = dataset["projects"].set_index("project_id")
    where = f"{files.PROJECTS_FILE}:โครงการ"
    first, second, third = (projects.loc[f"{where}:{row}"] for row in (4, 5, 6))
    assert (str(first["start"].date()), str(first["end"].date()), first["budget_thb"]) == ("2023-10-01", "2024-09-30", 150000.0)
    assert (str(second["start"].date()), str(second["end"].date())) == ("2024-01-01", "2024-09-30")
    assert (pd.isna(third["tambon"]), third["district"], third["budget_thb"]) == (True, "วังน้ำเย็น", 1_200_000.0)
    funders = dataset["funding"].set_index("project_id")["funder_id"].to_dict()
    assert funders == {f"{where}:4": "N-NHSO", f"{where}:5": "N-THAIHEALTH", f"{where}:6": "N-CODI"}
    contact = dataset["people"].set_index("record_id").loc[f"{where}:4:contact"]
    assert (contact["name"], contact["phone"]) == ("นายสมชาย ใจดี", "0812345678")


def test_organisations_are_drafted_with_kinds_and_parents(dataset):
    draft = dataset.office.draft.set_index("name")
    assert draft.loc["สภาองค์กรชุมชนตำบลคลองหินปูน", ["kind", "parent_id"]].tolist() == ["community_council", "N-CODI"]
    assert draft.loc["พมจ.สระแก้ว", ["kind", "parent_id"]].tolist() == ["agency", "N-MSDHS"]
    assert draft.loc["รพ.สต.บ้านคลองหินปูน", ["kind", "parent_id"]].tolist() == ["agency", "N-MOPH"]
    assert draft.loc["อบต.คลองหินปูน", "kind"] == "local_government"
    assert draft.loc["กองทุนสวัสดิการชุมชนตำบลคลองหินปูน", "kind"] == "community_org"


def test_an_organisation_not_matched_for_certain_blanks_the_value_not_the_line(dataset):
    people = dataset["people"].set_index("record_id")
    forum = f"{files.FORUM_FILE}:ลงทะเบียน"
    # กองทุนสวัสดิการฯ: one organisation begins so; กลุ่มฯ: none, so its value is blank.
    assert people.loc[f"{forum}:4", "org_id"] == dataset.office.draft.set_index("name").loc[
        "กองทุนสวัสดิการชุมชนตำบลคลองหินปูน", "org_id"]
    assert pd.isna(people.loc[f"{forum}:7", "org_id"])
    line = dataset.quarantine[dataset.quarantine["value"] == "กลุ่มฯ"]
    assert line[["file", "row", "action", "detail"]].values.tolist() == [
        [forum, 7, "value ignored", "cut short with ฯ: no organisation begins so"]]


def test_a_name_cut_short_that_two_organisations_begin_lists_both(tmp_path):
    (tmp_path / "forum.csv").write_text(
        "ลำดับ,ชื่อ-สกุล,หน่วยงาน/องค์กร,ลายมือชื่อ\n1,นาย ก ข,กลุ่มทอผ้าบ้านนา,\n2,นาง ค ง,กลุ่มออมทรัพย์บ้านนา,\n"
        "3,นาย จ ฉ,กลุ่มฯ,\n", encoding="utf-8")
    dataset = read_stage(tmp_path / "forum.csv")[0]
    line = dataset.quarantine[dataset.quarantine["value"] == "กลุ่มฯ"]
    assert line["detail"].tolist() == ["cut short with ฯ: 2 organisations begin so: กลุ่มทอผ้าบ้านนา; กลุ่มออมทรัพย์บ้านนา"]
    assert len(dataset["people"]) == 3  # the line is kept


def test_a_run_joins_people_across_lists_and_keeps_namesakes_and_spouses_apart(run):
    persons = pd.read_csv(run / "persons.csv", dtype=str)
    by_name = persons.groupby("person_name")["person_id"].nunique()
    assert persons[persons["person_name"] == "สมชาย ใจดี"]["record_id"].size == 4  # roster, fund, project, forum
    assert by_name["สมชาย ใจดี"] == 1
    assert by_name["บุญมี ศรีสุข"] == 2  # another tambon, another phone
    assert persons[persons["person_name"].isin(["ประเสริฐ วงศ์ดี", "ประภา วงศ์ดี"])]["person_id"].nunique() == 2


def test_a_run_flags_the_two_projects_of_one_aim_as_duplicates(run):
    duplicates = pd.read_csv(run / "duplicate_projects.csv", dtype=str)
    where = f"{files.PROJECTS_FILE}:โครงการ"
    assert sorted(duplicates["project_id"]) == [f"{where}:4", f"{where}:5"]


def test_a_run_writes_the_import_report_and_the_draft_and_never_a_national_id(run):
    report = (run / "import_report.md").read_text(encoding="utf-8")
    assert "## กองทุนสวัสดิการ.csv" in report and "- Header: row 2" in report
    assert "| หมายเหตุ | not used: free-text notes |" in report
    assert (run / "organisations_draft.csv").is_file()
    for path in run.rglob("*"):
        if path.is_file():
            assert b"3270600234561" not in path.read_bytes(), path


def test_a_single_office_file_is_a_dataset(folder):
    raw = read_dataset(folder / files.FUND_FILE)
    assert len(raw.tables["people"]) == 3


def test_without_out_results_go_under_the_current_folder(folder, tmp_path, monkeypatch):
    from analysis.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["validate", str(folder)]) == 0
    assert (tmp_path / "reports" / "validate-tambon" / "import_report.md").is_file()


def test_the_same_folder_gives_the_same_draft_and_report(folder, dataset):
    again = read_stage(folder)[0]
    assert again.office.report_md == dataset.office.report_md
    assert again.office.draft.equals(dataset.office.draft)


def test_the_review_report_and_run_json_say_how_each_sheet_was_read(run):
    import json

    sheets = json.loads((run / "run.json").read_text(encoding="utf-8"))["import"]
    assert {s["file"]: s["read_as"] for s in sheets}[files.FUND_FILE] == "roster"
    assert "how each file and sheet was read" in (run / "report.html").read_text(encoding="utf-8")


def test_an_honorific_column_beside_a_whole_name_is_joined_to_it(tmp_path):
    (tmp_path / "list.csv").write_text("ที่,คำนำหน้า,ชื่อ-สกุล,ตำแหน่ง\n1,นาง,สมศรี มีสุข,กรรมการ\n", encoding="utf-8")
    assert read_dataset(tmp_path / "list.csv").tables["people"]["name"].tolist() == ["นางสมศรี มีสุข"]


def test_a_semicolon_csv_under_a_title_row_is_split_on_semicolons(tmp_path):
    # Excel where the decimal mark is a comma saves ';'; the title row holds no ';' (and a comma).
    (tmp_path / "committee.csv").write_text(
        "คณะกรรมการกองทุนสวัสดิการชุมชนตำบลคลองหินปูน, ปี 2567\n"
        "ลำดับ;ชื่อ-สกุล;ตำแหน่ง;เบอร์โทร\n1;นายสมชาย ใจดี;ประธาน;081-234-5678\n2;นางสมศรี มีสุข;กรรมการ;085-666-7777\n",
        encoding="utf-8")
    dataset = read_stage(tmp_path / "committee.csv")[0]
    report = dataset.office.sheets[0]
    assert (report.kind, report.header_row) == ("roster", 2)
    people = dataset["people"]
    assert people["name"].tolist() == ["นายสมชาย ใจดี", "นางสมศรี มีสุข"]
    assert people["phone"].tolist() == ["0812345678", "0856667777"]


def test_an_attendance_sheet_naming_no_project_links_its_people_to_an_event_drafted_from_its_title(dataset):
    forum = f"{files.FORUM_FILE}:ลงทะเบียน"
    event = dataset["projects"].set_index("project_id").loc[f"{forum}:event"]
    # The forum's title (tests/office_files.py) less "รายชื่อผู้เข้าร่วม"; its tambon and day from the title.
    assert event["title"] == "เวทีประชาคมตำบลคลองหินปูน วันที่ 15 มีนาคม 2567"
    assert (event["tambon"], str(event["start"].date()), str(event["end"].date())) == ("คลองหินปูน", "2024-03-15", "2024-03-15")
    linked = dataset["participation"][dataset["participation"]["project_id"] == f"{forum}:event"]
    assert sorted(linked["record_id"]) == [f"{forum}:{row}" for row in range(3, 3 + len(files.FORUM))]
    report = sheet(dataset, forum)
    assert report.project == f"{forum}:event" and "no project list names it" in report.project_from
    assert f"table = {forum}, column = project_id" in dataset.office.report_md


def test_two_sheets_of_one_event_are_one_event_and_columns_csv_can_name_the_project(tmp_path):
    lines = "ลำดับ,ชื่อ-สกุล,ลายมือชื่อ\n1,นาย ก ข,\n"
    for page in (1, 2):
        (tmp_path / f"forum_{page}.csv").write_text(f"ลงทะเบียนประชุมประจำเดือน\n{lines}", encoding="utf-8")
    dataset = read_stage(tmp_path)[0]
    assert dataset["projects"]["project_id"].tolist() == ["forum_1.csv:event"]
    assert dataset["participation"]["project_id"].tolist() == ["forum_1.csv:event"] * 2
    (tmp_path / "projects.csv").write_text("project_id,title\nP1,ประชุมสภา\n", encoding="utf-8")
    (tmp_path / "columns.csv").write_text("table,column_as_written,column,value\nforum_2.csv,,project_id,P1\n",
                                          encoding="utf-8")
    dataset = read_stage(tmp_path)[0]
    assert dict(zip(dataset["participation"]["row"], dataset["participation"]["project_id"])) == {
        2: "forum_1.csv:event", 3: "P1"}


def test_an_area_naming_several_tambons_is_their_district_with_the_tambons_kept_and_reported(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "บัญชีโครงการ\nลำดับ,ชื่อโครงการ,พื้นที่ดำเนินการ\n"
        '1,โครงการ ก,"ต.คลองหินปูน, ต.ทุ่งมหาเจริญ อ.วังน้ำเย็น"\n2,โครงการ ข,ต.คลองหินปูน อ.วังน้ำเย็น\n',
        encoding="utf-8")
    (tmp_path / "people.csv").write_text("ลำดับ,ชื่อ-สกุล,ตำแหน่ง\n1,นาย ก ข,ประธาน\n", encoding="utf-8")
    dataset = read_stage(tmp_path)[0]
    projects = dataset["projects"].set_index("project_id")
    first, second = projects.loc["projects.csv:3"], projects.loc["projects.csv:4"]
    assert (pd.isna(first["tambon"]), first["district"], first["area_tambons"]) == (True, "วังน้ำเย็น", "คลองหินปูน|ทุ่งมหาเจริญ")
    assert (second["tambon"], pd.isna(second["area_tambons"])) == ("คลองหินปูน", True)  # one tambon: that tambon
    assert "row 3 (คลองหินปูน, ทุ่งมหาเจริญ → อ.วังน้ำเย็น)" in dataset.office.report_md


def test_an_office_csv_line_swallowed_by_a_stray_quote_is_quarantined_not_merged(tmp_path):
    # Under a title row, a quote opens the role of line 3 and closes on line 4: csv reads one
    # record of lines 3–4 (a spreadsheet shows it as row 3), which must not become one person.
    (tmp_path / "committee.csv").write_text(
        "คณะกรรมการกองทุนสวัสดิการชุมชน\nลำดับ,ชื่อ-สกุล,ตำแหน่ง\n"
        '1,นายสมชาย ใจดี,"ประธาน\n2,นายเด่น ซ่อนตัว,กรรมการ"\n3,นางสาวมาลี ศรีสุข,เหรัญญิก\n', encoding="utf-8")
    dataset = read_stage(tmp_path / "committee.csv")[0]
    assert dataset["people"]["name"].tolist() == ["นางสาวมาลี ศรีสุข"]
    lines = dataset.quarantine[dataset.quarantine["reason"] == "a quoted cell runs across lines"]
    assert lines[["file", "row", "column", "action"]].values.tolist() == [["committee.csv", 3, "role", "row skipped"]]
    assert "lines 3–4 of the file" in lines["detail"].iloc[0]
    assert dataset.office.sheets[0].counts == {"read": 2, "used": 1, "quarantined": 1}


def test_a_roster_in_an_old_xls_workbook_is_read(tmp_path):
    import xlwt  # a test-only dependency (pyproject's test extra, in the lock): writes real BIFF8 .xls

    book = xlwt.Workbook(encoding="utf-8")
    for village, (first, last, phone) in {"หมู่ 1": ("สมชาย", "ใจดี", 812345678),
                                          "หมู่ 2": ("บุญมี", "ศรีสุข", 822222222)}.items():
        sheet = book.add_sheet(village)
        sheet.write(0, 0, "ทะเบียนรายชื่อสมาชิกสภาองค์กรชุมชนตำบลคลองหินปูน")
        for row, cells in ((1, ["ลำดับ", "คำนำหน้า", "ชื่อ", "นามสกุล", "ตำแหน่ง", "เบอร์โทรศัพท์"]),
                           (2, [1, "นาย", first, last, "กรรมการ", phone])):
            for column, cell in enumerate(cells):
                sheet.write(row, column, cell)
    book.save(str(tmp_path / "ทะเบียน.xls"))
    assert (tmp_path / "ทะเบียน.xls").read_bytes()[:4] == bytes.fromhex("d0cf11e0")  # OLE2, not a zip
    dataset = read_stage(tmp_path)[0]
    people = dataset["people"].set_index("record_id")
    assert people.loc["ทะเบียน.xls:หมู่ 1:3", ["name", "phone"]].tolist() == ["นายสมชาย ใจดี", "0812345678"]
    assert people.loc["ทะเบียน.xls:หมู่ 2:3", "name"] == "นายบุญมี ศรีสุข"
    assert people.loc["ทะเบียน.xls:หมู่ 2:3", "org_id"] == dataset.office.draft.set_index("name").loc[
        "สภาองค์กรชุมชนตำบลคลองหินปูน", "org_id"]  # the roster's organisation, from its title


def test_files_read_side_by_side_give_what_they_give_one_by_one(folder, monkeypatch):
    import analysis.parallel
    from analysis.ingest import office

    monkeypatch.setattr(office, "SIDE_BY_SIDE_BYTES", 0)  # the four small files, read by two workers
    monkeypatch.setattr(analysis.parallel, "count_cores", lambda: 2)
    two = read_dataset(folder)
    monkeypatch.setattr(analysis.parallel, "count_cores", lambda: 1)
    one = read_dataset(folder)
    assert two.tables.keys() == one.tables.keys()
    assert all(two.tables[t].equals(one.tables[t]) for t in one.tables)
    assert two.office.origins == one.office.origins and two.checksums == one.checksums
    assert [(s.where, s.lines) for s in two.office.sheets] == [(s.where, s.lines) for s in one.office.sheets]


def test_the_first_file_that_cannot_be_read_is_named_when_files_are_read_side_by_side(folder, tmp_path, monkeypatch):
    import shutil

    import analysis.parallel
    from analysis.errors import DatasetError
    from analysis.ingest import office

    for file in folder.iterdir():
        shutil.copy(file, tmp_path / file.name)
    (tmp_path / "a_broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    (tmp_path / "z_broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook either")
    monkeypatch.setattr(office, "SIDE_BY_SIDE_BYTES", 0)
    monkeypatch.setattr(analysis.parallel, "count_cores", lambda: 2)
    with pytest.raises(DatasetError, match="a_broken.xlsx"):
        read_dataset(tmp_path)


def test_a_sheet_title_names_the_longest_project_title_it_holds_the_first_listed_of_equal_length():
    # By hand: "บ้านมั่นคง" (P1) and "โครงการบ้านมั่นคง" (P2) are both in the title, P2 is longer;
    # "ตลาดชุมชน" (P3) and "ตลาดชุมชน" (P4) tie, P3 is listed first; an id in the title wins.
    index = ProjectIndex([{"project_id": ["P1", "P2"], "title": ["บ้านมั่นคง", "โครงการบ้านมั่นคง"]},
                          {"project_id": ["P3", "P4", "P5"], "title": ["ตลาดชุมชน", "ตลาดชุมชน", None]}])
    assert index.find_in_title("ลงทะเบียน โครงการบ้านมั่นคง ปี 67") == "P2"
    assert index.find_in_title("รายชื่อ ตลาดชุมชน") == "P3"
    assert index.find_in_title("รายชื่อ ตลาดชุมชน รหัส P5") == "P5"
    assert index.find_in_title("ประชุมประจำเดือน") is None
    assert index.with_title("ตลาดชุมชน") == {"P3", "P4"}


def test_blank_texts_become_none_whichever_way_a_column_is_checked():
    # By hand: a column of texts none blank is returned as it is; a blank text, an empty one,
    # or a value that is not text sends it the long way.
    column = ["ก", None, "ข"]
    assert blank_to_none(column) is column
    assert blank_to_none(["ก", "", " \t", None]) == ["ก", None, None, None]
    assert blank_to_none([0, "ก", None, float("nan")]) == ["0", "ก", None, None]
