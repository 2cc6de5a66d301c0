"""Node positions of network views (analysis/render/layout.py)."""

import networkx as nx
import numpy as np

from analysis.render.layout import NODE_SPACING_PX, compute_component_layout, compute_layout


def test_a_lone_node_sits_beside_the_main_picture_not_far_away():
    # A spring layout of the whole graph pushes a lone node to the far edge, and a view
    # zoomed to fit then shows the main picture in a corner (seen in the sample's views).
    G = nx.les_miserables_graph()
    G.add_node("lone")
    pos = compute_layout(G, seed=1)
    main = np.array([pos[n] for n in G if n != "lone"])
    low, high = main.min(axis=0), main.max(axis=0)
    lone = np.array(pos["lone"])
    # within one spacing of the main drawing's bounding box
    assert np.all(lone >= low - 2 * NODE_SPACING_PX) and np.all(lone <= high + 2 * NODE_SPACING_PX)


def test_components_do_not_overlap():
    G = nx.disjoint_union_all([nx.cycle_graph(12), nx.star_graph(8), nx.path_graph(3)])
    pos = compute_layout(G, seed=1)
    boxes = []
    for nodes in nx.connected_components(G):
        xy = np.array([pos[n] for n in nodes])
        boxes.append((xy.min(axis=0), xy.max(axis=0)))
    for i, (low_a, high_a) in enumerate(boxes):
        for low_b, high_b in boxes[i + 1:]:
            assert np.any(high_a < low_b) or np.any(high_b < low_a)


def test_the_picture_is_centred_on_the_origin():
    pos = compute_layout(nx.disjoint_union(nx.complete_graph(6), nx.path_graph(4)), seed=3)
    xy = np.array(list(pos.values()))
    assert np.allclose((xy.min(axis=0) + xy.max(axis=0)) / 2, 0, atol=0.1)


def test_a_crowded_middle_is_spread_so_the_median_node_is_halfway_out():
    # A dense core of 20 with three long paths hanging off it: the spring layout puts the
    # median node at a third of the way out (measured), the crowd in the middle.
    G = nx.relabel_nodes(nx.complete_graph(20), str)
    for hub in range(3):
        nx.add_path(G, [str(hub)] + [f"{hub}-{i}" for i in range(6)])
    xy = np.array(list(compute_component_layout(G, seed=1).values()))
    r = np.hypot(xy[:, 0], xy[:, 1])  # the component is drawn around its crowd's centre
    assert abs(np.median(r) / r.max() - 0.5) < 0.01


def test_an_evenly_spread_layout_is_left_as_it_is():
    G = nx.relabel_nodes(nx.grid_2d_graph(6, 6), str)
    raw = nx.spring_layout(G, seed=1)
    xy = np.array([raw[n] for n in G])
    drawn = np.array([compute_component_layout(G, seed=1)[n] for n in G])
    # the same picture, only moved and scaled
    ratio = np.hypot(*(drawn - drawn.mean(axis=0)).T) / np.hypot(*(xy - xy.mean(axis=0)).T)
    assert np.allclose(ratio, ratio[0], rtol=1e-6)
