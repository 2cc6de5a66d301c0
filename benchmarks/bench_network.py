"""Speed and memory of the organisation network and its bridge measures, networkx vs ours.

Builds a synthetic dataset (organisations in districts, people on one to a few rosters,
projects led, funded and joined by organisations), projects it to the organisation network
with :func:`analysis.bridges.build_org_network`, then times each measure of
:func:`analysis.bridges.compute_bridges` against the networkx function a reader would
reach for. Two sizes: a province (~1,000 organisations, ~15,000 links) and the nation
(~60,000 organisations). Prints a table and writes benchmarks/results/network.json.

Peak memory is what ``tracemalloc`` sees (Python and numpy allocations; igraph's C memory is
not counted). networkx functions that would take hours or a dense n × n matrix at national
scale are skipped and say why.

Run: ``.venv/bin/python benchmarks/bench_network.py [--scale province|national|all]``
"""

import argparse
import json
import sys
import time
import tracemalloc
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import bridges  # noqa: E402
from analysis.brokerage import compute_brokerage  # noqa: E402
from analysis.dataset import Dataset, empty_quarantine  # noqa: E402
from analysis.structural_holes import compute_constraint, compute_effective_size  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "network.json"

#: (organisations, roster records per organisation, projects per organisation). At the
#: province size these give ~15,000 links, the size FIELD_NOTES.md measured.
SCALES = {"province": (1_000, 9, 0.5), "national": (60_000, 8, 0.3)}
ORGS_PER_DISTRICT = 65  # 60,000 organisations over Thailand's 928 districts
KINDS = ["community_org"] * 5 + ["community_council", "local_government", "network", "ngo", "agency", "fund",
                                   "academic"]


def generate_dataset(n_orgs: int, records_per_org: int, projects_per_org: float, seed: int = 1) -> tuple:
    """A checked Dataset and its persons: people and projects mostly within one district."""
    rng = np.random.default_rng(seed)
    org_ids = np.array([f"O{i:06d}" for i in range(n_orgs)])
    district = np.arange(n_orgs) // ORGS_PER_DISTRICT
    n_districts = district.max() + 1
    hubs = rng.choice(n_orgs, size=max(n_orgs // 200, 3), replace=False)  # agencies' offices

    def local_orgs(home: np.ndarray) -> np.ndarray:
        # 90 % within the home district, 7 % anywhere, 3 % a hub office.
        pick = rng.random(len(home))
        offset = rng.integers(0, ORGS_PER_DISTRICT, len(home))
        local = np.minimum(home * ORGS_PER_DISTRICT + offset, n_orgs - 1)
        return np.where(pick < 0.90, local, np.where(pick < 0.97, rng.integers(0, n_orgs, len(home)),
                                                       rng.choice(hubs, len(home))))

    n_persons = n_orgs * records_per_org // 2
    home = rng.integers(0, n_districts, n_persons)
    n_records = 1 + rng.geometric(0.5, n_persons)  # 2 on average, a few on many rosters
    person = np.repeat(np.arange(n_persons), n_records)
    people = pd.DataFrame({"record_id": [f"r{i}" for i in range(len(person))],
                           "org_id": org_ids[local_orgs(home[person])], "row": np.arange(2, len(person) + 2)})
    persons = pd.DataFrame({"record_id": people["record_id"], "person_id": [f"P-{p}" for p in person],
                            "person_name": "x"})

    n_projects = int(n_orgs * projects_per_org)
    project_ids = [f"J{i}" for i in range(n_projects)]
    project_home = rng.integers(0, n_districts, n_projects)
    projects = pd.DataFrame({"project_id": project_ids, "lead_org_id": org_ids[local_orgs(project_home)],
                             "row": np.arange(2, n_projects + 2)})
    funding = pd.DataFrame({"funder_id": org_ids[rng.choice(hubs, n_projects)], "project_id": project_ids,
                            "row": np.arange(2, n_projects + 2)})
    joined = rng.integers(0, n_projects, n_projects * 2)
    participation = pd.DataFrame({"project_id": np.array(project_ids)[joined],
                                  "org_id": org_ids[local_orgs(project_home[joined])],
                                  "row": np.arange(2, len(joined) + 2)})
    organisations = pd.DataFrame({"org_id": org_ids, "name": org_ids, "kind": rng.choice(KINDS, n_orgs),
                                  "parent_id": None, "row": np.arange(2, n_orgs + 2)})
    tables = {"organisations": organisations, "people": people, "projects": projects, "funding": funding,
              "participation": participation}
    dataset = Dataset(tables=tables, quarantine=empty_quarantine(), counts={}, files={}, source=Path("synthetic"))
    return dataset, persons


def measure(label: str, function, results: dict, memory: bool = True):
    """Time ``function``, then (when ``memory``) run it again under tracemalloc for its peak.

    Two runs because tracemalloc slows pure-Python code several times over. Pure-Python
    networkx paths that hold only O(n + m) memory are timed only (``memory=False``).
    """
    started = time.perf_counter()
    value = function()
    seconds = time.perf_counter() - started
    results[label] = {"seconds": round(seconds, 3)}
    peak_text = ""
    if memory:
        tracemalloc.start()
        function()
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        results[label]["peak_mb"] = round(peak, 1)
        peak_text = f"{peak:9.1f} MB"
    print(f"  {label:<48} {seconds:9.2f} s {peak_text}", flush=True)
    return value


def skip(label: str, reason: str, results: dict) -> None:
    results[label] = {"skipped": reason}
    print(f"  {label:<48} skipped: {reason}", flush=True)


def run_scale(scale: str) -> dict:
    n_orgs, records, projects = SCALES[scale]
    dataset, persons = generate_dataset(n_orgs, records, projects)
    results: dict = {}
    print(f"{scale}: {n_orgs:,} organisations, {len(persons):,} roster records", flush=True)
    G = measure("build_org_network (scipy.sparse)", lambda: bridges.build_org_network(dataset, persons), results)
    bridges.build_igraph(nx.path_graph(2))  # import igraph (~1 s, pulls matplotlib) outside the timings
    n, m = G.number_of_nodes(), G.number_of_edges()
    print(f"  network: {n:,} nodes, {m:,} edges", flush=True)
    is_small = n * m <= bridges.EXACT_SECONDS * bridges.STEPS_PER_SECOND

    _, info = measure("betweenness (igraph)", lambda: bridges.compute_betweenness(G), results)
    results["betweenness (igraph)"].update(info)
    if is_small:
        measure("betweenness (networkx exact)", lambda: nx.betweenness_centrality(G), results, memory=False)
    else:
        skip("betweenness (networkx exact)", "O(n·m) in pure Python: hours at this size", results)

    measure("constraint (scipy.sparse)", lambda: compute_constraint(G), results)
    measure("constraint (networkx whole graph)", lambda: nx.constraint(G, weight="weight"), results)
    measure("effective_size (scipy.sparse)", lambda: compute_effective_size(G), results)
    if is_small:
        measure("effective_size (networkx; wrong when weighted)", lambda: nx.effective_size(G, weight="weight"),
                results)
    else:
        skip("effective_size (networkx; wrong when weighted)", "dense n × n matrix: out of memory", results)
    measure("brokerage (scipy.sparse)", lambda: compute_brokerage(G, "sector"), results)
    measure("louvain (igraph)", lambda: bridges.find_communities(G), results)
    if is_small:
        measure("louvain (networkx)", lambda: nx.community.louvain_communities(G, weight="weight", seed=42), results)
    else:
        skip("louvain (networkx)", "minutes in pure Python; igraph used", results)
    measure("articulation points (networkx)", lambda: set(nx.articulation_points(G)), results)
    measure("compute_bridges (all of the above)", lambda: bridges.compute_bridges(G, dataset["organisations"]),
            results)
    return {"n_organisations": n, "n_links": m, "n_records": len(persons), "measures": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=(*SCALES, "all"), default="all")
    args = parser.parse_args()
    scales = list(SCALES) if args.scale == "all" else [args.scale]
    report = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for scale in scales:
        report[scale] = run_scale(scale)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
