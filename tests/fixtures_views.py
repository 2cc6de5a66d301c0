"""Stakeholder graphs built by hand for the view and export tests, shaped as
:func:`analysis.network.build_graph` builds them.

:func:`build_forum_graph` is one district (Tha Sala, Nakhon Si Thammarat) with 17 nodes:
5 areas (a province group, province 80, district 8008, tambons 800801 ท่าศาลา and 800802
กลาย), 6 organisations (three of them named with hostile markup), 3 persons, 2 projects and
1 funding stream. P-01 and P-03 hold no public role; P-02 chairs a council.
:func:`build_grid_graph` makes a larger, regular graph whose counts follow from its arguments.
"""

import networkx as nx

#: Names that would run script if a page put them into markup. Each sets window.__xss.
HOSTILE_NAMES = (
    '<img src=x onerror="window.__xss=1;alert(1)">',
    "</script><script>window.__xss=2;alert(2)</script>",
    '" onmouseover="window.__xss=3" data-href="x',
)
PRIVATE_NAMES = ("นายสมชาย ใจดี", "<b onclick=alert(4)>มาลี ศรีสุข</b>")
PUBLIC_NAME = "นายวิชัย มั่นคง"
PHONES = ("0812345678", "0899999999")
EMAILS = ("somchai@example.org",)
RECORD_IDS = ("rec-somchai-1", "rec-somchai-2", "rec-malee-9", "rec-wichai-4")


def add_area(G: nx.MultiDiGraph, code: str, label: str, label_en: str, level: str, parent: str | None) -> None:
    G.add_node(f"area:{code}", kind="area", label=label, label_en=label_en, area_level=level, source="geothai")
    if parent:
        G.add_edge(f"area:{code}", f"area:{parent}", kind="located_in", source="geothai")


def build_forum_graph() -> nx.MultiDiGraph:
    """The 17-node district described in the module docstring."""
    G = nx.MultiDiGraph()
    add_area(G, "group:ใต้ฝั่งอ่าวไทย", "ใต้ฝั่งอ่าวไทย", "Southern Gulf", "province_group", None)
    add_area(G, "80", "นครศรีธรรมราช", "Nakhon Si Thammarat", "province", "group:ใต้ฝั่งอ่าวไทย")
    add_area(G, "8008", "ท่าศาลา", "Tha Sala", "district", "80")
    add_area(G, "800801", "ท่าศาลา", "Tha Sala", "tambon", "8008")
    add_area(G, "800802", "กลาย", "Klai", "tambon", "8008")
    orgs = [
        ("CODI", "พอช.", "agency", "CODI", None, None),
        ("CODI-S", "พอช. ภาคใต้", "agency", "CODI", "CODI", "80"),
        ("SAO", "อบต.ท่าศาลา", "local_government", "SAO", None, "800801"),
        ("EVIL", HOSTILE_NAMES[0], "community_council", None, None, "800802"),
        ("EVIL2", HOSTILE_NAMES[1], "ngo", None, None, "800802"),
        ("EVIL3", HOSTILE_NAMES[2], "network", None, None, "800801"),
    ]
    for row, (org_id, name, kind, agency, parent, code) in enumerate(orgs, start=2):
        attrs = {"kind": "organisation", "label": name, "label_en": "", "org_kind": kind, "source": f"organisations.csv:{row}"}
        if agency:
            attrs["agency_id"] = agency
        G.add_node(f"org:{org_id}", **attrs)
        if parent:
            G.add_edge(f"org:{org_id}", f"org:{parent}", kind="part_of", source=f"organisations.csv:{row}")
        if code:
            G.add_edge(f"org:{org_id}", f"area:{code}", kind="located_in", source=f"organisations.csv:{row}")
    G.add_node("person:P-01", kind="person", label=PRIVATE_NAMES[0], label_en="", records=list(RECORD_IDS[:2]),
               roles=["กรรมการ"], phones=[PHONES[0]], emails=list(EMAILS), is_public_role=False, source="people.csv:2")
    G.add_node("person:P-02", kind="person", label=PUBLIC_NAME, label_en="", records=[RECORD_IDS[3]],
               roles=["ประธาน"], phones=[], emails=[], is_public_role=True, source="people.csv:5")
    G.add_node("person:P-03", kind="person", label=PRIVATE_NAMES[1], label_en="", records=[RECORD_IDS[2]],
               roles=["สมาชิก"], phones=[PHONES[1]], emails=[], is_public_role=False, source="people.csv:9")
    for person, org, role, record, row in [("P-01", "SAO", "กรรมการ", RECORD_IDS[0], 2),
                                           ("P-01", "CODI-S", "ผู้ประสานงาน", RECORD_IDS[1], 3),
                                           ("P-02", "EVIL", "ประธาน", RECORD_IDS[3], 5),
                                           ("P-03", "EVIL2", "สมาชิก", RECORD_IDS[2], 9)]:
        G.add_edge(f"person:{person}", f"org:{org}", kind="member_of", role=role, record_id=record, source=f"people.csv:{row}")
    G.add_edge("person:P-03", "area:800802", kind="located_in", source="people.csv:9")
    G.add_node("project:J1", kind="project", label="บ้านมั่นคงท่าศาลา", label_en="", category="ที่อยู่อาศัย",
               budget_thb=200000.0, source="projects.csv:2")
    G.add_node("project:J2", kind="project", label="บ้านมั่นคงกลาย", label_en="", category="ที่อยู่อาศัย",
               budget_thb=150000.0, source="projects.csv:3")
    G.add_edge("org:SAO", "project:J1", kind="leads", source="projects.csv:2")
    G.add_edge("org:EVIL", "project:J2", kind="leads", source="projects.csv:3")
    G.add_edge("project:J1", "area:800801", kind="located_in", source="projects.csv:2")
    G.add_edge("project:J2", "area:800802", kind="located_in", source="projects.csv:3")
    G.add_node("stream:CODI:บ้านมั่นคง", kind="stream", label="บ้านมั่นคง", label_en="", funder_id="CODI",
               amount_thb=150000.0, n_payments=1, source="funding.csv:2")
    G.add_edge("org:CODI", "stream:CODI:บ้านมั่นคง", kind="funds", amount_thb=150000.0, stream="บ้านมั่นคง", source="funding.csv:2")
    G.add_edge("stream:CODI:บ้านมั่นคง", "project:J1", kind="pays", amount_thb=150000.0, stream="บ้านมั่นคง", source="funding.csv:2")
    G.add_edge("person:P-03", "project:J2", kind="takes_part", record_id=RECORD_IDS[2], source="participation.csv:2")
    return G


def build_grid_graph(n_districts: int, n_orgs_per_district: int, n_persons_per_org: int) -> nx.MultiDiGraph:
    """Province 90 with ``n_districts`` districts (9001, 9002, …), each with one tambon
    (900101, …) holding ``n_orgs_per_district`` organisations of ``n_persons_per_org``
    members each. Nodes: 1 province + 2 × n_districts areas, then the organisations and
    persons; every person has a private phone."""
    G = nx.MultiDiGraph()
    add_area(G, "90", "สงขลา", "Songkhla", "province", None)
    for d in range(1, n_districts + 1):
        district, tambon = f"90{d:02d}", f"90{d:02d}01"
        add_area(G, district, f"อำเภอทดสอบ{d}", f"District {d}", "district", "90")
        add_area(G, tambon, f"ตำบลทดสอบ{d}", f"Tambon {d}", "tambon", district)
        for o in range(n_orgs_per_district):
            org = f"org:D{d}O{o}"
            G.add_node(org, kind="organisation", label=f"กลุ่มออมทรัพย์ {d}-{o}", label_en="", org_kind="community_org")
            G.add_edge(org, f"area:{tambon}", kind="located_in")
            for p in range(n_persons_per_org):
                person = f"person:D{d}O{o}P{p}"
                G.add_node(person, kind="person", label=f"สมาชิก {d}-{o}-{p}", label_en="", phones=["0810000000"],
                           is_public_role=False)
                G.add_edge(person, org, kind="member_of", role="สมาชิก")
    return G
