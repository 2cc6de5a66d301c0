"""The stakeholder graph as files other tools open: GEXF and GraphML (Gephi), node and edge CSV.

GraphML and GEXF take only scalar attributes (str, int, float, bool), one type per
attribute name across the graph; networkx raises on lists and writes ``None`` as the text
"None". :func:`build_export_lists` makes nodes and edges that survive both: lists joined with
``" | "`` (the separator the input's ``aliases`` use), ``None`` dropped, numpy values cast
to Python, an attribute whose type differs between nodes written as text everywhere.
"""

import re
from pathlib import Path

import networkx as nx
import pandas as pd

from analysis.render.tables import write_csv
from analysis.render.views import redact_graph

LIST_SEPARATOR = " | "


def to_scalar(value):
    """A value GraphML and GEXF can hold, or None to leave the attribute out.

    Examples
    --------
    >>> to_scalar(["ประธาน", "กรรมการ"]), to_scalar(None), to_scalar(3)
    ('ประธาน | กรรมการ', None, 3)
    """
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (list, tuple, set, dict)):
        value = value.item()  # numpy scalar → Python
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (list, tuple, set)):
        return LIST_SEPARATOR.join(str(v) for v in (sorted(value, key=str) if isinstance(value, set) else value))
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


#: Types :func:`to_scalar` returns unchanged (not float: NaN is dropped). Testing for them
#: first spares a call per attribute: most are text, and a national graph has millions.
PLAIN_TYPES = frozenset({str, int, bool})


def _scalar_attrs(attrs: dict) -> dict:
    scalar = {}
    for key, value in attrs.items():
        if type(value) not in PLAIN_TYPES:
            value = to_scalar(value)
            if value is None:
                continue
        scalar[key] = value
    return scalar


def _unify_types(items: list[dict]) -> None:
    """Write as text every attribute whose Python type differs between items (in place):
    GraphML declares one type per attribute name."""
    types: dict[str, set] = {}
    for attrs in items:
        for key, value in attrs.items():
            types.setdefault(key, set()).add(type(value))
    mixed = {key for key, found in types.items() if len(found) > 1}
    for attrs in items:
        for key in mixed & attrs.keys():
            attrs[key] = str(attrs[key])


def _sorted_edges(G: nx.MultiDiGraph) -> list[tuple]:
    """Edges sorted by (str(u), str(v), then their attributes as text).

    Read from the adjacency, where the parallel edges of a pair are already together: the
    pairs are sorted, and the attributes' text, which only orders parallel edges, is written
    for those alone. Node ids are distinct as text (the graph's ``kind:id``), so this is the
    order one stable sort of all edges on the three keys gives.
    """
    ordered = []
    for u, neighbours in sorted(G.adjacency(), key=lambda item: str(item[0])):
        for v in sorted(neighbours, key=str):
            parallel = neighbours[v].values()
            if len(parallel) == 1:
                ordered += [(u, v, attrs) for attrs in parallel]
            else:
                ordered += sorted(((u, v, attrs) for attrs in parallel), key=lambda e: str(sorted(e[2].items())))
    return ordered


def build_export_lists(G: nx.MultiDiGraph) -> tuple[list[tuple], list[tuple]]:
    """``G``'s nodes as ``(node, attrs)`` and edges as ``(u, v, attrs)``, attributes made
    GraphML/GEXF-safe (module docstring), nodes sorted by ``str(node)``, edges by
    :func:`_sorted_edges`: the order of every export file."""
    nodes = [(node, _scalar_attrs(attrs)) for node, attrs in sorted(G.nodes(data=True), key=lambda n: str(n[0]))]
    edges = [(u, v, _scalar_attrs(attrs)) for u, v, attrs in _sorted_edges(G)]
    _unify_types([attrs for _, attrs in nodes])
    _unify_types([attrs for *_, attrs in edges])
    return nodes, edges


def build_export_graph(nodes: list[tuple], edges: list[tuple]) -> nx.MultiDiGraph:
    """The graph GEXF and GraphML are written from: :func:`build_export_lists`' nodes and
    edges, in their order (each node's edges follow it as they went in; node ids are distinct
    as text, as the graph's ``kind:id`` ids are)."""
    X = nx.MultiDiGraph()
    X.add_nodes_from(nodes)
    X.add_edges_from(edges)
    return X


def build_node_table(nodes: list[tuple]) -> pd.DataFrame:
    """One row per ``(node, attrs)``: ``node_id`` then every attribute, columns sorted after the first."""
    table = pd.DataFrame([{"node_id": node, **attrs} for node, attrs in nodes])
    return table[["node_id", *sorted(c for c in table.columns if c != "node_id")]] if len(table) else pd.DataFrame(columns=["node_id"])


def build_edge_table(edges: list[tuple]) -> pd.DataFrame:
    """One row per ``(u, v, attrs)``: ``source_node``, ``target_node`` then every attribute
    (``source`` keeps its meaning: the file and row the edge came from)."""
    table = pd.DataFrame([{"source_node": u, "target_node": v, **attrs} for u, v, attrs in edges])
    first = ["source_node", "target_node"]
    return table[[*first, *sorted(c for c in table.columns if c not in first)]] if len(table) else pd.DataFrame(columns=first)


def write_gexf(X: nx.Graph, path: Path) -> Path:
    """GEXF 1.2 as UTF-8 without the ``lastmodifieddate`` networkx stamps with today's date:
    same graph, same bytes."""
    text = "<?xml version='1.0' encoding='utf-8'?>\n" + "\n".join(nx.generate_gexf(X, encoding="utf-8"))
    text = re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)
    path.write_bytes((text + "\n").encode("utf-8"))
    return path


#: Largest graph written as GEXF and GraphML. Gephi's own guidance puts its comfortable
#: limit near 100,000 nodes, and networkx builds each file whole in memory: at national scale
#: (about 500,000 nodes) the two took 185 s and 5 GB, for files no one could open. Bigger
#: graphs get the node and edge CSV files only, which Gephi's spreadsheet import also reads.
MAX_XML_NODES = 100_000


def write_exports(G: nx.MultiDiGraph, out_dir, public: bool = False, max_xml_nodes: int = MAX_XML_NODES) -> list[Path]:
    """Write ``network.gexf``, ``network.graphml`` (when the graph has at most
    ``max_xml_nodes`` nodes), ``network_nodes.csv`` and ``network_edges.csv`` into
    ``out_dir``; return their paths.

    With ``public=True`` the graph is redacted first (:func:`analysis.render.views.redact_graph`):
    no phones, e-mails, record ids or source rows, and people without a public role unnamed.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    nodes, edges = build_export_lists(redact_graph(G) if public else G)
    written = []
    if len(nodes) <= max_xml_nodes:
        X = build_export_graph(nodes, edges)
        gexf, graphml = out_dir / "network.gexf", out_dir / "network.graphml"
        write_gexf(X, gexf)
        nx.write_graphml(X, graphml, encoding="utf-8")
        written += [gexf, graphml]
    # The tables come from the lists, not from a graph: nationally, building one only
    # to read it back cost 8 s.
    written.append(write_csv(build_node_table(nodes), out_dir / "network_nodes.csv"))
    written.append(write_csv(build_edge_table(edges), out_dir / "network_edges.csv"))
    return written
