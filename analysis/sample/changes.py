"""Two quarters of one world: what changes between 2026Q2 and 2026Q3.

The base world is 2026Q2. Planted for 2026Q3, a few of each (about one per 15 tambons):
people who leave (all their roster lines gone), people who appear (a new line on their
tambon council's roster), people who join a roster under an agency they did not serve
(hats gained) or leave one (hats lost), one duplicate group resolved (its second project
merged into the first and gone from the lists), one new duplicate group (a new project
doubling an existing one), and the tambon that had no project gets one (coverage).
One council roster is re-exported with new record ids in 2026Q3 (same lines, same writing):
CONTRACT §5 says such records are the same people (same source and content).

What the truth files call a change is computed by comparing the two quarters' truth
(:func:`analysis.sample.truth.find_changes`), so knock-on effects are counted too.
"""

import numpy as np
import pandas as pd

from analysis.sample.projects import describe, plant_duplicates
from analysis.sample.world import draw_surnames, fill_names

QUARTERS = ("2026Q2", "2026Q3")


def agency_of(orgs: pd.DataFrame) -> pd.Series:
    """org_id → its agency (CONTRACT §2: the root of the parent chain when its kind is agency,
    fund or local_government), '' otherwise.

    Examples
    --------
    >>> orgs = pd.DataFrame({"org_id": ["A", "B", "C"], "parent_id": ["", "A", ""],
    ...                      "kind": ["agency", "community_org", "network"]})
    >>> agency_of(orgs).to_dict()
    {'A': 'A', 'B': 'A', 'C': ''}
    """
    parent = orgs.set_index("org_id")["parent_id"].fillna("")
    root = pd.Series(orgs["org_id"].to_numpy(), index=orgs["org_id"].to_numpy())
    for _ in range(len(orgs)):  # chains are short; the bound only guards against cycles
        up = parent.reindex(root.to_numpy()).fillna("").to_numpy()
        step = (up != "") & pd.Series(up).isin(parent.index).to_numpy()
        if not step.any():
            break
        root[step] = up[step]
    kind = orgs.set_index("org_id")["kind"].reindex(root.to_numpy()).to_numpy()
    return root.where(np.isin(kind, ("agency", "fund", "local_government")), "")


def n_changes(n_tambons: int) -> int:
    """How many of each person change to plant: one per 15 tambons, at least two."""
    return max(2, round(n_tambons / 15))


def plant_people_changes(humans, lines, orgs, places, rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    """People leaving, appearing, gaining and losing a hat in 2026Q3 (see the module docstring)."""
    k = n_changes(len(places))
    lines = lines.assign(in_q2=True, in_q3=True)
    agency = agency_of(orgs)
    lines["agency"] = agency.reindex(lines["org_id"]).to_numpy()
    village = lines[~lines["roster_id"].str.contains("@") & lines["human_id"].isin(humans.index[~humans["is_staff"]])]
    n_lines = village.groupby("human_id").size()
    leaving = rng.choice(n_lines.index[n_lines <= 2], k, replace=False)
    lines.loc[lines["human_id"].isin(leaving), "in_q3"] = False
    stay = n_lines.index[~n_lines.index.isin(leaving)]
    # Hats lost: a line whose agency none of the person's other lines gives.
    per = village[village["human_id"].isin(stay) & (village["agency"] != "")]
    unique = per[~per.duplicated(["human_id", "agency"], keep=False)]
    multi = unique[unique["human_id"].map(n_lines) >= 2]
    lost = multi.drop_duplicates("human_id").sample(n=min(k, multi["human_id"].nunique()), random_state=rng)
    lines.loc[lost.index, "in_q3"] = False
    # Hats gained: a new line on the tambon council (CODI) for people not on it.
    councils = lines[lines["org_id"].str.endswith("-CC")]
    # pandas, not np.setdiff1d: numpy compares object arrays pair by pair (minutes at 170k).
    candidates = pd.Index(stay).difference(pd.Index(councils["human_id"])).difference(pd.Index(lost["human_id"]))
    gained = rng.choice(candidates, min(k, len(candidates)), replace=False)
    tambon = humans.loc[gained, "tambon_code"]
    new_lines = [pd.DataFrame(dict(roster_id="T" + tambon + "-CC", org_id="T" + tambon + "-CC", human_id=gained,
                                   role="กรรมการ", in_q2=False, in_q3=True))]
    humans, appeared = add_newcomers(humans, places, k, rng)
    new_lines.append(pd.DataFrame(dict(roster_id="T" + appeared["tambon_code"] + "-CC",
                                       org_id="T" + appeared["tambon_code"] + "-CC", human_id=appeared.index,
                                       role="กรรมการ", in_q2=False, in_q3=True)))
    new = pd.concat(new_lines, ignore_index=True)
    new["rank"] = 100 + new.groupby("roster_id").cumcount()  # appended at the end of the roster
    lines = pd.concat([lines, new], ignore_index=True).drop(columns="agency")
    return humans, lines


def add_newcomers(humans: pd.DataFrame, places: pd.DataFrame, k: int, rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    """k new villagers (first seen in 2026Q3), with full names nobody else has."""
    tambon = rng.choice(places["tambon_code"], k)
    new = pd.DataFrame(dict(tambon_code=tambon, province_code=pd.Series(tambon).str[:2], weight=0.0,
                            sex=np.where(rng.random(k) < 0.5, "m", "f"), office="", is_staff=False,
                            staff_org_id="", academic="", email=""))
    fill_names(new, rng)
    taken = set(humans["given"] + " " + humans["surname"])
    while (clash := (new["given"] + " " + new["surname"]).isin(taken)).any():
        new.loc[clash, "surname"] = draw_surnames(rng, int(clash.sum()))
    start = len(humans)
    new["human_id"] = ["H" + str(start + i).zfill(7) for i in range(k)]
    new = new.set_index("human_id", drop=False)
    return pd.concat([humans, new]), new


def plant_project_changes(projects, groups, relations, gap_tambon, places, orgs, rng):
    """One group resolved, one new group, the gap tambon's first project (2026Q3 only)."""
    pairs = [g for g in groups if len(g) == 2 and projects.loc[g[0], "tambon_code"] != ""
             and projects.loc[g[1], "tambon_code"] != ""]
    resolved = pairs[int(rng.integers(len(pairs)))]
    projects.loc[resolved[1], "in_q3"] = False
    busy = {i for g in groups for i in g} | set(relations["a"]) | set(relations["b"])
    free = projects[(projects["era"] == 2) & ~projects.index.isin(list(busy)) & (projects["tambon_code"] != "")]
    taken_tambons = set(projects.loc[[i for g in groups for i in g], "tambon_code"])
    excluded = (set(projects["tambon_code"]) - set(free["tambon_code"])) | taken_tambons
    projects, new_group = plant_duplicates(projects, set(orgs["org_id"]), excluded, 1, rng)
    for index in new_group[0][1:]:
        projects.loc[index, "in_q2"] = False
    groups = groups + new_group
    gap = places[places["tambon_code"] == gap_tambon].iloc[0]
    row = dict(tambon_code=gap_tambon, tambon_th=gap["tambon_th"], district_code=gap["district_code"],
               province_code=gap["province_code"], era=2, category="ที่อยู่อาศัย", variant=1)
    first = describe(pd.DataFrame([row]), set(orgs["org_id"]), rng)
    first["start"], first["end"] = pd.Timestamp("2026-07-15"), pd.Timestamp("2027-07-14")
    first["in_q2"] = False
    first.index = [projects.index.max() + 1]
    return pd.concat([projects, first]), groups
