"""Burt's structural-hole measures for weighted undirected graphs: constraint and effective size.

Both measures look at how a node's contacts are tied to each other. A node whose contacts
do not know one another spans *structural holes*: it has many non-redundant contacts (large
effective size) and few of its ties are locked in by its other ties (low constraint).

The formulas (Burt 1992, ch. 2; Borgatti 1997) are computed with scipy sparse matrices, so a
60,000-node network fits in memory. networkx's ``effective_size`` is not used: in networkx
3.5/3.6 it is wrong on weighted graphs and builds a dense n × n matrix (FIELD_NOTES.md).

For an undirected graph with edge weights ``w`` (no self-loops), node ``i`` with neighbours
``N(i)``:

- proportional tie strength ``p_ij = w_ij / sum_k w_ik``;
- marginal tie strength ``m_jq = w_jq / max_k w_jk`` (``j``'s tie to ``q`` relative to
  ``j``'s strongest tie);
- constraint ``C_i = sum_{j in N(i)} (p_ij + sum_{q != i, j} p_iq p_qj) ** 2``;
- effective size ``E_i = sum_{j in N(i)} (1 - sum_{q != i, j} p_iq m_jq)``.

On an unweighted graph ``E_i = n - 2t / n`` with ``n = |N(i)|`` and ``t`` the ties among
the neighbours (Borgatti 1997).

Isolated nodes have no contacts: their constraint is undefined (NaN, as in networkx) and
their effective size is 0 (no non-redundant contacts; networkx returns NaN here, but a count
of contacts is 0, and a table column then stays numeric for sorting).

References
----------
Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Harvard
University Press.
Borgatti, S. P. (1997). Structural holes: Unpacking Burt's redundancy measures.
*Connections* 20(1), 35–38.
"""

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

#: Most terms a block of a masked sparse product forms at once. 5 million terms with their
#: indices take ~200 MB: the measures stay within a laptop's memory whatever the network.
MAX_BLOCK_NONZEROS = 5_000_000


def list_ties(G: nx.Graph, nodes: list, keys: tuple[str, ...] = ()) -> tuple[np.ndarray, list[list]]:
    """Positions (in ``nodes``) of the two ends of every tie of ``G``, in its edge order,
    self-loops left out, as an (m, 2) array, and the ties' values of each attribute in
    ``keys`` (None when absent): one pass over the edges, for the matrices and counts by tie.

    Examples
    --------
    >>> ends, (ids,) = list_ties(nx.Graph([("a", "b", {"ids": "p1"}), ("b", "c", {})]), ["a", "b", "c"], ("ids",))
    >>> ends.tolist(), ids
    ([[0, 1], [1, 2]], ['p1', None])
    """
    position = {node: i for i, node in enumerate(nodes)}
    edges = [(u, v, data) for u, v, data in G.edges(data=True) if u != v]
    ends = np.empty((len(edges), 2), dtype=np.int64)
    ends[:, 0] = np.fromiter((position[u] for u, _, _ in edges), dtype=np.int64, count=len(edges))
    ends[:, 1] = np.fromiter((position[v] for _, v, _ in edges), dtype=np.int64, count=len(edges))
    return ends, [[data.get(key) for _, _, data in edges] for key in keys]


def build_weight_matrix(G: nx.Graph, weight: str | None = "weight") -> tuple[list, sp.csr_array]:
    """Return the node order and the symmetric sparse weight matrix of ``G``, without self-loops.

    Edges without the ``weight`` attribute (or ``weight=None``) count as 1. The matrix is
    in canonical form (sorted indices, no explicit zeros), as networkx's
    ``to_scipy_sparse_array`` gives it, built from one pass over the edges
    (:func:`list_ties`).

    Examples
    --------
    >>> G = nx.Graph([("a", "b", {"weight": 2}), ("b", "c", {})])
    >>> nodes, W = build_weight_matrix(G)
    >>> nodes, W.toarray().tolist()
    (['a', 'b', 'c'], [[0.0, 2.0, 0.0], [2.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    """
    nodes = list(G)
    ends, values = list_ties(G, nodes, () if weight is None else (weight,))
    return nodes, make_weight_matrix(ends, values[0] if values else None, len(nodes))


def make_weight_matrix(ends: np.ndarray, weights: list | None, n_nodes: int) -> sp.csr_array:
    """The symmetric weight matrix of ties ``ends`` (:func:`list_ties`) with ``weights``
    (None, or a weight None: 1), canonical: sorted indices, parallel ties summed, no zeros.

    Examples
    --------
    >>> make_weight_matrix(np.array([[0, 1], [2, 1]]), [2, None], 3).toarray().tolist()
    [[0.0, 2.0, 0.0], [2.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    values = np.ones(len(ends)) if weights is None else np.array(
        [1.0 if weight is None else weight for weight in weights], dtype=float).reshape(-1)
    W = sp.coo_array((np.concatenate([values, values]),
                      (np.concatenate([ends[:, 0], ends[:, 1]]), np.concatenate([ends[:, 1], ends[:, 0]]))),
                     shape=(n_nodes, n_nodes)).tocsr()
    W.sum_duplicates()
    W.eliminate_zeros()
    return sp.csr_array(W)


def compute_masked_product(X: sp.csr_array, Y: sp.csr_array, mask: sp.csr_array) -> sp.csr_array:
    """Return ``(X @ Y)`` kept only where ``mask`` is non-zero, computed at those entries only.

    The full product can be far denser than the mask: a hub's row of ``X @ Y`` reaches every
    node two steps away (on the national network ``P @ P`` has 185 million entries, its part
    on the ties half a million). So only the terms ``X_ik Y_kj`` of a mask entry ``(i, j)``
    are formed (for a graph's matrices: the triangles through a tie), each entry's ``k``
    taken from the shorter of row ``i`` of ``X`` and column ``j`` of ``Y``, in blocks of
    about :data:`MAX_BLOCK_NONZEROS` terms. An entry's terms are added one by one in the
    order row ``i`` of ``X`` stores them, the order of scipy's own product, so the values are
    those of ``(X @ Y)`` to the last bit. ``X`` and ``Y`` must hold each entry once.

    Examples
    --------
    >>> X = sp.csr_array(np.array([[0.0, 1.0], [1.0, 0.0]]))
    >>> compute_masked_product(X, X, sp.csr_array(np.eye(2))).toarray().tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    X, Y, mask = sp.csr_array(X), sp.csr_array(Y), sp.csr_array(mask)
    rows = np.repeat(np.arange(mask.shape[0]), np.diff(mask.indptr))
    is_entry = mask.data != 0
    rows, cols = rows[is_entry], mask.indices[is_entry]
    Y_by_column = sp.csc_array(Y)
    row_lengths, column_lengths = np.diff(X.indptr), np.diff(Y_by_column.indptr)
    x_keys = _Keys(X)
    y_keys = _Keys(Y)
    cost = np.minimum(row_lengths[rows], column_lengths[cols])
    block = (np.cumsum(cost) - 1) // MAX_BLOCK_NONZEROS
    values = np.zeros(len(rows))
    for part in np.split(np.arange(len(rows)), np.flatnonzero(np.diff(block)) + 1):
        i, j = rows[part], cols[part]
        by_row = row_lengths[i] <= column_lengths[j]
        # k along row i of X, looked up in Y ...
        entry_a, p = expand_ranges(X.indptr[i[by_row]], row_lengths[i[by_row]])
        q, found = y_keys.find(X.indices[p], j[by_row][entry_a])
        entry_a, p, q = np.flatnonzero(by_row)[entry_a[found]], p[found], q[found]
        # ... or k down column j of Y, looked up in X.
        entry_b, s = expand_ranges(Y_by_column.indptr[j[~by_row]], column_lengths[j[~by_row]])
        p_b, found = x_keys.find(i[~by_row][entry_b], Y_by_column.indices[s])
        entry = np.concatenate([entry_a, np.flatnonzero(~by_row)[entry_b[found]]])
        p = np.concatenate([p, p_b[found]])
        terms = X.data[p] * np.concatenate([Y.data[q], Y_by_column.data[s[found]]])
        order = np.argsort(p, kind="stable")  # row i of X in stored order, as scipy adds them
        values[part] = np.bincount(entry[order], weights=terms[order], minlength=len(part))
    kept = values != 0  # scipy's product stores no zero sums
    return sp.csr_array((values[kept], (rows[kept], cols[kept])), shape=mask.shape)


def list_triangles(A: sp.csr_array) -> np.ndarray:
    """Every triangle of a symmetric adjacency matrix without self-loops, once, as a row
    ``(u, v, w)`` of node positions.

    The "forward" listing (Schank & Wagner 2005; Latapy 2008): each tie is directed from
    the lower-ranked end to the higher (rank: degree, then position), and a triangle is
    found once, from its two lower corners ``u → v``, as a ``w`` after ``v`` tied to ``u``
    too. Ranking by degree keeps every node's ties forward few, so the candidates stay
    near the number of ties times their square root; they are looked at in blocks of
    about :data:`MAX_BLOCK_NONZEROS`.

    Examples
    --------
    >>> A = sp.csr_array(np.array([[0, 1, 1, 0], [1, 0, 1, 1], [1, 1, 0, 1], [0, 1, 1, 0]]))
    >>> sorted(sorted(t) for t in list_triangles(A).tolist())  # two triangles on the edge 1–2
    [[0, 1, 2], [1, 2, 3]]

    References
    ----------
    Schank, T., & Wagner, D. (2005). Finding, counting and listing all triangles in large
    graphs, an experimental study. *WEA 2005*, LNCS 3503.
    Latapy, M. (2008). Main-memory triangle computations for very large (sparse
    (power-law)) graphs. *Theoretical Computer Science* 407.
    """
    n = A.shape[0]
    A = sp.csr_array(A)
    degree = np.diff(A.indptr)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), degree))] = np.arange(n)
    rows = np.repeat(np.arange(n), degree)
    forward = rank[rows] < rank[A.indices]
    U = sp.csr_array((np.ones(int(forward.sum())), (rows[forward], A.indices[forward])), shape=(n, n))
    keys = _Keys(U)
    u, v = np.repeat(np.arange(n), np.diff(U.indptr)), U.indices
    lengths = np.diff(U.indptr)[v]
    block = (np.cumsum(lengths) - 1) // MAX_BLOCK_NONZEROS
    found_parts = []
    for part in np.split(np.arange(len(v)), np.flatnonzero(np.diff(block)) + 1):
        tie, position = expand_ranges(U.indptr[v[part]], lengths[part])
        w = U.indices[position]
        _, found = keys.find(u[part][tie], w)
        found_parts.append(np.column_stack([u[part][tie][found], v[part][tie][found], w[found]]))
    return np.concatenate(found_parts).astype(np.int64) if found_parts else np.zeros((0, 3), dtype=np.int64)


def expand_ranges(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges ``starts[e] .. starts[e] + lengths[e] - 1``: (e, position) of every position.

    Examples
    --------
    >>> owner, position = expand_ranges(np.array([5, 0, 2]), np.array([2, 0, 3]))
    >>> owner.tolist(), position.tolist()
    ([0, 0, 2, 2, 2], [5, 6, 2, 3, 4])
    """
    owner = np.repeat(np.arange(len(starts)), lengths)
    offsets = np.arange(owner.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return owner, np.repeat(starts, lengths).astype(np.int64) + offsets


class _Keys:
    """The stored entries of a CSR matrix, found by (row, column)."""

    def __init__(self, A: sp.csr_array):
        self.n_columns = A.shape[1]
        keys = np.repeat(np.arange(A.shape[0], dtype=np.int64), np.diff(A.indptr)) * self.n_columns + A.indices
        self.order = np.argsort(keys, kind="stable")
        self.keys = keys[self.order]

    def find(self, rows: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(storage positions, found) of the entries (rows, columns); positions are 0 where not found."""
        wanted = rows.astype(np.int64) * self.n_columns + columns
        if self.keys.size == 0:
            return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
        at = np.minimum(np.searchsorted(self.keys, wanted), self.keys.size - 1)
        found = self.keys[at] == wanted
        return np.where(found, self.order[at], 0), found


def compute_proportional_strength(W: sp.csr_array) -> sp.csr_array:
    """Return ``P`` with ``p_ij = w_ij / sum_k w_ik`` (Burt 1992, eq. 2.1); rows of isolates stay 0."""
    strength = np.asarray(W.sum(axis=1)).ravel()
    inverse = np.divide(1.0, strength, out=np.zeros_like(strength), where=strength > 0)
    return sp.csr_array(sp.diags_array(inverse) @ W)


def compute_constraint(G: nx.Graph, weight: str | None = "weight") -> pd.Series:
    """Burt's constraint of every node of an undirected graph (Burt 1992, eq. 2.4).

    Parameters
    ----------
    G : undirected graph.
    weight : edge attribute holding the tie strength; ``None`` for all ties equal.

    Returns
    -------
    pd.Series indexed by node (in ``G``'s order); NaN for isolated nodes.

    Examples
    --------
    A star: each leaf depends entirely on the centre (constraint 1); the centre's three
    contacts each get a third of its ties and are not tied to each other: 3 × (1/3)² = 1/3.

    >>> compute_constraint(nx.star_graph(3)).round(4).tolist()
    [0.3333, 1.0, 1.0, 1.0]
    """
    nodes, W = build_weight_matrix(G, weight)
    return pd.Series(compute_constraint_array(W), index=nodes, name="constraint")


def compute_constraint_array(W: sp.csr_array) -> np.ndarray:
    """Constraint from a symmetric weight matrix without self-loops (see :func:`compute_constraint`)."""
    P = compute_proportional_strength(W)
    # (P @ P)_ij sums p_iq p_qj over all q; q = i and q = j add nothing (no self-loops).
    direct_and_indirect = P + compute_masked_product(P, P, P)
    values = np.asarray(direct_and_indirect.multiply(direct_and_indirect).sum(axis=1)).ravel()
    values[np.diff(W.indptr) == 0] = np.nan
    return values


def compute_effective_size(G: nx.Graph, weight: str | None = "weight") -> pd.Series:
    """Burt's effective size of every node of an undirected graph (Burt 1992, p. 52).

    ``E_i = sum_{j in N(i)} (1 - sum_{q != i, j} p_iq m_jq)``: the number of contacts minus
    their redundancy, where ``j``'s redundancy is how much of ``i``'s investment (``p_iq``)
    goes to contacts ``q`` that ``j`` is also tied to (weighted by ``m_jq``).

    Parameters
    ----------
    G : undirected graph.
    weight : edge attribute holding the tie strength; ``None`` for all ties equal.

    Returns
    -------
    pd.Series indexed by node (in ``G``'s order); 0 for isolated nodes.

    Examples
    --------
    A triangle with a pendant: node 0 has contacts 1, 2, 3, and 1–2 are tied.
    Borgatti's shortcut ``n - 2t/n = 3 - 2/3``.

    >>> G = nx.Graph([(0, 1), (0, 2), (1, 2), (0, 3)])
    >>> float(round(compute_effective_size(G)[0], 4))
    2.3333
    """
    nodes, W = build_weight_matrix(G, weight)
    return pd.Series(compute_effective_size_array(W), index=nodes, name="effective_size")


def compute_effective_size_array(W: sp.csr_array) -> np.ndarray:
    """Effective size from a symmetric weight matrix without self-loops (see :func:`compute_effective_size`)."""
    if W.shape[0] == 0:  # sparse max() refuses an empty matrix
        return np.zeros(0)
    P = compute_proportional_strength(W)
    row_max = W.max(axis=1).toarray().ravel()
    inverse_max = np.divide(1.0, row_max, out=np.zeros_like(row_max), where=row_max > 0)
    M = sp.csr_array(sp.diags_array(inverse_max) @ W)
    # sum_{j in N(i)} sum_q p_iq m_jq = sum_q p_iq (A M)_iq with A the 0/1 adjacency; only
    # q in N(i) matter, so the product is needed on the edges only. m_jq with q = i or j
    # vanishes or meets p_ii = 0.
    A = sp.csr_array(W.astype(bool).astype(float))
    reach = compute_masked_product(A, M, W)
    redundancy = np.asarray(P.multiply(reach).sum(axis=1)).ravel()
    return np.diff(W.indptr).astype(float) - redundancy
