"""One function per ``stakemap`` command: arguments in, files out, a short message, an exit status."""

import argparse
from pathlib import Path

from analysis.config import SAMPLE_DIR, user_reports_dir
from analysis.errors import DatasetError
from analysis.render.tables import write_csv

SAMPLE_QUARTERS = ("2026Q2", "2026Q3")


def command_validate(args: argparse.Namespace) -> int:
    from analysis.pipeline import read_stage
    from analysis.ingest.validate import format_validation_summary

    dataset, _ = read_stage(args.dataset)
    out = Path(args.out) if args.out else user_reports_dir() / f"validate-{Path(args.dataset).resolve().stem}"
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
    from analysis.pipeline import check_out_folder
    from analysis.resolve.organisations import OrgMatcher

    source, out = Path(args.folder), Path(args.out)
    if not source.exists():
        raise DatasetError(f"{source} does not exist: give a folder of office files.")
    if out.resolve() == source.resolve() or out.resolve() in source.resolve().parents:
        raise DatasetError(f"--out {out} holds the folder {source}: choose another --out folder.")
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
    from analysis.render.views import write_ego_view

    if args.steps < 1:
        raise DatasetError(f"--steps must be 1 or more, not {args.steps}.")
    dataset, decisions = read_stage(args.dataset)
    result = analyse_dataset(dataset, decisions)
    out = Path(args.out) if args.out else Path("graphs") / "ego.html"
    path = write_ego_view(result.graph, args.ego, args.steps, out, public=args.public, size_by=args.size_by)
    print(f"View: {path}")
    return 0


def command_sample(args: argparse.Namespace) -> int:
    from analysis.sample import write_sample

    if getattr(args, "form", "contract") == "office":
        from analysis.sample.office import write_office_sample

        path = write_office_sample(Path(args.out), scale=args.scale, seed=args.seed)
        print(f"Sample office files ({args.scale}, seed {args.seed}): {path}")
        print(f"The same lines as the contract's tables: {path / 'contract'}")
        return 0
    path = write_sample(Path(args.out), scale=args.scale, seed=args.seed, shape=args.shape)
    shape = "" if args.shape == "dense" else f", {args.shape} shape"
    print(f"Sample dataset ({args.scale}{shape}, seed {args.seed}): {path}")
    return 0
