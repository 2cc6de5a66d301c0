"""The organisation network and its bridges (analysis/bridges.py).

The Tha Sala scenario (tests/fixtures_network.py) gives this organisation network, counted
from its story:

- shared persons: P-01 on CODI-S and WF; P-04 on NGOB and WF;
- shared projects: J1 (lead WF, funders THF and CODI) links WF–THF, WF–CODI, THF–CODI;
  J2 (lead CC, funder CODI) and J3 (lead NGOB, funder CODI, participant CC) link CC–CODI
  twice (weight 2), NGOB–CODI and NGOB–CC;
- THF's money to CC goes to an organisation, not a project: no link (CONTRACT §2);
- SAO and NGO share nobody and nothing: isolated.

Betweenness by hand (unordered pairs, normalised by (n-1)(n-2)/2 = 21 for n = 8):
WF lies on every path from CODI-S (4 pairs) and on one of the two paths THF–NGOB: 4.5/21;
CODI on THF–CC (1) and half of THF–NGOB, WF–CC and CODI-S–CC: 2.5/21;
NGOB on half of WF–CC and of CODI-S–CC: 1/21.
"""

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from analysis.bridges import (
    COLUMNS,
    build_org_network,
    compute_betweenness,
    compute_bridges,
    count_betweenness_steps,
    count_shared_ids,
    factorize_sorted,
    find_communities,
    list_shared,
)
from analysis.render.tables import write_csv
from fixtures_network import build_tha_sala, make_dataset, make_persons


@pytest.fixture(scope="module")
def tha_sala():
    dataset, persons = build_tha_sala()
    G = build_org_network(dataset, persons)
    return dataset, G, compute_bridges(G, dataset["organisations"])


def edge(G, a, b):
    return G.edges[f"org:{a}", f"org:{b}"]


def test_every_organisation_is_a_node_isolates_too(tha_sala):
    _, G, _ = tha_sala
    assert sorted(G) == sorted(f"org:{o}" for o in ("CODI", "CODI-S", "SAO", "THF", "WF", "NGO", "NGOB", "CC"))
    assert G.degree("org:SAO") == 0 and G.degree("org:NGO") == 0
    assert G.nodes["org:WF"]["sector"] == "community" and G.nodes["org:WF"]["agency_id"] == "SAO"
    assert "agency_id" not in G.nodes["org:NGO"]  # an NGO belongs to no agency


def test_links_count_shared_persons_and_projects(tha_sala):
    _, G, _ = tha_sala
    assert G.number_of_edges() == 8
    assert edge(G, "WF", "NGOB")["shared_person_ids"] == "P-04"
    assert edge(G, "CODI-S", "WF")["n_shared_persons"] == 1
    assert edge(G, "CODI", "CC")["shared_project_ids"] == "J2|J3"
    assert edge(G, "CODI", "CC")["weight"] == 2
    assert edge(G, "CODI", "THF")["n_shared_projects"] == 1  # co-funders of J1
    assert not G.has_edge("org:THF", "org:CC")  # money to an organisation is not a project


def test_edges_name_their_evidence_rows(tha_sala):
    _, G, _ = tha_sala
    # P-01's records r1 (CODI-S, people row 2) and r2 (WF, people row 3).
    assert edge(G, "CODI-S", "WF")["source"] == "people.csv:2|people.csv:3"


def test_two_records_on_one_roster_count_once():
    dataset = make_dataset(
        organisations=[{"org_id": "A", "name": "a", "kind": "ngo"}, {"org_id": "B", "name": "b", "kind": "ngo"}],
        people=[{"record_id": "r1", "source": "x", "name": "n", "org_id": "A"},
                {"record_id": "r2", "source": "y", "name": "n", "org_id": "A"},
                {"record_id": "r3", "source": "z", "name": "n", "org_id": "B"}],
    )
    G = build_org_network(dataset, make_persons({"r1": ("P-1", "n"), "r2": ("P-1", "n"), "r3": ("P-1", "n")}))
    assert edge(G, "A", "B")["weight"] == 1


def test_bridges_ranked_by_betweenness(tha_sala):
    _, _, bridges = tha_sala
    assert list(bridges.columns) == list(COLUMNS)
    assert bridges["org_id"].tolist()[:3] == ["WF", "CODI", "NGOB"]
    assert bridges["rank"].tolist() == list(range(1, 9))
    top = bridges.set_index("org_id")
    assert top.loc["WF", "betweenness"] == pytest.approx(4.5 / 21)
    assert top.loc["CODI", "betweenness"] == pytest.approx(2.5 / 21)
    assert top.loc["NGOB", "betweenness"] == pytest.approx(1 / 21)
    # THF and CC tie at 0: THF's larger effective size ranks it first (1.25 > 1.17).
    assert top.loc["THF", "rank"] < top.loc["CC", "rank"]


def test_bridge_measures_of_the_welfare_fund(tha_sala):
    _, G, bridges = tha_sala
    wf = bridges.set_index("org_id").loc["WF"]
    # WF's neighbours: CODI-S, CODI (government), NGOB (civil society), THF (funder); tied
    # pairs among them: THF–CODI, NGOB–CODI. Brokered: {CODI-S, CODI} both government
    # (consultant, 2 ordered), {CODI-S, NGOB}, {CODI-S, THF}, {NGOB, THF} (liaison, 6).
    assert (wf["consultant"], wf["liaison"], wf["coordinator"], wf["gatekeeper"]) == (2, 6, 0, 0)
    assert wf["is_articulation_point"]  # CODI-S reaches the others only through WF
    assert wf["degree"] == 4 and wf["n_shared_persons"] == 2 and wf["n_shared_projects"] == 1
    assert wf["constraint"] == pytest.approx(nx.constraint(G, weight="weight")["org:WF"])
    assert "2 shared people and 1 shared project" in wf["reason"] and "splits apart" in wf["reason"]
    assert "บุคคลร่วม 2 คน" in wf["reason_th"]


def test_isolated_organisations_say_so(tha_sala):
    _, _, bridges = tha_sala
    sao = bridges.set_index("org_id").loc["SAO"]
    assert sao["effective_size"] == 0 and sao["degree"] == 0
    assert sao["reason"].startswith("Not linked")


def test_same_input_gives_identical_bytes(tha_sala, tmp_path):
    dataset, G, bridges = tha_sala
    again = compute_bridges(build_org_network(*build_tha_sala()), dataset["organisations"])
    first, second = write_csv(bridges, tmp_path / "a.csv"), write_csv(again, tmp_path / "b.csv")
    assert first.read_bytes() == second.read_bytes()


def test_method_is_recorded_for_run_json(tha_sala):
    _, _, bridges = tha_sala
    method = bridges.attrs["method"]
    assert method["betweenness"]["method"] == "exact"
    assert method["communities"]["seed"] == 42


def test_florentine_families_betweenness():
    # Padgett's Florentine families: Medici 0.5219 (normalised), the value UCINET and
    # networkx give (networkx betweenness tests); every family equals networkx exactly.
    G = nx.florentine_families_graph()
    values, info = compute_betweenness(G)
    assert values["Medici"] == pytest.approx(0.5219, abs=1e-4)
    expected = nx.betweenness_centrality(G)
    assert all(values[v] == pytest.approx(expected[v], abs=1e-12) for v in G)
    assert info["method"] == "exact"


def test_sampled_betweenness_is_networkx_estimator_on_the_drawn_sources():
    # Above the work limit: k sources drawn with numpy's generator; the estimate is
    # n/k · Σ_s δ_s(v) / ((n-1)(n-2)), networkx's scaling with k= (Brandes & Pich 2007).
    import numpy as np

    G = nx.gnm_random_graph(80, 300, seed=2)
    values, info = compute_betweenness(G, seed=9, seconds_limit=0, n_sources=20)
    sources = np.random.default_rng(9).choice(80, size=20, replace=False).tolist()
    subset = nx.betweenness_centrality_subset(G, sources, list(G), normalized=False)  # halved pairs
    expected = {v: 2 * subset[v] * 80 / 20 / (79 * 78) for v in G}
    assert all(values[v] == pytest.approx(expected[v], abs=1e-12) for v in G)
    assert info["method"] == "sampled" and info["n_sources"] == 20 and info["seed"] == 9
    # Hoeffding at 95 %: (n/(n-1)) · sqrt(ln(2/0.05) / (2k)) = 80/79 · sqrt(3.689/40) = 0.3075.
    assert info["error_bound"] == pytest.approx(0.3075, abs=1e-4)


def test_betweenness_from_disjoint_source_sets_is_exact_and_the_same_on_any_number_of_cores(monkeypatch):
    # The sum over 4 source sets equals networkx's exact betweenness (to 1e-12) on a graph
    # of two components; 1 core and 2 forked processes (forced: PARALLEL_SECONDS = 0) give
    # the same bits, because the sets and their order of summation do not change.
    import analysis.bridges as bridges

    G = nx.disjoint_union(nx.gnm_random_graph(60, 200, seed=3), nx.path_graph(7))
    monkeypatch.setattr(bridges, "PARALLEL_SECONDS", 0.0)
    one, one_info = compute_betweenness(G, workers=1)
    two, two_info = compute_betweenness(G, workers=2)
    expected = nx.betweenness_centrality(G)
    assert all(one[v] == pytest.approx(expected[v], abs=1e-12) for v in G)
    assert one.to_numpy().tobytes() == two.to_numpy().tobytes()
    assert (one_info["method"], one_info["workers"], two_info["workers"]) == ("exact", 1, 2)


def test_betweenness_steps_count_each_source_s_component_only():
    # Two components: 60 nodes + 200 edges, 7 nodes + 6 edges. Exact: 60·260 + 7·13 = 15,691
    # steps, not n·m = 67·206 = 13,802 (the bound ignores the nodes) or more.
    import igraph

    g = igraph.Graph.from_networkx(nx.disjoint_union(nx.gnm_random_graph(60, 200, seed=3), nx.path_graph(7)))
    assert count_betweenness_steps(g) == 60 * 260 + 7 * 13
    assert count_betweenness_steps(g, [0, 60]) == 260 + 13


def test_exact_or_sampled_is_chosen_on_the_seconds_the_cores_available_would_take(monkeypatch):
    # 15,691 steps at 1,000 steps a second: 15.7 s on one core, 3.9 s on four (4 source sets).
    import analysis.bridges as bridges

    G = nx.disjoint_union(nx.gnm_random_graph(60, 200, seed=3), nx.path_graph(7))
    monkeypatch.setattr(bridges, "STEPS_PER_SECOND", 1000.0)
    _, one = compute_betweenness(G, seconds_limit=10, n_sources=20, workers=1)
    _, four = compute_betweenness(G, seconds_limit=10, n_sources=20, workers=4)
    assert one["method"] == "sampled" and one["error_bound"] > 0
    assert four["method"] == "exact" and four["estimated_seconds"] == pytest.approx(3.9, abs=0.05)


def test_articulation_points_match_networkx():
    G = nx.barbell_graph(4, 2)
    dataset = make_dataset(organisations=[{"org_id": str(v), "name": str(v), "kind": "ngo"} for v in G])
    H = build_org_network(dataset, make_persons({}))
    H.add_edges_from((f"org:{u}", f"org:{v}", {"weight": 1, "shared_person_ids": "", "shared_project_ids": ""})
                     for u, v in G.edges())
    bridges = compute_bridges(H, dataset["organisations"]).set_index("org_id")
    cut = {str(v) for v in nx.articulation_points(G)}
    assert set(bridges.index[bridges["is_articulation_point"]]) == cut == {"3", "4", "5", "6"}


def test_louvain_is_deterministic_and_numbered_by_size():
    G = nx.karate_club_graph()
    first, info = find_communities(G, seed=7)
    second, _ = find_communities(G, seed=7)
    assert first.equals(second)
    sizes = first.value_counts().sort_index()
    assert sizes.is_monotonic_decreasing and sizes.index.min() == 1
    assert info["n_communities"] == len(sizes) and info["modularity"] > 0.3  # karate: ~0.42


def test_empty_dataset_gives_empty_table():
    dataset = make_dataset()
    bridges = compute_bridges(build_org_network(dataset, make_persons({})), dataset["organisations"])
    assert bridges.empty and list(bridges.columns) == list(COLUMNS)


def test_exact_ties_fall_to_the_stated_tie_breaks(tha_sala):
    # SAO and NGO (isolated) are given tied measures as floating-point sums leave them: SAO's
    # betweenness 0.1 + 0.2 = 0.30000000000000004 and NGO's 0.3 are the same number, as are
    # NGO's effective size 1.9999999999999996 and SAO's 2. Rounded to 12 significant digits
    # they tie on both, so org_id decides: NGO before SAO (unrounded, SAO would lead by 4e-17).
    from analysis.bridges import measure_org_network, rank_bridges

    dataset, G, _ = tha_sala
    measures, info = measure_org_network(G)
    measures.loc["org:SAO", ["betweenness", "effective_size"]] = [0.1 + 0.2, 2.0]
    measures.loc["org:NGO", ["betweenness", "effective_size"]] = [0.3, 1.9999999999999996]
    bridges = rank_bridges(G, dataset["organisations"], measures, info)
    assert bridges["org_id"].tolist()[:2] == ["NGO", "SAO"]
    assert bridges["betweenness"].tolist()[:2] == [0.3, 0.3]
    assert bridges["effective_size"].tolist()[:2] == [2.0, 2.0]  # written 2.0, not 1.9999999999999996


def test_shared_ids_listed_per_pair_with_the_first_id_s_rows():
    # p1 on A and B; p2 on A, B and C: pairs A–B (p1, p2), A–C (p2), B–C (p2)
    ties = pd.DataFrame({"org_id": ["A", "B", "C", "A", "B"], "via": "person",
                         "via_id": ["p2", "p2", "p2", "p1", "p1"], "via_rank": [1, 1, 1, 0, 0],
                         "source": ["x:1", "x:2", "x:3", "x:4", "x:5"]})
    shared = list_shared(ties, ["A", "B", "C"], "person")
    assert shared[["a", "b", "n"]].values.tolist() == [[0, 1, 2], [0, 2, 1], [1, 2, 1]]
    assert shared["ids"].tolist() == ["p1|p2", "p2", "p2"]
    assert shared["source"].tolist() == ["x:4|x:5", "x:1|x:3", "x:2|x:3"]  # p1 comes first


def test_distinct_shared_ids_counted_per_organisation():
    # 0–1 share p1 and p2, 1–2 share p2 again: 1 shares two distinct persons, not three
    counts = count_shared_ids(np.array([[0, 1], [1, 2], [2, 3]]), ["p1|p2", "p2", None], 4)
    assert counts.tolist() == [2, 2, 1, 0]


def test_sorted_factorisation_is_pandas_sorted_factorisation():
    values = np.array(["ข", "b", "a", "ก", "b", "A"], dtype=object)
    codes, names = factorize_sorted(values)
    expected_codes, expected_names = pd.factorize(values, sort=True)
    assert codes.tolist() == expected_codes.tolist() and names.tolist() == list(expected_names)
