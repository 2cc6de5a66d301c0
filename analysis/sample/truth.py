"""The truth written beside a sample: what a correct run of the tool should find.

Computed from the quarter's tables as written (ids are never varied), with the rows the
contract says to skip left out, so the truth is exactly what CONTRACT §1–§2 and §5 define.
"""

import pandas as pd

from analysis.sample.changes import agency_of
from analysis.sample.faults import SKIP, list_bad_rows


def used(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows a correct reader keeps."""
    return frame[frame["fault_action"] != SKIP]


def find_persons(tables: dict) -> pd.DataFrame:
    """truth/persons.csv: every used people record and the human behind it."""
    people = used(tables["people"])
    out = pd.DataFrame(dict(record_id=people["record_id"], true_person_id=people["human_id"]))
    return out.sort_values("record_id", ignore_index=True)


def compute_hats(tables: dict) -> pd.DataFrame:
    """truth/hats.csv: n_agencies per person by CONTRACT §2 (rosters, and projects the person
    takes part in through the agencies that lead or fund them)."""
    orgs = used(tables["organisations"]).drop_duplicates("org_id")
    agency = agency_of(orgs[["org_id", "parent_id", "kind"]])
    people = used(tables["people"])
    roster = pd.DataFrame(dict(human_id=people["human_id"], agency=agency.reindex(people["org_id"]).to_numpy()))
    projects = used(tables["projects"]).drop_duplicates("project_id")
    funding = used(tables["funding"])
    funding = funding[funding["project_id"].isin(projects["project_id"])]
    project_agency = pd.concat([
        pd.DataFrame(dict(project_id=projects["project_id"], agency=agency.reindex(projects["lead_org_id"]).to_numpy())),
        pd.DataFrame(dict(project_id=funding["project_id"], agency=agency.reindex(funding["funder_id"]).to_numpy())),
    ])
    part = used(tables["participation"])
    record_human = people.drop_duplicates("record_id").set_index("record_id")["human_id"]
    part = part[(part["record_id"] != "") & part["record_id"].isin(record_human.index)
                & part["project_id"].isin(projects["project_id"])]
    taking_part = pd.DataFrame(dict(human_id=record_human.reindex(part["record_id"]).to_numpy(),
                                    project_id=part["project_id"].to_numpy())).merge(project_agency, on="project_id")
    served = pd.concat([roster, taking_part[["human_id", "agency"]]]).fillna("")
    served = served[served["agency"] != ""].drop_duplicates().sort_values(["human_id", "agency"])
    hats = served.groupby("human_id")["agency"].agg("|".join)
    out = pd.DataFrame(dict(true_person_id=hats.index, n_agencies=hats.str.count(r"\|") + 1, agencies=hats.to_numpy()))
    everyone = pd.DataFrame(dict(true_person_id=sorted(people["human_id"].unique())))
    out = everyone.merge(out, on="true_person_id", how="left").fillna({"n_agencies": 0, "agencies": ""})
    out["n_agencies"] = out["n_agencies"].astype(int)
    return out.sort_values(["n_agencies", "true_person_id"], ascending=[False, True], ignore_index=True)


def find_groups(tables: dict, world) -> pd.DataFrame:
    """truth/duplicate_groups.csv: planted groups with at least two used projects this quarter."""
    present = set(used(tables["projects"])["project_key"])
    rows = []
    for number, group in enumerate(world.groups, start=1):
        members = [i for i in group if i in present]
        if len(members) >= 2:
            rows += [(world.projects.at[i, "project_id"], f"G{number:04d}") for i in members]
    out = pd.DataFrame(rows, columns=["project_id", "true_group_id"])
    return out.sort_values(["true_group_id", "project_id"], ignore_index=True)


def find_not_duplicates(tables: dict, world) -> pd.DataFrame:
    """truth/not_duplicates.csv: pairs that look alike but are not duplicates (co_funding
    rows name one project twice: one project, several funders)."""
    present = set(used(tables["projects"])["project_key"])
    r = world.relations[world.relations["a"].isin(present) & world.relations["b"].isin(present)]
    ids = world.projects["project_id"]
    out = pd.DataFrame(dict(project_a=ids.reindex(r["a"]).to_numpy(), project_b=ids.reindex(r["b"]).to_numpy(),
                            relation=r["relation"].to_numpy()))
    return out.sort_values(["relation", "project_a", "project_b"], ignore_index=True)


def find_traps(tables: dict, world, hats: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """truth/traps.csv: every planted trap present this quarter (trap, id_a, id_b, detail)."""
    people = used(tables["people"])
    present = set(people["human_id"])
    traps = world.traps[world.traps["id_a"].isin(present) & world.traps["id_b"].isin(present)]
    misspelled = people[people["is_misspelled"] & (people["fault"] == "")]
    rows = [traps, pd.DataFrame(dict(trap="misspelled_surname", id_a=misspelled["record_id"],
                                     id_b=misspelled["human_id"], detail="surname misspelled on this record only"))]
    many = hats[hats["n_agencies"] >= 3]
    rows.append(pd.DataFrame(dict(trap="many_hats", id_a=many["true_person_id"], id_b="",
                                  detail=many["n_agencies"].astype(str) + " agencies")))
    projects = world.projects.set_index("project_id", drop=False)
    for group_id, members in groups.groupby("true_group_id")["project_id"]:
        if (projects.loc[members, "tambon_code"] == "").any():
            rows.append(pd.DataFrame([dict(trap="area_contains", id_a=members.iloc[0], id_b=members.iloc[1],
                                           detail=f"{group_id}: a district-wide project and a tambon project in it")]))
    moved = people[(people["record_id"] != people["record_id_q2"]) & people["in_q2"]]
    rows.append(pd.DataFrame(dict(trap="reexported_record", id_a=moved["record_id"], id_b=moved["record_id_q2"],
                                  detail="the same roster line re-exported with a new record_id")))
    out = pd.concat(rows, ignore_index=True)
    return out.sort_values(["trap", "id_a", "id_b"], ignore_index=True)


def find_changes(before: dict, after: dict) -> pd.DataFrame:
    """truth/changes.csv between two quarters' truth, in CONTRACT §5 words.

    Parameters
    ----------
    before, after : truth tables of the earlier and later quarter (``persons``, ``hats``,
        ``duplicate_groups``) plus ``coverage`` (tambon codes with at least one project).
    """
    rows = []
    old_people, new_people = set(before["persons"]["true_person_id"]), set(after["persons"]["true_person_id"])
    rows += [("person", p, "appeared", "", "") for p in sorted(new_people - old_people)]
    rows += [("person", p, "left", "", "") for p in sorted(old_people - new_people)]
    hats = before["hats"].merge(after["hats"], on="true_person_id", suffixes=("_before", "_after"))
    for _, h in hats[hats["n_agencies_before"] != hats["n_agencies_after"]].iterrows():
        change = "hats_gained" if h["n_agencies_after"] > h["n_agencies_before"] else "hats_lost"
        rows.append(("person", h["true_person_id"], change, str(h["n_agencies_before"]), str(h["n_agencies_after"])))
    old_groups, new_groups = group_keys(before["duplicate_groups"]), group_keys(after["duplicate_groups"])
    rows += [("duplicate_group", g, "new", "", "") for g in sorted(new_groups - old_groups)]
    rows += [("duplicate_group", g, "resolved", "", "") for g in sorted(old_groups - new_groups)]
    rows += [("coverage", t, "gap_closed", "0", "") for t in sorted(after["coverage"] - before["coverage"])]
    rows += [("coverage", t, "gap_opened", "", "0") for t in sorted(before["coverage"] - after["coverage"])]
    return pd.DataFrame(rows, columns=["kind", "id", "change", "before", "after"])


def group_keys(groups: pd.DataFrame) -> set[str]:
    """A group named by its sorted project ids (CONTRACT §5 matches groups on their projects)."""
    return {"|".join(sorted(g)) for _, g in groups.groupby("true_group_id")["project_id"]}


def find_coverage(tables: dict) -> set[str]:
    """Tambon codes with at least one used project (for gap_closed / gap_opened)."""
    projects = used(tables["projects"])
    return set(projects["tambon_code_true"][projects["tambon_code_true"] != ""])


def build_truth(tables: dict, world) -> dict[str, pd.DataFrame]:
    """All truth tables of one quarter (changes are added by the caller for the later quarter)."""
    hats = compute_hats(tables)
    groups = find_groups(tables, world)
    return dict(
        persons=find_persons(tables),
        hats=hats,
        duplicate_groups=groups,
        not_duplicates=find_not_duplicates(tables, world),
        traps=find_traps(tables, world, hats, groups),
        bad_rows=list_bad_rows(tables),
    )

