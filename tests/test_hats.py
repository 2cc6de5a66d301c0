"""Many hats, giver and receiver, concentration — on the Tha Sala fixture, counted by hand."""

from analysis.hats import HATS_COLUMNS, compute_concentration, compute_hats, find_givers_receivers
from fixtures_network import FakeGazetteer, build_tha_sala, make_dataset, make_persons


def hats_by_person():
    dataset, persons = build_tha_sala()
    return compute_hats(dataset, persons).set_index("person_id")


def test_columns_follow_the_contract():
    dataset, persons = build_tha_sala()
    assert list(compute_hats(dataset, persons).columns) == HATS_COLUMNS
    assert HATS_COLUMNS[:6] == ["person_id", "person_name", "n_agencies", "n_organisations", "n_projects", "agencies"]


def test_agencies_served_through_rosters_and_projects():
    hats = hats_by_person()
    # P-01: on the rosters of CODI's southern office (→ CODI) and the welfare fund (→ SAO);
    #       takes part in J3, led by NGOB (no agency) and paid by CODI → {CODI, SAO} = 2.
    # P-02: ThaiHealth staff (→ THF); takes part in J1, led by WF (→ SAO), paid by THF and
    #       CODI → {THF, SAO, CODI} = 3.
    # P-03: chairs CC (no agency); takes part in J2, paid by CODI → {CODI} = 1.
    # P-04: NGOB (none) and WF (→ SAO) rosters; takes part in J4, led by SAO → {SAO} = 1.
    # P-05: SAO staff → {SAO} = 1.
    assert hats["n_agencies"].to_dict() == {"P-02": 3, "P-01": 2, "P-04": 1, "P-03": 1, "P-05": 1}
    assert hats.loc["P-02", "agencies"] == "พอช.|สสส.|อบต.ท่าศาลา"
    assert hats.loc["P-01", "agencies"] == "พอช.|อบต.ท่าศาลา"


def test_organisations_projects_and_roles():
    hats = hats_by_person()
    assert hats.loc["P-01", ["n_organisations", "n_projects"]].tolist() == [2, 1]  # CODI-S, WF; J3
    assert hats.loc["P-05", ["n_organisations", "n_projects"]].tolist() == [1, 0]  # SAO; none
    # P-02's roles: เจ้าหน้าที่ on ThaiHealth's roster, ที่ปรึกษา in J1
    assert hats.loc["P-02", "roles"] == "ที่ปรึกษา|เจ้าหน้าที่"


def test_most_hats_first_then_organisations_projects_and_id():
    dataset, persons = build_tha_sala()
    order = compute_hats(dataset, persons)["person_id"].tolist()
    # 3 agencies, then 2; among the 1-agency persons P-04 has 2 organisations, P-03 and P-05
    # one each, and P-03 takes part in one project where P-05 takes part in none.
    assert order == ["P-02", "P-01", "P-04", "P-03", "P-05"]


def test_a_person_serving_no_agency_is_listed_with_zero():
    dataset = make_dataset(
        organisations=[{"org_id": "NGO", "name": "มูลนิธิ", "kind": "ngo"}],
        people=[{"record_id": "r1", "source": "s", "name": "ก", "org_id": "NGO"},
                {"record_id": "r2", "source": "s", "name": "ข"}],
    )
    hats = compute_hats(dataset, make_persons({"r1": ("P-1", "ก"), "r2": ("P-2", "ข")}))
    assert hats[["person_id", "n_agencies", "n_organisations", "agencies"]].values.tolist() == [
        ["P-1", 0, 1, ""], ["P-2", 0, 0, ""]]


def test_givers_and_receivers():
    hats = hats_by_person()
    # P-02 is ThaiHealth staff and takes part in J1, which ThaiHealth pays.
    # P-01 is on CODI's southern office roster; CODI pays J3 (P-01 takes part) and J1 (P-01
    # sits on the roster of its lead, the welfare fund, outside CODI's tree).
    # P-04 is on the welfare fund's roster too, but on no funder's side.
    assert hats["is_giver_receiver"].to_dict() == {
        "P-02": True, "P-01": True, "P-04": False, "P-03": False, "P-05": False}
    assert hats.loc["P-02", "giver_receiver_detail"] == "สสส. → J1 กองทุนสวัสดิการชุมชนท่าศาลา (takes part; roster of สสส.)"
    assert hats.loc["P-01", "giver_receiver_detail"].count("พอช. →") == 2


def test_paying_inside_one_agency_is_not_giving_and_receiving():
    # CODI pays a project that its own provincial office leads, and the office's coordinator
    # takes part: that is CODI delivering its own work.
    dataset = make_dataset(
        organisations=[{"org_id": "CODI", "name": "พอช.", "kind": "agency"},
                       {"org_id": "CODI-80", "name": "พอช. นครศรีฯ", "kind": "agency", "parent_id": "CODI"}],
        people=[{"record_id": "r1", "source": "s", "name": "ก", "org_id": "CODI-80"}],
        projects=[{"project_id": "J", "title": "แผนชุมชน", "lead_org_id": "CODI-80"}],
        funding=[{"funder_id": "CODI", "project_id": "J", "amount_thb": 1000}],
        participation=[{"project_id": "J", "record_id": "r1"}],
    )
    persons = make_persons({"r1": ("P-1", "ก")})
    assert find_givers_receivers(dataset, persons).empty
    assert not compute_hats(dataset, persons)["is_giver_receiver"].any()


def test_a_payment_to_an_organisation_counts_its_roster_as_receivers():
    # ThaiHealth pays the council CC; a ThaiHealth officer also sits on CC's committee.
    dataset = make_dataset(
        organisations=[{"org_id": "THF", "name": "สสส.", "kind": "fund"},
                       {"org_id": "CC", "name": "สภาองค์กรชุมชน", "kind": "community_council"}],
        people=[{"record_id": "r1", "source": "s", "name": "ก", "org_id": "THF"},
                {"record_id": "r2", "source": "s", "name": "ก", "org_id": "CC"}],
        funding=[{"funder_id": "THF", "recipient_org_id": "CC", "amount_thb": 10000}],
    )
    found = find_givers_receivers(dataset, make_persons({"r1": ("P-1", "ก"), "r2": ("P-1", "ก")}))
    assert found["detail"].tolist() == ["สสส. → สภาองค์กรชุมชน (on its roster; roster of สสส.)"]


def test_a_community_body_registered_under_the_funder_is_not_its_giving_side():
    # The tambon council CC is registered under CODI (parent_id) but is not one of CODI's
    # offices: its member who takes part in a CODI-paid project receives, she does not give.
    dataset = make_dataset(
        organisations=[{"org_id": "CODI", "name": "พอช.", "kind": "agency"},
                       {"org_id": "CC", "name": "สภาองค์กรชุมชน", "kind": "community_council", "parent_id": "CODI"},
                       {"org_id": "SAO", "name": "อบต.", "kind": "local_government"}],
        people=[{"record_id": "r1", "source": "s", "name": "ก", "org_id": "CC"}],
        projects=[{"project_id": "J", "title": "บ้านมั่นคง", "lead_org_id": "SAO"}],
        funding=[{"funder_id": "CODI", "project_id": "J", "amount_thb": 1000}],
        participation=[{"project_id": "J", "record_id": "r1"}],
    )
    assert find_givers_receivers(dataset, make_persons({"r1": ("P-1", "ก")})).empty


def test_concentration_lists_people_holding_half_a_tambon_s_projects():
    dataset, persons = build_tha_sala()
    table = compute_concentration(dataset, persons, FakeGazetteer())
    # Tambon 800801 has J1, J3, J4 (J5 is district-wide, not counted). Through P-04: J1 (on
    # the roster of its lead WF), J3 (roster of lead NGOB), J4 (takes part) → 3/3. Through
    # P-01: J1 (roster of WF), J3 (takes part) → 2/3. P-02 and P-05: 1/3, below one half.
    # Tambon 800802 has only J2: P-03 holds 1/1 but one project is under the minimum of 2.
    assert table[["tambon_code", "tambon", "person_id", "n_projects", "n_tambon_projects", "share"]].values.tolist() == [
        ["800801", "ท่าศาลา", "P-04", 3, 3, 1.0],
        ["800801", "ท่าศาลา", "P-01", 2, 3, 0.6667],
    ]


def test_concentration_thresholds_can_be_changed():
    dataset, persons = build_tha_sala()
    table = compute_concentration(dataset, persons, FakeGazetteer(), min_share=0.3, min_projects=1)
    # now P-03 (1/1 in 800802), P-02 (J1) and P-05 (J4 via the SAO roster) at 1/3 appear too
    assert sorted(table["person_id"]) == ["P-01", "P-02", "P-03", "P-04", "P-05"]


def test_empty_tables_give_empty_results_without_error():
    dataset = make_dataset(organisations=[{"org_id": "F", "name": "กองทุน", "kind": "fund"},
                                          {"org_id": "G", "name": "กลุ่ม", "kind": "community_org"}],
                           people=[{"record_id": "r1", "source": "s", "name": "ก", "org_id": "F"}],
                           funding=[{"funder_id": "F", "recipient_org_id": "G", "amount_thb": 5}])
    persons = make_persons({"r1": ("P-1", "ก")})
    hats = compute_hats(dataset, persons)
    # P-1 is on the fund's roster (1 agency); the fund pays G, on whose roster nobody is
    assert hats[["n_agencies", "n_projects", "is_giver_receiver"]].values.tolist() == [[1, 0, False]]
    assert compute_concentration(dataset, persons, FakeGazetteer()).empty
    nobody = make_dataset(organisations=[], people=[])
    assert compute_hats(nobody, make_persons({})).empty
