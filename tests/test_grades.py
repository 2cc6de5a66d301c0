"""Grades of the Tha Sala tambons, every indicator counted by hand from fixtures_network's story.

Tambon 800801 (Tha Sala): no community council (CC is in 800802); the welfare fund WF leads J1
(active); streams (THF, สมทบ…), (CODI, บ้านมั่นคง), (CODI, สมทบ…) = 3; agencies of J1 (SAO by
WF's parent, THF, CODI), J3 (CODI; NGOB's root is an NGO), J4 (SAO) = 3; kinds of work present
สวัสดิการ and ที่อยู่อาศัย, no gap = 1.0; P-04 (J1, J3, J4 of 3) and P-01 (J1, J3 of 3) hold half
or more = 2; duplicate group G1 = 1.

Default weights (analysis/data/grading.csv): 0 + 2 + 2×3/12 + 2×3/6 + 2×1.0 − 2×2/4 − 1×1/2
= 4.0 of 10 positive points → 40.0, grade C (< 50).

Tambon 800802 (Klai): CC is active (leads J2) = 1; no welfare fund; streams (CODI, สมทบ…) and
THF's payment to CC without a stream = 2; agencies of J2: CODI = 1; สวัสดิการ present,
ที่อยู่อาศัย a gap = 0.5; one project only, so no concentration; no duplicate.
2 + 2×2/12 + 2×1/6 + 2×0.5 = 3.6666 → 36.7, C.

Tambon 800803 (Tha Khuen): only gaps (สวัสดิการ, ที่อยู่อาศัย) → every indicator 0 → 0.0, C.
"""

import pandas as pd
import pytest

from analysis.errors import DatasetError
from analysis.grades import INDICATORS, load_grading
from fixtures_grades import build_grade_tables

EXPECTED = {
    "800801": {"has_council": 0, "has_welfare_fund": 1, "n_streams": 3, "n_agencies": 3, "aim_coverage": 1.0,
               "n_concentrated": 2, "n_duplicate_groups": 1},
    "800802": {"has_council": 1, "has_welfare_fund": 0, "n_streams": 2, "n_agencies": 1, "aim_coverage": 0.5,
               "n_concentrated": 0, "n_duplicate_groups": 0},
    "800803": {name: 0 for name in INDICATORS},
}


@pytest.fixture(scope="module")
def grades():
    return build_grade_tables()[1]["grades"].set_index("area")


def test_every_tambon_of_the_lists_and_gaps_is_graded(grades):
    assert sorted(grades.index) == ["800801", "800802", "800803"]


@pytest.mark.parametrize("area", sorted(EXPECTED))
def test_indicators_counted_by_hand(grades, area):
    assert {name: grades.at[area, name] for name in INDICATORS} == pytest.approx(EXPECTED[area])


def test_scores_and_grades_from_the_hand_computed_indicators(grades):
    assert grades.loc[["800801", "800802", "800803"], "score"].tolist() == [40.0, 36.7, 0.0]
    assert set(grades["grade"]) == {"C"}
    # contributions: 2×3/12 for 800801's streams, −2×2/4 for its two concentrated persons
    assert grades.at["800801", "n_streams_points"] == 0.5
    assert grades.at["800801", "n_concentrated_points"] == -1.0
    assert list(grades.index) == ["800801", "800802", "800803"]  # best score first


def test_the_reason_names_what_counted_in_both_languages(grades):
    en, th = grades.at["800801", "reason"], grades.at["800801", "reason_th"]
    assert en.startswith("grade C, score 40 (< 50)")
    assert "not found in the lists: active community council" in en
    assert "to resolve: people holding half or more of the work 2 (-1)" in en
    assert th.startswith("กลุ่ม C คะแนน 40") and "สภาองค์กรชุมชนตำบลที่มีงาน" in th


def test_people_reached_per_tambon(grades):
    # 800801: rosters of SAO (P-05), WF (P-01, P-04), NGOB (P-04); J1 (P-02), J3 (P-01), J4 (P-04)
    # 800802: roster of CC (P-03), J2 (P-03)
    assert grades.loc[["800801", "800802", "800803"], "n_people"].tolist() == [4, 1, 0]


def test_bridging_organisations_at_work_per_tambon(grades):
    # bridges.csv of fixtures_grades: CODI 1, SAO 2, THF 3, CC 4, NGOB 5, WF 6 (betweenness > 0);
    # 800801: SAO, WF, NGOB placed there, CODI and THF pay J1/J3 there; 800802: CC placed there,
    # CODI pays J2, THF pays CC; 800803: nothing in the lists
    assert grades.loc[["800801", "800802", "800803"], "bridge_org_ids"].tolist() == [
        "CODI|SAO|THF|NGOB|WF", "CODI|THF|CC", ""]
    assert set(grades["province_group"]) == {"group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย"}


def test_counts_per_district_province_and_group():
    counts = build_grade_tables()[1]["grade_counts"].set_index("area")
    for area in ("8008", "80", "group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย"):
        assert counts.loc[area, ["n_tambons", "n_A", "n_B", "n_C"]].tolist() == [3, 0, 0, 3]
    assert counts.at["8008", "mean_score"] == 25.6  # (40.0 + 36.7 + 0.0) / 3


def test_an_edited_grading_file_changes_the_grades(tmp_path):
    # Without the penalty for concentration 800801 scores 4.0 + 1.0 = 5.0 of 10 → 50.0, B;
    # with B from 35, 800802 (36.7) is B too.
    (tmp_path / "grading.csv").write_text(
        "kind,name,value,cap\nindicator,n_concentrated,0,4\ncutoff,B,35,\n", encoding="utf-8")
    grading = load_grading(tmp_path)
    grades = build_grade_tables(grading)[1]["grades"].set_index("area")
    assert grades.loc[["800801", "800802", "800803"], "score"].tolist() == [50.0, 36.7, 0.0]
    assert grades.loc[["800801", "800802", "800803"], "grade"].tolist() == ["B", "B", "C"]
    assert len(grading) == len(load_grading())  # rows replaced, not added


@pytest.mark.parametrize("text, message", [
    ("kind,name,value,cap\nindicator,n_members,1,2\n", "row 2, column name: 'n_members' is not one of"),
    ("kind,name,value,cap\nindicator,n_streams,many,2\n", "row 2, column value: 'many' is not a number"),
    ("kind,name,value,cap\nindicator,n_streams,1,0\n", "row 2, column cap: the cap must be above 0"),
    ("kind,name,value,cap\ncutoff,C,10,\n", "a cutoff is for grade A or B"),
    ("name,value\nn_streams,1\n", "has no column kind"),
])
def test_a_broken_grading_file_is_one_sentence(tmp_path, text, message):
    (tmp_path / "grading.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError, match=message):
        load_grading(tmp_path)


def test_the_default_settings_document_every_row():
    grading = load_grading()
    assert sorted(grading.loc[grading["kind"] == "indicator", "name"]) == sorted(INDICATORS)
    assert (grading["reason"].str.len() > 20).all()
    assert isinstance(grading, pd.DataFrame)


def test_people_and_reach_made_beforehand_are_the_ones_graded():
    # A run counts people per tambon and finds where organisations work beside the other
    # analyses, and gives them to the grading: the same grades as when it makes them itself.
    from analysis.grades import compute_grades, count_people, find_org_reach
    from fixtures_network import FakeGazetteer

    dataset, tables = build_grade_tables()
    n_people, reach = count_people(dataset, tables["persons"]), find_org_reach(dataset)
    given = compute_grades(dataset, tables, load_grading(), FakeGazetteer(), n_people=n_people, reach=reach)
    pd.testing.assert_frame_equal(given, tables["grades"])
    # ... and they are used, not made again: four people in 800801 by hand above, nine given here.
    nine = compute_grades(dataset, tables, load_grading(), FakeGazetteer(), n_people=n_people.replace(4, 9), reach=reach)
    assert nine.set_index("area").loc["800801", "n_people"] == 9
