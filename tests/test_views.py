"""Tests for analysis.render.views: offline, safe, private, folded, deterministic views.

Expected counts come from tests/fixtures_views.py (its docstrings list every node).
"""

import json
import re

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from analysis.errors import DatasetError
from analysis.render import views
from analysis.render.layout import compute_layout
from tests.fixtures_views import (
    EMAILS, HOSTILE_NAMES, PHONES, PRIVATE_NAMES, PUBLIC_NAME, RECORD_IDS, build_forum_graph, build_grid_graph,
)

#: A resource the browser would fetch from elsewhere: src=/href=/url( with http(s):// or //.
REMOTE = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?)\s*(?:https?:)?//""", re.IGNORECASE)


def read_view_data(path) -> dict:
    """The JSON block a view page draws from."""
    text = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="stakemap-data">(.*?)</script>', text, re.S)
    return json.loads(block.group(1))


def test_view_holds_every_node_with_fixed_positions(tmp_path):
    path = views.render_view(build_forum_graph(), tmp_path / "v.html", title="ท่าศาลา")
    data = read_view_data(path)
    assert len(data["nodes"]) == 17  # 5 areas + 6 organisations + 3 persons + 2 projects + 1 stream
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert data["physics"] is False
    assert {item["kind"] for item in data["legend"]} == {"area", "organisation", "person", "project", "stream"}


def test_view_is_self_contained(tmp_path):
    text = views.render_view(build_forum_graph(), tmp_path / "v.html", title="t").read_text(encoding="utf-8")
    assert REMOTE.search(text) is None
    assert "vis-network" in text and "Sarabun" in text  # the library and the font are inline
    assert '<meta charset="utf-8">' in text and "default-src 'none'" in text


def test_hostile_names_stay_data_not_markup(tmp_path):
    G = build_forum_graph()
    path = views.render_view(G, tmp_path / "v.html", title=HOSTILE_NAMES[0])
    text = path.read_text(encoding="utf-8")
    labels = {n["label"] for n in read_view_data(path)["nodes"]}
    assert set(HOSTILE_NAMES) <= labels  # shown exactly as written …
    for name in HOSTILE_NAMES:
        assert name not in text  # … but never as raw markup in the file
    assert "<img src=x" not in text and "&lt;img src=x" in text  # the title is escaped
    assert text.count("</script>") == 3  # the data block, vis-network, the view script


def test_public_view_hides_contacts_records_and_private_names(tmp_path):
    path = views.render_view(build_forum_graph(), tmp_path / "v.html", title="t", public=True)
    text = path.read_text(encoding="utf-8")
    for secret in (*PHONES, *EMAILS, "สมชาย", "มาลี", "people.csv"):
        assert secret not in text
    strings = json.dumps(read_view_data(path), ensure_ascii=False)
    assert not any(record in strings for record in RECORD_IDS)
    assert PUBLIC_NAME in text  # a council chair keeps their name
    assert "บุคคล P-01" in strings and "person P-01" in strings


def test_redact_graph_is_idempotent_and_keeps_structure():
    G = build_forum_graph()
    once = views.redact_graph(G)
    assert nx.utils.graphs_equal(once, views.redact_graph(once))
    assert sorted(once.edges()) == sorted(G.edges())
    assert G.nodes["person:P-01"]["label"] == PRIVATE_NAMES[0]  # the input is not changed


def test_redact_graph_in_place_changes_the_graph_itself_as_a_copy_would():
    # A public run redacts its own graph in place (no second gigabyte nationally).
    copied = views.redact_graph(build_forum_graph())
    G = build_forum_graph()
    assert views.redact_graph(G, copy=False) is G
    assert nx.utils.graphs_equal(G, copied) and list(G.nodes) == list(copied.nodes)
    assert G.nodes["person:P-01"]["label"] == "บุคคล P-01"


def test_large_view_folds_persons_then_areas(tmp_path):
    # 3 districts × 4 organisations × 10 persons = 120 persons, 12 organisations, 7 areas.
    G = build_grid_graph(3, 4, 10)
    assert len(G) == 139
    context = views.build_context(G)
    H, note = views.reduce_graph(G, 50, context)
    assert len(H) == 19 and "organisations" in note  # persons folded: 12 organisations + 7 areas
    assert H.nodes["org:D1O0"]["folded"] == {"person": 10}
    H, note = views.reduce_graph(G, 10, context)
    # folded into the 3 districts (the coarsest level with more than one area) + the province
    assert sorted(H) == ["area:90", "area:9001", "area:9002", "area:9003"]
    assert H.nodes["area:9001"]["folded"] == {"area": 1, "organisation": 4, "person": 40}


def test_folding_by_area_folds_funding_streams_into_their_funder():
    # A national funder (no place) pays two streams to organisations in districts 1 and 2.
    G = build_grid_graph(3, 4, 10)
    G.add_node("org:CODI", kind="organisation", label="พอช.", label_en="CODI", org_kind="agency")
    for n, (stream, org) in enumerate([("บ้านมั่นคง", "org:D1O0"), ("สวัสดิการ", "org:D2O1")]):
        G.add_node(f"stream:CODI:{stream}", kind="stream", label=stream, label_en="", funder_id="CODI")
        G.add_edge("org:CODI", f"stream:CODI:{stream}", kind="funds", amount_thb=1000.0 * (n + 1))
        G.add_edge(f"stream:CODI:{stream}", org, kind="pays", amount_thb=1000.0 * (n + 1))
    H, note = views.reduce_graph(G, 10, views.build_context(G))
    # the 3 districts + the province + the funder, whose node stands for its 2 streams
    assert sorted(H) == ["area:90", "area:9001", "area:9002", "area:9003", "org:CODI"]
    assert H.nodes["org:CODI"]["folded"] == {"stream": 2}
    assert "funding streams into their funders" in note
    pays = {v: d["amount_thb"] for _, v, d in H.out_edges("org:CODI", data=True) if d["kind"] == "pays"}
    assert pays == {"area:9001": 1000.0, "area:9002": 2000.0}


def test_edge_index_gives_the_edges_a_mask_over_every_edge_would():
    table = views.build_edge_table(build_grid_graph(2, 3, 4))
    rng = np.random.default_rng(0)
    for positions in (np.arange(len(table.nodes)), np.array([], dtype=np.int64),
                      *(np.sort(rng.choice(len(table.nodes), size, replace=False)) for size in (1, 5, 20))):
        inside = table.mask(positions)
        assert sorted(table.edges_from(positions).tolist()) == np.flatnonzero(inside[table.sources]).tolist()
        assert sorted(table.edges_to(positions).tolist()) == np.flatnonzero(inside[table.targets]).tolist()


def test_edge_table_lists_every_edge_with_its_kind_weight_amount_and_texts():
    # By hand, nodes sorted a, b, c (positions 0, 1, 2); edges in the adjacency's order, the
    # graph's node order (b was added first): b→c, then a→b twice (parallel). An empty role
    # counts as none; a missing weight as 1.
    G = nx.MultiDiGraph()
    G.add_nodes_from([("b", {"kind": "organisation"}), ("a", {"kind": "person"}), ("c", {})])
    G.add_edge("a", "b", kind="member_of", role="ประธาน")
    G.add_edge("a", "b", kind="member_of", role="", weight=2)
    G.add_edge("b", "c", kind="funds", amount_thb=100.0, stream="บ้านมั่นคง")
    table = views.build_edge_table(G)
    assert table.nodes == ["a", "b", "c"] and table.kinds.tolist() == ["person", "organisation", "other"]
    assert table.sources.tolist() == [1, 0, 0] and table.targets.tolist() == [2, 1, 1]
    assert table.kind_names == ["funds", "member_of"] and table.edge_kinds.tolist() == [0, 1, 1]
    assert table.weights.tolist() == [1, 1, 2]
    assert table.amounts[0] == 100.0 and np.isnan(table.amounts[1:]).all()
    assert table.texts["role"].tolist() == [None, "ประธาน", None]
    assert table.texts["stream"].tolist() == ["บ้านมั่นคง", None, None]


def test_edge_table_lists_an_undirected_edge_once_from_the_end_that_sorts_first():
    G = nx.Graph([("b", "a", {"kind": "shares", "weight": 3}), ("c", "b", {"kind": "shares"})])
    table = views.build_edge_table(G)
    # met from b first (the first node added): b–c, then b–a, which runs from a (position 0)
    assert list(zip(table.sources.tolist(), table.targets.tolist())) == [(1, 2), (0, 1)]
    assert table.weights.tolist() == [1, 3]


def test_nodes_in_one_place_share_one_list_of_its_areas():
    # tambon t lies in district d; persons p and q live in t; organisation o has no place.
    G = nx.MultiDiGraph()
    G.add_nodes_from([("area:t", {"kind": "area", "area_level": "tambon"}),
                      ("area:d", {"kind": "area", "area_level": "district"}),
                      ("person:p", {"kind": "person"}), ("person:q", {"kind": "person"}),
                      ("org:o", {"kind": "organisation"})])
    G.add_edges_from([("area:t", "area:d"), ("person:p", "area:t"), ("person:q", "area:t")], kind="located_in")
    areas = views.find_node_areas(G)
    assert areas == {"area:d": ["area:d"], "area:t": ["area:d", "area:t"], "org:o": [],
                     "person:p": ["area:d", "area:t"], "person:q": ["area:d", "area:t"]}
    assert areas["person:p"] is areas["person:q"]
    context = views.build_context(G)
    assert context.areas_at("district") == {"area:d": ("area:d",), "area:t": ("area:d",), "person:p": ("area:d",),
                                            "person:q": ("area:d",)}
    assert views.count_areas(["person:p", "area:t", "org:o"], ["person", "area", "organisation"], "tambon", context) == 1


def test_area_views_stop_at_the_level_that_would_pass_the_limit(tmp_path):
    # Province 90 (the whole network, so no view of its own) and its 3 districts: with room
    # for 3 views the districts are drawn; with room for 2 they are left out whole, with
    # the tambons below them, and the index says how to make one.
    G = build_grid_graph(3, 4, 10)
    context = views.build_context(G)
    plans, same_as, left_out = views.plan_area_views(G, context, 10, max_views=3)
    assert sorted(plans) == ["area:9001", "area:9002", "area:9003"] and same_as == {"area:90": ""} and left_out == []
    plans, _, left_out = views.plan_area_views(G, context, 10, max_views=2)
    assert plans == {} and left_out == ["district", "tambon"]
    paths = views.write_views(G, {}, tmp_path, max_nodes=10, max_area_views=2)
    assert not any(p.name.startswith("area-") for p in paths)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "district views" in index and "not written, more than 2 views" in index


def test_drill_down_files_are_linked_relatively(tmp_path):
    paths = views.write_views(build_grid_graph(3, 4, 10), {}, tmp_path, max_nodes=10)
    names = sorted(p.name for p in paths)
    assert names == ["area-9001.html", "area-9002.html", "area-9003.html", "index.html", "network.html",
                     "organisations.html"]
    links = {n["id"]: n["link"] for n in read_view_data(tmp_path / "network.html")["nodes"]}
    assert links["area:9002"] == "area-9002.html"
    assert len(read_view_data(tmp_path / "area-9001.html")["nodes"]) <= 10


def test_write_views_uses_results_and_survives_missing_ones(tmp_path):
    G = build_forum_graph()
    results = {
        "bridges": pd.DataFrame({"org_id": ["SAO", "CODI-S"], "rank": [1, 2], "community": [0, 1], "betweenness": [0.5, 0.2]}),
        "hats": pd.DataFrame({"person_id": ["P-01", "P-02"], "n_agencies": [2, 1]}),
        "duplicate_projects": pd.DataFrame(),
    }
    paths = views.write_views(G, results, tmp_path, public=True)
    names = {p.name for p in paths}
    assert {"network.html", "organisations.html", "hats.html", "index.html"} <= names
    assert "duplicates.html" not in names
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "ไม่พบ / none found" in index
    hats = {n["id"] for n in read_view_data(tmp_path / "hats.html")["nodes"]}
    # P-01 (2 agencies) on SAO and CODI-S, under agencies SAO and CODI; P-02 has one hat
    assert hats == {"person:P-01", "org:SAO", "org:CODI-S", "org:CODI"}
    orgs = {n["id"]: n for n in read_view_data(tmp_path / "organisations.html")["nodes"]}
    assert orgs["org:SAO"]["borderWidth"] == 4 and orgs["org:SAO"]["label"].endswith("#1")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert REMOTE.search(text) is None and PHONES[0] not in text and "สมชาย" not in text


def test_duplicates_view_ties_each_group(tmp_path):
    duplicates = pd.DataFrame({"group_id": ["D1", "D1"], "project_id": ["J1", "J2"]})
    views.write_views(build_forum_graph(), {"duplicate_projects": duplicates}, tmp_path)
    data = read_view_data(tmp_path / "duplicates.html")
    assert [(e["from"], e["to"]) for e in data["edges"] if e["kind"] == "duplicates"] == [("project:J1", "project:J2")]


def test_same_input_gives_same_bytes(tmp_path):
    first = [p.read_bytes() for p in views.write_views(build_forum_graph(), {}, tmp_path / "a")]
    second = [p.read_bytes() for p in views.write_views(build_forum_graph(), {}, tmp_path / "b")]
    assert first == second


@pytest.mark.parametrize("text, node", [
    ("org:SAO", "org:SAO"),
    ("อบต.ท่าศาลา", "org:SAO"),
    ("สมชาย", "person:P-01"),  # part of a name
    ("rec-malee-9", "person:P-03"),  # a record id
    ("800802", "area:800802"),  # a tambon code
    ("ต.ท่าศาลา", "area:800801"),  # ต. picks the tambon over the district of the same name
    ("Klai", "area:800802"),
])
def test_resolve_node(text, node):
    assert views.resolve_node(build_forum_graph(), text) == node


def test_resolve_node_says_what_matched():
    with pytest.raises(DatasetError, match=r"matches 2 nodes: area:8008 \(ท่าศาลา\), area:800801 \(ท่าศาลา\)"):
        views.resolve_node(build_forum_graph(), "ท่าศาลา")
    with pytest.raises(DatasetError, match="No person, organisation, project or area matches 'ไม่มี'"):
        views.resolve_node(build_forum_graph(), "ไม่มี")


def test_extract_ego_of_person_and_tambon():
    G = build_forum_graph()
    ego = views.extract_ego(G, "person:P-03", steps=1)
    assert sorted(ego) == ["area:800802", "org:EVIL2", "person:P-03", "project:J2"]
    # tambon กลาย: what lies in it (EVIL, EVIL2, P-03, J2) and its district; then their ties,
    # not through other areas
    ego = views.extract_ego(G, "ต.กลาย", steps=2)
    assert sorted(ego) == ["area:8008", "area:800802", "org:EVIL", "org:EVIL2", "person:P-02", "person:P-03", "project:J2"]
    assert ego.graph["ego"] == "area:800802"


def test_ego_view_is_public_safe_and_focused(tmp_path):
    path = views.write_ego_view(build_forum_graph(), "สมชาย", 2, tmp_path / "ego.html", public=True)
    text = path.read_text(encoding="utf-8")
    assert "สมชาย" not in text and PHONES[0] not in text
    data = read_view_data(path)
    assert data["focus"] == "person:P-01" and "บุคคล P-01" in data["title"]


def test_ego_view_sized_by_budget_or_a_clear_error(tmp_path):
    path = views.write_ego_view(build_forum_graph(), "ต.กลาย", 2, tmp_path / "ego.html", size_by="budget_thb")
    data = read_view_data(path)
    assert data["sizeBy"] == "budget_thb"
    sizes = {n["id"]: n["size"] for n in data["nodes"]}
    assert sizes["project:J2"] == 28.0 and set(sizes.values()) == {8.0, 28.0}  # J2 alone has a budget
    with pytest.raises(DatasetError, match="has a number called 'colour'"):
        views.write_ego_view(build_forum_graph(), "ต.กลาย", 2, tmp_path / "x.html", size_by="colour")


@pytest.mark.parametrize("n_nodes", [150, 450])  # networkx below 400 nodes, igraph above
def test_layout_is_seeded(n_nodes):
    G = nx.gnm_random_graph(n_nodes, 2 * n_nodes, seed=1)
    first = compute_layout(G, seed=1)
    assert first == compute_layout(G, seed=1) and first != compute_layout(G, seed=2)
    assert len(set(first.values())) == n_nodes  # no two nodes on one spot


def test_the_index_counts_what_each_page_draws_and_names_areas_once(tmp_path):
    # build_grid_graph(3, 4, 10): 1 province + 3 districts + 3 tambons + 12 organisations
    # + 120 persons = 139 nodes; at max_nodes=10 the whole network draws the province and
    # its 3 districts (test_drill_down_files_are_linked_relatively), a district its tambon,
    # itself and its 4 organisations holding their 40 persons: 6 of 46.
    views.write_views(build_grid_graph(3, 4, 10), {}, tmp_path, max_nodes=10)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "draws 4 of 139 nodes" in index
    assert "draws 6 of 46 nodes" in index
    # the district's label is อำเภอทดสอบ1: its level word is not written twice
    assert "อำเภอทดสอบ1 / District 1" in index and "อำเภออำเภอ" not in index
    menu = [o["label"] for o in read_view_data(tmp_path / "network.html")["areas"]]
    assert "อำเภอทดสอบ1" in menu and not any(label.startswith("อำเภออำเภอ") for label in menu)


def test_views_rank_their_nodes_and_name_the_top_ten():
    G = build_grid_graph(1, 3, 12)  # 3 organisations of 12 members: the busiest come first
    data = views.build_view_data(G, title="t", context=views.build_context(G))
    ranked = sorted(data["nodes"], key=lambda n: n["rank"])
    # degrees: each organisation 12 members + its tambon = 13; the tambon 3 + its district = 4
    assert [n["id"] for n in ranked[:4]] == ["org:D1O0", "org:D1O1", "org:D1O2", "area:900101"]
    assert sorted(n["rank"] for n in data["nodes"]) == list(range(1, len(G) + 1))
    assert data["nKeyLabels"] == views.N_KEY_LABELS == 10


def test_a_failed_search_points_at_where_folded_people_are():
    G = build_grid_graph(3, 4, 10)
    context = views.build_context(G)
    folded, _ = views.reduce_graph(G, 30, context)  # persons folded into organisations
    assert "people are folded into their organisations" in views.describe_search_hint(folded, context)
    whole, _ = views.reduce_graph(G, 500, context)
    assert "try another spelling" in views.describe_search_hint(whole, context)
    public = views.redact_graph(G)
    assert "person <id>" in views.describe_search_hint(whole, views.build_context(public))
