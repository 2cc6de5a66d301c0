"""Projects, funding and participation of a sample world, with the overlap traps planted.

Background projects never duplicate each other: a tambon has at most one project per aim in
each era, and the eras do not overlap (the same aim in both eras is a *later phase*).
Planted on top (CONTRACT §2 defines duplication):

- duplicate groups: 2–3 projects in one tambon, overlapping periods, the same aim worded by
  different agencies (บ้านมั่นคงชนบท / ซ่อมแซมบ้านผู้มีรายได้น้อย / ปรับปรุงที่อยู่อาศัยผู้ยากไร้);
  one group per province pairs a district-wide project with a tambon project inside it
  ("one's area contains the other's");
- not duplicates: co-funding (one project, several funders), later phases (same aim and
  tambon, years apart) and templates (one programme's identical title and description in
  different tambons).
"""

import numpy as np
import pandas as pd

from analysis.sample.world import ERA1_LAST_END, ERA_STARTS, read_aims

#: Lead and funder codes of sample_aims.csv → org_id patterns ({t}: tambon, {p}: province).
ORG_CODES = {
    "SAO": "T{t}-SAO", "COUNCIL": "T{t}-CC", "WELFARE": "T{t}-WF", "HEALTHFUND": "T{t}-HF",
    "CODI": "N-CODI", "NHSO": "N-NHSO", "THAIHEALTH": "N-THAIHEALTH", "TRF": "N-TRF",
    "MSDHS_P": "P{p}-MSDHS", "CDD_P": "P{p}-CDD", "BAAC_P": "P{p}-BAAC", "NGO": "P{p}-NGO", "UNIV": "P{p}-UNIV",
}
#: Co-funders a co-funded project may add, with their stream.
CO_FUNDERS = (("SAO", "ข้อบัญญัติงบประมาณ"), ("CODI", "สมทบโครงการชุมชน"), ("THAIHEALTH", "ชุมชนน่าอยู่"))
PARTICIPANT_ROLES = np.array(["ผู้เข้าร่วม", "คณะทำงาน", "วิทยากรชุมชน", "ผู้ประสานงาน"], dtype=object)
NETWORK_STREAM = "พัฒนาขบวนองค์กรชุมชนจังหวัด"
P_GROUP_OF_THREE = 0.3  # the brief asks for "some groups of 3"
P_CO_FUNDED = 0.08
P_TEMPLATE = 0.5  # half of ThaiHealth's ตำบลสุขภาวะ projects keep the programme's own title
MONTH = pd.Timedelta(days=30)


def resolve_org(code: pd.Series, tambon: pd.Series, province: pd.Series, org_ids: set) -> np.ndarray:
    """org_id for a lead/funder code in a tambon; a fund the tambon lacks falls back to its SAO."""
    ids = [ORG_CODES[c].format(t=t, p=p) for c, t, p in zip(code, tambon, province)]
    return np.array([i if i in org_ids else f"T{t}-SAO" for i, t in zip(ids, tambon)], dtype=object)


def draw_period(era: np.ndarray, rng: np.random.Generator) -> tuple[pd.Series, pd.Series]:
    """Start and end dates: era 1 (ends by mid-2024) or era 2 (from October 2024, fiscal 2568)."""
    n = len(era)
    start = np.empty(n, dtype="datetime64[ns]")
    end = np.empty(n, dtype="datetime64[ns]")
    for e, (first, last) in ERA_STARTS.items():
        mask = era == e
        lo, hi = pd.Timestamp(first).value, pd.Timestamp(last).value
        start[mask] = pd.to_datetime(rng.integers(lo, hi, mask.sum())).normalize()
        months = rng.integers(6, 16, mask.sum()) if e == 1 else rng.integers(9, 25, mask.sum())
        end[mask] = start[mask] + (months * 30).astype("timedelta64[D]")
    end = np.where(era == 1, np.minimum(end, ERA1_LAST_END.to_datetime64()), end)
    return pd.Series(start), pd.Series(end)


def build_background(places: pd.DataFrame, org_ids: set, spec, rng: np.random.Generator) -> pd.DataFrame:
    """At most one project per (tambon, era, aim), a Poisson number per tambon and era."""
    aims = read_aims()
    categories = aims["category"].unique()
    grid = places[["tambon_code", "tambon_th", "district_code", "province_code"]].merge(
        pd.DataFrame({"era": [1, 2]}), how="cross").merge(pd.DataFrame({"category": categories}), how="cross")
    n_wanted = rng.poisson(spec.n_projects_per_era, len(places) * 2).clip(0, len(categories))
    grid["order"] = rng.random(len(grid))
    grid["rank"] = grid.groupby(["tambon_code", "era"])["order"].rank(method="first") - 1
    grid["n_wanted"] = np.repeat(n_wanted, len(categories))
    projects = grid[grid["rank"] < grid["n_wanted"]].drop(columns=["order", "rank", "n_wanted"])
    projects["variant"] = rng.integers(1, 4, len(projects))
    return describe(projects.reset_index(drop=True), org_ids, rng)


def describe(projects: pd.DataFrame, org_ids: set, rng: np.random.Generator) -> pd.DataFrame:
    """Lead, funder, stream, title, description, period and budget from the aim's wording."""
    aims = read_aims()
    out = projects.merge(aims, on=["category", "variant"], how="left")
    out["lead_org_id"] = resolve_org(out["lead"], out["tambon_code"], out["province_code"], org_ids)
    out["funder_org_id"] = resolve_org(out["funder"], out["tambon_code"], out["province_code"], org_ids)
    out["title"] = "โครงการ" + out["title"] + " ตำบล" + out["tambon_th"]
    out["area_code"] = out["tambon_code"]
    out["start"], out["end"] = draw_period(out["era"].to_numpy(), rng)
    # Budgets log-normal around 150,000 THB, whole thousands (tambon projects in seed 004 are
    # tens to hundreds of thousands).
    out["budget"] = (np.exp(rng.normal(np.log(150_000), 0.8, len(out))) / 1000).round() * 1000
    out["in_q2"] = True
    out["in_q3"] = True
    return out.drop(columns=["lead", "funder"])


def mark_later_phases(projects: pd.DataFrame) -> pd.DataFrame:
    """Era-2 projects with the aim of an era-1 project in the same tambon: 'ระยะที่ 2' when the
    same agency runs both. Returns the pairs (project index a, b)."""
    tambon = projects[projects["tambon_code"] != ""]
    first, second = tambon[tambon["era"] == 1], tambon[tambon["era"] == 2]
    pairs = first.reset_index().merge(second.reset_index(), on=["tambon_code", "category"], suffixes=("_a", "_b"))
    same_lead = pairs["lead_org_id_a"] == pairs["lead_org_id_b"]
    projects.loc[pairs.loc[same_lead, "index_b"], "title"] += " ระยะที่ 2"
    return pairs[["index_a", "index_b"]]


def plant_containment(projects, places, org_ids, rng) -> tuple[pd.DataFrame, list[int], set]:
    """Per province, a district-wide project with the aim of one tambon project in the district.

    Other era-2 projects of that aim in the district are removed, or they would duplicate the
    district project too. Not planted where the sample has one district only. Returns projects, the group (indices) per province and the
    district's tambons (kept out of other groups).
    """
    groups, used = [], set()
    tambons_per_district = places.groupby("district_code")["tambon_code"].count()
    for province_code in places["province_code"].unique():
        districts = tambons_per_district[tambons_per_district.index.str[:2] == province_code]
        districts = districts[districts >= 2].index
        if tambons_per_district.index.str[:2].tolist().count(province_code) < 2:
            continue  # one district only (tambon scale): its tambons are needed for other groups
        era2 = projects[(projects["era"] == 2) & projects["district_code"].isin(districts)]
        if era2.empty:
            continue
        base_index = int(rng.choice(era2.index))
        base = projects.loc[base_index]
        same_aim = (projects["district_code"] == base["district_code"]) & (projects["era"] == 2) & (
            projects["category"] == base["category"]) & (projects.index != base_index)
        projects = projects[~same_aim]
        variant = [v for v in (1, 2, 3) if v != base["variant"]][0]
        new = pd.DataFrame([dict(tambon_code=base["tambon_code"], tambon_th=base["tambon_th"],
                                 district_code=base["district_code"], province_code=province_code, era=2,
                                 category=base["category"], variant=variant)])
        new = describe(new, org_ids, rng)
        district_name = places.loc[places["district_code"] == base["district_code"], "district_th"].iloc[0]
        new["title"] = new["title"].str.replace(" ตำบล" + base["tambon_th"], " อำเภอ" + district_name, regex=False)
        new["lead_org_id"] = new["lead_org_id"].where(~new["lead_org_id"].str.startswith("T"), f"P{province_code}-NGO")
        new["tambon_code"], new["area_code"] = "", base["district_code"]
        new["start"] = base["start"] + (base["end"] - base["start"]) / 3
        new["end"] = new["start"] + 12 * MONTH
        new.index = [projects.index.max() + 1]
        projects = pd.concat([projects, new])
        groups.append([base_index, int(new.index[0])])
        used |= set(places.loc[places["district_code"] == base["district_code"], "tambon_code"])
    return projects, groups, used


def plant_duplicates(projects, org_ids, excluded: set, n_groups: int, rng) -> tuple[pd.DataFrame, list[list[int]]]:
    """Groups of 2–3: an era-2 project and 1–2 others with its aim in other agencies' words,
    starting within the first half of its period (so the periods overlap)."""
    era2 = projects[(projects["era"] == 2) & (projects["tambon_code"] != "") & ~projects["tambon_code"].isin(excluded)]
    era2 = era2.drop_duplicates("tambon_code")  # one group per tambon keeps groups apart
    bases = np.sort(rng.choice(era2.index, min(n_groups, len(era2)), replace=False))
    n_new = np.where(rng.random(len(bases)) < P_GROUP_OF_THREE, 2, 1)
    base = projects.loc[np.repeat(bases, n_new)]
    # The other two variants of the aim, in random order; a group of 2 takes the first.
    other = np.array([[v for v in (1, 2, 3) if v != b] for b in projects.loc[bases, "variant"]])
    other = rng.permuted(other, axis=1)
    which = base.groupby(level=0).cumcount().to_numpy()
    row = base[["tambon_code", "tambon_th", "district_code", "province_code", "era", "category"]].reset_index(drop=True)
    row["variant"] = other[np.repeat(np.arange(len(bases)), n_new), which]
    new = describe(row, org_ids, rng)
    length = (base["end"] - base["start"]).to_numpy()
    new["start"] = (base["start"].to_numpy() + length * rng.uniform(0.05, 0.5, len(new))).astype("datetime64[D]")
    new["end"] = new["start"] + pd.to_timedelta(rng.integers(6, 19, len(new)) * 30, unit="D")
    new.index = projects.index.max() + 1 + np.arange(len(new))
    members = pd.Series(new.index, index=base.index)
    groups = [[int(b), *members.loc[[b]].tolist()] for b in bases]
    return pd.concat([projects, new]), groups


def plant_templates(projects: pd.DataFrame, in_groups: set, rng) -> list[tuple[int, int]]:
    """ThaiHealth's ตำบลสุขภาวะ rounds: one title, description and period in many tambons."""
    aims = read_aims()
    template = aims[aims["lead"].eq("NGO") & aims["stream"].eq("ตำบลสุขภาวะ")].iloc[0]
    candidates = projects[(projects["era"] == 2) & (projects["stream"] == template["stream"])
                          & ~projects.index.isin(list(in_groups)) & (projects["tambon_code"] != "")]
    chosen = candidates.index[rng.random(len(candidates)) < P_TEMPLATE]
    if len(chosen) < 2:
        return []
    projects.loc[chosen, "title"] = "โครงการ" + template["title"]
    projects.loc[chosen, "start"] = pd.Timestamp("2025-01-01")
    projects.loc[chosen, "end"] = pd.Timestamp("2026-12-31")
    ordered = sorted(chosen)
    return list(zip(ordered[:-1], ordered[1:]))


def build_network_projects(places: pd.DataFrame, rng) -> pd.DataFrame:
    """One province-wide network project per province and era (an aim no tambon project has)."""
    provinces = places.drop_duplicates("province_code")[["province_code", "province_th"]]
    rows = provinces.merge(pd.DataFrame({"era": [1, 2]}), how="cross")
    out = pd.DataFrame(dict(
        tambon_code="", tambon_th="", district_code="", province_code=rows["province_code"], era=rows["era"],
        category="เครือข่าย", category_en="networks", variant=0, stream=NETWORK_STREAM,
        title="โครงการประชุมเชื่อมโยงเครือข่ายองค์กรชุมชนจังหวัด" + rows["province_th"]
        + np.where(rows["era"] == 2, " ปี 2569", " ปี 2565"),
        description="เวทีแลกเปลี่ยนและวางแผนร่วมของขบวนองค์กรชุมชนทั้งจังหวัด",
        lead_org_id="P" + rows["province_code"] + "-NET3", funder_org_id="N-CODI", area_code=rows["province_code"],
        budget=300_000.0, in_q2=True, in_q3=True))
    out["start"], out["end"] = draw_period(out["era"].to_numpy(), rng)
    return out


def build_projects(places: pd.DataFrame, orgs: pd.DataFrame, spec, rng: np.random.Generator):
    """All projects with their planted groups and relations.

    Returns
    -------
    projects : DataFrame indexed by a stable integer (ids are given later).
    groups : list of lists of project indices (planted duplicate groups).
    relations : DataFrame a, b, relation (indices; ``co_funding`` rows have a == b).
    gap_tambon : the tambon left without projects in the first quarter.
    """
    org_ids = set(orgs["org_id"])
    projects = build_background(places, org_ids, spec, rng)
    gap_tambon = str(rng.choice(places["tambon_code"]))
    projects = projects[projects["tambon_code"] != gap_tambon]
    projects, groups, used = plant_containment(projects, places, org_ids, rng)
    n_groups = max(2, round(0.17 * len(places)))  # 10 in Sa Kaeo: enough to measure recall
    projects, more = plant_duplicates(projects, org_ids, used | {gap_tambon}, n_groups, rng)
    groups += more
    in_groups = {i for g in groups for i in g}
    later = mark_later_phases(projects)
    templates = plant_templates(projects, in_groups, rng)
    network = build_network_projects(places, rng)
    network.index = np.arange(len(network)) + projects.index.max() + 1
    projects = pd.concat([projects, network])
    taken = in_groups | {i for pair in templates for i in pair}
    era2 = projects.index[(projects["era"] == 2) & ~projects.index.isin(list(taken)) & (projects["tambon_code"] != "")]
    co_funded = era2[rng.random(len(era2)) < P_CO_FUNDED]
    relations = pd.concat([
        pd.DataFrame(dict(a=later["index_a"], b=later["index_b"], relation="later_phase")),
        pd.DataFrame(templates, columns=["a", "b"]).assign(relation="template"),
        pd.DataFrame(dict(a=co_funded, b=co_funded, relation="co_funding")),
    ], ignore_index=True)
    return projects, groups, relations, gap_tambon


def build_funding(projects: pd.DataFrame, orgs: pd.DataFrame, co_funded: np.ndarray, rng) -> pd.DataFrame:
    """Money rows: each project's own funder, co-funders, and the tambon funds' yearly streams.

    Org streams follow seed 004: the SAO puts 100,000 THB into the welfare fund, the MSDHS
    fund about 50,000 a tambon, NHSO pays the health fund per head (37.50 THB in 2007;
    tambons of 3,000–9,000 people), CODI matches welfare savings and funds councils.
    """
    own = pd.DataFrame(dict(funder_id=projects["funder_org_id"], project_key=projects.index, recipient_org_id="",
                            amount=projects["budget"], stream=projects["stream"], date=projects["start"],
                            in_q2=projects["in_q2"], in_q3=projects["in_q3"]))
    rows = []
    for key in co_funded:  # a few per cent of projects: a loop is cheap
        project = projects.loc[key]
        funders = [("T" + project["tambon_code"] + "-SAO" if code == "SAO" else "N-" + code, stream)
                   for code, stream in CO_FUNDERS]
        funders = [f for f in funders if f[0] != project["funder_org_id"]]
        for i in rng.permutation(len(funders))[:rng.integers(1, 3)]:
            rows.append(dict(funder_id=funders[i][0], project_key=key, recipient_org_id="",
                             amount=round(project["budget"] * 0.3 / 1000) * 1000.0, stream=funders[i][1],
                             date=project["start"], in_q2=project["in_q2"], in_q3=project["in_q3"]))
    extra = pd.DataFrame(rows, columns=own.columns)
    return pd.concat([own, extra, build_org_funding(orgs, rng)], ignore_index=True)


def build_org_funding(orgs: pd.DataFrame, rng) -> pd.DataFrame:
    """Yearly streams to tambon welfare funds, health funds and councils (fiscal 2569)."""
    o = orgs.set_index("org_id", drop=False)
    date = pd.Timestamp("2025-11-15")
    rows = []
    wf = o[o["org_type"] == "WF"]
    sao = "T" + wf["area_code"] + "-SAO"
    rows.append(pd.DataFrame(dict(funder_id="N-CODI", recipient_org_id=wf["org_id"], stream="สมทบกองทุนสวัสดิการ",
                                  amount=(rng.uniform(20, 150, len(wf))).round() * 1000)))
    rows.append(pd.DataFrame(dict(funder_id=sao, recipient_org_id=wf["org_id"], stream="สมทบกองทุนสวัสดิการ",
                                  amount=100_000.0))[rng.random(len(wf)) < 0.7])
    rows.append(pd.DataFrame(dict(funder_id="P" + wf["area_code"].str[:2] + "-MSDHS", recipient_org_id=wf["org_id"],
                                  stream="กองทุนส่งเสริมการจัดสวัสดิการสังคม", amount=50_000.0))[rng.random(len(wf)) < 0.5])
    hf = o[o["org_type"] == "HF"]
    population = rng.integers(3000, 9001, len(hf))
    rows.append(pd.DataFrame(dict(funder_id="N-NHSO", recipient_org_id=hf["org_id"], stream="ค่าบริการสร้างเสริมสุขภาพรายหัว",
                                  amount=(population * 37.5).round())))
    rows.append(pd.DataFrame(dict(funder_id="T" + hf["area_code"] + "-SAO", recipient_org_id=hf["org_id"],
                                  stream="สมทบกองทุนหลักประกันสุขภาพ", amount=(population * 37.5 * 0.4).round())))
    cc = o[o["org_type"] == "CC"]
    rows.append(pd.DataFrame(dict(funder_id="N-CODI", recipient_org_id=cc["org_id"], stream="พัฒนาสภาองค์กรชุมชน",
                                  amount=30_000.0))[rng.random(len(cc)) < 0.8])
    out = pd.concat(rows, ignore_index=True)
    return out.assign(project_key=-1, date=date, in_q2=True, in_q3=True)


def build_participation(projects: pd.DataFrame, humans: pd.DataFrame, lines: pd.DataFrame, rng,
                        n_participants_mean: float = 1.5) -> pd.DataFrame:
    """Who takes part: 1 + Poisson(``n_participants_mean``) villagers of the tambon (drawn by activity among those on
    a roster), and the tambon council in about 40% of the projects it does not lead."""
    tambon_projects = projects[projects["tambon_code"] != ""]
    on_roster = humans.loc[humans["human_id"].isin(lines["human_id"]) & ~humans["is_staff"] & (humans["weight"] > 0)]
    pool = on_roster[["tambon_code", "human_id", "weight"]]
    pairs = pd.DataFrame(dict(project_key=tambon_projects.index, tambon_code=tambon_projects["tambon_code"],
                              k=1 + rng.poisson(n_participants_mean, len(tambon_projects)))).merge(pool, on="tambon_code")
    pairs["key"] = np.log(pairs["weight"].to_numpy()) + rng.gumbel(size=len(pairs))
    pairs = pairs.sort_values(["project_key", "key"], ascending=[True, False], kind="stable")
    pairs = pairs[pairs.groupby("project_key").cumcount() < pairs["k"]]
    people = pd.DataFrame(dict(project_key=pairs["project_key"], human_id=pairs["human_id"], org_id="",
                               role=rng.choice(PARTICIPANT_ROLES, len(pairs))))
    council = "T" + tambon_projects["tambon_code"] + "-CC"
    joins = (rng.random(len(tambon_projects)) < 0.4) & (council != tambon_projects["lead_org_id"]).to_numpy()
    orgs = pd.DataFrame(dict(project_key=tambon_projects.index[joins], human_id="", org_id=council[joins],
                             role="ภาคีร่วม"))
    out = pd.concat([people, orgs], ignore_index=True)
    flags = projects[["in_q2", "in_q3"]].reindex(out["project_key"]).to_numpy()
    out["in_q2"], out["in_q3"] = flags[:, 0].astype(bool), flags[:, 1].astype(bool)
    return out
