"""One function per ``stakemap`` command: arguments in, files out, a short message, an exit status."""

import argparse
from pathlib import Path

from analysis.config import REPORTS_DIR, SAMPLE_DIR
from analysis.errors import DatasetError
from analysis.render.tables import write_csv

SAMPLE_QUARTERS = ("2026Q2", "2026Q3")


def command_validate(args: argparse.Namespace) -> int:
    from analysis.pipeline import read_stage
    from analysis.ingest.validate import format_validation_summary

    dataset, _ = read_stage(args.dataset)
    out = Path(args.out) if args.out else REPORTS_DIR / f"validate-{Path(args.dataset).resolve().stem}"
    path = write_csv(dataset.quarantine, out / "quarantine.csv")
    write_csv(dataset.org_matches, out / "org_matches.csv")
    print(format_validation_summary(dataset))
    print(f"Quarantine list: {path}")
    print(f"Organisation names matched to ids: {out / 'org_matches.csv'}")
    return 0


def command_run(args: argparse.Namespace) -> int:
    from analysis.pipeline import run_analysis

    out = run_analysis(args.dataset, args.out, period=args.period, public=args.public, previous=args.previous)
    print(f"Results: {out}")
    print(f"Report:  {out / 'report.html'}")
    return 0


def command_demo(args: argparse.Namespace) -> int:
    """Both sample quarters, then what changed between them."""
    from analysis.pipeline import run_analysis

    base = Path(args.out) if args.out else REPORTS_DIR / "demo"
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

    path = write_sample(Path(args.out), scale=args.scale, seed=args.seed, shape=args.shape)
    shape = "" if args.shape == "dense" else f", {args.shape} shape"
    print(f"Sample dataset ({args.scale}{shape}, seed {args.seed}): {path}")
    return 0
