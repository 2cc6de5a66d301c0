"""Tests for analysis.overlaps: duplicate projects and the look-alikes that are not.

The fixture is one district of Sa Kaeo (วังน้ำเย็น, official code 2704) with three tambons:
คลองหินปูน (270405), ตาหลังใน (270403) and ทุ่งมหาเจริญ (270406). Every expected number is worked out by
hand in the test from the weights in analysis.overlaps.
"""

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import overlaps
from analysis.dataset import Dataset, empty_quarantine
from analysis.overlaps import build_group_id, find_duplicate_projects

PLACES = {
    "270405": ("สระแก้ว", "วังน้ำเย็น", "คลองหินปูน"),
    "270403": ("สระแก้ว", "วังน้ำเย็น", "ตาหลังใน"),
    "270406": ("สระแก้ว", "วังน้ำเย็น", "ทุ่งมหาเจริญ"),
    "2704": ("สระแก้ว", "วังน้ำเย็น", None),
}

ORGANISATIONS = [
    ("CODI", "พอช.", "fund", None, None),
    ("MSDHS", "พมจ.สระแก้ว", "agency", None, None),
    ("COUNCIL", "สภาองค์กรชุมชนตำบลคลองหินปูน", "community_council", None, "270405"),
    ("SAO", "อบต.คลองหินปูน", "local_government", None, "270405"),
    ("NGO", "มูลนิธิชุมชนไท", "ngo", None, None),
]

# project_id, title, lead, area, start, end
PROJECTS = [
    ("P1", "กองทุนสวัสดิการชุมชนตำบลคลองหินปูน", "COUNCIL", "270405", "2024-03-01", "2025-03-31"),
    ("P2", "สวัสดิการชุมชนเพื่อผู้ยากลำบาก", "SAO", "270405", "2024-05-01", "2025-01-31"),
    ("P3", "ซ่อมแซมบ้านผู้มีรายได้น้อย", "SAO", "270405", "2024-01-01", "2024-12-31"),
    ("P4", "บ้านมั่นคงชนบท", "COUNCIL", "270405", "2024-02-01", "2024-11-30"),
    ("P5", "ส่งเสริมอาชีพกลุ่มทอผ้า", "NGO", "270406", "2024-01-01", "2024-12-31"),
    ("P6", "กองทุนสวัสดิการชุมชน ระยะที่ 1", "COUNCIL", "270405", "2019-01-01", "2019-12-31"),
    ("P7", "บ้านมั่นคงชนบท ตำบลตาหลังใน", "NGO", "270403", "2024-02-01", "2024-11-30"),
    ("P8", "แผนชุมชนอำเภอวังน้ำเย็น", "MSDHS", "2704", "2024-01-01", "2024-12-31"),
    ("P9", "จัดทำแผนแม่บทชุมชน", "NGO", "270403", "2024-06-01", "2024-09-30"),
    ("P10", "เกษตรอินทรีย์วิถีพอเพียง", "NGO", "270406", None, None),
    ("P11", "ผักปลอดสารพิษ", "SAO", "270406", "2024-01-01", "2024-12-31"),
]

FUNDING = [("CODI", "P1", 100000.0), ("MSDHS", "P2", 50000.0), ("CODI", "P5", 20000.0), ("MSDHS", "P5", 30000.0)]

# record_id, name, org_id, person_id
PEOPLE = [
    ("r1", "นายสมชาย ใจดี", "COUNCIL", "P-somchai"),
    ("r2", "สมชาย ใจดี", "SAO", "P-somchai"),
    ("r3", "นางสมศรี มีสุข", "COUNCIL", "P-somsri"),
    ("r4", "นายมานะ ขยัน", "SAO", "P-mana"),
    ("r5", "นายมานะ ขยัน", "NGO", "P-mana"),
]
PARTICIPATION = [("P3", "r4", None), ("P4", None, "NGO")]


def _place_columns(codes: list) -> dict:
    rows = [PLACES.get(code, (None, None, None)) if code else (None, None, None) for code in codes]
    return {
        "province": [r[0] for r in rows], "district": [r[1] for r in rows], "tambon": [r[2] for r in rows],
        "province_code": [c[:2] if c else None for c in codes], "district_code": [c[:4] if c and len(c) >= 4 else None for c in codes],
        "tambon_code": [c if c and len(c) == 6 else None for c in codes], "area_code": codes,
        "is_place_known": [bool(c) for c in codes],
    }


def make_dataset(projects=PROJECTS, funding=FUNDING, people=PEOPLE, participation=PARTICIPATION,
                 source: Path = Path("fixture")) -> Dataset:
    """A checked dataset as analysis.ingest.validate would hand it on (normalised columns)."""
    orgs = pd.DataFrame({"org_id": [o[0] for o in ORGANISATIONS], "name": [o[1] for o in ORGANISATIONS],
                         "kind": [o[2] for o in ORGANISATIONS], "parent_id": [o[3] for o in ORGANISATIONS],
                         **_place_columns([o[4] for o in ORGANISATIONS])})
    proj = pd.DataFrame({"project_id": [p[0] for p in projects], "title": [p[1] for p in projects],
                         "description": None, "category": None, "lead_org_id": [p[2] for p in projects],
                         **_place_columns([p[3] for p in projects]),
                         "start": pd.to_datetime([p[4] for p in projects]), "end": pd.to_datetime([p[5] for p in projects]),
                         "budget_thb": np.nan})
    fund = pd.DataFrame({"funder_id": [f[0] for f in funding], "project_id": [f[1] for f in funding],
                         "recipient_org_id": None, "amount_thb": [f[2] for f in funding], "stream": None, "date": pd.NaT})
    ppl = pd.DataFrame({"record_id": [p[0] for p in people], "source": "roster", "name": [p[1] for p in people],
                        "org_id": [p[2] for p in people], "role": None, "phone": None, "email": None,
                        **_place_columns([None] * len(people))})
    part = pd.DataFrame({"project_id": [p[0] for p in participation], "record_id": [p[1] for p in participation],
                         "org_id": [p[2] for p in participation], "role": None})
    tables = {"organisations": orgs, "people": ppl, "projects": proj, "funding": fund, "participation": part}
    for table in tables.values():
        table["row"] = np.arange(2, len(table) + 2)
    return Dataset(tables=tables, quarantine=empty_quarantine(), counts={}, files={}, source=source)


def persons_of(people=PEOPLE) -> pd.DataFrame:
    return pd.DataFrame({"record_id": [p[0] for p in people], "person_id": [p[3] for p in people],
                         "person_name": [p[1] for p in people]})


@pytest.fixture(scope="module")
def result():
    return find_duplicate_projects(make_dataset(), persons_of())


def _group_of(result, project_id: str) -> set[str]:
    groups = result.groups
    group_id = groups.loc[groups["project_id"] == project_id, "group_id"]
    if group_id.empty:
        return set()
    return set(groups.loc[groups["group_id"] == group_id.iloc[0], "project_id"])


def _groups_of(result, project_id: str) -> list[set[str]]:
    """Every group holding the project (a project between two others that are not
    duplicates of each other is in two groups)."""
    groups = result.groups
    ids = groups.loc[groups["project_id"] == project_id, "group_id"]
    return sorted((set(groups.loc[groups["group_id"] == g, "project_id"]) for g in ids), key=sorted)


def _pair(result, a: str, b: str) -> pd.Series:
    pairs = result.pairs
    found = pairs[((pairs["project_a"] == a) & (pairs["project_b"] == b)) | ((pairs["project_a"] == b) & (pairs["project_b"] == a))]
    assert len(found) == 1, f"pair {a}-{b} not compared"
    return found.iloc[0]


def test_same_aim_same_tambon_same_time_is_a_duplicate(result):
    # P1 and P2: both welfare funds (aim Jaccard 1), P2's period inside P1's (fit 1), one shared
    # person (สมชาย is on both lead rosters) -> shared 0.5: 1 × (0.70 + 0.15 + 0.075) = 0.925.
    assert _group_of(result, "P1") == {"P1", "P2"}
    assert _pair(result, "P1", "P2")["score"] == pytest.approx(0.925)


def test_reasons_text_word_for_word(result):
    pair = _pair(result, "P1", "P2")
    assert pair["reasons"] == (
        "same tambon คลองหินปูน; periods 2024-03..2025-03 and 2024-05..2025-01 overlap; "
        "aims 1.00 alike (community welfare funds); funded by พอช. and พมจ.สระแก้ว; 1 shared person"
    )
    assert pair["reasons_th"] == (
        "ตำบลเดียวกัน คลองหินปูน; ช่วงเวลา 2024-03..2025-03 และ 2024-05..2025-01 ทับซ้อนกัน; "
        "เป้าหมายคล้ายกัน 1.00 (กองทุนสวัสดิการชุมชน); ทุนจาก พอช. และ พมจ.สระแก้ว; มีคนร่วมกัน 1 คน"
    )


def test_same_aim_in_different_words_is_a_duplicate(result):
    # ซ่อมแซมบ้าน... and บ้านมั่นคงชนบท share no aim words but both are housing (taxonomy).
    assert _group_of(result, "P3") == {"P3", "P4"}
    assert "(housing)" in _pair(result, "P3", "P4")["reasons"]


def test_co_funding_is_not_a_duplicate(result):
    # P5 has two funders and no look-alike in its tambon: listed as co-funded, in no group.
    assert _group_of(result, "P5") == set()
    row = result.co_funded.set_index("project_id").loc["P5"]
    assert (row["n_funders"], row["funder_ids"], row["amount_thb"]) == (2, "CODI|MSDHS", 50000.0)


def test_later_phase_is_not_a_duplicate(result):
    # P6 is a welfare fund in the same tambon in 2019: periods do not overlap.
    assert _group_of(result, "P6") == set()
    later = result.relations[result.relations["relation"] == "later_phase"]
    assert {frozenset(p) for p in zip(later["project_a"], later["project_b"])} == {
        frozenset({"P1", "P6"}), frozenset({"P2", "P6"})}
    row = later[later["project_b"] == "P6"].iloc[0] if (later["project_b"] == "P6").any() else later.iloc[0]
    assert "years apart" in row["detail"]


def test_template_in_another_tambon_is_not_a_duplicate(result):
    # P7 runs บ้านมั่นคงชนบท in ตาหลังใน, P4 in คลองหินปูน: neither area contains the other.
    assert "P7" not in _group_of(result, "P4")
    pairs = result.pairs
    assert not (((pairs["project_a"] == "P4") & (pairs["project_b"] == "P7")).any())
    templates = result.relations[result.relations["relation"] == "template"]
    # The family is listed from its first project by area code: P7 (270403) before P4 (270405).
    assert list(zip(templates["project_a"], templates["project_b"])) == [("P7", "P4")]


def test_district_project_is_a_candidate_for_its_tambons(result):
    # P8 (district วังน้ำเย็น, community plan) and P9 (tambon ตาหลังใน, แผนแม่บทชุมชน):
    # aims 1, P9 inside P8's year (fit 1), no shared ties, containing area (× 0.9):
    # 1 × 0.85 × 0.9 = 0.765.
    pair = _pair(result, "P8", "P9")
    assert pair["score"] == pytest.approx(0.765)
    assert pair["reasons"].startswith("district วังน้ำเย็น contains tambon ตาหลังใน")
    assert _group_of(result, "P8") == {"P8", "P9"}


def test_unknown_dates_lower_the_confidence_and_say_so(result):
    # P10 has no dates: period fit 0.5; มานะ is on both lead rosters (NGO, SAO): shared 0.5;
    # × 0.85: 1 × (0.70 + 0.075 + 0.075) × 0.85 = 0.7225.
    pair = _pair(result, "P10", "P11")
    assert pair["score"] == pytest.approx(0.7225)
    assert "dates of P10 incomplete: confidence lowered" in pair["reasons"]
    assert "วันที่ของ P10 ไม่ครบ: ความมั่นใจลดลง" in pair["reasons_th"]
    # With P10's dates known (the same year as P11) it scores 1 × (0.70 + 0.15 + 0.075) = 0.925.
    dated = [p if p[0] != "P10" else (*p[:4], "2024-01-01", "2024-12-31") for p in PROJECTS]
    known = find_duplicate_projects(make_dataset(projects=dated), persons_of())
    assert _pair(known, "P10", "P11")["score"] == pytest.approx(0.925)
    # Within the review band (0.5 ± 0.15): the reviewer is asked.
    assert ("P10", "P11") in set(zip(result.review["project_a"], result.review["project_b"]))


def test_different_aims_in_one_place_are_not_duplicates(result):
    # P1 (welfare) and P3 (housing), same tambon and year: aims 0 by taxonomy, little wording.
    assert _pair(result, "P1", "P3")["score"] < 0.2


def test_groups_are_deterministic_and_ids_come_from_content(result):
    again = find_duplicate_projects(make_dataset(projects=list(reversed(PROJECTS))), persons_of())
    pd.testing.assert_frame_equal(result.groups, again.groups)
    assert set(result.groups["group_id"]) == {build_group_id(["P1", "P2"]), build_group_id(["P3", "P4"]),
                                              build_group_id(["P8", "P9"]), build_group_id(["P10", "P11"])}


def test_host_is_the_organisation_with_most_presence(result):
    # Group P1+P2 lies in tambon 270405. By hand: COUNCIL has 2 roster persons (สมชาย, สมศรี;
    # no place of their own, COUNCIL works in 270405) + 3 projects it leads there (P1, P4, P6) = 5;
    # SAO has 2 persons (สมชาย, มานะ) + 2 projects (P2, P3) = 4; CODI funds P1 = 1; MSDHS funds P2 = 1.
    host = result.hosts.set_index("group_id").loc[build_group_id(["P1", "P2"])]
    assert (host["org_id"], host["n_persons"], host["n_projects"], host["presence"]) == ("COUNCIL", 2, 3, 5)
    row = result.groups[result.groups["project_id"] == "P1"].iloc[0]
    assert (row["suggested_host_id"], row["suggested_host"]) == ("COUNCIL", "สภาองค์กรชุมชนตำบลคลองหินปูน")



def test_projects_compared_beforehand_and_pickled_give_the_same_result():
    # A run compares projects in another process, before people are resolved, and gets the
    # comparison back pickled (analysis.pipeline.analyse_dataset); decisions included, since
    # they add pairs to the comparison.
    key = {r[0]: overlaps.build_project_key(r[1], r[3], pd.Timestamp(r[4])) for r in PROJECTS}
    decisions = pd.DataFrame({"kind": ["project"], "a": [key["P4"]], "b": [key["P7"]], "decision": ["same"], "note": [""]})
    dataset = make_dataset()
    compared = pickle.loads(pickle.dumps(overlaps.compare_projects(dataset, decisions)))
    assert compared.decided and "person_id" not in compared.compared.columns
    before = find_duplicate_projects(dataset, persons_of(), decisions, compared=compared)
    # what test_decisions_win_and_survive_new_ids works out by hand: P4–P7 decided the same
    assert {"P4", "P7"} in _groups_of(before, "P4") and before.parameters["n_decisions_applied"] == 1
    whole = find_duplicate_projects(dataset, persons_of(), decisions)
    for table in ("groups", "pairs", "review", "relations", "co_funded", "hosts"):
        pd.testing.assert_frame_equal(getattr(before, table), getattr(whole, table))
    assert before.parameters == whole.parameters

def test_decisions_win_and_survive_new_ids(result):
    # A reviewer says P1/P2 differ and P4/P7 are the same; the keys come from the review file's form.
    key = {r[0]: overlaps.build_project_key(r[1], r[3], pd.Timestamp(r[4])) for r in PROJECTS}
    decisions = pd.DataFrame({"kind": ["project", "project"], "a": [key["P1"], key["P4"]], "b": [key["P2"], key["P7"]],
                              "decision": ["different", "same"], "note": ["", ""]})
    renamed = [(f"NEW-{p[0]}", *p[1:]) for p in PROJECTS]
    renamed_funding = [(f[0], f"NEW-{f[1]}", f[2]) for f in FUNDING]
    renamed_part = [(f"NEW-{p[0]}", p[1], p[2]) for p in PARTICIPATION]
    decided = find_duplicate_projects(make_dataset(renamed, renamed_funding, PEOPLE, renamed_part), persons_of(), decisions)
    assert _group_of(decided, "NEW-P1") == set()
    # P4–P7 (decided, score 1.0) make a group; P3–P4 (0.925) cannot join it, since P3 and P7
    # were never compared (areas apart: CONTRACT §2 asks it of every two projects of a
    # group), so P3 is grouped with P4 alone and P4 is in both groups.
    assert _groups_of(decided, "NEW-P4") == [{"NEW-P3", "NEW-P4"}, {"NEW-P4", "NEW-P7"}]
    reviewed = set(zip(decided.review["key_a"], decided.review["key_b"]))
    assert (key["P1"], key["P2"]) not in reviewed and (key["P4"], key["P7"]) not in reviewed
    assert "reviewer decided: same" in _pair(decided, "NEW-P4", "NEW-P7")["reasons"]
    assert decided.parameters["n_decisions_applied"] == 2


def test_no_projects_gives_empty_tables():
    empty = find_duplicate_projects(make_dataset(projects=[], funding=[], participation=[]), persons_of())
    assert empty.groups.empty and empty.review.empty and empty.relations.empty
    assert list(empty.groups.columns)[:7] == ["group_id", "project_id", "title", "tambon", "funder", "score", "reasons"]


def test_users_aims_file_beside_the_dataset_is_used(tmp_path):
    # The user's housing row knows only บ้านมั่นคง: ซ่อมแซมบ้าน (P3) is no longer housing, so P3
    # and P4 share no aim and little wording, and fall apart.
    (tmp_path / "aims.csv").write_text("aim_id,label_th,label_en,keywords_th\nhousing,ที่อยู่อาศัย,housing,บ้านมั่นคง\n",
                                       encoding="utf-8")
    result = find_duplicate_projects(make_dataset(source=tmp_path), persons_of())
    assert _group_of(result, "P3") == set()


def test_a_group_never_holds_two_projects_whose_periods_do_not_overlap():
    # A and C (2024 H1, 2025 H1: a later phase) each overlap B (Mar 2024 – Mar 2025); all
    # three are housing in คลองหินปูน. CONTRACT §2 asks every two projects of a group to
    # overlap, so B is grouped with each, and A with C never.
    projects = [
        ("A", "บ้านมั่นคงชนบท", "COUNCIL", "270405", "2024-01-01", "2024-06-30"),
        ("B", "ซ่อมแซมบ้านผู้มีรายได้น้อย", "SAO", "270405", "2024-03-01", "2025-03-31"),
        ("C", "บ้านมั่นคงชนบท ระยะที่ 2", "COUNCIL", "270405", "2025-01-01", "2025-06-30"),
    ]
    result = find_duplicate_projects(make_dataset(projects, [], PEOPLE, []), persons_of())
    assert _groups_of(result, "B") == [{"A", "B"}, {"B", "C"}]
    assert set(result.relations.query("relation == 'later_phase'")[["project_a", "project_b"]].itertuples(index=False,
               name=None)) == {("A", "C")}


def test_text_keeps_thai_vowels_and_tone_marks():
    # The marks above and below the line are letters of the word: บ้านมั่นคง is not บานมนคง.
    assert overlaps._strip_text("บ้านมั่นคง ตำบลคลองหินปูน", ("คลองหินปูน",)) == "บ้านมั่นคง"
