"""Person–person and organisation–organisation projections of the rosters."""

import networkx as nx
from networkx.algorithms import bipartite

from analysis.projections import (build_roster_matrix, project_organisations, project_organisations_matrix,
                                  project_people, project_people_matrix)
from fixtures_network import build_tha_sala, make_dataset, make_persons


def committees():
    """Three people on two committees: A and B on both X and Y, C on Y only; Z has no members."""
    dataset = make_dataset(
        organisations=[{"org_id": o, "name": f"คณะ {o}", "kind": "community_org"} for o in ("X", "Y", "Z")],
        people=[{"record_id": r, "source": "s", "name": r, "org_id": o}
                for r, o in (("a1", "X"), ("a2", "Y"), ("b1", "X"), ("b2", "Y"), ("b3", "Y"), ("c1", "Y"))],
    )
    # b2 and b3 put B on Y twice: a shared organisation still counts once
    persons = make_persons({"a1": ("A", "ก"), "a2": ("A", "ก"), "b1": ("B", "ข"), "b2": ("B", "ข"),
                            "b3": ("B", "ข"), "c1": ("C", "ค")})
    return dataset, persons


def test_people_weights_count_shared_organisations():
    G = project_people(*committees())
    # by hand: A–B share X and Y → 2; A–C and B–C share Y → 1
    assert sorted(G.edges(data="weight")) == [("person:A", "person:B", 2), ("person:A", "person:C", 1),
                                             ("person:B", "person:C", 1)]
    assert G.nodes["person:C"] == {"kind": "person", "label": "ค"}


def test_organisation_weights_count_shared_persons_and_keep_isolates():
    G = project_organisations(*committees())
    # by hand: X = {A, B}, Y = {A, B, C} → X–Y share 2; Z has nobody but is still a node
    assert list(G.edges(data="weight")) == [("org:X", "org:Y", 2)]
    assert sorted(G.nodes) == ["org:X", "org:Y", "org:Z"]


def test_min_weight_cuts_the_weak_ties_of_a_committee_clique():
    G = project_people(*committees(), min_weight=2)
    assert list(G.edges(data="weight")) == [("person:A", "person:B", 2)]
    assert G.number_of_nodes() == 3  # C stays, without ties


def test_matrices_agree_with_networkx_bipartite_projection():
    dataset, persons = build_tha_sala()
    W, person_ids = project_people_matrix(dataset, persons)
    B, _, org_ids = build_roster_matrix(dataset, persons)
    assert W.shape == (len(person_ids), len(person_ids)) and W.diagonal().sum() == 0
    # the reference: networkx's weighted projection of the same bipartite graph
    rows, cols = B.nonzero()
    graph = nx.Graph()
    graph.add_nodes_from(person_ids, bipartite=0)
    graph.add_nodes_from((f"o:{o}" for o in org_ids), bipartite=1)
    graph.add_edges_from((person_ids[i], f"o:{org_ids[j]}") for i, j in zip(rows, cols))
    reference = bipartite.weighted_projected_graph(graph, person_ids)
    mine = {(person_ids[i], person_ids[j]): int(W[i, j]) for i, j in zip(*W.nonzero()) if i < j}
    assert mine == {tuple(sorted((u, v))): w for u, v, w in reference.edges(data="weight")}
    # in Tha Sala the only shared roster is the welfare fund: P-01 and P-04
    assert mine == {("P-01", "P-04"): 1}


def test_organisation_matrix_of_tha_sala():
    dataset, persons = build_tha_sala()
    W, org_ids = project_organisations_matrix(dataset, persons)
    pairs = {(org_ids[i], org_ids[j]): int(W[i, j]) for i, j in zip(*W.nonzero()) if i < j}
    # P-01 links CODI-S and WF; P-04 links NGOB and WF
    assert pairs == {("CODI-S", "WF"): 1, ("NGOB", "WF"): 1}


def test_weights_are_python_ints():
    G = project_people(*committees())
    assert all(type(w) is int for _, _, w in G.edges(data="weight"))


def test_no_people_gives_isolated_organisations():
    dataset = make_dataset(organisations=[{"org_id": "X", "name": "x", "kind": "ngo"}], people=[])
    W, person_ids = project_people_matrix(dataset, make_persons({}))
    assert W.shape == (0, 0) and person_ids == []
    assert list(project_organisations(dataset, make_persons({})).nodes) == ["org:X"]
