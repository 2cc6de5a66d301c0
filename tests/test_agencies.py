"""The agency of an organisation (CONTRACT §2) and the agencies of a project."""

import pandas as pd

from analysis.agencies import find_agencies, find_parent_cycles, find_project_agencies, find_roots
from fixtures_network import build_tha_sala


def orgs(rows):
    return pd.DataFrame(rows, columns=["org_id", "kind", "parent_id"])


def test_agency_is_the_root_of_the_parent_chain():
    # by hand: office → region → CODI, whose kind is agency
    table = orgs([("CODI", "agency", None), ("CODI-S", "agency", "CODI"), ("CODI-80", "agency", "CODI-S")])
    assert find_agencies(table).to_dict() == {"CODI": "CODI", "CODI-S": "CODI", "CODI-80": "CODI"}


def test_fund_and_local_government_roots_are_agencies_but_an_ngo_root_is_not():
    table = orgs([
        ("THF", "fund", None), ("SAO", "local_government", None), ("WF", "community_org", "SAO"),
        ("NGO", "ngo", None), ("NGOB", "network", "NGO"), ("CC", "community_council", None),
    ])
    assert find_agencies(table).to_dict() == {
        "THF": "THF", "SAO": "SAO", "WF": "SAO", "NGO": None, "NGOB": None, "CC": None,
    }


def test_a_root_of_agency_kind_counts_even_below_a_non_agency_child():
    # by hand: the chain's kinds in between do not matter, only the root's
    table = orgs([("MSDHS", "agency", None), ("NET", "network", "MSDHS"), ("GRP", "community_org", "NET")])
    assert find_agencies(table)["GRP"] == "MSDHS"


def test_a_cycle_gives_no_agency_to_its_members_or_to_what_leads_into_it():
    # A → B → A is a cycle; C → A leads into it; D is a self-loop; E is fine
    table = orgs([
        ("A", "agency", "B"), ("B", "agency", "A"), ("C", "community_org", "A"),
        ("D", "fund", "D"), ("E", "fund", None),
    ])
    assert find_agencies(table).to_dict() == {"A": None, "B": None, "C": None, "D": None, "E": "E"}
    assert find_parent_cycles(table) == ["A", "B", "C", "D"]


def test_a_long_chain_is_walked_once_and_ends_at_its_root():
    n = 5000
    rows = [("O0", "agency", None)] + [(f"O{i}", "community_org", f"O{i - 1}") for i in range(1, n)]
    roots = find_roots(orgs(rows))
    assert set(roots.values()) == {"O0"}


def test_a_parent_missing_from_the_table_ends_the_chain():
    # the checker quarantines such a reference; if one slips through, the chain stops at B
    table = orgs([("B", "fund", "GONE")])
    assert find_agencies(table)["B"] == "B"


def test_project_agencies_are_the_lead_s_and_each_funder_s():
    dataset, _ = build_tha_sala()
    agencies = find_agencies(dataset["organisations"])
    pairs = find_project_agencies(dataset, agencies)
    got = pairs.groupby("project_id")["agency_id"].agg(lambda a: sorted(a)).to_dict()
    # by hand (fixture docstring): J1 led by WF (under SAO), paid by THF and CODI; J2 led by
    # CC (no agency), paid by CODI; J3 led by NGOB (none), paid by CODI; J4 led by SAO;
    # J5 led by CODI-S (under CODI). THF's payment to CC is to an organisation, not a project.
    assert got == {"J1": ["CODI", "SAO", "THF"], "J2": ["CODI"], "J3": ["CODI"], "J4": ["SAO"], "J5": ["CODI"]}
