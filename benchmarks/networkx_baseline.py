"""The organisation network and bridges.csv the naive way: networkx calls only.

What a reader who knows networkx would write for the same outputs as
:func:`analysis.bridges.build_org_network` and :func:`analysis.bridges.compute_bridges`,
so that benchmarks/run_benchmarks.py can time both on one dataset and check that the
tables agree:

- the network: the organisation–person and organisation–project graph ``B`` projected
  with ``nx.bipartite.generic_weighted_projected_graph`` (shared neighbours by set
  intersection) instead of ``scipy.sparse`` products;
- betweenness: ``nx.betweenness_centrality`` (exact, normalised, unweighted) instead of
  igraph;
- constraint: ``nx.constraint`` (networkx's whole-graph path) instead of our sparse one;
- effective size: ``nx.effective_size`` with ``nodes=``, networkx's node-by-node path,
  because its whole-graph path is wrong on weighted graphs (FIELD_NOTES.md); isolated
  organisations get 0 as in :mod:`analysis.structural_holes`, not networkx's NaN;
- brokerage roles: a loop over each node's pairs of neighbours (networkx has none);
- communities: ``nx.community.louvain_communities`` instead of igraph's
  ``community_multilevel``. Louvain is randomised and the two libraries visit nodes in
  different orders, so the partitions (and the reasons that name them) are compared by
  modularity, not cell by cell;
- articulation points: networkx in both.

Node attributes are copied from our network: they come straight from the organisations
table, the same in both ways; every edge is computed here.
"""

from itertools import combinations

import networkx as nx
import pandas as pd

from analysis.bridges import find_org_ties, rank_bridges
from analysis.brokerage import ROLES


def build_org_network_nx(dataset, persons: pd.DataFrame, nodes_from: nx.Graph) -> nx.Graph:
    """The organisation network of CONTRACT §2 by networkx's bipartite projection.

    ``nodes_from`` gives the organisation nodes and their attributes (our network's).
    """
    ties = find_org_ties(dataset, persons)
    B = nx.Graph()
    B.add_nodes_from(nodes_from.nodes(data=True), bipartite=0)
    via_nodes = (ties["via"] + ":" + ties["via_id"]).tolist()
    orgs = ("org:" + ties["org_id"]).tolist()
    B.add_nodes_from(via_nodes, bipartite=1)
    for org, via, source in zip(orgs, via_nodes, ties["source"].tolist()):
        B.add_edge(org, via, source=source)

    def shared(B: nx.Graph, u, v) -> int:
        return len(set(B[u]) & set(B[v]))

    P = nx.bipartite.generic_weighted_projected_graph(B, list(nodes_from), weight_function=shared)
    G = nx.Graph()
    G.add_nodes_from(nodes_from.nodes(data=True))
    for u, v in sorted(P.edges(), key=lambda e: (e[0], e[1]) if e[0] < e[1] else (e[1], e[0])):
        u, v = (u, v) if u < v else (v, u)
        common = sorted(set(B[u]) & set(B[v]))
        persons_shared = [w.removeprefix("person:") for w in common if w.startswith("person:")]
        projects_shared = [w.removeprefix("project:") for w in common if w.startswith("project:")]
        first = f"person:{persons_shared[0]}" if persons_shared else f"project:{projects_shared[0]}"
        G.add_edge(u, v, kind="shares", weight=len(common), n_shared_persons=len(persons_shared),
                   n_shared_projects=len(projects_shared), shared_person_ids="|".join(persons_shared),
                   shared_project_ids="|".join(projects_shared),
                   source=f"{B[u][first]['source']}|{B[v][first]['source']}")
    return G


def count_brokerage_nx(G: nx.Graph, group: str = "sector") -> pd.DataFrame:
    """Gould–Fernandez roles by walking every ordered pair of each node's neighbours."""
    rows = {}
    for b in G:
        counts = dict.fromkeys(ROLES, 0)
        gb = G.nodes[b].get(group)
        for a, c in combinations([n for n in G[b] if n != b], 2):
            if G.has_edge(a, c):
                continue
            ga, gc = G.nodes[a].get(group), G.nodes[c].get(group)
            if ga == gb == gc:
                counts["coordinator"] += 2
            elif ga == gc:
                counts["consultant"] += 2
            elif gb == gc or gb == ga:  # one end in b's group: a gatekeeper one way, a representative the other
                counts["gatekeeper"] += 1
                counts["representative"] += 1
            else:
                counts["liaison"] += 2
        rows[b] = counts
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(ROLES))


def number_communities(G: nx.Graph, communities: list[set]) -> pd.Series:
    """Communities numbered as :func:`analysis.bridges.find_communities` numbers them."""
    members = sorted((sorted(group, key=str) for group in communities), key=lambda g: (-len(g), str(g[0])))
    number = {node: k for k, group in enumerate(members, start=1) for node in group}
    return pd.Series([number[v] for v in G], index=list(G), name="community")


def measure_org_network_nx(G: nx.Graph, *, seed: int = 42) -> tuple[pd.DataFrame, dict]:
    """The measures of :func:`analysis.bridges.measure_org_network`, networkx only."""
    betweenness = nx.betweenness_centrality(G)
    constraint = nx.constraint(G, weight="weight")
    effective_size = nx.effective_size(G, nodes=list(G), weight="weight")
    communities = nx.community.louvain_communities(G, weight="weight", seed=seed)
    cut = set(nx.articulation_points(G))
    nodes = list(G)
    measures = pd.DataFrame({
        "betweenness": [betweenness[v] for v in nodes],
        "constraint": [constraint[v] for v in nodes],
        "effective_size": [0.0 if G.degree(v) == 0 else effective_size[v] for v in nodes],
        **count_brokerage_nx(G).loc[nodes].to_dict("list"),
        "is_articulation_point": [v in cut for v in nodes],
        "community": number_communities(G, communities).to_numpy(),
    }, index=pd.Index(nodes, dtype=object))
    info = {"betweenness": {"method": "exact (networkx)", "n_nodes": len(G), "n_edges": G.number_of_edges()},
            "communities": {"method": "louvain (networkx)", "seed": seed, "n_communities": len(communities),
                            "modularity": round(nx.community.modularity(G, communities, weight="weight"), 6)}}
    return measures, info


def compute_bridges_nx(G: nx.Graph, organisations: pd.DataFrame, *, seed: int = 42) -> pd.DataFrame:
    """bridges.csv with every measure from networkx (:func:`measure_org_network_nx`)."""
    measures, info = measure_org_network_nx(G, seed=seed)
    return rank_bridges(G, organisations, measures, info)
