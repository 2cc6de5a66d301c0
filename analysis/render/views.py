"""Network pictures for forums: self-contained HTML files that work offline, in Thai, safely.

A view is one HTML file: vis-network 9.1.2 (the copy pyvis ships) and the Sarabun font are
inlined, the graph is embedded as JSON in a ``<script type="application/json">`` block and
every piece of it reaches the page through ``textContent`` or DOM properties, never as markup.
A Content-Security-Policy forbids any request, so a view opened from a USB stick in a hall
with no internet looks the same as at the office, and a name like
``<img src=x onerror=alert(1)>`` is shown as text.

Positions are computed in Python (:mod:`analysis.render.layout`) and physics is off, so the
picture is the same on every screen. For a projector (issue 17: views opened at zoom 0.25,
where vis-network draws no label under 5 px), each node carries its importance
(:func:`rank_nodes`); the page zooms to the :data:`N_KEY_LABELS` most important visible
nodes and keeps their names at 16 px on screen at any zoom (24 px in presentation mode),
placed so that no two cover each other; other names show once zooming makes them readable.
Filters and search zoom again to what they leave. Large graphs are folded (persons into their
organisations, then everything into areas) so that at most ``max_nodes`` nodes are drawn;
folded areas link to their own, more detailed files.

``public=True`` applies :func:`redact_graph` first: no phone, e-mail, record id or file row,
and people without a public role (docs/privacy.md) are shown as ``บุคคล <person_id>`` as in
the public tables (:func:`analysis.privacy.public_name`).
"""

import base64
import hashlib
import html
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, compress, repeat
from operator import ne
from pathlib import Path

import fontpkg_sarabun
import networkx as nx
import numpy as np
import pandas as pd
import pyvis
from pyvis.network import Network

from analysis.config import TEMPLATES_DIR
from analysis.errors import DatasetError
from analysis.ingest.normalise import normalise_text
from analysis.privacy import public_name, redact_text
from analysis.progress import track
from analysis.render.layout import compute_layout

#: kind -> (Thai, English, colour, vis-network shape). Colours from Tableau 10 (Stone 2016),
#: chosen to stay apart for common colour blindness; shapes differ too, so kind never
#: depends on colour alone.
NODE_STYLES = {
    "person": ("บุคคล", "person", "#4e79a7", "dot"),
    "organisation": ("องค์กร", "organisation", "#f28e2b", "square"),
    "project": ("โครงการ", "project", "#59a14f", "triangle"),
    "area": ("พื้นที่", "area", "#9c755f", "diamond"),
    "stream": ("กระแสทุน", "funding stream", "#b07aa1", "hexagon"),
}

#: edge kind -> (Thai, English, colour, dashed, directed).
EDGE_STYLES = {
    "member_of": ("เป็นสมาชิก", "member of", "#7f9cc4", False, True),
    "part_of": ("สังกัด", "part of", "#666666", True, True),
    "leads": ("ดำเนินโครงการ", "leads", "#59a14f", False, True),
    "funds": ("ให้ทุน", "funds", "#b07aa1", False, True),
    "pays": ("จ่ายทุนให้", "pays", "#b07aa1", True, True),
    "takes_part": ("ร่วมโครงการ", "takes part", "#8cd17d", False, True),
    "located_in": ("อยู่ในพื้นที่", "located in", "#c9beb5", True, True),
    "shares": ("มีคนหรือโครงการร่วมกัน", "shares people or projects", "#999999", False, False),
    "duplicates": ("อาจซ้ำซ้อนกัน", "may duplicate", "#e15759", False, False),
    "under_agency": ("อยู่ใต้หน่วยงาน", "under agency", "#666666", True, True),
}

#: Colours for communities and duplicate groups (Tableau 10 without its grey); the 11th and
#: later groups share grey, since more hues than ten cannot be told apart on a projector.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")
OTHER_COLOUR = "#bab0ac"

#: Area levels from coarse to fine, as :mod:`analysis.network` names them. Regions are left
#: out of folding: five nodes say too little to be worth a picture of their own.
FOLD_LEVELS = ("province_group", "province", "district", "tambon")
LEVEL_NAMES = {
    "region": ("ภาค", "region"), "province_group": ("กลุ่มจังหวัด", "province group"),
    "province": ("จังหวัด", "province"), "district": ("อำเภอ", "district"), "tambon": ("ตำบล", "tambon"),
}

#: Attributes that point at a roster line or a person's contacts; ``--public`` drops them.
PRIVATE_ATTRS = ("records", "phones", "emails", "record_id", "source")
#: The only attributes a person node keeps in public output.
PUBLIC_PERSON_ATTRS = ("kind", "label", "label_en", "roles", "is_public_role")

#: How many bridges are emphasised: ten is what fits on one slide and in a forum's attention.
N_EMPHASISED_BRIDGES = 10
#: How many nodes of a view are always named, for the same reason: the ten most important
#: (:func:`rank_nodes`) keep a readable label at any zoom; the others appear on zooming in.
N_KEY_LABELS = 10

#: Words written before place names (ตำบล ท่าศาลา, ต.ท่าศาลา) and the level each implies.
AREA_PREFIXES = (("ตำบล", "tambon"), ("ต.", "tambon"), ("แขวง", "tambon"), ("อำเภอ", "district"),
                 ("อ.", "district"), ("เขต", "district"), ("จังหวัด", "province"), ("จ.", "province"))

SAFE_LINK = re.compile(r"^[A-Za-z0-9_.-]+\.html$")
#: A tambon's profile page, relative to graphs/ (:func:`analysis.render.profiles.link_profiles`).
PROFILE_LINK = re.compile(r"^\.\./profiles/[0-9]{6}\.html$")
VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
SARABUN_TTF = fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf"
#: vis-network CSS rules for editing tools and the colour picker, which views never show:
#: dropping them saves 160 KB of inline images per file.
UNUSED_VIS_CSS = ("vis-manipulation", "vis-edit", "vis-close", "vis-color-picker", "vis-configuration")


# --------------------------------------------------------------------------- privacy

class RedactedTexts(dict):
    """Texts and what :func:`analysis.privacy.redact_text` makes of them, each searched the
    first time it is looked up: ``redacted[text]`` is one lookup in C once the text is known
    (a graph repeats its kinds, places and roles on a million edges)."""

    def __missing__(self, text: str) -> str:
        self[text] = hidden = redact_text(text)
        return hidden


def redact_graph(G: nx.Graph, copy: bool = True) -> nx.Graph:
    """``G`` fit to show in public (CONTRACT §3, ``--public``; docs/privacy.md).

    Every node and edge loses :data:`PRIVATE_ATTRS` (phones, e-mails, record ids, and the
    ``file:row`` source that points at a roster line). A person keeps only
    :data:`PUBLIC_PERSON_ATTRS`; one without a public role is relabelled
    ``บุคคล <person_id>`` (``person <person_id>``), as in the public tables. National ids,
    phone numbers and e-mail addresses typed inside any text attribute (a role such as
    ``ประธาน โทร 081…``) are hidden. A graph it made (``graph['is_public']``) comes back as
    it is, so a run redacts its graph once for the views and the exports.

    ``copy=False`` changes ``G`` itself and returns it (as :func:`networkx.relabel_nodes`
    does): a run that writes only public output needs no private graph beside it, and
    nationally a copy costs a gigabyte and half a minute (docs/scaling.md). In place, it
    writes into the pages of every node's and edge's dict, so a child forked before and
    still running keeps their old copies (:func:`analysis.pipeline.hide_personal_data`;
    about a gigabyte nationally, docs/scaling.md). Each distinct text is searched once
    (:class:`RedactedTexts`).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("person:P-1", kind="person", label="นายสมชาย", phones=["0812345678"], is_public_role=False)
    >>> sorted(redact_graph(G).nodes["person:P-1"].items())
    [('is_public_role', False), ('kind', 'person'), ('label', 'บุคคล P-1'), ('label_en', 'person P-1')]
    """
    if G.graph.get("is_public"):
        return G
    R = G.copy() if copy else G
    redacted = RedactedTexts()  # each distinct text searched once: kinds, places and names repeat

    def redact_attrs(attrs: dict) -> None:
        for key in PRIVATE_ATTRS:
            attrs.pop(key, None)
        for key, value in attrs.items():
            if isinstance(value, str):
                attrs[key] = redacted[value]
            elif isinstance(value, (list, tuple, set)):
                attrs[key] = type(value)(redacted[v] if isinstance(v, str) else v for v in value)

    for node, attrs in R.nodes(data=True):
        if attrs.get("kind") == "person":
            kept = {key: attrs[key] for key in PUBLIC_PERSON_ATTRS if key in attrs}
            if not attrs.get("is_public_role"):
                person_id = str(node).removeprefix("person:")
                kept.update(label=public_name(person_id), label_en=f"person {person_id}")
            attrs.clear()
            attrs.update(kept)
        redact_attrs(attrs)
    for _, _, attrs in R.edges(data=True):  # not *_, a list per edge (0.6 s nationally)
        redact_attrs(attrs)
    # Node ids carry text as typed too (a funding stream's is ``stream:<funder>:<stream>``),
    # and views and exports write them; person ids are the tool's own and stay.
    renamed = {node: redacted[node] for node, kind in R.nodes(data="kind")
               if kind != "person" and isinstance(node, str) and redacted[node] != node}
    if renamed:
        R = nx.relabel_nodes(R, renamed)  # a new graph, in G's node order; rare
    R.graph["is_public"] = True
    return R


# --------------------------------------------------------------------------- context

@dataclass
class ViewContext:
    """What a view needs to know about nodes beyond its own edges, from the whole graph.

    Attributes
    ----------
    areas : node -> area nodes it lies in, the whole ``located_in`` chain up, sorted.
    agencies : node -> agency organisation nodes it works for or under, sorted.
    nodes : node -> its attributes in the whole graph (labels of areas and agencies).
    is_public : the graph was redacted (:func:`redact_graph`): people may be unnamed.
    """

    areas: dict[str, list[str]]
    agencies: dict[str, list[str]]
    nodes: dict[str, dict]
    is_public: bool = False
    _at_level: dict = field(default_factory=dict, repr=False)

    def areas_at(self, level: str) -> dict[str, tuple[str, ...]]:
        """node -> its areas of ``level`` (in the order of ``areas``), for the nodes that have one.

        Kept once made: each area view folds by a level, and sifting every node's areas
        again took a fifth of the national views' time."""
        if level not in self._at_level:
            is_at = {node: attrs.get("area_level") == level for node, attrs in self.nodes.items()
                     if attrs.get("kind") == "area"}  # a few thousand areas, not a look-up per node's area
            # The people of a tambon share its list of areas (find_node_areas): sifted once,
            # found by the list itself (alive in self.areas meanwhile), not by its contents.
            by_list: dict[int, tuple] = {}
            at_level = self._at_level[level] = {}
            for node, areas in self.areas.items():
                if id(areas) not in by_list:
                    by_list[id(areas)] = tuple(area for area in areas if is_at.get(area))
                if by_list[id(areas)]:
                    at_level[node] = by_list[id(areas)]
        return self._at_level[level]


def _kind(G: nx.Graph, node) -> str | None:
    return G.nodes[node].get("kind") if node in G else None


def _out(G: nx.Graph, node, kind: str) -> list:
    return [v for _, v, k in G.out_edges(node, data="kind") if k == kind]


def _in(G: nx.Graph, node, kind: str) -> list:
    return [u for u, _, k in G.in_edges(node, data="kind") if k == kind]


def find_node_areas(G: nx.MultiDiGraph, table: "EdgeTable | None" = None) -> dict[str, list[str]]:
    """Each node's areas: the areas it is ``located_in`` and every area containing them.

    An area node lies in itself. The chain is followed through ``located_in`` edges between
    area nodes (tambon → district → province → province group → region, as
    :func:`analysis.network.add_areas` builds it). ``table`` is ``G``'s
    :class:`EdgeTable` when the caller has it already. Nodes with the same areas share one
    list of them: read it, do not change it.
    """
    table = table or build_edge_table(G)
    ties = (table.edge_kinds == table.kind_code("located_in")) & (table.kinds[table.targets] == "area")
    parents: dict[int, list[int]] = defaultdict(list)
    starts: dict[int, list[int]] = defaultdict(list)
    is_area = table.of_kind("area").tolist()
    for node, area in zip(table.sources[ties].tolist(), table.targets[ties].tolist()):
        (parents if is_area[node] else starts)[node].append(area)
    up: dict[int, set[int]] = {}

    def ancestors(area: int, seen: frozenset = frozenset()) -> set[int]:
        if area not in up:
            up[area] = {area}.union(*(ancestors(a, seen | {area}) for a in parents.get(area, []) if a not in seen))
        return up[area]

    nodes = table.nodes
    # The people of a tambon share its chain: each chain is sorted once, and its nodes share
    # one list of it (318,000 lists nationally otherwise, a second to make).
    firsts = [(i,) if area else tuple(starts.get(i, ())) for i, area in enumerate(is_area)]
    chains = {first: sorted(nodes[a] for a in set().union(*(ancestors(a) for a in first)))
              for first in dict.fromkeys(firsts)}  # in the order met: ancestors() is kept as first found
    return dict(zip(nodes, map(chains.__getitem__, firsts)))


def find_node_agencies(G: nx.MultiDiGraph, table: "EdgeTable | None" = None) -> dict[str, list[str]]:
    """The agencies (CONTRACT §2) each node serves or sits under, as organisation nodes.

    An organisation has its ``agency_id``; a stream its funder's agency; a project the
    agencies of the organisations that lead, fund or pay for it or take part in it (and of
    the streams that pay it); a person those of their organisations and projects.
    ``table`` is ``G``'s :class:`EdgeTable` when the caller has it already.
    """
    table = table or build_edge_table(G)
    kinds, src, tgt = table.kinds, table.sources, table.targets
    own = [(i, table.position[f"org:{agency}"]) for i, node in enumerate(table.nodes) if kinds[i] == "organisation"
           and (agency := G.nodes[node].get("agency_id")) and f"org:{agency}" in table.position]
    pairs = pd.DataFrame(own, columns=["node", "agency"], dtype=np.int64)

    def inherit(pairs: pd.DataFrame, edge_kinds: tuple, ties: np.ndarray, giver: np.ndarray, taker: np.ndarray):
        ties = ties & np.isin(table.edge_kinds, [table.kind_code(k) for k in edge_kinds])
        found = pd.DataFrame({"giver": giver[ties], "node": taker[ties]}).merge(
            pairs.rename(columns={"node": "giver"}), on="giver")
        # one row per (node, agency): a stream inherits its agency once per payment
        return pd.concat([pairs, found[["node", "agency"]]], ignore_index=True).drop_duplicates()

    pairs = inherit(pairs, ("funds",), kinds[tgt] == "stream", src, tgt)
    pairs = inherit(pairs, ("leads", "funds", "pays", "takes_part"), (kinds[tgt] == "project") & (kinds[src] != "person"),
                    src, tgt)
    pairs = inherit(pairs, ("member_of", "takes_part"), kinds[src] == "person", tgt, src)
    pairs = pairs.sort_values(["node", "agency"])
    names = np.empty(len(table.nodes), dtype=object)
    names[:] = table.nodes
    # each node's run of agencies cut out of one list, not appended a pair at a time (a
    # million pairs nationally)
    nodes, agencies = pairs["node"].to_numpy(), names[pairs["agency"].to_numpy()].tolist()
    starts = np.flatnonzero(np.diff(nodes, prepend=-1)).tolist()
    ends = starts[1:] + [len(nodes)]
    return {names[node]: agencies[start:end] for node, start, end in zip(nodes[starts].tolist(), starts, ends)}


def build_context(G: nx.MultiDiGraph, table: "EdgeTable | None" = None) -> ViewContext:
    """The :class:`ViewContext` of a graph (``table``: its :class:`EdgeTable`, when at hand)."""
    table = table or build_edge_table(G)
    return ViewContext(find_node_areas(G, table), find_node_agencies(G, table), dict(G.nodes(data=True)),
                       bool(G.graph.get("is_public")))


# --------------------------------------------------------------------------- folding

@dataclass
class EdgeTable:
    """A graph's edges as arrays, read once, so that folding many parts of a large graph
    costs numpy work on each part instead of a walk through networkx's views.

    At national scale (1.5 million edges, some 100 area views, each folded twice) walking
    the views took 90 of the views' 185 seconds.

    Attributes
    ----------
    graph : the graph (node attributes are read from it).
    nodes : its nodes, sorted by their text; edges name a node by its position here.
    position : node -> its position in ``nodes``.
    kinds : each node's ``kind`` (object array; ``'other'`` for a node without one).
    folded : position -> the node's ``folded`` attribute, for the nodes of an earlier fold.
    sources, targets : positions of each edge's two ends.
    edge_kinds : each edge's ``kind`` as a position in ``kind_names`` (sorted, so that
        ordering by position is ordering by name).
    kind_names : the edge kinds, sorted (``''`` for an edge without one).
    weights : each edge's ``weight`` (1 when it has none).
    amounts : each edge's ``amount_thb``, NaN when it has none.
    texts : ``role`` and ``stream`` -> each edge's value as text, None when it has none.
    by_source, source_starts : the edges' positions ordered by source, and where each node's
        run begins in that order (``source_starts[i]:source_starts[i + 1]``), so that the
        edges of a part are gathered (:meth:`edges_from`) instead of found by masks over
        every edge (compressed sparse rows, as in scipy.sparse); ``by_target`` and
        ``target_starts`` the same by target.
    """

    graph: nx.Graph
    nodes: list
    position: dict
    kinds: np.ndarray
    folded: dict
    sources: np.ndarray
    targets: np.ndarray
    edge_kinds: np.ndarray
    kind_names: list
    weights: np.ndarray
    amounts: np.ndarray
    texts: dict
    by_source: np.ndarray
    source_starts: np.ndarray
    by_target: np.ndarray
    target_starts: np.ndarray
    _of_kind: dict = field(default_factory=dict, repr=False)

    def of_kind(self, kind: str) -> np.ndarray:
        """A boolean array over the nodes: True where the node's ``kind`` is ``kind``.

        Kept once made: every area view asks it again, and comparing the object array
        of half a million kinds cost a second a view nationally."""
        if kind not in self._of_kind:
            self._of_kind[kind] = self.kinds == kind
        return self._of_kind[kind]

    def kind_code(self, kind: str) -> int:
        """The code of an edge kind in ``edge_kinds`` (-1 when no edge has it)."""
        return self.kind_names.index(kind) if kind in self.kind_names else -1

    def mask(self, positions) -> np.ndarray:
        """A boolean array over the nodes: True at ``positions``."""
        inside = np.zeros(len(self.nodes), dtype=bool)
        inside[positions] = True
        return inside

    def edges_from(self, positions: np.ndarray) -> np.ndarray:
        """The edges whose source is at ``positions`` (distinct node positions), grouped by
        source in the order of ``positions``, each source's in edge order.

        The work follows the number of those edges, not of the graph's: an area's view
        found its edges with masks over every edge (1.3 million nationally), several times
        each, which was most of the views' time (docs/scaling.md)."""
        return _gather_runs(self.by_source, self.source_starts, positions)

    def edges_to(self, positions: np.ndarray) -> np.ndarray:
        """The edges whose target is at ``positions`` (distinct node positions), as :meth:`edges_from`."""
        return _gather_runs(self.by_target, self.target_starts, positions)


def index_edges(ends: np.ndarray, n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """``(order, starts)``: edge positions ordered by ``ends`` (stable), and where each node's
    run begins, ``starts[n_nodes]`` being the number of edges.

    Examples
    --------
    >>> index_edges(np.array([2, 0, 2]), 3)
    (array([1, 0, 2]), array([0, 1, 1, 3]))
    """
    order = np.argsort(ends, kind="stable")
    starts = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(ends, minlength=n_nodes), out=starts[1:])
    return order, starts


def _gather_runs(order: np.ndarray, starts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The entries of ``order`` in the runs of ``positions`` (:func:`index_edges`), run after run."""
    positions = np.asarray(positions, dtype=np.int64)
    first, counts = starts[positions], starts[positions + 1] - starts[positions]
    # entry k of a run sits at first + k; runs laid end to end start at cumsum(counts) - counts
    at = np.repeat(first - (np.cumsum(counts) - counts), counts) + np.arange(counts.sum())
    return order[at]


def build_edge_table(G: nx.Graph) -> EdgeTable:
    """The :class:`EdgeTable` of ``G``; an undirected edge runs from the end whose text
    sorts first (``G.edges`` would give the end met first, which for a graph copied from a
    subgraph view depends on Python's string hash seed)."""
    nodes = sorted(G.nodes, key=str)
    position = {node: i for i, node in enumerate(nodes)}
    columns: tuple[list, ...] = ([], [], [], [], [], [], [])
    source, target, kinds, weights, amounts, roles, streams = columns
    # One pass over the adjacency: a third of the time of G.edges(data=True) and its lists.
    for u, neighbours in G.adjacency():
        at_u = position[u]
        for v, data in neighbours.items():
            at_v = position[v]
            if at_v < at_u and not G.is_directed():
                continue  # the same edge, met from its other end
            for attrs in (data.values() if G.is_multigraph() else (data,)):
                source.append(at_u)
                target.append(at_v)
                kinds.append(str(attrs.get("kind") or ""))
                weights.append(attrs.get("weight", 1))
                amounts.append(attrs.get("amount_thb"))
                roles.append(attrs.get("role"))
                streams.append(attrs.get("stream"))
    kind_names = sorted(set(kinds))
    code = {kind: i for i, kind in enumerate(kind_names)}
    sources, targets = np.array(source, dtype=np.int64), np.array(target, dtype=np.int64)
    by_source, source_starts = index_edges(sources, len(nodes))
    by_target, target_starts = index_edges(targets, len(nodes))
    attrs = [G.nodes[node] for node in nodes]
    return EdgeTable(
        graph=G, nodes=nodes, position=position,
        kinds=np.array([a.get("kind", "other") for a in attrs], dtype=object),
        folded={i: a["folded"] for i, a in enumerate(attrs) if a.get("folded")},
        sources=sources, targets=targets,
        edge_kinds=np.array([code[kind] for kind in kinds], dtype=np.int64),
        kind_names=kind_names,
        weights=np.array(weights, dtype=np.int64 if all(isinstance(w, int) for w in weights) else float),
        amounts=np.array([float(a) if isinstance(a, (int, float)) else np.nan for a in amounts], dtype=float),
        texts={key: np.array([str(value) if value else None for value in values], dtype=object)
               for key, values in (("role", roles), ("stream", streams))},
        by_source=by_source, source_starts=source_starts, by_target=by_target, target_starts=target_starts,
    )


def fold_part(table: EdgeTable, members: np.ndarray, group_of: dict, attrs_of: dict | None = None) -> nx.MultiDiGraph:
    """The quotient of the part of ``table.graph`` that ``members`` (node positions) induce:
    each node replaced by its group (``group_of``, else itself).

    Edges between groups are merged per (from, to, kind): ``weight`` counts the merged
    edges, ``amount_thb`` adds up, roles and streams are listed; edges inside a group
    disappear. A group node keeps its attributes (from the graph, else ``attrs_of``) and
    gains ``folded``: kind -> how many nodes it now stands for, counted through earlier
    folds. Folding in two steps (persons into organisations, then those into areas) and
    folding once by the composed grouping give the same graph, so callers compose the
    groupings.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("p1", {"kind": "person"}), ("p2", {"kind": "person"}), ("o", {"kind": "organisation"})])
    >>> _ = G.add_edges_from([("p1", "o", {"kind": "member_of"}), ("p2", "o", {"kind": "member_of"})])
    >>> Q = fold_part(build_edge_table(G), np.arange(3), {"p1": "o", "p2": "o"})
    >>> list(Q.nodes(data="folded")), Q.number_of_edges()
    ([('o', {'person': 2})], 0)
    """
    G = table.graph
    ids = list(map(table.nodes.__getitem__, members.tolist()))
    groups = list(map(group_of.get, ids, ids))  # each node's group, else itself
    labels = sorted(set(groups), key=str)
    Q = nx.MultiDiGraph()
    for group in labels:
        attrs = G.nodes[group] if group in G else (attrs_of or {}).get(group, {"kind": "area", "label": str(group)})
        Q.add_node(group, **attrs)
        Q.nodes[group]["folded"] = dict(attrs.get("folded") or {})
    # (group, kind) -> nodes folded into the group, counted in C: nationally most members
    # are people folded into their organisations
    is_moved = list(map(ne, groups, ids))
    counts = Counter(zip(compress(groups, is_moved), compress(table.kinds[members].tolist(), is_moved)))
    if table.folded:  # the nodes an earlier fold made
        for i, group in zip(compress(members.tolist(), is_moved), compress(groups, is_moved)):
            for inner, n in table.folded.get(i, {}).items():
                counts[(group, inner)] += n
    for (group, kind), n in counts.items():
        folded = Q.nodes[group]["folded"]
        folded[kind] = folded.get(kind, 0) + n
    code_of = {group: i for i, group in enumerate(labels)}
    codes = np.full(len(table.nodes), -1, dtype=np.int64)
    codes[members] = list(map(code_of.__getitem__, groups))
    leaving = np.sort(table.edges_from(members))  # in edge order: float amounts are summed in a fixed order
    both_in = leaving[codes[table.targets[leaving]] >= 0]
    source, target = codes[table.sources[both_in]], codes[table.targets[both_in]]
    between = source != target
    edges = pd.DataFrame({"u": source[between], "v": target[between], "k": table.edge_kinds[both_in][between],
                          "weight": table.weights[both_in][between], "amount": table.amounts[both_in][between]})
    merged = edges.groupby(["u", "v", "k"], sort=True)
    weights, amounts = merged["weight"].sum(), merged["amount"].sum(min_count=1)
    texts: dict[tuple, set] = defaultdict(set)
    for key, values in table.texts.items():
        values = values[both_in][between]
        has = np.flatnonzero(values != None)  # noqa: E711 (element-wise comparison)
        found = edges[["u", "v", "k"]].iloc[has].assign(text=values[has]).drop_duplicates()  # a role repeats per person
        for u, v, k, text in zip(found["u"].tolist(), found["v"].tolist(), found["k"].tolist(), found["text"].tolist()):
            texts[(u, v, k, key)].update(text.split(" | "))
    for (u, v, k), weight, amount in zip(weights.index.tolist(), weights.tolist(), amounts.tolist()):
        extra = {key: " | ".join(sorted(texts[(u, v, k, key)])) for key in ("role", "stream") if (u, v, k, key) in texts}
        if not math.isnan(amount):
            extra["amount_thb"] = amount
        Q.add_edge(labels[u], labels[v], kind=table.kind_names[k], weight=weight, **extra)
    return Q


def find_homes(table: EdgeTable, members: np.ndarray) -> dict:
    """Person -> the organisation (else the project) it is folded into when a view is large.

    The first in id order of its organisations among ``members``, else of its projects: one
    home per person, so that the count of people folded into organisations adds up to the
    number of people.
    """
    inside = table.mask(members)
    leaving = table.edges_from(members[table.of_kind("person")[members]])
    leaving = leaving[inside[table.targets[leaving]]]
    homes: dict = {}
    for kind in ("member_of", "takes_part"):
        ties = leaving[table.edge_kinds[leaving] == table.kind_code(kind)]
        first = pd.Series(table.targets[ties]).groupby(table.sources[ties]).min()
        for person, home in zip(first.index.tolist(), first.tolist()):
            homes.setdefault(table.nodes[person], table.nodes[home])
    return homes


def group_streams(table: EdgeTable, kept: np.ndarray, homes: dict, groups: dict) -> dict:
    """``groups`` with each funding stream among ``kept`` added to the group of its funder.

    A stream has no place of its own, so folding by area would leave every (funder, stream)
    node standing: in the sample's whole-network view they were three nodes in four. Its
    funder is the first, by id, of those that fund it among ``kept`` (as folded by ``homes``).
    """
    inside = table.mask(kept)
    arriving = table.edges_to(kept[table.of_kind("stream")[kept]])
    funds = arriving[inside[table.sources[arriving]] & (table.edge_kinds[arriving] == table.kind_code("funds"))]
    n_nodes = len(table.nodes)
    # each (stream, funder) once, not once per payment
    pairs = np.unique(table.targets[funds] * n_nodes + table.sources[funds])
    funders: dict = {}
    for stream, funder in zip((pairs // n_nodes).tolist(), (pairs % n_nodes).tolist()):
        node = table.nodes[funder]
        funder = homes.get(node, node)
        stream = table.nodes[stream]
        if stream not in funders or str(funder) < str(funders[stream]):
            funders[stream] = funder
    folded = {stream: groups.get(funder, funder) for stream, funder in sorted(funders.items())}
    return {**groups, **folded}


def group_by_area(nodes: list, level: str, context: ViewContext) -> dict:
    """Node -> the area of ``level`` containing it; nodes with no such area stay themselves.

    Area nodes finer than ``level`` fold into their ancestor too; coarser ones stay.
    """
    at_level = context.areas_at(level)
    return {node: found[0] for node in nodes if (found := at_level.get(node)) and found[0] != node}


def count_areas(nodes: list, kinds: list, level: str, context: ViewContext) -> int:
    """How many areas of ``level`` the non-area ones of ``nodes`` lie in."""
    at_level = context.areas_at(level)
    not_areas = compress(nodes, map(ne, kinds, repeat("area")))
    return len(set(chain.from_iterable(map(at_level.get, not_areas, repeat(())))))  # in C: a node each


def reduce_graph(G: nx.Graph, max_nodes: int, context: ViewContext) -> tuple[nx.MultiDiGraph, str]:
    """At most ``max_nodes`` nodes: fold persons, then areas, then keep the best connected.

    Steps, each only when the previous left too many nodes: (1) persons into their
    organisations (:func:`find_homes`); (2) everything into the coarsest area level at which
    the nodes fall in more than one area (drill-down goes one level at a time: a province
    group into provinces, a province into districts, …), funding streams into their funders
    (:func:`group_streams`); (3) the ``max_nodes`` nodes of highest degree.

    Returns
    -------
    (graph, note): the graph to draw and a sentence (Thai / English) on what was folded,
    '' when nothing was.
    """
    table = build_edge_table(G)
    return reduce_part(table, np.arange(len(table.nodes)), max_nodes, context)


def reduce_part(table: EdgeTable, members: np.ndarray, max_nodes: int, context: ViewContext) -> tuple[nx.MultiDiGraph, str]:
    """:func:`reduce_graph` of the part of ``table.graph`` that ``members`` (node positions) induce."""
    if len(members) <= max_nodes:
        return fold_part(table, members, {}), ""
    homes = find_homes(table, members)
    groups = homes
    note = "รวมบุคคลไว้ในองค์กรของตน / people are folded into their organisations"
    kept = members[~table.mask(list(map(table.position.__getitem__, homes)))[members]]
    if len(kept) > max_nodes:
        nodes, kinds = list(map(table.nodes.__getitem__, kept.tolist())), table.kinds[kept].tolist()
        for level in FOLD_LEVELS:
            if count_areas(nodes, kinds, level, context) > 1:
                by_area = group_streams(table, kept, homes, group_by_area(nodes, level, context))
                groups = {**by_area, **{person: by_area.get(home, home) for person, home in homes.items()}}
                th, en = LEVEL_NAMES[level]
                note = (f"รวมทุกอย่างไว้ตาม{th} และกระแสทุนไว้กับผู้ให้ทุน / everything is folded into its {en}, "
                        f"funding streams into their funders")
                break
    H = fold_part(table, members, groups, context.nodes)
    if len(H) > max_nodes:
        degree = dict(H.degree())
        keep = sorted(H.nodes, key=lambda n: (-degree[n], str(n)))[:max_nodes]
        H = H.subgraph(keep).copy()
        note = (f"แสดง {max_nodes} จาก {len(members)} จุดที่เชื่อมโยงมากที่สุด / "
                f"showing the {max_nodes} best-connected of {len(members)} nodes")
    return H, note


# --------------------------------------------------------------------------- view data

def compute_measure(G: nx.Graph, size_by: str) -> dict:
    """node -> the value nodes are sized by: ``'degree'`` (edges, merged ones counted once),
    or any numeric node attribute (``betweenness``, ``n_agencies``, ``budget_thb`` …)."""
    if size_by == "degree":
        return {node: float(d) for node, d in nx.Graph(G).degree()}
    values = {}
    for node, value in G.nodes(data=size_by):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            values[node] = float(value)
    return values


def compute_sizes(values: dict, nodes) -> dict:
    """Node radius in pixels, 8–28, by the square root of the value, so that area follows
    the value (Cleveland & McGill 1984); nodes without a value get the smallest. 28 px stays
    below half the layout spacing, so the largest nodes do not cover their neighbours."""
    top = max(values.values(), default=0.0)
    return {n: round(8 + 20 * math.sqrt(max(values.get(n, 0.0), 0.0) / top), 1) if top > 0 else 8.0 for n in nodes}


def _text(value) -> str:
    """Any attribute value as display text (lists joined with ' | ', floats without .0)."""
    if isinstance(value, (list, tuple, set)):
        return " | ".join(_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return str(value)


def describe_node(node, attrs: dict, context: ViewContext, measure: tuple[str, float] | None) -> list[list[str]]:
    """Tooltip rows ``[heading, value]`` for a node, from its attributes (never markup)."""
    th, en, *_ = NODE_STYLES.get(attrs.get("kind"), ("อื่น ๆ", "other", "", ""))
    rows = [["ประเภท / kind", f"{th} / {en}"]]
    if attrs.get("label_en"):
        rows.append(["English", attrs["label_en"]])
    keys = (("org_kind", "ชนิดองค์กร / org kind"), ("area_level", "ระดับ / level"), ("roles", "บทบาท / roles"),
            ("category", "หมวด / category"), ("start", "เริ่ม / start"), ("end", "สิ้นสุด / end"),
            ("budget_thb", "งบประมาณ (บาท) / budget THB"), ("amount_thb", "จำนวนเงิน (บาท) / amount THB"),
            ("view_note", "หมายเหตุ / note"), ("source", "ที่มา / source"))
    rows += [[heading, _text(attrs[key])] for key, heading in keys if attrs.get(key) not in (None, "", [])]
    folded = attrs.get("folded") or {}
    if folded:
        parts = [f"{NODE_STYLES.get(k, (k, k))[0]} {n}" for k, n in sorted(folded.items())]
        rows.append(["รวมไว้ / includes", ", ".join(parts)])
    agencies = [context.nodes.get(a, {}).get("label", a) for a in context.agencies.get(node, [])]
    if agencies:
        rows.append(["หน่วยงาน / agency", " | ".join(map(str, agencies))])
    places = [a for a in context.areas.get(node, []) if a != node]
    if places:
        rows.append(["พื้นที่ / area", " › ".join(str(context.nodes.get(a, {}).get("label", a)) for a in
                                                  sorted(places, key=lambda a: -len(context.areas.get(a, []))))])
    if measure is not None:
        rows.append([f"ขนาดตาม / size by {measure[0]}", _text(round(measure[1], 4))])
    return rows


def rank_nodes(H: nx.Graph, values: dict) -> dict:
    """node -> its importance in a view, 1 first: emphasised nodes (top bridges, the ego),
    then by the value nodes are sized by (:func:`compute_measure`), then by degree, then by id.

    Examples
    --------
    >>> H = nx.star_graph(["hub", "a", "b"])
    >>> rank_nodes(H, compute_measure(H, "degree"))
    {'hub': 1, 'a': 2, 'b': 3}
    """
    degree = dict(nx.Graph(H).degree())
    order = sorted(H.nodes, key=lambda n: (not H.nodes[n].get("is_emphasised"), -values.get(n, float("-inf")),
                                           -degree.get(n, 0), str(n)))
    return {node: i + 1 for i, node in enumerate(order)}


def describe_search_hint(H: nx.Graph, context: ViewContext) -> str:
    """What a search that finds nothing adds (Thai / English): where the name may be instead."""
    folded = Counter()
    for _, inside in H.nodes(data="folded"):
        folded.update(inside or {})
    hints = []
    if folded.get("person"):
        hints.append(("ในภาพนี้บุคคลถูกรวมไว้ในองค์กรของตน: ค้นหาชื่อองค์กร เปิดภาพพื้นที่จาก “ภาพทั้งหมด” หรือใช้ "
                      "stakemap graph DATASET --ego \"ชื่อ\"",
                      "people are folded into their organisations in this view: search for their organisation, "
                      "open an area view from “all views”, or run stakemap graph DATASET --ego \"name\""))
    elif any(kind != "area" for kind in folded):
        hints.append(("ในภาพนี้ทุกอย่างถูกรวมไว้ตามพื้นที่: ดับเบิลคลิกพื้นที่ หรือเปิดภาพพื้นที่จาก “ภาพทั้งหมด”",
                      "everything is folded into areas in this view: double-click an area, or open its view "
                      "from “all views”"))
    if context.is_public:
        hints.append(("บุคคลที่ไม่มีตำแหน่งสาธารณะแสดงเป็น “บุคคล <รหัส>”",
                      "people without a public role are shown as “person <id>”"))
    if not hints:
        hints.append(("ลองสะกดแบบอื่น หรือเปิดภาพอื่นจาก “ภาพทั้งหมด”",
                      "try another spelling, or another view from “all views”"))
    return " ".join(th for th, _ in hints) + " / " + " ".join(en for _, en in hints)


def search_key(*texts) -> str:
    """Text a search box compares with: normalised (pythainlp + NFC) and case-folded.

    Examples
    --------
    >>> search_key("เเม่น้ำ", "Mae Nam")
    'แม่น้ำ mae nam'
    """
    return " ".join(filter(None, (normalise_text(t) for t in texts if t))).casefold()


def build_view_data(H: nx.MultiDiGraph, *, title: str, context: ViewContext, size_by: str = "degree",
                    seed: int = 42, physics: bool = False, note: str = "", links: dict | None = None,
                    legend: list | None = None, focus: str | None = None) -> dict:
    """The JSON a view page draws: nodes and edges (built with pyvis), legend, filters, meta.

    Every value is a plain Python str, int, float, bool, list or dict (pyvis and JSON both
    fail on numpy types, FIELD_NOTES).
    """
    links = {k: v for k, v in (links or {}).items() if SAFE_LINK.match(v)}
    pos = compute_layout(H, seed=seed)
    values = compute_measure(H, size_by)
    sizes = compute_sizes(values, H.nodes)
    ranks = rank_nodes(H, values)
    net = Network(directed=True)
    for node in sorted(H.nodes, key=str):
        attrs = H.nodes[node]
        kind = attrs.get("kind", "other")
        th, en, colour, shape = NODE_STYLES.get(kind, ("อื่น ๆ", "other", OTHER_COLOUR, "dot"))
        label = str(attrs.get("label") or node)
        if attrs.get("folded"):
            label += f" (+{sum(attrs['folded'].values())})"
        measure = (size_by, values[node]) if node in values else None
        x, y = pos[node]
        net.add_node(
            str(node), label=label, shape=shape, x=x, y=y, size=sizes[node],
            color={"background": attrs.get("view_color", colour), "border": "#222222" if attrs.get("is_emphasised") else attrs.get("view_color", colour)},
            borderWidth=4 if attrs.get("is_emphasised") else 1, kind=kind, labelEn=str(attrs.get("label_en") or ""),
            info=describe_node(node, attrs, context, measure), agencies=context.agencies.get(node, []),
            areas=context.areas.get(node, []), search=search_key(label, attrs.get("label_en"), str(node)),
            link=links.get(node, ""), rank=ranks[node],
            profile=attrs["profile"] if PROFILE_LINK.match(str(attrs.get("profile", ""))) else "",
        )
    for number, (u, v, attrs) in enumerate(sorted(H.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2].get("kind"))))):
        kind = attrs.get("kind", "")
        th, en, colour, dashed, directed = EDGE_STYLES.get(kind, (kind, kind, OTHER_COLOUR, False, True))
        weight = attrs.get("weight", 1)
        info = [["ความสัมพันธ์ / tie", f"{th} / {en}"], ["จำนวน / count", _text(weight)]]
        info += [[key, _text(attrs[key])] for key in ("role", "stream", "amount_thb") if attrs.get(key) not in (None, "")]
        net.add_edge(str(u), str(v), id=f"e{number}", kind=kind, color=colour, dashes=dashed,
                     arrows="to" if directed else {"to": {"enabled": False}}, width=round(1 + math.log2(weight), 2), info=info)
    kinds = sorted({n["kind"] for n in net.nodes})
    edge_kinds = sorted({e["kind"] for e in net.edges})
    return {
        "title": title,
        "note": note,
        "sizeBy": size_by,
        "physics": bool(physics),
        "focus": str(focus) if focus is not None and focus in H else "",
        "nKeyLabels": N_KEY_LABELS,
        "searchHint": describe_search_hint(H, context),
        "nodes": net.nodes,
        "edges": net.edges,
        "legend": [{"kind": k, "th": NODE_STYLES[k][0], "en": NODE_STYLES[k][1], "color": NODE_STYLES[k][2],
                    "shape": NODE_STYLES[k][3]} for k in kinds if k in NODE_STYLES] + list(legend or []),
        "edgeLegend": [{"kind": k, "th": EDGE_STYLES[k][0], "en": EDGE_STYLES[k][1], "color": EDGE_STYLES[k][2],
                        "dashed": EDGE_STYLES[k][3]} for k in edge_kinds if k in EDGE_STYLES],
        "agencies": _options(context, {a for n in net.nodes for a in n["agencies"]}),
        "areas": _options(context, {a for n in net.nodes for a in n["areas"]}),
    }


def _options(context: ViewContext, nodes: set) -> list[dict]:
    """Filter menu entries ``{id, label}`` sorted by label, then id."""
    entries = []
    for node in nodes:
        attrs = context.nodes.get(node, {})
        entries.append({"id": str(node), "label": name_area(attrs.get("area_level"), attrs.get("label", node))[0].strip()})
    return sorted(entries, key=lambda e: (e["label"], e["id"]))


# --------------------------------------------------------------------------- HTML

def escape_json(data) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` become ``\\u003c`` …, so no ``</script>`` or ``<!--`` can end or
    change the block (OWASP XSS Prevention Cheat Sheet, "HTML entity encoding of JSON");
    U+2028/2029 are escaped because older JavaScript parsers treat them as line ends.

    Examples
    --------
    >>> escape_json({"label": "</script><b>"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


@lru_cache(maxsize=None)
def read_asset(name: str) -> str:
    """A static file inlined into views: the template, its CSS/JS, vis-network, the font."""
    if name == "vis.js":
        return (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    if name == "vis.css":
        rules = (VIS_DIR / "vis-network.css").read_text(encoding="utf-8").replace("}", "}\n").splitlines()
        return "".join(rule for rule in rules if not any(word in rule for word in UNUSED_VIS_CSS))
    if name == "font.css":
        # Sarabun (OFL-1.1), 90 KB: a projector laptop without Thai fonts still shows Thai.
        data = base64.b64encode(SARABUN_TTF.read_bytes()).decode("ascii")
        return f'@font-face{{font-family:"Sarabun";src:url(data:font/ttf;base64,{data}) format("truetype");}}'
    return (TEMPLATES_DIR / name).read_text(encoding="utf-8")


def fill_template(name: str, parts: dict[str, str]) -> str:
    """Replace ``__STAKEMAP_<KEY>__`` in one pass, so inserted text is never re-scanned."""
    return re.sub(r"__STAKEMAP_([A-Z_]+?)__", lambda m: parts[m.group(1)], read_asset(name))


def render_html(data: dict) -> str:
    """One self-contained view page from :func:`build_view_data`'s output."""
    return fill_template("view.html", {
        "TITLE": html.escape(data["title"]),
        "FONT_CSS": read_asset("font.css"),
        "VIS_CSS": read_asset("vis.css"),
        "VIEW_CSS": read_asset("view.css"),
        "VIS_JS": read_asset("vis.js"),
        "VIEW_JS": read_asset("view.js"),
        "DATA": escape_json(data),
    })


#: Height of a view shown in a notebook, in pixels: a laptop screen less the notebook's bars.
NOTEBOOK_FRAME_HEIGHT = 640


def render_notebook_frame(page: str, height: int = NOTEBOOK_FRAME_HEIGHT) -> str:
    """An ``<iframe>`` that shows a written view inline in a notebook (``IPython.display.HTML``).

    The whole page travels in ``srcdoc``, escaped, so no server path has to resolve and
    nothing is fetched; the page's own Content-Security-Policy still applies.
    ``sandbox="allow-scripts"`` runs its script in an opaque origin, cut off from the
    notebook. Drill-down links to other files work only when a file is opened in a browser.

    Examples
    --------
    >>> render_notebook_frame('<p class="x">ก & ข</p>', height=300)
    '<div class="stakemap-view"><iframe sandbox="allow-scripts" width="100%" height="300" style="border: 0" srcdoc="&lt;p class=&quot;x&quot;&gt;ก &amp; ข&lt;/p&gt;"></iframe></div>'
    """
    # In a <div>: IPython warns about HTML that is a bare <iframe>, meaning one with a URL.
    return (f'<div class="stakemap-view"><iframe sandbox="allow-scripts" width="100%" height="{int(height)}" '
            f'style="border: 0" srcdoc="{html.escape(page, quote=True)}"></iframe></div>')


def write_text(text: str, path: Path) -> Path:
    """Write UTF-8 with ``\\n`` line ends, whatever the machine's locale (FIELD_NOTES)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def render_view(G: nx.Graph, path, *, title: str, public: bool = False, size_by: str = "degree",
                max_nodes: int = 500, seed: int = 42, physics: bool = False, links: dict | None = None,
                context: ViewContext | None = None) -> Path:
    """Write one self-contained HTML view of ``G``; return its path.

    Parameters
    ----------
    G : the stakeholder graph (:func:`analysis.network.build_graph`) or any part of it.
    path : the HTML file to write.
    title : heading and window title (escaped).
    public : hide personal data first (:func:`redact_graph`).
    size_by : ``'degree'`` or a numeric node attribute.
    max_nodes : fold larger graphs (:func:`reduce_graph`); 500 stays interactive (< 2 s to draw).
    seed : layout seed.
    physics : start with vis-network's physics on (the page has a toggle either way).
    links : node -> relative file name opened on double-click (drill-down).
    context : areas and agencies from the whole graph, when ``G`` is a part of it.
        ``G.graph`` may hold ``legend`` (extra legend entries) and ``ego`` (node focused on load).
    """
    if public:
        G = redact_graph(G)
    context = context or build_context(G)
    H, note = reduce_graph(G, max_nodes, context)
    return render_reduced_view(H, note, path, title=title, context=context, size_by=size_by, seed=seed,
                               physics=physics, links=links, legend=G.graph.get("legend"), focus=G.graph.get("ego"))


def render_reduced_view(H: nx.MultiDiGraph, note: str, path, *, title: str, context: ViewContext,
                        size_by: str = "degree", seed: int = 42, physics: bool = False, links: dict | None = None,
                        legend: list | None = None, focus: str | None = None) -> Path:
    """Write the view of a graph already reduced by :func:`reduce_graph` (with its ``note``).

    :func:`write_views` reduces each area's graph once, while planning which views to
    write, and draws that same reduction here: reducing twice took a third of the views'
    time at national scale.
    """
    data = build_view_data(H, title=title, context=context, size_by=size_by, seed=seed, physics=physics,
                           note=note, links=links, legend=legend, focus=focus)
    return write_text(render_html(data), path)


# --------------------------------------------------------------------------- ego views

def _strip_area_prefix(text: str) -> tuple[str, str | None]:
    for prefix, level in AREA_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix):].strip(), level
    return text, None


def _describe(G: nx.Graph, nodes: list) -> str:
    shown = [f"{n} ({G.nodes[n].get('label', '')})" for n in nodes[:5]]
    more = f" and {len(nodes) - 5} more" if len(nodes) > 5 else ""
    return ", ".join(shown) + more


def resolve_node(G: nx.Graph, text: str) -> str:
    """The node meant by a node id, record id, official area code or name (Thai or English).

    Names compare after :func:`analysis.ingest.normalise.normalise_text` and case folding; area
    names may carry ต./อ./จ. (which then pick the level). An exact name wins over a partial
    one. Raises :class:`DatasetError` naming the matches when none or several match.
    """
    wanted = str(text).strip()
    if wanted in G:
        return wanted
    if f"area:{wanted}" in G:
        return f"area:{wanted}"
    by_record = sorted(n for n, records in G.nodes(data="records") if records and wanted in records)
    if len(by_record) == 1:
        return by_record[0]
    key = search_key(wanted)
    area_key, level = _strip_area_prefix(normalise_text(wanted) or "")
    area_key = area_key.casefold()
    exact, partial = [], []
    for node, attrs in G.nodes(data=True):
        names = {search_key(attrs.get("label")), search_key(attrs.get("label_en"))} - {""}
        is_area = attrs.get("kind") == "area"
        if is_area and level and attrs.get("area_level") != level:
            continue
        if key in names or (is_area and area_key in names):
            exact.append(node)
        elif any(key in name for name in names):
            partial.append(node)
    found = sorted(exact or partial, key=str)
    if len(found) == 1:
        return found[0]
    if not found:
        raise DatasetError(f"No person, organisation, project or area matches {wanted!r}; give a name, an id or a tambon code.")
    raise DatasetError(f"{wanted!r} matches {len(found)} nodes: {_describe(G, found)}; give one of these ids instead.")


def extract_ego(G: nx.Graph, node_or_text: str, steps: int = 2) -> nx.Graph:
    """The neighbourhood of a person, organisation, project or area, ``steps`` ties out.

    Ties are followed in both directions. An area starts from everything located in it
    (step 1); paths do not run *through* other area nodes, or everyone in a tambon would be
    two steps from everyone else. The result is a subgraph copy with ``graph['ego']`` set.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("person:a", "org:x"), ("person:b", "org:x"), ("org:x", "org:top")])
    >>> sorted(extract_ego(G, "person:a", steps=1))
    ['org:x', 'person:a']
    """
    centre = resolve_node(G, node_or_text)
    U = G.to_undirected(as_view=True)
    reached = {centre: 0}
    frontier = [centre]
    first = 1
    if _kind(G, centre) == "area":
        inside = [n for n, areas in find_node_areas(G).items() if centre in areas and n != centre]
        frontier = sorted(set(inside) | set(U[centre]), key=str)
        reached.update({n: 1 for n in frontier})
        first = 2
    for step in range(first, steps + 1):
        nxt = []
        for node in frontier:
            if node != centre and _kind(G, node) == "area":
                continue
            for other in sorted(U[node], key=str):
                if other not in reached:
                    reached[other] = step
                    nxt.append(other)
        frontier = nxt
    sub = G.subgraph(reached).copy()
    sub.graph["ego"] = centre
    return sub


def write_ego_view(G: nx.Graph, ego: str, steps: int, path, public: bool = False, size_by: str = "degree") -> Path:
    """Write the view around ``ego`` (:func:`extract_ego`); the ego is focused on load.

    ``size_by`` is ``'degree'`` or a numeric node attribute (``budget_thb`` for projects);
    one that no node of the view carries is a :class:`DatasetError`.
    """
    centre = resolve_node(G, ego)
    if public:
        G = redact_graph(G)
    sub = extract_ego(G, centre, steps)
    sub.nodes[centre]["is_emphasised"] = True
    label = G.nodes[centre].get("label", centre)
    label_en = G.nodes[centre].get("label_en") or label
    title = f"เครือข่ายรอบ {label} ({steps} ขั้น) / Network around {label_en} ({steps} steps)"
    if not compute_measure(sub, size_by):
        raise DatasetError(f"no node around {ego!r} has a number called {size_by!r}: size nodes by degree or budget_thb.")
    return render_view(sub, path, title=title, context=build_context(G), size_by=size_by)


# --------------------------------------------------------------------------- the views of a run

def build_org_view_graph(G: nx.MultiDiGraph, table: EdgeTable | None = None, among: set | None = None) -> nx.Graph:
    """The organisation network of CONTRACT §2 from the stakeholder graph.

    Two organisations are tied when a person sits on both rosters (``member_of``) or both
    are tied to one project as lead, participant or funder (directly or through a stream);
    ``weight`` = shared persons + shared projects. ``table`` is ``G``'s :class:`EdgeTable`
    when the caller has it already; ``among`` keeps only those organisations (and the ties
    between them), when a view shows a few of them. On the national sample it has the same
    ties and weights as :func:`analysis.bridges.build_org_network` (254,130), which builds it
    from the tables.
    """
    table = table or build_edge_table(G)
    kinds, src, tgt, edge_kinds, code = table.kinds, table.sources, table.targets, table.edge_kinds, table.kind_code
    rosters = (kinds[src] == "person") & (edge_kinds == code("member_of"))
    to_project = kinds[tgt] == "project"
    direct = to_project & (np.isin(edge_kinds, [code("leads"), code("funds")])
                           | ((edge_kinds == code("takes_part")) & (kinds[src] == "organisation")))
    pays = to_project & (edge_kinds == code("pays"))
    funds_stream = (edge_kinds == code("funds")) & (kinds[tgt] == "stream")
    through_streams = pd.DataFrame({"holder": tgt[pays], "stream": src[pays]}).merge(
        pd.DataFrame({"stream": tgt[funds_stream], "org": src[funds_stream]}).drop_duplicates(), on="stream")
    holders = pd.concat([pd.DataFrame({"holder": src[rosters], "org": tgt[rosters]}),
                         pd.DataFrame({"holder": tgt[direct], "org": src[direct]}),
                         through_streams[["holder", "org"]]], ignore_index=True).drop_duplicates()
    if among is not None:
        holders = holders[table.mask([table.position[org] for org in among])[holders["org"].to_numpy()]]
    pairs = holders.merge(holders, on="holder", suffixes=("_a", "_b"))
    pairs = pairs[pairs["org_a"] < pairs["org_b"]]  # positions sort as the ids' text
    ties = pairs.groupby(["org_a", "org_b"], sort=True).size()
    O = nx.Graph()
    orgs = sorted(n for n, kind in zip(table.nodes, kinds) if kind == "organisation" and (among is None or n in among))
    O.add_nodes_from((n, dict(G.nodes[n])) for n in orgs)
    O.add_edges_from((table.nodes[a], table.nodes[b], {"kind": "shares", "weight": w})
                     for (a, b), w in zip(ties.index.tolist(), ties.tolist()))
    return O


def _colour_legend(names: list[tuple[str, str]]) -> list[dict]:
    legend = [{"kind": "", "th": th, "en": en, "color": PALETTE[i], "shape": "dot"} for i, (th, en) in enumerate(names[:len(PALETTE)])]
    if len(names) > len(PALETTE):
        legend.append({"kind": "", "th": "กลุ่มอื่น ๆ", "en": "other groups", "color": OTHER_COLOUR, "shape": "dot"})
    return legend


def _table(results: dict, name: str, columns: tuple[str, ...]) -> pd.DataFrame | None:
    df = results.get(name)
    if df is None or len(df) == 0 or any(c not in df.columns for c in columns):
        return None
    return df


def build_bridges_graph(G: nx.MultiDiGraph, bridges: pd.DataFrame | None, max_nodes: int,
                        table: EdgeTable | None = None) -> nx.Graph:
    """The organisation network coloured by community, top bridges emphasised: its
    ``max_nodes`` best-ranked bridges when it has more organisations."""
    table = table or build_edge_table(G)
    if bridges is None:
        return build_org_view_graph(G, table)
    orgs = {node for node, kind in zip(table.nodes, table.kinds) if kind == "organisation"}
    ranked = bridges.assign(node="org:" + bridges["org_id"].astype(str)).sort_values(["rank", "node"])
    ranked = ranked[ranked["node"].isin(orgs)]
    O = build_org_view_graph(G, table, set(ranked["node"].head(max_nodes)) if len(orgs) > max_nodes else None)
    sizes = ranked.groupby("community", sort=False).size().sort_values(ascending=False, kind="stable")
    order = {c: i for i, c in enumerate(sizes.index)}
    for node, rank, community, betweenness in zip(*(ranked[c] for c in ("node", "rank", "community", "betweenness"))):
        if node not in O:  # not among the bridges shown
            continue
        attrs = O.nodes[node]
        attrs["betweenness"] = float(betweenness)
        position = order.get(community, len(PALETTE))
        attrs["view_color"] = PALETTE[position] if position < len(PALETTE) else OTHER_COLOUR
        if int(rank) <= N_EMPHASISED_BRIDGES:
            attrs["is_emphasised"] = True
            attrs["label"] = f"{attrs.get('label', node)} #{int(rank)}"
            attrs["view_note"] = f"สะพานอันดับ {int(rank)} / bridge rank {int(rank)}"
    O.graph["legend"] = _colour_legend([(f"กลุ่มที่ {i + 1}", f"community {i + 1}") for i in range(len(sizes))])
    return O


def build_hats_graph(G: nx.MultiDiGraph, hats: pd.DataFrame, context: ViewContext, max_nodes: int) -> nx.Graph:
    """Persons serving two or more agencies, their organisations and projects, and the agencies."""
    many = hats[hats["n_agencies"] >= 2].sort_values(["n_agencies", "person_id"], ascending=[False, True])
    H = nx.MultiDiGraph()
    for person_id, n_agencies in zip(many["person_id"], many["n_agencies"]):
        person = f"person:{person_id}"
        if person not in G:
            continue
        served = _out(G, person, "member_of") + _out(G, person, "takes_part")
        new = {person, *served, *(a for s in served for a in context.agencies.get(s, []))} - set(H.nodes)
        if len(H) + len(new) > max_nodes:
            break
        H.add_node(person, **{**G.nodes[person], "n_agencies": int(n_agencies)})
        for kind in ("member_of", "takes_part"):
            for target in _out(G, person, kind):
                H.add_node(target, **G.nodes[target])
                H.add_edge(person, target, kind=kind)
                for agency in context.agencies.get(target, []):
                    if agency != target:
                        H.add_node(agency, **G.nodes[agency])
                        H.add_edge(target, agency, kind="under_agency")
    return H


def build_duplicates_graph(G: nx.MultiDiGraph, duplicates: pd.DataFrame, max_nodes: int) -> nx.Graph:
    """Projects in duplicate groups (coloured by group, tied to each other), their leads,
    funders and areas."""
    H = nx.MultiDiGraph()
    groups = duplicates.assign(node="project:" + duplicates["project_id"].astype(str))
    names = []
    for group_id, members in groups.groupby("group_id", sort=True):
        projects = sorted(p for p in members["node"] if p in G)
        neighbours = {u for p in projects for u in G.predecessors(p)} | {v for p in projects for v in G.successors(p)}
        if len(H) + len(projects) + len(neighbours - set(H)) > max_nodes:
            break
        colour = PALETTE[len(names)] if len(names) < len(PALETTE) else OTHER_COLOUR
        names.append((f"กลุ่มซ้ำซ้อน {group_id}", f"duplicate group {group_id}"))
        for p in projects:
            H.add_node(p, **{**G.nodes[p], "view_color": colour, "view_note": f"กลุ่ม / group {group_id}"})
            for u, v, kind in list(G.in_edges(p, data="kind")) + list(G.out_edges(p, data="kind")):
                if kind == "takes_part" and _kind(G, u) == "person":
                    continue
                for n in (u, v):
                    if n not in H:
                        H.add_node(n, **G.nodes[n])
                H.add_edge(u, v, kind=kind)
        for a, b in zip(projects, projects[1:]):
            H.add_edge(a, b, kind="duplicates")
    H.graph["legend"] = _colour_legend(names)
    return H


def area_file_name(area: str, attrs: dict) -> str:
    """A file name for an area's view: its official code, else a slug of its English name,
    else a hash (group and region names are Thai)."""
    code = str(area).removeprefix("area:")
    if code.isdigit():
        return f"area-{code}.html"
    slug = re.sub(r"[^a-z0-9]+", "-", str(attrs.get("label_en", "")).lower()).strip("-")
    return f"area-{slug or hashlib.sha1(code.encode('utf-8')).hexdigest()[:10]}.html"


def select_area_part(table: EdgeTable, core: np.ndarray, has_area: np.ndarray) -> np.ndarray:
    """The nodes (positions) of an area's view: ``core``, those inside it, plus the
    neighbours that give them context (funders and their streams, parent bodies, people or
    bodies with no place); ``has_area`` marks the nodes that lie in some area."""
    is_area = table.of_kind("area")
    inside = core[~is_area[core]]
    context_codes = [table.kind_code(k) for k in ("funds", "pays", "part_of")]
    found = []
    for edges, far_ends in ((table.edges_from(inside), table.targets), (table.edges_to(inside), table.sources)):
        far = far_ends[edges]
        found.append(far[~is_area[far] & (np.isin(table.edge_kinds[edges], context_codes) | ~has_area[far])])
    # distinct and sorted through a mask over the nodes, not by sorting (np.unique): the
    # far ends of a province group's edges are a few hundred thousand
    extra = np.flatnonzero(table.mask(np.concatenate(found)))
    funding = table.edges_to(extra[table.of_kind("stream")[extra]])
    funders = table.sources[funding[table.edge_kinds[funding] == table.kind_code("funds")]]
    return np.flatnonzero(table.mask(np.concatenate([core, extra, funders])))


@dataclass
class AreaPlan:
    """One area's view: how many nodes it covers, the graph drawn (reduced) and the note on
    what was folded."""

    n_nodes: int
    view: nx.MultiDiGraph
    note: str


#: Most area views a run writes. Each page carries the drawing library and the font (about
#: 1 MB), so 200 pages fill 200 MB of a USB stick; a national dataset would need some 1,600
#: (every district and more: 1.6 GB, and a list no one at a forum would scroll).
#: Levels are written whole, coarsest first, while they fit (national: the 18 province
#: groups and 77 provinces); a finer area's view is made on request with ``stakemap graph``.
MAX_AREA_VIEWS = 200


def plan_area_views(G: nx.Graph, context: ViewContext, max_nodes: int, max_views: int = MAX_AREA_VIEWS,
                    table: EdgeTable | None = None) -> tuple[dict[str, AreaPlan], dict[str, str], list[str]]:
    """Which area views to write, and which areas share another view.

    Returns ``(plans, same_as, left_out)``: ``plans`` maps an area node to its
    :class:`AreaPlan`, for every province group, province and district with something in it,
    and every finer area that a view folds into (its drill-down), level by level while the
    views planned and the next level's areas number at most ``max_views``; ``same_as`` maps
    an area whose view would show the same nodes as another's (a province alone in its
    group) to that area, or to ``''`` for the whole network; ``left_out`` lists the levels
    (``district``, ``tambon``) whose views were not planned for that limit. ``table`` is
    ``G``'s :class:`EdgeTable` when the caller has it already.
    """
    table = table or build_edge_table(G)
    members: dict[str, list[int]] = defaultdict(list)
    for node, areas in context.areas.items():
        for a in areas:
            members[a].append(table.position[node])
    has_content = {a for a, ns in members.items() if any(table.kinds[n] != "area" for n in ns)}
    has_area = np.array([bool(context.areas.get(node)) for node in table.nodes], dtype=bool)
    level_of = {a: context.nodes[a].get("area_level") for a in has_content}
    queue = sorted((a for a in has_content if level_of[a] in FOLD_LEVELS[:3]), key=_area_order(context))
    plans: dict[str, set] = {}
    same_as: dict[str, str] = {}
    left_out: list[str] = []
    owner = {np.arange(len(table.nodes)).tobytes(): ""}  # a part's key: its sorted positions
    for area in track(_drain(queue), "planning area views"):
        if area in plans or area in same_as or level_of[area] in left_out:
            continue
        at_level = {a for a in queue if level_of[a] == level_of[area]} | {area}
        if not any(level_of[p] == level_of[area] for p in plans) and len(plans) + len(at_level) > max_views:
            left_out += [level for level in FOLD_LEVELS if FOLD_LEVELS.index(level) >= FOLD_LEVELS.index(level_of[area])]
            continue
        nodes = select_area_part(table, np.array(sorted(members[area]), dtype=np.int64), has_area)
        if nodes.tobytes() in owner:
            same_as[area] = owner[nodes.tobytes()]
            continue
        owner[nodes.tobytes()] = area
        H, note = reduce_part(table, nodes, max_nodes, context)
        plans[area] = AreaPlan(len(nodes), H, note)
        queue += sorted((n for n, f in H.nodes(data="folded") if f and _kind(H, n) == "area" and n in has_content),
                        key=_area_order(context))
    return plans, same_as, left_out


def _drain(queue: list):
    """Pop ``queue`` from the front until it is empty, items added meanwhile included."""
    while queue:
        yield queue.pop(0)


def _area_order(context: ViewContext):
    """Sort key: coarse levels first, then by node id."""
    def key(area):
        level = context.nodes.get(area, {}).get("area_level")
        return (FOLD_LEVELS.index(level) if level in FOLD_LEVELS else len(FOLD_LEVELS), str(area))
    return key


def name_area(level: str | None, label: str, label_en: str = "") -> tuple[str, str]:
    """(Thai, English) name of an area with its level word, said once: a province group's
    label already begins with กลุ่มจังหวัด (the index read "กลุ่มจังหวัดกลุ่มจังหวัด…").

    Examples
    --------
    >>> name_area("province_group", "กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย", "Southern Gulf Province Group")
    ('กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย', 'Southern Gulf Province Group')
    >>> name_area("tambon", "ท่าศาลา", "Tha Sala")
    ('ตำบลท่าศาลา', 'tambon Tha Sala')
    """
    th, en = LEVEL_NAMES.get(level, ("", ""))
    label = str(label)
    english = str(label_en or label)
    thai = label if not th or label.startswith(th) else f"{th}{label}"
    english = english if not en or en.casefold() in english.casefold() else f"{en} {english}"
    return thai, english


def describe_count(n_drawn: int, n_nodes: int) -> str:
    """What an index line says a page draws.

    Examples
    --------
    >>> describe_count(30, 2166)
    'แสดง 30 จาก 2,166 จุด / draws 30 of 2,166 nodes'
    >>> describe_count(17, 17)
    'แสดง 17 จุด / draws 17 nodes'
    """
    if n_drawn == n_nodes:
        return f"แสดง {n_drawn:,} จุด / draws {n_drawn:,} nodes"
    return f"แสดง {n_drawn:,} จาก {n_nodes:,} จุด / draws {n_drawn:,} of {n_nodes:,} nodes"


def render_index(entries: list[tuple[str, str, str]], title: str) -> str:
    """index.html: one line per view (file, Thai / English title, node count)."""
    rows = []
    for file_name, view_title, detail in entries:
        name = html.escape(view_title)
        link = f'<a href="{html.escape(file_name)}">{name}</a>' if file_name else name
        rows.append(f"<li>{link} <span class=\"detail\">{html.escape(detail)}</span></li>")
    return fill_template("views_index.html", {"TITLE": html.escape(title), "FONT_CSS": read_asset("font.css"),
                                               "ROWS": "\n".join(rows)})


def write_views(G: nx.MultiDiGraph, results: dict[str, pd.DataFrame], out_dir: Path, public: bool = False, *,
                max_nodes: int = 500, seed: int = 42, max_area_views: int = MAX_AREA_VIEWS) -> list[Path]:
    """Write every view of a run and ``index.html`` into ``out_dir``; return the paths.

    Views: ``network.html`` (the whole network, folded when large, its areas linked to their
    own files); ``area-<code>.html`` for each province group, province and district present
    (and finer areas a view folds into), levels that would pass ``max_area_views`` left out
    and named in the index (:func:`plan_area_views`); ``organisations.html`` (the organisation network by
    community, the top :data:`N_EMPHASISED_BRIDGES` bridges emphasised; ``results['bridges']``);
    ``hats.html`` (``results['hats']``); ``duplicates.html`` (``results['duplicate_projects']``).
    A missing or empty results table leaves its view out; the index says so.
    """
    out_dir = Path(out_dir)
    if public:
        G = redact_graph(G)
    table = build_edge_table(G)
    context = build_context(G, table)
    plans, same_as, left_out = plan_area_views(G, context, max_nodes, max_area_views, table)
    links = {area: area_file_name(area, context.nodes[area]) for area in plans}
    links.update({area: links[other] if other else "network.html" for area, other in same_as.items()})
    written, entries = [], []

    def write(H: nx.Graph, file_name: str, title: str, size_by: str = "degree") -> None:
        own_links = {node: target for node, target in links.items() if target != file_name}
        drawn, note = reduce_graph(H, max_nodes, context)
        written.append(render_reduced_view(drawn, note, out_dir / file_name, title=title, context=context,
                                           size_by=size_by, seed=seed, links=own_links, legend=H.graph.get("legend")))
        entries.append((file_name, title, describe_count(len(drawn), len(H))))

    whole, note = reduce_part(table, np.arange(len(table.nodes)), max_nodes, context)
    title = "เครือข่ายทั้งหมด / The whole network"
    written.append(render_reduced_view(whole, note, out_dir / "network.html", title=title, context=context, seed=seed,
                                       links={n: t for n, t in links.items() if t != "network.html"},
                                       legend=G.graph.get("legend"), focus=G.graph.get("ego")))
    entries.append(("network.html", title, describe_count(len(whole), len(G))))
    for area, plan in track(plans.items(), "area views", total=len(plans)):
        attrs = context.nodes[area]
        th, en = name_area(attrs.get("area_level"), attrs.get("label", area), attrs.get("label_en"))
        title = f"{th} / {en}"
        own_links = {node: target for node, target in links.items() if target != links[area]}
        written.append(render_reduced_view(plan.view, plan.note, out_dir / links[area], title=title, context=context,
                                           seed=seed, links=own_links, legend=G.graph.get("legend"),
                                           focus=G.graph.get("ego")))
        entries.append((links[area], title, describe_count(len(plan.view), plan.n_nodes)))
    for level in left_out:
        th, en = LEVEL_NAMES[level]
        entries.append(("", f"ภาพราย{th} / {en} views",
                        f"ไม่ได้สร้าง เพราะมีเกิน {max_area_views} ภาพ: ใช้ stakemap graph DATASET --ego \"{th}…\" / "
                        f"not written, more than {max_area_views} views: make one with stakemap graph DATASET --ego \"{th}…\""))
    bridges = _table(results, "bridges", ("org_id", "rank", "community", "betweenness"))
    hats = _table(results, "hats", ("person_id", "n_agencies"))
    duplicates = _table(results, "duplicate_projects", ("group_id", "project_id"))
    specials = (
        ("organisations.html", "เครือข่ายองค์กรและสะพานเชื่อม / Organisations and their bridges",
         build_bridges_graph(G, bridges, max_nodes, table), "degree" if bridges is None else "betweenness"),
        ("hats.html", "คนสวมหมวกหลายใบ / People wearing many hats",
         None if hats is None else build_hats_graph(G, hats, context, max_nodes), "n_agencies"),
        ("duplicates.html", "โครงการที่อาจซ้ำซ้อน / Projects that may duplicate each other",
         None if duplicates is None else build_duplicates_graph(G, duplicates, max_nodes), "degree"),
    )
    for file_name, title, H, size_by in specials:
        if H is None or len(H) == 0:
            entries.append(("", title, "ไม่พบ / none found"))
        else:
            write(H, file_name, title, size_by)
    index = write_text(render_index(entries, "ภาพเครือข่าย / Network views"), out_dir / "index.html")
    return [*written, index]
