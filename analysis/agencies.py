"""The agency each organisation belongs to (CONTRACT §2).

The *agency* of an organisation is the root of its ``parent_id`` chain when that root's kind
is ``agency``, ``fund`` or ``local_government`` (:data:`analysis.ingest.schema.AGENCY_KINDS`). A
provincial office of CODI belongs to CODI; an NGO's branch belongs to no agency.

A ``parent_id`` chain that runs into a cycle (A → B → A, or A → A) has no root, so every
organisation on the cycle or leading into it gets no agency: guessing one of the cycle's
members would be a guess the data does not support. :func:`find_parent_cycles` lists them so
a report can say which rows to fix.
"""

import pandas as pd

from analysis.dataset import Dataset
from analysis.ingest.schema import AGENCY_KINDS


def _is_blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or value == ""


def _parent_map(organisations: pd.DataFrame) -> dict[str, str]:
    """org_id -> parent_id for the organisations that name a parent."""
    if "parent_id" not in organisations.columns:
        return {}
    return {
        str(org_id): str(parent_id)
        for org_id, parent_id in zip(organisations["org_id"].tolist(), organisations["parent_id"].tolist())
        if not _is_blank(parent_id)
    }


def find_roots(organisations: pd.DataFrame) -> dict[str, str | None]:
    """org_id -> the root of its ``parent_id`` chain (None when the chain runs into a cycle).

    A parent_id that names no organisation of the table ends the chain at the last known
    organisation (the checker quarantines such references, so this only guards the walk).
    Each organisation is visited once: the walk remembers the roots it has found, so long
    chains cost O(number of organisations).

    Examples
    --------
    >>> orgs = pd.DataFrame({"org_id": ["A", "B", "C", "X", "Y"], "parent_id": [None, "A", "B", "Y", "X"]})
    >>> find_roots(orgs)
    {'A': 'A', 'B': 'A', 'C': 'A', 'X': None, 'Y': None}
    """
    parents = _parent_map(organisations)
    org_ids = organisations["org_id"].astype(str).tolist()  # Python strings, not cell by cell
    known = set(org_ids)
    roots: dict[str, str | None] = {}
    for start in org_ids:
        path, seen, node = [], set(), start
        while node not in roots:
            if node in seen:  # a cycle: nothing on this path has a root
                root = None
                break
            seen.add(node)
            path.append(node)
            parent = parents.get(node)
            if parent is None or parent not in known:
                root = node
                break
            node = parent
        else:
            root = roots[node]
        for member in path:
            roots[member] = root
    return {org_id: roots[org_id] for org_id in org_ids}


def find_agencies(organisations: pd.DataFrame) -> pd.Series:
    """org_id -> the org_id of its agency, or missing (``None``) when it has none.

    Parameters
    ----------
    organisations : the normalised organisations table (org_id, kind, parent_id).

    Returns
    -------
    pd.Series indexed by org_id (in table order), named ``agency_id``, dtype object.

    Examples
    --------
    >>> orgs = pd.DataFrame({
    ...     "org_id": ["CODI", "CODI-80", "NGO", "NGO-1"],
    ...     "kind": ["agency", "agency", "ngo", "community_org"],
    ...     "parent_id": [None, "CODI", None, "NGO"]})
    >>> find_agencies(orgs).to_dict()
    {'CODI': 'CODI', 'CODI-80': 'CODI', 'NGO': None, 'NGO-1': None}
    """
    roots = find_roots(organisations)
    kinds = dict(zip(organisations["org_id"].astype(str), organisations["kind"]))
    agencies = [
        root if root is not None and kinds.get(root) in AGENCY_KINDS else None
        for root in roots.values()
    ]
    return pd.Series(agencies, index=pd.Index(list(roots), name="org_id"), name="agency_id", dtype=object)


def find_parent_cycles(organisations: pd.DataFrame) -> list[str]:
    """org_ids whose ``parent_id`` chain runs into a cycle, sorted (they have no agency).

    Examples
    --------
    >>> orgs = pd.DataFrame({"org_id": ["A", "B", "C"], "parent_id": ["B", "A", "C"]})
    >>> find_parent_cycles(orgs)
    ['A', 'B', 'C']
    """
    return sorted(org_id for org_id, root in find_roots(organisations).items() if root is None)


def find_project_agencies(dataset: Dataset, agencies: pd.Series) -> pd.DataFrame:
    """project_id, agency_id: the agencies that lead or fund each project (CONTRACT §2).

    ``agencies`` is :func:`find_agencies` of the organisations. A project's agencies are the
    agency of its lead organisation and the agencies of the funders of funding rows naming
    it; payments to an organisation are not payments to its projects. No repeats.
    """
    projects, funding = dataset["projects"], dataset["funding"].dropna(subset=["project_id"])
    led = pd.DataFrame({"project_id": projects["project_id"], "agency_id": projects["lead_org_id"].map(agencies)})
    funded = pd.DataFrame({"project_id": funding["project_id"], "agency_id": funding["funder_id"].map(agencies)})
    both = pd.concat([led, funded], ignore_index=True).dropna()
    return both.drop_duplicates().reset_index(drop=True)
