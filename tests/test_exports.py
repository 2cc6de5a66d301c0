"""Tests for analysis.render.exports: GEXF/GraphML that Gephi, networkx and igraph read back.

Expected values are the attributes of tests/fixtures_views.py's graph, joined as the
module says (lists with " | "). The schemas are in tests/schemas/: the GEXF 1.2draft and
GraphML 1.0 schema files as JGraphT 1.5.1 distributes them, and stricter ones written for
stakemap from the published specifications (tests/schemas/README.md)."""

from pathlib import Path

from xml.etree import ElementTree as etree

import igraph
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import xmlschema

from analysis.render.exports import (build_edge_columns, build_export_lists, build_node_columns, list_export_rows,
                                     list_sorted_edges, write_exports)
from analysis.render.layout import compute_layout
from analysis.render.views import NODE_STYLES
from tests.fixtures_views import PHONES, PRIVATE_NAMES, build_forum_graph

SCHEMAS = Path(__file__).parent / "schemas"
DISTRIBUTED = SCHEMAS / "jgrapht-1.5.1"
GEXF = "{http://www.gexf.net/1.2draft}"
VIZ = "{http://www.gexf.net/1.2draft/viz}"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
#: The organisation name of issue 16, case 10: a non-character XML 1.0 refuses.
UFFFF_NAME = "กองทุน\uffffสวัสดิการ\x08ชุมชน"


def build_gephi_graph() -> nx.MultiDiGraph:
    """The forum graph plus what broke Gephi (issue 17): parallel edges (two payments and a
    lead between CODI and J2), node ids with a space and brackets (a funding stream's), and
    an organisation named with U+FFFF and a backspace."""
    G = build_forum_graph()
    G.add_node("stream:CODI:สมทบ (ปี 2567) [รอบ 1]", kind="stream", label="สมทบ (ปี 2567)", label_en="")
    G.add_edge("org:CODI", "stream:CODI:สมทบ (ปี 2567) [รอบ 1]", kind="funds", amount_thb=10.0)
    G.add_edge("org:CODI", "project:J2", kind="funds", amount_thb=100000.0, stream="สมทบ", source="funding.csv:3")
    G.add_edge("org:CODI", "project:J2", kind="funds", amount_thb=50000.0, stream="เพิ่มเติม", source="funding.csv:4")
    G.add_edge("org:CODI", "project:J2", kind="takes_part", source="participation.csv:3")
    G.add_node("org:ODD", kind="organisation", label=UFFFF_NAME, org_kind="other")
    G.add_edge("org:ODD", "project:J2", kind="takes_part", role="ที่ปรึกษา\uffff")
    return G


def validate(path: Path, schema: str) -> None:
    """Well-formed (the parser raises otherwise) and valid: no schema error (AssertionError)."""
    etree.parse(path)
    errors = list(xmlschema.XMLSchema(str(SCHEMAS / schema)).iter_errors(str(path)))
    assert errors == [], errors[0]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("exports")
    return {p.name: p for p in write_exports(build_gephi_graph(), out)}


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


def test_the_csv_files_are_the_same_with_or_without_the_xml_files(tmp_path):
    # Without XML files the edge columns are built after the node table is written (issue 19):
    # the same bytes as when both are built first for the XML files.
    with_xml = write_exports(build_gephi_graph(), tmp_path / "xml")
    csv_only = write_exports(build_gephi_graph(), tmp_path / "csv", max_xml_nodes=0)
    assert [p.read_bytes() for p in with_xml[-2:]] == [p.read_bytes() for p in csv_only]


def test_sorted_edges_are_three_lists_parallel_edges_ordered_by_their_attributes():
    # By hand: sources sort "a" < "b"; b's two edges to "a" are parallel and sort by the text
    # of their sorted attributes, "[('w', 1)]" < "[('w', 2)]", whatever their insertion order.
    G = nx.MultiDiGraph([("b", "a", {"w": 2}), ("b", "c", {}), ("a", "c", {"w": 5}), ("b", "a", {"w": 1})])
    assert list_sorted_edges(G) == (["a", "b", "b", "b"], ["c", "a", "a", "c"], [{"w": 5}, {"w": 1}, {"w": 2}, {}])


def test_sorted_edges_order_non_text_nodes_by_their_text():
    # str(10) = "10" sorts before str(9) = "9", although 9 < 10.
    G = nx.MultiDiGraph([(9, 1), (10, 1)])
    assert list_sorted_edges(G)[0] == [10, 9]


def test_node_and_edge_columns_are_the_csv_tables_columns():
    G = nx.MultiDiGraph()
    G.add_node("b", kind="org", roles=["ประธาน", "กรรมการ"])
    G.add_node("a", kind="person", amount=float("nan"))
    G.add_edge("b", "a", kind="member_of", amount_thb=5.0)
    G.add_edge("a", "b", kind="leads")
    # nodes by id; "amount" is only NaN (dropped, so no column); the list joined with " | "
    assert build_node_columns(G) == {"node_id": ["a", "b"], "kind": ["person", "org"],
                                     "roles": [None, "ประธาน | กรรมการ"]}
    assert build_edge_columns(G) == {"source_node": ["a", "b"], "target_node": ["b", "a"],
                                     "amount_thb": [None, 5.0], "kind": ["leads", "member_of"]}
    nodes, edges = list_export_rows(build_node_columns(G), build_edge_columns(G))
    assert nodes == [("a", {"kind": "person"}), ("b", {"kind": "org", "roles": "ประธาน | กรรมการ"})]
    assert edges == [("a", "b", {"kind": "leads"}), ("b", "a", {"amount_thb": 5.0, "kind": "member_of"})]


def test_both_files_validate_against_the_schemas(exported):
    validate(exported["network.gexf"], "gexf-1.2.xsd")
    validate(exported["network.graphml"], "graphml-1.0.xsd")


def test_both_files_validate_against_the_distributed_schema_files(exported, tmp_path):
    """The schema files as JGraphT 1.5.1 ships them (tests/schemas/README.md). That copy of
    gexf.xsd declares the viz module's color, position and size in the GEXF namespace, where
    the GEXF 1.2 primer and Gephi write them in the viz namespace (``viz:color``): the viz
    elements are checked against the same types after moving them to the namespace the
    copy declares, and every other element as written."""
    errors = list(xmlschema.XMLSchema(str(DISTRIBUTED / "graphml.xsd")).iter_errors(str(exported["network.graphml"])))
    assert errors == [], errors[0]
    tree = etree.parse(exported["network.gexf"])
    viz = [element for element in tree.iter() if element.tag.startswith(VIZ)]
    assert {e.tag for e in viz} == {VIZ + "color", VIZ + "size", VIZ + "position"}
    for element in viz:
        element.tag = GEXF + element.tag[len(VIZ):]
    tree.write(tmp_path / "network.gexf", encoding="utf-8", xml_declaration=True)
    errors = list(xmlschema.XMLSchema(str(DISTRIBUTED / "gexf.xsd")).iter_errors(str(tmp_path / "network.gexf")))
    assert errors == [], errors[0]


def test_the_distributed_schema_files_refuse_what_broke_gephi(tmp_path):
    """As far as they can: they refuse networkx's ``<graph name="">`` and a node id with a
    space (not an NMTOKEN); they do not make ids unique, which the stricter files do."""
    G = build_gephi_graph()
    G.remove_node("org:ODD")
    nodes, edges = build_export_lists(G)
    X = nx.MultiDiGraph()
    X.add_nodes_from(nodes)
    X.add_edges_from(edges)
    nx.write_graphml(X, tmp_path / "nx.graphml")
    nx.write_gexf(X, tmp_path / "nx.gexf")
    gexf = " ".join(str(e) for e in xmlschema.XMLSchema(str(DISTRIBUTED / "gexf.xsd")).iter_errors(str(tmp_path / "nx.gexf")))
    graphml = " ".join(str(e) for e in xmlschema.XMLSchema(str(DISTRIBUTED / "graphml.xsd")).iter_errors(str(tmp_path / "nx.graphml")))
    assert "'name' attribute not allowed" in gexf
    assert "stream:CODI:สมทบ (ปี 2567)" in graphml


def schema_errors(path: Path, schema: str) -> str:
    return " ".join(str(e) for e in xmlschema.XMLSchema(str(SCHEMAS / schema)).iter_errors(str(path)))


def test_the_schemas_refuse_what_broke_gephi(tmp_path):
    """The checks bite: networkx's own files (issue 17's) fail them, each for its fault."""
    G = build_gephi_graph()
    G.remove_node("org:ODD")  # networkx cannot even write U+FFFF well-formed
    nodes, edges = build_export_lists(G)  # as the exports were written before issue 17
    X = nx.MultiDiGraph()
    X.add_nodes_from(nodes)
    X.add_edges_from(edges)
    nx.write_graphml(X, tmp_path / "nx.graphml")
    nx.write_gexf(X, tmp_path / "nx.gexf")
    assert "'name': ''" in schema_errors(tmp_path / "nx.gexf", "gexf-1.2.xsd")  # <graph name="">
    assert "stream:CODI:สมทบ (ปี 2567)" in schema_errors(tmp_path / "nx.graphml", "graphml-1.0.xsd")  # not an NMTOKEN
    X.remove_node("stream:CODI:สมทบ (ปี 2567) [รอบ 1]")
    nx.write_graphml(X, tmp_path / "nx.graphml")
    assert "duplicated value ('0',)" in schema_errors(tmp_path / "nx.graphml", "graphml-1.0.xsd")  # edge ids repeat


def test_every_edge_loads_once_in_networkx_igraph_and_by_id(exported):
    # build_gephi_graph: 22 forum edges + 5 added; CODI→J2 has 3 parallel edges merged into
    # one: 25 edges.
    ids = [e.get("id") for e in etree.parse(exported["network.graphml"]).iter(f"{GRAPHML}edge")]
    gexf_ids = [e.get("id") for e in etree.parse(exported["network.gexf"]).iter(f"{GEXF}edge")]
    assert len(ids) == len(set(ids)) == 25 and gexf_ids == ids
    assert nx.read_graphml(exported["network.graphml"]).number_of_edges() == 25
    assert nx.read_gexf(exported["network.gexf"]).number_of_edges() == 25
    g = igraph.Graph.Read_GraphML(str(exported["network.graphml"]))
    assert (g.vcount(), g.ecount()) == (19, 25)
    node_ids = [n.get("id") for n in etree.parse(exported["network.graphml"]).iter(f"{GRAPHML}node")]
    assert len(set(node_ids)) == 19


def test_parallel_edges_are_merged_with_their_money_summed(exported):
    G = nx.read_graphml(exported["network.graphml"])
    assert not G.is_multigraph()  # networkx found no parallel edges to keep apart
    attrs = G.get_edge_data("org:CODI", "project:J2")
    assert attrs["kind"] == "funds | takes_part"
    assert attrs["amount_thb"] == 150000.0  # 100,000 + 50,000
    assert attrs["n_ties"] == 3 and attrs["weight"] == 3
    assert attrs["stream"] == "สมทบ | เพิ่มเติม"
    # the CSV keeps every edge: 22 + 5 = 27 rows
    assert len(pd.read_csv(exported["network_edges.csv"], encoding="utf-8-sig")) == 27


def test_ids_are_valid_xml_and_the_original_id_is_kept(exported):
    G = nx.read_graphml(exported["network.graphml"])
    stream = "stream:CODI:สมทบ__ปี_2567___รอบ_1_"
    assert G.nodes[stream]["node_id"] == "stream:CODI:สมทบ (ปี 2567) [รอบ 1]"
    assert G.nodes["org:ODD"]["label"] == "กองทุนสวัสดิการชุมชน"  # U+FFFF and U+0008 removed


def test_u_ffff_in_a_name_still_gives_well_formed_xml(tmp_path):
    """Issue 16, case 10: every text goes through clean_xml_text."""
    G = nx.MultiDiGraph()
    G.add_node("org:ODD\uffff", kind="organisation", label=UFFFF_NAME, aliases=["ก\uffff", "ข"])
    G.add_node("org:B", kind="organisation", label="ข")
    G.add_edge("org:ODD\uffff", "org:B", kind="part_of", source="x\uffff")
    paths = {p.name: p for p in write_exports(G, tmp_path)}
    validate(paths["network.gexf"], "gexf-1.2.xsd")
    validate(paths["network.graphml"], "graphml-1.0.xsd")
    assert nx.read_gexf(paths["network.gexf"]).nodes["org:ODD"]["label"] == "กองทุนสวัสดิการชุมชน"


def test_gexf_carries_the_views_colour_size_and_position(exported):
    G = build_gephi_graph()
    pos = compute_layout(nx.Graph(G), seed=42)  # the views' layout and seed
    X = nx.read_gexf(exported["network.gexf"])
    viz = X.nodes["org:SAO"]["viz"]
    r, g, b = (int(NODE_STYLES["organisation"][2][i:i + 2], 16) for i in (1, 3, 5))
    assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == (r, g, b)
    assert (viz["position"]["x"], viz["position"]["y"]) == (pos["org:SAO"][0], -pos["org:SAO"][1])  # y up in Gephi
    assert viz["size"] > 8  # the views' radius: 8 px for the least connected, more for SAO
    Y = nx.read_graphml(exported["network.graphml"])
    assert (Y.nodes["org:SAO"]["r"], Y.nodes["org:SAO"]["x"], Y.nodes["org:SAO"]["size"]) == (r, viz["position"]["x"], viz["size"])


def test_gexf_is_static_without_a_graph_name_or_networkx_key(exported):
    text = exported["network.gexf"].read_text(encoding="utf-8")
    graph = etree.parse(exported["network.gexf"]).find(f"{GEXF}graph")
    assert graph.get("mode") == "static" and graph.get("name") is None
    assert "networkx_key" not in text and "networkx_key" not in exported["network.graphml"].read_text(encoding="utf-8")
    assert all(n.get("start") is None for n in graph.iter(f"{GEXF}node"))


def test_dynamic_gexf_puts_project_periods_on_the_timeline(tmp_path):
    G = build_forum_graph()
    G.nodes["project:J1"].update(start="2024-10-01", end="2025-09-30")
    gexf = write_exports(G, tmp_path, dynamic=True)[0]
    validate(gexf, "gexf-1.2.xsd")
    graph = etree.parse(gexf).find(f"{GEXF}graph")
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    j1 = next(n for n in graph.iter(f"{GEXF}node") if n.get("id") == "project:J1")
    assert (j1.get("start"), j1.get("end")) == ("2024-10-01", "2025-09-30")


def test_attribute_values_match_their_declared_types(exported):
    """What a schema cannot say: each GEXF attvalue parses as the type its attribute declares."""
    root = etree.parse(exported["network.gexf"])
    parse = {"long": int, "double": float, "boolean": {"true": True, "false": False}.__getitem__, "string": str}
    for attributes in root.iter(f"{GEXF}attributes"):
        declared = {a.get("id"): a.get("type") for a in attributes}
        element = f"{GEXF}{attributes.get('class')}"
        for item in root.iter(element):
            for value in item.iter(f"{GEXF}attvalue"):
                parse[declared[value.get("for")]](value.get("value"))


def test_stakemap_run_dynamic_asks_for_the_timeline(monkeypatch, tmp_path):
    from analysis.cli import main

    asked = []
    monkeypatch.setattr("analysis.pipeline.run_analysis", lambda *args, **kwargs: asked.append(kwargs) or tmp_path)
    assert main(["run", str(tmp_path), "--dynamic"]) == 0 and main(["run", str(tmp_path)]) == 0
    assert [kwargs["dynamic"] for kwargs in asked] == [True, False]
