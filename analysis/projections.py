"""One-mode projections of the person–organisation roster graph.

The rosters form a bipartite graph ``B`` (persons × organisations, 1 where one of the person's
records sits on the organisation's roster). Its projections are the co-membership networks of
Breiger (1974): ``B @ B.T`` counts the organisations two persons share, ``B.T @ B`` the persons
two organisations share. Built with ``scipy.sparse`` they take milliseconds where networkx's
``bipartite.weighted_projected_graph`` takes seconds (FIELD_NOTES: 200× at 5,000 people).

Projection turns every roster into a clique, so a 30-member committee alone gives 435 ties of
weight 1. ``min_weight`` keeps only ties of at least that many shared organisations (or
persons): with 2, two people are tied only when they meet in two different places. A global
threshold is the simplest of the backbone methods Neal (2014) compares; it is kept because a
reviewer can check it by hand. The default 1 keeps every tie.

References
----------
Breiger, R. L. (1974). The duality of persons and groups. *Social Forces* 53(2), 181–190.
Neal, Z. (2014). The backbone of bipartite projections. *Social Networks* 39, 84–97.
"""

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.dataset import Dataset
from analysis.hats import find_roster


def build_roster_matrix(dataset: Dataset, persons: pd.DataFrame) -> tuple[sp.csr_matrix, list[str], list[str]]:
    """The bipartite roster matrix B (persons × organisations, 0/1) and its row and column labels.

    Rows are every resolved person_id, columns every org_id, both sorted, so persons without a
    roster and organisations without members are kept (as empty rows and columns).
    """
    person_ids = sorted(persons["person_id"].unique())
    org_ids = sorted(dataset["organisations"]["org_id"].astype(str))
    roster = find_roster(dataset, persons).drop_duplicates(["person_id", "org_id"])
    roster = roster[roster["org_id"].isin(org_ids)]
    rows = pd.Index(person_ids).get_indexer(roster["person_id"])
    columns = pd.Index(org_ids).get_indexer(roster["org_id"])
    data = np.ones(len(roster), dtype=np.int32)
    B = sp.csr_matrix((data, (rows, columns)), shape=(len(person_ids), len(org_ids)))
    return B, person_ids, org_ids


def _project(B: sp.csr_matrix, min_weight: int) -> sp.csr_matrix:
    """B @ B.T without the diagonal (a node's tie to itself), ties below min_weight dropped."""
    W = (B @ B.T).tocsr()
    W.setdiag(0)
    W.data[W.data < min_weight] = 0
    W.eliminate_zeros()
    return W


def project_people_matrix(dataset: Dataset, persons: pd.DataFrame, min_weight: int = 1) -> tuple[sp.csr_matrix, list[str]]:
    """Person–person weights (shared organisations) as a symmetric sparse matrix, and the person_ids.

    For large inputs (hundreds of thousands of people), where a networkx graph would not fit.
    """
    B, person_ids, _ = build_roster_matrix(dataset, persons)
    return _project(B, min_weight), person_ids


def project_organisations_matrix(dataset: Dataset, persons: pd.DataFrame, min_weight: int = 1) -> tuple[sp.csr_matrix, list[str]]:
    """Organisation–organisation weights (shared persons) as a symmetric sparse matrix, and the org_ids."""
    B, _, org_ids = build_roster_matrix(dataset, persons)
    return _project(B.T.tocsr(), min_weight), org_ids


def _to_graph(W: sp.csr_matrix, nodes: list[str], labels: dict[str, str], kind: str) -> nx.Graph:
    G = nx.Graph()
    G.add_nodes_from((node, {"kind": kind, "label": labels.get(node, "")}) for node in nodes)
    upper = sp.triu(W, k=1).tocoo()
    G.add_edges_from((nodes[i], nodes[j], {"weight": int(w)}) for i, j, w in zip(upper.row, upper.col, upper.data))
    return G


def project_people(dataset: Dataset, persons: pd.DataFrame, min_weight: int = 1) -> nx.Graph:
    """Person–person graph: nodes ``person:<person_id>`` (kind, label), edge ``weight`` = shared organisations.

    Examples
    --------
    Two people on the same two rosters share a tie of weight 2:

    >>> from analysis.dataset import Dataset, empty_quarantine
    >>> people = pd.DataFrame({"record_id": ["a1", "a2", "b1", "b2"], "org_id": ["X", "Y", "X", "Y"],
    ...                        "role": None})
    >>> orgs = pd.DataFrame({"org_id": ["X", "Y"], "name": ["x", "y"]})
    >>> dataset = Dataset({"people": people, "organisations": orgs}, empty_quarantine(), {}, {}, None)
    >>> persons = pd.DataFrame({"record_id": ["a1", "a2", "b1", "b2"], "person_id": ["A", "A", "B", "B"],
    ...                         "person_name": ["ก", "ก", "ข", "ข"]})
    >>> list(project_people(dataset, persons).edges(data="weight"))
    [('person:A', 'person:B', 2)]
    """
    W, person_ids = project_people_matrix(dataset, persons, min_weight)
    names = persons.groupby("person_id")["person_name"].first()
    nodes = [f"person:{p}" for p in person_ids]
    return _to_graph(W, nodes, {f"person:{p}": str(names[p]) for p in person_ids}, "person")


def project_organisations(dataset: Dataset, persons: pd.DataFrame, min_weight: int = 1) -> nx.Graph:
    """Organisation–organisation graph: nodes ``org:<org_id>`` (kind, label), edge ``weight`` = shared persons.

    Every organisation is a node, members or not. This is the roster half of the organisation
    network of CONTRACT §2 (analysis.bridges adds shared projects).
    """
    W, org_ids = project_organisations_matrix(dataset, persons, min_weight)
    organisations = dataset["organisations"]
    names = dict(zip(organisations["org_id"].astype(str), organisations["name"]))
    nodes = [f"org:{o}" for o in org_ids]
    return _to_graph(W, nodes, {f"org:{o}": str(names[o]) for o in org_ids}, "organisation")
