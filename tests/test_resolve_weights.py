"""Match weights learned from a dataset (analysis.resolve.weights).

Expected numbers are worked by hand from the formulas in each docstring.
"""

import math

import numpy as np

from analysis.resolve.weights import (
    MERGE_PROBABILITY,
    compute_agreement_share,
    compute_merge_min,
    draw_random_pairs,
    estimate_m,
    estimate_name_u,
)


def test_random_pairs_are_every_pair_of_a_small_table_and_repeat_for_a_large_one():
    a, b = draw_random_pairs(5)
    assert len(a) == 10 and (a < b).all()
    first, second = draw_random_pairs(10_000, n_pairs=1000), draw_random_pairs(10_000, n_pairs=1000)
    assert (first[0] == second[0]).all() and (first[0] < first[1]).all()


def test_agreement_share_is_the_sum_of_squared_shares():
    # a, a, b: p = 2/3, 1/3 -> 4/9 + 1/9 = 5/9
    share, n = compute_agreement_share(["a", "a", "b", ""])
    assert math.isclose(share, 5 / 9) and n == 3


def test_a_rare_surname_counts_for_more_than_a_common_one():
    # ใจดี is carried by 3 of 4 distinct names, กองคำ by 1. With the prior u 0.01 worth 2
    # agreements in 2 / 0.01 = 200 names: u = (k - 1 + 2) / (4 - 1 + 200).
    first = ["สมชาย", "สมศรี", "บุญมา", "สำราญ"]
    last = ["ใจดี", "ใจดี", "ใจดี", "กองคำ"]
    u = estimate_name_u(first, last, 0.01, 0.01)["surname"]
    assert math.isclose(u["ใจดี"], 4 / 203) and math.isclose(u["กองคำ"], 2 / 203)


def test_em_finds_the_match_share_of_two_clean_classes():
    # 100 pairs agree on both comparisons (matches), 300 disagree on both: EM finds 1/4.
    levels = {"x": np.array([0] * 100 + [1] * 300), "y": np.array([0] * 100 + [1] * 300)}
    priors = {"x": np.array([0.9, 0.1]), "y": np.array([0.9, 0.1])}
    u = {"x": np.array([0.1, 0.9]), "y": np.array([0.1, 0.9])}
    m, share = estimate_m(levels, u, priors, ("x", "y"))
    assert abs(share - 0.25) < 0.01
    assert m["x"][0] > 0.9


def test_caps_keep_the_latent_class_one_of_persons():
    # All pairs disagree on x: unconstrained EM would set m(x differ) near 1; capped at 0.1.
    levels = {"x": np.array([1] * 200), "y": np.array([0] * 100 + [1] * 100)}
    priors = {"x": np.array([0.9, 0.1]), "y": np.array([0.9, 0.1])}
    u = {"x": np.array([0.1, 0.9]), "y": np.array([0.1, 0.9])}
    m, _ = estimate_m(levels, u, priors, ("x", "y"), caps={"x": {1: 0.1}})
    assert math.isclose(m["x"][1], 0.1) and math.isclose(m["x"].sum(), 1.0)


def test_the_threshold_rises_with_the_number_of_pairs():
    # A tiny table: the prior threshold (21 bits). One match per 1,000 pairs: about
    # log2(0.98/0.02) + log2(1000) = 5.6 + 10.0 = 15.6 bits.
    assert abs(compute_merge_min(0.0, 0, 3) - 21.0) < 0.01
    logit = math.log2(MERGE_PROBABILITY / (1 - MERGE_PROBABILITY))
    n = 100_000
    pairs = n * (n - 1) / 2
    assert abs(compute_merge_min(0.5, int(pairs / 500), n) - (logit + math.log2(1000))) < 0.1
