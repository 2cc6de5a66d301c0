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
``b``, listed once for all nodes and split by the groups of their other two corners).

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

from analysis.structural_holes import build_weight_matrix, list_triangles

ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")


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

    # Tied pairs {x, y} among b's neighbours, by the groups of the two ends: the triangles
    # (b, x, y), listed once and counted at each of their three corners.
    triangles = list_triangles(A)
    corner, x, y = (triangles[:, columns].T.reshape(-1) for columns in ([0, 1, 2], [1, 0, 0], [2, 2, 1]))
    x_own, y_own = codes[x] == codes[corner], codes[y] == codes[corner]

    def count(is_counted: np.ndarray) -> np.ndarray:
        return np.bincount(corner, weights=is_counted.astype(float), minlength=n)

    same_own = count(x_own & y_own)  # both ends in b's group
    same_all = count(codes[x] == codes[y])  # both ends in one group
    cross_own = count(x_own != y_own)  # exactly one end in b's group
    cross_all = count(codes[x] != codes[y])  # ends in different groups

    sum_sq_other = (by_group**2).sum(axis=1) - n_own**2
    counts = {
        "coordinator": n_own * (n_own - 1) - 2 * same_own,
        "gatekeeper": n_own * n_other - cross_own,
        "representative": n_own * n_other - cross_own,
        "consultant": sum_sq_other - n_other - 2 * (same_all - same_own),
        "liaison": n_other**2 - sum_sq_other - 2 * (cross_all - cross_own),
    }
    return {role: np.rint(counts[role]).astype(int) for role in ROLES}
