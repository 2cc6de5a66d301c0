"""The stakeholder graph: persons, organisations, projects, areas and funding streams.

One builder, :func:`build_graph`, turns the checked tables and the resolved persons into a
typed ``networkx.MultiDiGraph`` (a multigraph because one person may sit twice on one roster,
one funder may pay one project twice). Every other view of the network (projections, the
organisation network, the pictures) starts from the same tables, so they agree.

Node ids: ``person:<person_id>``, ``org:<org_id>``, ``project:<project_id>``,
``area:<official code>``, ``area:group:<province group>``, ``area:region:<region>``,
``stream:<funder_id>:<stream>``. Every node and edge carries ``kind`` and ``source``
(``people.csv:12``: the file and the spreadsheet row that made it; ``geothai`` for areas).
Attribute values are plain Python values; an unknown value is left out, never NaN, so the
graph exports to GraphML and JSON as it is.
"""

import re
from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd

from analysis.agencies import find_agencies
from analysis.dataset import Dataset
from analysis.privacy import PUBLIC_ROLES

#: Roles of agency staff. Staff of an organisation under an agency act for the agency in
#: public, so they count as holding a public role too.
STAFF_ROLES = ("เจ้าหน้าที่", "พนักงาน", "staff", "officer")

AREA_SOURCE = "geothai"


def _has_role(roles: pd.Series, words: Iterable[str]) -> pd.Series:
    """True for each role holding one of ``words`` (any case); each distinct role is searched
    once (a national roster repeats a few hundred roles over 300,000 lines)."""
    pattern = "|".join(re.escape(word) for word in words)
    codes, distinct = pd.factorize(roles.fillna("").astype(str))
    found = pd.Series(distinct, dtype=object).str.contains(pattern, case=False, regex=True).to_numpy(dtype=bool)
    return pd.Series(found[codes], index=roles.index, dtype=bool)


def to_python(values: pd.Series) -> list:
    """A column as plain Python values: NaN, NA and NaT become None, dates ISO strings.

    Examples
    --------
    >>> to_python(pd.Series([1.5, None]))
    [1.5, None]
    >>> to_python(pd.Series(pd.to_datetime(["2024-10-01", None])))
    ['2024-10-01', None]
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        values = values.dt.strftime("%Y-%m-%d")
    # a copy with None put in at once where values are missing. np.array copies: pandas
    # 3.1's to_numpy(dtype=object, copy=True) hands out a text column's own array once the
    # table has been pickled. numpy's tolist() turns its scalars into Python ones, in bulk
    python = np.array(values.to_numpy(dtype=object), dtype=object)
    python[values.isna().to_numpy(dtype=bool)] = None
    return python.tolist()


def _column(df: pd.DataFrame, column: str) -> list:
    if column not in df.columns:
        return [None] * len(df)
    return to_python(df[column])


def source_of(dataset: Dataset, table: str, rows: pd.Series) -> list[str]:
    """``<file>:<row>`` for each row of a table (``people.csv:12``; office files:
    ``<file>:<sheet>:<row>``, :meth:`analysis.ingest.office.OfficeImport.locate`)."""
    if getattr(dataset, "office", None) is not None:
        return [dataset.office.locate(table, int(row)) for row in rows.tolist()]
    name = dataset.files.get(table, f"{table}.csv")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return [f"{name}:{row}" for row in rows.astype("int64").tolist()]  # tolist(): Python ints


def _drop_none(attrs: dict) -> dict:
    return {key: value for key, value in attrs.items() if value is not None}


def find_area_level(code: str) -> str:
    """``province``, ``district`` or ``tambon`` for an official code (by its length), else "".

    Examples
    --------
    >>> find_area_level("80"), find_area_level("8008"), find_area_level("800801"), find_area_level("")
    ('province', 'district', 'tambon', '')
    """
    return {2: "province", 4: "district", 6: "tambon"}.get(len(code), "")


def find_area_chain(code: str, gazetteer) -> list[tuple[str, str]]:
    """The areas containing an official code, finest first: (area, area_level) pairs.

    Official codes nest by prefix (tambon 800801 → district 8008 → province 80); the
    province group and region come from the gazetteer. Groups and regions are named
    ``group:<group>`` and ``region:<region>``; a level the gazetteer does not know is left out.

    Examples
    --------
    >>> from analysis.places import load_gazetteer
    >>> find_area_chain("800801", load_gazetteer())  # doctest: +NORMALIZE_WHITESPACE
    [('800801', 'tambon'), ('8008', 'district'), ('80', 'province'),
     ('group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย', 'province_group'), ('region:ภาคใต้', 'region')]
    """
    chain = [(code[:n], find_area_level(code[:n])) for n in (6, 4, 2) if len(code) >= n]
    try:
        chain.append((f"group:{gazetteer.province_group(code[:2])}", "province_group"))
        chain.append((f"region:{gazetteer.region(code[:2])}", "region"))
    except KeyError:  # not an official province: no group or region to roll up to
        pass
    return chain


def name_area(gazetteer, code: str, lang: str = "th") -> str:
    """The gazetteer's name of an official code; "" for a code it does not know."""
    try:
        return gazetteer.name(code, lang=lang) or ""
    except KeyError:
        return ""


def _area_labels(area: str, level: str, code: str, gazetteer) -> dict:
    """label / label_en of an area node; ``code`` is any official code inside it."""
    if level == "province_group":
        return {"label": area.removeprefix("group:"), "label_en": gazetteer.province_group_en(code[:2])}
    if level == "region":
        return {"label": area.removeprefix("region:"), "label_en": gazetteer.region(code[:2], lang="en")}
    return {"label": name_area(gazetteer, area) or area, "label_en": name_area(gazetteer, area, "en")}


def add_areas(G: nx.MultiDiGraph, codes: Iterable[str], gazetteer) -> None:
    """Add the area nodes of ``codes`` and every area above them, linked child → parent."""
    for code in sorted(set(codes)):
        chain = find_area_chain(code, gazetteer)
        for area, level in chain:
            # add_node also fills in nodes that a located_in edge created bare
            G.add_node(f"area:{area}", kind="area", area_level=level, source=AREA_SOURCE,
                       **_area_labels(area, level, code, gazetteer))
        for (child, _), (parent, _) in zip(chain, chain[1:]):
            if not G.has_edge(f"area:{child}", f"area:{parent}"):
                G.add_edge(f"area:{child}", f"area:{parent}", kind="located_in", source=AREA_SOURCE)


def add_nodes(G: nx.MultiDiGraph, nodes: Iterable[tuple]) -> None:
    """Add ``(node, attrs)`` pairs to ``G`` as ``G.add_nodes_from`` does: a new node gets a
    copy of ``attrs``, a node already there has ``attrs`` added to its own.

    This and :func:`add_edges` fill the graph's plain dicts (``_node``, ``_succ``, ``_pred``:
    the dict-of-dicts layout networkx's class documentation describes under "Subclasses")
    directly, so ``G`` must be a plain ``nx.MultiDiGraph``. networkx's own methods check
    each item's form and, for an edge, search for a free key and look the edge up again
    through three views: the national sample's 1.3 million edges took 6 CPU s more
    (docs/scaling.md).
    """
    succ, pred, node_attrs = G._succ, G._pred, G._node
    for node, attrs in nodes:
        if node in node_attrs:
            node_attrs[node].update(attrs)
        else:
            succ[node], pred[node], node_attrs[node] = {}, {}, dict(attrs)
    nx._clear_cache(G)


def add_edges(G: nx.MultiDiGraph, edges: Iterable[tuple]) -> None:
    """Add ``(u, v, attrs)`` edges to ``G`` as ``G.add_edges_from`` does: a missing end
    becomes a bare node, in the order met; a pair's edges take keys 0, 1, … in order; each
    edge gets a copy of its ``attrs``. ``G`` must never have lost an edge (a pair's next key
    is then its number of edges), as while :func:`build_graph` builds it."""
    succ, pred, node_attrs = G._succ, G._pred, G._node
    for u, v, attrs in edges:
        if u not in node_attrs:
            succ[u], pred[u], node_attrs[u] = {}, {}, {}
        if v not in node_attrs:
            succ[v], pred[v], node_attrs[v] = {}, {}, {}
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = pred[v][u] = {}
        keys[len(keys)] = dict(attrs)
    nx._clear_cache(G)


def _located_in(G: nx.MultiDiGraph, nodes: list[str], codes: list, sources: list[str]) -> set[str]:
    """Link each node to its finest known area; return the area codes used."""
    add_edges(G, (
        (node, f"area:{code}", {"kind": "located_in", "source": source})
        for node, code, source in zip(nodes, codes, sources)
        if code
    ))
    return {code for code in codes if code}


def _add_organisations(G: nx.MultiDiGraph, dataset: Dataset) -> set[str]:
    orgs = dataset["organisations"]
    ids = [str(org_id) for org_id in orgs["org_id"]]
    nodes = [f"org:{org_id}" for org_id in ids]
    sources = source_of(dataset, "organisations", orgs["row"])
    agencies = find_agencies(orgs).to_dict()  # a dict look-up per organisation, not a Series one
    add_nodes(G, (
        (node, _drop_none({"kind": "organisation", "label": name, "label_en": "", "org_kind": kind,
                           "agency_id": agencies[org_id], "source": source}))
        for node, org_id, name, kind, source in zip(nodes, ids, _column(orgs, "name"), _column(orgs, "kind"), sources)
    ))
    known = set(ids)
    add_edges(G, (
        (node, f"org:{parent}", {"kind": "part_of", "source": source})
        for node, parent, source in zip(nodes, _column(orgs, "parent_id"), sources)
        if parent in known
    ))
    return _located_in(G, nodes, _column(orgs, "area_code"), sources)


def _add_projects(G: nx.MultiDiGraph, dataset: Dataset) -> set[str]:
    projects = dataset["projects"]
    nodes = [f"project:{project_id}" for project_id in projects["project_id"]]
    sources = source_of(dataset, "projects", projects["row"])
    columns = ("title", "category", "start", "end", "budget_thb")
    values = zip(*(_column(projects, c) for c in columns))
    add_nodes(G, (
        (node, _drop_none({"kind": "project", "label": title, "label_en": "", "category": category,
                           "start": start, "end": end, "budget_thb": budget, "source": source}))
        for node, (title, category, start, end, budget), source in zip(nodes, values, sources)
    ))
    add_edges(G, (
        (f"org:{lead}", node, {"kind": "leads", "source": source})
        for node, lead, source in zip(nodes, _column(projects, "lead_org_id"), sources)
        if lead and f"org:{lead}" in G
    ))
    return _located_in(G, nodes, _column(projects, "area_code"), sources)


def _roster(dataset: Dataset, persons: pd.DataFrame) -> pd.DataFrame:
    """The used people records with their person_id and ``source``, in row order."""
    people = dataset["people"].merge(persons[["record_id", "person_id", "person_name"]], on="record_id")
    people = people.sort_values("row", kind="stable").reset_index(drop=True)
    people["source"] = source_of(dataset, "people", people["row"])
    return people


def find_public_people(people: pd.DataFrame, organisations: pd.DataFrame) -> pd.Series:
    """True for each people record that holds a public role (:data:`PUBLIC_ROLES`), or is
    staff (:data:`STAFF_ROLES`) on the roster of an organisation under an agency."""
    has_agency = people["org_id"].map(find_agencies(organisations)).notna()
    return _has_role(people["role"], PUBLIC_ROLES) | (_has_role(people["role"], STAFF_ROLES) & has_agency)


def _person_nodes(people: pd.DataFrame) -> dict[str, dict]:
    """person node id -> attributes, gathered from the person's records in row order."""
    nodes: dict[str, dict] = {}
    columns = ("person_id", "person_name", "record_id", "role", "phone", "email", "is_public", "source")
    for person_id, name, record_id, role, phone, email, is_public, source in zip(*(_column(people, c) for c in columns)):
        key = f"person:{person_id}"
        node = nodes.get(key)
        if node is None:  # a person's first record: made once, not for every record as setdefault's default
            node = nodes[key] = {"kind": "person", "label": name, "label_en": "", "records": set(), "roles": set(),
                                 "phones": set(), "emails": set(), "is_public_role": False, "source": source}
        node["records"].add(record_id)
        if is_public:
            node["is_public_role"] = True
        if role:
            node["roles"].add(role)
        if phone:
            node["phones"].add(phone)
        if email:
            node["emails"].add(email)
    for node in nodes.values():
        for key in ("records", "roles", "phones", "emails"):
            node[key] = sorted(node[key])
    return nodes


def _add_persons(G: nx.MultiDiGraph, dataset: Dataset, people: pd.DataFrame) -> set[str]:
    people = people.assign(is_public=find_public_people(people, dataset["organisations"]).to_numpy())
    add_nodes(G, sorted(_person_nodes(people).items()))
    nodes = [f"person:{person_id}" for person_id in _column(people, "person_id")]
    add_edges(G, (
        (node, f"org:{org_id}", _drop_none({"kind": "member_of", "role": role, "record_id": record_id, "source": source}))
        for node, org_id, role, record_id, source in zip(
            nodes, _column(people, "org_id"), _column(people, "role"), _column(people, "record_id"),
            _column(people, "source"))
        if org_id and f"org:{org_id}" in G
    ))
    places = people.dropna(subset=["area_code"]).drop_duplicates(["person_id", "area_code"])
    return _located_in(G, [f"person:{p}" for p in _column(places, "person_id")], _column(places, "area_code"),
                       _column(places, "source"))


def _add_funding(G: nx.MultiDiGraph, dataset: Dataset) -> None:
    """Funder → stream → receiver; a row without a stream links funder → receiver directly.

    A row naming both a project and a recipient organisation pays the project: counting it
    twice would double the money.
    """
    funding = dataset["funding"]
    sources = source_of(dataset, "funding", funding["row"])
    rows = zip(_column(funding, "funder_id"), _column(funding, "project_id"), _column(funding, "recipient_org_id"),
               _column(funding, "amount_thb"), _column(funding, "stream"), sources)
    edges = []
    node_attrs = G._node  # the graph's node dict (add_nodes): a look-up, not a NodeView's
    for funder, project_id, recipient, amount, stream, source in rows:
        receiver = f"project:{project_id}" if project_id else f"org:{recipient}"
        if receiver not in node_attrs or f"org:{funder}" not in node_attrs:
            continue
        money = _drop_none({"amount_thb": amount, "stream": stream, "source": source})
        if not stream:
            edges.append((f"org:{funder}", receiver, {"kind": "funds", **money}))
            continue
        node = f"stream:{funder}:{stream}"
        if node not in node_attrs:
            add_nodes(G, [(node, {"kind": "stream", "label": stream, "label_en": "", "funder_id": funder,
                                  "amount_thb": 0.0, "n_payments": 0, "source": source})])
        attrs = node_attrs[node]
        attrs["amount_thb"] += amount or 0.0
        attrs["n_payments"] += 1
        edges.append((f"org:{funder}", node, {"kind": "funds", **money}))
        edges.append((node, receiver, {"kind": "pays", **money}))
    # every end is a node already (streams are added above), so the edges may wait
    add_edges(G, edges)


def _add_participation(G: nx.MultiDiGraph, dataset: Dataset, persons: pd.DataFrame) -> None:
    participation = dataset["participation"]
    sources = source_of(dataset, "participation", participation["row"])
    person_of = dict(zip(_column(persons, "record_id"), _column(persons, "person_id")))
    rows = zip(_column(participation, "project_id"), _column(participation, "record_id"),
               _column(participation, "org_id"), _column(participation, "role"), sources)
    edges = []
    for project_id, record_id, org_id, role, source in rows:
        attrs = _drop_none({"kind": "takes_part", "role": role, "record_id": record_id, "source": source})
        if record_id in person_of:
            edges.append((f"person:{person_of[record_id]}", f"project:{project_id}", attrs))
        if org_id:
            edges.append((f"org:{org_id}", f"project:{project_id}", {k: v for k, v in attrs.items() if k != "record_id"}))
    add_edges(G, ((u, v, attrs) for u, v, attrs in edges if u in G._node and v in G._node))


def build_graph(dataset: Dataset, persons: pd.DataFrame, gazetteer=None) -> nx.MultiDiGraph:
    """The stakeholder graph of a checked dataset and its resolved persons.

    Parameters
    ----------
    dataset : a checked :class:`analysis.dataset.Dataset` (any table may be empty).
    persons : record_id, person_id, person_name — one row per used people record.
    gazetteer : :class:`analysis.places.Gazetteer` for area names and province groups;
        loaded when None.

    Returns
    -------
    nx.MultiDiGraph
        Nodes of kind person, organisation, project, area and stream; edges of kind
        member_of, part_of, leads, funds, pays, takes_part and located_in (module docstring).
        Person nodes hold ``records``, ``roles``, ``phones``, ``emails`` (sorted lists) and
        ``is_public_role``; organisation nodes ``org_kind`` and ``agency_id``; project nodes
        ``category``, ``start``, ``end`` (ISO dates) and ``budget_thb``; area nodes
        ``area_level``; stream nodes ``funder_id``, ``amount_thb`` and ``n_payments``.
        An unknown value is absent.
    """
    if gazetteer is None:
        from analysis.places import load_gazetteer

        gazetteer = load_gazetteer()
    G = nx.MultiDiGraph()
    codes = _add_organisations(G, dataset)
    codes |= _add_projects(G, dataset)
    codes |= _add_persons(G, dataset, _roster(dataset, persons))
    _add_funding(G, dataset)
    _add_participation(G, dataset, persons)
    add_areas(G, codes, gazetteer)
    return G
