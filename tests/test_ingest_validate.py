"""Checking datasets: normalised values, every quarantine reason and action, and the counts.

Tables are built in the tests as the reader gives them (text cells, ``row`` = spreadsheet
row, header = row 1). Expected quarantine lines are read off the rows written here; place
codes are the official DOPA codes (สระแก้ว 27, วังน้ำเย็น 2704, ตาหลังใน 270403).
"""

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.ingest.normalise import normalise_text, remove_invisible

from analysis.config import PROJECT_DIR
from analysis.dataset import RawDataset
from analysis.places import load_gazetteer
from analysis.ingest.read import read_dataset
from analysis.ingest.validate import format_validation_summary, normalise_cell, normalise_id, validate_dataset

ORGS = ["org_id,name,kind", "O1,สำนักงานพัฒนาสังคมฯ,agency", "O2,อบต.ท่าเกวียน,อบต."]
PEOPLE = ["record_id,source,name", "R1,roster,นายสมชาย ใจดี"]


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def table(lines: list[str]) -> pd.DataFrame:
    """A table as the reader gives it: text cells, blanks missing, rows numbered from 2."""
    header, *rows = [line.split(",") for line in lines]
    records = [[number, *[cell or None for cell in cells]] for number, cells in enumerate(rows, start=2)]
    return pd.DataFrame(records, columns=["row", *header], dtype=object).astype({"row": "int64"})


def validate(gazetteer=None, org_matcher=None, **tables: list[str]):
    tables = {"organisations": ORGS, "people": PEOPLE} | tables
    raw = RawDataset({name: table(lines) for name, lines in tables.items()}, {n: f"{n}.csv" for n in tables}, Path("d"))
    return validate_dataset(raw, org_matcher=org_matcher, gazetteer=gazetteer)


def lines_of(dataset) -> list[tuple]:
    columns = ["table", "row", "column", "value", "reason", "action"]
    return [tuple(line) for line in dataset.quarantine[columns].itertuples(index=False)]


def test_clean_dataset_is_normalised_and_nothing_quarantined(gazetteer):
    people = [
        "record_id,source,name,phone,email,province,district,tambon",
        # นายส + nikhahit + sara aa: the typing variant of สำ that pythainlp fixes
        "R1,roster,นายส\u0e4d\u0e32ราญ  ใจดี,081-234-5678,Somchai@Example.COM,จ.สระแก้ว,อ.วังน้ำเย็น,ต.ตาหลังใน",
    ]
    projects = ["project_id,title,lead_org_id,start,end,budget_thb", "P1,บ้านมั่นคง,O2,1 ต.ค. 2567,2568-09-30,๑๕๐๐"]
    dataset = validate(gazetteer, people=people, projects=projects)
    assert dataset.quarantine.empty
    person = dataset["people"].iloc[0]
    assert person["name"] == "นายสำราญ ใจดี"
    assert (person["phone"], person["email"]) == ("0812345678", "somchai@example.com")
    assert (person["province_code"], person["district_code"], person["tambon_code"], person["area_code"]) == (
        "27", "2704", "270403", "270403")
    assert bool(person["is_place_known"]) is True
    assert dataset["organisations"]["kind"].tolist() == ["agency", "local_government"]  # อบต. → local_government
    project = dataset["projects"].iloc[0]
    assert project["start"] == pd.Timestamp("2024-10-01") and project["end"] == pd.Timestamp("2025-09-30")  # BE − 543
    assert project["budget_thb"] == 1500.0
    assert pd.api.types.is_datetime64_any_dtype(dataset["projects"]["start"])
    assert dataset["people"]["row"].tolist() == [2]


@pytest.mark.parametrize("thai,kind", [("หน่วยงานรัฐ", "agency"), ("กองทุน", "fund"), ("เทศบาล", "local_government"),
                                       ("สภาองค์กรชุมชนตำบล", "community_council"), ("เครือข่าย", "network"),
                                       ("มูลนิธิ", "ngo"), ("Local Government", "local_government")])
def test_thai_kind_words_become_contract_kinds(thai, kind):
    dataset = validate(organisations=["org_id,name,kind", f"O1,x,{thai}"], people=["record_id,source,name"])
    assert dataset["organisations"]["kind"].tolist() == [kind]


# Each case: tables to use, then the one quarantine line it must give
# (table, row, column, value as written, reason, action).
CASES = {
    "required value missing": (
        {"people": ["record_id,source,name", "R1,roster,"]},
        ("people", 2, "name", "", "required value missing", "row skipped")),
    "one of two columns missing": (
        {"funding": ["funder_id,project_id,recipient_org_id,amount_thb", "O1,,,100"]},
        ("funding", 2, "project_id/recipient_org_id", "", "required value missing", "row skipped")),
    "reference to an unknown id": (
        {"people": ["record_id,source,name,org_id", "R1,roster,นาย ก,O9"]},
        ("people", 2, "org_id", "O9", "reference to an id that does not exist", "row skipped")),
    "kind not in the contract": (
        {"organisations": ["org_id,name,kind", "O1,x,agency", "O2,y,ชมรม"]},
        ("organisations", 3, "kind", "ชมรม", "organisation kind not one of the contract's kinds", "row skipped")),
    "unreadable needed number": (
        {"funding": ["funder_id,recipient_org_id,amount_thb", "O1,O2,ห้าพัน"]},
        ("funding", 2, "amount_thb", "ห้าพัน", "unreadable number", "row skipped")),
    "unreadable optional number": (
        {"projects": ["project_id,title,budget_thb", "P1,x,ไม่ทราบ"]},
        ("projects", 2, "budget_thb", "ไม่ทราบ", "unreadable number", "value ignored")),
    "negative needed amount": (
        {"funding": ["funder_id,recipient_org_id,amount_thb", "O1,O2,-๕๐๐"]},
        ("funding", 2, "amount_thb", "-๕๐๐", "negative amount", "row skipped")),
    "negative optional amount": (
        {"projects": ["project_id,title,budget_thb", "P1,x,-500"]},
        ("projects", 2, "budget_thb", "-500", "negative amount", "value ignored")),
    "unreadable optional date": (
        {"projects": ["project_id,title,start", "P1,x,31/02/2567"]},
        ("projects", 2, "start", "31/02/2567", "unreadable date", "value ignored")),
    "unreadable phone": (
        {"people": ["record_id,source,name,phone", "R1,roster,นาย ก,ไม่มี"]},
        ("people", 2, "phone", "ไม่มี", "unreadable phone number", "value ignored")),
    "unreadable e-mail": (
        {"people": ["record_id,source,name,email", "R1,roster,นาย ก,somchai.at.example"]},
        ("people", 2, "email", "somchai.at.example", "unreadable e-mail address", "value ignored")),
    "unknown place": (
        {"people": ["record_id,source,name,province,tambon", "R1,roster,นาย ก,สระแก้ว,ตำบลที่ไม่มีจริง"]},
        ("people", 2, "tambon", "ตำบลที่ไม่มีจริง", "unknown place", "value ignored")),
    "more values than columns": (
        {"people": ["record_id,source,name,extra_values", "R1,roster,นาย ก, ประธาน"]},
        ("people", 2, "extra_values", " ประธาน", "more values than the header has columns", "row skipped")),
}


@pytest.mark.parametrize("case", CASES)
def test_each_reason_gives_its_line_and_action(case, gazetteer):
    tables, expected = CASES[case]
    dataset = validate(gazetteer, **tables)
    assert lines_of(dataset) == [expected]
    name, row, column, _, _, action = expected
    used_rows = dataset[name]["row"].tolist()
    assert (row in used_rows) == (action == "value ignored")
    if action == "value ignored" and column != "tambon":
        assert dataset[name][column].isna().all()  # the unreadable value is set missing


def test_unknown_place_is_kept_as_written_and_flagged(gazetteer):
    dataset = validate(gazetteer, people=["record_id,source,name,province,tambon", "R1,roster,นาย ก,สระแก้ว,ตำบลที่ไม่มีจริง"])
    person = dataset["people"].iloc[0]
    assert person["tambon"] == "ตำบลที่ไม่มีจริง"
    assert bool(person["is_place_known"]) is False
    assert person["province_code"] == "27" and pd.isna(person["tambon_code"])  # the certain level is kept


def test_second_and_later_repeats_of_an_id_are_skipped():
    dataset = validate(people=["record_id,source,name", "R1,a,นาย ก", "R1,b,นาย ข", "R2,c,นาย ค", "R1,d,นาย ง"])
    assert lines_of(dataset) == [("people", 3, "record_id", "R1", "id repeated", "row skipped"),
                                 ("people", 5, "record_id", "R1", "id repeated", "row skipped")]
    assert dataset["people"]["source"].tolist() == ["a", "c"]  # the first R1 is kept


def test_references_to_quarantined_rows_fail_too():
    # O2 is set aside (bad kind), so O3 (child of O2) and R1 (on O2's roster) fall with it,
    # and the participation of R1 in P1 too.
    dataset = validate(
        organisations=["org_id,name,kind,parent_id", "O1,a,agency,", "O2,b,ชมรม,O1", "O3,c,ngo,O2"],
        people=["record_id,source,name,org_id", "R1,roster,นาย ก,O2", "R2,roster,นาย ข,O1"],
        projects=["project_id,title,lead_org_id", "P1,x,O1"],
        participation=["project_id,record_id,org_id", "P1,R1,", "P1,R2,", "P9,R2,"],
    )
    assert [(t, r, c) for t, r, c, *_ in lines_of(dataset)] == [
        ("organisations", 3, "kind"), ("organisations", 4, "parent_id"),
        ("people", 2, "org_id"), ("participation", 2, "record_id"), ("participation", 4, "project_id")]
    assert dataset["participation"]["row"].tolist() == [3]


def test_rows_read_equal_rows_used_plus_quarantined():
    dataset = validate(
        organisations=["org_id,name,kind,parent_id", "O1,a,agency,", "O1,b,agency,", "O2,c,ชมรม,", "O3,d,ngo,O2"],
        people=["record_id,source,name,org_id,phone", "R1,a,นาย ก,O1,x", "R2,a,,O1,", "R3,a,นาย ค,O3,"],
        projects=["project_id,title,budget_thb", "P1,x,-1", "P2,,5"],
        funding=["funder_id,project_id,amount_thb", "O1,P1,abc", "O1,P2,5", "O1,P1,5"],
        participation=["project_id,record_id,org_id", "P1,R1,", "P1,,", "P1,R2,"],
    )
    # By hand: organisations keep O1 (row 2) only; people keep R1 (its phone ignored);
    # projects keep P1 (its budget ignored); funding keeps row 4; participation row 2.
    assert dataset.counts == {
        "organisations": {"read": 4, "used": 1, "quarantined": 3},
        "people": {"read": 3, "used": 1, "quarantined": 2},
        "projects": {"read": 2, "used": 1, "quarantined": 1},
        "funding": {"read": 3, "used": 1, "quarantined": 2},
        "participation": {"read": 3, "used": 1, "quarantined": 2},
    }
    skipped = dataset.quarantine[dataset.quarantine["action"] == "row skipped"]
    for name, n in dataset.counts.items():
        assert n["read"] == n["used"] + n["quarantined"] == len(dataset[name]) + skipped[skipped["table"] == name]["row"].nunique()


class NameMatcher:
    """Stands in for the organisation matcher: knows one name, counts its calls."""

    def __init__(self, names: dict[str, str]):
        self.names, self.calls = names, []

    def match(self, text):
        self.calls.append(text)
        return SimpleNamespace(org_id=self.names.get(text), score=0.9 if text in self.names else 0.0, evidence="name")


def test_names_written_instead_of_ids_are_matched_and_recorded():
    matcher = NameMatcher({"อบต. ท่าเกวียน": "O2"})
    dataset = validate(org_matcher=matcher, people=["record_id,source,name,org_id",
                                                    "R1,roster,นาย ก,O1", "R2,roster,นาย ข,อบต. ท่าเกวียน",
                                                    "R3,roster,นาย ค,ชมรมผู้สูงอายุ"])
    # A name that fits no organisation blanks that value and keeps the person (issue 15).
    assert dataset["people"]["org_id"].fillna("").tolist() == ["O1", "O2", ""]
    assert dataset.org_matches.to_dict("records") == [
        {"table": "people", "row": 3, "column": "org_id", "value": "อบต. ท่าเกวียน", "org_id": "O2", "score": 0.9, "evidence": "name"}]
    assert lines_of(dataset) == [("people", 4, "org_id", "ชมรมผู้สูงอายุ", "organisation name not matched for certain", "value ignored")]
    assert "O1" not in matcher.calls  # known ids are not matched


def test_a_match_to_a_quarantined_organisation_is_not_used():
    matcher = NameMatcher({"ชมรม": "O3"})
    dataset = validate(org_matcher=matcher, organisations=[*ORGS, "O3,ชมรม,ชมรม"],
                       people=["record_id,source,name,org_id", "R1,roster,นาย ก,ชมรม"])
    assert dataset["people"]["org_id"].isna().tolist() == [True]
    assert dataset.org_matches.empty


def test_quarantine_is_sorted_by_table_row_and_column():
    dataset = validate(
        people=["record_id,source,name,phone,email", "R1,,นาย ก,x,y", "R2,a,,,"],
        organisations=["org_id,name,kind", "O1,,ชมรม"],
    )
    assert [(t, r, c) for t, r, c, *_ in lines_of(dataset)] == [
        ("organisations", 2, "kind"), ("organisations", 2, "name"),
        ("people", 2, "email"), ("people", 2, "phone"), ("people", 2, "source"), ("people", 3, "name")]


def test_missing_text_values_are_missing_in_the_text_columns_not_the_word_none():
    dataset = validate(people=["record_id,source,name,phone,note", "R1,a,นาย ก,,", "R2,b,นาย ข,0812345678,x"])
    people = dataset["people"]
    assert people["phone"].isna().tolist() == [True, False] and people["note"].isna().tolist() == [True, False]
    assert "None" not in people.astype(object).to_numpy().tolist()[0]
    assert people["phone"].dtype == "str" and people["note"].dtype == "str"


def test_absent_tables_are_empty_with_their_columns():
    dataset = validate()
    assert dataset["funding"].empty and "amount_thb" in dataset["funding"].columns
    assert dataset.counts["participation"] == {"read": 0, "used": 0, "quarantined": 0}


def test_same_input_gives_equal_results(gazetteer):
    tables = {"people": ["record_id,source,name,phone,province", "R1,a,นาย ก,x,สระแก้ว", "R1,b,นาย ข,,"]}
    first, second = validate(gazetteer, **tables), validate(gazetteer, **tables)
    pd.testing.assert_frame_equal(first.quarantine, second.quarantine)
    pd.testing.assert_frame_equal(first["people"], second["people"])


def test_summary_counts_rows_and_values_by_reason():
    dataset = validate(people=["record_id,source,name,phone", "R1,a,,x", "R1,b,นาย ข,y", "R3,c,นาย ค,z"])
    text = format_validation_summary(dataset)
    assert "people                 3     1            2" in text
    assert "people: id repeated — 1 row" in text and "people: required value missing — 1 row" in text
    assert "people: unreadable phone number — 3 values" in text
    assert "funding         no table" in text


@given(st.text(alphabet=st.characters(max_codepoint=127), min_size=1) | st.text(min_size=1))
def test_fast_path_agrees_with_normalise_text(text):
    assert normalise_cell(text) == normalise_text(text)


# Ids with invisible characters (soft hyphen U+00AD, direction mark U+200E, zero-width space
# U+200B, variation selector U+FE0F) and blanks, drawn with ASCII and Thai letters.
ID_TEXT = st.text(alphabet=st.sampled_from("R0-1 กข\u00ad\u200e\u200b\ufe0f\u0e4d\u0e32\u00a0"), max_size=8)


@given(ID_TEXT | st.text(alphabet=st.characters(max_codepoint=127)) | st.text())
def test_ids_are_normalised_then_cleared_of_invisible_characters(text):
    assert normalise_id(text) == remove_invisible(normalise_text(text))


def test_an_id_written_with_a_soft_hyphen_is_the_id_without_it():
    dataset = validate(people=["record_id,source,name", "R\u00ad1,a,นาย ก"],
                       participation=["project_id,record_id", "J1,R1"],
                       projects=["project_id,title", "J1,x"])
    assert dataset["people"]["record_id"].tolist() == ["R1"]
    assert dataset["participation"]["record_id"].tolist() == ["R1"]


def test_the_example_in_the_user_docs_reads_as_described(tmp_path, gazetteer):
    docs = (PROJECT_DIR / "docs" / "data_format.md").read_text(encoding="utf-8")
    for name in ("องค์กร.csv", "บุคคล.csv"):
        block = docs.split(f"`{name}`\n```csv\n", 1)[1].split("```", 1)[0]
        (tmp_path / name).write_text(block, encoding="utf-8")
    matcher = NameMatcher({"อบต.ตาหลังใน": "SAO-TLN"})
    dataset = validate_dataset(read_dataset(tmp_path), org_matcher=matcher, gazetteer=gazetteer)
    assert dataset.quarantine.empty
    assert dataset["organisations"]["kind"].tolist() == ["agency", "agency", "local_government"]
    assert dataset["people"]["org_id"].tolist() == ["SAO-TLN", "SAO-TLN"]
    assert dataset["people"]["tambon_code"].tolist() == ["270403", "270403"]
    assert dataset.org_matches[["row", "org_id"]].values.tolist() == [[3, "SAO-TLN"]]


def test_summary_lists_the_names_matched_to_ids():
    matcher = NameMatcher({"อบต. ท่าเกวียน": "O2"})
    dataset = validate(org_matcher=matcher, people=["record_id,source,name,org_id", "R1,roster,นาย ก,อบต. ท่าเกวียน"])
    assert "  people row 2, org_id: 'อบต. ท่าเกวียน' → O2 (name)" in format_validation_summary(dataset)


def test_an_unmatched_organisation_of_a_participation_without_a_person_sets_the_row_aside():
    # record_id / org_id is a one-of group: blanking the only value would leave nothing.
    dataset = validate(org_matcher=NameMatcher({}), projects=["project_id,title", "P1,ถนน"],
                       participation=["project_id,record_id,org_id", "P1,,ชมรมผู้สูงอายุ"])
    assert dataset["participation"].empty
    assert lines_of(dataset)[0][4:] == ("reference to an id that does not exist", "row skipped")


def test_national_ids_are_checked_and_never_shown_in_the_quarantine():
    # 3270600234561: 3·13 + 2·12 + 7·11 + 6·9 + 2·6 + 3·5 + 4·4 + 5·3 + 6·2 = 264 ≡ 0 (mod 11) → check digit 1.
    dataset = validate(people=["record_id,source,name,national_id", "R1,a,นาย ก,3-2706-00234-56-1",
                               "R2,a,นาย ข,3.27060E+12", "R3,a,นาย ค,3270600234562"])
    assert dataset["people"]["national_id"].fillna("").tolist() == ["3270600234561", "", ""]
    assert dataset.quarantine["value"].tolist() == ["(not shown)", "(not shown)"]
    assert set(dataset.quarantine["action"]) == {"value ignored"}


def test_tables_checked_in_parts_give_what_whole_tables_give(monkeypatch, gazetteer):
    """Own columns are checked in parts side by side (issue 19): with parts of one or two rows,
    repeated ids across parts, bad values and names matched (the matcher made by a
    function, beside the parts) come out as with every table in one part."""
    import analysis.ingest.validate as validate_module

    tables = dict(
        organisations=["org_id,name,kind", "O1,a,agency", "O2,b,ชมรม", "O1,c,ngo", "O3,d,ngo"],
        people=["record_id,source,name,org_id,phone,province,tambon", "R1,a,นาย ก,O1,x,สระแก้ว,ตาหลังใน",
                "R2,a,,O1,,,", "R3,a,นาย ค,O2,,สระแก้ว,ตำบลที่ไม่มีจริง", "R1,b,นาย ง,O1,081-234-5678,,",
                "R4,b,นาย จ,ชื่อ ข,,,", "R3,b,นาย ฉ,O9,,,"],
        projects=["project_id,title,budget_thb", "P1,x,-1", "P2,,5", "P3,y,๕"],
        participation=["project_id,record_id,org_id", "P1,R1,", "P3,R4,", "P9,R4,", "P3,R1,"],
    )
    whole = validate(gazetteer, NameMatcher({"ชื่อ ข": "O3"}), **tables)
    monkeypatch.setattr(validate_module, "CHECK_PART_CELLS", 8)  # people: 6 rows of 8 columns in 6 parts
    parted = validate(gazetteer, lambda: NameMatcher({"ชื่อ ข": "O3"}), **tables)
    assert len(validate_module.list_check_parts({"people": table(tables["people"])}, 8)) == 6
    for name in whole.tables:
        pd.testing.assert_frame_equal(parted[name], whole[name])
    pd.testing.assert_frame_equal(parted.quarantine, whole.quarantine)
    pd.testing.assert_frame_equal(parted.org_matches, whole.org_matches)
    assert parted.counts == whole.counts
    # By hand: the second R1 and R3 are repeats, in other parts than the first; R2 has no
    # name; R4's organisation is written as a name, matched to O3.
    assert {(t, r, c) for t, r, c, *_ in lines_of(parted) if t == "people"} >= {
        ("people", 5, "record_id"), ("people", 7, "record_id"), ("people", 3, "name")}
    assert parted.org_matches[["row", "org_id"]].values.tolist() == [[6, "O3"]]


def test_every_table_s_references_are_checked_after_the_tables_it_points_at():
    """References are checked one table at a time in table order (issue 19): every table
    comes after its targets."""
    from analysis.ingest.schema import TABLE_ORDER, TABLES

    for i, name in enumerate(TABLE_ORDER):
        targets = {t for t, _ in TABLES[name].references.values() if t != name}
        assert targets <= set(TABLE_ORDER[:i]), (name, targets)