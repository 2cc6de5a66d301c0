"""The stakeholder graph as files other tools open: GEXF and GraphML (Gephi), node and edge CSV.

GraphML and GEXF take only scalar attributes (str, int, float, bool), one type per
attribute name across the graph; networkx raises on lists and writes ``None`` as the text
"None". :func:`build_export_lists` makes nodes and edges that survive both: lists joined with
``" | "`` (the separator the input's ``aliases`` use), ``None`` dropped, numpy values cast
to Python, an attribute whose type differs between nodes written as text everywhere.

The two XML files are written here rather than by networkx, whose files Gephi misread
(issue 17): its GraphML names parallel edges ``0``, ``1`` … and Gephi's importer skips an
edge whose id it has seen (7,797 of 7,864 edges lost on the province sample); its GEXF has
``<graph name="">`` (refused by the GEXF 1.2 schema), a ``networkx_key`` column, and turns
dynamic as soon as a node has ``start``/``end``, so projects vanish once Gephi's timeline
is used. Here:

- **Parallel edges are merged.** All edges from one node to another become one edge:
  ``kind`` lists their kinds, ``weight`` adds their weights (1 each when they have none),
  ``amount_thb`` adds the money, ``n_ties`` counts them, other texts are listed once each
  (:func:`merge_parallel_edges`). Gephi merges parallel edges of one type on import anyway,
  summing weights but not amounts; merging first keeps every baht. The CSV files keep every
  edge as it is.
- **Ids are valid XML**: node ids keep letters, digits, Thai, ``.``, ``-``, ``_``, ``:``
  (GraphML's ``xs:NMTOKEN``) and change anything else to ``_`` (:func:`build_xml_ids`);
  the node's id in the CSV files is kept as the ``node_id`` attribute. Edges are ``e0``,
  ``e1`` … in the order of :func:`build_export_lists`.
- **Gephi draws what the views draw**: each node carries the views' colour for its kind
  (:data:`analysis.render.views.NODE_STYLES`), their size by degree
  (:func:`analysis.render.views.compute_sizes`) and the position of
  :func:`analysis.render.layout.compute_layout` with the views' seed (GEXF ``viz:color``,
  ``viz:size``, ``viz:position``; GraphML ``r``, ``g``, ``b``, ``size``, ``x``, ``y``, which
  Gephi's GraphML importer reads too). A view of a small graph shows these same positions;
  a folded view draws its own, smaller graph. Positions are left out above
  :data:`MAX_POSITION_NODES` nodes (Gephi's own layouts are then the better start).
- **Static unless asked**: project dates are ordinary attributes; ``dynamic=True``
  (``stakemap run --dynamic``) also writes them as GEXF spells, for Gephi's timeline.
- Every text goes through :func:`analysis.render.xmltext.clean_xml_text`.

References
----------
GEXF Working Group, *GEXF 1.2draft Primer*, 2010 (gexf.net). Brandes, U., Eiglsperger, M.,
Lerner, J., & Pich, C., "Graph Markup Language (GraphML)", in *Handbook of Graph Drawing and
Visualization*, 2013 (GraphML 1.0).
"""

import math
import re
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path
from xml.sax.saxutils import escape

import networkx as nx

from analysis.render.layout import compute_layout
from analysis.render.tables import write_columns_csv
from analysis.render.views import NODE_STYLES, OTHER_COLOUR, compute_measure, compute_sizes, redact_graph
from analysis.render.xmltext import clean_xml_text

LIST_SEPARATOR = " | "


#: Types :func:`to_scalar` returns unchanged (not float: NaN is dropped). A column holding
#: only these is taken as it is: most are text, and a national graph has millions of values.
PLAIN_TYPES = frozenset({str, int, bool, type(None)})


def to_scalar(value):
    """A value GraphML and GEXF can hold, or None to leave the attribute out.

    Examples
    --------
    >>> to_scalar(["ประธาน", "กรรมการ"]), to_scalar(None), to_scalar(3)
    ('ประธาน | กรรมการ', None, 3)
    """
    if type(value) in PLAIN_TYPES:
        return value
    if type(value) is float:
        return None if value != value else value
    if hasattr(value, "item") and not isinstance(value, (list, tuple, set, dict)):
        value = value.item()  # numpy scalar → Python
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (list, tuple, set)):
        return LIST_SEPARATOR.join(str(v) for v in (sorted(value, key=str) if isinstance(value, set) else value))
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def build_scalar_columns(items: list[dict]) -> dict[str, list]:
    """The items' attributes as columns: name → one value per item (None where it has
    none), made GraphML/GEXF-safe (module docstring), names sorted.

    Column by column rather than item by item: nationally the edges are 1.3 million dicts,
    and a copy of each made the exports the largest buffer of a run (issue 19). Each column
    is read with ``dict.get`` mapped over the items, in C, not a Python loop over every
    value (four million nationally).

    Examples
    --------
    >>> build_scalar_columns([{"roles": ["ประธาน"], "n": 1}, {"n": "2", "x": float("nan")}])
    {'n': ['1', '2'], 'roles': ['ประธาน', None]}
    """
    safe = {}
    for key in sorted(set().union(*items)):
        values = list(map(dict.get, items, repeat(key)))
        types = set(map(type, values))
        if not types <= PLAIN_TYPES:  # values to change, then their types read again (else once: a million values)
            if types <= PLAIN_TYPES | {float}:  # only NaN to drop: no call a value (amounts: a million)
                values = [None if value != value else value for value in values]
            else:
                values = [value if type(value) in PLAIN_TYPES else to_scalar(value) for value in values]
            types = set(map(type, values))
        types -= {type(None)}
        if len(types) > 1:
            values = [None if value is None else str(value) for value in values]
        if types:
            safe[key] = values
    return safe


def list_rows(columns: dict[str, list], n: int) -> list[dict]:
    """The ``n`` items of :func:`build_scalar_columns`' columns again, as dicts without Nones."""
    rows: list[dict] = [{} for _ in range(n)]
    for key, values in columns.items():
        for row, value in zip(rows, values):
            if value is not None:
                row[key] = value
    return rows


def list_sorted_edges(G: nx.MultiDiGraph) -> tuple[list, list, list[dict]]:
    """``(sources, targets, attrs)``: one entry per edge of ``G``, edges sorted by
    (str(u), str(v), then their attributes as text).

    Three lists rather than a tuple per edge: nationally 1.3 million tuples cost 0.1 GB and,
    with the lists made from them, a third of the exports' time. Read from the adjacency, a
    node's neighbours at a time: the pairs are sorted, and the attributes' text, which only
    orders parallel edges, is written for those alone. Node ids are distinct as text (the
    graph's ``kind:id``), so this is the order one stable sort of all edges on the three
    keys gives.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("b", "a", {"w": 2}), ("a", "c"), ("b", "a", {"w": 1})])
    >>> list_sorted_edges(G)
    (['a', 'b', 'b'], ['c', 'a', 'a'], [{}, {'w': 1}, {'w': 2}])
    """
    sources, targets, items = [], [], []
    as_text = None if all(type(node) is str for node in G) else str  # str(u) is u: sort without a call each
    for u, neighbours in sorted(G.adjacency(), key=itemgetter(0) if as_text is None else lambda item: str(item[0])):
        ends = sorted(neighbours, key=as_text)
        parallel = list(map(neighbours.__getitem__, ends))
        counts = list(map(len, parallel))
        n_edges = sum(counts)
        sources += repeat(u, n_edges)
        if n_edges == len(ends):  # no parallel edges: the whole run at once
            targets += ends
            items += chain.from_iterable(map(dict.values, parallel))
            continue
        for v, edges, n in zip(ends, parallel, counts):
            targets += repeat(v, n)
            items += edges.values() if n == 1 else sorted(edges.values(), key=lambda attrs: str(sorted(attrs.items())))
    return sources, targets, items


def build_node_columns(G: nx.MultiDiGraph) -> dict[str, list]:
    """``G``'s nodes as the columns of ``network_nodes.csv``: ``node_id`` then every
    attribute (:func:`build_scalar_columns`), nodes sorted by ``str(node)``."""
    nodes = sorted(G.nodes(data=True), key=itemgetter(0) if all(type(node) is str for node in G) else lambda n: str(n[0]))
    return {"node_id": list(map(itemgetter(0), nodes)), **build_scalar_columns(list(map(itemgetter(1), nodes)))}


def build_edge_columns(G: nx.MultiDiGraph) -> dict[str, list]:
    """``G``'s edges as the columns of ``network_edges.csv``: ``source_node``,
    ``target_node`` (``source`` keeps its meaning: the file and row the edge came from)
    then every attribute, edges as :func:`list_sorted_edges` orders them."""
    sources, targets, items = list_sorted_edges(G)
    return {"source_node": sources, "target_node": targets, **build_scalar_columns(items)}


def build_export_lists(G: nx.MultiDiGraph) -> tuple[list[tuple], list[tuple]]:
    """``G``'s nodes as ``(node, attrs)`` and edges as ``(u, v, attrs)``, attributes made
    GraphML/GEXF-safe (module docstring), in the order of every export file."""
    return list_export_rows(build_node_columns(G), build_edge_columns(G))


def list_export_rows(node_columns: dict[str, list], edge_columns: dict[str, list]) -> tuple[list[tuple], list[tuple]]:
    """:func:`build_node_columns` and :func:`build_edge_columns` as the lists of :func:`build_export_lists`."""
    node_ids, *_ = node_columns.values()
    sources, targets, *_ = edge_columns.values()
    node_attrs = {key: values for key, values in node_columns.items() if key != "node_id"}
    edge_attrs = {key: values for key, values in edge_columns.items() if key not in ("source_node", "target_node")}
    nodes = list(zip(node_ids, list_rows(node_attrs, len(node_ids))))
    edges = list(zip(sources, targets, list_rows(edge_attrs, len(sources))))
    return nodes, edges


#: Attributes that merged edges add up (:func:`merge_parallel_edges`); the rest are listed.
SUMMED_EDGE_ATTRS = ("weight", "amount_thb")


def merge_parallel_edges(edges: list[tuple]) -> list[tuple]:
    """One edge per (from, to) pair: the module's rule for parallel edges.

    ``edges`` as :func:`build_export_lists` gives them (parallel edges together, in order).

    Examples
    --------
    >>> merge_parallel_edges([("f", "p", {"kind": "funds", "amount_thb": 100.0}),
    ...                       ("f", "p", {"kind": "leads"}),
    ...                       ("f", "p", {"kind": "funds", "amount_thb": 50.0})])
    [('f', 'p', {'kind': 'funds | leads', 'amount_thb': 150.0, 'n_ties': 3, 'weight': 3})]
    """
    merged, by_pair = [], {}
    for u, v, attrs in edges:
        if (u, v) in by_pair:
            by_pair[(u, v)].append(attrs)
        else:
            by_pair[(u, v)] = [attrs]
            merged.append((u, v))
    result = []
    for u, v in merged:
        group = by_pair[(u, v)]
        attrs: dict = {}
        for key in dict.fromkeys(k for a in group for k in a):
            values = [a[key] for a in group if key in a]
            if key in SUMMED_EDGE_ATTRS and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in values):
                continue  # added below
            distinct = list(dict.fromkeys(values))
            attrs[key] = distinct[0] if len(distinct) == 1 else LIST_SEPARATOR.join(sorted(map(str, distinct)))
        amounts = [a["amount_thb"] for a in group if isinstance(a.get("amount_thb"), (int, float))]
        if amounts:
            attrs["amount_thb"] = float(sum(amounts))
        attrs["n_ties"] = len(group)
        attrs["weight"] = sum(a.get("weight", 1) if isinstance(a.get("weight", 1), (int, float)) else 1 for a in group)
        result.append((u, v, attrs))
    return result


#: Characters kept in an XML id: those of XML 1.0's NameChar (4th edition, the strictest
#: reading of GraphML's ``xs:NMTOKEN``) that ids here use: ASCII letters and digits,
#: ``.-_:``, and the Thai letters, vowels, tone marks and digits (U+0E01–0E2E, 0E30–0E3A,
#: 0E40–0E4E, 0E50–0E59; ฯ U+0E2F and ๏ U+0E4F are not name characters).
XML_ID_REFUSED = re.compile("[^A-Za-z0-9._:\\-\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e\u0e50-\u0e59]")


def build_xml_ids(nodes: list) -> dict:
    """node -> an id valid in GraphML and GEXF, distinct, the same on every run.

    Refused characters become ``_``; when two nodes then share an id, the later in the
    (sorted) order gets ``_2``, ``_3`` ….

    Examples
    --------
    >>> build_xml_ids(["stream:CODI:บ้านมั่นคง (2567)", "stream:CODI:บ้านมั่นคง [2567]", "org:A"])
    {'stream:CODI:บ้านมั่นคง (2567)': 'stream:CODI:บ้านมั่นคง__2567_', 'stream:CODI:บ้านมั่นคง [2567]': 'stream:CODI:บ้านมั่นคง__2567__2', 'org:A': 'org:A'}
    """
    ids, taken = {}, set()
    for node in nodes:
        base = XML_ID_REFUSED.sub("_", clean_xml_text(str(node))) or "_"
        xml_id, n = base, 1
        while xml_id in taken:
            n += 1
            xml_id = f"{base}_{n}"
        taken.add(xml_id)
        ids[node] = xml_id
    return ids


#: Largest graph whose node positions are computed for the XML files. The layout of
#: 2,164 nodes took 17 s (igraph's Fruchterman-Reingold, on the 2-core machine shared by
#: seven jobs, load 8), and grows faster than the node count; no view draws a graph that
#: large unfolded, and Gephi's own ForceAtlas 2 lays out a big graph better than a fixed
#: picture would. Larger graphs get colours and sizes only (Gephi then places nodes at random).
MAX_POSITION_NODES = 3_000


def compute_viz(nodes: list[tuple], edges: list[tuple], seed: int = 42,
                max_position_nodes: int = MAX_POSITION_NODES) -> dict:
    """node -> ``(colour, size, (x, y) or None)`` as the views draw it: the colour of its
    kind (:data:`NODE_STYLES`), the radius by degree (:func:`compute_sizes`) and the position
    of :func:`compute_layout` with the views' seed, y pointing up as in Gephi (no position
    above ``max_position_nodes`` nodes)."""
    H = nx.Graph()
    H.add_nodes_from(node for node, _ in nodes)
    H.add_edges_from((u, v) for u, v, _ in edges)
    pos = compute_layout(H, seed=seed) if len(H) <= max_position_nodes else {}
    sizes = compute_sizes(compute_measure(H, "degree"), H.nodes)
    viz = {}
    for node, attrs in nodes:
        colour = NODE_STYLES[attrs["kind"]][2] if attrs.get("kind") in NODE_STYLES else OTHER_COLOUR
        x, y = pos.get(node, (None, None))
        viz[node] = (colour, sizes[node], None if x is None else (x, -y if y else 0.0))
    return viz


def format_xml_value(value) -> str:
    """An attribute value as XML Schema writes it (``true``, ``INF``, ``0.5``), cleaned."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return clean_xml_text(str(value))


#: Escapes for a double-quoted XML attribute value; line breaks and tabs as character
#: references, which attribute-value normalisation would otherwise turn into spaces.
ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                                   "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _attr(value) -> str:
    return '"' + format_xml_value(value).translate(ATTRIBUTE_ESCAPES) + '"'


def _declare(items: list[dict]) -> dict[str, type]:
    """attribute name -> its Python type, names sorted (one type each: :func:`build_scalar_columns`)."""
    types: dict[str, type] = {}
    for attrs in items:
        for key, value in attrs.items():
            types.setdefault(key, type(value))
    return dict(sorted(types.items()))


GEXF_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
#: XML 1.0 names for attribute names (GraphML's ``attr.name`` is an ``xs:NMTOKEN`` too).
ATTR_NAME_REFUSED = re.compile("[^A-Za-z0-9._\\-]")


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _iso_date(value) -> str | None:
    """``YYYY-MM-DD`` when ``value`` begins with a date (project ``start``/``end``)."""
    match = re.match(r"\d{4}-\d{2}-\d{2}", str(value))
    return match.group(0) if match else None


def render_gexf(nodes: list[tuple], edges: list[tuple], viz: dict, ids: dict, dynamic: bool = False) -> str:
    """GEXF 1.2 text: static (``dynamic=False``) or with project periods as spells."""
    node_types = _declare([a for _, a in nodes])
    edge_types = _declare([a for *_, a in edges])
    node_keys = {key: f"n{i}" for i, key in enumerate(node_types)}
    edge_keys = {key: f"e{i}" for i, key in enumerate(edge_types)}
    mode = ' mode="dynamic" timeformat="date"' if dynamic else ' mode="static"'
    out = ["<?xml version='1.0' encoding='utf-8'?>",
           '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" version="1.2">',
           "  <meta>", "    <creator>stakemap</creator>",
           "    <description>stakeholder network: persons, organisations, projects, funding streams, areas</description>",
           "  </meta>", f'  <graph defaultedgetype="directed"{mode}>']
    for cls, types, keys in (("node", node_types, node_keys), ("edge", edge_types, edge_keys)):
        out.append(f'    <attributes class="{cls}" mode="static">')
        out += [f'      <attribute id="{keys[k]}" title={_attr(k)} type="{GEXF_TYPES[t]}" />' for k, t in types.items()]
        out.append("    </attributes>")
    out.append("    <nodes>")
    for node, attrs in nodes:
        spell = ""
        if dynamic and attrs.get("kind") == "project":
            start, end = _iso_date(attrs.get("start", "")), _iso_date(attrs.get("end", ""))
            spell = (f' start="{start}"' if start else "") + (f' end="{end}"' if end else "")
        out.append(f'      <node id={_attr(ids[node])} label={_attr(attrs.get("label", node))}{spell}>')
        out.append("        <attvalues>")
        out += [f'          <attvalue for="{node_keys[k]}" value={_attr(v)} />' for k, v in sorted(attrs.items())]
        out.append("        </attvalues>")
        colour, size, position = viz[node]
        r, g, b = _rgb(colour)
        out += [f'        <viz:color r="{r}" g="{g}" b="{b}" />', f'        <viz:size value="{size}" />']
        if position is not None:
            out.append(f'        <viz:position x="{position[0]}" y="{position[1]}" z="0.0" />')
        out.append("      </node>")
    out += ["    </nodes>", "    <edges>"]
    for number, (u, v, attrs) in enumerate(edges):
        out.append(f'      <edge id="e{number}" source={_attr(ids[u])} target={_attr(ids[v])} '
                   f'label={_attr(attrs.get("kind", ""))} weight="{float(attrs["weight"])}">')
        out.append("        <attvalues>")
        out += [f'          <attvalue for="{edge_keys[k]}" value={_attr(v)} />' for k, v in sorted(attrs.items())]
        out += ["        </attvalues>", "      </edge>"]
    out += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(out)


#: Node attributes Gephi's GraphML importer reads as colour, size and position.
GRAPHML_VIZ = ("r", "g", "b", "size", "x", "y")


def _graphml_viz(colour: str, size: float, position: tuple | None) -> dict:
    r, g, b = _rgb(colour)
    place = {} if position is None else {"x": float(position[0]), "y": float(position[1])}
    return {"r": r, "g": g, "b": b, "size": float(size), **place}


def render_graphml(nodes: list[tuple], edges: list[tuple], viz: dict, ids: dict) -> str:
    """GraphML 1.0 text; nodes carry Gephi's ``r g b size x y`` beside their own attributes
    (an attribute of the graph with one of those names gives way)."""
    drawn = [(node, {**{k: v for k, v in attrs.items() if k not in GRAPHML_VIZ}, **_graphml_viz(*viz[node])})
             for node, attrs in nodes]
    node_types, edge_types = _declare([a for _, a in drawn]), _declare([a for *_, a in edges])
    node_keys = {key: f"d{i}" for i, key in enumerate(node_types)}
    edge_keys = {key: f"d{i + len(node_keys)}" for i, key in enumerate(edge_types)}
    out = ["<?xml version='1.0' encoding='utf-8'?>",
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    for cls, types, keys in (("node", node_types, node_keys), ("edge", edge_types, edge_keys)):
        out += [f'  <key id="{keys[k]}" for="{cls}" attr.name="{ATTR_NAME_REFUSED.sub("_", k)}" '
                f'attr.type="{GRAPHML_TYPES[t]}" />' for k, t in types.items()]
    out.append('  <graph id="G" edgedefault="directed">')
    for node, attrs in drawn:
        out.append(f"    <node id={_attr(ids[node])}>")
        out += [f'      <data key="{node_keys[k]}">{escape(format_xml_value(v))}</data>' for k, v in sorted(attrs.items())]
        out.append("    </node>")
    for number, (u, v, attrs) in enumerate(edges):
        out.append(f'    <edge id="e{number}" source={_attr(ids[u])} target={_attr(ids[v])}>')
        out += [f'      <data key="{edge_keys[k]}">{escape(format_xml_value(val))}</data>' for k, val in sorted(attrs.items())]
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out)


#: Largest graph written as GEXF and GraphML. Gephi's own guidance puts its comfortable
#: limit near 100,000 nodes, and each file is built whole in memory: at national scale
#: (about 500,000 nodes) the two took 185 s and 5 GB with networkx, for files no one could open. Bigger
#: graphs get the node and edge CSV files only, which Gephi's spreadsheet import also reads.
MAX_XML_NODES = 100_000


def write_exports(G: nx.MultiDiGraph, out_dir, public: bool = False, max_xml_nodes: int = MAX_XML_NODES,
                  dynamic: bool = False, seed: int = 42) -> list[Path]:
    """Write ``network.gexf``, ``network.graphml`` (when the graph has at most
    ``max_xml_nodes`` nodes), ``network_nodes.csv`` and ``network_edges.csv`` into
    ``out_dir``; return their paths.

    The XML files follow the module's rules (merged parallel edges, XML ids, the views'
    colours, sizes and positions from ``seed``, static unless ``dynamic``); the CSV files
    keep every node and edge as they are. With ``public=True`` the graph is redacted first
    (:func:`analysis.render.views.redact_graph`): no phones, e-mails, record ids or source
    rows, and people without a public role unnamed.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    G = redact_graph(G) if public else G
    # The tables come from columns, not from a graph (nationally, building one only to read
    # it back cost 8 s) nor a DataFrame (3 s).
    node_columns = build_node_columns(G)
    has_xml = len(node_columns["node_id"]) <= max_xml_nodes
    edge_columns = build_edge_columns(G) if has_xml else None
    written = write_xml_files(node_columns, edge_columns, out_dir, dynamic, seed) if has_xml else []
    written.append(write_columns_csv(node_columns, out_dir / "network_nodes.csv"))
    # Without XML files, the edge columns are built once the node columns are let go: the
    # two are never held together (nationally 0.1 GB less at the exports' peak, docs/scaling.md).
    del node_columns
    written.append(write_columns_csv(edge_columns if has_xml else build_edge_columns(G), out_dir / "network_edges.csv"))
    return written


def write_xml_files(node_columns: dict[str, list], edge_columns: dict[str, list], out_dir: Path,
                    dynamic: bool = False, seed: int = 42) -> list[Path]:
    """Write ``network.gexf`` and ``network.graphml`` (:func:`write_exports`) from the
    columns of the CSV files; return their paths."""
    nodes, edges = list_export_rows(node_columns, edge_columns)
    ids = build_xml_ids([node for node, _ in nodes])
    xml_nodes = [(node, {**attrs, "node_id": str(node)}) for node, attrs in nodes]
    merged = merge_parallel_edges(edges)  # merging may list numbers as text: one type per name again
    merged = [(u, v, attrs) for (u, v, _), attrs in
              zip(merged, list_rows(build_scalar_columns([attrs for *_, attrs in merged]), len(merged)))]
    viz = compute_viz(nodes, merged, seed)
    written = []
    for name, text in (("network.gexf", render_gexf(xml_nodes, merged, viz, ids, dynamic)),
                       ("network.graphml", render_graphml(xml_nodes, merged, viz, ids))):
        (out_dir / name).write_bytes(text.encode("utf-8"))
        written.append(out_dir / name)
    return written
