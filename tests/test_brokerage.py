"""Gould–Fernandez brokerage roles (analysis/brokerage.py).

Expected counts are worked out by hand below, and checked on random graphs against the
definition itself (every path a–b–c with no a–c tie, ordered pairs, as ``sna::brokerage``
counts on symmetric data; Gould & Fernandez 1989, table 1).
"""

import itertools
import random

import networkx as nx
import pytest

from analysis.brokerage import ROLES, compute_brokerage


def count_by_definition(G, group):
    """Walk every ordered pair of each node's neighbours and classify it (Gould & Fernandez 1989)."""
    counts = {v: dict.fromkeys(ROLES, 0) for v in G}
    for b in G:
        for a, c in itertools.permutations([x for x in G[b] if x != b], 2):
            if G.has_edge(a, c):
                continue
            ga, gb, gc = (G.nodes[x].get(group) for x in (a, b, c))
            if ga == gb == gc:
                role = "coordinator"
            elif ga != gb and gb == gc:
                role = "gatekeeper"
            elif ga == gb and gb != gc:
                role = "representative"
            elif ga == gc:
                role = "consultant"
            else:
                role = "liaison"
            counts[b][role] += 1
    return counts


def test_hand_counted_star():
    # b (group X) with neighbours a1, a2 (X), c1, c2 (Y), d (Z); a1 and c1 are tied.
    # 5 neighbours → 20 ordered pairs, minus (a1, c1) and (c1, a1) → 18 brokered:
    #   coordinator (a1, a2) both ways = 2;
    #   gatekeeper: a in {c1, c2, d}, c in {a1, a2}: 3 × 2 - (c1 → a1) = 5; representative the mirror = 5;
    #   consultant (c1, c2) both ways = 2;  liaison {c1, c2} × {d} both ways = 4.
    G = nx.Graph([("b", x) for x in ("a1", "a2", "c1", "c2", "d")] + [("a1", "c1")])
    nx.set_node_attributes(G, {"b": "X", "a1": "X", "a2": "X", "c1": "Y", "c2": "Y", "d": "Z"}, "sector")
    counts = compute_brokerage(G, "sector").loc["b"].to_dict()
    assert counts == {"coordinator": 2, "gatekeeper": 5, "representative": 5, "consultant": 2, "liaison": 4}


@pytest.mark.parametrize("seed", range(8))
def test_counts_match_the_definition_on_random_graphs(seed):
    G = nx.gnm_random_graph(40, 160, seed=seed)
    rng = random.Random(seed)
    nx.set_node_attributes(G, {v: rng.choice("abcd") for v in G}, "sector")
    G.add_edge(0, 0)  # self-loops are ignored
    expected = count_by_definition(G, "sector")
    counts = compute_brokerage(G, "sector")
    assert {v: counts.loc[v].to_dict() for v in G} == expected


def test_gatekeeper_equals_representative_on_undirected_graphs():
    G = nx.karate_club_graph()
    counts = compute_brokerage(G, "club")
    assert (counts["gatekeeper"] == counts["representative"]).all()
    assert counts["gatekeeper"].sum() > 0


def test_nodes_without_the_attribute_form_one_group():
    G = nx.path_graph(3)  # no attribute at all: every path is within one group
    assert compute_brokerage(G, "sector").loc[1, "coordinator"] == 2


def test_empty_graph():
    assert list(compute_brokerage(nx.Graph(), "sector").columns) == list(ROLES)
