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

Run: ``.venv/bin/python benchmarks/bench_office.py [--scale province|national] [--layout
lists|merged] [--repeats 3] [--folder DIR] [--label NAME]``. ``--folder`` keeps the sample:
written there the first time, reused after (the national one takes minutes to write); without
it the sample goes in a temporary folder. A folder holding part of a sample (some of its
workbooks, and its ``contract/`` tables cut to as many lines) is timed as it is, under
``--label``: docs/scaling.md times issue 15's 300,000 lines so.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


def cpu_seconds() -> float:
    """CPU seconds of this process and of the workers it has waited for (office files are
    read by two workers when two cores are free: their seconds count too)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def time_it(function, path: Path, repeats: int) -> tuple[float, float, object]:
    """Median (wall, CPU) seconds of ``repeats`` calls, and what the last call returned."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        result = function(path)
        wall.append(time.perf_counter() - start)
        cpu.append(cpu_seconds() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), result


def prepare_sample(folder: Path, scale: str, layout: str) -> float:
    """Write the office sample into ``folder`` unless it holds one; the seconds it took."""
    if (folder / "contract" / "people.csv").is_file():
        return 0.0
    start = time.perf_counter()
    write_office_sample(folder, scale=scale, layout=layout)
    return time.perf_counter() - start


def measure(folder: Path, scale: str, layout: str, repeats: int, write_seconds: float) -> dict:
    result = {"scale": scale, "layout": layout, "write_sample_s": round(write_seconds, 1), "cores": os.cpu_count(),
              "load_average_at_start": round(os.getloadavg()[0], 1), "repeats": repeats,
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    for name, function in (("read", read_in_step), ("read_and_check", read_stage)):
        office_wall, office_cpu, read = time_it(function, folder, repeats)
        if name == "read":
            result.update(files=len({r.where.split(":")[0] for r in read.office.sheets}), sheets=len(read.office.sheets),
                          lines=sum(len(t) for t in read.tables.values()))
        del read
        contract_wall, contract_cpu, _ = time_it(function, folder / "contract", repeats)
        result[name] = {"office_s": round(office_wall, 2), "contract_s": round(contract_wall, 2),
                        "extra_s": round(office_wall - contract_wall, 2),
                        "office_cpu_s": round(office_cpu, 2), "contract_cpu_s": round(contract_cpu, 2),
                        "extra_cpu_s": round(office_cpu - contract_cpu, 2),
                        "is_met": office_cpu - contract_cpu <= EXTRA_SECONDS}
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="province", choices=("tambon", "province", "national"))
    parser.add_argument("--layout", default="lists", choices=LAYOUTS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="keep the office sample here (written once, reused)")
    parser.add_argument("--label", help="the entry's name in the results (default: scale and layout), "
                                        "for a folder that is a part of a sample")
    args = parser.parse_args()
    if args.folder is not None:
        result = measure(args.folder, args.scale, args.layout, args.repeats,
                         prepare_sample(args.folder, args.scale, args.layout))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "office"
            result = measure(folder, args.scale, args.layout, args.repeats, prepare_sample(folder, args.scale, args.layout))
    key = args.label or (args.scale if args.layout == "lists" else f"{args.scale}, {args.layout}")
    print(f"{key}: {result['files']} files, {result['sheets']} sheets, {result['lines']:,} lines; "
          f"{result['cores']} cores, load average {result['load_average_at_start']} at the start")
    print(f"{'step':<16} {'office s':>9} {'contract s':>11} {'extra s':>8} {'office CPU s':>13} "
          f"{'contract CPU s':>15} {'extra CPU s':>12}  target ≤ +{EXTRA_SECONDS:g} s")
    for name in ("read", "read_and_check"):
        r = result[name]
        print(f"{name:<16} {r['office_s']:>9} {r['contract_s']:>11} {r['extra_s']:>8} {r['office_cpu_s']:>13} "
              f"{r['contract_cpu_s']:>15} {r['extra_cpu_s']:>12}  {'met' if r['is_met'] else 'NOT met'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    previous[key] = result
    RESULTS.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
