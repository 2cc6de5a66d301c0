"""Burt's constraint and effective size (analysis/structural_holes.py).

Expected values come from Borgatti (1997), from UCINET and igraph (as recorded in networkx's
own test suite, networkx/algorithms/tests/test_structuralholes.py), or are worked out by hand
below. Effective size is never compared with ``nx.effective_size``: that function is wrong on
weighted graphs in networkx 3.5/3.6 (FIELD_NOTES.md).
"""

import itertools
import math

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from analysis import structural_holes
from analysis.structural_holes import compute_constraint, compute_effective_size

# Borgatti (1997), "Structural holes: unpacking Burt's redundancy measures", Connections 20(1),
# figure 1 (http://www.analytictech.com/connections/v20(1)/holes.htm), with the weights that
# networkx's tests give it.
BORGATTI_WEIGHTS = {
    ("A", "B"): 2, ("A", "F"): 3, ("A", "G"): 5, ("A", "E"): 2, ("E", "G"): 8,
    ("F", "G"): 3, ("B", "G"): 4, ("B", "D"): 1, ("D", "G"): 3, ("G", "C"): 10,
}


@pytest.fixture
def borgatti():
    G = nx.Graph()
    G.add_edges_from((u, v, {"weight": w}) for (u, v), w in BORGATTI_WEIGHTS.items())
    return G


def reference_effective_size(G, node, weight="weight"):
    """Burt's formula term by term, as written in Burt (1992, p. 52), for small graphs."""
    def w(u, v):
        return G[u][v].get(weight, 1) if G.has_edge(u, v) else 0

    def p(u, v):
        return w(u, v) / sum(w(u, x) for x in G[u])

    def m(u, v):
        return w(u, v) / max(w(u, x) for x in G[u])

    return sum(1 - sum(p(node, q) * m(j, q) for q in G[node] if q not in (node, j)) for j in G[node])


def test_unweighted_values_match_borgatti_and_ucinet(borgatti):
    # Effective size: Borgatti (1997) table 1 (G 4.67, A 2.50, C 1); constraint: UCINET.
    constraint = compute_constraint(borgatti, weight=None)
    size = compute_effective_size(borgatti, weight=None)
    assert constraint["G"] == pytest.approx(0.400, abs=1e-3)
    assert constraint["A"] == pytest.approx(0.595, abs=1e-3)
    assert constraint["C"] == pytest.approx(1.0)
    assert size["G"] == pytest.approx(4.67, abs=1e-2)
    assert size["A"] == pytest.approx(2.50, abs=1e-2)
    assert size["C"] == pytest.approx(1.0)


def test_weighted_values_match_ucinet_and_igraph(borgatti):
    constraint = compute_constraint(borgatti)
    size = compute_effective_size(borgatti)
    assert constraint["G"] == pytest.approx(0.299, abs=1e-3)
    assert constraint["A"] == pytest.approx(0.795, abs=1e-3)
    assert size["G"] == pytest.approx(5.47, abs=1e-2)
    assert size["A"] == pytest.approx(2.47, abs=1e-2)
    assert size["C"] == pytest.approx(1.0)


def test_weighted_triangle_by_hand():
    # a–b weight 2, a–c 1, b–c 1. For a: p_ab = 2/3, p_ac = 1/3; p_bc = 1/3, p_cb = 1/2;
    # m_bc = 1/2 (b's strongest tie is 2), m_cb = 1.
    # Effective size: (1 - p_ac m_bc) + (1 - p_ab m_cb) = (1 - 1/6) + (1 - 2/3) = 7/6.
    # Constraint: (2/3 + 1/3 · 1/2)² + (1/3 + 2/3 · 1/3)² = 25/36 + 25/81.
    G = nx.Graph([("a", "b", {"weight": 2}), ("a", "c", {"weight": 1}), ("b", "c", {"weight": 1})])
    assert compute_effective_size(G)["a"] == pytest.approx(7 / 6)
    assert compute_constraint(G)["a"] == pytest.approx(25 / 36 + 25 / 81)


def test_constraint_equals_networkx_whole_graph_path():
    # networkx's whole-graph constraint is correct (FIELD_NOTES.md); never call it with nodes=.
    G = nx.gnm_random_graph(60, 240, seed=3)
    for k, (u, v) in enumerate(G.edges()):
        G[u][v]["weight"] = 1 + k % 5
    ours = compute_constraint(G)
    theirs = nx.constraint(G, weight="weight")
    assert all(ours[v] == pytest.approx(theirs[v], abs=1e-12) for v in G)


def test_weighted_effective_size_follows_burts_formula_term_by_term():
    G = nx.gnm_random_graph(40, 150, seed=5)
    for k, (u, v) in enumerate(G.edges()):
        G[u][v]["weight"] = 1 + k % 7
    ours = compute_effective_size(G)
    assert all(ours[v] == pytest.approx(reference_effective_size(G, v), abs=1e-12) for v in G if G[v])


def test_unweighted_effective_size_is_borgattis_shortcut():
    # Borgatti (1997): n - 2t/n, t = ties among the n contacts.
    G = nx.gnm_random_graph(50, 200, seed=7)
    size = compute_effective_size(G, weight=None)
    for v in G:
        n = G.degree(v)
        t = sum(1 for a, b in itertools.combinations(G[v], 2) if G.has_edge(a, b))
        assert size[v] == pytest.approx(n - 2 * t / n if n else 0.0)


def test_isolates_have_undefined_constraint_and_no_effective_size():
    G = nx.Graph([(1, 2)])
    G.add_node(3)
    G.add_edge(4, 4)  # a self-loop is not a contact
    assert math.isnan(compute_constraint(G)[3]) and math.isnan(compute_constraint(G)[4])
    assert compute_effective_size(G)[3] == 0 and compute_effective_size(G)[4] == 0


def test_empty_graph_gives_empty_series():
    assert compute_constraint(nx.Graph()).empty and compute_effective_size(nx.Graph()).empty


def test_small_blocks_give_the_same_values(monkeypatch, borgatti):
    # The masked product splits rows into blocks to bound memory; the split must not matter.
    whole = compute_constraint(borgatti), compute_effective_size(borgatti)
    monkeypatch.setattr(structural_holes, "MAX_BLOCK_NONZEROS", 3)
    blocked = compute_constraint(borgatti), compute_effective_size(borgatti)
    assert whole[0].equals(blocked[0]) and whole[1].equals(blocked[1])


def test_masked_product_equals_scipys_product_to_the_last_bit():
    # The masked product adds each entry's terms in the order of scipy's own product, so the
    # measures do not move in the last digit. Rows stored out of order (as diag @ W leaves
    # them) and a mask with an explicit zero, which is not an entry.
    rng = np.random.default_rng(7)
    W = sp.random_array((60, 60), density=0.2, random_state=rng, format="csr")
    W = sp.csr_array(W + W.T)
    X = sp.csr_array(sp.diags_array(rng.random(60)) @ W)
    mask = W.copy()
    mask.data[:5] = 0
    expected = (X @ W).multiply(mask.astype(bool).astype(float)).toarray()
    assert np.array_equal(structural_holes.compute_masked_product(X, W, mask).toarray(), expected)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_triangles_listed_once_each_as_networkx_finds_them(seed):
    G = nx.gnp_random_graph(40, 0.25, seed=seed)
    nodes, W = structural_holes.build_weight_matrix(G, weight=None)
    listed = [tuple(sorted(t)) for t in structural_holes.list_triangles(W).tolist()]
    expected = sorted(tuple(sorted(c)) for c in nx.enumerate_all_cliques(G) if len(c) == 3)
    assert sorted(listed) == expected  # each triangle once: no duplicates in the listing


def test_triangles_in_small_blocks_are_the_same(monkeypatch):
    G = nx.gnp_random_graph(30, 0.3, seed=4)
    _, W = structural_holes.build_weight_matrix(G, weight=None)
    whole = structural_holes.list_triangles(W).tolist()
    monkeypatch.setattr(structural_holes, "MAX_BLOCK_NONZEROS", 7)
    assert structural_holes.list_triangles(W).tolist() == whole


def test_weight_matrix_equals_networkx_matrix():
    # weights given, missing (1) and a self-loop (left out), nodes in the graph's order
    G = nx.Graph([("b", "a", {"weight": 3}), ("a", "c", {}), ("c", "c", {"weight": 5}), ("d", "b", {"weight": 2})])
    nodes, W = structural_holes.build_weight_matrix(G)
    expected = nx.to_scipy_sparse_array(G, nodelist=nodes, dtype=float, format="csr")
    expected.setdiag(0)
    expected.eliminate_zeros()
    assert nodes == ["b", "a", "c", "d"] and W.has_canonical_format
    assert (W != expected).nnz == 0 and W.toarray().tolist()[0] == [0.0, 3.0, 0.0, 2.0]


def test_ties_list_both_ends_and_the_attributes_asked_for():
    G = nx.Graph([("x", "y", {"weight": 2, "ids": "p1"}), ("y", "y", {}), ("y", "z", {})])
    ends, (weights, ids) = structural_holes.list_ties(G, ["x", "y", "z"], ("weight", "ids"))
    assert ends.tolist() == [[0, 1], [1, 2]] and weights == [2, None] and ids == ["p1", None]  # self-loop left out
