"""The profile of tambon 800801 (Tha Sala) of fixtures_network's story, counted by hand.

Its organisations: SAO, WF, NGOB. Its projects: J1 (สวัสดิการ, 100,000, 2024-10-01 to
2025-09-30), J3 (ที่อยู่อาศัย, 200,000), J4 (ที่อยู่อาศัย, 40,000). Money in: THF → J1 30,000 and
CODI → J1 25,000 (สมทบกองทุนสวัสดิการ), CODI → J3 150,000 (บ้านมั่นคง): 205,000 in all.
People with hats there: P-02 (THF staff, adviser in J1: THF, SAO, CODI = 3 agencies) and P-01
(CODI-S and WF rosters, J3: CODI, SAO = 2); both sit on the giving side of a payment they
receive. Duplicate group G1 (J3, J4); no gap (both kinds of work of the district are there).
"""

import math

import pandas as pd
import pytest

from analysis.profiles import ProfileBook, find_area, load_population
from analysis.errors import DatasetError
from fixtures_grades import build_grade_tables
from fixtures_network import FakeGazetteer


@pytest.fixture(scope="module")
def book():
    dataset, tables = build_grade_tables()
    return ProfileBook(dataset, tables, FakeGazetteer(), population={"800801": 5000})


@pytest.fixture(scope="module")
def profile(book):
    return book.build("800801")


def test_header_and_grade(profile):
    assert (profile.name_th, profile.name_en, profile.level) == ("ท่าศาลา", "Tha Sala", "tambon")
    assert profile.parents == [("district", "8008", "ท่าศาลา"), ("province", "80", "นครศรีธรรมราช"),
                               ("province_group", "group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย", "กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย")]
    assert profile.pages == {"800801": "800801.html", "8008": "8008.html", "80": "80.html",
                             "group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย": "group-11.html"}  # FakeGazetteer: group 11
    assert (profile.grade["grade"], profile.grade["score"]) == ("C", 40.0)  # test_grades.py


def test_organisations_and_projects_counted(profile):
    assert sorted(profile.tables["organisations"]["name"]) == sorted(
        ["อบต.ท่าศาลา", "กองทุนสวัสดิการชุมชนตำบลท่าศาลา", "เครือข่ายบ้านมั่นคงท่าศาลา"])
    assert profile.tables["projects"]["project_id"].tolist() == ["J3", "J4", "J1"]  # by category, then id
    by_aim = profile.tables["by_aim"].set_index("category")
    assert by_aim.loc["ที่อยู่อาศัย"].tolist() == [2, 240000.0] and by_aim.loc["สวัสดิการ"].tolist() == [1, 100000.0]
    by_agency = profile.tables["by_agency"].set_index("agency")["n_projects"].to_dict()
    assert by_agency == {"พอช.": 2, "อบต.ท่าศาลา": 2, "สสส.": 1}  # J1: all three; J3: CODI; J4: SAO
    assert profile.tables["by_period"].set_index("period")["n_projects"].to_dict() == {"2567–2568": 1, "—": 2}


def test_funding_per_stream_equals_the_funding_table(profile):
    dataset, _ = build_grade_tables()
    funding = dataset["funding"]
    paid = funding[funding["project_id"].isin(["J1", "J3", "J4"])]
    expected = paid.groupby(["funder_id", "stream"])["amount_thb"].sum()
    names = {"THF": "สสส.", "CODI": "พอช."}
    expected = {(names[f], s): a for (f, s), a in expected.items()}
    got = profile.tables["funding"].set_index(["funder", "stream"])["amount_thb"].to_dict()
    assert got == expected == {("สสส.", "สมทบกองทุนสวัสดิการ"): 30000.0, ("พอช.", "สมทบกองทุนสวัสดิการ"): 25000.0,
                               ("พอช.", "บ้านมั่นคง"): 150000.0}
    assert profile.totals["amount_thb"] == 205000.0
    per_head = profile.tables["funding"].set_index(["funder", "stream"])["thb_per_head"]
    assert per_head[("พอช.", "บ้านมั่นคง")] == 30.0  # 150,000 / 5,000 people


def test_hats_bridges_duplicates_gaps(profile):
    hats = profile.tables["hats"]
    assert hats["person"].tolist() == ["สมหญิง รักถิ่น", "สมชาย ใจดี"] and hats["n_agencies"].tolist() == [3, 2]
    assert (hats["giver_receiver"] != "").all()
    # reaching 800801: its SAO, WF, NGOB; the funders THF, CODI (CODI-S leads only J5, district-wide)
    assert profile.tables["bridges"]["rank"].tolist() == [1, 2, 3, 5, 6]
    assert profile.tables["duplicates"][["group_id", "projects"]].values.tolist() == [["G1", "J3, J4"]]
    assert profile.tables["gaps"].empty
    assert profile.tables["concentration"]["n_projects"].tolist() == [3, 2]  # P-04, P-01


def test_a_district_rolls_its_tambons_up(book):
    district = book.build("8008")
    assert district.level == "district" and district.grade is None
    assert district.grade_counts[["n_tambons", "n_C"]].values.tolist() == [[3, 3]]
    assert district.totals["projects"] == 5  # J1–J5, J5 placed at district level
    assert district.totals["amount_thb"] == 235000.0  # every funding row of the story
    gaps = district.tables["gaps"].set_index("category")["n_tambons"].to_dict()
    assert gaps == {"ที่อยู่อาศัย": 2, "สวัสดิการ": 1}  # 800802, 800803 / 800803


def test_a_district_lists_its_tambons_and_a_province_its_districts(book):
    district = book.build("8008")
    # the three tambons of the story, all graded C (test_grades.py), by code
    assert district.tables["areas"][["area", "grade"]].values.tolist() == [["800801", "C"], ["800802", "C"],
                                                                            ["800803", "C"]]
    province = book.build("80")
    assert province.parents == [("province_group", "group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย", "กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย")]
    assert province.tables["areas"][["area", "n_tambons", "n_C"]].values.tolist() == [["8008", 3, 3]]
    assert province.pages["8008"] == "8008.html"


def test_a_province_group_rolls_its_provinces_up(book):
    assert book.rollups() == ["8008", "80", "group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย"]  # grade_counts.csv order
    group = book.build("group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย")
    assert (group.level, group.name_th, group.name_en) == ("province_group", "กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย",
                                                           "South Gulf of Thailand")
    assert group.parents == [("region", "", "ภาคใต้")]
    assert group.grade_counts[["n_tambons", "n_C"]].values.tolist() == [[3, 3]]
    assert group.tables["areas"][["area", "n_tambons"]].values.tolist() == [["80", 3]]
    # the group holds province 80 only (FakeGazetteer): the same totals as the district's
    assert group.totals["projects"] == 5 and group.totals["amount_thb"] == 235000.0
    assert group.pages["group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย"] == "group-11.html"


def test_a_public_profile_names_only_public_roles():
    dataset, tables = build_grade_tables()
    book = ProfileBook(dataset, tables, FakeGazetteer(), public_ids={"P-02"})
    hats = book.build("800801").tables["hats"]
    assert hats["person"].tolist() == ["สมหญิง รักถิ่น", "บุคคล P-01"]
    leaders = book.build("800802").tables["organisations"]
    assert leaders["leaders"].tolist() == ["บุคคล P-03 (ประธาน)"]  # P-03 not in public_ids here


def test_no_money_known_is_not_zero(book):
    profile = book.build("800803")
    assert profile.tables["funding"].empty and math.isnan(profile.totals["amount_thb"])


def test_find_area_by_code_or_name():
    from analysis.places import load_gazetteer

    gazetteer = load_gazetteer()
    assert find_area("270201", gazetteer) == "270201"
    assert find_area("ต.คลองหาด", gazetteer) == "270201"
    assert find_area("อ.วังน้ำเย็น", gazetteer) == "2704"
    assert find_area("ไม่มีที่นี่", gazetteer) is None and find_area("999999", gazetteer) is None
    # หนองบัว names 28 tambons: ambiguous unless the run's own tambons settle it
    assert find_area("ต.หนองบัว", gazetteer) is None
    # Sa Kaeo (27) is in กลุ่มจังหวัดภาคตะวันออก 2, "East 2", group 9 (analysis/data/province_groups.csv)
    for text in ("กลุ่มจังหวัดภาคตะวันออก 2", "ภาคตะวันออก 2", "East 2", "east 2 province group", "group-09",
                 "group:กลุ่มจังหวัดภาคตะวันออก 2"):
        assert find_area(text, gazetteer) == "group:กลุ่มจังหวัดภาคตะวันออก 2", text
    assert find_area("ภาคตะวันออก", gazetteer) is None  # a region, not a group


def test_population_file(tmp_path):
    assert load_population(tmp_path) == {}
    (tmp_path / "population.csv").write_text("area,population\n800801,\"5,000\"\n", encoding="utf-8")
    assert load_population(tmp_path) == {"800801": 5000.0}
    (tmp_path / "population.csv").write_text("area,population\nท่าศาลา,5000\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="row 2, column area"):
        load_population(tmp_path)
    assert isinstance(pd.DataFrame(), pd.DataFrame)
