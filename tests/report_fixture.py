"""A tiny run's tables with a hostile name, shared by the report tests (HTML and browser)."""

import pandas as pd

from analysis.advise import compute_recommendations

HOSTILE = "<img src=x onerror=alert(1)>"


def build_tables() -> dict[str, pd.DataFrame]:
    return {
        "hats": pd.DataFrame({"person_id": ["P-1", "P-2"], "person_name": [HOSTILE, "นางสมศรี ใจดี"],
                              "n_agencies": [3, 1], "n_organisations": [2, 1], "n_projects": [4, 0],
                              "agencies": ["พอช.|สสส.|อบต.", "อบต."], "roles": ["ประธาน", ""],
                              "is_giver_receiver": [False, False], "giver_receiver_detail": ["", ""]}),
        "duplicate_projects": pd.DataFrame({"group_id": ["D-1", "D-1"], "project_id": ["J1", "J2"],
                                            "title": ["บ้านมั่นคง", "ซ่อมบ้าน"], "tambon": ["คลองหินปูน"] * 2,
                                            "funder": ["พอช.", "พม."], "score": [0.9, 0.9],
                                            "reasons_th": ["ตำบลเดียวกัน", "ตำบลเดียวกัน"],
                                            "suggested_host_id": ["C1"] * 2, "suggested_host": ["สภาฯ"] * 2}),
        "bridges": pd.DataFrame({"org_id": ["O1", "O2"], "name": ["เครือข่ายที่ดิน", "อบต.คลองหินปูน"], "rank": [1, 2],
                                 "betweenness": [0.5, 0.0], "constraint": [0.3, 1.0], "effective_size": [3.0, 1.0],
                                 "degree": [3, 1], "is_articulation_point": [True, False],
                                 "reason_th": ["เชื่อม 2 กลุ่ม", ""]}),
        "gaps": pd.DataFrame({"district": ["2704"], "district_name": ["วังน้ำเย็น"], "tambon": ["270406"],
                              "tambon_name": ["ทุ่งมหาเจริญ"], "category": ["ที่ดิน"], "n_tambons_with": [2],
                              "agencies_in_district": ["พอช."]}),
        "pile_ups": pd.DataFrame(columns=["area", "area_name", "category", "n_agencies", "agencies"]),
        "funding_streams": pd.DataFrame({"area": ["270405"], "area_name": ["คลองหินปูน"], "funder_id": ["N"],
                                         "funder": ["พอช."], "stream": ["บ้านมั่นคง"], "n_projects": [1],
                                         "amount_thb": [300000.0]}),
        "quarantine": pd.DataFrame({"table": ["people", "people", "projects"], "row": [4, 9, 2],
                                    "column": ["name", "name", "budget_thb"], "value": ["", "", "abc"],
                                    "reason": ["required value missing", "required value missing", "not a number"],
                                    "action": ["row skipped", "row skipped", "value ignored"]}),
    }


RUN_INFO = {"version": "0.1.0", "period": "2026Q3", "inputs": {"sha256": {"people.csv": "ab" * 32}},
            "rows": {"people": {"read": 12, "used": 10, "quarantined": 2}}}

CHANGES = pd.DataFrame({"kind": ["duplicate_group"], "id": ["D-1"], "name": [HOSTILE], "change": ["new"],
                        "before": [""], "after": ["2"], "detail": ["projects J1, J2"]})


def build_recommendations(tables):
    return compute_recommendations(tables)
