"""A/B/C grades of tambons: which communities to strengthen first, on what evidence.

Seed 004: after the provincial cooperation meeting, communities are to be "ranked into groups
A, B and C so that teams go down and strengthen the ones that are still weak", from "the data
of every base, processed and ranked". A grade here is a **planning aid built from what the
lists contain, not a judgement of a community** (docs/grades.md): a tambon whose work is not
in the lists is graded low because the lists are silent about it.

Method: a weighted additive index (OECD/JRC, *Handbook on Constructing Composite
Indicators*, 2008: min–max normalisation to a cap, linear aggregation with explicit weights).
Each indicator's value is capped and scaled to [0, 1] (``min(value, cap) / cap``) and
multiplied by its weight; negative weights are penalties. The score is
``100 × Σ contributions / Σ positive weights``, floored at 0, so the cut-offs stay on a
0–100 scale whatever the weights. Weights, caps and cut-offs are in
``analysis/data/grading.csv``; a ``grading.csv`` in the dataset folder replaces any of its
rows (same ``kind`` and ``name``).

Indicators (one row per tambon):

====================  =====================================================================
has_council           1 when a ``community_council`` placed in the tambon is active: it leads
                      or takes part in a project or receives a payment
has_welfare_fund      1 when an organisation of the tambon whose name says welfare fund (the
                      ``welfare_fund`` aim of :mod:`analysis.aims`) is active, as above
n_streams             (funder, stream) pairs paying projects or organisations placed in the
                      tambon (funding_streams.csv)
n_agencies            agencies leading or funding a project in the tambon (coverage.csv)
aim_coverage          kinds of work present / (present + gaps in gaps.csv); 0 when neither
n_concentrated        persons through whom half or more of its projects pass (concentration.csv)
n_duplicate_groups    duplicate groups with a project in the tambon (duplicate_projects.csv)
====================  =====================================================================
"""

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.aims import build_aim_matrix, load_aims
from analysis.config import PACKAGE_DIR
from analysis.dataset import Dataset, lookup
from analysis.errors import DatasetError
from analysis.ingest.read import read_text_csv

GRADING_FILE = PACKAGE_DIR / "data" / "grading.csv"
FILE_NAME = "grading.csv"
GRADING_COLUMNS = ("kind", "name", "value", "cap", "label_th", "label_en", "reason")
INDICATORS = ("has_council", "has_welfare_fund", "n_streams", "n_agencies", "aim_coverage", "n_concentrated",
              "n_duplicate_groups")
GRADES = ("A", "B", "C")
ROLLUP_LEVELS = ("district", "province", "province_group")
ROLLUP_COLUMNS = ["area", "area_level", "area_name", "n_tambons", "n_A", "n_B", "n_C", "mean_score"]


def _read_grading_file(path: Path) -> pd.DataFrame:
    df = read_text_csv(path, ("kind", "name", "value"), "a grading file needs kind, name, value")
    for column in GRADING_COLUMNS:
        if column not in df.columns:
            df[column] = ""
    for index, row in df.iterrows():
        where = f"{path}, row {index + 2}"
        kind, name = row["kind"].strip(), row["name"].strip()
        if kind == "indicator" and name not in INDICATORS:
            raise DatasetError(f"{where}, column name: '{name}' is not one of {', '.join(INDICATORS)}.")
        if kind == "cutoff" and name not in GRADES[:2]:
            raise DatasetError(f"{where}, column name: a cutoff is for grade A or B, not '{name}'.")
        if kind not in ("indicator", "cutoff"):
            raise DatasetError(f"{where}, column kind: '{kind}' is not 'indicator' or 'cutoff'.")
        for column in ("value", "cap") if kind == "indicator" else ("value",):
            try:
                number = float(row[column])
            except ValueError:
                raise DatasetError(f"{where}, column {column}: '{row[column]}' is not a number.") from None
            if column == "cap" and not number > 0:
                raise DatasetError(f"{where}, column cap: the cap must be above 0, not '{row[column]}'.")
    df["kind"], df["name"] = df["kind"].str.strip(), df["name"].str.strip()
    return df[list(GRADING_COLUMNS)]


def load_grading(dataset: Path | None = None) -> pd.DataFrame:
    """The grading settings: the built-in ``grading.csv``, with a dataset's own rows replacing them.

    Parameters
    ----------
    dataset : a dataset folder (or workbook, with ``grading.csv`` beside it) that may hold a
        ``grading.csv``; None for the built-in settings only.

    Raises
    ------
    DatasetError : the user's file lacks kind/name/value, names an unknown indicator or grade,
        or has a value or cap that is not a number (cap must be above 0).

    Examples
    --------
    >>> grading = load_grading()
    >>> grading.set_index(["kind", "name"]).loc[("cutoff", "A"), "value"]
    '70'
    """
    grading = _read_grading_file(GRADING_FILE)
    if dataset is not None:
        path = Path(dataset)
        path = path / FILE_NAME if path.is_dir() else path.parent / FILE_NAME
        if path.exists():
            user = _read_grading_file(path)
            keys = set(zip(user["kind"], user["name"]))
            kept = [key not in keys for key in zip(grading["kind"], grading["name"])]
            grading = pd.concat([grading[kept], user], ignore_index=True)
    return grading.drop_duplicates(["kind", "name"], keep="last").reset_index(drop=True)


def _settings(grading: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, float]]:
    """(indicators with float weight and cap, indexed by name, in :data:`INDICATORS` order; cut-offs)."""
    rows = grading[grading["kind"] == "indicator"].set_index("name")
    indicators = rows.reindex([i for i in INDICATORS if i in rows.index])
    indicators = indicators.assign(weight=indicators["value"].astype(float), cap=indicators["cap"].astype(float))
    cutoffs = grading[grading["kind"] == "cutoff"].set_index("name")["value"].astype(float).to_dict()
    return indicators, cutoffs


def find_active_orgs(dataset: Dataset) -> set[str]:
    """org_ids that lead or take part in a project, or receive a payment, in the lists."""
    projects, participation, funding = dataset["projects"], dataset["participation"], dataset["funding"]
    return set(projects["lead_org_id"].dropna()) | set(participation["org_id"].dropna()) | set(
        funding["recipient_org_id"].dropna())


def find_welfare_funds(organisations: pd.DataFrame) -> pd.Series:
    """True for organisations whose name pursues the ``welfare_fund`` aim (กองทุนสวัสดิการ…)."""
    if organisations.empty:
        return pd.Series(False, index=organisations.index)
    aims = load_aims()
    # The one aim alone: each aim's column is found apart, and nationally the others cost
    # 2.6 of the grades' 6 s (62,000 names).
    return build_aim_matrix(organisations["name"], aims[aims["aim_id"] == "welfare_fund"])["welfare_fund"]


def find_graded_tambons(dataset: Dataset, tables: dict[str, pd.DataFrame]) -> list[str]:
    """Tambon codes to grade: every tambon an organisation or a project is placed in, or a gap names."""
    codes = set(dataset["organisations"]["tambon_code"].dropna()) | set(dataset["projects"]["tambon_code"].dropna())
    gaps = tables.get("gaps")
    if gaps is not None and not gaps.empty:
        codes |= set(gaps["tambon"])
    return sorted(c for c in codes if isinstance(c, str) and len(c) == 6)


def _count_by(keys: pd.Series, values: pd.Series) -> pd.Series:
    return pd.DataFrame({"k": keys, "v": values}).dropna().drop_duplicates().groupby("k")["v"].size()


def compute_indicators(dataset: Dataset, tables: dict[str, pd.DataFrame], tambons: list[str] | None = None) -> pd.DataFrame:
    """One row per tambon (index ``area``): the value of every indicator of :data:`INDICATORS`."""
    tambons = find_graded_tambons(dataset, tables) if tambons is None else tambons
    organisations, projects = dataset["organisations"], dataset["projects"]
    active = organisations["org_id"].isin(find_active_orgs(dataset))
    in_tambon = organisations["tambon_code"]
    councils = _count_by(in_tambon[active & (organisations["kind"] == "community_council")], organisations["org_id"])
    funds = _count_by(in_tambon[active & find_welfare_funds(organisations)], organisations["org_id"])
    streams = tables["funding_streams"]
    streams = streams[streams["area_level"] == "tambon"]
    coverage = tables["coverage"]
    coverage = coverage[coverage["area_level"] == "tambon"]
    agencies = _count_by(coverage["area"], coverage["agency_id"].replace("", np.nan))
    present = _count_by(coverage["area"], coverage["category"])
    gaps = tables["gaps"]
    n_gaps = _count_by(gaps["tambon"], gaps["category"])
    concentration = tables["concentration"]
    duplicates = tables["duplicate_projects"][["group_id", "project_id"]].merge(
        projects[["project_id", "tambon_code"]], on="project_id")
    index = pd.Index(tambons, name="area")
    values = pd.DataFrame(index=index)
    values["has_council"] = (index.map(councils).fillna(0) > 0).astype(int)
    values["has_welfare_fund"] = (index.map(funds).fillna(0) > 0).astype(int)
    values["n_streams"] = index.map(_count_by(streams["area"], streams["funder_id"] + "\x1f" + streams["stream"])).fillna(0).astype(int)
    values["n_agencies"] = index.map(agencies).fillna(0).astype(int)
    n_present, n_missing = index.map(present).fillna(0), index.map(n_gaps).fillna(0)
    total = n_present + n_missing
    values["aim_coverage"] = np.where(total > 0, n_present / np.where(total > 0, total, 1), 0.0).round(4)
    values["n_concentrated"] = index.map(_count_by(concentration["tambon_code"], concentration["person_id"])).fillna(0).astype(int)
    values["n_duplicate_groups"] = index.map(_count_by(duplicates["tambon_code"], duplicates["group_id"])).fillna(0).astype(int)
    return values


def score_indicators(values: pd.DataFrame, grading: pd.DataFrame) -> pd.DataFrame:
    """Contributions, score and grade for indicator values (:func:`compute_indicators`).

    Examples
    --------
    >>> values = pd.DataFrame({"has_council": [1, 0], "has_welfare_fund": [1, 0], "n_streams": [4, 1],
    ...                        "n_agencies": [2, 0], "aim_coverage": [0.5, 0.0], "n_concentrated": [0, 1],
    ...                        "n_duplicate_groups": [1, 0]}, index=pd.Index(["T1", "T2"], name="area"))
    >>> scored = score_indicators(values, load_grading())
    >>> scored[["score", "grade"]].to_dict("index")
    {'T1': {'score': 58.3, 'grade': 'B'}, 'T2': {'score': 0.0, 'grade': 'C'}}

    T1: 2 + 2 + 2×4/12 + 2×2/6 + 2×0.5 − 1×1/2 = 5.8334 of the 10 positive weight points
    (58.3, B from 50); T2: 2×1/12 − 2×1/4 < 0, floored at 0.
    """
    indicators, cutoffs = _settings(grading)
    out = pd.DataFrame(index=values.index)
    positive = indicators.loc[indicators["weight"] > 0, "weight"].sum()
    total = pd.Series(0.0, index=values.index)
    for name, setting in indicators.iterrows():
        contribution = (setting["weight"] * values[name].clip(upper=setting["cap"]) / setting["cap"]).round(4)
        out[name] = values[name]
        out[f"{name}_points"] = contribution
        total += contribution
    out["score"] = (100 * total / positive).clip(lower=0).round(1) if positive > 0 else 0.0
    a, b = cutoffs.get("A", 70.0), cutoffs.get("B", 50.0)
    out["grade"] = np.select([out["score"] >= a, out["score"] >= b], ["A", "B"], "C")
    return out


def _show(value: float) -> str:
    return f"{value:g}" if isinstance(value, (int, float, np.integer, np.floating)) else str(value)


def explain_grades(scored: pd.DataFrame, grading: pd.DataFrame) -> list[tuple[str, str]]:
    """:func:`explain_grade` for every row of ``scored``, the settings read once (nationally
    7,436 rows: reading them per row took most of the grading step)."""
    indicators, cutoffs = _settings(grading)
    settings = list(zip(indicators.index, indicators.to_dict("records")))
    return [explain_grade(row, settings, cutoffs) for row in scored.to_dict("records")]


def explain_grade(row, settings: list[tuple[str, dict]], cutoffs: dict[str, float]) -> tuple[str, str]:
    """(reason in Thai, reason in English): the score, its cut-off, each indicator that added
    or took away points, and the positive ones that added nothing (what to strengthen).

    ``row`` is a row of :func:`score_indicators` (a Series or a dict); ``settings`` the
    indicators' (name, setting) pairs and ``cutoffs`` the cut-offs, as :func:`explain_grades`
    reads them from the grading table.
    """
    grade, score = row["grade"], row["score"]
    a, b = _show(cutoffs.get("A", 70.0)), _show(cutoffs.get("B", 50.0))
    bound = {"A": f"≥ {a}", "B": f"{b}–{a}", "C": f"< {b}"}[grade]
    plus_th, plus_en, minus_th, minus_en, lack_th, lack_en = [], [], [], [], [], []
    for name, setting in settings:
        points, value = row[f"{name}_points"], row[name]
        shown = f"{value:.0%}" if name == "aim_coverage" else _show(value)
        th, en = f"{setting['label_th']} {shown}", f"{setting['label_en']} {shown}"
        if points > 0:
            plus_th.append(f"{th} (+{_show(round(points, 2))})")
            plus_en.append(f"{en} (+{_show(round(points, 2))})")
        elif points < 0:
            minus_th.append(f"{th} ({_show(round(points, 2))})")
            minus_en.append(f"{en} ({_show(round(points, 2))})")
        elif setting["weight"] > 0:
            lack_th.append(setting["label_th"])
            lack_en.append(setting["label_en"])
    th = f"กลุ่ม {grade} คะแนน {_show(score)} ({bound})"
    en = f"grade {grade}, score {_show(score)} ({bound})"
    for items_th, items_en, word_th, word_en in ((plus_th, plus_en, "มี", "has"),
                                                 (minus_th, minus_en, "ต้องแก้", "to resolve"),
                                                 (lack_th, lack_en, "ยังไม่พบในข้อมูล", "not found in the lists")):
        if items_th:
            th += f"; {word_th}: " + ", ".join(items_th)
            en += f"; {word_en}: " + ", ".join(items_en)
    return th, en


def count_people(dataset: Dataset, persons: pd.DataFrame) -> pd.Series:
    """Persons per tambon code: those on the roster of an organisation placed in the tambon
    or taking part in a project there (how many people strengthening it would reach, as far
    as the lists know)."""
    from analysis.hats import find_roster, find_taking_part

    organisations, projects = dataset["organisations"], dataset["projects"]
    roster, taking_part = find_roster(dataset, persons), find_taking_part(dataset, persons)
    pairs = pd.concat([
        pd.DataFrame({"k": roster["org_id"].map(lookup(organisations, "org_id", "tambon_code")),
                      "v": roster["person_id"]}),
        pd.DataFrame({"k": taking_part["project_id"].map(lookup(projects, "project_id", "tambon_code")),
                      "v": taking_part["person_id"]}),
    ])
    return _count_by(pairs["k"], pairs["v"])


def find_org_reach(dataset: Dataset) -> pd.DataFrame:
    """(org_id, area) pairs: where the lists show an organisation at work — placed there,
    leading a project there, or paying a project (or an organisation) there. Areas are the
    codes as placed (tambon, district or province); one row per pair."""
    organisations, projects, funding = dataset["organisations"], dataset["projects"], dataset["funding"]
    area_of_org = lookup(organisations, "org_id", "area_code")
    area_of_project = lookup(projects, "project_id", "area_code")
    return pd.concat([
        pd.DataFrame({"org_id": organisations["org_id"], "area": organisations["area_code"]}),
        pd.DataFrame({"org_id": projects["lead_org_id"], "area": projects["area_code"]}),
        pd.DataFrame({"org_id": funding["funder_id"], "area": funding["project_id"].map(area_of_project)
                      .fillna(funding["recipient_org_id"].map(area_of_org))}),
    ]).dropna().drop_duplicates().reset_index(drop=True)


def find_tambon_bridges(reach: pd.DataFrame, bridges: pd.DataFrame) -> pd.Series:
    """tambon code → the bridging organisations at work there (``|``-joined org_ids, best
    bridges.csv rank first).

    A bridging organisation is one of bridges.csv with betweenness above 0: it lies on a
    shortest path between two other organisations of the network (Freeman 1977), so it
    joins people or projects that would otherwise not meet. Two tambons sharing one have a
    go-between for mentoring (seed 004's A tambons helping C tambons; :mod:`analysis.advise`).

    Examples
    --------
    >>> reach = pd.DataFrame({"org_id": ["N1", "N2", "N3", "N2"], "area": ["270101", "270101", "270101", "2701"]})
    >>> bridges = pd.DataFrame({"org_id": ["N2", "N1", "N3"], "rank": [1, 2, 3], "betweenness": [0.4, 0.1, 0.0]})
    >>> find_tambon_bridges(reach, bridges).to_dict()
    {'270101': 'N2|N1'}
    """
    bridging = bridges.loc[bridges["betweenness"] > 0, ["org_id", "rank"]]
    at_work = reach[reach["area"].astype(str).str.len() == 6].merge(bridging, on="org_id")
    at_work = at_work.sort_values(["area", "rank"], kind="stable")
    return at_work.groupby("area", sort=True)["org_id"].agg("|".join)


def compute_grades(dataset: Dataset, tables: dict[str, pd.DataFrame], grading: pd.DataFrame | None = None,
                   gazetteer=None, n_people: pd.Series | None = None, reach: pd.DataFrame | None = None) -> pd.DataFrame:
    """grades.csv (CONTRACT §4): one row per tambon of the run, best score first.

    Columns: area (tambon code), grade, score, then for each indicator its value and
    ``<indicator>_points`` (its contribution), n_people (persons the lists place there,
    :func:`count_people`; not an indicator), reason (English), reason_th, area_name,
    district, province, province_group (``group:<Thai name>``, as in grade_counts.csv),
    bridge_org_ids (:func:`find_tambon_bridges`; not an indicator, the advice's mentors use it).
    Order: score (descending), area.

    ``n_people`` (:func:`count_people` of the dataset and ``tables["persons"]``) and
    ``reach`` (:func:`find_org_reach` of the dataset) are made here when None; a run makes
    them beside the other analyses (:func:`analysis.pipeline.analyse_dataset`), since grading
    itself waits for all of them.
    """
    from analysis.coverage import name_coverage_area

    grading = load_grading() if grading is None else grading
    if gazetteer is None:
        from analysis.places import load_gazetteer

        gazetteer = load_gazetteer()
    scored = score_indicators(compute_indicators(dataset, tables), grading)
    reasons = explain_grades(scored, grading)
    n_people = count_people(dataset, tables["persons"]) if n_people is None else n_people
    scored["n_people"] = scored.index.map(n_people).fillna(0).astype(int)
    scored["reason"] = [en for _, en in reasons]
    scored["reason_th"] = [th for th, _ in reasons]
    scored = scored.reset_index()
    scored["area_name"] = [name_coverage_area(code, gazetteer) for code in scored["area"]]
    scored["district"], scored["province"] = scored["area"].str[:4], scored["area"].str[:2]
    groups = {code: f"group:{gazetteer.province_group(code)}" for code in scored["province"].unique()}
    scored["province_group"] = scored["province"].map(groups)
    if "bridges" in tables:
        bridging = find_tambon_bridges(find_org_reach(dataset) if reach is None else reach, tables["bridges"])
        scored["bridge_org_ids"] = [bridging.get(area, "") for area in scored["area"]]
    else:
        scored["bridge_org_ids"] = ""
    front = ["area", "grade", "score"]
    scored = scored[front + [c for c in scored.columns if c not in front]]
    return scored.sort_values(["score", "area"], ascending=[False, True], kind="stable").reset_index(drop=True)


def count_grades(grades: pd.DataFrame, gazetteer=None) -> pd.DataFrame:
    """grade_counts.csv: A/B/C counts per district, province and province group (seed 001's
    18 groups), with the mean score. Order: level (district first), area."""
    from analysis.coverage import name_coverage_area

    if gazetteer is None:
        from analysis.places import load_gazetteer

        gazetteer = load_gazetteer()
    if grades.empty:
        return pd.DataFrame(columns=ROLLUP_COLUMNS)
    keys = {"district": grades["district"], "province": grades["province"], "province_group": grades["province_group"]}
    parts = []
    for level in ROLLUP_LEVELS:
        counts = pd.crosstab(keys[level], grades["grade"]).reindex(columns=list(GRADES), fill_value=0)
        part = pd.DataFrame({"area": counts.index, "area_level": level,
                             "n_tambons": counts.sum(axis=1).to_numpy()})
        for grade in GRADES:
            part[f"n_{grade}"] = counts[grade].to_numpy()
        part["mean_score"] = grades.groupby(keys[level].to_numpy())["score"].mean().reindex(counts.index).round(1).to_numpy()
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["area_name"] = [name_coverage_area(area, gazetteer) for area in out["area"]]
    return out[ROLLUP_COLUMNS]
