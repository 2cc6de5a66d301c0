"""Fixed, seeded node positions for network views, computed in Python.

A browser settling 1,500 nodes with physics takes minutes (FIELD_NOTES), and a picture that
moves every time it is opened cannot be pointed at in a forum. So views get their positions
here, once, from a seeded layout: the same graph and seed give the same picture.
"""

import math
import random

import networkx as nx
import numpy as np

#: From this many nodes igraph's Fruchterman-Reingold is used: networkx switches to its
#: sparse implementation at 500 nodes, which took 6 s at 501 nodes here against igraph's 0.4 s.
IGRAPH_MIN_NODES = 400

#: Node pairs times iterations one Fruchterman-Reingold layout may cost: 500 iterations
#: (igraph's default) up to 1,000 nodes (1.3 s here), fewer above, never under
#: :data:`MIN_ITERATIONS`. Each iteration compares every pair of nodes, so 500 iterations
#: of the province sample's whole graph (2,161 nodes) took 6.0 s; 107 iterations take 1.3 s
#: and give the same picture to the eye (docs/scaling.md).
LAYOUT_WORK = 500 * 1_000**2
MIN_ITERATIONS = 100

#: Pixels between neighbouring nodes on screen; a 14 px Thai label of about ten characters fits
#: between two dots at this spacing at vis-network's default zoom.
NODE_SPACING_PX = 100


def compute_layout(G: nx.Graph, seed: int = 42) -> dict[str, tuple[float, float]]:
    """Positions in screen pixels for every node of ``G``, the same on every call.

    Each connected component is drawn on its own with the Fruchterman & Reingold (1991)
    spring layout and a fixed ``seed`` (networkx below :data:`IGRAPH_MIN_NODES` nodes, 0.01 s
    at 17 nodes; igraph's C code from there, 0.4 s at 500 nodes), its crowded middle
    spread out (:func:`compute_component_layout`) and scaled so that it grows
    with the square root of its node count (constant density); the components are then
    packed side by side, largest first (:func:`pack_components`). A spring layout of the
    whole graph would push small components and lone nodes to the far edge and shrink the
    main picture to a corner of the screen. Kamada & Kawai (1989) was tried for small graphs
    and dropped: its optimiser took up to 1 s at 17 nodes on a busy 2-core machine. Edge
    direction and parallel edges are ignored. Positions are rounded to 0.1 px, so that the
    same input gives the same bytes.

    References
    ----------
    Kamada, T., & Kawai, S. (1989). An algorithm for drawing general undirected graphs.
    Information Processing Letters, 31(1), 7–15.
    Fruchterman, T. M. J., & Reingold, E. M. (1991). Graph drawing by force-directed
    placement. Software: Practice and Experience, 21(11), 1129–1164.

    Examples
    --------
    >>> pos = compute_layout(nx.path_graph(["a", "b", "c"]))
    >>> sorted(pos), pos == compute_layout(nx.path_graph(["a", "b", "c"]))
    (['a', 'b', 'c'], True)
    """
    H = build_layout_graph(G)
    components = sorted((sorted(c, key=str) for c in nx.connected_components(H)), key=lambda c: (-len(c), str(c[0])))
    # A subgraph view under half the graph's size iterates a set of its nodes, whose order
    # changes with Python's string hash seed: each component is rebuilt in sorted order.
    drawings = [compute_component_layout(build_layout_graph(H.subgraph(nodes)), seed) for nodes in components]
    pos = pack_components(drawings)
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in pos.items()}


def compute_component_layout(H: nx.Graph, seed: int) -> dict:
    """One connected component in pixels, centred on (0, 0), radius ~ spacing × sqrt(n)."""
    if len(H) == 1:
        return {next(iter(H)): (0.0, 0.0)}
    raw = nx.spring_layout(H, seed=seed) if len(H) < IGRAPH_MIN_NODES else compute_igraph_layout(H, seed)
    xy = np.array([raw[node] for node in H.nodes], dtype=float)
    xy -= np.median(xy, axis=0)  # the centre of the crowd, not pulled towards far ends
    # Spring layouts of hub-and-spoke graphs push the spokes' ends far out and crowd the
    # hubs in the middle (in the sample's whole network the median node sat at a fifth of
    # the largest distance from the centre). Distances are then raised to the power that
    # puts the median node halfway out, directions kept: the middle gets room and the far
    # ends come in. Layouts whose median node is already halfway out are left as they are.
    xy /= max(float(np.hypot(xy[:, 0], xy[:, 1]).max()), 1e-9)
    r = np.hypot(xy[:, 0], xy[:, 1])
    median = float(np.median(r))
    if 0 < median < 0.5:
        xy *= (r ** (math.log(0.5) / math.log(median)) / np.maximum(r, 1e-9))[:, None]
    xy *= NODE_SPACING_PX * math.sqrt(len(H))
    return dict(zip(H.nodes, map(tuple, xy.tolist())))


def pack_components(drawings: list[dict]) -> dict:
    """Place drawings (largest first) left to right in rows, a spacing apart, centred on (0, 0).

    A simple shelf packing: rows are about as wide as the square root of the total area of
    the drawings' boxes (or the widest drawing), so the whole picture is roughly square and
    fits a projector's screen when the view zooms to fit.

    Examples
    --------
    >>> pack_components([{"a": (0.0, 0.0)}, {"b": (0.0, 0.0)}])
    {'a': (0.0, -50.0), 'b': (0.0, 50.0)}
    """
    if not drawings:
        return {}
    boxes = []
    for drawing in drawings:
        xy = np.array(list(drawing.values()), dtype=float)
        low, high = xy.min(axis=0), xy.max(axis=0)
        boxes.append((low, high - low + NODE_SPACING_PX))
    row_width = max(max(size[0] for _, size in boxes), math.sqrt(sum(size[0] * size[1] for _, size in boxes)))
    pos, x, y, row_height = {}, 0.0, 0.0, 0.0
    for drawing, (low, size) in zip(drawings, boxes):
        if x > 0 and x + size[0] > row_width * 1.05:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (nx_, ny_) in drawing.items():
            pos[node] = (x + nx_ - low[0], y + ny_ - low[1])
        x += size[0]
        row_height = max(row_height, size[1])
    xy = np.array(list(pos.values()))
    centre = (xy.min(axis=0) + xy.max(axis=0)) / 2
    return {node: (float(px - centre[0]), float(py - centre[1])) for node, (px, py) in pos.items()}


def compute_igraph_layout(H: nx.Graph, seed: int) -> dict:
    """Fruchterman-Reingold in igraph's C code from seeded start positions, in [-1, 1].

    igraph draws random numbers from Python's ``random`` module by default; a private
    ``random.Random(seed)`` is set for the call and the default put back, so that the
    layout is reproducible and no one else's random state is touched.
    """
    import igraph  # imported here: it pulls in matplotlib (~1 s, FIELD_NOTES)

    nodes = list(H.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in H.edges()])
    start = np.random.default_rng(seed).uniform(-1, 1, (len(nodes), 2)).tolist()
    igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = np.array(g.layout_fruchterman_reingold(seed=start, niter=count_iterations(len(nodes))).coords)
    finally:
        igraph.set_random_number_generator(random)
    coords -= coords.mean(axis=0)
    coords /= max(float(np.abs(coords).max()), 1e-9)
    return dict(zip(nodes, coords.tolist()))


def count_iterations(n_nodes: int) -> int:
    """Fruchterman-Reingold iterations for ``n_nodes`` within :data:`LAYOUT_WORK`.

    >>> count_iterations(400), count_iterations(2_161), count_iterations(10_000)
    (500, 107, 100)
    """
    return max(MIN_ITERATIONS, min(500, LAYOUT_WORK // max(n_nodes, 1) ** 2))


def build_layout_graph(G: nx.Graph) -> nx.Graph:
    """A simple undirected copy of ``G`` with nodes and edges in sorted order.

    Layout algorithms depend on node order; sorting makes positions independent of the
    order in which the graph happened to be built.
    """
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes, key=str))
    H.add_edges_from(sorted(((u, v) if str(u) <= str(v) else (v, u)) for u, v in G.edges() if u != v))
    return H
