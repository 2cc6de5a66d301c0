"""Reading office files against reading the same lines as contract tables (issue 15).

Writes the office sample (``stakemap sample --as office``) of a scale, then times
:func:`analysis.ingest.read.read_dataset` on the office folder and on the same lines in
contract form (its ``contract/`` folder), and the reading stage with checking
(:func:`analysis.pipeline.read_stage`) on both. Target: office files cost no more than the
contract tables plus a few seconds. Medians of ``--repeats`` runs on a shared machine: say so
when quoting them. Prints a table and writes benchmarks/results/office.json.

Run: ``.venv/bin/python benchmarks/bench_office.py [--scale province|national] [--repeats 3]``
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.ingest.read import read_dataset  # noqa: E402
from analysis.pipeline import read_stage  # noqa: E402
from analysis.sample.office import write_office_sample  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "office.json"
#: "Plus a few seconds" (issue 15's target), read as at most 5 s more than the contract tables.
EXTRA_SECONDS = 5.0


def time_it(function, path, repeats: int) -> float:
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(path)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="province", choices=("tambon", "province", "national"))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        folder = write_office_sample(Path(tmp) / "office", scale=args.scale)
        write_seconds = time.perf_counter() - start
        raw = read_dataset(folder)
        n_lines = sum(len(t) for t in raw.tables.values())
        n_files = len({r.where.split(":")[0] for r in raw.office.sheets})
        result = {"scale": args.scale, "files": n_files, "sheets": len(raw.office.sheets), "lines": n_lines,
                  "write_sample_s": round(write_seconds, 2)}
        for name, function in (("read", read_dataset), ("read_and_check", lambda p: read_stage(p))):
            office = time_it(function, folder, args.repeats)
            contract = time_it(function, folder / "contract", args.repeats)
            result[name] = {"office_s": round(office, 2), "contract_s": round(contract, 2),
                            "extra_s": round(office - contract, 2), "is_met": office - contract <= EXTRA_SECONDS}
    print(f"{args.scale}: {n_files} files, {result['sheets']} sheets, {n_lines:,} lines")
    print(f"{'step':<16} {'office s':>9} {'contract s':>11} {'extra s':>8}  target ≤ +{EXTRA_SECONDS:g} s")
    for name in ("read", "read_and_check"):
        r = result[name]
        print(f"{name:<16} {r['office_s']:>9} {r['contract_s']:>11} {r['extra_s']:>8}  {'met' if r['is_met'] else 'NOT met'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    previous[args.scale] = result
    RESULTS.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
