"""The organisation network and the organisations that bridge its separate parts.

:func:`build_org_network` links two organisations when at least one person has records on
both rosters, or both are tied to one project as lead, participant or funder (CONTRACT §2).
:func:`compute_bridges` measures every organisation on it and ranks the bridges
(``bridges.csv``):

- ``betweenness``: share of shortest paths between other organisations that pass through it
  (Freeman 1977; Brandes 2001), networkx's normalisation, ties unweighted;
- ``constraint`` and ``effective_size``: Burt's structural holes with the tie weights
  (:mod:`analysis.structural_holes`);
- the five Gould–Fernandez brokerage roles between sectors (:mod:`analysis.brokerage`);
- ``is_articulation_point``: removing it cuts the network in two (Hopcroft & Tarjan 1973);
- ``community``: Louvain communities of the weighted network (Blondel et al. 2008).

Rank rule: highest betweenness first; ties (common among the many organisations with
betweenness 0) by larger effective size, then by org_id. Betweenness leads because it is
the contract's bridge measure and the one a reader can check in any network package. The
three measures are rounded to :data:`SIGNIFICANT_DIGITS` significant digits before ranking
and written so (:func:`round_significant`), so that two organisations tied exactly fall to
the tie-breaks, not to the order in which floating-point sums were added up.

References
----------
Freeman, L. C. (1977). A set of measures of centrality based on betweenness. *Sociometry* 40.
Brandes, U. (2001). A faster algorithm for betweenness centrality. *J. Math. Sociology* 25(2).
Brandes, U., & Pich, C. (2007). Centrality estimation in large networks. *Int. J. Bifurcation
and Chaos* 17(7) (betweenness from a sample of sources).
Hoeffding, W. (1963). Probability inequalities for sums of bounded random variables. *JASA* 58.
Hopcroft, J., & Tarjan, R. (1973). Efficient algorithms for graph manipulation. *CACM* 16(6).
Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast unfolding of
communities in large networks. *J. Stat. Mech.* P10008.
"""

import math
import random

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.agencies import find_agencies
from analysis.brokerage import ROLES, compute_brokerage_array
from analysis.dataset import Dataset
from analysis.network import source_of
from analysis.structural_holes import build_weight_matrix, compute_constraint_array, compute_effective_size_array

#: Sector of each organisation kind: the groups of the brokerage roles. Networks (เครือข่าย)
#: count as civil society, as the seeds speak of "civil-society networks" (seed 002); private
#: firms are too few in community development to form a sector of their own.
SECTOR_OF_KIND = {
    "agency": "government",
    "fund": "funder",
    "local_government": "local_government",
    "community_council": "community",
    "community_org": "community",
    "network": "civil_society",
    "ngo": "civil_society",
    "academic": "academic",
    "private": "other",
    "other": "other",
}

SECTOR_LABELS = {
    "government": ("government agencies", "หน่วยงานรัฐ"),
    "funder": ("funders", "แหล่งทุน"),
    "local_government": ("local governments", "องค์กรปกครองส่วนท้องถิ่น"),
    "community": ("community organisations", "องค์กรชุมชน"),
    "civil_society": ("civil society", "ภาคประชาสังคม"),
    "academic": ("academics", "สถาบันวิชาการ"),
    "other": ("others", "อื่น ๆ"),
}

#: Steps of Brandes' algorithm igraph takes a second on one core here: a step is a node or
#: an edge reached from one source. Measured on an idle 2-core machine (6 December 2026,
#: fifth session; 200–300 sources of the dense national organisation network and of its
#: first 8,000 and 25,000 organisations): 2.8e7 at 62,000 organisations, 3.3e7 at 25,000,
#: 3.6e7 at 8,000; larger networks reach memory further away. The value is the one at
#: the size where exact and sampled meet on two cores (about 20,000 organisations). An
#: earlier 7.5e7 had the cost of the national networks 2.5 times too low.
STEPS_PER_SECOND = 3.3e7

#: Wall seconds exact betweenness may take on the cores available; beyond, it is sampled.
#: A sixth of the two minutes a national run is given (issue 19): the rest of the run needs
#: the other five.
EXACT_SECONDS = 20.0

#: Sources sampled beyond the exact limit: 500–1,000 sources keep ≥ 88 % of the true top 100
#: and a Spearman correlation of 0.97–0.99 with exact values (FIELD_NOTES.md); 1,000 cost
#: a few seconds on either national network (benchmarks/bench_network.py).
N_SOURCES = 1000

#: The source nodes are dealt into this many disjoint sets, summed in this order, whatever
#: the number of cores: one core and two (or four) add the same floats in the same order.
N_SOURCE_SETS = 4

#: Below this many seconds of work, starting processes costs more than it saves.
PARALLEL_SECONDS = 1.0

#: Confidence of the stated error bound of sampled betweenness.
CONFIDENCE = 0.95

#: Communities named in a reason: three keep the sentence readable on a slide.
N_GROUPS_NAMED = 3

COLUMNS = (
    "org_id", "name", "rank", "betweenness", "constraint", "effective_size", "degree",
    "n_shared_persons", "n_shared_projects", *ROLES, "is_articulation_point", "community",
    "sector", "agency_id", "reason", "reason_th",
)


def find_sector(kind: object) -> str:
    """The sector of an organisation kind (:data:`SECTOR_OF_KIND`); ``other`` when unknown.

    >>> find_sector("fund"), find_sector("ngo"), find_sector(None)
    ('funder', 'civil_society', 'other')
    """
    return SECTOR_OF_KIND.get(kind, "other")


# --- building the network -------------------------------------------------------------------


def _ties(frame: pd.DataFrame, org_column: str, via: str, via_column: str, sources: list[str],
          order: int) -> pd.DataFrame:
    """One row per (organisation, person or project) tie with the row it came from.

    ``order`` ranks the tables, so that of two rows making one tie the same one is kept.
    """
    ties = pd.DataFrame({
        "org_id": frame[org_column].astype(object).to_numpy(),
        "via": via,
        "via_id": frame[via_column].astype(object).to_numpy(),
        "source": sources,
        "order": order,
        "row": frame["row"].to_numpy(),
    })
    return ties[ties["org_id"].notna() & ties["via_id"].notna()]


def _column_or_empty(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows of ``df`` where ``column`` exists and holds a value."""
    return df[df[column].notna()] if column in df.columns else df.iloc[0:0].assign(**{column: None})


def find_org_ties(dataset: Dataset, persons: pd.DataFrame) -> pd.DataFrame:
    """Every tie of an organisation to a person or a project, once, with its first source row.

    Returns
    -------
    pd.DataFrame with org_id, via (``person`` or ``project``), via_id and source
    (``people.csv:12``), sorted by org_id, via, via_id.
    """
    people = _column_or_empty(dataset["people"], "org_id")
    people = people.merge(persons[["record_id", "person_id"]], on="record_id")
    projects = _column_or_empty(dataset["projects"], "lead_org_id")
    participation = _column_or_empty(dataset["participation"], "org_id")
    funding = _column_or_empty(_column_or_empty(dataset["funding"], "project_id"), "funder_id")
    parts = [
        _ties(people, "org_id", "person", "person_id", source_of(dataset, "people", people["row"]), 0),
        _ties(projects, "lead_org_id", "project", "project_id",
              source_of(dataset, "projects", projects["row"]), 1),
        _ties(funding, "funder_id", "project", "project_id", source_of(dataset, "funding", funding["row"]), 2),
        _ties(participation, "org_id", "project", "project_id",
              source_of(dataset, "participation", participation["row"]), 3),
    ]
    ties = pd.concat(parts, ignore_index=True).astype({"org_id": str, "via_id": str})
    known = set(dataset["organisations"]["org_id"].astype(str))
    ties = ties[ties["org_id"].isin(known)].sort_values(["org_id", "via", "via_id", "order", "row"])
    ties = ties.drop_duplicates(["org_id", "via", "via_id"])
    return ties[["org_id", "via", "via_id", "source"]].reset_index(drop=True)


def count_shared(ties: pd.DataFrame, org_ids: list[str], via: str) -> pd.DataFrame:
    """Pairs of organisations sharing persons (or projects), from the incidence matrix ``B``.

    The upper triangle of ``B @ B.T`` (organisations × persons or projects) counts, for each
    pair a < b in ``org_ids`` order, the persons (projects) tied to both.

    Returns
    -------
    pd.DataFrame with a, b (positions in ``org_ids``) and n (the count), sorted by a, b.
    """
    ties = ties[ties["via"] == via]
    rows = pd.Index(org_ids).get_indexer(ties["org_id"])
    cols, uniques = pd.factorize(ties["via_id"])
    B = sp.csr_array((np.ones(len(ties)), (rows, cols)), shape=(len(org_ids), len(uniques)))
    shared = sp.coo_array(sp.triu(B @ B.T, k=1))
    counts = pd.DataFrame({"a": shared.row, "b": shared.col, "n": shared.data.astype(int)})
    return counts.sort_values(["a", "b"], ignore_index=True)


def list_shared(ties: pd.DataFrame, org_ids: list[str], via: str) -> pd.DataFrame:
    """For each pair sharing persons (or projects): their ids and the rows of the first one.

    Returns
    -------
    pd.DataFrame with a, b (positions in ``org_ids``), ids (sorted, ``|``-separated) and
    source (the two ``file:row`` of the first shared id), sorted by a, b.
    """
    ties = ties[ties["via"] == via]
    ties = ties.assign(position=pd.Index(org_ids).get_indexer(ties["org_id"]))
    pairs = ties.merge(ties, on="via_id", suffixes=("_a", "_b"))
    pairs = pairs[pairs["position_a"] < pairs["position_b"]]
    if pairs.empty:
        return pd.DataFrame({"a": pd.Series(dtype=int), "b": pd.Series(dtype=int),
                             "ids": pd.Series(dtype=object), "source": pd.Series(dtype=object)})
    pairs = pairs.sort_values(["position_a", "position_b", "via_id"], ignore_index=True)
    a, b = pairs["position_a"].to_numpy(), pairs["position_b"].to_numpy()
    starts = np.flatnonzero(np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])])
    ends = np.r_[starts[1:], len(pairs)].astype(int)
    ids = pairs["via_id"].tolist()
    sources = pairs["source_a"].iloc[starts] + "|" + pairs["source_b"].iloc[starts]
    return pd.DataFrame({"a": a[starts], "b": b[starts], "ids": ["|".join(ids[s:e]) for s, e in zip(starts, ends)],
                         "source": sources.to_numpy()})


def _links(ties: pd.DataFrame, org_ids: list[str]) -> pd.DataFrame:
    """One row per linked pair: counts, id lists and evidence of shared persons and projects."""
    parts = []
    for via, short in (("person", "persons"), ("project", "projects")):
        counts = count_shared(ties, org_ids, via).rename(columns={"n": f"n_shared_{short}"})
        lists = list_shared(ties, org_ids, via).rename(columns={"ids": f"shared_{via}_ids", "source": f"source_{via}"})
        parts.append(counts.merge(lists, on=["a", "b"], how="left"))
    links = parts[0].merge(parts[1], on=["a", "b"], how="outer").sort_values(["a", "b"], ignore_index=True)
    for short in ("persons", "projects"):
        links[f"n_shared_{short}"] = links[f"n_shared_{short}"].fillna(0).astype(int)
    for via in ("person", "project"):
        links[f"shared_{via}_ids"] = links[f"shared_{via}_ids"].fillna("")
    links["source"] = links["source_person"].fillna(links["source_project"])
    return links


def build_org_network(dataset: Dataset, persons: pd.DataFrame) -> nx.Graph:
    """The organisation network of CONTRACT §2.

    Parameters
    ----------
    dataset : a checked dataset (any table but organisations may be empty).
    persons : record_id, person_id, person_name — one row per used people record.

    Returns
    -------
    nx.Graph
        One node ``org:<org_id>`` per organisation, isolated ones too, in org_id order, with
        kind ``organisation``, label and name (as written), label_en (``''``), org_id,
        org_kind, sector (:data:`SECTOR_OF_KIND`), agency_id (absent when none) and source.
        An edge joins two organisations sharing at least one person (records on both
        rosters) or project (each tied as lead, participant or funder), with kind
        ``shares``, n_shared_persons, n_shared_projects, weight (their sum),
        shared_person_ids and shared_project_ids (sorted, ``|``-separated) and source (the
        two rows of the first shared person, else of the first shared project).
    """
    # Nodes in org_id order, not file order: betweenness and constraint add floats in node
    # order, so the same organisations listed in another order must give the same graph.
    orgs = dataset["organisations"].sort_values("org_id", kind="stable")
    org_ids = orgs["org_id"].astype(str).tolist()
    agencies = find_agencies(orgs).to_dict()  # a dict look-up per organisation, not a Series one
    G = nx.Graph()
    for org_id, name, kind, source in zip(org_ids, orgs["name"].tolist(), orgs["kind"].tolist(),
                                          source_of(dataset, "organisations", orgs["row"])):
        attrs = {"kind": "organisation", "label": name, "label_en": "", "name": name, "org_id": org_id,
                 "org_kind": kind, "sector": find_sector(kind), "source": source}
        if agencies.get(org_id) is not None:
            attrs["agency_id"] = agencies[org_id]
        G.add_node(f"org:{org_id}", **attrs)

    links = _links(find_org_ties(dataset, persons), org_ids)
    nodes = [f"org:{org_id}" for org_id in org_ids]
    G.add_edges_from(
        (nodes[a], nodes[b], {"kind": "shares", "weight": p + j, "n_shared_persons": p, "n_shared_projects": j,
                              "shared_person_ids": person_ids, "shared_project_ids": project_ids, "source": source})
        for a, b, p, j, person_ids, project_ids, source in zip(
            links["a"].tolist(), links["b"].tolist(), links["n_shared_persons"].tolist(),
            links["n_shared_projects"].tolist(), links["shared_person_ids"].tolist(),
            links["shared_project_ids"].tolist(), links["source"].tolist())
    )
    return G


# --- measuring it ---------------------------------------------------------------------------


def build_igraph(G: nx.Graph, weight: str | None = "weight"):
    """``G`` as an undirected igraph Graph with vertices in ``G``'s node order.

    igraph is imported here, not at module import: it pulls in matplotlib (~1 s).
    """
    import igraph

    position = {node: i for i, node in enumerate(G)}
    edges = [(position[u], position[v]) for u, v in G.edges() if u != v]
    g = igraph.Graph(n=len(position), edges=edges, directed=False)
    if weight is not None:
        g.es["weight"] = [float(d.get(weight, 1)) for u, v, d in G.edges(data=True) if u != v]
    return g


def count_betweenness_steps(g, sources=None) -> float:
    """Steps of Brandes' algorithm from ``sources`` (default: every node) on igraph graph ``g``.

    A breadth-first search from a source reaches its connected component only: each source
    costs the nodes and edges of its component. On a network of many small pieces this is
    far less than n · m, the bound that holds for a connected one.

    Examples
    --------
    >>> import igraph
    >>> g = igraph.Graph([(0, 1), (1, 2), (3, 4)])  # a path of 3 and an edge
    >>> count_betweenness_steps(g)  # 3 sources × (3 + 2) + 2 sources × (2 + 1)
    21.0
    """
    membership = np.asarray(g.connected_components().membership)
    n_nodes = np.bincount(membership)
    edges = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    n_edges = np.bincount(membership[edges[:, 0]], minlength=len(n_nodes))
    cost = (n_nodes + n_edges)[membership]
    return float(cost.sum() if sources is None else cost[np.asarray(sources, dtype=np.int64)].sum())


def _sum_from_sources(g, sources: np.ndarray, workers: int, is_parallel: bool) -> np.ndarray:
    """igraph's betweenness counted from ``sources`` only, as :data:`N_SOURCE_SETS` disjoint
    sets (dealt round-robin) summed in set order, the sets shared out among ``workers``
    forked processes when ``is_parallel``."""
    from analysis.parallel import run_tasks

    sets = [sources[k::N_SOURCE_SETS].tolist() for k in range(N_SOURCE_SETS)]
    tasks = [lambda part=part: np.asarray(g.betweenness(directed=False, sources=part)) for part in sets if part]
    total = np.zeros(g.vcount())
    for part in run_tasks(tasks, workers if is_parallel else 1):
        total += part
    return total


def compute_betweenness(G: nx.Graph, seed: int = 42, seconds_limit: float = EXACT_SECONDS,
                        n_sources: int = N_SOURCES, workers: int | None = None) -> tuple[pd.Series, dict]:
    """networkx's normalised betweenness of every node, ties unweighted, computed by igraph.

    Exact (Brandes 2001) when its steps (:func:`count_betweenness_steps`) take at most
    ``seconds_limit`` at :data:`STEPS_PER_SECOND` on ``workers`` cores (default: the cores
    this process may use); otherwise estimated from ``n_sources`` sources drawn without
    replacement with ``numpy.random.default_rng(seed)`` (Brandes & Pich 2007), scaled by
    ``n / n_sources`` as networkx does with ``k=``. Each source adds at most ``n / (n - 1)``
    to a normalised estimate, so by Hoeffding (1963) each node's estimate is within
    ``error_bound`` of its exact value with probability 0.95. Either way the sources are
    split into :data:`N_SOURCE_SETS` disjoint sets computed in parallel and summed in a fixed
    order, so the values do not depend on the number of cores that computed them; which
    method is chosen does, and ``run.json`` says which.

    Returns
    -------
    (pd.Series indexed by node, dict with method, n_nodes, n_edges, n_sources, seed,
    error_bound, steps, workers and estimated_seconds for run.json)

    Examples
    --------
    >>> values, info = compute_betweenness(nx.path_graph(3))
    >>> values.tolist(), info["method"]
    ([0.0, 1.0, 0.0], 'exact')
    """
    from analysis.parallel import count_cores, is_worker

    n, m = G.number_of_nodes(), G.number_of_edges()
    workers = max(1, count_cores() if workers is None else workers)
    info = {"method": "exact", "n_nodes": n, "n_edges": m, "n_sources": n, "seed": None, "error_bound": 0.0}
    if n < 3:  # no node lies between two others
        return pd.Series(0.0, index=list(G), name="betweenness"), info
    g = build_igraph(G, weight=None)
    scale = 2.0 / ((n - 1) * (n - 2))  # igraph counts each unordered pair once; networkx twice
    cores = min(workers, N_SOURCE_SETS)
    steps = count_betweenness_steps(g)
    if steps / (STEPS_PER_SECOND * cores) <= seconds_limit or n_sources >= n:
        sources, factor = np.arange(n), 1.0
    else:
        sources = np.sort(np.random.default_rng(seed).choice(n, size=n_sources, replace=False))
        factor = n / n_sources
        steps = count_betweenness_steps(g, sources)
        bound = n / (n - 1) * math.sqrt(math.log(2 / (1 - CONFIDENCE)) / (2 * n_sources))
        info.update(method="sampled", n_sources=n_sources, seed=seed, error_bound=round(bound, 6))
    # In a child of a run's analysis parts the sets run one after another (is_worker): the
    # other core has parts of its own. The choice above still counts the machine's cores,
    # so a notebook and a run choose alike.
    is_parallel = steps / STEPS_PER_SECOND > PARALLEL_SECONDS and not is_worker()
    raw = _sum_from_sources(g, sources, workers, is_parallel) * factor
    info.update(steps=steps, workers=cores if is_parallel else 1,
                estimated_seconds=round(steps / (STEPS_PER_SECOND * (cores if is_parallel else 1)), 1))
    return pd.Series(raw * scale, index=list(G), name="betweenness"), info


def find_communities(G: nx.Graph, seed: int = 42) -> tuple[pd.Series, dict]:
    """Louvain communities (Blondel et al. 2008) of the weighted graph, numbered stably.

    igraph's ``community_multilevel`` with its random generator seeded by ``seed`` (restored
    afterwards), so the same graph gives the same communities. Communities are numbered
    from 1 by size, largest first, ties by their smallest node id.

    Examples
    --------
    Two triangles joined by one edge: two communities of three.

    >>> G = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> find_communities(G)[0].tolist()
    [1, 1, 1, 2, 2, 2]
    """
    import igraph

    if G.number_of_nodes() == 0:
        return pd.Series(dtype=int, name="community"), {"method": "louvain", "n_communities": 0}
    g = build_igraph(G)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        clustering = g.community_multilevel(weights="weight")
    finally:
        igraph.set_random_number_generator(random)
    nodes = list(G)
    members = [sorted((nodes[i] for i in cluster), key=str) for cluster in clustering]
    members.sort(key=lambda group: (-len(group), str(group[0])))
    number = {node: k for k, group in enumerate(members, start=1) for node in group}
    info = {"method": "louvain (igraph community_multilevel)", "seed": seed,
            "n_communities": len(members), "modularity": round(clustering.modularity, 6)}
    return pd.Series([number[v] for v in nodes], index=nodes, name="community"), info


def _group_names(G: nx.Graph, community: pd.Series) -> dict[int, str]:
    """community -> node id of its most connected member (largest weighted degree, then id)."""
    strength = dict(G.degree(weight="weight"))
    best: dict[int, tuple] = {}
    for node, k in community.items():
        key = (-strength[node], str(node))
        if k not in best or key < best[k][0]:
            best[k] = (key, node)
    return {k: node for k, (_, node) in best.items()}


def _join_en(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _join_th(items: list[str]) -> str:
    # Thai lists separate items with spaces and put และ ("and") before the last.
    return items[0] if len(items) == 1 else " ".join(items[:-1]) + " และ" + items[-1]


def _through(n_persons: int, n_projects: int) -> tuple[str, str]:
    """'through 2 shared people and 1 shared project', leaving out a count of 0."""
    en, th = [], []
    if n_persons:
        en.append(f"{n_persons} shared {'person' if n_persons == 1 else 'people'}")
        th.append(f"บุคคลร่วม {n_persons} คน")
    if n_projects:
        en.append(f"{n_projects} shared project{'' if n_projects == 1 else 's'}")
        th.append(f"โครงการร่วม {n_projects} โครงการ")
    return " and ".join(en), " และ".join(th)


def write_reason(G: nx.Graph, node, groups: list, sectors: list[str], hubs: dict, n_persons: int, n_projects: int,
                 is_cut: bool) -> tuple[str, str]:
    """Plain-language sentences (English, Thai) saying what an organisation links and how.

    Names the communities of its neighbours (each by its most connected member, most ties
    first), the sectors it reaches, the people and projects it shares, and whether the
    network splits without it. ``groups`` and ``sectors`` are its neighbours' communities
    and sectors, most neighbours first (:func:`rank_neighbour_values`); ``hubs`` maps a
    community to its most connected member.
    """
    if not groups:
        return ("Not linked to any other organisation through shared people or projects.",
                "ไม่มีบุคคลหรือโครงการร่วมกับองค์กรอื่น")
    named = [hubs[k] for k in groups[:N_GROUPS_NAMED]]
    names_en = ["its own group" if hub == node else f"the group around {G.nodes[hub]['name']}" for hub in named]
    names_th = ["กลุ่มของตนเอง" if hub == node else f"กลุ่มของ{G.nodes[hub]['name']}" for hub in named]
    if len(groups) > N_GROUPS_NAMED:
        more = len(groups) - N_GROUPS_NAMED
        names_en.append(f"{more} more")
        names_th.append(f"อีก {more} กลุ่ม")
    through_en, through_th = _through(n_persons, n_projects)
    if len(groups) == 1:
        en, th = f"Works within {names_en[0]}", f"ทำงานภายใน{names_th[0]}"
    else:
        en = f"Links {len(groups)} groups of organisations ({_join_en(names_en)})"
        th = f"เชื่อม {len(groups)} กลุ่มองค์กร ({_join_th(names_th)})"
    en += f", reaching {_join_en([SECTOR_LABELS[s][0] for s in sectors])}, through {through_en}."
    th += f" ครอบคลุม{_join_th([SECTOR_LABELS[s][1] for s in sectors])} ผ่าน{through_th}"
    if is_cut:
        en += " Without it the network splits apart."
        th += " หากขาดองค์กรนี้ เครือข่ายจะแยกออกจากกัน"
    return en, th


def _tie_ends(G: nx.Graph, nodes: list) -> tuple[np.ndarray, np.ndarray]:
    """Positions (in ``nodes``) of both ends of every tie, each tie once as (u, v) and once
    as (v, u): the neighbours of each node, for group-bys over ties."""
    position = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(position[u], position[v]) for u, v in G.edges() if u != v], dtype=np.int64).reshape(-1, 2)
    return np.concatenate([pairs[:, 0], pairs[:, 1]]), np.concatenate([pairs[:, 1], pairs[:, 0]])


def rank_neighbour_values(ends: tuple[np.ndarray, np.ndarray], values: np.ndarray, n_nodes: int) -> list[list]:
    """For each node, the distinct ``values`` of its neighbours, held by most neighbours
    first, then in value order; ``ends`` from :func:`_tie_ends`.

    Examples
    --------
    >>> ends = (np.array([0, 0, 0, 1, 2, 3]), np.array([1, 2, 3, 0, 0, 0]))  # a star around 0
    >>> rank_neighbour_values(ends, np.array(["x", "b", "a", "b"], dtype=object), 4)
    [['b', 'a'], ['x'], ['x'], ['x']]
    """
    node, other = ends
    counts = pd.DataFrame({"node": node, "value": values[other]}).groupby(["node", "value"]).size().reset_index(name="n")
    counts = counts.sort_values(["node", "n", "value"], ascending=[True, False, True], kind="stable")
    ranked: list[list] = [[] for _ in range(n_nodes)]
    for i, value in zip(counts["node"].tolist(), counts["value"].tolist()):
        ranked[i].append(value)
    return ranked


def count_shared_ids(G: nx.Graph, nodes: list, key: str) -> np.ndarray:
    """Distinct persons (or projects: ``key``) each organisation shares with any other."""
    position = {node: i for i, node in enumerate(nodes)}
    holders, ids = [], []
    for u, v, text in G.edges(data=key):
        if text:
            parts = text.split("|")
            holders += [position[u]] * len(parts) + [position[v]] * len(parts)
            ids += parts + parts
    codes, distinct = pd.factorize(pd.Series(ids, dtype=object))
    held = np.unique(np.array(holders, dtype=np.int64) * max(len(distinct), 1) + codes)
    return np.bincount(held // max(len(distinct), 1), minlength=len(nodes))


#: Columns of :func:`measure_org_network`, in bridges.csv order.
MEASURES = ("betweenness", "constraint", "effective_size", *ROLES, "is_articulation_point", "community")


def measure_org_network(G: nx.Graph, *, seed: int = 42) -> tuple[pd.DataFrame, dict]:
    """Every network measure of bridges.csv, one row per node of ``G`` in its order.

    This is the seam where the graph engine can change (docs/scaling.md): another backend
    (networkx alone, as benchmarks/networkx_baseline.py does; a distributed graph engine)
    returns the same frame and :func:`rank_bridges` turns it into the table unchanged.
    Here: igraph for betweenness and Louvain, scipy.sparse for Burt's measures and the
    brokerage roles (one weight matrix for the three), networkx for articulation points.

    Returns
    -------
    (pd.DataFrame indexed by node with :data:`MEASURES`, dict with the ``betweenness`` and
    ``communities`` methods and parameters for run.json)
    """
    nodes, W = build_weight_matrix(G, "weight")  # built once for the three sparse measures
    betweenness, betweenness_info = compute_betweenness(G, seed=seed)
    community, community_info = find_communities(G, seed=seed)
    cut = set(nx.articulation_points(G))
    measures = pd.DataFrame({
        "betweenness": betweenness.to_numpy(),
        "constraint": compute_constraint_array(W),
        "effective_size": compute_effective_size_array(W),
        **compute_brokerage_array(W, [G.nodes[v]["sector"] for v in nodes]),
        "is_articulation_point": [v in cut for v in nodes],
        "community": community.to_numpy(),
    }, index=pd.Index(nodes, dtype=object))
    return measures, {"betweenness": betweenness_info, "communities": community_info}


def compute_bridges(G: nx.Graph, organisations: pd.DataFrame, *, seed: int = 42) -> pd.DataFrame:
    """Measure and rank every organisation of the organisation network (``bridges.csv``).

    Parameters
    ----------
    G : the network from :func:`build_org_network`.
    organisations : the normalised organisations table (names are taken from it).
    seed : seeds the Louvain communities and, on large networks, the betweenness sample.

    Returns
    -------
    pd.DataFrame with :data:`COLUMNS`, one row per organisation, sorted by rank (module
    docstring). ``attrs["method"]`` holds the methods and parameters for ``run.json``.
    """
    measures, info = measure_org_network(G, seed=seed)
    return rank_bridges(G, organisations, measures, info)


#: Significant digits the measures are ranked and written with. Summing the same shares in
#: another order leaves errors near 1e-16 relative (an effective size of 2 comes out as
#: 1.9999999999999996; two equal betweenness values differ by 1e-17); 12 digits drop that
#: noise with a margin of 1,000 and keep every real difference a network of a million
#: organisations can make (betweenness steps of about 1e-12).
SIGNIFICANT_DIGITS = 12


def round_significant(values, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """``values`` rounded to ``digits`` significant digits (the shortest float that prints so).

    Examples
    --------
    >>> round_significant([1.9999999999999996, 0.3792994134863084, 1e-17, 0.0, float("nan")]).tolist()
    [2.0, 0.379299413486, 1e-17, 0.0, nan]
    """
    return np.array([float(f"{value:.{digits}g}") for value in np.asarray(values, dtype=float)], dtype=float)


def rank_bridges(G: nx.Graph, organisations: pd.DataFrame, measures: pd.DataFrame, info: dict) -> pd.DataFrame:
    """bridges.csv from the measures of :func:`measure_org_network` (or of another backend).

    Adds what the measures do not say (names, degree, the persons and projects shared,
    sector, agency and the reasons), sorts by the rank rule of the module docstring and
    records the methods in ``attrs["method"]``.
    """
    nodes = list(G)
    measures = measures.loc[nodes]
    community = measures["community"]
    cut = set(measures.index[measures["is_articulation_point"].to_numpy(dtype=bool)])
    hubs = _group_names(G, community)
    n_persons = count_shared_ids(G, nodes, "shared_person_ids").tolist()
    n_projects = count_shared_ids(G, nodes, "shared_project_ids").tolist()
    # Neighbours' communities and sectors counted in two group-bys over the ties, not a
    # Counter per organisation (national: 62,000 organisations, 500,000 tie ends)
    ends = _tie_ends(G, nodes)
    groups = rank_neighbour_values(ends, community.to_numpy(), len(nodes))
    sectors = rank_neighbour_values(ends, np.array([G.nodes[v]["sector"] for v in nodes], dtype=object), len(nodes))
    reasons = [write_reason(G, v, g, s, hubs, p, j, v in cut)
               for v, g, s, p, j in zip(nodes, groups, sectors, n_persons, n_projects)]
    names = dict(zip(organisations["org_id"].astype(str), organisations["name"]))
    org_ids = [G.nodes[v]["org_id"] for v in nodes]
    table = pd.DataFrame({
        "org_id": org_ids,
        "name": [names.get(org_id, G.nodes[v].get("name")) for org_id, v in zip(org_ids, nodes)],
        **{column: round_significant(measures[column]) for column in ("betweenness", "constraint", "effective_size")},
        "degree": [G.degree(v) for v in nodes],
        "n_shared_persons": n_persons,
        "n_shared_projects": n_projects,
        **{role: measures[role].to_numpy() for role in ROLES},
        "is_articulation_point": [v in cut for v in nodes],
        "community": community.to_numpy(),
        "sector": [G.nodes[v]["sector"] for v in nodes],
        "agency_id": [G.nodes[v].get("agency_id") for v in nodes],
        "reason": [en for en, _ in reasons],
        "reason_th": [th for _, th in reasons],
    })
    table = table.sort_values(["betweenness", "effective_size", "org_id"], ascending=[False, False, True])
    table.insert(2, "rank", range(1, len(table) + 1))
    table = table[list(COLUMNS)].reset_index(drop=True)
    table.attrs["method"] = {
        "betweenness": {**info["betweenness"], "weighted": False, "source": "Brandes 2001; networkx normalisation"},
        "constraint": {"weighted": True, "source": "Burt 1992"},
        "effective_size": {"weighted": True, "source": "Burt 1992; Borgatti 1997"},
        "brokerage": {"groups": "sector", "pairs": "ordered", "source": "Gould & Fernandez 1989"},
        "communities": info["communities"],
        "rank": f"betweenness desc, effective_size desc, org_id; measures rounded to {SIGNIFICANT_DIGITS} significant digits",
    }
    return table
