"""The ``stakemap`` command (CONTRACT §3). Parses arguments and calls the pipeline.

Exit status: 0 done, 2 unusable input or arguments (one sentence, no traceback), 130
interrupted (Ctrl-C, one line). Only :mod:`sys` is imported before :func:`main` starts
listening for Ctrl-C, so that one pressed while Python starts gives the line too.
"""

import sys


def build_parser():
    import argparse
    from pathlib import Path

    from analysis import __version__

    parser = argparse.ArgumentParser(
        prog="stakemap",
        description="Map the stakeholder networks of Thai community development.",
    )
    parser.add_argument("--version", action="version", version=f"stakemap {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="run the whole analysis on the bundled sample")
    demo.add_argument("--out", type=Path, help="output folder (default: reports/demo)")

    run = commands.add_parser("run", help="run the whole analysis on a dataset")
    run.add_argument("dataset", type=Path, help="a folder of office files or CSV tables, or one workbook or CSV file")
    run.add_argument("--out", type=Path, help="output folder (default: reports/<dataset> in the current folder)")
    run.add_argument("--period", help="the period the data describe, e.g. 2026Q3")
    run.add_argument(
        "--public",
        action="store_true",
        help="outputs fit to show at a forum: no phones, e-mails, record ids; only people "
        "with a public role are named (see docs/privacy.md)",
    )
    run.add_argument("--previous", type=Path, help="an earlier run's output folder to compare with")
    run.add_argument("--dynamic", action="store_true",
                     help="exports/network.gexf carries project periods for Gephi's timeline (default: a static graph)")

    validate = commands.add_parser("validate", help="read and check a dataset only")
    validate.add_argument("dataset", type=Path)
    validate.add_argument("--out", type=Path, help="where to write quarantine.csv")

    compare = commands.add_parser("compare", help="what changed between two runs")
    compare.add_argument("old", type=Path, help="the earlier run's output folder")
    compare.add_argument("new", type=Path, help="the later run's output folder")
    compare.add_argument("--out", type=Path, help="output folder (default: NEW)")

    graph = commands.add_parser("graph", help="one network view around a node")
    graph.add_argument("dataset", type=Path)
    graph.add_argument("--ego", required=True, help="a person, organisation, project or tambon: name or id")
    graph.add_argument("--steps", type=int, default=2, help="how many steps out (default 2)")
    graph.add_argument("--public", action="store_true", help="hide personal data (see run --public)")
    graph.add_argument("--size-by", default="degree",
                       help="what node size shows: degree (default) or a numeric attribute such as budget_thb")
    graph.add_argument("--out", type=Path, help="the HTML file to write")

    profile = commands.add_parser("profile", help="one tambon's (or district's, province's, province group's) profile with its grade")
    profile.add_argument("dataset", type=Path, metavar="DATASET_OR_RUN",
                         help="a dataset, or a run's output folder (its dataset is read again)")
    profile.add_argument("--area", required=True, help="a tambon, district or province (name or official code), or a province group (its name)")
    profile.add_argument("--public", action="store_true", help="hide personal data (see run --public)")
    profile.add_argument("--out", type=Path, help="the HTML file to write (default: reports/profile-<code>.html, profile-group-<number>.html)")

    office = commands.add_parser("import", help="write the contract tables derived from a folder of office files")
    office.add_argument("folder", type=Path, help="a folder of office files (xlsx, xls, csv), or one file")
    office.add_argument("--out", type=Path, required=True, help="the dataset folder to write")

    sample = commands.add_parser("sample", help="write a synthetic dataset with its truth")
    sample.add_argument("--out", type=Path, required=True)
    sample.add_argument("--scale", choices=("tambon", "province", "national"), default="province")
    sample.add_argument("--seed", type=int, default=1)
    sample.add_argument("--shape", choices=("dense", "sparse"), default="dense",
                        help="the organisation network's shape: dense (default) or sparse (fewer rosters per "
                             "person, fewer ties per organisation)")
    sample.add_argument("--as", dest="form", choices=("contract", "office"), default="contract",
                        help="contract: the contract's tables (default); office: the files offices keep "
                        "(rosters, project lists, attendance sheets), with the same data in contract form beside them")
    sample.add_argument("--layout", choices=("lists", "merged"), default="lists",
                        help="with --as office: lists, one sheet per list as a tambon office keeps them (default); "
                        "merged, lists joined into sheets of about 2,000 lines, one a workbook")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    try:
        from analysis.errors import DatasetError

        args = build_parser().parse_args(argv)
        try:
            return dispatch(args)
        except DatasetError as error:
            print(f"stakemap: {error}", file=sys.stderr)
            return DatasetError.exit_status
        except MemoryError as error:
            print(f"stakemap: {describe_memory_error(error)}", file=sys.stderr)
            return DatasetError.exit_status
        except OSError as error:
            print(f"stakemap: {describe_os_error(error)}", file=sys.stderr)
            return DatasetError.exit_status
    except KeyboardInterrupt:
        print("stakemap: interrupted; no output folder was left half-written.", file=sys.stderr)
        return 130


def run_command() -> None:
    """The ``stakemap`` command (and ``python -m analysis``): :func:`main`, then exit without
    freeing what the run holds one object at a time.

    A national run ends holding millions of Python objects (tables, the stakeholder graph);
    freeing them at exit took 1–2 s (issue 19), and the system takes a process's memory back
    at once. Every output file is closed by then (each is written inside a ``with``), and the
    children have been waited for; standard output and error are flushed here.
    """
    import os

    status = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that has gone (a closed pipe): nothing left to say
            pass
    os._exit(status)


def describe_memory_error(error: MemoryError) -> str:
    """The sentence for running out of memory, naming the step (:func:`analysis.progress.step`)."""
    where = getattr(error, "step", None)
    return (f"the computer ran out of memory{f' at the step {where!r}' if where else ''}: "
            f"close other programs, or split the dataset (one province at a time), and run again.")


def describe_os_error(error: OSError) -> str:
    """The sentence for a file the system refused (a folder that cannot be listed, a full disk)."""
    what = f" {error.filename}" if error.filename else ""
    return f"the system refused{what} ({error.strerror or type(error).__name__}): check the path and its permissions."


def dispatch(args) -> int:
    # Stages are imported here so that `stakemap --help` stays fast.
    from analysis import commands

    handler = getattr(commands, f"command_{args.command}")
    return handler(args)
