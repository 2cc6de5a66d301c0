"""Match weights learned from the dataset in front of the tool (Fellegi–Sunter).

A pair's weight is the sum over comparisons of log2(m/u) for the level it reaches [1]_:
m is how often the level occurs when both records are one person, u how often when they
are not. Nothing here is fixed on the project's own sample; every run learns:

- **u from random pairs** of the dataset's records (a fixed-seed draw, so runs repeat):
  random pairs are almost all of different people, so their levels are u [3]_. The exact
  levels of names, phones and e-mails are rare among random pairs, so their u is computed
  from value frequencies instead (the chance that two random records agree, sum of p²).
- **m by expectation–maximisation** over the compared (blocked) pairs, as Winkler did for
  the 1985 census test [2]_ and Splink does [3]_: EM fits both classes of the compared
  pairs; their non-match class is not that of all pairs (blocking picked pairs whose names
  look alike), so its u is dropped and the random pairs' u kept [3]_. The comparisons are
  taken as independent given the match status (the Fellegi–Sunter assumption), which is
  why place is ONE hierarchical comparison (tambon within district within province): three
  place comparisons would count one agreement three times.
- **Term frequency** of first names and surnames [2]_ [3]_: agreeing on a name few people
  carry counts for more. u of an exact agreement on value v is the share of the *other*
  distinct names that carry v (a person on five rosters does not make their name common).
- **The merge threshold** from the posterior match probability [1]_: the prior odds that
  a random pair is one person are EM's estimate of the matches over all pairs, so a
  national dataset (where any name has more namesakes) asks for more bits than a province.

Small datasets carry little information, so every estimate is shrunk towards a prior
(:data:`analysis.resolve.people.COMPARISONS`, each number with its reason) with a few
pseudo-pairs (:data:`PRIOR_PAIRS`): a ten-line fixture is scored with the prior weights,
a province with what it shows.

References
----------
.. [1] Fellegi, I. P. & Sunter, A. B. (1969). A theory for record linkage. *JASA* 64(328),
   1183–1210.
.. [2] Winkler, W. E. (1988). Using the EM algorithm for weight computation in the
   Fellegi–Sunter model of record linkage. *Proc. Section on Survey Research Methods, ASA*,
   667–671; Winkler, W. E. (1990). String comparator metrics and enhanced decision rules in
   the Fellegi–Sunter model. *ibid.*, 354–359 (frequency-based weights).
.. [3] Linacre, R. et al. (2022). Splink: free software for probabilistic record linkage at
   scale. *International Journal of Population Data Science* 7(3) (u from random pairs,
   m by EM, term-frequency adjustment).
"""

import math
from dataclasses import dataclass

import numpy as np

#: Pseudo-pairs given to the prior of each m and u: below a few hundred informative pairs
#: the prior dominates, above a few thousand the data do.
PRIOR_PAIRS = 200.0
#: Pseudo-agreements given to the prior u of an exact agreement (names, phones, e-mails,
#: and each name value): the prior counts as 2 agreements in 2 / u pairs (or names), so a
#: ten-line table, where one person's two spellings are a fifth of the names, cannot make
#: a name or a phone look common, and a province of thousands of names speaks for itself.
PRIOR_AGREEMENTS = 2.0
#: Random pairs drawn for u. 200,000 pairs give a level with u = 0.001 about 200 times.
N_RANDOM_PAIRS = 200_000
#: EM iterations; the weights move by less than 0.01 bit after about 15 on the samples.
N_EM_ITERATIONS = 25
#: m and u are kept inside [FLOOR, 1 - FLOOR] so that no level is infinitely decisive.
FLOOR = 1e-6
#: Posterior probability of one person at which a pair is merged [1]_: 0.98, so that at
#: most about one merge in fifty made at the threshold is wrong, and far fewer above it
#: (on the profile sweep of benchmarks/bench_resolve.py, 0.99 kept a common first name
#: with a surname slip apart, 0.95 let planted namesakes through).
MERGE_PROBABILITY = 0.98
#: Bits needed to merge in a table too small to learn from (a few lines): the fixed
#: threshold this tool used before it learned weights. With the prior weights an exact
#: first name and surname give 20.3 bits (20.4 with agreeing titles), so a name alone never
#: merges two lines of a tiny table; one more agreement does: the same district (+2.3),
#: organisation (+3.9), tambon (+6.1), phone (+10.6) or e-mail (+13.1).
DEFAULT_MERGE_MIN = 21.0
#: The prior of the prior odds: matches expected per pair when the data say nothing, so
#: that the threshold of a tiny table is :data:`DEFAULT_MERGE_MIN`.
DEFAULT_PRIOR_ODDS = 2.0 ** (math.log2(MERGE_PROBABILITY / (1 - MERGE_PROBABILITY)) - DEFAULT_MERGE_MIN)
#: Pseudo-matches given to :data:`DEFAULT_PRIOR_ODDS`.
PRIOR_MATCHES = 1.0


@dataclass
class MatchWeights:
    """The weights one dataset taught.

    Attributes
    ----------
    m, u : comparison name -> array of m (u) per level, in the order of its prior levels.
    labels : comparison name -> level labels.
    learned : comparison names whose m and u were learned (the others keep their prior).
    name_u : ``"first name"`` / ``"surname"`` -> {value: u of an exact agreement on it}.
    match_share : EM's share of the compared pairs that are one person.
    merge_min : bits at or above which a pair is merged (from :data:`MERGE_PROBABILITY`).
    n_random_pairs, n_compared_pairs : how much data taught them.
    """

    m: dict
    u: dict
    labels: dict
    learned: tuple
    name_u: dict
    match_share: float
    merge_min: float
    n_random_pairs: int
    n_compared_pairs: int

    def level_weights(self, name: str) -> np.ndarray:
        """log2(m/u) of every level of a comparison, then 0.0 for "missing" (index -1)."""
        return np.append(np.log2(self.m[name] / self.u[name]), 0.0)

    def describe(self) -> dict:
        """m, u and weight of every level, rounded, for ``run.json``."""
        table = {}
        for name, labels in self.labels.items():
            weights = self.level_weights(name)
            table[name] = {
                label: {"m": _round(self.m[name][i]), "u": _round(self.u[name][i]), "bits": round(float(weights[i]), 2)}
                for i, label in enumerate(labels)
            }
        return {
            "levels": table,
            "learned": list(self.learned),
            "term_frequency": {name: {"n_values": len(values)} for name, values in self.name_u.items()},
            "match_share_of_compared_pairs": _round(self.match_share),
            "merge_probability": MERGE_PROBABILITY,
            "merge_min_bits": round(self.merge_min, 2),
            "n_random_pairs": self.n_random_pairs,
            "n_compared_pairs": self.n_compared_pairs,
        }


def _round(x: float) -> float:
    return float(f"{float(x):.4g}")


def draw_random_pairs(n: int, n_pairs: int = N_RANDOM_PAIRS, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of distinct record indices (a < b), drawn with a fixed seed; every pair when
    there are fewer than ``n_pairs``.

    Examples
    --------
    >>> a, b = draw_random_pairs(4)
    >>> list(zip(a.tolist(), b.tolist()))
    [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    """
    if n * (n - 1) // 2 <= n_pairs:
        a, b = np.triu_indices(n, 1)
        return a.astype(np.int64), b.astype(np.int64)
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, n, n_pairs), rng.integers(0, n, n_pairs)
    keep = a != b
    a, b = a[keep], b[keep]
    return np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)


def estimate_u(levels: dict, priors: dict, exact_u: dict) -> dict:
    """u of each level from the levels of random pairs, shrunk to the prior u.

    ``exact_u`` gives, for some comparisons, the u of their first level computed from value
    frequencies; the other levels then share what is left in the random pairs' proportions.
    """
    u = {}
    for name, prior in priors.items():
        level = levels[name]
        known = level[level >= 0]
        counts = np.bincount(known, minlength=len(prior)).astype(float)
        estimate = (counts + PRIOR_PAIRS * prior) / (len(known) + PRIOR_PAIRS)
        if name in exact_u:
            rest = estimate[1:] / estimate[1:].sum()
            estimate = np.concatenate([[exact_u[name]], (1 - exact_u[name]) * rest])
        u[name] = np.clip(estimate, FLOOR, 1 - FLOOR)
    return u


def compute_agreement_share(values) -> tuple[float, int]:
    """The chance that two random non-empty values are equal (sum of p² over values), shrunk
    to nothing when few values are known; and how many were known.

    Examples
    --------
    >>> compute_agreement_share(["a", "a", "b", "b", ""])
    (0.5, 4)
    """
    values = [v for v in values if v]
    if not values:
        return 0.0, 0
    _, counts = np.unique(np.array(values, dtype=object).astype(str), return_counts=True)
    p = counts / counts.sum()
    return float((p * p).sum()), len(values)


def estimate_name_u(first: list, last: list, prior_first: float, prior_last: float) -> dict:
    """u of an exact agreement on each first name and surname (term frequency [2]_ [3]_).

    Counted over the distinct full names: for a value carried by k of N distinct names, the
    chance that a random other name carries it is (k - 1) / (N - 1), shrunk to the prior
    u with :data:`PRIOR_AGREEMENTS`. Never below half of one in all the names counted:
    a value seen once says only that it is rarer than one in N.

    Examples
    --------
    >>> u = estimate_name_u(["a", "a", "b"], ["x", "y", "x"], 0.01, 0.01)
    >>> u["surname"]["x"] > u["surname"]["y"]
    True
    """
    names = list({(f, s) for f, s in zip(first, last) if f and s})  # counted, so in any order
    out = {}
    for label, index, prior in (("first name", 0, prior_first), ("surname", 1, prior_last)):
        values, counts = np.unique(np.array([n[index] for n in names] or [""], dtype=object).astype(str),
                                   return_counts=True)
        n = max(len(names) - 1, 0) + PRIOR_AGREEMENTS / prior
        u = np.maximum((counts - 1 + PRIOR_AGREEMENTS) / n, 1 / (2 * n))
        out[label] = dict(zip(values.tolist(), np.clip(u, FLOOR, 1 - FLOOR).tolist()))
    return out


def estimate_m(levels: dict, u: dict, priors: dict, learned: tuple, caps: dict | None = None) -> tuple[dict, float]:
    """m of every level by EM over the compared pairs [2]_.

    EM fits m, the u of the compared pairs (starting from ``u``, the random pairs' u) and
    the share of matches; only m and the share are returned (see the module docstring).
    Pairs are grouped by their pattern of levels (a few hundred patterns for millions of
    pairs), so each iteration costs the patterns, not the pairs. Each m is shrunk to its
    prior with :data:`PRIOR_PAIRS` pseudo-pairs. Only the comparisons in ``learned`` are
    re-estimated; the others keep their prior m.

    EM fits whatever splits the pairs best into two classes, and pairs blocked on names
    may split best on a name itself (same first name or not) rather than on being one
    person. ``caps`` (comparison -> {level: most m}) keeps the latent class one of persons:
    one person's own records rarely disagree outright on a name.

    Returns
    -------
    m : comparison -> array of m per level.
    match_share : the share of the compared pairs that are one person.
    """
    names = list(priors)
    if not len(levels[names[0]]):
        return {name: priors[name].copy() for name in names}, 0.0
    # Levels packed 4 bits each into one integer: a 1-d unique is far faster than rows'.
    packed = np.zeros(len(levels[names[0]]), dtype=np.int64)
    for name in names:
        packed = (packed << 4) | (levels[name].astype(np.int64) + 1)
    codes, counts = np.unique(packed, return_counts=True)
    shifts = 4 * np.arange(len(names) - 1, -1, -1)
    patterns = ((codes[:, None] >> shifts) & 15) - 1
    m = {name: priors[name].copy() for name in names}
    u_blocked = {name: u[name].copy() for name in names}
    share = 0.5
    for _ in range(N_EM_ITERATIONS):
        log_bf = np.zeros(len(patterns))
        for j, name in enumerate(names):
            w = np.append(np.log(m[name] / u_blocked[name]), 0.0)
            log_bf += w[patterns[:, j]]
        prior_logit = math.log(share / (1 - share))
        p = 1 / (1 + np.exp(-np.clip(log_bf + prior_logit, -700, 700)))
        share = float(np.clip((p * counts).sum() / counts.sum(), FLOOR, 1 - FLOOR))
        for j, name in enumerate(names):
            if name not in learned:
                continue
            column = patterns[:, j]
            known = column >= 0
            for target, weight, prior in ((m, p * counts, priors[name]), (u_blocked, (1 - p) * counts, u[name])):
                sums = np.bincount(column[known], weights=weight[known], minlength=len(prior))
                estimate = (sums + PRIOR_PAIRS * prior) / (sums.sum() + PRIOR_PAIRS)
                target[name] = np.clip(estimate, FLOOR, 1 - FLOOR)
            for level, cap in (caps or {}).get(name, {}).items():
                if m[name][level] > cap:  # the excess goes to the other levels, in proportion
                    rest = np.delete(np.arange(len(m[name])), level)
                    m[name][rest] *= (1 - cap) / m[name][rest].sum()
                    m[name][level] = cap
    return m, share


def remove_matches_from_u(u: dict, m: dict, match_share: float, n_compared: int, n_records: int,
                          names: tuple) -> dict:
    """u without the share of random pairs that are one person.

    Random pairs are a mixture: a few are one person (EM's matches over all pairs, λ). For a
    level as rare as "surname one slip apart" they are half of the pairs that reach it, so
    u = (u_random - λ m) / (1 - λ), kept at least a tenth of u_random.

    Examples
    --------
    >>> remove_matches_from_u({"x": np.array([0.5])}, {"x": np.array([0.5])}, 0.0, 0, 10, ("x",))["x"].tolist()
    [0.5]
    """
    share = estimate_prior_match(match_share, n_compared, n_records)
    out = dict(u)
    for name in names:
        out[name] = np.clip(np.maximum((u[name] - share * m[name]) / (1 - share), u[name] / 10), FLOOR, 1 - FLOOR)
    return out


def compute_merge_min(match_share: float, n_compared: int, n_records: int) -> float:
    """Bits needed for a posterior probability of :data:`MERGE_PROBABILITY` [1]_.

    The prior odds are EM's matches over all pairs of records, shrunk towards
    :data:`DEFAULT_PRIOR_ODDS` with :data:`PRIOR_MATCHES` pseudo-matches.

    Examples
    --------
    >>> round(compute_merge_min(0.0, 0, 3), 1)
    21.0
    """
    odds = estimate_prior_match(match_share, n_compared, n_records)
    return math.log2(MERGE_PROBABILITY / (1 - MERGE_PROBABILITY)) - math.log2(odds)


def estimate_prior_match(match_share: float, n_compared: int, n_records: int) -> float:
    """The chance that a random pair of records is one person (as odds; they are tiny):
    EM's matches over all pairs, shrunk towards :data:`DEFAULT_PRIOR_ODDS` with
    :data:`PRIOR_MATCHES` pseudo-matches.

    Examples
    --------
    >>> estimate_prior_match(0.0, 0, 3) == 1 / (3 + 1 / DEFAULT_PRIOR_ODDS)
    True
    """
    n_pairs = n_records * (n_records - 1) / 2
    return (match_share * n_compared + PRIOR_MATCHES) / (n_pairs + PRIOR_MATCHES / DEFAULT_PRIOR_ODDS)
