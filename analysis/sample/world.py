"""The true world behind a sample: places, organisations, people, rosters, projects, money.

Everything here is true and structured (ids, dates, floats); :mod:`analysis.sample.sheets`
writes it the way offices do. The model follows DOMAIN.md and the seeds:

- every tambon has a tambon administration (อบต., ``local_government``: an agency of its
  own), a community organisation council (registered with and funded by CODI under the
  Community Organisation Council Act 2008, so ``parent_id`` → CODI), usually a community
  welfare fund (``community_org``, no parent: it is the villagers' own fund, fed by several
  "currents", seed 004) and a tambon health fund (run by the SAO, whose chief executive
  chairs it, and paid by NHSO per head: ``parent_id`` → the SAO, funding rows from NHSO);
- village groups: savings-for-production groups and women's occupation groups (promoted by
  CDD: ``parent_id`` → the provincial CDD office), elderly clubs, organic-farming community
  enterprises and Baan Mankong housing co-operatives (no parent);
- per province: the MSDHS, CDD and BAAC provincial offices (parent → the ministry, the
  department, the bank), a community college, a development NGO and three province networks;
- national bodies: CODI (no parent: an autonomous public organisation the seeds treat as its
  own front), TRF, ThaiHealth and NHSO (funds), BAAC, MSDHS, CDD and NHCO.

People live in a tambon and have an *activity* weight (log-normal): rosters draw their
members by weight, so a few leaders sit on many rosters and wear many hats (seed 002).
"""

from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files

import geothai
import numpy as np
import pandas as pd

#: Periods of the two project eras. Era 1 ends before era 2 starts, so the same aim in the
#: same tambon in both eras is a later phase, never a duplicate (CONTRACT §2).
ERA_STARTS = {1: ("2021-10-01", "2023-03-31"), 2: ("2024-10-01", "2026-03-31")}
ERA1_LAST_END = pd.Timestamp("2024-06-30")


@dataclass(frozen=True)
class ScaleSpec:
    """How big a sample is and where it lies.

    Attributes
    ----------
    province_codes, district_codes : the area (None = everywhere).
    n_humans_per_tambon : villagers in each tambon's pool.
    n_groups_per_tambon : village groups per tambon (Poisson mean).
    group_roster_size, network_roster_size : lines on a village group's / network's roster.
    n_projects_per_era : tambon projects per era (Poisson mean, at most one per aim).
    n_staff_per_office : staff lines of each provincial office, college and NGO.
    activity_sigma : spread of the villagers' log-normal activity weights: the larger, the
        more a few leaders sit on many rosters.
    n_participants_mean : villagers taking part in a tambon project, beyond the first
        (Poisson mean).
    """

    name: str
    province_codes: tuple[str, ...] | None
    district_codes: tuple[str, ...] | None
    n_humans_per_tambon: int
    n_groups_per_tambon: float
    group_roster_size: int
    network_roster_size: int
    n_projects_per_era: float
    n_staff_per_office: int
    activity_sigma: float = 1.0
    n_participants_mean: float = 1.5


#: The scales (the brief's targets: tambon ~150 people records; province ~3,000 records,
#: 300–500 organisations, ~400 projects; national ~300,000 / 60,000 / 100,000). Province
#: scale is Sa Kaeo: its 59 tambons give the per-tambon densities the national scale has, so
#: one model serves both (Nakhon Si Thammarat's 170 tambons would need rosters three times
#: thinner); tambon scale is Sa Kaeo's Wang Nam Yen district, whose land and housing network
#: links three of its four tambons (seed 003).
SCALES = {
    "tambon": ScaleSpec("tambon", ("27",), ("2704",), 20, 0.5, 5, 8, 3.0, 2),
    "province": ScaleSpec("province", ("27",), None, 26, 2.5, 5, 20, 3.4, 3),
    "national": ScaleSpec("national", None, None, 24, 4.4, 3, 20, 6.7, 2),
}

#: Network shapes (``stakemap sample --shape``), as changes to a scale. ``dense`` is the
#: scale as above. ``sparse`` is modelled on an independent national dataset (issue 19:
#: 337,818 roster lines, 45,470 organisations, 26,616 projects, 81,643 organisation ties):
#: about 1.2 roster lines per person and 1.8 ties per organisation, because each tambon's
#: rosters draw from a larger pool of villagers whose activity varies less, and fewer
#: village groups, projects and participants. benchmarks/ runs both at national scale.
SHAPES = {
    "dense": {},
    "sparse": dict(n_humans_per_tambon=90, activity_sigma=0.35, n_groups_per_tambon=2.2,
                   group_roster_size=8, n_projects_per_era=1.75, n_participants_mean=0.6),
}


def shape_spec(spec: ScaleSpec, shape: str) -> ScaleSpec:
    """``spec`` changed to a network shape of :data:`SHAPES`.

    >>> shape_spec(SCALES["national"], "sparse").n_humans_per_tambon
    90
    """
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}, not {shape!r}")
    return replace(spec, **SHAPES[shape])


NATIONAL_ORGS = (
    # org code, name, kind, aliases
    ("CODI", "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)", "agency", "พอช.|พอช|CODI"),
    ("TRF", "สำนักงานกองทุนสนับสนุนการวิจัย", "fund", "สกว.|สกว|TRF"),
    ("THAIHEALTH", "สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ", "fund", "สสส.|สสส|ThaiHealth"),
    ("BAAC", "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร", "agency", "ธ.ก.ส.|ธกส.|ธกส|BAAC"),
    ("MSDHS", "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์", "agency", "พม.|พม|MSDHS"),
    ("NHSO", "สำนักงานหลักประกันสุขภาพแห่งชาติ", "fund", "สปสช.|สปสช|NHSO"),
    ("CDD", "กรมการพัฒนาชุมชน", "agency", "พช.|พช|CDD"),
    ("NHCO", "สำนักงานคณะกรรมการสุขภาพแห่งชาติ", "agency", "สช.|สช|NHCO"),
)

#: Province bodies: code, name pattern, kind, parent code, aliases pattern, roster pool.
PROVINCE_ORGS = (
    ("MSDHS", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด{p}", "agency", "N-MSDHS", "พมจ.{p}|พมจ{p}", "staff"),
    ("CDD", "สำนักงานพัฒนาชุมชนจังหวัด{p}", "agency", "N-CDD", "พช.จังหวัด{p}|พัฒนาชุมชนจังหวัด{p}", "staff"),
    ("BAAC", "ธ.ก.ส. สำนักงานจังหวัด{p}", "agency", "N-BAAC", "ธกส.{p}|ธ.ก.ส.จังหวัด{p}", "staff"),
    ("UNIV", "วิทยาลัยชุมชน{p}", "academic", "", "วชช.{p}", "staff"),
    ("NGO", "มูลนิธิพัฒนาชุมชน{p}", "ngo", "", "", "staff"),
    ("NET1", "เครือข่ายสวัสดิการชุมชนจังหวัด{p}", "network", "", "", "network"),
    ("NET2", "เครือข่ายที่ดินและที่อยู่อาศัยจังหวัด{p}", "network", "", "", "network"),
    ("NET3", "เครือข่ายองค์กรชุมชนจังหวัด{p}", "network", "", "", "network"),
)

#: Village groups: code, name pattern, kind, parent (province office code or '').
GROUP_TYPES = (
    ("SAV", "กลุ่มออมทรัพย์เพื่อการผลิตบ้าน{v} หมู่ {m}", "CDD"),
    ("WOM", "กลุ่มอาชีพสตรีบ้าน{v} หมู่ {m}", "CDD"),
    ("OLD", "ชมรมผู้สูงอายุบ้าน{v} หมู่ {m}", ""),
    ("ORG", "วิสาหกิจชุมชนเกษตรอินทรีย์บ้าน{v} หมู่ {m}", ""),
    ("HOU", "สหกรณ์บ้านมั่นคงบ้าน{v} หมู่ {m}", ""),
)

#: Roles by rank on each kind of roster (the last role repeats for the remaining lines).
ROLES = {
    "SAO": ("นายก อบต.", "รองนายก อบต.", "รองนายก อบต.", "เลขานุการนายก อบต.", "สมาชิกสภา อบต."),
    "board": ("ประธาน", "รองประธาน", "เลขานุการ", "เหรัญญิก", "กรรมการ"),
    "network": ("ประธาน", "รองประธาน", "เลขานุการ", "เหรัญญิก", "ผู้ประสานงาน", "กรรมการ"),
    "staff": ("ผู้ประสานงาน", "เจ้าหน้าที่"),
}
#: Tambon roster sizes (an SAO executive and council members; a council's or fund's board).
TAMBON_ROSTERS = {"SAO": 6, "CC": 10, "WF": 6, "HF": 6}
P_WELFARE_FUND = 0.9  # most tambons have a community welfare fund (seed 004: 55 pilot tambons grew)
P_HEALTH_FUND = 0.95  # nearly every SAO runs a tambon health fund


@dataclass
class World:
    """A true world: every frame has ids and flags ``in_q2`` / ``in_q3`` where it can change.

    Attributes
    ----------
    places : tambons (codes and Thai/English names of tambon, district, province).
    orgs : org_id, name, kind, parent_id, aliases, org_type, area_code.
    humans : human_id, tambon_code, province_code, sex, honorific, given, surname, office,
        academic, phone, email, weight.
    rosters : roster_id (= org_id or org_id plus a suffix), org_id, source, size, pool, roles.
    lines : one roster line: line_id, roster_id, org_id, human_id, role, in_q2, in_q3.
    projects, funding, participation : the project world (see :func:`build_projects`).
    groups : project_id, group_id of planted duplicate groups.
    relations : project_a, project_b, relation (co_funding, later_phase, template).
    traps : trap, id_a, id_b, detail.
    """

    spec: ScaleSpec
    places: pd.DataFrame
    orgs: pd.DataFrame
    humans: pd.DataFrame
    rosters: pd.DataFrame
    lines: pd.DataFrame
    projects: pd.DataFrame
    funding: pd.DataFrame
    participation: pd.DataFrame
    groups: pd.DataFrame
    relations: pd.DataFrame
    traps: pd.DataFrame


@cache
def read_names() -> dict[str, np.ndarray]:
    """The name pools of ``analysis/data/sample_names.csv`` by kind."""
    path = files("analysis").joinpath("data/sample_names.csv")
    names = pd.read_csv(path, dtype=str, encoding="utf-8")
    return {kind: group["name"].to_numpy(dtype=object) for kind, group in names.groupby("kind")}


@cache
def read_aims() -> pd.DataFrame:
    """Aims and how each agency words them (``analysis/data/sample_aims.csv``)."""
    path = files("analysis").joinpath("data/sample_aims.csv")
    return pd.read_csv(path, dtype={"variant": int}, keep_default_na=False, encoding="utf-8")


def build_places(spec: ScaleSpec) -> pd.DataFrame:
    """Tambons of the scale's area from geothai (official codes and names)."""
    rows = []
    for province in geothai.provinces():
        if spec.province_codes and province.code not in spec.province_codes:
            continue
        for district in geothai.districts(province.code):
            if spec.district_codes and district.code not in spec.district_codes:
                continue
            for tambon in geothai.subdistricts(district.code):
                rows.append((tambon.code, tambon.name_th, tambon.name_en, district.code, district.name_th,
                             district.name_en, province.code, province.name_th, province.name_en))
    columns = ["tambon_code", "tambon_th", "tambon_en", "district_code", "district_th", "district_en",
               "province_code", "province_th", "province_en"]
    return pd.DataFrame(rows, columns=columns).sort_values("tambon_code", ignore_index=True)


def build_orgs(places: pd.DataFrame, spec: ScaleSpec, rng: np.random.Generator) -> pd.DataFrame:
    """Organisations: national bodies, province bodies, tambon bodies and village groups."""
    rows = [dict(org_id=f"N-{code}", name=name, kind=kind, parent_id="", aliases=aliases,
                 org_type=code, area_code="") for code, name, kind, aliases in NATIONAL_ORGS]
    provinces = places.drop_duplicates("province_code")
    for province_code, p in zip(provinces["province_code"], provinces["province_th"]):
        for code, name, kind, parent, aliases, _ in PROVINCE_ORGS:
            rows.append(dict(org_id=f"P{province_code}-{code}", name=name.format(p=p), kind=kind,
                             parent_id=parent, aliases=aliases.format(p=p), org_type=code,
                             area_code=province_code))
    orgs = pd.DataFrame(rows)
    t = places
    n = len(t)
    sao = pd.DataFrame(dict(org_id="T" + t["tambon_code"] + "-SAO", name="องค์การบริหารส่วนตำบล" + t["tambon_th"],
                            kind="local_government", parent_id="", aliases="อบต." + t["tambon_th"] + "|อบต " + t["tambon_th"],
                            org_type="SAO", area_code=t["tambon_code"]))
    council = pd.DataFrame(dict(org_id="T" + t["tambon_code"] + "-CC", name="สภาองค์กรชุมชนตำบล" + t["tambon_th"],
                                kind="community_council", parent_id="N-CODI", aliases="", org_type="CC",
                                area_code=t["tambon_code"]))
    welfare = pd.DataFrame(dict(org_id="T" + t["tambon_code"] + "-WF", name="กองทุนสวัสดิการชุมชนตำบล" + t["tambon_th"],
                                kind="community_org", parent_id="", aliases="", org_type="WF",
                                area_code=t["tambon_code"]))[rng.random(n) < P_WELFARE_FUND]
    health = pd.DataFrame(dict(org_id="T" + t["tambon_code"] + "-HF", name="กองทุนหลักประกันสุขภาพ อบต." + t["tambon_th"],
                               kind="fund", parent_id="T" + t["tambon_code"] + "-SAO", aliases="", org_type="HF",
                               area_code=t["tambon_code"]))[rng.random(n) < P_HEALTH_FUND]
    return pd.concat([orgs, sao, council, welfare, health, build_groups(places, spec, rng)], ignore_index=True)


def build_groups(places: pd.DataFrame, spec: ScaleSpec, rng: np.random.Generator) -> pd.DataFrame:
    """Village groups: Poisson many per tambon, each in a numbered village (หมู่)."""
    counts = rng.poisson(spec.n_groups_per_tambon, len(places))
    t = places.loc[places.index.repeat(counts)].reset_index(drop=True)
    k = t.groupby("tambon_code").cumcount() + 1
    kind_index = rng.integers(0, len(GROUP_TYPES), len(t))
    names = read_names()
    village = (rng.choice(names["village_head"], len(t)) + rng.choice(names["village_tail"], len(t))).astype(object)
    pattern = np.array([g[1] for g in GROUP_TYPES], dtype=object)[kind_index]
    name = [p.format(v=v, m=m) for p, v, m in zip(pattern, village, k)]
    parent_code = np.array([g[2] for g in GROUP_TYPES], dtype=object)[kind_index]
    parent = np.where(parent_code == "", "", "P" + t["province_code"].to_numpy(dtype=object) + "-" + parent_code)
    return pd.DataFrame(dict(org_id="T" + t["tambon_code"] + "-G" + k.astype(str).str.zfill(2), name=name,
                             kind="community_org", parent_id=parent, aliases="",
                             org_type=np.array([g[0] for g in GROUP_TYPES], dtype=object)[kind_index],
                             area_code=t["tambon_code"]))


def draw_surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    """Compound surnames (head + tail, or head + middle + tail), as most Thai surnames are."""
    names = read_names()
    head, mid, tail = (rng.choice(names[k], n) for k in ("surname_head", "surname_mid", "surname_tail"))
    three = rng.random(n) < 0.6  # three-part names keep accidental namesakes rare at national scale
    return np.where(three, head + mid + tail, head + tail).astype(object)


def build_humans(places: pd.DataFrame, spec: ScaleSpec, rng: np.random.Generator) -> pd.DataFrame:
    """Villagers (a pool per tambon) with sex, names, honorific, office, phone and activity weight."""
    t = places.loc[places.index.repeat(spec.n_humans_per_tambon)].reset_index(drop=True)
    n = len(t)
    humans = pd.DataFrame(dict(tambon_code=t["tambon_code"], province_code=t["province_code"]))
    humans["weight"] = rng.lognormal(0.0, spec.activity_sigma, n)
    humans["sex"] = np.where(rng.random(n) < 0.5, "m", "f")
    fill_names(humans, rng)
    humans["academic"] = ""
    humans["email"] = ""
    # The most active villager is the กำนัน, the next two are village heads (ผู้ใหญ่บ้าน).
    rank = humans.groupby("tambon_code")["weight"].rank(ascending=False, method="first")
    humans["office"] = np.select([rank == 1, rank.isin((3, 5))], ["กำนัน", "ผู้ใหญ่บ้าน"], "")
    humans["is_staff"] = False
    return humans


def fill_names(humans: pd.DataFrame, rng: np.random.Generator) -> None:
    """Given name by sex, surname, honorific (married women นาง) and a mobile number."""
    n = len(humans)
    names = read_names()
    male = humans["sex"].to_numpy() == "m"
    humans["given"] = np.where(male, rng.choice(names["given_male"], n), rng.choice(names["given_female"], n))
    humans["surname"] = draw_surnames(rng, n)
    married = rng.random(n) < 0.6
    humans["honorific"] = np.where(male, "นาย", np.where(married, "นาง", "นางสาว"))
    prefix = rng.choice(np.array(["08", "09", "06"], dtype=object), n)
    digits = pd.Series(rng.integers(0, 10**8, n)).astype(str).str.zfill(8).to_numpy(dtype=object)
    phone = prefix + digits
    humans["phone"] = np.where(rng.random(n) < 0.85, phone, "")


def build_staff(orgs: pd.DataFrame, spec: ScaleSpec, rng: np.random.Generator) -> pd.DataFrame:
    """Staff of province offices, colleges and NGOs, and CODI's coordinators per province."""
    staffed = orgs[orgs["org_type"].isin(("MSDHS", "CDD", "BAAC", "UNIV", "NGO")) & (orgs["area_code"] != "")]
    codi = pd.DataFrame(dict(org_id="N-CODI", org_type="CODI", area_code=staffed["area_code"].unique()))
    staffed = pd.concat([staffed[["org_id", "org_type", "area_code"]], codi], ignore_index=True)
    t = staffed.loc[staffed.index.repeat(spec.n_staff_per_office)].reset_index(drop=True)
    n = len(t)
    staff = pd.DataFrame(dict(tambon_code="", province_code=t["area_code"], weight=0.0,
                              sex=np.where(rng.random(n) < 0.5, "m", "f"), office="", is_staff=True,
                              staff_org_id=t["org_id"]))
    fill_names(staff, rng)
    is_college = (t["org_type"] == "UNIV").to_numpy()
    staff["academic"] = np.where(is_college, rng.choice(np.array(["อ.", "ดร."], dtype=object), n), "")
    domain = t["org_type"].str.lower().to_numpy(dtype=object) + ".or.th"
    number = pd.Series(np.arange(n)).astype(str).str.zfill(5).to_numpy(dtype=object)
    staff["email"] = np.where(rng.random(n) < 0.7, "staff" + number + "@" + domain, "")
    return staff


def plant_spouses(humans: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Married couples in one tambon: one surname, opposite sexes, often one phone (household).

    Returns the pairs (id_a, id_b) planted.
    """
    village = humans[~humans["is_staff"]]
    within = village.groupby("tambon_code").cumcount().to_numpy()
    # Pair villager 2k with 2k+1 of the same tambon for about one couple in eight people.
    first = village.index[(within % 2 == 0) & (rng.random(len(village)) < 0.25)]
    first = first[(first + 1).isin(village.index)]
    second = first + 1
    second = second[humans.loc[second, "tambon_code"].to_numpy() == humans.loc[first, "tambon_code"].to_numpy()]
    first = second - 1
    humans.loc[first, ["sex", "honorific"]] = ["m", "นาย"]
    humans.loc[second, ["sex", "honorific"]] = ["f", "นาง"]
    humans.loc[second, "given"] = rng.choice(read_names()["given_female"], len(second))
    humans.loc[second, "surname"] = humans.loc[first, "surname"].to_numpy()
    shares_phone = rng.random(len(second)) < 0.5
    humans.loc[second[shares_phone], "phone"] = humans.loc[first[shares_phone], "phone"].to_numpy()
    return pd.DataFrame(dict(id_a=first, id_b=second))


def plant_namesakes(humans: pd.DataFrame, places: pd.DataFrame, taken: set, rng: np.random.Generator,
                    n_pairs: int) -> pd.DataFrame:
    """The same full name in two districts, nothing else in common (different phones)."""
    district = humans["tambon_code"].str[:4]
    village = humans.index[~humans["is_staff"].to_numpy() & ~humans.index.isin(list(taken))]
    if district[village].nunique() < 2 or len(village) < 2 * n_pairs:
        return pd.DataFrame(columns=["id_a", "id_b"])
    drawn = rng.choice(village, 2 * n_pairs, replace=False)
    a, b = drawn[:n_pairs], drawn[n_pairs:]
    for _ in range(5):  # re-pair the few that landed in one district among themselves
        same = district[a].to_numpy() == district[b].to_numpy()
        if same.sum() < 2:
            break
        b[same] = np.roll(b[same], 1)
    keep = district[a].to_numpy() != district[b].to_numpy()
    a, b = a[keep], b[keep]
    columns = ["sex", "honorific", "given", "surname"]
    humans.loc[b, columns] = humans.loc[a, columns].to_numpy()
    humans.loc[b, "office"] = ""
    return pd.DataFrame(dict(id_a=a, id_b=b))


def make_names_unique(humans: pd.DataFrame, rng: np.random.Generator, keep: np.ndarray) -> None:
    """Redraw surnames of accidental namesakes so that only planted ones share a full name."""
    for _ in range(20):
        full = humans["given"] + " " + humans["surname"]
        clash = full.duplicated(keep="first").to_numpy() & ~keep
        if not clash.any():
            return
        humans.loc[clash, "surname"] = draw_surnames(rng, int(clash.sum()))


#: Roster file names use the short forms offices write (keeps the committed sample small).
SHORT_FORMS = {"องค์การบริหารส่วนตำบล": "อบต.", "สภาองค์กรชุมชนตำบล": "สภาองค์กรชุมชน ต.",
               "กองทุนสวัสดิการชุมชนตำบล": "กองทุนสวัสดิการ ต.", "กองทุนหลักประกันสุขภาพ อบต.": "กองทุนสุขภาพ ต.",
               "กลุ่มออมทรัพย์เพื่อการผลิต": "กลุ่มออมทรัพย์", "วิสาหกิจชุมชน": "วสช.", "บ้าน": "บ.", "หมู่ ": "ม."}


def shorten(names: pd.Series) -> pd.Series:
    """Short forms of organisation names, as written in roster file names.

    Examples
    --------
    >>> shorten(pd.Series(["องค์การบริหารส่วนตำบลหนองบอน"])).tolist()
    ['อบต.หนองบอน']
    """
    out = names.astype(object)
    for long, short in SHORT_FORMS.items():
        out = out.str.replace(long, short, regex=False)
    return out


def build_rosters(orgs: pd.DataFrame, spec: ScaleSpec) -> pd.DataFrame:
    """One roster per organisation that keeps one, plus CODI's coordinator list per province."""
    o = orgs.set_index("org_id", drop=False)
    tambon = o[o["org_type"].isin(TAMBON_ROSTERS)]
    groups = o[o["org_id"].str.contains("-G")]
    networks = o[o["org_type"].str.startswith("NET")]
    staffed = o[o["org_type"].isin(("MSDHS", "CDD", "BAAC", "UNIV", "NGO")) & (o["area_code"] != "")]
    rows = [
        pd.DataFrame(dict(roster_id=tambon["org_id"], org_id=tambon["org_id"], size=tambon["org_type"].map(TAMBON_ROSTERS),
                          pool="tambon:" + tambon["area_code"],
                          roles=np.where(tambon["org_type"] == "SAO", "SAO", "board"),
                          source="กรรมการ" + shorten(tambon["name"]) + " 2569")),
        pd.DataFrame(dict(roster_id=groups["org_id"], org_id=groups["org_id"], size=spec.group_roster_size,
                          pool="tambon:" + groups["area_code"], roles="board",
                          source="กรรมการ" + shorten(groups["name"]))),
        pd.DataFrame(dict(roster_id=networks["org_id"], org_id=networks["org_id"], size=spec.network_roster_size,
                          pool="province:" + networks["area_code"], roles="network",
                          source="แกนนำ" + networks["name"])),
        pd.DataFrame(dict(roster_id=staffed["org_id"], org_id=staffed["org_id"], size=spec.n_staff_per_office,
                          pool="staff:" + staffed["org_id"], roles="staff",
                          source="เจ้าหน้าที่ " + staffed["aliases"].str.split("|").str[0].where(
                              staffed["aliases"] != "", staffed["name"]))),
    ]
    codi = pd.DataFrame(dict(org_id="N-CODI", area_code=staffed["area_code"].unique()))
    province_names = orgs.set_index("org_id")["name"]
    rows.append(pd.DataFrame(dict(
        roster_id="N-CODI@" + codi["area_code"], org_id="N-CODI", size=spec.n_staff_per_office,
        pool="staff:N-CODI@" + codi["area_code"], roles="staff",
        source="ผู้ประสานงาน พอช. " + province_names.reindex("P" + codi["area_code"] + "-NET3").str.replace(
            "เครือข่ายองค์กรชุมชน", "", regex=False).to_numpy(dtype=object))))
    return pd.concat(rows, ignore_index=True)


def draw_members(rosters: pd.DataFrame, humans: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Roster lines: each roster draws ``size`` distinct people from its pool by activity.

    Weighted sampling without replacement by the Gumbel-top-k trick (Vieira 2014; Kool, van
    Hoof & Welling 2019): keep the k largest ``log(weight) + Gumbel`` keys. Network rosters
    square the weights: province networks gather the most active leaders.
    """
    village = humans[~humans["is_staff"]].assign(human_id=lambda h: h.index)
    by_tambon = village.assign(pool="tambon:" + village["tambon_code"])
    by_province = village.assign(pool="province:" + village["province_code"])
    pool = pd.concat([by_tambon, by_province], ignore_index=True)[["pool", "human_id", "weight"]]
    drawn = rosters[~rosters["pool"].str.startswith("staff:")].merge(pool, on="pool")
    sharp = np.where(drawn["pool"].str.startswith("province:"), 2.0, 1.0)
    drawn["key"] = sharp * np.log(drawn["weight"].to_numpy()) + rng.gumbel(size=len(drawn))
    drawn = drawn.sort_values(["roster_id", "key"], ascending=[True, False], kind="stable")
    drawn["rank"] = drawn.groupby("roster_id").cumcount()
    drawn = drawn[drawn["rank"] < drawn["size"]]
    staff = humans[humans["is_staff"]].assign(human_id=lambda h: h.index)
    staff_pool = np.where(staff["staff_org_id"] == "N-CODI", "staff:N-CODI@" + staff["province_code"],
                          "staff:" + staff["staff_org_id"])
    staff = staff.assign(pool=staff_pool)
    staff = rosters.merge(staff[["pool", "human_id"]], on="pool")
    staff["rank"] = staff.groupby("roster_id").cumcount()
    lines = pd.concat([drawn, staff], ignore_index=True)[["roster_id", "org_id", "human_id", "rank", "roles"]]
    lines["role"] = assign_roles(lines, humans)
    return lines.drop(columns="roles").sort_values(["roster_id", "rank"], ignore_index=True)


def assign_roles(lines: pd.DataFrame, humans: pd.DataFrame) -> np.ndarray:
    """Role by rank on the roster; a กำนัน or ผู้ใหญ่บ้าน who is an ordinary board member is
    listed by that public office, as rosters do."""
    role = np.empty(len(lines), dtype=object)
    for kind, roles in ROLES.items():
        mask = (lines["roles"] == kind).to_numpy()
        role[mask] = np.array(roles, dtype=object)[np.minimum(lines["rank"].to_numpy()[mask], len(roles) - 1)]
    office = humans["office"].reindex(lines["human_id"]).to_numpy()
    ordinary = (role == "กรรมการ") & (office != "")
    role[ordinary] = office[ordinary]
    return role


def build_people(places, orgs, spec, rng_names, rng_draw) -> tuple[pd.DataFrame, ...]:
    """Humans (villagers and staff), the rosters and their lines, and the person traps."""
    humans = pd.concat([build_humans(places, spec, rng_names), build_staff(orgs, spec, rng_names)], ignore_index=True)
    humans["staff_org_id"] = humans["staff_org_id"].fillna("")
    rosters = build_rosters(orgs, spec)
    lines = draw_members(rosters, humans, rng_draw)
    # Traps are planted among people on some roster (names do not change who is drawn).
    on_roster = humans.index.isin(lines["human_id"].unique())
    spouses = plant_spouses(humans, rng_names)
    n_pairs = max(2, round(0.08 * len(places)))  # a handful per province (5 in Sa Kaeo)
    taken = set(spouses["id_a"]) | set(spouses["id_b"]) | set(humans.index[~on_roster])
    namesakes = plant_namesakes(humans, places, taken, rng_names, n_pairs)
    keep = np.zeros(len(humans), dtype=bool)
    for frame in (spouses, namesakes):
        keep[frame[["id_a", "id_b"]].to_numpy(dtype=int).ravel()] = True
    make_names_unique(humans, rng_names, keep)
    humans["human_id"] = "H" + pd.Series(np.arange(len(humans))).astype(str).str.zfill(7)
    ids = humans["human_id"]
    traps = pd.concat([
        pd.DataFrame(dict(trap="spouses", id_a=ids[spouses["id_a"]].to_numpy(), id_b=ids[spouses["id_b"]].to_numpy(),
                          detail="one tambon, one surname, different people")),
        pd.DataFrame(dict(trap="namesakes", id_a=ids[namesakes["id_a"]].to_numpy(), id_b=ids[namesakes["id_b"]].to_numpy(),
                          detail="same full name, different districts, nothing else shared")),
    ], ignore_index=True)
    lines["human_id"] = ids[lines["human_id"]].to_numpy()
    humans = humans.set_index("human_id", drop=False)
    return humans, rosters, lines, traps
