"""Who does what where: coverage, gaps, pile-ups and the funding streams of each place.

Seed 002 asks for the map of agencies "each opening its own work front" in the same tambons;
seed 004 for a "Mapping diagram" by function and area. :func:`compute_coverage` is that map as
a table; :func:`find_gaps` and :func:`find_pile_ups` read the two ends of it: where a kind of
work stops short of some tambons of a district, and where agencies crowd into one.
Definitions: docs/definitions.md, "Coverage, gaps and pile-ups".

The line of work of a project is its ``category``; a project without one takes the aims its
title (else its description) names, from the aims taxonomy the duplicate finder uses
(:func:`find_project_categories`). Work nothing names is counted in coverage.csv under "" but
never makes a gap or a pile-up: an unnamed line of work is not "the same work".
"""

import pandas as pd

from analysis.agencies import find_agencies, find_project_agencies
from analysis.aims import build_project_aims, load_aims
from analysis.dataset import Dataset, lookup
from analysis.hats import join_by
from analysis.network import find_area_chain, find_area_level, name_area

#: Area levels from the finest up; coverage.csv lists them in this order.
AREA_LEVELS = ("tambon", "district", "province", "province_group", "region")

COVERAGE_COLUMNS = ["area", "category", "agency", "projects", "budget_thb", "area_level", "area_name", "agency_id"]
GAP_COLUMNS = ["district", "district_name", "tambon", "tambon_name", "category", "n_tambons_with",
               "agencies_in_district"]
PILE_UP_COLUMNS = ["area", "area_name", "category", "n_agencies", "agencies", "agency_ids"]
STREAM_COLUMNS = ["area", "area_level", "area_name", "funder_id", "funder", "stream", "n_projects",
                  "n_organisations", "amount_thb"]

#: Three agencies, not two: a lead agency with one co-funder is an ordinary partnership;
#: a third one in the same tambon and line of work is where "each opens its own work front"
#: (seed 002) begins, and where merging or handing the baton on is worth a planner's look.
MIN_AGENCIES = 3


def _gazetteer(gazetteer):
    if gazetteer is None:
        from analysis.places import load_gazetteer

        return load_gazetteer()
    return gazetteer


def name_coverage_area(area: str, gazetteer) -> str:
    """The Thai name of an area of coverage.csv (an official code, ``group:…``, ``region:…``)."""
    for prefix in ("group:", "region:"):
        if area.startswith(prefix):
            return area.removeprefix(prefix)
    return name_area(gazetteer, area) if area else ""


def _area_rows(codes: pd.Series, gazetteer) -> pd.DataFrame:
    """For each distinct area code: every area containing it (area_code, area, area_level)."""
    rows = [(code, area, level) for code in sorted(codes.dropna().unique())
            for area, level in find_area_chain(code, gazetteer)]
    return pd.DataFrame(rows, columns=["area_code", "area", "area_level"])


def find_project_categories(projects: pd.DataFrame, aims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each project's line of work: (project_id, category) pairs.

    A project with a category keeps it. One without takes the Thai label of each aim its title,
    else its description, names (:func:`analysis.aims.build_project_aims`); one naming none
    keeps "".

    Examples
    --------
    >>> projects = pd.DataFrame({"project_id": ["J1", "J2", "J3"], "category": ["บ้านมั่นคง", None, None],
    ...                          "title": ["", "ซ่อมแซมบ้านผู้มีรายได้น้อย", "ประชุมประจำปี"], "description": None})
    >>> find_project_categories(projects).values.tolist()
    [['J1', 'บ้านมั่นคง'], ['J2', 'ที่อยู่อาศัย'], ['J3', '']]
    """
    aims = load_aims() if aims is None else aims
    text = {c: projects[c].fillna("").astype(str).str.strip() if c in projects.columns else pd.Series("", index=projects.index)
            for c in ("category", "title", "description")}
    is_open = text["category"] == ""
    derived: dict = {}
    if is_open.any():
        matrix = build_project_aims(text["category"][is_open], text["title"][is_open], text["description"][is_open], aims)
        labels = matrix.columns.map(lookup(aims, "aim_id", "label_th"))
        derived = {i: [labels[k] for k in row.nonzero()[0]] for i, row in zip(matrix.index, matrix.to_numpy())}
    rows = [(project_id, category)
            for i, project_id, own in zip(projects.index, projects["project_id"], text["category"])
            for category in ([own] if own else derived.get(i) or [""])]
    return pd.DataFrame(rows, columns=["project_id", "category"])


def compute_coverage(dataset: Dataset, gazetteer=None, aims: pd.DataFrame | None = None) -> pd.DataFrame:
    """coverage.csv (CONTRACT §4): projects and budget per area, category and agency.

    A project counts, in its own area and in every area above it (tambon → district →
    province → province group → region), once for each agency that leads it or funds it
    (:func:`analysis.agencies.find_project_agencies`), under ``agency`` "" when none does,
    and once for each line of work it has (:func:`find_project_categories`: its category,
    else the aims its title names; ``aims`` is the taxonomy, the built-in one extended by an
    ``aims.csv`` beside the dataset when None). ``budget_thb`` sums the budgets of the projects counted in the row (empty when none is
    known); a co-funded project's budget appears under each of its agencies, so budgets must
    not be added up across agencies (nor across the aims of one project). Projects with no
    known place are not counted. Work nothing names is under category "".

    Order: area level (finest first), area, category, agency.
    """
    gazetteer = _gazetteer(gazetteer)
    organisations, projects = dataset["organisations"], dataset["projects"]
    agencies = find_agencies(organisations)
    by_agency = projects[["project_id"]].merge(find_project_agencies(dataset, agencies), how="left")
    aims = load_aims(dataset.source) if aims is None else aims
    placed = projects[["project_id", "budget_thb", "area_code"]].dropna(subset=["area_code"])
    categories = find_project_categories(projects[projects["area_code"].notna()], aims)
    counted = (placed.merge(categories, on="project_id").merge(by_agency, on="project_id")
               .merge(_area_rows(placed["area_code"], gazetteer), on="area_code"))
    counted = counted.fillna({"agency_id": ""})
    grouped = counted.groupby(["area", "area_level", "category", "agency_id"], sort=False)
    coverage = _sum_known(grouped.agg(projects=("project_id", "nunique"), budget_thb=("budget_thb", "sum"),
                                      n_budgets=("budget_thb", "count")), "budget_thb", "n_budgets").reset_index()
    names = lookup(organisations, "org_id", "name")
    coverage["agency"] = coverage["agency_id"].map(names).fillna("")
    coverage["area_name"] = [name_coverage_area(area, gazetteer) for area in coverage["area"]]
    coverage["level_rank"] = coverage["area_level"].map(AREA_LEVELS.index)
    coverage = coverage.sort_values(["level_rank", "area", "category", "agency", "agency_id"], kind="stable")
    return coverage[COVERAGE_COLUMNS].reset_index(drop=True).astype({"projects": int, "budget_thb": float})


def _district_wide(coverage: pd.DataFrame) -> set[tuple[str, str]]:
    """(district, category) pairs with a project placed at district level only.

    Per agency, a district row counts its tambons' projects plus its district-wide ones, so
    a district count above the sum of its tambons' counts means a district-wide project.
    """
    tambons = coverage[coverage["area_level"] == "tambon"]
    in_tambons = (tambons.assign(district=tambons["area"].str[:4])
                  .groupby(["district", "category", "agency_id"])["projects"].sum())
    districts = coverage[coverage["area_level"] == "district"].set_index(["area", "category", "agency_id"])["projects"]
    extra = districts.sub(in_tambons.reindex(districts.index, fill_value=0))
    return {(district, category) for district, category, _ in extra[extra > 0].index}


def find_gaps(coverage: pd.DataFrame, gazetteer=None) -> pd.DataFrame:
    """gaps.csv: tambons of a district that lack a category of work found elsewhere in it.

    A category is *present in a district* when a project of that category works in one of
    its tambons. Each **official** tambon of that district (from the gazetteer, whether or
    not the dataset mentions it) where no project of that category works is a gap. A project
    placed at district level only is taken to work in every tambon of its district, so its
    category leaves no gap there.

    Work without a category (category "") makes no gap.

    Columns: district, district_name, tambon, tambon_name, category, n_tambons_with (tambons
    of the district that have it), agencies_in_district (names, ``|``). Order: district,
    category, tambon.
    """
    gazetteer = _gazetteer(gazetteer)
    tambons = coverage[(coverage["area_level"] == "tambon") & (coverage["category"] != "")]
    tambons = tambons.assign(district=tambons["area"].str[:4])
    district_wide = _district_wide(coverage)
    rows = []
    for (district, category), group in tambons.groupby(["district", "category"], sort=True):
        if (district, category) in district_wide:
            continue
        present = set(group["area"])
        agencies = "|".join(sorted(set(group["agency"]) - {""}))
        for tambon in sorted(set(gazetteer.tambons_in(district)) - present):
            rows.append((district, name_coverage_area(district, gazetteer), tambon, name_coverage_area(tambon, gazetteer), category,
                         len(present), agencies))
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def find_pile_ups(coverage: pd.DataFrame, min_agencies: int = MIN_AGENCIES) -> pd.DataFrame:
    """pile_ups.csv: tambons where ``min_agencies`` or more agencies lead or fund one category
    (work without a category, category "", is never a pile-up).

    Columns: area, area_name, category, n_agencies, agencies (names, ``|``), agency_ids
    (``|``). Order: n_agencies (descending), area, category. :data:`MIN_AGENCIES` says why 3.
    """
    tambons = coverage[(coverage["area_level"] == "tambon") & (coverage["agency_id"] != "") & (coverage["category"] != "")]
    piles = tambons.groupby(["area", "area_name", "category"], sort=True)["agency_id"].nunique()
    piles = piles[piles >= min_agencies].rename("n_agencies").reset_index()
    piled = tambons.merge(piles[["area", "category"]])
    keys = list(zip(piled["area"].tolist(), piled["category"].tolist()))
    names, ids = join_by(keys, piled["agency"]), join_by(keys, piled["agency_id"])
    pairs = list(zip(piles["area"].tolist(), piles["category"].tolist()))
    piles["agencies"] = [names[pair] for pair in pairs]
    piles["agency_ids"] = [ids[pair] for pair in pairs]
    piles = piles.sort_values(["n_agencies", "area", "category"], ascending=[False, True, True], kind="stable")
    return piles[PILE_UP_COLUMNS].reset_index(drop=True)


def _sum_known(table: pd.DataFrame, total: str, count: str) -> pd.DataFrame:
    """Blank a total that summed no known value (pandas sums nothing to 0), drop its count."""
    table[total] = table[total].where(table[count] > 0)
    return table.drop(columns=count)


def compute_funding_streams(dataset: Dataset, gazetteer=None) -> pd.DataFrame:
    """funding_streams.csv: where each place's money comes from.

    One row per (area, funder, stream): the area is the finest known place of the funded
    project, or of the recipient organisation when a row pays an organisation (a row naming
    both pays the project, as in the graph). Areas are not rolled up: each row is one place's
    own current. Money whose receiver has no known place is kept, with an empty area, so
    the amounts add up to the funding table's. ``stream`` is "" for a row without one;
    ``amount_thb`` is empty when no amount is known.

    Order: area, funder_id, stream.
    """
    gazetteer = _gazetteer(gazetteer)
    funding, projects = dataset["funding"], dataset["projects"]
    organisations = dataset["organisations"]
    project_area = projects.set_index("project_id")["area_code"]
    org_area = organisations.set_index("org_id")["area_code"]
    pays_project = funding["project_id"].notna()
    area = funding["project_id"].map(project_area).where(pays_project, funding["recipient_org_id"].map(org_area))
    rows = funding.assign(area=area.fillna(""), stream=funding["stream"].fillna(""),
                          project=funding["project_id"].where(pays_project),
                          organisation=funding["recipient_org_id"].where(~pays_project))
    grouped = rows.groupby(["area", "funder_id", "stream"], sort=True)
    streams = _sum_known(grouped.agg(n_projects=("project", "nunique"), n_organisations=("organisation", "nunique"),
                                     amount_thb=("amount_thb", "sum"), n_amounts=("amount_thb", "count")),
                         "amount_thb", "n_amounts").reset_index()
    streams["area_level"] = [find_area_level(a) for a in streams["area"]]
    streams["area_name"] = [name_coverage_area(a, gazetteer) for a in streams["area"]]
    streams["funder"] = streams["funder_id"].map(lookup(organisations, "org_id", "name"))
    return streams[STREAM_COLUMNS].astype({"amount_thb": float})
