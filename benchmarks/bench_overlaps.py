"""Benchmark of duplicate-project finding: quality on the province sample, time at national scale.

Quality: on ``generate_sample("province", seed=1)`` the planted duplicate groups are the
truth; pairwise precision and recall count pairs of projects put in one group (targets:
≥ 0.90 each). Every planted look-alike that is not a duplicate (co-funding, later phase,
template) must stay out of the groups. The true persons are given, so the figures measure
this step alone, not people resolution.

Time: ``find_duplicate_projects`` on the national sample (~100,000 projects), target under a
minute on 2 cores. ``--quick`` skips the national run.

Run: ``python benchmarks/bench_overlaps.py [--quick]``; figures go to
``benchmarks/results/overlaps.json`` and are printed.
"""

import argparse
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from analysis.overlaps import find_duplicate_projects
from analysis.pipeline import read_stage
from analysis.sample import generate_sample, write_quarter

RESULTS = Path(__file__).resolve().parent / "results" / "overlaps.json"


def load_sample(scale: str, seed: int):
    """The sample as the tool reads it (written to CSV, read and checked), with its truth."""
    sample = generate_sample(scale, seed=seed)
    with tempfile.TemporaryDirectory() as folder:
        write_quarter(sample, Path(folder))
        dataset, _ = read_stage(Path(folder))
    truth = sample.truth
    persons = truth["persons"].rename(columns={"true_person_id": "person_id"}).assign(person_name="")
    return dataset, persons, truth


def pairs_of(groups: pd.DataFrame, group_column: str) -> set[frozenset]:
    """Every pair of projects that share a group."""
    return {frozenset(p) for _, g in groups.groupby(group_column)
            for p in itertools.combinations(sorted(g["project_id"]), 2)}


def measure_quality(scale: str = "province", seed: int = 1, without: tuple[str, ...] = ()) -> dict:
    """Pairwise precision and recall; ``without`` blanks project columns (e.g. category)
    to see how the method fares on data that lacks them."""
    dataset, persons, truth = load_sample(scale, seed)
    for column in without:
        dataset.tables["projects"][column] = None
    started = time.perf_counter()
    result = find_duplicate_projects(dataset, persons)
    seconds = time.perf_counter() - started
    found = pairs_of(result.groups, "group_id")
    true = pairs_of(truth["duplicate_groups"], "true_group_id")
    hits = found & true
    grouped = dict(zip(result.groups["project_id"], result.groups["group_id"]))
    traps = {}
    for relation, frame in truth["not_duplicates"].groupby("relation"):
        wrong = [(a, b) for a, b in zip(frame["project_a"], frame["project_b"])
                 if (a == b and a in grouped) or (a != b and a in grouped and grouped.get(a) == grouped.get(b))]
        traps[relation] = {"n": len(frame), "n_flagged_as_duplicate": len(wrong), "flagged": wrong[:10]}
    return {
        "scale": scale, "seed": seed, "without": list(without), "n_projects": int(len(dataset["projects"])),
        "n_true_pairs": len(true), "n_found_pairs": len(found), "n_correct_pairs": len(hits),
        "precision": round(len(hits) / len(found), 4) if found else None,
        "recall": round(len(hits) / len(true), 4) if true else None,
        "missed": sorted(tuple(sorted(p)) for p in true - found)[:20],
        "false": sorted(tuple(sorted(p)) for p in found - true)[:20],
        "traps": traps, "n_review": int(len(result.review)), "seconds": round(seconds, 2),
    }


def measure_time(scale: str = "national", seed: int = 1) -> dict:
    dataset, persons, _ = load_sample(scale, seed)
    started = time.perf_counter()
    result = find_duplicate_projects(dataset, persons)
    seconds = time.perf_counter() - started
    return {"scale": scale, "n_projects": int(len(dataset["projects"])),
            "n_pairs_compared": result.parameters["n_pairs_compared"],
            "n_groups": int(result.groups["group_id"].nunique()), "seconds": round(seconds, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the national timing")
    args = parser.parse_args(argv)
    figures = {"quality": measure_quality(),
               "quality_without_category": measure_quality(without=("category",)),
               "quality_title_only": measure_quality(without=("category", "description"))}
    if not args.quick:
        figures["time"] = measure_time()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
