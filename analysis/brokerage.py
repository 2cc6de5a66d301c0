"""Gould & Fernandez (1989) brokerage roles of every node, given a group attribute.

A node ``b`` brokers between ``a`` and ``c`` when ``a–b`` and ``b–c`` are ties and ``a–c``
is not. The groups of ``a``, ``b`` and ``c`` name the role:

============== ========================= =====================================
role           groups                    here, for example
============== ========================= =====================================
coordinator    a = b = c                 a community group linking two others
gatekeeper     a ≠ b, b = c              an agency office letting a fund in
representative a = b, b ≠ c              a council speaking for its tambon
consultant     a = c, b ≠ a              an NGO between two villages' groups
liaison        a, b, c all different     a university between an agency and a fund
============== ========================= =====================================

The original is defined for directed ties. For an undirected graph each tie is taken as two
directed ties and ordered pairs ``(a, c)`` are counted, as R's ``sna::brokerage`` does on
symmetric data. So every unordered pair ``{a, c}`` counts twice: coordinator, consultant and
liaison counts are twice the number of unordered pairs, and gatekeeper and representative
counts are always equal (each unordered pair with exactly one end in ``b``'s group counts
once as each).

The counts come from sparse matrices, not from walking paths: for node ``b``, the ordered
pairs of its neighbours by group, minus the pairs that are tied (the triangles through
``b``, split by the groups of their other two corners).

References
----------
Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: A formal approach to
brokerage in transaction networks. *Sociological Methodology* 19, 89–126.
Butts, C. T. (2008). Social network analysis with sna. *Journal of Statistical Software*
24(6) (``brokerage``).
"""

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.structural_holes import build_weight_matrix, compute_masked_product

ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")


def compute_triangle_counts(X: sp.csr_array, Y: sp.csr_array, Z: sp.csr_array) -> np.ndarray:
    """Return ``diag(X @ Y @ Z)``: for each ``b``, the sum over ``x, y`` of ``X_bx Y_xy Z_yb``."""
    return np.asarray(compute_masked_product(X, Y, Z.T.tocsr()).sum(axis=1)).ravel()


def compute_brokerage(G: nx.Graph, group: str) -> pd.DataFrame:
    """Count the five Gould–Fernandez brokerage roles of every node of an undirected graph.

    Parameters
    ----------
    G : undirected graph; self-loops are ignored.
    group : node attribute naming each node's group. A node without it is in group ``None``.

    Returns
    -------
    pd.DataFrame indexed by node (in ``G``'s order) with integer columns :data:`ROLES`
    (ordered pairs ``(a, c)``, see the module notes).

    Examples
    --------
    A path a–b–c: b brokers the pair both ways.

    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "y", "c": "x"}, "sector")
    >>> compute_brokerage(G, "sector").loc["b"].to_dict()
    {'coordinator': 0, 'gatekeeper': 0, 'representative': 0, 'consultant': 2, 'liaison': 0}
    """
    nodes, W = build_weight_matrix(G, weight=None)
    groups = [G.nodes[v].get(group) for v in nodes]
    counts = compute_brokerage_array(W, groups)
    return pd.DataFrame(counts, index=nodes, columns=list(ROLES))


def compute_brokerage_array(W: sp.csr_array, groups: list) -> dict[str, np.ndarray]:
    """Role counts from a symmetric matrix without self-loops and each node's group.

    See :func:`compute_brokerage`; returns role -> integer array in the matrix's node order.
    """
    n = W.shape[0]
    if n == 0:
        return {role: np.zeros(0, dtype=int) for role in ROLES}
    A = sp.csr_array(W.astype(bool).astype(float))
    codes, _ = pd.factorize(pd.Series(groups, dtype=object), use_na_sentinel=False)
    n_groups = int(codes.max()) + 1
    membership = sp.csr_array((np.ones(n), (np.arange(n), codes)), shape=(n, n_groups))

    # Neighbours of each node by group, and those in the node's own group.
    by_group = (A @ membership).toarray()
    n_own = by_group[np.arange(n), codes]
    degree = by_group.sum(axis=1)
    n_other = degree - n_own

    # Ties between nodes of one group (S) and of different groups (D).
    rows, cols = A.nonzero()
    same = codes[rows] == codes[cols]
    S = sp.csr_array((np.ones(same.sum()), (rows[same], cols[same])), shape=(n, n))
    D = sp.csr_array((np.ones((~same).sum()), (rows[~same], cols[~same])), shape=(n, n))

    # Tied pairs among b's neighbours (each tie once), by the groups of the two ends.
    same_own = compute_triangle_counts(S, S, S) / 2  # both ends in b's group
    same_all = compute_triangle_counts(A, S, A) / 2  # both ends in one group
    cross_own = compute_triangle_counts(S, D, A)  # one end in b's group (that end first)
    cross_all = compute_triangle_counts(A, D, A) / 2  # ends in different groups

    sum_sq_other = (by_group**2).sum(axis=1) - n_own**2
    counts = {
        "coordinator": n_own * (n_own - 1) - 2 * same_own,
        "gatekeeper": n_own * n_other - cross_own,
        "representative": n_own * n_other - cross_own,
        "consultant": sum_sq_other - n_other - 2 * (same_all - same_own),
        "liaison": n_other**2 - sum_sq_other - 2 * (cross_all - cross_own),
    }
    return {role: np.rint(counts[role]).astype(int) for role in ROLES}
