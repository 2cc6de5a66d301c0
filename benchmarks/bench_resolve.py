"""How well and how fast people are resolved (analysis.resolve.people).

Prints, and writes to benchmarks/results/resolve.json:

- pairwise precision and recall [1]_ at province scale (targets: precision >= 0.98,
  recall >= 0.95), and the number of pairs left for review;
- the same for noise 0, 0.5, 1, 1.5 and 2 (the sample generator's misspelling dial);
- the same for every data profile of :data:`analysis.sample.profiles.PROFILES` (lines
  without a place or a phone, slips, titles, namesakes, spouses sharing a phone; issue 14
  targets: precision >= 0.995 and recall >= 0.97 on each), with Splink 5 scored beside
  stakemap when it is installed (``--splink``; an optional benchmark extra, never a
  run-time dependency), without and with the organisations table (the roster's place that
  stakemap reads);
- seconds, peak memory and quality of ``resolve_people`` at province (~3,000 records) and
  national (~300,000 records) scale, as generated and in the "everything" profile.

Data come from the sample generator (``analysis.sample.generate_sample``), normalised by
the validate stage as in a real run. Usage::

    python benchmarks/bench_resolve.py            # everything (national takes minutes)
    python benchmarks/bench_resolve.py --quick    # province scale only
    python benchmarks/bench_resolve.py --splink   # Splink 5 beside stakemap on each profile

References
----------
.. [1] Christen, P. (2012). *Data Matching*, ch. 7: pairwise precision and recall.
"""

import argparse
import itertools
import json
import multiprocessing
import resource
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.dataset import RawDataset  # noqa: E402
from analysis.resolve.people import build_features, resolve_people  # noqa: E402
from analysis.sample import generate_sample  # noqa: E402
from analysis.sample.profiles import PROFILES, Profile, apply_profile  # noqa: E402
from analysis.ingest.validate import validate_dataset  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "resolve.json"
NOISE_LEVELS = (0.0, 0.5, 1.0, 1.5, 2.0)


def load_people(scale: str, seed: int, noise: float,
                profile: Profile | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Normalised people and organisations of a generated sample (rewritten to ``profile``),
    and the true persons."""
    sample = generate_sample(scale=scale, seed=seed, noise=noise)
    if profile is not None:
        sample.tables["people"] = apply_profile(sample.tables["people"], sample.truth["persons"], profile, seed)
    tables = {
        name: table.assign(row=range(2, len(table) + 2)) for name, table in sample.tables.items()
    }
    raw = RawDataset(tables=tables, files={name: f"{name}.csv" for name in tables}, source=Path(f"sample-{scale}"))
    dataset = validate_dataset(raw)
    return dataset["people"], dataset["organisations"], sample.truth["persons"]


def measure_quality(persons: pd.DataFrame, truth: pd.DataFrame) -> dict:
    """Pairwise precision, recall and F1 of a resolution against the true persons."""
    predicted = record_pairs(persons, "person_id")
    true = record_pairs(truth[truth["record_id"].isin(persons["record_id"])], "true_person_id")
    hits = len(predicted & true)
    precision = hits / max(len(predicted), 1)
    recall = hits / max(len(true), 1)
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / max(precision + recall, 1e-12), 4),
        "n_true_pairs": len(true),
        "n_predicted_pairs": len(predicted),
    }


def record_pairs(table: pd.DataFrame, group: str) -> set[tuple[str, str]]:
    """Every pair of records in the same group, as sorted (record_id, record_id)."""
    pairs = set()
    for _, records in table.groupby(group):
        ids = sorted(records["record_id"].astype(str))
        pairs.update(itertools.combinations(ids, 2))
    return pairs


def count_name_alone_pairs(people: pd.DataFrame, organisations: pd.DataFrame, truth: pd.DataFrame) -> dict:
    """Pairs of lines with one full name (titles aside) where a line gives nothing else (no
    district, tambon, phone, e-mail, roster organisation, nor a list whose other lines name
    an organisation with a district), split by the truth: how many are one person and how
    many two. Only the name can decide them, so whatever share of them is two people bounds
    the precision of any resolver that merges them, and their number bounds the recall of
    one that does not."""
    records = build_features(people, organisations)
    records["person"] = records["record_id"].map(truth.drop_duplicates("record_id").set_index("record_id")["true_person_id"])
    bare = (records[["district_code", "tambon_code", "phone", "email", "org_id", "org_district"]] == "").all(axis=1)
    counts = {"one_person": 0, "two_people": 0}
    for _, lines in records[records["full"].duplicated(keep=False)].groupby("full"):
        people_of, is_bare = lines["person"].tolist(), bare[lines.index].tolist()
        for i, j in itertools.combinations(range(len(lines)), 2):
            if is_bare[i] or is_bare[j]:
                counts["one_person" if people_of[i] == people_of[j] else "two_people"] += 1
    return counts


def run_quality(scale: str, seed: int, noise: float) -> dict:
    people, organisations, truth = load_people(scale, seed, noise)
    result = resolve_people(people, organisations)
    figures = measure_quality(result.persons, truth)
    figures.update(noise=noise, n_records=len(people), n_review=len(result.review),
                   n_pairs_compared=len(result.pairs))
    return figures


def run_profile(profile: Profile, seed: int, splink: bool) -> dict:
    """stakemap (and Splink, when asked) on the province sample rewritten to ``profile``."""
    people, organisations, truth = load_people("province", seed, 1.0, profile)
    started = time.perf_counter()
    result = resolve_people(people, organisations)
    figures = {"profile": profile.name, "n_records": len(people), "n_review": len(result.review),
               "merge_min_bits": result.parameters["merge_min_bits"],
               "seconds": round(time.perf_counter() - started, 1), **measure_quality(result.persons, truth),
               "name_alone_pairs": count_name_alone_pairs(people, organisations, truth)}
    if splink:
        from splink_peer import resolve_with_splink  # benchmarks/splink_peer.py

        figures["splink"] = measure_quality(resolve_with_splink(people), truth)
        figures["splink_with_organisations"] = measure_quality(resolve_with_splink(people, organisations), truth)
    return figures


def measure_cost(scale: str, seed: int, profile: Profile | None = None) -> dict:
    """Seconds and peak memory of resolve_people, in a fresh process so that the peak is
    this run's alone (resident set size, from ``getrusage``)."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_cost_in_child, args=(scale, seed, queue, profile))
    process.start()
    figures = queue.get()
    process.join()
    return figures


def _cost_in_child(scale: str, seed: int, queue, profile: Profile | None) -> None:
    people, organisations, truth = load_people(scale, seed, 1.0, profile)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu_started = time.perf_counter(), time.process_time()
    result = resolve_people(people, organisations)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    queue.put({
        **measure_quality(result.persons, truth),
        "scale": scale,
        "profile": profile.name if profile else "as generated",
        "merge_min_bits": result.parameters["merge_min_bits"],
        "n_records": len(people),
        "n_pairs_compared": len(result.pairs),
        "seconds": round(seconds, 1),
        # On a shared machine the wall clock waits for other jobs; CPU seconds do not.
        "cpu_seconds": round(cpu_seconds, 1),
        "peak_rss_mb": round(peak / 1024, 1),
        "peak_rss_growth_mb": round((peak - before) / 1024, 1),
    })


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="province scale only")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--splink", action="store_true", help="score Splink 5 beside stakemap on each profile")
    parser.add_argument("--skip-noise", action="store_true", help="leave out the noise curve")
    args = parser.parse_args(argv)

    results: dict = {"seed": args.seed}
    province = run_quality("province", args.seed, 1.0)
    results["province"] = province
    print(f"province, noise 1: precision {province['precision']:.3f}, recall {province['recall']:.3f}, "
          f"{province['n_records']} records, {province['n_review']} pairs for review")
    results["noise_curve"] = []
    for noise in () if args.skip_noise else NOISE_LEVELS:
        figures = run_quality("province", args.seed, noise)
        results["noise_curve"].append(figures)
        print(f"  noise {noise:.1f}: precision {figures['precision']:.3f}, recall {figures['recall']:.3f}, "
              f"review {figures['n_review']}")
    # Measured before the profiles: a child forked after --splink has started DuckDB's
    # threads died before it reported, and the benchmark waited for it.
    runs = [("province", None)] if args.quick else [("province", None), ("national", None),
                                                    ("national", next(p for p in PROFILES if p.name == "everything"))]
    results["cost"] = []
    for scale, profile in runs:
        cost = measure_cost(scale, args.seed, profile)
        results["cost"].append(cost)
        print(f"{scale} ({cost['profile']}): {cost['n_records']} records, {cost['n_pairs_compared']} pairs compared, "
              f"{cost['seconds']} s ({cost['cpu_seconds']} s CPU), peak {cost['peak_rss_mb']} MB (+{cost['peak_rss_growth_mb']} MB), "
              f"precision {cost['precision']:.3f}, recall {cost['recall']:.3f}")
    results["profiles"] = []
    for profile in PROFILES:
        figures = run_profile(profile, args.seed, args.splink)
        results["profiles"].append(figures)
        peer_text = "".join(
            f"; {label} precision {peer['precision']:.3f}, recall {peer['recall']:.3f}, F1 {peer['f1']:.3f}"
            for label, peer in (("Splink", figures.get("splink")),
                                ("Splink with organisations", figures.get("splink_with_organisations"))) if peer)
        print(f"  {profile.name}: precision {figures['precision']:.3f}, recall {figures['recall']:.3f}, "
              f"F1 {figures['f1']:.3f}, threshold {figures['merge_min_bits']} bits, review {figures['n_review']}, "
              f"pairs only a name decides: {figures['name_alone_pairs']['one_person']} one person, "
              f"{figures['name_alone_pairs']['two_people']} two people"
              f"{peer_text}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"written to {RESULTS}")
    return results


if __name__ == "__main__":
    main()
