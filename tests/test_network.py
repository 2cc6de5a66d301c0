"""The stakeholder graph: nodes, typed edges, provenance and plain attribute values."""

import json
import math
import pickle
from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd

from analysis.network import add_edges, add_nodes, build_graph, find_area_level, to_python
from fixtures_network import FakeGazetteer, build_tha_sala, make_dataset, make_persons


def tha_sala_graph():
    dataset, persons = build_tha_sala()
    return build_graph(dataset, persons, FakeGazetteer())


def test_one_node_per_person_organisation_project_stream_and_area():
    G = tha_sala_graph()
    kinds = Counter(kind for _, kind in G.nodes(data="kind"))
    # by hand (fixture docstring): 5 persons, 8 organisations, 5 projects; streams
    # (CODI, บ้านมั่นคง), (CODI, สมทบกองทุนสวัสดิการ), (THF, สมทบกองทุนสวัสดิการ) — THF → CC has
    # no stream; areas 800801, 800802, 8008, 80, the province group and the region.
    assert kinds == {"person": 5, "organisation": 8, "project": 5, "stream": 3, "area": 6}


def test_edge_kinds_counted_by_hand():
    G = tha_sala_graph()
    kinds = Counter(kind for _, _, kind in G.edges(data="kind"))
    assert kinds == {
        "member_of": 7,   # records with an org_id: r1 r2 r3 r4 r6 r7 r8
        "part_of": 3,     # CODI-S → CODI, WF → SAO, NGOB → NGO
        "leads": 5,       # every project has a lead
        "funds": 5,       # 4 funder → stream, 1 THF → CC directly (no stream)
        "pays": 4,        # stream → project for the 4 rows with a stream
        "takes_part": 5,  # 4 person rows + CC taking part in J3
        "located_in": 17,  # 5 orgs + 5 projects + 2 persons (r5, r6) + 5 area → parent area
    }


def test_person_node_gathers_the_records_of_one_person():
    node = tha_sala_graph().nodes["person:P-01"]
    assert node["label"] == "สมชาย ใจดี"
    assert node["records"] == ["r1", "r2"]
    assert node["roles"] == ["กรรมการ", "ผู้ประสานงาน"]
    assert node["phones"] == ["0812345678"]  # the same phone on both records, kept once
    assert node["emails"] == ["somchai@example.org"]


def test_public_role_chairs_and_agency_staff_only():
    G = tha_sala_graph()
    public = {n for n, is_public in G.nodes(data="is_public_role") if is_public}
    # P-03 chairs CC (ประธาน); P-02 is staff of ThaiHealth (a fund), P-05 staff of the SAO.
    # P-01 (coordinator, committee member) and P-04 (member, treasurer) hold no public role.
    assert public == {"person:P-02", "person:P-03", "person:P-05"}


def test_staff_of_an_organisation_without_agency_is_not_public():
    dataset = make_dataset(
        organisations=[{"org_id": "NGO", "name": "มูลนิธิ", "kind": "ngo"}],
        people=[{"record_id": "r1", "source": "s", "name": "ก", "org_id": "NGO", "role": "เจ้าหน้าที่"}],
    )
    G = build_graph(dataset, make_persons({"r1": ("P-1", "ก")}), FakeGazetteer())
    assert G.nodes["person:P-1"]["is_public_role"] is False


def test_funding_passes_through_a_stream_node():
    G = tha_sala_graph()
    stream = "stream:CODI:สมทบกองทุนสวัสดิการ"
    # by hand: CODI pays J2 20,000 and J1 25,000 in this stream
    assert G.nodes[stream]["amount_thb"] == 45000.0
    assert G.nodes[stream]["n_payments"] == 2
    assert sorted(v for _, v in G.out_edges(stream)) == ["project:J1", "project:J2"]
    assert {u for u, _ in G.in_edges(stream)} == {"org:CODI"}
    direct = [d for _, v, d in G.out_edges("org:THF", data=True) if v == "org:CC"]
    assert direct == [{"kind": "funds", "amount_thb": 10000.0, "source": "funding.csv:5"}]


def test_every_node_and_edge_names_its_source_row():
    G = tha_sala_graph()
    assert all(data.get("source") for _, data in G.nodes(data=True))
    assert all(data.get("source") for _, _, data in G.edges(data=True))
    # r8 is the 8th data row of people: spreadsheet row 9 (header = row 1)
    member = [d for _, v, d in G.out_edges("person:P-04", data=True) if v == "org:WF"]
    assert member[0]["source"] == "people.csv:9" and member[0]["role"] == "เหรัญญิก"
    assert G.nodes["area:800801"]["source"] == "geothai"


def test_areas_roll_up_with_thai_and_english_names():
    G = tha_sala_graph()
    assert G.nodes["area:800802"]["label"] == "กลาย" and G.nodes["area:800802"]["label_en"] == "Klai"
    chain, node = [], "area:800802"
    while True:
        parents = [v for _, v, k in G.out_edges(node, data="kind") if k == "located_in"]
        if not parents:
            break
        node = parents[0]
        chain.append(node)
    assert chain == ["area:8008", "area:80", "area:group:กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย", "area:region:ภาคใต้"]
    assert G.nodes["area:region:ภาคใต้"]["label_en"] == "South"


def _plain(value):
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, float):
        return not math.isnan(value)
    return type(value) in (str, int, bool)


def test_attribute_values_are_plain_python_and_json_safe():
    G = tha_sala_graph()
    values = [v for _, d in G.nodes(data=True) for v in d.values()]
    values += [v for _, _, d in G.edges(data=True) for v in d.values()]
    assert all(_plain(v) for v in values)
    json.dumps([list(G.nodes(data=True)), list(G.edges(data=True))], allow_nan=False, ensure_ascii=False)
    project = G.nodes["project:J1"]
    assert (project["start"], project["end"], project["budget_thb"]) == ("2024-10-01", "2025-09-30", 100000.0)
    assert "budget_thb" not in G.nodes["project:J5"]  # unknown: left out, not NaN


def test_only_the_required_tables_give_a_graph():
    dataset = make_dataset(
        organisations=[{"org_id": "A", "name": "ก", "kind": "agency"}],
        people=[{"record_id": "r1", "source": "s", "name": "ข", "org_id": "A"}],
    )
    G = build_graph(dataset, make_persons({"r1": ("P-1", "ข")}), FakeGazetteer())
    assert sorted(G.nodes) == ["org:A", "person:P-1"]
    assert [d["kind"] for _, _, d in G.edges(data=True)] == ["member_of"]


def test_same_input_gives_the_same_graph():
    first, second = tha_sala_graph(), tha_sala_graph()
    assert list(first.nodes(data=True)) == list(second.nodes(data=True))
    assert list(first.edges(data=True, keys=True)) == list(second.edges(data=True, keys=True))


def test_nodes_and_edges_added_directly_make_the_graph_networkx_makes():
    # the same calls through networkx's add_nodes_from / add_edges_from: new and known nodes,
    # an edge creating its ends, a pair joined twice, a self-loop, an edge both ways
    nodes = [("a", {"kind": "x"}), ("b", {"kind": "y", "label": "B"}), ("a", {"label": "A"})]
    edges = [("a", "b", {"kind": "e"}), ("a", "c", {"kind": "f", "n": 1}), ("a", "b", {"kind": "g"}),
             ("c", "c", {}), ("b", "a", {"kind": "e"}), ("d", "a", {"kind": "e"}), ("a", "b", {})]
    ours, theirs = nx.MultiDiGraph(), nx.MultiDiGraph()
    add_nodes(ours, nodes)
    add_edges(ours, edges)
    theirs.add_nodes_from(nodes)
    theirs.add_edges_from(edges)
    assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(ours.edges(keys=True, data=True)) == list(theirs.edges(keys=True, data=True))
    assert list(ours.in_edges(keys=True, data=True)) == list(theirs.in_edges(keys=True, data=True))
    assert [(v, k) for _, v, k in ours.edges("a", keys=True)] == [("b", 0), ("b", 1), ("b", 2), ("c", 0)]
    # each edge holds its own copy of the attributes given
    edges[0][2]["kind"] = "changed"
    assert ours.edges["a", "b", 0]["kind"] == "e"


def test_area_level_follows_the_length_of_the_official_code():
    assert [find_area_level(c) for c in ("10", "1001", "100101")] == ["province", "district", "tambon"]



def test_python_values_leave_the_column_as_it_was():
    # Text columns are pandas' python-backed strings; once pickled (as tables come back from
    # a worker process), pandas 3.1's to_numpy(dtype=object, copy=True) hands out the
    # column's own array: gaps filled with None there break every later reader of the
    # table (the organisation network reads it next)
    column = pickle.loads(pickle.dumps(pd.Series(["a", None, "b"], dtype="str")))
    assert to_python(column) == ["a", None, "b"]
    assert column.isna().tolist() == [False, True, False] and column.iloc[0] == "a"
    assert to_python(column) == ["a", None, "b"]  # twice: nothing left behind
