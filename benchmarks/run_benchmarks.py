"""Speed and memory of the whole pipeline, from one tambon to both national shapes (``make bench``).

Cases (:data:`CASES`): the synthetic sample at tambon and province scale, and at national
scale in both network shapes (``stakemap sample --shape dense|sparse``, issue 19), each
national one public (``--public``) and not. For each case the sample is generated once
(seed 1), then the 2026Q3 quarter is run end to end ``--repeats`` times (default 3), each
run in a fresh process. Per run:

- wall seconds, measured here;
- CPU seconds of the run and of the processes it forks, from ``os.wait4``;
- peak memory two ways: the largest resident set of any one process of the run
  (``ru_maxrss``), and the peak of the run's processes added up, by their proportional set
  size (PSS: a page shared by a forked child and its parent counts half to each) read from
  ``/proc/<pid>/smaps_rollup`` every 0.2 s. The second is what the machine must hold;
- every step of :mod:`analysis.pipeline`: its wall seconds, the CPU seconds spent since the
  step before it ended (the parallel block's parts show wall only: their CPU is on the
  block's line) and the run's peak RSS by then.

On the province set, the same run also times :func:`analysis.bridges.build_org_network` and
:func:`analysis.bridges.compute_bridges` against the naive all-networkx way of computing
the same network and table (benchmarks/networkx_baseline.py), checks that the two agree and
reports the ratio, measured side by side in one process after both have been imported.

Figures are medians of the repeats (the machine may be shared: the load average before and
after is recorded; say so when quoting them). They are printed as tables and written to
benchmarks/results/bench.json and benchmarks/results/bench.md with the machine.

Usage::

    .venv/bin/python benchmarks/run_benchmarks.py                      # every case, 3 repeats
    .venv/bin/python benchmarks/run_benchmarks.py --quick              # tambon and province, once
    .venv/bin/python benchmarks/run_benchmarks.py --case "national sparse" --repeats 1

``--child-run`` and ``--child-naive`` are how this script calls itself in a fresh process.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results" / "bench.json"
REPORT = ROOT / "benchmarks" / "results" / "bench.md"
QUARTER = "2026Q3"
SEED = 1

#: Case name → (scale, network shape, public).
CASES = {
    "tambon": ("tambon", "dense", False),
    "province": ("province", "dense", False),
    "national": ("national", "dense", False),
    "national public": ("national", "dense", True),
    "national sparse": ("national", "sparse", False),
    "national sparse public": ("national", "sparse", True),
}
QUICK_CASES = ("tambon", "province")

#: Targets on a 2-core, 24 GB machine: issue 9 (province, naive ratio) and issue 19 (every
#: national case, both shapes, public and not).
TARGETS = {
    "province_seconds": 15.0,
    "national_seconds": 120.0,
    "national_peak_gb": 4.0,
    "naive_ratio": 30.0,
}
#: Sizes of each national shape ("about"): 10 % either way is "about". Dense: issue 9's
#: national sample; sparse: issue 19's independent dataset (45,470 organisations, 26,616
#: projects, 337,818 roster lines).
NATIONAL_SIZES = {
    "dense": {"tambons": 7_436, "people": 300_000, "organisations": 60_000, "projects": 100_000},
    "sparse": {"tambons": 7_436, "people": 337_818, "organisations": 45_470, "projects": 26_616},
}
SIZE_TOLERANCE = 0.10

#: Float columns of bridges.csv that the two ways sum in different orders: equal within
#: this relative tolerance (1e-9 is far above rounding error, far below any displayed digit).
FLOAT_COLUMNS = ("betweenness", "constraint", "effective_size")
RTOL = 1e-9
#: Columns that depend on the Louvain partition, which differs between libraries.
PARTITION_COLUMNS = ("community", "reason", "reason_th")

#: Seconds between two readings of the run's memory.
MEMORY_INTERVAL = 0.2


# --------------------------------------------------------------------------- processes

def read_pss_mb(pid: int) -> float:
    """Proportional set size of one process (MB); 0 when it has ended."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def list_descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (from /proc/<pid>/task/*/children)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                queue += [int(child) for child in task.read_text().split()]
            except OSError:
                pass
    return found


class MemoryWatch(threading.Thread):
    """Reads the summed PSS of a process and its descendants every :data:`MEMORY_INTERVAL`
    seconds until stopped; ``peak_mb`` is the largest sum seen."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self.stopped = pid, 0.0, threading.Event()

    def run(self):
        while not self.stopped.is_set():
            self.peak_mb = max(self.peak_mb, sum(read_pss_mb(p) for p in list_descendants(self.pid)))
            self.stopped.wait(MEMORY_INTERVAL)


def run_process(argv: list[str]) -> dict:
    """Run ``argv`` in a fresh process: its wall and CPU seconds (with its children's), its
    largest process's peak RSS and its processes' summed peak PSS (MB)."""
    env = dict(os.environ, PYTHAINLP_OFFLINE="1", PYTHAINLP_READ_ONLY="1")
    has_pss = Path("/proc/self/smaps_rollup").exists()
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errors, env=env, cwd=ROOT)
        watch = MemoryWatch(process.pid)
        if has_pss:
            watch.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        watch.stopped.set()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{' '.join(map(str, argv))} failed:\n{errors.read().decode(errors='replace')[-3000:]}")
    return {"seconds": round(seconds, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # ru_maxrss is in KiB on Linux
            "peak_pss_mb": round(watch.peak_mb, 1) if has_pss else None}


def stakemap(*args: str) -> list[str]:
    return [sys.executable, "-m", "analysis", *args]


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def cpu_seconds() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class StepMeter(dict):
    """The ``timings`` dict of a run that also notes, when each step ends, the peak RSS and
    the CPU seconds spent since the step before it ended."""

    def __init__(self):
        super().__init__()
        self.rss_mb: dict[str, float] = {}
        self.cpu_s: dict[str, float] = {}
        self.cpu_at_last = cpu_seconds()

    def __setitem__(self, label, seconds):
        super().__setitem__(label, seconds)
        self.rss_mb[label] = peak_rss_mb()
        now = cpu_seconds()
        self.cpu_s[label] = round(now - self.cpu_at_last, 3)
        self.cpu_at_last = now


def child_run(dataset: Path, out: Path, report: Path, public: bool) -> None:
    """In the child: the whole run, as ``stakemap run`` does it, with a :class:`StepMeter`."""
    from analysis.pipeline import run_analysis

    meter = StepMeter()
    run_analysis(dataset, out, period=QUARTER, public=public, timings=meter)
    betweenness = json.loads((out / "run.json").read_text(encoding="utf-8"))["methods"]["bridges"]["betweenness"]
    report.write_text(json.dumps({"steps": dict(meter), "rss_mb": meter.rss_mb, "cpu_s": meter.cpu_s,
                                  "betweenness": betweenness}), encoding="utf-8")


def child_naive(dataset: Path, repeats: int, report: Path) -> None:
    """In the child: our organisation network and bridges against the networkx baseline."""
    import networkx_baseline as baseline

    from analysis import bridges
    from analysis.pipeline import read_stage
    from analysis.resolve.people import resolve_people

    data, decisions = read_stage(dataset)
    persons = resolve_people(data["people"], data["organisations"], decisions).persons
    organisations = data["organisations"]
    # Untimed first call: igraph's import (~1 s, it pulls in matplotlib) is paid once per
    # run, by whichever step needs it first; it is not part of either way's work.
    bridges.compute_bridges(bridges.build_org_network(data, persons), organisations)
    ours_s, naive_s, ours_cpu, naive_cpu = [], [], [], []
    for _ in range(repeats):
        started, cpu = time.perf_counter(), cpu_seconds()
        G = bridges.build_org_network(data, persons)
        ours = bridges.compute_bridges(G, organisations)
        ours_s.append(time.perf_counter() - started)
        ours_cpu.append(cpu_seconds() - cpu)
        started, cpu = time.perf_counter(), cpu_seconds()
        N = baseline.build_org_network_nx(data, persons, nodes_from=G)
        naive = baseline.compute_bridges_nx(N, organisations)
        naive_s.append(time.perf_counter() - started)
        naive_cpu.append(cpu_seconds() - cpu)
    figures = {"n_organisations": G.number_of_nodes(), "n_links": G.number_of_edges(),
               "ours_seconds": [round(s, 3) for s in ours_s], "naive_seconds": [round(s, 3) for s in naive_s],
               "ours_cpu_seconds": [round(s, 3) for s in ours_cpu],
               "naive_cpu_seconds": [round(s, 3) for s in naive_cpu],
               "network": compare_networks(G, N), "bridges": compare_bridges(ours, naive)}
    report.write_text(json.dumps(figures, default=str), encoding="utf-8")


# --------------------------------------------------------------------------- comparing

def compare_networks(G, N) -> dict:
    """Whether two organisation networks have the same nodes, edges and edge attributes."""
    def edges(H):
        return {tuple(sorted((u, v))): dict(sorted(d.items())) for u, v, d in H.edges(data=True)}

    ours, naive = edges(G), edges(N)
    return {"is_identical": list(G) == list(N) and ours == naive,
            "n_edges_differing": sum(ours.get(e) != naive.get(e) for e in ours.keys() | naive.keys())}


def count_differing(x, y) -> int:
    """Cells that differ between two aligned columns; missing equals missing (None, NaN)."""
    both_missing = x.isna().to_numpy() & y.isna().to_numpy()
    return int((~both_missing & (x.astype(str).to_numpy() != y.astype(str).to_numpy())).sum())


def rerank(table):
    """The rank rule of :mod:`analysis.bridges` with betweenness and effective size rounded
    to :data:`RTOL`-sized steps (10 significant digits' worth), for a table indexed by org_id."""
    import numpy as np
    import pandas as pd

    keys = pd.DataFrame({"b": np.round(table["betweenness"].to_numpy(float), 10),
                         "e": np.round(table["effective_size"].to_numpy(float), 10), "org_id": table.index})
    order = keys.sort_values(["b", "e", "org_id"], ascending=[False, False, True]).index
    return pd.Series(np.arange(1, len(table) + 1), index=table.index[order]).loc[table.index]


def compare_bridges(ours, naive) -> dict:
    """Cell-by-cell agreement of two bridges.csv tables, matched on org_id.

    Float columns within :data:`RTOL`; :data:`PARTITION_COLUMNS` reported apart (different
    Louvain implementations), with each partition's modularity.
    """
    import numpy as np

    a, b = ours.set_index("org_id"), naive.set_index("org_id").loc[ours["org_id"]]
    exact = [c for c in a.columns if c not in FLOAT_COLUMNS and c not in PARTITION_COLUMNS and c != "rank"]
    differing = {c: count_differing(a[c], b[c]) for c in exact}
    # The rank sorts on floats: two organisations tied in exact arithmetic (effective sizes
    # 1e-14 apart) may swap. Ranks are the same when both tables sort on rounded keys.
    differing["rank"] = count_differing(rerank(a), rerank(b))
    differing["rank (as sorted on unrounded floats)"] = count_differing(a["rank"], b["rank"])
    floats = {}
    for c in FLOAT_COLUMNS:
        x, y = a[c].to_numpy(float), b[c].to_numpy(float)
        both_nan = np.isnan(x) & np.isnan(y)
        floats[c] = {"max_abs_difference": float(np.nanmax(np.abs(x - y), initial=0.0)),
                     "n_beyond_rtol": int((~both_nan & ~np.isclose(x, y, rtol=RTOL, atol=1e-12)).sum())}
    partition = {c: count_differing(a[c], b[c]) for c in PARTITION_COLUMNS}
    is_identical = (all(n == 0 for c, n in differing.items() if not c.startswith("rank ("))
                    and all(f["n_beyond_rtol"] == 0 for f in floats.values()))
    return {"is_identical_except_partition": is_identical, "n_rows": len(a), "differing_cells": differing,
            "floats": floats, "partition_cells_differing": partition,
            "modularity": {"ours": ours.attrs["method"]["communities"].get("modularity"),
                           "naive": naive.attrs["method"]["communities"].get("modularity")}}


# --------------------------------------------------------------------------- one scale

def count_sample(folder: Path) -> dict:
    """Rows of the tables as written, and tambons: distinct codes of the SAOs (every tambon
    has one, ``T<code>-SAO``; a planted repeated-id row writes one of them twice)."""
    import pandas as pd

    counts = {name: len(pd.read_csv(folder / f"{name}.csv", dtype=str, encoding="utf-8-sig"))
              for name in ("people", "organisations", "projects", "funding", "participation")}
    org_ids = pd.read_csv(folder / "organisations.csv", dtype=str, encoding="utf-8-sig", usecols=["org_id"])["org_id"]
    counts["tambons"] = int(org_ids.str.extract(r"^T(\d{6})-SAO$")[0].nunique())
    return counts


def median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def generate(scale: str, shape: str, work: Path, samples: dict) -> tuple[Path, dict]:
    """The scale and shape's sample (generated once, timed), and the figures of making it."""
    if (scale, shape) not in samples:
        folder = work / f"{scale}-{shape}"
        samples[scale, shape] = run_process(stakemap("sample", "--out", str(folder), "--scale", scale,
                                                     "--shape", shape, "--seed", str(SEED)))
        samples[scale, shape]["folder"] = folder
        print(f"{scale} {shape}: sample written in {samples[scale, shape]['seconds']} s", flush=True)
    figures = {k: v for k, v in samples[scale, shape].items() if k != "folder"}
    return samples[scale, shape]["folder"] / QUARTER, figures


def bench_case(case: str, repeats: int, work: Path, samples: dict, naive_repeats: int) -> dict:
    """Run a case end to end ``repeats`` times (and, on the province set, the naive way)."""
    scale, shape, public = CASES[case]
    dataset, generation = generate(scale, shape, work, samples)
    runs = []
    for i in range(repeats):
        report = work / f"{case.replace(' ', '-')}-run-{i}.json"
        load_before = [round(x, 2) for x in os.getloadavg()]
        process = run_process([sys.executable, __file__, "--child-run", str(dataset), str(work / "out"),
                               str(report), "public" if public else "private"])
        runs.append({**process, **json.loads(report.read_text(encoding="utf-8")), "load_average_before": load_before})
        print(f"  {case} run {i + 1}/{repeats}: {process['seconds']} s wall, {process['cpu_seconds']} s CPU, "
              f"peak {process['peak_pss_mb'] or process['peak_rss_mb']:,.0f} MB (load before {load_before[0]})",
              flush=True)
    steps = list(runs[0]["steps"])
    keys = ("seconds", "cpu_seconds", "peak_rss_mb", "peak_pss_mb")
    figures = {
        "scale": scale, "shape": shape, "public": public,
        "sizes": count_sample(dataset),
        "generate": generation,
        "run": {key: median([r[key] for r in runs]) for key in keys if runs[0][key] is not None},
        "steps": {step: {"seconds": median([r["steps"][step] for r in runs]),
                         "cpu_seconds": median([r["cpu_s"][step] for r in runs]),
                         "peak_rss_mb": median([r["rss_mb"][step] for r in runs])} for step in steps},
        "betweenness": runs[0].get("betweenness"),
        "repeats": repeats,
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "raw": {"runs": runs},
    }
    if case == "province" and naive_repeats:
        report = work / "naive.json"
        figures["naive"] = run_process([sys.executable, __file__, "--child-naive", str(dataset), str(naive_repeats),
                                        str(report)])
        figures["naive"].update(json.loads(report.read_text(encoding="utf-8")))
        naive = figures["naive"]
        naive["ours_median_seconds"] = median(naive["ours_seconds"])
        naive["naive_median_seconds"] = median(naive["naive_seconds"])
        naive["ratio"] = round(naive["naive_median_seconds"] / naive["ours_median_seconds"], 1)
        naive["cpu_ratio"] = round(median(naive["naive_cpu_seconds"]) / median(naive["ours_cpu_seconds"]), 1)
    return figures


# --------------------------------------------------------------------------- reporting

def describe_machine() -> dict:
    from analysis.parallel import count_cores

    memory_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")), 0)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cpus": os.cpu_count(), "cores_available": count_cores(), "memory_gb": round(memory_kb / 1024**2, 1),
            "cpu": cpu, "python": platform.python_version(), "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def _cell(value, digits: int = 1) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def format_steps(results: dict) -> str:
    """A markdown table: each step's wall s, CPU s and peak RSS (MB) per case (medians),
    then the whole run."""
    cases = list(results)
    steps = list(dict.fromkeys(step for r in results.values() for step in r["steps"]))
    lines = ["| step | " + " | ".join(f"{c} s | CPU s | MB" for c in cases) + " |",
             "|---|" + "---:|---:|---:|" * len(cases)]
    for step in ["generate the sample"] + steps:
        cells = []
        for c in cases:
            r = results[c]
            if step == "generate the sample":
                row = r["generate"]
                cells += [_cell(row["seconds"]), _cell(row["cpu_seconds"]), _cell(row["peak_rss_mb"], 0)]
            elif step in r["steps"]:
                row = r["steps"][step]
                cells += [_cell(row["seconds"]), _cell(row.get("cpu_seconds")), _cell(row["peak_rss_mb"], 0)]
            else:
                cells += ["", "", ""]
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    cells = []
    for c in cases:
        run = results[c]["run"]
        cells += [f"**{_cell(run['seconds'])}**", f"**{_cell(run['cpu_seconds'])}**",
                  f"**{_cell(run.get('peak_pss_mb') or run['peak_rss_mb'], 0)}**"]
    lines.append("| **whole run** (process; MB = summed PSS of its processes) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def judge_targets(results: dict) -> list[dict]:
    """Each target of issues 9 and 19 with the measured figure (medians) and whether it is met."""
    rows = []
    if "province" in results:
        seconds = results["province"]["run"]["seconds"]
        rows.append({"target": "province end to end", "limit": f"≤ {TARGETS['province_seconds']:.0f} s",
                     "measured": f"{seconds:.1f} s", "is_met": seconds <= TARGETS["province_seconds"]})
        naive = results["province"].get("naive")
        if naive:
            same = naive["bridges"]["is_identical_except_partition"] and naive["network"]["is_identical"]
            rows.append({"target": "vs naive networkx (province)", "limit": f"≥ {TARGETS['naive_ratio']:.0f}×, same tables",
                         "measured": f"{naive['ratio']:.1f}× ({naive['naive_median_seconds']:.2f} s / "
                                     f"{naive['ours_median_seconds']:.2f} s), tables "
                                     f"{'identical' if same else 'DIFFER'}",
                         "is_met": naive["ratio"] >= TARGETS["naive_ratio"] and same})
    for case, r in results.items():
        if r.get("scale") != "national":
            continue
        seconds = r["run"]["seconds"]
        peak_gb = (r["run"].get("peak_pss_mb") or r["run"]["peak_rss_mb"]) / 1024
        rows.append({"target": f"{case}: end to end", "limit": f"≤ {TARGETS['national_seconds']:.0f} s",
                     "measured": f"{seconds:.0f} s wall ({r['run']['cpu_seconds']:.0f} s CPU)",
                     "is_met": seconds <= TARGETS["national_seconds"]})
        rows.append({"target": f"{case}: peak memory", "limit": f"≤ {TARGETS['national_peak_gb']:.0f} GB",
                     "measured": f"{peak_gb:.2f} GB", "is_met": peak_gb <= TARGETS["national_peak_gb"]})
        if not r["public"]:
            sizes, wanted = r["sizes"], NATIONAL_SIZES[r["shape"]]
            ok = all(abs(sizes[k] - v) <= SIZE_TOLERANCE * v for k, v in wanted.items())
            rows.append({"target": f"{case}: sample sizes",
                         "limit": " / ".join(f"{v:,}" for v in wanted.values()),
                         "measured": " / ".join(f"{sizes[k]:,}" for k in wanted), "is_met": ok})
    return rows


def format_targets(rows: list[dict]) -> str:
    lines = ["| target | limit | met | measured |", "|---|---|---|---|"]
    lines += [f"| {r['target']} | {r['limit']} | {'yes' if r['is_met'] else 'NO'} | {r['measured']} |" for r in rows]
    return "\n".join(lines)


def format_naive(naive: dict) -> str:
    bridges = naive["bridges"]
    floats = ", ".join(f"{c} max |Δ| {f['max_abs_difference']:.1e}" for c, f in bridges["floats"].items())
    return (f"Naive networkx vs ours on the province set ({naive['n_organisations']} organisations, "
            f"{naive['n_links']:,} links): ours {naive['ours_median_seconds']:.3f} s, networkx "
            f"{naive['naive_median_seconds']:.3f} s, {naive['ratio']}× (medians of {len(naive['ours_seconds'])}; "
            f"in CPU seconds {naive['cpu_ratio']}×). "
            f"Network identical: {naive['network']['is_identical']}; bridges.csv identical except the Louvain "
            f"partition: {bridges['is_identical_except_partition']} ({floats}); modularity ours "
            f"{bridges['modularity']['ours']}, networkx {bridges['modularity']['naive']}.")


def format_report(machine: dict, results: dict, targets: list[dict]) -> str:
    """benchmarks/results/bench.md: the machine, the steps, the naive comparison, the targets."""
    sizes = "; ".join(f"{case}: " + ", ".join(f"{v:,} {k}" for k, v in r["sizes"].items()) for case, r in results.items())
    methods = "; ".join(f"{case}: {r['betweenness']['method']} betweenness "
                        f"(error bound {r['betweenness']['error_bound']}, {r['betweenness'].get('workers', 1)} "
                        f"process(es))" for case, r in results.items() if r.get("betweenness"))
    parts = [
        "# stakemap benchmark (`make bench`)", "",
        f"Machine: {machine['cpus']} cores ({machine['cores_available']} available), {machine['memory_gb']} GB, "
        f"{machine['cpu']}, Python {machine['python']}. Load average at the start "
        f"{machine['load_average_at_start']}; a load above the number of cores means the machine was shared "
        "and wall seconds are inflated (CPU seconds much less so).", "",
        "Medians of " + ", ".join(f"{case} {r['repeats']}" for case, r in results.items()) + " runs.", "",
        format_steps(results), "",
        "CPU s of a step: since the step before it ended, this process and the processes it forked; the parts "
        "written side by side (network views, graph exports, reports) show their wall seconds, their CPU is on "
        "the line of the block that holds them. MB: peak RSS of the run's main process when the step ended.", "",
        f"Sizes (2026Q3): {sizes}.", "",
        f"Betweenness: {methods}." if methods else "", "",
    ]
    naive = results.get("province", {}).get("naive")
    if naive:
        parts += [format_naive(naive), ""]
    parts += ["## Targets", "", format_targets(targets), ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=list(CASES), help="repeatable; default: every case")
    parser.add_argument("--repeats", type=int, default=3, help="runs per case (medians are reported; default 3)")
    parser.add_argument("--quick", action="store_true", help="tambon and province only, one repeat")
    parser.add_argument("--child-run", nargs=4, metavar=("DATASET", "OUT", "REPORT", "PUBLIC"), help=argparse.SUPPRESS)
    parser.add_argument("--child-naive", nargs=3, metavar=("DATASET", "REPEATS", "REPORT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_run:
        dataset, out, report, public = args.child_run
        child_run(Path(dataset), Path(out), Path(report), public == "public")
        return 0
    if args.child_naive:
        dataset, repeats, report = args.child_naive
        child_naive(Path(dataset), int(repeats), Path(report))
        return 0
    cases = args.case or (list(QUICK_CASES) if args.quick else list(CASES))
    repeats = 1 if args.quick else args.repeats
    machine = describe_machine()
    print(f"machine: {machine['cpus']} cores, {machine['memory_gb']} GB, {machine['cpu']}; load "
          f"{machine['load_average_at_start']}; medians of {repeats} run(s) per case", flush=True)
    results, samples = {}, {}
    with tempfile.TemporaryDirectory(prefix="stakemap-bench-") as work:
        for case in cases:
            results[case] = bench_case(case, repeats, Path(work), samples, naive_repeats=repeats)
    # Cases not measured this time keep their last figures: one slow national case need not
    # be repeated to re-measure the province.
    earlier = json.loads(RESULTS.read_text(encoding="utf-8")).get("cases", {}) if RESULTS.exists() else {}
    results = {case: results.get(case) or earlier[case] for case in CASES if case in results or case in earlier}
    targets = judge_targets(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": machine, "targets": targets, "cases": results},
                                  ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    report = format_report(machine, results, targets)
    REPORT.write_text(report, encoding="utf-8")
    print()
    print(report)
    print(f"written {RESULTS.relative_to(ROOT)} and {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
