"""One function per ``stakemap`` command: arguments in, files out, a short message, an exit status."""

import argparse
from pathlib import Path

from analysis.config import SAMPLE_DIR, user_reports_dir
from analysis.errors import DatasetError
from analysis.render.atomic import check_target, write_file, write_folder
from analysis.render.tables import write_csv

SAMPLE_QUARTERS = ("2026Q2", "2026Q3")


def command_validate(args: argparse.Namespace) -> int:
    from analysis.pipeline import read_stage
    from analysis.ingest.validate import format_validation_summary

    out = Path(args.out) if args.out else user_reports_dir() / f"validate-{Path(args.dataset).resolve().stem}"
    check_target(out, args.dataset)
    dataset, _ = read_stage(args.dataset)
    path = write_csv(dataset.quarantine, out / "quarantine.csv")
    write_csv(dataset.org_matches, out / "org_matches.csv")
    print(format_validation_summary(dataset))
    print(f"Quarantine list: {path}")
    print(f"Organisation names matched to ids: {out / 'org_matches.csv'}")
    print_import_files(dataset, out)
    return 0


def print_import_files(dataset, out: Path) -> None:
    """For office files: write the import report and the drafted organisations, and say so."""
    if dataset.office is None:
        return
    from analysis.pipeline import write_import_files

    write_import_files(dataset.office, out)
    print(f"How each file and sheet was read: {out / 'import_report.md'}")
    if len(dataset.office.draft):
        print(f"Organisations drafted from the names the files give ({len(dataset.office.draft)}), "
              f"used in this run: {out / 'organisations_draft.csv'}")


def command_import(args: argparse.Namespace) -> int:
    """The contract tables derived from a folder of office files, to check and edit."""
    from analysis.decisions import read_decisions
    from analysis.ingest.contract_form import build_contract_tables, write_contract_form
    from analysis.ingest.import_report import finish_import
    from analysis.ingest.read import read_dataset
    from analysis.ingest.validate import validate_dataset
    from analysis.resolve.organisations import OrgMatcher

    source, out = Path(args.folder), Path(args.out)
    if not source.exists():
        raise DatasetError(f"{source} does not exist: give a folder of office files.")
    check_target(out, source)
    raw = read_dataset(source)
    if raw.office is None:
        raise DatasetError(f"{source} already holds the contract's tables: there is nothing to import.")
    matcher = OrgMatcher(raw.tables["organisations"], read_decisions(source))
    dataset = finish_import(validate_dataset(raw, org_matcher=matcher), raw.office)
    paths = write_contract_form(build_contract_tables(raw, matcher), out)
    write_csv(dataset.quarantine, out / "quarantine.csv")
    for path in paths:
        print(f"Written: {path}")
    print(f"Rows set aside or values ignored when this dataset is run: {out / 'quarantine.csv'}")
    print_import_files(dataset, out)
    return 0


def command_run(args: argparse.Namespace) -> int:
    from analysis.pipeline import run_analysis

    out = run_analysis(args.dataset, args.out, period=args.period, public=args.public, previous=args.previous,
                       dynamic=args.dynamic)
    print(f"Results: {out}")
    print(f"Report:  {out / 'report.html'}")
    if (out / "import_report.md").is_file():
        print(f"How each file and sheet was read: {out / 'import_report.md'}")
    if (out / "organisations_draft.csv").is_file():
        print(f"Organisations drafted from the names the files give, used in this run: {out / 'organisations_draft.csv'}")
    return 0


def command_demo(args: argparse.Namespace) -> int:
    """Both sample quarters, then what changed between them."""
    from analysis.pipeline import run_analysis

    base = Path(args.out) if args.out else user_reports_dir() / "demo"
    previous = None
    for quarter in SAMPLE_QUARTERS:
        dataset = SAMPLE_DIR / quarter
        if not dataset.exists():
            raise DatasetError(f"the bundled sample {dataset} is missing; reinstall stakemap or run 'stakemap sample'.")
        out = run_analysis(dataset, base / quarter, period=quarter, previous=previous)
        print(f"{quarter}: {out}")
        previous = out
    print(f"Report of the latest quarter, with what changed since {SAMPLE_QUARTERS[0]}: {previous / 'report.html'}")
    print(f"Network views (open in any browser, no internet needed): {previous / 'graphs' / 'index.html'}")
    return 0


def command_compare(args: argparse.Namespace) -> int:
    from analysis.change import write_comparison

    out = Path(args.out) if args.out else Path(args.new)
    paths = write_comparison(Path(args.old), Path(args.new), out)
    for path in paths:
        print(f"Written: {path}")
    return 0


def command_graph(args: argparse.Namespace) -> int:
    from analysis.pipeline import analyse_dataset, read_stage
    from analysis.render.views import redact_graph, write_ego_view

    if args.steps < 1:
        raise DatasetError(f"--steps must be 1 or more, not {args.steps}.")
    out = Path(args.out) if args.out else Path("graphs") / "ego.html"
    check_target(out, args.dataset)
    if out.is_dir():
        raise DatasetError(f"--out {out} is a folder: give the HTML file to write, such as {out / 'ego.html'}.")
    dataset, decisions = read_stage(args.dataset)
    G = analyse_dataset(dataset, decisions).graph
    # Public: the ego is looked up among what the view may show, so that a name matching
    # several people never lists the private ones (docs/privacy.md).
    G = redact_graph(G) if args.public else G
    ego = find_node_by_id(G, args.ego)
    path = write_file(out, lambda partial: write_ego_view(G, ego, args.steps, partial, public=args.public,
                                                           size_by=args.size_by))
    print(f"View: {path}")
    return 0


#: The prefixes of the graph's node ids (:mod:`analysis.network`), so that a plain id finds its node.
NODE_PREFIXES = ("person", "org", "project", "area", "stream")


def find_node_by_id(G, text: str) -> str:
    """The node whose id is ``text`` with or without its kind prefix (``N-CODI`` → ``org:N-CODI``);
    ``text`` as given when no node or several do (then names are looked up).

    Examples
    --------
    >>> import networkx as nx
    >>> find_node_by_id(nx.Graph([("org:N-CODI", "person:P-1")]), " N-CODI "), find_node_by_id(nx.Graph(), "ชัย")
    ('org:N-CODI', 'ชัย')
    """
    wanted = str(text).strip()
    found = [f"{prefix}:{wanted}" for prefix in NODE_PREFIXES if f"{prefix}:{wanted}" in G]
    return found[0] if wanted not in G and len(found) == 1 else text


def command_profile(args: argparse.Namespace) -> int:
    """One area's profile page; a run folder is read through the dataset its run.json names."""
    import json

    from analysis.pipeline import analyse_dataset, build_profile_book, public_person_ids, read_stage
    from analysis.profiles import find_area, find_page_name
    from analysis.render.profiles import write_profile

    dataset_path = Path(args.dataset)
    if args.out:
        check_target(Path(args.out), dataset_path)
    run_json = dataset_path / "run.json"
    if run_json.is_file():
        try:
            dataset_path = Path(json.loads(run_json.read_text(encoding="utf-8"))["inputs"]["source"])
        except (ValueError, KeyError, TypeError):
            raise DatasetError(f"{run_json} does not name the dataset of its run (inputs.source).") from None
    dataset, decisions = read_stage(dataset_path)
    result = analyse_dataset(dataset, decisions)
    book = build_profile_book(result, public_ids=public_person_ids(result.graph) if args.public else None)
    code = find_area(args.area, book.gazetteer, book.tambons())
    if code is None:
        raise DatasetError(f"--area {args.area!r} names no single tambon, district, province or province group: "
                           "give its official code (or the group's name).")
    out = Path(args.out) if args.out else user_reports_dir() / f"profile-{find_page_name(code, book.gazetteer)}"
    check_target(out, dataset_path)
    path = write_file(out, lambda partial: write_profile(book.build(code), partial))
    print(f"Profile: {path}")
    return 0


def command_sample(args: argparse.Namespace) -> int:
    from analysis.sample import write_sample

    if args.seed < 0:
        raise DatasetError(f"--seed must be 0 or more, not {args.seed}.")
    out = Path(args.out)
    check_sample_folder(out)
    if getattr(args, "form", "contract") == "office":
        from analysis.sample.office import write_office_sample

        write_folder(out, lambda folder: write_office_sample(folder, scale=args.scale, seed=args.seed,
                                                        layout=getattr(args, "layout", "lists")))
        print(f"Sample office files ({args.scale}, seed {args.seed}): {out}")
        print(f"The same lines as the contract's tables: {out / 'contract'}")
        return 0
    write_folder(out, lambda folder: write_sample(folder, scale=args.scale, seed=args.seed, shape=args.shape))
    shape = "" if args.shape == "dense" else f", {args.shape} shape"
    print(f"Sample dataset ({args.scale}{shape}, seed {args.seed}): {out}")
    return 0


def check_sample_folder(out: Path) -> None:
    """Refuse an ``--out`` of ``sample`` that is a file, or a folder holding more than a sample
    (the sample replaces it whole: :func:`analysis.render.atomic.write_folder`)."""
    if out.exists() and not out.is_dir():
        raise DatasetError(f"--out {out} is a file: give a folder for the sample dataset.")
    if out.is_dir() and any(out.iterdir()) and not (out / "README.md").is_file():
        raise DatasetError(f"--out {out} is a folder that holds other files: give a new or empty folder.")
