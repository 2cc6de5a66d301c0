"""The tables a grade and a profile are made from, for the Tha Sala scenario (fixtures_network).

Coverage, gaps, funding streams, hats and concentration come from the project's own functions;
the duplicate groups and the bridge ranks are written by hand (their methods have their own
tests): one duplicate group G1 of the two housing projects J3 and J4 in tambon 800801, and
bridges ranked CODI 1, SAO 2, THF 3, CC 4, NGOB 5, WF 6, CODI-S 7, NGO 8.
"""

import pandas as pd

from analysis import coverage, hats
from analysis.grades import compute_grades, count_grades, load_grading
from fixtures_network import FakeGazetteer, build_tha_sala

BRIDGE_ORDER = ("CODI", "SAO", "THF", "CC", "NGOB", "WF", "CODI-S", "NGO")


def build_grade_tables(grading: pd.DataFrame | None = None):
    """(dataset, tables) for Tha Sala, with grades.csv and grade_counts.csv computed."""
    dataset, persons = build_tha_sala()
    gazetteer = FakeGazetteer()
    names = dict(zip(dataset["organisations"]["org_id"], dataset["organisations"]["name"]))
    coverage_table = coverage.compute_coverage(dataset, gazetteer)
    tables = {
        "persons": persons,
        "hats": hats.compute_hats(dataset, persons),
        "concentration": hats.compute_concentration(dataset, persons, gazetteer),
        "duplicate_projects": pd.DataFrame({"group_id": ["G1", "G1"], "project_id": ["J3", "J4"],
                                            "title": ["บ้านมั่นคงท่าศาลา", "ซ่อมบ้านผู้ยากไร้"]}),
        "bridges": pd.DataFrame({"org_id": list(BRIDGE_ORDER), "name": [names[o] for o in BRIDGE_ORDER],
                                 "rank": range(1, 9), "betweenness": [0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.0, 0.0]}),
        "coverage": coverage_table,
        "gaps": coverage.find_gaps(coverage_table, gazetteer),
        "pile_ups": coverage.find_pile_ups(coverage_table),
        "funding_streams": coverage.compute_funding_streams(dataset, gazetteer),
    }
    tables["grades"] = compute_grades(dataset, tables, load_grading() if grading is None else grading, gazetteer)
    tables["grade_counts"] = count_grades(tables["grades"], gazetteer)
    return dataset, tables
