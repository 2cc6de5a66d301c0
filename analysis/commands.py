"""One function per ``stakemap`` command: arguments in, files out, a short message, an exit status."""

import argparse
from pathlib import Path

from analysis.config import REPORTS_DIR, SAMPLE_DIR
from analysis.errors import DatasetError
from analysis.render.atomic import check_target, write_file, write_folder
from analysis.render.tables import write_csv

SAMPLE_QUARTERS = ("2026Q2", "2026Q3")


def command_validate(args: argparse.Namespace) -> int:
    from analysis.pipeline import read_stage
    from analysis.ingest.validate import format_validation_summary

    out = Path(args.out) if args.out else REPORTS_DIR / f"validate-{Path(args.dataset).resolve().stem}"
    check_target(out, args.dataset)
    dataset, _ = read_stage(args.dataset)
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


def command_sample(args: argparse.Namespace) -> int:
    from analysis.sample import write_sample

    if args.seed < 0:
        raise DatasetError(f"--seed must be 0 or more, not {args.seed}.")
    out = Path(args.out)
    check_sample_folder(out)
    write_folder(out, lambda folder: write_sample(folder, scale=args.scale, seed=args.seed))
    print(f"Sample dataset ({args.scale}, seed {args.seed}): {out}")
    return 0


def check_sample_folder(out: Path) -> None:
    """Refuse an ``--out`` of ``sample`` that is a file, or a folder holding more than a sample
    (the sample replaces it whole: :func:`analysis.render.atomic.write_folder`)."""
    if out.exists() and not out.is_dir():
        raise DatasetError(f"--out {out} is a file: give a folder for the sample dataset.")
    if out.is_dir() and any(out.iterdir()) and not (out / "README.md").is_file():
        raise DatasetError(f"--out {out} is a folder that holds other files: give a new or empty folder.")
