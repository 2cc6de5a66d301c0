"""Coverage, gaps, pile-ups and funding streams on the Tha Sala fixture, counted by hand."""

import math

from analysis.coverage import COVERAGE_COLUMNS, compute_coverage, compute_funding_streams, find_gaps, find_pile_ups
from fixtures_network import FakeGazetteer, build_tha_sala, make_dataset


def tha_sala_coverage():
    dataset, _ = build_tha_sala()
    return compute_coverage(dataset, FakeGazetteer())


def row(coverage, area, category, agency):
    found = coverage[(coverage["area"] == area) & (coverage["category"] == category) & (coverage["agency"] == agency)]
    assert len(found) == 1
    return found.iloc[0]


def test_contract_columns_come_first():
    assert COVERAGE_COLUMNS[:5] == ["area", "category", "agency", "projects", "budget_thb"]
    assert list(tha_sala_coverage().columns) == COVERAGE_COLUMNS


def test_a_project_counts_for_its_lead_s_and_each_funder_s_agency():
    coverage = tha_sala_coverage()
    # J1 (welfare, 800801, 100,000): led by WF (→ อบต.ท่าศาลา), paid by สสส. and พอช.
    tambon = coverage[(coverage["area"] == "800801") & (coverage["category"] == "สวัสดิการ")]
    assert sorted(tambon["agency"]) == ["พอช.", "สสส.", "อบต.ท่าศาลา"]
    assert tambon["projects"].tolist() == [1, 1, 1] and tambon["budget_thb"].tolist() == [100000.0] * 3


def test_projects_roll_up_to_district_province_group_and_region():
    coverage = tha_sala_coverage()
    # welfare by CODI in district 8008: J1 (100,000, tambon 800801) + J2 (50,000, 800802)
    district = row(coverage, "8008", "สวัสดิการ", "พอช.")
    assert (district["projects"], district["budget_thb"], district["area_level"]) == (2, 150000.0, "district")
    for area in ("80", "group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย", "region:ภาคใต้"):
        assert row(coverage, area, "สวัสดิการ", "พอช.")["projects"] == 2
    # J5 is placed at district level only: it starts counting at the district
    assert not (coverage["category"] == "แผนชุมชน").loc[coverage["area_level"] == "tambon"].any()
    plan = row(coverage, "8008", "แผนชุมชน", "พอช.")
    assert plan["projects"] == 1 and math.isnan(plan["budget_thb"])  # no budget known: empty, not 0


def test_names_and_levels_of_areas():
    coverage = tha_sala_coverage()
    names = dict(zip(coverage["area"], coverage["area_name"]))
    assert names["800802"] == "กลาย" and names["8008"] == "ท่าศาลา" and names["region:ภาคใต้"] == "ภาคใต้"
    levels = coverage["area_level"].drop_duplicates().tolist()
    assert levels == ["tambon", "district", "province", "province_group", "region"]  # finest first


def test_a_project_without_agency_is_listed_under_an_empty_agency():
    dataset = make_dataset(
        organisations=[{"org_id": "NGO", "name": "มูลนิธิ", "kind": "ngo"}],
        people=[],
        projects=[{"project_id": "J", "title": "ป่าชุมชน", "category": "ป่า", "lead_org_id": "NGO", "code": "800803"}],
    )
    coverage = compute_coverage(dataset, FakeGazetteer())
    assert row(coverage, "800803", "ป่า", "")["projects"] == 1


def test_gaps_are_official_tambons_missing_a_category_of_their_district():
    gaps = find_gaps(tha_sala_coverage(), FakeGazetteer())
    # District 8008 has tambons 800801, 800802, 800803 (fake gazetteer). Welfare works in
    # 800801 and 800802 → gap in 800803. Housing works in 800801 only → gaps in 800802 and
    # 800803. The community plan J5 is district-wide: it works everywhere, no gap.
    assert gaps[["tambon", "category", "n_tambons_with"]].values.tolist() == [
        ["800802", "ที่อยู่อาศัย", 1],
        ["800803", "ที่อยู่อาศัย", 1],
        ["800803", "สวัสดิการ", 2],
    ]
    assert gaps["tambon_name"].tolist() == ["กลาย", "ท่าขึ้น", "ท่าขึ้น"]
    assert gaps["agencies_in_district"].iloc[0] == "พอช.|อบต.ท่าศาลา"


def test_pile_up_needs_three_agencies_in_one_tambon_and_category():
    coverage = tha_sala_coverage()
    piles = find_pile_ups(coverage)
    # only welfare in 800801 has three agencies (J1: SAO leads, THF and CODI fund)
    assert piles[["area", "category", "n_agencies", "agency_ids"]].values.tolist() == [
        ["800801", "สวัสดิการ", 3, "CODI|SAO|THF"]]
    # with two, housing in 800801 (CODI funds J3, SAO leads J4) joins
    assert len(find_pile_ups(coverage, min_agencies=2)) == 2


def test_funding_streams_per_place():
    dataset, _ = build_tha_sala()
    streams = compute_funding_streams(dataset, FakeGazetteer())
    assert streams[["area", "funder_id", "stream", "n_projects", "n_organisations", "amount_thb"]].values.tolist() == [
        ["800801", "CODI", "บ้านมั่นคง", 1, 0, 150000.0],           # J3
        ["800801", "CODI", "สมทบกองทุนสวัสดิการ", 1, 0, 25000.0],    # J1
        ["800801", "THF", "สมทบกองทุนสวัสดิการ", 1, 0, 30000.0],     # J1
        ["800802", "CODI", "สมทบกองทุนสวัสดิการ", 1, 0, 20000.0],    # J2
        ["800802", "THF", "", 0, 1, 10000.0],                      # CC, located in 800802
    ]
    # every baht of the funding table is placed somewhere
    assert streams["amount_thb"].sum() == dataset["funding"]["amount_thb"].sum()


def test_money_to_an_unplaced_receiver_is_kept_with_an_empty_area():
    dataset = make_dataset(
        organisations=[{"org_id": "F", "name": "กองทุน", "kind": "fund"}, {"org_id": "G", "name": "กลุ่ม", "kind": "community_org"}],
        people=[],
        funding=[{"funder_id": "F", "recipient_org_id": "G", "amount_thb": 500}],
    )
    streams = compute_funding_streams(dataset, FakeGazetteer())
    assert streams[["area", "funder", "amount_thb"]].values.tolist() == [["", "กองทุน", 500.0]]


def test_empty_optional_tables_give_empty_tables():
    dataset = make_dataset(organisations=[{"org_id": "A", "name": "ก", "kind": "agency"}], people=[])
    coverage = compute_coverage(dataset, FakeGazetteer())
    assert coverage.empty and list(coverage.columns) == COVERAGE_COLUMNS
    assert find_gaps(coverage, FakeGazetteer()).empty and find_pile_ups(coverage).empty
    assert compute_funding_streams(dataset, FakeGazetteer()).empty


def test_without_categories_work_is_told_by_title_and_no_pile_up_or_gap_is_blank():
    # Six agencies each lead one project in tambon 800801; no project has a category. By the
    # aims taxonomy (analysis/data/aims.csv): three titles are housing (A1, A5, A6), one
    # welfare fund, one elderly care, one names no aim. Housing is the only pile-up (3
    # agencies); the old grouping on "" made one pile-up of all six.
    titles = {"A1": "ซ่อมแซมบ้านผู้มีรายได้น้อย", "A2": "กองทุนสวัสดิการชุมชน", "A3": "ดูแลผู้สูงอายุ",
              "A4": "ประชุมประจำปี", "A5": "บ้านมั่นคงชนบท", "A6": "สร้างบ้านผู้ยากไร้"}
    dataset = make_dataset(
        organisations=[{"org_id": a, "name": f"หน่วยงาน {a}", "kind": "agency"} for a in titles],
        people=[],
        projects=[{"project_id": f"J-{a}", "title": title, "lead_org_id": a, "code": "800801"} for a, title in titles.items()],
    )
    coverage = compute_coverage(dataset, FakeGazetteer())
    tambon = coverage[coverage["area"] == "800801"]
    assert sorted(tambon["category"].unique()) == ["", "กองทุนสวัสดิการชุมชน", "ที่อยู่อาศัย", "ผู้สูงอายุ"]
    assert row(coverage, "800801", "", "หน่วยงาน A4")["projects"] == 1  # counted, under ""
    piles = find_pile_ups(coverage)
    assert piles[["area", "category", "n_agencies", "agency_ids"]].values.tolist() == [
        ["800801", "ที่อยู่อาศัย", 3, "A1|A5|A6"]]
    gaps = find_gaps(coverage, FakeGazetteer())
    assert "" not in set(gaps["category"])
    assert len(gaps) == 2 * 3  # three named lines of work, each missing from 800802 and 800803
