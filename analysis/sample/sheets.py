"""A world written as the offices' sheets: the five contract tables, every cell a string.

Ids are given once for the whole world, so one roster line keeps its record id in both
quarters (the same rows re-exported), and every line is written once (the same spelling in
both quarters). Lines new in 2026Q3 get the next ids; the re-exported council roster gets
fresh ids in 2026Q3 only.
"""

import numpy as np
import pandas as pd

from analysis.sample import spelling
from analysis.ingest.schema import TABLES

RATES_EMAIL_UPPER = 0.15  # e-mails typed with capitals (they must be compared lower case)
N_MISSPELLED = 0.05  # misspelled-surname traps per tambon (at least two)


def number(prefix: str, n: int, start: int = 1, width: int = 6) -> np.ndarray:
    """Ids like R000001.

    Examples
    --------
    >>> number("R", 2).tolist()
    ['R000001', 'R000002']
    """
    return np.array([f"{prefix}{i:0{width}d}" for i in range(start, start + n)], dtype=object)


def assign_ids(lines: pd.DataFrame, projects: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Lines in file order with record_id (and record_id_q3); project_id set on projects."""
    lines = lines.sort_values(["in_q2", "roster_id", "rank"], ascending=[False, True, True], kind="stable",
                              ignore_index=True)
    lines["record_id"] = number("R", len(lines))
    lines["record_id_q3"] = lines["record_id"]
    councils = lines[lines["org_id"].str.endswith("-CC") & lines["in_q2"] & lines["in_q3"]]
    complete = councils.groupby("roster_id")["in_q3"].size()
    reexported = rng.choice(complete.index.to_numpy())
    mask = (lines["roster_id"] == reexported).to_numpy()
    lines.loc[mask, "record_id_q3"] = number("R", int(mask.sum()), start=len(lines) + 1)
    lines["is_reexported"] = mask
    order = projects.sort_values(["in_q2", "area_code", "era", "category", "variant"],
                                 ascending=[False, True, True, True, True], kind="stable").index
    projects.loc[order, "project_id"] = number("PJ", len(order))
    return lines


def place_columns(codes: pd.Series, places: pd.DataFrame) -> pd.DataFrame:
    """Names and codes of the tambon/district/province an area code (2, 4 or 6 digits) names."""
    t = places.set_index("tambon_code")
    d = places.drop_duplicates("district_code").set_index("district_code")
    p = places.drop_duplicates("province_code").set_index("province_code")
    codes = codes.fillna("").astype(str)
    out = pd.DataFrame(index=codes.index)
    tambon = codes.where(codes.str.len() == 6, "")
    district = codes.str[:4].where(codes.str.len() >= 4, "")
    province = codes.str[:2]
    for level, key, table in (("tambon", tambon, t), ("district", district, d), ("province", province, p)):
        for lang in ("th", "en"):
            out[f"{level}_{lang}"] = table[f"{level}_{lang}"].reindex(key.to_numpy()).fillna("").to_numpy(dtype=object)
        out[f"{level}_code"] = key.where(out[f"{level}_th"] != "", "").to_numpy(dtype=object)
    return out


def render_world(world, noise: float, seed: int) -> dict[str, pd.DataFrame]:
    """Every row of every table for the whole world (both quarters), written as strings.

    Each frame keeps the flags ``in_q2``/``in_q3`` and the keys truth needs (``human_id``,
    ``project_key``) beside the contract columns.
    """
    rng = np.random.default_rng([seed, 900])
    return dict(
        organisations=render_orgs(world.orgs, world.places, rng, noise),
        people=render_people(world.lines, world.humans, world.rosters, world.places, rng, noise),
        projects=render_projects(world.projects, world.places, rng, noise),
        funding=render_funding(world.funding, world.projects, rng, noise),
        participation=world.participation.assign(
            project_id=world.projects["project_id"].reindex(world.participation["project_key"]).to_numpy(), record_id=""),
    )


def render_orgs(orgs, places, rng, noise) -> pd.DataFrame:
    written = spelling.render_places(place_columns(orgs["area_code"], places), rng, noise)
    out = orgs[["org_id", "name", "kind", "parent_id", "aliases"]].join(written)
    out["in_q2"], out["in_q3"] = True, True
    return out


def render_people(lines, humans, rosters, places, rng, noise) -> pd.DataFrame:
    h = humans.reindex(lines["human_id"]).reset_index(drop=True)
    line = lines.reset_index(drop=True)
    h["surname"] = plant_misspelled_surnames(line, h, places, rng)
    names = spelling.render_names(h, rng, noise)
    phones = spelling.render_phones(h["phone"], rng, noise)
    area = h["tambon_code"].where(h["tambon_code"] != "", h["province_code"])
    written = spelling.render_places(place_columns(area, places), rng, noise)
    email = h["email"].where(~spelling.draw_mask(rng, len(h), RATES_EMAIL_UPPER, noise), h["email"].str.upper())
    source = rosters.set_index("roster_id")["source"].reindex(line["roster_id"]).to_numpy()
    out = pd.DataFrame(dict(record_id=line["record_id"], record_id_q3=line["record_id_q3"], source=source,
                            name=names.to_numpy(), org_id=line["org_id"], role=line["role"], phone=phones.to_numpy(),
                            email=email.to_numpy())).join(written)
    out["human_id"], out["in_q2"], out["in_q3"] = line["human_id"], line["in_q2"], line["in_q3"]
    out["is_misspelled"], out["record_id_q2"] = line["is_misspelled"], line["record_id"]
    return out


def plant_misspelled_surnames(line, h, places, rng) -> pd.Series:
    """One line of a few people who have several lines gets a misspelled surname (a trap for
    matchers that demand exact surnames); planted at every noise level."""
    stable = line["in_q2"] & line["in_q3"] & ~line["is_reexported"] & ~h["is_staff"].astype(bool)
    n_lines = line[stable].groupby("human_id")["record_id"].transform("size")
    candidates = n_lines.index[n_lines >= 2]
    k = max(2, round(N_MISSPELLED * len(places)))
    chosen = line.loc[candidates].drop_duplicates("human_id")
    chosen = chosen.index[rng.permutation(len(chosen))[:k]]
    mask = np.zeros(len(line), dtype=bool)
    mask[chosen] = True
    surname = spelling.misspell(h["surname"], rng, mask, "look_alike")
    unchanged = mask & (surname == h["surname"]).to_numpy()
    surname = spelling.misspell(surname, rng, unchanged, "drop_letter")
    line["is_misspelled"] = mask
    return surname


def render_projects(projects, places, rng, noise) -> pd.DataFrame:
    p = projects.reset_index(names="project_key")
    written = spelling.render_places(place_columns(p["area_code"], places), rng, noise)
    # Offices leave the description empty on about 40% of rows (an assumption).
    description = p["description"].where(rng.random(len(p)) >= 0.4, "")
    out = pd.DataFrame(dict(project_id=p["project_id"], title=p["title"], description=description,
                            category=p["category"], lead_org_id=p["lead_org_id"])).join(written)
    out["start"] = spelling.render_dates(p["start"], rng, noise).to_numpy()
    out["end"] = spelling.render_dates(p["end"], rng, noise).to_numpy()
    out["budget_thb"] = spelling.render_amounts(p["budget"], rng, noise).to_numpy()
    out["project_key"], out["in_q2"], out["in_q3"] = p["project_key"], p["in_q2"], p["in_q3"]
    out["tambon_code_true"] = p["tambon_code"]
    return out


def render_funding(funding, projects, rng, noise) -> pd.DataFrame:
    project_id = projects["project_id"].reindex(funding["project_key"]).fillna("").to_numpy()
    out = pd.DataFrame(dict(funder_id=funding["funder_id"], project_id=project_id,
                            recipient_org_id=funding["recipient_org_id"],
                            amount_thb=spelling.render_amounts(funding["amount"], rng, noise).to_numpy(),
                            stream=funding["stream"], date=spelling.render_dates(funding["date"], rng, noise).to_numpy(),
                            in_q2=funding["in_q2"], in_q3=funding["in_q3"]))
    return out


#: File order of each table (stable: an extra row with a repeated id follows the original).
SORT_KEYS = {
    "organisations": ["org_id"],
    "people": ["record_id"],
    "projects": ["project_id"],
    "funding": ["project_id", "recipient_org_id", "funder_id", "stream"],
    "participation": ["project_id", "record_id", "org_id"],
}


def select_quarter(rendered: dict, world, quarter: str) -> dict[str, pd.DataFrame]:
    """The rows of one quarter in file order, with record ids as exported that quarter.

    Participation names a person by one of their records present that quarter (the first in
    file order); a person with none that quarter is no longer on the project's list.
    """
    flag = "in_q2" if quarter == "2026Q2" else "in_q3"
    out = {name: frame[frame[flag]].copy() for name, frame in rendered.items()}
    people = out["people"]
    if quarter != "2026Q2":
        people["record_id"] = people["record_id_q3"]
    people = people.sort_values("record_id", kind="stable")
    first_record = people[people["fault"] == ""].drop_duplicates("human_id").set_index("human_id")["record_id"]
    part = out["participation"]
    by_person = (part["human_id"] != "").to_numpy()
    part.loc[by_person, "record_id"] = first_record.reindex(part.loc[by_person, "human_id"]).fillna("").to_numpy()
    part = part[~by_person | (part["record_id"] != "")]
    known = (part["project_key"] >= 0).to_numpy()
    part.loc[known, "project_id"] = world.projects["project_id"].reindex(part.loc[known, "project_key"]).to_numpy()
    out["people"], out["participation"] = people, part
    return {name: frame.sort_values(SORT_KEYS[name], kind="stable", ignore_index=True) for name, frame in out.items()}


def contract_columns(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Only the contract's columns, in its order, as strings."""
    columns = list(TABLES[table].columns)
    return frame[columns].fillna("").astype(object).reset_index(drop=True)
