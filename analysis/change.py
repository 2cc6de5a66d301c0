"""What changed between two runs (two quarters): changes.csv and changes.md (CONTRACT §5).

CODI asks academics to review the network every three months (seed 001); this module reads
two run folders and lists what moved. Only the run folders are read (their CSV files), so an
old run made by an earlier version of the tool, or a ``--public`` run, can be compared.

Matching across runs:

- **Persons** are the same when they share a record (same source and content: the
  ``record_key`` column of persons.csv) or the same person_id. A public run has no
  persons.csv; then person_id in hats.csv is used alone. An old person with several
  candidates is matched to the one sharing most records, then the smallest person_id.
- **Organisations** are the same when they have the same org_id (bridges.csv lists all).
- **Duplicate groups** are the same when they share at least one project (their project id
  sets overlap): a group that gains or loses a member is still the same group.
- **Gaps** are (tambon, category) pairs of gaps.csv; **pile-ups** are (area, category)
  pairs of pile_ups.csv.
- **Grades** are tambons (area codes) of grades.csv; a tambon graded in one run only is
  not a grade change.

Order of changes.csv (most important first): things to act on (new duplicate groups, new
or growing pile-ups, gaps opened, hats gained, grades down), then things that improved (groups
resolved, gaps closed, hats lost, grades up), then bridge moves, then persons and organisations that appeared or
left; within a change, the largest difference first, then id.
"""

from pathlib import Path

import pandas as pd

from analysis.errors import DatasetError
from analysis.render.atomic import write_file
from analysis.ingest.read import read_text_csv
from analysis.render.tables import write_csv

CHANGE_COLUMNS = ["kind", "id", "name", "change", "before", "after", "detail"]

#: Most important first (module docstring).
CHANGE_ORDER = ("new", "pile_up", "gap_opened", "hats_gained", "grade_down", "resolved", "gap_closed", "hats_lost",
                "grade_up", "rank_up", "rank_down", "appeared", "left")

CHANGE_LABELS = {
    "new": ("New duplicate groups", "กลุ่มโครงการซ้ำซ้อนใหม่"),
    "pile_up": ("New or growing pile-ups", "พื้นที่ที่หน่วยงานทับซ้อนเพิ่มขึ้น"),
    "gap_opened": ("Gaps opened", "ช่องว่างใหม่"),
    "hats_gained": ("More hats", "สวมหมวกเพิ่มขึ้น"),
    "resolved": ("Duplicate groups resolved", "กลุ่มโครงการซ้ำซ้อนที่หายไป"),
    "gap_closed": ("Gaps closed", "ช่องว่างที่ได้รับการเติม"),
    "hats_lost": ("Fewer hats", "สวมหมวกน้อยลง"),
    "grade_down": ("Tambons graded lower", "ตำบลที่กลุ่มลดลง"),
    "grade_up": ("Tambons graded higher", "ตำบลที่กลุ่มสูงขึ้น"),
    "rank_up": ("Bridges moving up", "องค์กรเชื่อมประสานที่อันดับสูงขึ้น"),
    "rank_down": ("Bridges moving down", "องค์กรเชื่อมประสานที่อันดับลดลง"),
    "appeared": ("Appeared", "ปรากฏใหม่"),
    "left": ("Left", "หายไป"),
}

#: A bridge's move is reported from 5 places: smaller moves among organisations with close
#: betweenness are reshuffles a new roster line can cause (CONTRACT §5).
MIN_RANK_MOVE = 5
#: ...when it is in the top 50 in either run: beyond that, ranks are ties near betweenness 0
#: ordered by effective size, and their moves say little (CONTRACT §5).
TOP_RANKS = 50

#: Files a run folder must hold for a comparison.
REQUIRED_FILES = ("hats.csv", "bridges.csv", "duplicate_projects.csv", "gaps.csv", "pile_ups.csv")


def read_run_table(folder: Path, name: str, columns: tuple[str, ...], required: bool = True) -> pd.DataFrame | None:
    """One CSV of a run folder as text; a missing file or column is one sentence (DatasetError)."""
    path = Path(folder) / name
    if not path.exists():
        if required:
            raise DatasetError(f"{folder} has no {name}: give the output folder of a stakemap run.")
        return None
    return read_text_csv(path, columns, "give the output folder of a stakemap run")


def read_run(folder: Path) -> dict[str, pd.DataFrame | None]:
    """The tables of one run folder that a comparison uses."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"{folder} is not a folder: give the output folder of a stakemap run.")
    run = {
        "hats": read_run_table(folder, "hats.csv", ("person_id", "person_name", "n_agencies")),
        "persons": read_run_table(folder, "persons.csv", ("person_id",), required=False),
        "bridges": read_run_table(folder, "bridges.csv", ("org_id", "name", "rank")),
        "duplicate_projects": read_run_table(folder, "duplicate_projects.csv", ("group_id", "project_id")),
        "gaps": read_run_table(folder, "gaps.csv", ("tambon", "category")),
        "pile_ups": read_run_table(folder, "pile_ups.csv", ("area", "category", "n_agencies")),
        "grades": read_run_table(folder, "grades.csv", ("area", "grade"), required=False),
    }
    for table, column in COUNT_COLUMNS:
        check_whole_numbers(run[table], column, folder / f"{table}.csv")
    return run


#: (table, column) holding whole numbers that a comparison computes with.
COUNT_COLUMNS = (("hats", "n_agencies"), ("bridges", "rank"), ("pile_ups", "n_agencies"))


def check_whole_numbers(table: pd.DataFrame, column: str, path: Path) -> None:
    """Refuse a run table whose ``column`` holds something other than a whole number ≥ 0 (or
    nothing): a table edited by hand, one sentence naming the file, row and column.

    Examples
    --------
    >>> check_whole_numbers(pd.DataFrame({"rank": ["1", "2.5"]}), "rank", Path("bridges.csv"))
    Traceback (most recent call last):
    analysis.errors.DatasetError: bridges.csv, row 3, column rank: '2.5' is not a whole number: give the output folder of a stakemap run, as it wrote it.
    """
    values = table[column].astype(str).str.strip()
    bad = ~(values.str.fullmatch(r"[0-9]+") | (values == ""))
    if bad.any():
        index = int(bad.to_numpy().argmax())
        raise DatasetError(f"{path}, row {index + 2}, column {column}: {values.iloc[index]!r} is not a whole number: "
                           f"give the output folder of a stakemap run, as it wrote it.")


def _row(kind, id_, name, change, before="", after="", detail="", size=0) -> dict:
    return {"kind": kind, "id": str(id_), "name": str(name), "change": change, "before": str(before),
            "after": str(after), "detail": detail, "size": size}


def _record_keys(persons: pd.DataFrame | None) -> pd.DataFrame:
    """person_id, record_key pairs (empty when persons.csv or its record_key is missing)."""
    if persons is None or "record_key" not in persons.columns:
        return pd.DataFrame(columns=["person_id", "record_key"])
    keys = persons[["person_id", "record_key"]]
    return keys[keys["record_key"] != ""].drop_duplicates()


def match_persons(old: dict, new: dict) -> dict[str, str]:
    """old person_id → new person_id for the persons found in both runs (module docstring)."""
    old_ids, new_ids = set(old["hats"]["person_id"]), set(new["hats"]["person_id"])
    shared = _record_keys(old["persons"]).merge(_record_keys(new["persons"]), on="record_key", suffixes=("_old", "_new"))
    shared = shared[shared["person_id_old"].isin(old_ids) & shared["person_id_new"].isin(new_ids)]
    counts = shared.groupby(["person_id_old", "person_id_new"]).size().rename("n").reset_index()
    best = (counts.sort_values(["person_id_old", "n", "person_id_new"], ascending=[True, False, True], kind="stable")
            .drop_duplicates("person_id_old"))
    matches = dict(zip(best["person_id_old"], best["person_id_new"]))
    for person_id in old_ids & new_ids:
        matches.setdefault(person_id, person_id)
    return matches


def compare_persons(old: dict, new: dict) -> list[dict]:
    """appeared, left, hats_gained, hats_lost (n_agencies; before/after hold the counts)."""
    matches = match_persons(old, new)
    old_hats, new_hats = (run["hats"].reindex(columns=["person_id", "person_name", "n_agencies", "agencies"],
                                              fill_value="").set_index("person_id") for run in (old, new))
    rows = []
    for old_id, new_id in sorted(matches.items()):
        before, after = int(old_hats.at[old_id, "n_agencies"] or 0), int(new_hats.at[new_id, "n_agencies"] or 0)
        if before != after:
            same = "" if old_id == new_id else f"person_id was {old_id} (same record)"
            agencies = _agency_change(old_hats.at[old_id, "agencies"], new_hats.at[new_id, "agencies"])
            rows.append(_row("person", new_id, new_hats.at[new_id, "person_name"],
                             "hats_gained" if after > before else "hats_lost", before, after,
                             "; ".join(x for x in (agencies, same) if x), abs(after - before)))
    for person_id in sorted(set(old_hats.index) - set(matches)):
        rows.append(_row("person", person_id, old_hats.at[person_id, "person_name"], "left",
                         old_hats.at[person_id, "n_agencies"], "", "", 0))
    for person_id in sorted(set(new_hats.index) - set(matches.values())):
        rows.append(_row("person", person_id, new_hats.at[person_id, "person_name"], "appeared",
                         "", new_hats.at[person_id, "n_agencies"], "", 0))
    return rows


def _agency_change(before: str, after: str) -> str:
    """``gained: A, B; lost: C`` — words, not +/- signs, which a spreadsheet would read as
    the start of a formula (and :func:`analysis.render.tables.write_csv` would then quote)."""
    old, new = set(filter(None, str(before).split("|"))), set(filter(None, str(after).split("|")))
    parts = [f"{word}: {', '.join(sorted(names))}" for word, names in (("gained", new - old), ("lost", old - new))
             if names]
    return "; ".join(parts)


def compare_organisations(old: dict, new: dict) -> list[dict]:
    """Organisations appeared or left (bridges.csv lists every organisation), and bridges
    moving at least :data:`MIN_RANK_MOVE` places while in the top :data:`TOP_RANKS`."""
    old_b, new_b = old["bridges"].set_index("org_id"), new["bridges"].set_index("org_id")
    rows = []
    for org_id in sorted(set(old_b.index) - set(new_b.index)):
        rows.append(_row("organisation", org_id, old_b.at[org_id, "name"], "left", old_b.at[org_id, "rank"], ""))
    for org_id in sorted(set(new_b.index) - set(old_b.index)):
        rows.append(_row("organisation", org_id, new_b.at[org_id, "name"], "appeared", "", new_b.at[org_id, "rank"]))
    for org_id in sorted(set(old_b.index) & set(new_b.index)):
        before, after = int(old_b.at[org_id, "rank"]), int(new_b.at[org_id, "rank"])
        move = before - after
        if abs(move) >= MIN_RANK_MOVE and min(before, after) <= TOP_RANKS:
            rows.append(_row("bridge", org_id, new_b.at[org_id, "name"], "rank_up" if move > 0 else "rank_down",
                             before, after, f"{abs(move)} places {'up' if move > 0 else 'down'}", abs(move)))
    return rows


def _groups(duplicates: pd.DataFrame) -> dict[str, set[str]]:
    return {gid: set(group["project_id"]) for gid, group in duplicates.groupby("group_id", sort=True)}


def _group_name(duplicates: pd.DataFrame, group_id: str) -> str:
    group = duplicates[duplicates["group_id"] == group_id].sort_values("project_id")
    title = group["title"].iloc[0] if "title" in group.columns else ""
    place = group["tambon"].iloc[0] if "tambon" in group.columns else ""
    return " – ".join(x for x in (title, place) if x)


def compare_duplicate_groups(old: dict, new: dict) -> list[dict]:
    """new / resolved duplicate groups, matched on shared projects; before/after = n projects."""
    old_d, new_d = old["duplicate_projects"], new["duplicate_projects"]
    old_groups, new_groups = _groups(old_d), _groups(new_d)
    rows = []
    for gid, projects in new_groups.items():
        if not any(projects & other for other in old_groups.values()):
            rows.append(_row("duplicate_group", gid, _group_name(new_d, gid), "new", "", len(projects),
                             "projects " + ", ".join(sorted(projects)), len(projects)))
    for gid, projects in old_groups.items():
        if not any(projects & other for other in new_groups.values()):
            rows.append(_row("duplicate_group", gid, _group_name(old_d, gid), "resolved", len(projects), "",
                             "projects " + ", ".join(sorted(projects)), len(projects)))
    return rows


def compare_coverage(old: dict, new: dict) -> list[dict]:
    """gap_closed / gap_opened ((tambon, category) of gaps.csv) and pile_up (an (area,
    category) of pile_ups.csv new, or with more agencies than before)."""
    rows = []
    old_gaps = old["gaps"].set_index(["tambon", "category"])
    new_gaps = new["gaps"].set_index(["tambon", "category"])
    for key, change, gaps in ((sorted(set(old_gaps.index) - set(new_gaps.index)), "gap_closed", old_gaps),
                              (sorted(set(new_gaps.index) - set(old_gaps.index)), "gap_opened", new_gaps)):
        for tambon, category in key:
            name = gaps.loc[(tambon, category)]
            name = name.iloc[0] if isinstance(name, pd.DataFrame) else name
            label = name.get("tambon_name", "")
            rows.append(_row("coverage", f"{tambon}:{category}", f"{label} – {category}" if label else category, change,
                             "gap" if change == "gap_closed" else "", "gap" if change == "gap_opened" else "",
                             f"district {name.get('district', tambon[:4])}"))
    old_piles = {(r.area, r.category): int(r.n_agencies) for r in old["pile_ups"].itertuples(index=False)}
    for pile in new["pile_ups"].itertuples(index=False):
        before, after = old_piles.get((pile.area, pile.category)), int(pile.n_agencies)
        if before is None or after > before:
            name = getattr(pile, "area_name", "")
            rows.append(_row("coverage", f"{pile.area}:{pile.category}",
                             f"{name} – {pile.category}" if name else pile.category, "pile_up",
                             "" if before is None else before, after, getattr(pile, "agencies", ""),
                             after - (before or 0)))
    return rows


def compare_grades(old: dict, new: dict) -> list[dict]:
    """grade_up / grade_down: a tambon graded in both runs whose A/B/C grade moved
    (grades.csv; a run without it, made before grades existed, gives none)."""
    if old["grades"] is None or new["grades"] is None:
        return []
    old_g, new_g = old["grades"].set_index("area"), new["grades"].set_index("area")
    rows = []
    for area in sorted(set(old_g.index) & set(new_g.index)):
        before, after = old_g.at[area, "grade"], new_g.at[area, "grade"]
        if before != after and {before, after} <= {"A", "B", "C"}:
            steps = "ABC".index(before) - "ABC".index(after)
            score = f"score {old_g.at[area, 'score']} → {new_g.at[area, 'score']}" if "score" in new_g.columns else ""
            rows.append(_row("area", area, new_g.at[area, "area_name"] if "area_name" in new_g.columns else area,
                             "grade_up" if steps > 0 else "grade_down", before, after, score, abs(steps)))
    return rows


def compare_runs(old_dir: Path, new_dir: Path) -> pd.DataFrame:
    """changes.csv (CONTRACT §5): what changed from the run in ``old_dir`` to ``new_dir``.

    Returns
    -------
    pd.DataFrame with kind, id, name, change, before, after, detail (all text), most
    important first (module docstring).

    Raises
    ------
    DatasetError : a folder does not exist or lacks one of :data:`REQUIRED_FILES`.
    """
    old, new = read_run(old_dir), read_run(new_dir)
    rows = (compare_duplicate_groups(old, new) + compare_coverage(old, new) + compare_persons(old, new)
            + compare_organisations(old, new) + compare_grades(old, new))
    if not rows:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    table = pd.DataFrame(rows)
    table["order"] = table["change"].map(CHANGE_ORDER.index)
    table = table.sort_values(["order", "size", "kind", "id"], ascending=[True, False, True, True], kind="stable")
    return table[CHANGE_COLUMNS].reset_index(drop=True)


def _md(text: object) -> str:
    text = "" if pd.isna(text) else str(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


#: Items listed per change in changes.md; all are in changes.csv.
N_LISTED = 10


def render_changes_md(changes: pd.DataFrame, old_label: str, new_label: str) -> str:
    """changes.md: a short narrative of changes.csv, most important first, Thai and English.

    Examples
    --------
    >>> print(render_changes_md(pd.DataFrame(columns=CHANGE_COLUMNS), "2026Q2", "2026Q3"))  # doctest: +NORMALIZE_WHITESPACE
    # สิ่งที่เปลี่ยนไป / What changed: 2026Q2 → 2026Q3
    <BLANKLINE>
    ไม่มีการเปลี่ยนแปลง / Nothing changed.
    <BLANKLINE>
    """
    lines = [f"# สิ่งที่เปลี่ยนไป / What changed: {_md(old_label)} → {_md(new_label)}", ""]
    if changes.empty:
        return "\n".join(lines + ["ไม่มีการเปลี่ยนแปลง / Nothing changed.", ""])
    counts = changes.groupby(["change", "kind"]).size()
    summary = ", ".join(f"{n} {kind} {change}" for change in CHANGE_ORDER for (c, kind), n in counts.items() if c == change)
    lines += [f"{len(changes)} changes: {summary}. All rows: changes.csv.", ""]
    for change in CHANGE_ORDER:
        for kind in sorted(set(changes.loc[changes["change"] == change, "kind"])):
            rows = changes[(changes["change"] == change) & (changes["kind"] == kind)]
            label_en, label_th = CHANGE_LABELS[change]
            lines += [f"## {label_th} / {label_en} ({kind}): {len(rows)}", ""]
            for row in rows.head(N_LISTED).itertuples(index=False):
                moved = f": {row.before} → {row.after}" if row.before and row.after else ""
                detail = f" ({_md(row.detail)})" if row.detail else ""
                lines.append(f"- {_md(row.name)} [{_md(row.id)}]{moved}{detail}")
            if len(rows) > N_LISTED:
                lines.append(f"- … และอีก {len(rows) - N_LISTED} รายการ / and {len(rows) - N_LISTED} more in changes.csv")
            lines.append("")
    return "\n".join(lines)


def write_comparison(old_dir: Path, new_dir: Path, out_dir: Path) -> list[Path]:
    """Write changes.csv and changes.md into ``out_dir``; return their paths."""
    changes = compare_runs(Path(old_dir), Path(new_dir))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = write_csv(changes, out_dir / "changes.csv")
    text = render_changes_md(changes, Path(old_dir).name, Path(new_dir).name)
    md_path = write_file(out_dir / "changes.md", lambda partial: partial.write_text(text, encoding="utf-8"))
    return [csv_path, md_path]
