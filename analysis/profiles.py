"""The profile of one area: what a facilitator needs about *this* tambon on one page.

Seed 001 puts "data, plans and reports per tambon" at the centre of the quarterly review;
seed 004 asks to see together "the currents of well-being" that reach a tambon. A profile
gathers, for one tambon (or a district, province or province group, rolled up), from the
run's own tables: its grade and why (:mod:`analysis.grades`), the organisations present and
who leads them, the projects by aim, agency and period, the funding currents by funder and
stream (per head where a population is known), people with many hats and any
giver-and-receiver conflict, the bridges that reach it, duplicate groups, gaps, pile-ups and
what changed since the previous run.

:class:`ProfileBook` splits every table by tambon once, so that writing a profile for each
of 7,436 tambons costs a dictionary look-up per table, not a scan of national tables.
No file is read or written here (:mod:`analysis.render.profiles` writes the pages).

A roll-up (a district, province or province group) gathers the same sections over the
tambons it holds, opens with their A/B/C counts and lists the areas one level down, each
linked to its own page. A province group is named ``group:<its Thai name>`` (as in
grade_counts.csv and the network's area nodes); its page is ``group-<number>.html``.

Privacy: with ``public_ids`` given (a ``--public`` run) a person is named only when they hold
a public role (:mod:`analysis.privacy`); everyone else is shown by their label, and every
text is passed through :func:`analysis.privacy.redact_text`.
"""

from dataclasses import dataclass, field

import pandas as pd

from analysis.agencies import find_agencies, find_project_agencies
from analysis.dataset import Dataset
from analysis.grades import find_org_reach
from analysis.hats import find_roster, find_taking_part, join_by
from analysis.ingest.normalise import normalise_text
from analysis.network import PUBLIC_ROLES
from analysis.privacy import public_name, redact_column

#: People with hats listed in a profile: serving two agencies or more. One agency is an
#: ordinary membership; two is the first point where "one person, two camps" (seed 002) can arise.
MIN_HATS = 2
#: Rows a profile lists per section; the page says how many more there are and where. Chosen
#: with the print test (tests/browser/test_profiles_browser.py) so a busy tambon fits on two A4 pages.
MAX_ROWS = 6
#: Bridges listed: the best-ranked few among the organisations that reach the area.
N_BRIDGES = 5

LEVELS = {6: "tambon", 4: "district", 2: "province"}
#: How a province group is named among area codes (grade_counts.csv, the network's area nodes).
GROUP_PREFIX = "group:"


def find_level(area: str) -> str:
    """'tambon', 'district', 'province' (by the code's length) or 'province_group' (``group:…``)."""
    return "province_group" if area.startswith(GROUP_PREFIX) else LEVELS[len(area)]


def find_page_name(area: str, gazetteer) -> str:
    """The file name of an area's page in ``profiles/``: ``<code>.html``, or for a province
    group ``group-<number>.html`` (1–18, seed 001's order; a Thai name makes a poor file name).

    Examples
    --------
    >>> from analysis.places import load_gazetteer
    >>> find_page_name("8008", load_gazetteer()), find_page_name("group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย", load_gazetteer())
    ('8008.html', 'group-11.html')
    """
    if area.startswith(GROUP_PREFIX):
        provinces = gazetteer.group_provinces()[area.removeprefix(GROUP_PREFIX)]
        return f"group-{gazetteer.province_group_id(provinces[0]):02d}.html"
    return f"{area}.html"


@dataclass
class Profile:
    """One area's profile: plain values and small tables, ready to render.

    ``parents`` are (level, area, name) of the areas holding it, finest first (a region has
    no area: it has no page). ``tables`` maps a section name to its table (a roll-up's
    ``areas`` one level down, organisations, projects, by_aim, by_agency, by_period, funding,
    hats, bridges, duplicates, gaps, pile_ups, concentration, changes);
    ``totals`` holds the counts the tables were cut from (before :data:`MAX_ROWS`); ``pages``
    the page file name (:func:`find_page_name`) of the area, its parents and the areas it lists.
    """

    area: str
    level: str
    name_th: str
    name_en: str
    parents: list[tuple[str, str, str]]
    grade: dict | None
    grade_counts: pd.DataFrame | None
    population: float | None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    totals: dict[str, float] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)


def _period(start, end) -> str:
    """``2567–2569``: the Buddhist Era years of a project's start and end (fiscal year aside)."""
    years = [str(d.year + 543) for d in (start, end) if isinstance(d, pd.Timestamp) and not pd.isna(d)]
    return "–".join(dict.fromkeys(years))


def _split(df: pd.DataFrame, column: str, length: int = 6) -> dict[str, pd.DataFrame]:
    """Rows per area code of ``length`` digits (the column's first ``length`` characters; rows
    with a shorter code left out): 6 per tambon, 4 per district, 2 per province."""
    codes = df[column].fillna("").astype(str)
    is_in = codes.str.len() >= length
    return {code: part for code, part in df[is_in].groupby(codes[is_in].str[:length], sort=False)}


class ProfileBook:
    """The profiles of a run, built on demand (:meth:`build`) from tables split once.

    Parameters
    ----------
    dataset : the checked dataset.
    tables : the run's tables (unmasked: ``persons`` is needed to name leaders).
    gazetteer : the gazetteer (names of areas).
    public_ids : person_ids with a public role when the output is public; None otherwise.
    changes : changes.csv of the run compared with the previous one, if any.
    population : area code → number of people, where known.
    """

    def __init__(self, dataset: Dataset, tables: dict[str, pd.DataFrame], gazetteer, *,
                 public_ids: set[str] | None = None, changes: pd.DataFrame | None = None,
                 population: dict[str, float] | None = None):
        self.gazetteer, self.public_ids, self.population = gazetteer, public_ids, population or {}
        self.grades = tables.get("grades", pd.DataFrame(columns=["area"])).set_index("area", drop=False)
        self.grade_counts = tables.get("grade_counts")
        organisations, projects = dataset["organisations"], dataset["projects"]
        names = dict(zip(organisations["org_id"], organisations["name"]))
        persons = tables["persons"]
        person_names = persons.groupby("person_id")["person_name"].first().to_dict()
        self._person_name = person_names
        area_of_org = dict(zip(organisations["org_id"], organisations["area_code"]))
        area_of_project = dict(zip(projects["project_id"], projects["area_code"]))
        agencies = find_agencies(organisations)
        by_project = find_project_agencies(dataset, agencies)
        project_agencies = join_by(by_project["project_id"], by_project["agency_id"].map(names))
        roster = find_roster(dataset, persons)
        leaders = roster[roster["role"].fillna("").str.contains("|".join(PUBLIC_ROLES), case=False, regex=True)]
        leader_text = join_by(leaders["org_id"], pd.Series(
            [f"{self.name_person(p)} ({r})" for p, r in zip(leaders["person_id"], leaders["role"])]), ", ")
        self.orgs = pd.DataFrame({
            "org_id": organisations["org_id"], "name": organisations["name"], "kind": organisations["kind"],
            "leaders": organisations["org_id"].map(leader_text).fillna(""), "area": organisations["area_code"]})
        self.projects = pd.DataFrame({
            "project_id": projects["project_id"], "title": projects["title"],
            "category": projects["category"].fillna(""),
            "lead": projects["lead_org_id"].map(names).fillna(""),
            "agencies": projects["project_id"].map(project_agencies).fillna(""),
            "period": [_period(s, e) for s, e in zip(projects["start"], projects["end"])],
            "budget_thb": projects["budget_thb"], "area": projects["area_code"]})
        self.funding = tables["funding_streams"].rename(columns={"area": "area_code"}).assign(
            area=lambda df: df["area_code"])
        hats = tables["hats"]
        hats = hats[(hats["n_agencies"] >= MIN_HATS) | hats["is_giver_receiver"]]
        taking_part = find_taking_part(dataset, persons)
        reach = pd.concat([
            pd.DataFrame({"person_id": roster["person_id"], "area": roster["org_id"].map(area_of_org)}),
            pd.DataFrame({"person_id": taking_part["person_id"], "area": taking_part["project_id"].map(area_of_project)}),
        ]).dropna().drop_duplicates()
        self.hats = reach.merge(hats, on="person_id")
        self.bridges = find_org_reach(dataset).merge(tables["bridges"][["org_id", "name", "rank", "betweenness"]],
                                                     on="org_id")
        duplicates = tables["duplicate_projects"]
        self.duplicates = duplicates[["group_id", "project_id", "title"]].assign(
            area=duplicates["project_id"].map(area_of_project))
        self.gaps = tables["gaps"].assign(area=tables["gaps"]["tambon"])
        self.pile_ups = tables["pile_ups"].assign(area=tables["pile_ups"]["area"])
        self.concentration = tables["concentration"].assign(area=tables["concentration"]["tambon_code"])
        self.changes = None
        if changes is not None and not changes.empty:
            project_areas = changes["detail"].str.extract(r"projects (.*)$")[0].fillna("")
            first_area = [area_of_project.get(p.split(", ")[0], "") if p else "" for p in project_areas]
            area = [i.split(":")[0] if k in ("coverage", "area") else a for k, i, a in
                    zip(changes["kind"], changes["id"], first_area)]
            self.changes = changes.assign(area=area)
        self._parts = {(name, 6): _split(getattr(self, name), "area")
                       for name in ("orgs", "projects", "funding", "hats", "bridges", "duplicates", "gaps", "pile_ups",
                                    "concentration") + (("changes",) if self.changes is not None else ())}

    def name_person(self, person_id: str) -> str:
        """A person's name, or their label when the output is public and their role is not."""
        if self.public_ids is not None and person_id not in self.public_ids:
            return public_name(person_id)
        return self._person_name.get(person_id, person_id)

    def _codes(self, area: str) -> list[str]:
        """The official codes an area covers: itself, or a province group's provinces."""
        if area.startswith(GROUP_PREFIX):
            return self.gazetteer.group_provinces()[area.removeprefix(GROUP_PREFIX)]
        return [area]

    def part(self, name: str, area: str) -> pd.DataFrame:
        """The rows of a table that lie in ``area``: a look-up in the table split once by
        tambon, district or province (a province group: its provinces' rows)."""
        df = getattr(self, name)
        if df is None:
            return pd.DataFrame()
        codes = self._codes(area)
        key = (name, len(codes[0]))
        if key not in self._parts:
            self._parts[key] = _split(df, "area", len(codes[0]))
        found = [self._parts[key][code] for code in codes if code in self._parts[key]]
        return pd.concat(found) if len(found) > 1 else found[0] if found else df.iloc[0:0]

    def tambons(self) -> list[str]:
        """Every graded tambon, by code."""
        return sorted(self.grades["area"])

    def rollups(self) -> list[str]:
        """Every district, province and province group holding a graded tambon (grade_counts.csv)."""
        return [] if self.grade_counts is None else self.grade_counts["area"].tolist()

    def build(self, area: str) -> Profile:
        """The profile of one area: an official code (tambon, district, province) or ``group:<name>``."""
        gazetteer = self.gazetteer
        level = find_level(area)
        province = self._codes(area)[0][:2]
        parents = [(LEVELS[len(code)], code, gazetteer.name(code)) for code in (area[:4], area[:2])
                   if level != "province_group" and len(code) < len(area)]
        group = f"{GROUP_PREFIX}{gazetteer.province_group(province)}"
        parents.append(("province_group", group, group.removeprefix(GROUP_PREFIX)) if level != "province_group"
                       else ("region", "", gazetteer.region(province)))
        grade = self.grades.loc[area].to_dict() if area in self.grades.index else None
        counts = None
        if level != "tambon" and self.grade_counts is not None:
            counts = self.grade_counts[self.grade_counts["area"] == area]
        if level == "province_group":
            name_th, name_en = area.removeprefix(GROUP_PREFIX), gazetteer.province_group_en(province)
        else:
            name_th, name_en = gazetteer.name(area), gazetteer.name(area, "en")
        profile = Profile(area=area, level=level, name_th=name_th, name_en=name_en, parents=parents, grade=grade,
                          grade_counts=counts, population=self.population.get(area))
        if level != "tambon":
            profile.tables["areas"] = self._list_areas(area, level)
        linked = [area, *(code for _, code, _ in parents if code), *profile.tables.get("areas", {"area": []})["area"]]
        profile.pages = {code: find_page_name(code, gazetteer) for code in linked}
        self._fill(profile)
        return profile

    def _list_areas(self, area: str, level: str) -> pd.DataFrame:
        """The graded areas one level down: a district's tambons with their grade and score;
        a province's districts and a group's provinces with their A/B/C counts (by code)."""
        if level == "district":
            tambons = self.grades.loc[sorted(code for code in self.grades["area"] if code[:4] == area)]
            return pd.DataFrame({"area": tambons["area"].to_numpy(),
                                 "area_name": [self.gazetteer.name(code) for code in tambons["area"]],
                                 "grade": tambons["grade"].to_numpy(), "score": tambons["score"].to_numpy()})
        counts = self.grade_counts
        down = "district" if level == "province" else "province"
        codes = self._codes(area)
        rows = counts[(counts["area_level"] == down) & counts["area"].str[:2].isin(codes)].sort_values("area")
        return rows[["area", "area_name", "n_tambons", "n_A", "n_B", "n_C", "mean_score"]].reset_index(drop=True)

    def _fill(self, profile: Profile) -> None:
        area, tables, totals = profile.area, profile.tables, profile.totals
        orgs = self.part("orgs", area).sort_values(["kind", "name", "org_id"], kind="stable")
        projects = self.part("projects", area).sort_values(["category", "project_id"], kind="stable")
        tables["organisations"] = orgs[["name", "kind", "leaders"]]
        tables["projects"] = projects[["project_id", "title", "category", "agencies", "period", "budget_thb"]]
        tables["by_aim"] = _count(projects, "category")
        tables["by_agency"] = _count(projects, "agencies", split="|", name="agency")
        tables["by_period"] = _count(projects, "period")
        funding = self.part("funding", area)
        tables["funding"] = _sum_currents(funding, profile.population)
        totals["amount_thb"] = _nan_sum(funding["amount_thb"].tolist())
        hats = self.part("hats", area).drop_duplicates("person_id")
        hats = hats.sort_values(["is_giver_receiver", "n_agencies", "person_id"], ascending=[False, False, True],
                                kind="stable")
        tables["hats"] = pd.DataFrame({
            "person": [self.name_person(p) for p in hats["person_id"]], "n_agencies": hats["n_agencies"].to_numpy(),
            "agencies": hats["agencies"].to_numpy(), "giver_receiver": hats["giver_receiver_detail"].to_numpy()})
        bridges = self.part("bridges", area).drop_duplicates("org_id").sort_values(["rank", "org_id"], kind="stable")
        tables["bridges"] = bridges[["name", "rank", "betweenness"]].head(N_BRIDGES)
        totals["bridges"] = len(bridges)
        groups: dict = {}
        for group_id, project_id, title in self.part("duplicates", area)[["group_id", "project_id", "title"]].itertuples(
                index=False):
            groups.setdefault(group_id, (set(), set()))[0].add(project_id)
            groups[group_id][1].add(title)
        tables["duplicates"] = pd.DataFrame([(g, ", ".join(sorted(ids)), " | ".join(sorted(titles)))
                                             for g, (ids, titles) in sorted(groups.items())],
                                            columns=["group_id", "projects", "titles"])
        gaps: dict = {}
        for category, tambon, agencies in self.part("gaps", area)[["category", "tambon", "agencies_in_district"]].itertuples(
                index=False):
            gaps.setdefault(category, (set(), agencies))[0].add(tambon)
        tables["gaps"] = pd.DataFrame([(c, len(t), a) for c, (t, a) in sorted(gaps.items())],
                                      columns=["category", "n_tambons", "agencies_in_district"])
        tables["pile_ups"] = self.part("pile_ups", area)[["area_name", "category", "n_agencies", "agencies"]]
        concentration = self.part("concentration", area)
        tables["concentration"] = pd.DataFrame({
            "person": [self.name_person(p) for p in concentration["person_id"]],
            "tambon": concentration["tambon"].to_numpy(), "n_projects": concentration["n_projects"].to_numpy(),
            "share": concentration["share"].to_numpy()})
        if self.changes is not None:
            tables["changes"] = self.part("changes", area)[["kind", "name", "change", "before", "after"]]
        for name in list(tables):
            totals[name] = totals.get(name, len(tables[name]))
            if self.public_ids is not None:
                tables[name] = tables[name].apply(redact_column)


def _nan_sum(values: list) -> float:
    """The sum of the known values; NaN when none is known (no money known is not 0 THB)."""
    known = [v for v in values if v is not None and v == v]
    return float(sum(known)) if known else float("nan")


def _count(df: pd.DataFrame, column: str, split: str | None = None, name: str | None = None) -> pd.DataFrame:
    """Projects and their summed budget per value of ``column`` (each of its ``split``-separated
    values, when given), most projects first, then by value; an empty value shown as "—".

    Plain Python: a profile's few rows cost less this way than a pandas group-by (7,436 profiles).
    """
    groups: dict = {}
    for value, project_id, budget in zip(df[column].tolist(), df["project_id"].tolist(), df["budget_thb"].tolist()):
        keys = value.split(split) if split and isinstance(value, str) else [value]
        for key in keys:
            key = key if isinstance(key, str) and key else "—"
            ids, budgets = groups.setdefault(key, (set(), []))
            ids.add(project_id)
            budgets.append(budget)
    rows = sorted(((key, len(ids), _nan_sum(budgets)) for key, (ids, budgets) in groups.items()),
                  key=lambda row: (-row[1], row[0]))
    return pd.DataFrame(rows, columns=[name or column, "n_projects", "budget_thb"])


def _sum_currents(funding: pd.DataFrame, population: float | None) -> pd.DataFrame:
    """Money in per (funder, stream): projects and organisations paid, amount (largest first,
    unknown amounts last), and THB per head when the population is known."""
    groups: dict = {}
    for funder, stream, n_projects, n_organisations, amount in funding[
            ["funder", "stream", "n_projects", "n_organisations", "amount_thb"]].itertuples(index=False):
        row = groups.setdefault((funder, stream), [0, 0, []])
        row[0] += n_projects
        row[1] += n_organisations
        row[2].append(amount)
    rows = [(funder, stream, n_p, n_o, _nan_sum(amounts)) for (funder, stream), (n_p, n_o, amounts) in groups.items()]
    rows.sort(key=lambda r: (r[4] != r[4], -r[4] if r[4] == r[4] else 0, str(r[0]), str(r[1])))
    currents = pd.DataFrame(rows, columns=["funder", "stream", "n_projects", "n_organisations", "amount_thb"])
    if population:
        currents["thb_per_head"] = (currents["amount_thb"] / population).round(2)
    return currents


POPULATION_FILE = "population.csv"


def load_population(dataset) -> dict[str, float]:
    """area code → number of people, from an optional ``population.csv`` (columns ``area``,
    ``population``) in the dataset folder (or beside a workbook); empty when there is none.

    The contract's tables hold no population; a planner who has the registry's figures
    (กรมการปกครอง publishes them per tambon) adds this file to see money per head.
    A row whose area is not an official code or whose population is not a number above 0
    stops the run with one sentence naming the row.
    """
    from pathlib import Path

    from analysis.errors import DatasetError
    from analysis.ingest.read import read_text_csv

    path = Path(dataset)
    path = path / POPULATION_FILE if path.is_dir() else path.parent / POPULATION_FILE
    if not path.exists():
        return {}
    df = read_text_csv(path, ("area", "population"), "a population file needs area (an official code) and population")
    population = {}
    for index, (area, value) in enumerate(zip(df["area"], df["population"])):
        area = area.strip()
        if not (area.isdigit() and len(area) in LEVELS):
            raise DatasetError(f"{path}, row {index + 2}, column area: '{area}' is not an official area code.")
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            number = -1.0
        if not number > 0:
            raise DatasetError(f"{path}, row {index + 2}, column population: '{value}' is not a number above 0.")
        population[area] = number
    return population


def find_group(text: str, gazetteer) -> str | None:
    """``group:<Thai name>`` of the province group ``text`` names: its Thai name (with or
    without กลุ่มจังหวัด), its English name (any case, with or without "province group"), its
    page's name ``group-<number>`` or ``group:<Thai name>``; None when it names none.

    Examples
    --------
    >>> from analysis.places import load_gazetteer
    >>> gazetteer = load_gazetteer()
    >>> [find_group(t, gazetteer) for t in ("ภาคใต้ฝั่งอ่าวไทย", "south gulf of thailand", "group-11", "ภาคใต้")]
    ['group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย', 'group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย', 'group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย', None]
    """
    wanted = normalise_text(str(text)).removeprefix(GROUP_PREFIX).strip()
    key = wanted.casefold().removesuffix("province group").strip()
    for name, provinces in gazetteer.group_provinces().items():
        number = gazetteer.province_group_id(provinces[0])
        names = {name, name.removeprefix("กลุ่มจังหวัด"), f"group-{number:02d}", f"group-{number}",
                 gazetteer.province_group_en(provinces[0]).casefold()}
        if wanted in names or key in names:
            return f"{GROUP_PREFIX}{name}"
    return None


def find_area(text: str, gazetteer, codes: list[str] | None = None) -> str | None:
    """The area an ``--area`` argument names: an official code, a tambon, district or
    province name (Thai or English, with or without ต./อ./จ., which say the level), or a
    province group (:func:`find_group`, answered as ``group:<Thai name>``); among several
    areas of one name, the one in the run (``codes``) when only one is; without a level word,
    the first of tambon, district, province with exactly one match. None when no single area
    is named."""
    group = find_group(text, gazetteer)
    if group is not None:
        return group
    text = str(text).strip()
    digits = text.removeprefix("area:")
    if digits.isdigit() and len(digits) in LEVELS:
        try:
            gazetteer.name(digits)
        except KeyError:
            return None
        return digits
    text = normalise_text(text)
    levels = [level for level, words in LEVEL_WORDS.items() if text.startswith(words)] or list(LEVEL_WORDS)
    for level in levels:
        candidates = gazetteer._candidates(level, text)[0] or set()
        if codes is not None and len(candidates) > 1:
            candidates = {c for c in candidates if any(code.startswith(c) for code in codes)} or candidates
        if len(candidates) == 1:
            return candidates.pop()
    return None


#: Level words that say which level a written name is (the first level with one match wins
#: when none is written).
LEVEL_WORDS = {"tambon": ("ต.", "ตำบล", "tambon"), "district": ("อ.", "อำเภอ", "amphoe"),
               "province": ("จ.", "จังหวัด", "changwat")}
