"""The whole analysis, one function: read → check → resolve → graphs → analyse → advise → render.

Only :func:`read_stage` and :func:`write_run` touch files; :func:`analyse_dataset` is a pure
function of a checked dataset, so a notebook can run it (or any stage inside it) alone.
"""

import hashlib
import json
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import networkx as nx
import pandas as pd

from analysis import __version__
from analysis.dataset import Dataset
from analysis.decisions import read_decisions
from analysis.errors import DatasetError
from analysis.progress import step


@dataclass
class RunResult:
    """Everything a run produced, before it is written.

    Attributes
    ----------
    dataset : the checked dataset.
    tables : file stem → table (``hats`` → hats.csv); the order is the report's order.
    graph : the stakeholder graph (persons, organisations, projects, areas, streams).
    org_network : the organisation network of CONTRACT §2 (None when
        :func:`analyse_dataset` was asked not to keep it, as :func:`run_analysis` does: no
        output reads it).
    run_info : provenance for ``run.json``.
    """

    dataset: Dataset
    tables: dict[str, pd.DataFrame]
    graph: nx.MultiDiGraph
    org_network: nx.Graph | None
    run_info: dict = field(default_factory=dict)


def read_stage(path: Path, timings: dict | None = None) -> tuple[Dataset, pd.DataFrame]:
    """Read and check a dataset; return it with the reviewers' decisions."""
    from functools import partial

    from analysis.ingest.read import read_dataset
    from analysis.resolve.organisations import OrgMatcher
    from analysis.ingest.validate import validate_dataset

    path = Path(path)
    if not path.exists():
        raise DatasetError(f"{path} does not exist: give a folder of CSV files or one .xlsx workbook.")
    with step("read", timings):
        raw = read_dataset(path)
        decisions = read_decisions(path)
    with step("check and normalise", timings):
        dataset = validate_dataset(raw, org_matcher=partial(OrgMatcher, raw.tables["organisations"], decisions))
        if raw.office is not None:
            from analysis.ingest.import_report import finish_import

            dataset = finish_import(dataset, raw.office)
    return dataset, decisions


def analyse_dataset(dataset: Dataset, decisions: pd.DataFrame | None = None, timings: dict | None = None,
                    keep_org_network: bool = True) -> RunResult:
    """Run every analysis stage on a checked dataset (no file is read or written).

    ``keep_org_network=False`` leaves :attr:`RunResult.org_network` None: no output reads it
    (bridges.csv holds its measures, the views draw it from the stakeholder graph), and the
    process that built it then sends back the bridges table alone (nationally the network
    is 40 MB pickled, a second to send and read)."""
    from analysis import bridges, coverage, grades, hats, network, overlaps
    from analysis.parallel import run_tasks
    from analysis.places import load_gazetteer
    from analysis.resolve.people import resolve_people

    gazetteer = load_gazetteer()

    def resolve_part() -> tuple:
        part: dict = {}
        with step("resolve people", part):
            resolution = resolve_people(dataset["people"], dataset["organisations"], decisions)
        return part, resolution

    def find_coverage_part() -> tuple:
        part: dict = {}
        with step("coverage", part):
            coverage_table = coverage.compute_coverage(dataset, gazetteer)
            gaps = coverage.find_gaps(coverage_table, gazetteer)
            pile_ups = coverage.find_pile_ups(coverage_table)
            streams = coverage.compute_funding_streams(dataset, gazetteer)
            reach = grades.find_org_reach(dataset)
        with step("compare projects", part):
            compared = overlaps.compare_projects(dataset, decisions, gazetteer=gazetteer)
        return part, coverage_table, gaps, pile_ups, streams, reach, compared

    # Coverage, where organisations work (for grading) and the comparison of projects that
    # duplicate projects start from read no resolved person: they take the second core
    # while this one resolves people.
    with step("people, coverage and project pairs", timings):
        resolved, covered = run_tasks([resolve_part, find_coverage_part])
    record_parts(timings, [resolved[0], covered[0]])
    resolution = resolved[1]
    persons = resolution.persons
    _, coverage_table, gaps, pile_ups, streams, reach, compared = covered

    def build_graph_part() -> tuple:
        part: dict = {}
        with step("stakeholder graph", part):
            G = network.build_graph(dataset, persons, gazetteer)
        return part, G

    def find_bridges_part() -> tuple:
        part: dict = {}
        with step("organisation network and bridges", part):
            org_network = bridges.build_org_network(dataset, persons)
            bridges_table = bridges.compute_bridges(org_network, dataset["organisations"])
        return part, org_network if keep_org_network else None, bridges_table

    def find_hats_part() -> tuple:
        part: dict = {}
        with step("many hats", part):
            hats_table = hats.compute_hats(dataset, persons)
        return part, hats_table

    def find_concentration_part() -> tuple:
        part: dict = {}
        with step("concentration and people per tambon", part):
            concentration = hats.compute_concentration(dataset, persons, gazetteer)
            n_people = grades.count_people(dataset, persons)
        return part, concentration, n_people

    def find_overlaps_part() -> tuple:
        part: dict = {}
        with step("duplicate projects", part):
            overlap = overlaps.find_duplicate_projects(dataset, persons, decisions, gazetteer=gazetteer,
                                                       compared=compared)
        return part, overlap

    # The parts read the resolved dataset and nothing of each other: side by side when two
    # cores are free, each core taking the next part when it is free. The stakeholder graph
    # stays in this process (the first part runs here: nationally it is a gigabyte); the
    # others' results may come back pickled. Their sizes differ with the network's shape
    # (docs/scaling.md): duplicate projects take 11.6 s on the dense national sample and
    # many hats 8.4, against 5.8 and 10.8 on the sparse one. Duplicate projects go first,
    # longest first on dense; measured, the order made no difference beyond the runs' own
    # spread (dense 124.0 and 127.5 s, against 123.6–124.8 s with many hats first).
    with step("graphs, hats and overlaps", timings):
        graphed, bridged, overlapping, hat_wearing, concentrated = run_tasks(
            [build_graph_part, find_bridges_part, find_overlaps_part, find_hats_part, find_concentration_part])
    record_parts(timings, [graphed[0], bridged[0], hat_wearing[0], overlapping[0], concentrated[0]])
    G = graphed[1]
    _, org_network, bridges_table = bridged
    hats_table, (concentration, n_people) = hat_wearing[1], concentrated[1:]
    overlap = overlapping[1]
    tables = {
        "persons": persons,
        "hats": hats_table,
        "concentration": concentration,
        "duplicate_projects": overlap.groups,
        "project_relations": overlap.relations,
        "bridges": bridges_table,
        "coverage": coverage_table,
        "gaps": gaps,
        "pile_ups": pile_ups,
        "funding_streams": streams,
        "quarantine": dataset.quarantine,
        "org_matches": dataset.org_matches,
        "match_review": resolution.review,
        "duplicate_review": overlap.review,
    }
    with step("grades", timings):
        tables["grades"] = grades.compute_grades(dataset, tables, grades.load_grading(dataset.source), gazetteer,
                                                 n_people=n_people, reach=reach)
        tables["grade_counts"] = grades.count_grades(tables["grades"], gazetteer)
    run_info = {"bridges": bridges_table.attrs.get("method", {}), "person_resolution": resolution.parameters}
    return RunResult(dataset=dataset, tables=tables, graph=G, org_network=org_network, run_info=run_info)


def record_parts(timings: dict | None, parts: list[dict]) -> None:
    """Add the seconds of the steps inside parts run side by side (each part's own dict)."""
    if timings is not None:
        for part in parts:
            for label, seconds in part.items():
                timings[label] = seconds  # one at a time: benchmarks/ notes memory per step


def describe_run(result: RunResult, *, period: str | None, public: bool, previous: Path | None, timings: dict) -> dict:
    """The provenance written to ``run.json`` (CONTRACT §4)."""
    dataset = result.dataset
    packages = ("networkx", "pandas", "scipy", "pyvis", "pythainlp", "rapidfuzz", "geothai", "igraph")
    return {
        "tool": "stakemap",
        "version": __version__,
        "period": period,
        "public": public,
        "previous": str(previous) if previous else None,
        "inputs": {
            "source": str(dataset.source),
            "files": dict(sorted(dataset.files.items())),
            "sha256": dict(sorted(dataset.checksums.items())),
        },
        "rows": dataset.counts,
        "outputs": {name: len(table) for name, table in result.tables.items()},
        "methods": result.run_info,
        **({"import": summarise_import(dataset.office)} if dataset.office is not None else {}),
        "python": platform.python_version(),
        "packages": {name: _version_of(name) for name in packages},
        "timings_s": timings,
    }


def summarise_import(office) -> list[dict]:
    """One line per office file and sheet: what it was read as, its header, its counts."""
    from analysis.ingest.import_report import summarise_sheets

    return summarise_sheets(office)


def _version_of(package: str) -> str | None:
    try:
        return metadata.version("python-igraph" if package == "igraph" else package)
    except metadata.PackageNotFoundError:
        return None


def default_out(dataset_path: Path) -> Path:
    """``reports/<dataset name>`` under the current working directory (a workbook's name without ``.xlsx``)."""
    from analysis.config import user_reports_dir

    return user_reports_dir() / Path(dataset_path).resolve().stem


def check_out_folder(out: Path, dataset_path: Path) -> None:
    """Refuse an output folder whose replacement would delete more than an earlier output.

    :func:`analysis.render.atomic.write_folder` replaces ``out`` whole, so ``out`` must not
    hold the dataset nor lie inside it (:func:`analysis.render.atomic.check_target`), and an
    existing, non-empty ``out`` must be a run's output (it has ``run.json``).
    """
    from analysis.render.atomic import check_target

    check_target(out, dataset_path)
    target = Path(out).resolve()
    if target.exists() and not target.is_dir():
        raise DatasetError(f"--out {out} is a file: give a folder.")
    is_empty_folder = target.is_dir() and not any(target.iterdir())
    if target.exists() and not is_empty_folder and not (target / "run.json").is_file():
        raise DatasetError(
            f"--out {out} is not the output of an earlier run (it has no run.json): choose another folder, or empty it."
        )


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def dump_json(data: dict, path: Path) -> None:
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n", encoding="utf-8")


def run_analysis(
    dataset_path: Path,
    out: Path | None = None,
    *,
    period: str | None = None,
    public: bool = False,
    previous: Path | None = None,
    timings: dict | None = None,
    dynamic: bool = False,
) -> Path:
    """The whole analysis on a dataset; returns the output folder (CONTRACT §3, §4).

    ``timings``, when given, receives the seconds of every step (benchmarks/ passes a dict
    that also notes the memory in use after each one); ``run.json`` records them either way.
    ``dynamic`` writes project periods into ``exports/network.gexf`` for Gephi's timeline.
    """
    if previous is not None and not Path(previous).is_dir():
        raise DatasetError(f"--previous {previous} is not a folder of an earlier run.")
    from analysis.parallel import pause_collector_between_forks
    from analysis.render.atomic import write_folder

    timings = {} if timings is None else timings
    out = Path(out) if out else default_out(dataset_path)
    check_out_folder(out, dataset_path)

    def write(folder: Path) -> None:
        write_run(result, folder, period=period, public=public, previous=previous, timings=timings,
                  label=period or out.name, dynamic=dynamic)

    with pause_collector_between_forks():
        dataset, decisions = read_stage(dataset_path, timings)
        # Without the organisation network object, which no output reads: nationally it is
        # 150 MB that would be held through the writing, where the run's memory peaks
        # (docs/scaling.md).
        result = analyse_dataset(dataset, decisions, timings, keep_org_network=False)
        with step("write outputs", timings):
            write_folder(out, write)
    return out


def write_run(result: RunResult, folder: Path, *, period, public, previous, timings, label: str | None = None,
              dynamic: bool = False) -> None:
    """Write every output of a run into ``folder`` (CONTRACT §4).

    ``label`` names the run in texts (changes.md): the period, else the output folder's
    name, which ``folder`` (a hidden folder written aside, :func:`analysis.render.atomic.write_folder`) is not.

    ``result.graph`` is given up: a public run redacts it in place, and where the writing
    forks, this process empties it once the child that writes the views and the exports
    holds it (below). Read nothing of it afterwards.
    """
    from analysis.advise import (advise_strengthening, append_recommendations, compute_recommendations,
                                 render_recommendations_md)
    from analysis.change import compare_runs, render_changes_md
    from analysis.parallel import make_event, run_tasks
    from analysis.render.exports import write_exports
    from analysis.places import load_gazetteer
    from analysis.render.profiles import (MAX_PAGES, link_profiles, list_profile_pages, write_profile_index,
                                          write_profiles)
    from analysis.render.report import read_figures, write_figures, write_report_html
    from analysis.render.tables import write_csv
    from analysis.render.views import redact_graph, write_views
    from analysis.render.workbook import write_report_xlsx

    tables, graph = result.tables, result.graph
    public_ids = public_person_ids(graph) if public else None
    if public:
        with step("hide personal data", timings):
            tables = hide_personal_data(tables, public_ids)
    run_info = describe_run(result, period=period, public=public, previous=previous, timings=timings)

    def write_tables(part: dict) -> None:
        with step("write tables", part):
            for name, table in tables.items():
                write_csv(table, folder / f"{name}.csv")

    changes = None
    if previous is not None:  # the comparison reads the tables as written
        write_tables(timings)
        with step("compare with the previous run", timings):
            changes = compare_runs(Path(previous), folder)
            write_csv(changes, folder / "changes.csv")
            (folder / "changes.md").write_text(render_changes_md(changes, Path(previous).name, label or folder.name), encoding="utf-8")

    def write_views_and_exports_part() -> dict:
        part: dict = {}
        try:
            shown = graph
            # In place: nothing after needs the private graph, and a copy of it is a
            # gigabyte nationally. Here, not before the parts, so that only this part's
            # process writes into the graph's pages (below).
            if public:
                with step("hide personal data in the graph", part):
                    shown = redact_graph(graph, copy=False)
            with step("graph exports", part):
                write_exports(shown, folder / "exports", public=public, dynamic=dynamic)
            with step("network views", part):
                write_views(shown, tables, folder / "graphs", public=public)
        finally:  # on failure too: the html part must not wait for ever
            views_written.set()
        return part

    def write_tables_part() -> dict:
        part: dict = {}
        write_tables(part)
        return part

    def write_figures_part() -> dict:
        part: dict = {}
        try:
            with step("report figures", part):
                write_figures(tables, folder / "figures")
        finally:  # on failure too, as the views
            figures_drawn.set()
        return part

    def write_profiles_part() -> dict:
        part: dict = {}
        with step("tambon profiles", part):
            if has_pages:
                write_profiles(build_profile_book(result, changes=changes, public_ids=public_ids), folder / "profiles")
            else:  # nationally: the index only, pages on demand (stakemap profile; docs/scaling.md)
                write_profile_index(result.tables["grades"], load_gazetteer(), folder / "profiles", has_pages=False)
        return part

    def write_advice_and_html_part() -> dict:
        part: dict = {}
        with step("integration advice", part):
            recommendations = compute_recommendations(tables)
            strengthen = advise_strengthening(tables.get("grades"), tables.get("bridges"))
            recommendations = append_recommendations(recommendations, strengthen)
            (folder / "recommendations.md").write_text(render_recommendations_md(recommendations, period), encoding="utf-8")
        # The report links to the views it finds in graphs/ (report.render_views): beside
        # them, it waited for nothing and listed whatever was written so far. It shows the
        # figures another part drew.
        views_written.wait()
        figures_drawn.wait()
        with step("report (html)", part):
            write_report_html(tables, run_info, recommendations, changes, folder, public=public,
                              figures=read_figures(folder / "figures"))
        return part

    def write_xlsx_part() -> dict:
        part: dict = {}
        with step("report (xlsx)", part):
            write_report_xlsx(tables, folder / "report.xlsx", public=public, area_links=area_links)
        return part

    # Tambon nodes link to their profiles (and take their grade's colour) in the views and
    # the exports, so the graph is marked before the parts below read it.
    has_pages = len(result.tables["grades"]) <= MAX_PAGES
    link_profiles(graph, result.tables["grades"], has_pages)
    area_links = (list_profile_pages(result.tables["grades"], result.tables["grade_counts"], load_gazetteer())
                  if has_pages else None)  # the workbook's grades sheets link to the pages

    # The parts write different files, side by side when two cores are free, one after the
    # other otherwise, with the same bytes; each core takes the next part when it is free.
    # Only the views and exports read the graph, nationally half the run's memory (1.1 of
    # 1.9 GB, docs/scaling.md). Reading it writes into every page of it (CPython counts
    # references in the objects), and a page written while another process still holds it
    # is copied: when this process wrote the views beside a child, the graph was held
    # twice through the writing, where a run's memory peaks. So the views and exports are
    # the second part, which a child always runs, and this process empties its own graph
    # once the child is forked; emptying it writes into the pages too, but they are freed
    # within a second or so (docs/scaling.md, tenth round). The exports come first in
    # that part: their lists (a third of a gigabyte nationally) are made while the other
    # parts have made little. The first part, here: the figures (about 5 s whatever the
    # size). Then the profiles (a page per tambon up to a province group), most of a
    # province's writing with the figures, then the workbook and the tables, most of a
    # nation's; the html report last, since it waits for the views and the figures.
    views_written, figures_drawn = make_event(), make_event()
    parts = [write_figures_part, write_views_and_exports_part, write_profiles_part, write_xlsx_part,
             *([write_tables_part] if previous is None else []), write_advice_and_html_part]
    with step("tables, views, exports and reports", timings):
        parts = run_tasks(parts, after_fork=graph.clear)
    record_parts(timings, parts)
    if result.dataset.office is not None:
        write_import_files(result.dataset.office, folder)
    dump_json(run_info, folder / "run.json")


def hide_personal_data(tables: dict[str, pd.DataFrame], public_ids: set[str]) -> dict[str, pd.DataFrame]:
    """The tables as ``--public`` writes them (:func:`analysis.privacy.mask_tables`), on the
    cores available: a table at a time, the largest first (rows × text columns), by
    whichever core is free; a child sends back only the columns it replaced
    (:func:`analysis.privacy.find_masked_columns`), not whole tables. One core or two, the
    same tables. (The graph is redacted where the views and the exports are written,
    :func:`write_run`.)
    """
    from functools import partial

    from analysis.parallel import run_tasks
    from analysis.privacy import PRIVATE_TABLES, find_masked_columns, replace_columns

    names = [name for name in tables if name not in PRIVATE_TABLES]
    largest_first = sorted(names, key=lambda name: -len(tables[name]) * count_text_columns(tables[name]))
    masked = run_tasks([partial(find_masked_columns, name, tables[name], public_ids) for name in largest_first])
    replaced = dict(zip(largest_first, masked))
    return {name: replace_columns(tables[name], replaced[name]) for name in names}


def count_text_columns(table: pd.DataFrame) -> int:
    """How many columns of ``table`` hold text (those :func:`analysis.privacy.find_masked_columns` searches)."""
    return sum(dtype == object or pd.api.types.is_string_dtype(dtype) for dtype in table.dtypes)


def build_profile_book(result: RunResult, *, changes=None, public_ids: set[str] | None = None):
    """The run's :class:`analysis.profiles.ProfileBook`; with ``public_ids``
    (:func:`public_person_ids`), public: people not among them are unnamed."""
    from analysis.places import load_gazetteer
    from analysis.profiles import ProfileBook, load_population

    return ProfileBook(result.dataset, result.tables, load_gazetteer(), changes=changes, public_ids=public_ids,
                       population=load_population(result.dataset.source))


def write_import_files(office, folder: Path) -> None:
    """``import_report.md`` and, when organisations were drafted, ``organisations_draft.csv``."""
    from analysis.render.tables import write_csv

    (Path(folder) / "import_report.md").write_text(office.report_md, encoding="utf-8")
    if len(office.draft):
        write_csv(office.draft, Path(folder) / "organisations_draft.csv")


def public_person_ids(G: nx.MultiDiGraph) -> set[str]:
    """person_ids of the people who hold a public role (named in public output)."""
    return {
        node.removeprefix("person:")
        for node, data in G.nodes(data=True)
        if data.get("kind") == "person" and data.get("is_public_role")
    }
