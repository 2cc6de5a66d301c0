"""Tests for analysis.render.exports: GEXF/GraphML that Gephi and networkx read back.

Expected values are the attributes of tests/fixtures_views.py's graph, joined as the
module says (lists with " | ")."""

import networkx as nx
import numpy as np
import pandas as pd

from analysis.render.exports import build_export_lists, write_exports
from tests.fixtures_views import PHONES, PRIVATE_NAMES, build_forum_graph


def test_attributes_round_trip_through_graphml_and_gexf(tmp_path):
    G = build_forum_graph()
    G.nodes["org:SAO"]["n_members"] = np.int64(3)  # numpy values crash writers unless cast
    G.nodes["org:SAO"]["note"] = None  # None is dropped, not written as "None"
    gexf, graphml, *_ = write_exports(G, tmp_path)
    for back in (nx.read_graphml(graphml), nx.read_gexf(gexf)):
        assert back.number_of_nodes() == 17 and back.number_of_edges() == G.number_of_edges()
        person = back.nodes["person:P-01"]
        assert person["roles"] == "กรรมการ" and person["phones"] == PHONES[0]
        assert person["records"] == "rec-somchai-1 | rec-somchai-2"
        assert person["is_public_role"] is False
        assert back.nodes["org:SAO"]["n_members"] == 3 and "note" not in back.nodes["org:SAO"]
        assert back.nodes["project:J1"]["budget_thb"] == 200000.0
        assert back.nodes["org:EVIL"]["label"] == G.nodes["org:EVIL"]["label"]


def test_mixed_types_become_text():
    G = nx.MultiDiGraph()
    G.add_node("a", code=10)
    G.add_node("b", code="x")
    nodes, _ = build_export_lists(G)
    assert dict(nodes) == {"a": {"code": "10"}, "b": {"code": "x"}}


def test_public_exports_hide_personal_data(tmp_path):
    paths = write_exports(build_forum_graph(), tmp_path, public=True)
    for path in paths:
        text = path.read_text(encoding="utf-8-sig")
        assert PHONES[0] not in text and "rec-somchai-1" not in text and PRIVATE_NAMES[0] not in text
    nodes = pd.read_csv(tmp_path / "network_nodes.csv", encoding="utf-8-sig")
    assert nodes.columns[0] == "node_id" and len(nodes) == 17
    edges = pd.read_csv(tmp_path / "network_edges.csv", encoding="utf-8-sig")
    # located_in: 4 between areas + 5 organisations + 1 person + 2 projects = 12; member_of 4;
    # leads 2; part_of, funds, pays, takes_part 1 each: 22 edges
    assert list(edges.columns[:2]) == ["source_node", "target_node"] and len(edges) == 22


def test_exports_are_byte_identical(tmp_path):
    first = [p.read_bytes() for p in write_exports(build_forum_graph(), tmp_path / "a")]
    second = [p.read_bytes() for p in write_exports(build_forum_graph(), tmp_path / "b")]
    assert first == second


def test_a_graph_too_big_for_gephi_gets_the_csv_files_only(tmp_path):
    G = build_forum_graph()  # 17 nodes
    paths = write_exports(G, tmp_path, max_xml_nodes=16)
    assert [p.name for p in paths] == ["network_nodes.csv", "network_edges.csv"]
    assert not (tmp_path / "network.gexf").exists()
    assert len(pd.read_csv(paths[0], encoding="utf-8-sig")) == 17
