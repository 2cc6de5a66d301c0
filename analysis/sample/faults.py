"""Bad rows planted in a sample, a handful per table, each with the action CONTRACT §1 expects.

Rows that must be skipped are *extra* rows (a copy of a real row with the defect), so the
truth about people, hats and projects is the same with or without them. Values that must be
ignored are set on real rows whose other truth does not depend on them (a phone, a budget,
the end date of a project with no same-aim neighbour, a place).

Actions follow CONTRACT §1 as :mod:`analysis.ingest.validate` implements it: a required value
missing, a repeated id (the later row), a reference to an id no row has, an organisation
kind outside the contract, an unreadable or negative amount in a column the analysis needs
(``funding.amount_thb``) skip the row; an unreadable optional value (number, date, phone,
place) is ignored.
"""

import numpy as np
import pandas as pd

SKIP, IGNORE = "row skipped", "value ignored"
UNKNOWN_TAMBON = "บ้านเก่าน้อย"  # no tambon of that name exists (checked against geothai)
MISSING_ORG = "T000000-CC"  # tambon code 000000 does not exist


def add_extra(frame: pd.DataFrame, source_index, changes: dict, fault: str, column: str) -> pd.DataFrame:
    """Append a copy of row ``source_index`` with ``changes``, marked as a row to skip."""
    row = frame.loc[[source_index]].copy()
    for key, value in changes.items():
        row[key] = value
    row["fault"], row["fault_column"], row["fault_action"] = fault, column, SKIP
    return pd.concat([frame, row], ignore_index=True)


def set_value(frame: pd.DataFrame, index, column: str, value: str, fault: str) -> None:
    """Write an unreadable value into a real row: the value is to be ignored, the row kept."""
    frame.loc[index, column] = value
    frame.loc[index, ["fault", "fault_column", "fault_action"]] = [fault, column, IGNORE]


def pick(frame: pd.DataFrame, mask, rng: np.random.Generator, k: int = 1) -> list:
    """k distinct row labels among the masked rows present in both quarters, not faulty yet."""
    ok = np.asarray(mask) & frame["in_q2"].to_numpy() & frame["in_q3"].to_numpy() & (frame["fault"] == "").to_numpy()
    return list(rng.choice(frame.index[ok], k, replace=False))


def plant_faults(tables: dict[str, pd.DataFrame], world, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Every table with its planted faults (columns ``fault``, ``fault_column``, ``fault_action``)."""
    tables = {name: frame.assign(fault="", fault_column="", fault_action="") for name, frame in tables.items()}
    tables["organisations"] = plant_org_faults(tables["organisations"], rng)
    tables["people"] = plant_people_faults(tables["people"], rng)
    tables["projects"] = plant_project_faults(tables["projects"], world, rng)
    tables["funding"] = plant_funding_faults(tables["funding"], rng)
    tables["participation"] = plant_participation_faults(tables["participation"], rng)
    return tables


def plant_org_faults(orgs: pd.DataFrame, rng) -> pd.DataFrame:
    tambon = orgs["org_id"].str.startswith("T").to_numpy()
    a, b, c, d = pick(orgs, tambon, rng, 4)
    orgs = add_extra(orgs, a, {"org_id": orgs.at[a, "org_id"] + "X", "name": ""}, "name missing", "name")
    orgs = add_extra(orgs, b, {"name": orgs.at[b, "name"] + " (ทะเบียนเก่า)"}, "org_id repeated", "org_id")
    orgs = add_extra(orgs, c, {"org_id": orgs.at[c, "org_id"] + "C", "kind": "ชมรม",
                               "name": "ชมรมคนรักสุขภาพ" + orgs.at[c, "name"][-12:]}, "kind not a contract kind", "kind")
    set_value(orgs, d, "tambon", UNKNOWN_TAMBON, "tambon unknown")
    return orgs


def plant_people_faults(people: pd.DataFrame, rng) -> pd.DataFrame:
    fresh = (~people["is_misspelled"] & (people["record_id"] == people["record_id_q3"])).to_numpy()
    a, b, c, d, e = pick(people, fresh, rng, 5)
    extra_ids = iter(f"R{i}" for i in range(999901, 999999))
    for index, changes, fault, column in (
        (a, {"name": ""}, "name missing", "name"),
        (b, {}, "record_id repeated", "record_id"),
        (c, {"org_id": MISSING_ORG}, "org_id refers to no organisation", "org_id"),
    ):
        if column != "record_id":
            changes["record_id"] = changes["record_id_q3"] = next(extra_ids)
        people = add_extra(people, index, changes, fault, column)
    set_value(people, d, "phone", "08-123", "phone unreadable")
    set_value(people, e, "tambon", UNKNOWN_TAMBON, "tambon unknown")
    return people


def plant_project_faults(projects: pd.DataFrame, world, rng) -> pd.DataFrame:
    related = {*world.relations["a"], *world.relations["b"], *(i for g in world.groups for i in g)}
    p = world.projects
    alone = ~p.duplicated(["tambon_code", "category"], keep=False) & ~p.index.isin(list(related)) & (p["tambon_code"] != "")
    is_alone = projects["project_key"].isin(p.index[alone]).to_numpy()
    a, b, c = pick(projects, np.ones(len(projects), dtype=bool), rng, 3)
    d, e, f = pick(projects, is_alone, rng, 3)
    projects = add_extra(projects, a, {"project_id": "PJ999901", "title": ""}, "title missing", "title")
    projects = add_extra(projects, b, {"title": projects.at[b, "title"] + " (แก้ไข)"}, "project_id repeated", "project_id")
    projects = add_extra(projects, c, {"project_id": "PJ999902", "lead_org_id": MISSING_ORG.replace("CC", "SAO")},
                         "lead_org_id refers to no organisation", "lead_org_id")
    set_value(projects, d, "budget_thb", "ไม่ทราบ", "budget unreadable")
    set_value(projects, e, "end", "31/02/2568", "date unreadable")  # 31 February
    set_value(projects, f, "tambon", UNKNOWN_TAMBON, "tambon unknown")
    return projects


def plant_funding_faults(funding: pd.DataFrame, rng) -> pd.DataFrame:
    to_project = (funding["project_id"] != "").to_numpy()
    a, b, c, d, e = pick(funding, to_project, rng, 5)
    funding = add_extra(funding, a, {"amount_thb": "ไม่ทราบ", "stream": "งบอื่น ๆ"}, "amount unreadable", "amount_thb")
    funding = add_extra(funding, b, {"amount_thb": "-5,000", "stream": "คืนเงิน"}, "amount negative", "amount_thb")
    funding = add_extra(funding, c, {"funder_id": ""}, "funder_id missing", "funder_id")
    funding = add_extra(funding, d, {"project_id": "PJ999999"}, "project_id refers to no project", "project_id")
    set_value(funding, e, "date", "32/13/2568", "date unreadable")
    return funding


def plant_participation_faults(part: pd.DataFrame, rng) -> pd.DataFrame:
    by_person = (part["human_id"] != "").to_numpy()
    a, b, c = pick(part, by_person, rng, 3)
    no_key = {"project_key": -1}
    part = add_extra(part, a, {**no_key, "project_id": ""}, "project_id missing", "project_id")
    part = add_extra(part, b, {"human_id": "", "record_id": "R999999", "project_id": part.at[b, "project_id"],
                               "project_key": -1}, "record_id refers to no record", "record_id")
    part = add_extra(part, c, {"human_id": "", "record_id": "", "org_id": "", "project_id": part.at[c, "project_id"],
                               "project_key": -1}, "neither record_id nor org_id", "record_id/org_id")
    return part


def list_bad_rows(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """truth/bad_rows.csv: table, row (header = 1), column, value as written, action, fault."""
    rows = []
    for name, frame in tables.items():
        faulty = frame[frame["fault"] != ""]
        for index, row in faulty.iterrows():
            column = row["fault_column"]
            value = "" if "/" in column else row[column]
            rows.append(dict(table=name, row=int(index) + 2, column=column, value=value,
                             action=row["fault_action"], fault=row["fault"]))
    return pd.DataFrame(rows, columns=["table", "row", "column", "value", "action", "fault"])
