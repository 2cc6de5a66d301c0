"""Reading office files against reading the same lines as contract tables (issue 15).

Times :func:`analysis.ingest.read.read_dataset` on the office sample (``stakemap sample --as
office``) and on the same lines in contract form (its ``contract/`` folder), and the reading
stage with checking (:func:`analysis.pipeline.read_stage`) on both, each inside
:func:`analysis.progress.step` as a run reads (the cycle collector paused). Target: office
files cost no more than the contract tables plus a few seconds (:data:`EXTRA_SECONDS`).

Wall and CPU seconds (this process's and its workers', :func:`cpu_seconds`), medians of ``--repeats`` runs,
with the load average and core count at the start: on a shared machine wall seconds are
inflated by the other jobs, CPU seconds much less; quote both and say so. Prints a table and
writes benchmarks/results/office.json (one entry per scale and layout).

Two layouts of the same lines (``--layout``, :data:`analysis.sample.office.LAYOUTS`): ``lists``,
one sheet per list as a tambon office keeps them (national: ~18,000 files, ~130,000 sheets of a
few lines each), and ``merged``, lists joined into sheets of about 2,000 lines, one a workbook
(national: ~420 workbooks, issue 15's "hundreds of workbooks").

The office files are read three ways (``read`` step): one by one (``office_cpu_s``: the CPU
figure to compare with the contract tables), side by side as a run reads them on two cores
(``office_side_by_side_s``, wall, and its CPU with the workers'; what a user gets on two
cores) and, for ``read_and_check``, as a run would decide.

Run: ``.venv/bin/python benchmarks/bench_office.py [--scale province|national] [--layout
lists|merged] [--repeats 3] [--folder DIR] [--part N] [--skip-check] [--label NAME]``.
``--folder`` keeps the sample: written there the first time, reused after (the national one
takes minutes to write); without it the sample goes in a temporary folder.

Issue 15's shape, "hundreds of workbooks, 300,000 lines": ``--scale national --layout merged
--part 4 --folder DIR`` times every fourth workbook of each kind of the national merged sample
(107 workbooks, 336,872 lines), written as links in ``DIR/part-4``, against the contract tables
cut to as many lines of each table (``DIR/part-4/contract``, the first lines of each); with
``--skip-check`` it takes about two minutes once the sample is written.
"""

import argparse
import csv
import json
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.ingest import office  # noqa: E402
from analysis.ingest.read import read_dataset  # noqa: E402
from analysis.pipeline import read_stage  # noqa: E402
from analysis.progress import step  # noqa: E402
from analysis.sample.office import LAYOUTS, write_office_sample  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "office.json"
#: "Plus a few seconds" (issue 15's target), read as at most 5 s more than the contract tables.
EXTRA_SECONDS = 5.0


def read_in_step(path: Path):
    with step("read"):
        return read_dataset(path)


@contextmanager
def files_read(side_by_side: bool | None):
    """Office files read side by side (True), one by one (False) or as a run decides (None:
    by :data:`analysis.ingest.office.SIDE_BY_SIDE_BYTES`) for the time of the block."""
    threshold = office.SIDE_BY_SIDE_BYTES
    if side_by_side is not None:
        office.SIDE_BY_SIDE_BYTES = 0 if side_by_side else float("inf")
    try:
        yield
    finally:
        office.SIDE_BY_SIDE_BYTES = threshold


def cpu_seconds() -> float:
    """CPU seconds of this process and of the workers it has waited for (office files are
    read by two workers when two cores are free: their seconds count too)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def time_it(function, path: Path, repeats: int, side_by_side: bool | None = None) -> tuple[float, float, object]:
    """Median (wall, CPU) seconds of ``repeats`` calls, and what the last call returned."""
    wall, cpu = [], []
    with files_read(side_by_side):
        for _ in range(repeats):
            start, start_cpu = time.perf_counter(), cpu_seconds()
            result = function(path)
            wall.append(time.perf_counter() - start)
            cpu.append(cpu_seconds() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), result


def prepare_part(sample: Path, every: int) -> Path:
    """``sample/part-N``: every ``every``-th office file of each kind (files named alike but
    for their number), as links, unless it is there; its ``contract/`` is written by
    :func:`cut_contract` once the part has been read."""
    part = sample / f"part-{every}"
    if part.is_dir():
        return part
    part.mkdir()
    kinds: dict[str, list[Path]] = {}
    for file in office.data_files(sample):
        kinds.setdefault(re.sub(r"_\d+$", "", file.stem) + file.suffix, []).append(file)
    for files in kinds.values():
        for file in files[::every]:
            (part / file.name).symlink_to(file.resolve())
    return part


def cut_contract(part: Path, lines: dict[str, int]) -> None:
    """``part/contract``: the first lines of each of the sample's contract tables, as many as
    the part's office files hold, unless it is there."""
    if (part / "contract" / "people.csv").is_file():
        return
    (part / "contract").mkdir()
    for table, n in lines.items():
        with (part.parent / "contract" / f"{table}.csv").open(encoding="utf-8", newline="") as source, \
                (part / "contract" / f"{table}.csv").open("w", encoding="utf-8", newline="") as cut:
            csv.writer(cut, lineterminator="\n").writerows(islice(csv.reader(source), n + 1))  # the header and n lines


def prepare_sample(folder: Path, scale: str, layout: str) -> float:
    """Write the office sample into ``folder`` unless it holds one; the seconds it took."""
    if (folder / "contract" / "people.csv").is_file():
        return 0.0
    start = time.perf_counter()
    write_office_sample(folder, scale=scale, layout=layout)
    return time.perf_counter() - start


def measure(folder: Path, scale: str, layout: str, repeats: int, write_seconds: float,
            steps: tuple[str, ...] = ("read", "read_and_check")) -> dict:
    result = {"scale": scale, "layout": layout, "write_sample_s": round(write_seconds, 1), "cores": os.cpu_count(),
              "load_average_at_start": round(os.getloadavg()[0], 1), "repeats": repeats,
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    functions = {"read": read_in_step, "read_and_check": read_stage}
    for name in steps:
        # read: one by one for the CPU figure, then side by side for the wall a user gets.
        office_wall, office_cpu, read = time_it(functions[name], folder, repeats, False if name == "read" else None)
        if name == "read":
            lines = {table: len(frame) for table, frame in read.tables.items()}
            result.update(files=len({r.where.split(":")[0] for r in read.office.sheets}), sheets=len(read.office.sheets),
                          lines=sum(lines.values()))
            cut_contract(folder, lines)
        del read
        contract_wall, contract_cpu, _ = time_it(functions[name], folder / "contract", repeats)
        result[name] = {"office_s": round(office_wall, 2), "contract_s": round(contract_wall, 2),
                        "extra_s": round(office_wall - contract_wall, 2),
                        "office_cpu_s": round(office_cpu, 2), "contract_cpu_s": round(contract_cpu, 2),
                        "extra_cpu_s": round(office_cpu - contract_cpu, 2),
                        "is_met": office_cpu - contract_cpu <= EXTRA_SECONDS}
        if name == "read":
            wall, cpu, _ = time_it(functions[name], folder, repeats, True)
            result[name].update(office_side_by_side_s=round(wall, 2), office_side_by_side_cpu_s=round(cpu, 2),
                                extra_side_by_side_s=round(wall - contract_wall, 2))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="province", choices=("tambon", "province", "national"))
    parser.add_argument("--layout", default="lists", choices=LAYOUTS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="keep the office sample here (written once, reused)")
    parser.add_argument("--part", type=int, help="time every N-th office file of each kind of the sample "
                                                   "(national merged, N = 4: issue 15's 300,000 lines)")
    parser.add_argument("--skip-check", action="store_true", help="time the reading only, not read_and_check")
    parser.add_argument("--label", help="the entry's name in the results (default: scale, layout and part)")
    args = parser.parse_args()
    steps = ("read",) if args.skip_check else ("read", "read_and_check")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp) / "office"
        write_seconds = prepare_sample(folder, args.scale, args.layout)
        if args.part:
            folder = prepare_part(folder, args.part)
        result = measure(folder, args.scale, args.layout, args.repeats, write_seconds, steps)
    key = args.label or ", ".join([args.scale, *([args.layout] if args.layout != "lists" else []),
                                   *([f"every {args.part}th file"] if args.part else [])])
    print(f"{key}: {result['files']} files, {result['sheets']} sheets, {result['lines']:,} lines; "
          f"{result['cores']} cores, load average {result['load_average_at_start']} at the start")
    print(f"{'step':<16} {'office s':>9} {'contract s':>11} {'extra s':>8} {'office CPU s':>13} "
          f"{'contract CPU s':>15} {'extra CPU s':>12}  target ≤ +{EXTRA_SECONDS:g} s")
    for name in steps:
        r = result[name]
        print(f"{name:<16} {r['office_s']:>9} {r['contract_s']:>11} {r['extra_s']:>8} {r['office_cpu_s']:>13} "
              f"{r['contract_cpu_s']:>15} {r['extra_cpu_s']:>12}  {'met' if r['is_met'] else 'NOT met'}")
    r = result["read"]
    print(f"read side by side ({result['cores']} cores): {r['office_side_by_side_s']} s wall "
          f"({r['office_side_by_side_cpu_s']} CPU s with the workers') against {r['contract_s']} s "
          f"for the contract tables: {r['extra_side_by_side_s']:+} s")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    previous[key] = result
    RESULTS.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
