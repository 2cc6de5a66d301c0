"""Integration advice (analysis/advise.py): each rule fires on a tiny hand-made table with
the numbers a reader can check by eye, and the order follows the documented rule."""

import pandas as pd

from analysis.advise import (MANY_HATS, REC_COLUMNS, compute_recommendations, render_recommendations_md)


def hats_table():
    # Three persons: P-1 serves 3 agencies (flagged: 3 ≥ MANY_HATS), P-2 serves 2 (not
    # flagged), P-3 serves 1 but gives and receives on two payments.
    return pd.DataFrame({
        "person_id": ["P-1", "P-2", "P-3"],
        "person_name": ["นางสมศรี ใจดี", "นายสมชาย", "นายบุญมี"],
        "n_agencies": [3, 2, 1],
        "agencies": ["พอช.|สสส.|อบต.", "พอช.|อบต.", "อบต."],
        "roles": ["ประธาน", "", ""],
        "is_giver_receiver": [False, False, True],
        "giver_receiver_detail": ["", "", "พอช. → J1 บ้านมั่นคง (takes part)|อบต. → กองทุนสวัสดิการ (on its roster)"],
    })


def test_many_hats_flags_only_persons_at_or_above_the_threshold():
    assert MANY_HATS == 3
    recs = compute_recommendations({"hats": hats_table()})
    many = recs[recs["topic"] == "many_hats"]
    assert list(many["evidence"]) == ["hats.csv person_id=P-1 (n_agencies=3 ≥ 3)"]
    assert many["impact"].tolist() == [3]
    assert "serves 3 agencies (พอช., สสส., อบต.)" in many["text_en"].iloc[0]


def test_giver_receiver_counts_payments_and_comes_first():
    recs = compute_recommendations({"hats": hats_table()})
    first = recs.iloc[0]
    assert first["topic"] == "giver_receiver" and first["rank"] == 1
    assert first["impact"] == 2  # two payments in giver_receiver_detail, split on "|"
    assert "2 payment(s)" in first["text_en"] and "นายบุญมี" in first["text_th"]


def test_duplicate_group_names_host_projects_and_funders():
    duplicates = pd.DataFrame({
        "group_id": ["D-1", "D-1", "D-1"], "project_id": ["J2", "J1", "J3"],
        "title": ["ซ่อมบ้าน", "บ้านมั่นคง", "ปรับปรุงบ้าน"], "tambon": ["คลองหินปูน"] * 3,
        "funder": ["พม.", "พอช.", "พอช.|อบต."], "aim": ["ที่อยู่อาศัย"] * 3,
        "suggested_host_id": ["C1"] * 3, "suggested_host": ["สภาองค์กรชุมชนตำบลคลองหินปูน"] * 3,
    })
    rec = compute_recommendations({"duplicate_projects": duplicates}).iloc[0]
    assert rec["impact"] == 3  # three projects in the group
    assert "3 projects of group D-1 in คลองหินปูน" in rec["text_en"]
    assert "3 funder(s): พม., พอช., อบต." in rec["text_en"]
    assert "under สภาองค์กรชุมชนตำบลคลองหินปูน (C1)" in rec["text_en"]
    assert "(aim: housing (ที่อยู่อาศัย))" in rec["text_en"]  # label_en of analysis/data/aims.csv
    assert "(เป้าหมาย: ที่อยู่อาศัย)" in rec["text_th"]
    assert rec["evidence"] == "duplicate_projects.csv group_id=D-1 (project_id J1, J2, J3)"


def test_funding_streams_for_one_aim_in_one_place_are_aligned():
    # Two funders pay welfare funds (aims taxonomy: สวัสดิการ → welfare_fund) in tambon 270405;
    # a third stream there is about housing, and a second tambon has one funder only.
    streams = pd.DataFrame({
        "area": ["270405", "270405", "270405", "270406"], "area_name": ["คลองหินปูน"] * 3 + ["ทุ่งมหาเจริญ"],
        "funder_id": ["N-CODI", "T-SAO", "N-CODI", "N-CODI"], "funder": ["พอช.", "อบต.คลองหินปูน", "พอช.", "พอช."],
        "stream": ["สมทบกองทุนสวัสดิการ", "สมทบกองทุนสวัสดิการ", "บ้านมั่นคง", "สมทบกองทุนสวัสดิการ"],
        "n_projects": [0, 0, 1, 0], "n_organisations": [1, 1, 0, 1], "amount_thb": [65000.0, 100000.0, 300000.0, 50000.0],
    })
    recs = compute_recommendations({"funding_streams": streams})
    assert len(recs) == 1
    rec = recs.iloc[0]
    assert rec["evidence"] == "funding_streams.csv area=270405, funder_id N-CODI, T-SAO (aim welfare_fund)"
    assert "165,000 THB in all" in rec["text_en"]  # 65,000 + 100,000
    assert rec["impact"] == 2  # one organisation paid by each stream


def test_platform_convened_by_best_ranked_piled_up_agency():
    pile_ups = pd.DataFrame({"area": ["270405", "270406"], "area_name": ["คลองหินปูน", "ทุ่งมหาเจริญ"],
                             "category": ["สุขภาพ", "สุขภาพ"], "n_agencies": [3, 3],
                             "agencies": ["A|B|C", "A|B|D"], "agency_ids": ["A1|B1|C1", "A1|B1|D1"]})
    bridges = pd.DataFrame({"org_id": ["X", "B1", "A1"], "name": ["เครือข่าย X", "สสส.", "พอช."], "rank": [1, 2, 7],
                            "betweenness": [0.5, 0.3, 0.01], "degree": [9, 5, 1]})
    recs = compute_recommendations({"pile_ups": pile_ups, "bridges": bridges})
    platform = recs[recs["topic"] == "platform"].iloc[0]
    # one district (2704), four agencies A, B, C, D; X is not among them, B1 (rank 2) beats A1 (rank 7)
    assert platform["impact"] == 4
    assert "สสส. (B1, bridge rank 2" in platform["text_en"]
    assert platform["evidence"] == "pile_ups.csv area 270405, 270406; bridges.csv org_id=B1"
    assert platform["text_en"].startswith("In district 2704, 4 agencies")  # no coverage: the code


def test_platform_names_the_district_from_coverage():
    # two categories piled up in one tambon: the tambon is named once in the evidence
    pile_ups = pd.DataFrame({"area": ["270405", "270405"], "area_name": ["คลองหินปูน"] * 2,
                             "category": ["สุขภาพ", "ที่อยู่อาศัย"], "n_agencies": [3, 3],
                             "agencies": ["A|B|C", "A|B"], "agency_ids": ["A1|B1|C1", "A1|B1"]})
    coverage = pd.DataFrame({"area": ["2704", "270405"], "area_level": ["district", "tambon"],
                             "area_name": ["วังน้ำเย็น", "คลองหินปูน"]})
    platform = compute_recommendations({"pile_ups": pile_ups, "coverage": coverage}).iloc[0]
    assert platform["evidence"] == "pile_ups.csv area 270405"
    assert platform["text_en"].startswith("In district วังน้ำเย็น (2704), 3 agencies")
    assert platform["text_th"].startswith("ในอำเภอวังน้ำเย็น (2704) มีหน่วยงาน 3 แห่ง")


def test_conveners_are_the_top_bridges_with_betweenness():
    bridges = pd.DataFrame({"org_id": [f"O{i}" for i in range(5)], "name": list("abcde"), "rank": [1, 2, 3, 4, 5],
                            "betweenness": [0.4, 0.3, 0.2, 0.1, 0.0], "degree": [6, 5, 4, 3, 1],
                            "is_articulation_point": [True, False, False, False, False],
                            "reason": ["Links 3 groups. Without it the network splits apart.", *["Links 2 groups."] * 4],
                            "reason_th": ["เชื่อม 3 กลุ่ม หากขาดองค์กรนี้ เครือข่ายจะแยกออกจากกัน", *["เชื่อม 2 กลุ่ม"] * 4]})
    conveners = compute_recommendations({"bridges": bridges})
    assert list(conveners["evidence"]) == [f"bridges.csv org_id=O{i} (rank {i + 1})" for i in range(3)]
    # the reason says once that the network splits without the organisation
    assert conveners["text_en"].iloc[0] == ("a (bridge rank 1, betweenness 0.400, linked to 6 organisations) could "
                                            "convene a common platform. Links 3 groups. Without it the network splits apart.")
    assert conveners["text_th"].iloc[0].count("แยกออกจากกัน") == 1


def test_gaps_grouped_per_district_and_category():
    gaps = pd.DataFrame({"district": ["2704", "2704"], "district_name": ["วังน้ำเย็น"] * 2,
                         "tambon": ["270406", "270403"], "tambon_name": ["ทุ่งมหาเจริญ", "ตาหลังใน"],
                         "category": ["ที่ดิน"] * 2, "n_tambons_with": [2, 2], "agencies_in_district": ["พอช."] * 2})
    rec = compute_recommendations({"gaps": gaps}).iloc[0]
    assert rec["impact"] == 2
    assert "reaches 2 tambon(s) of district วังน้ำเย็น (2704) but not 2: ตาหลังใน (270403), ทุ่งมหาเจริญ (270406)" in rec["text_en"]


def test_topics_follow_the_documented_order_then_impact():
    gaps = pd.DataFrame({"district": ["2704"] * 5, "district_name": ["ว"] * 5, "tambon": list("12345"),
                         "tambon_name": list("abcde"), "category": ["x"] * 5, "n_tambons_with": [1] * 5,
                         "agencies_in_district": [""] * 5})
    recs = compute_recommendations({"hats": hats_table(), "gaps": gaps})
    # a gap touching 5 tambons still comes after a conflict of interest (topic order first)
    assert list(recs["topic"]) == ["giver_receiver", "many_hats", "gaps"]
    assert list(recs["rank"]) == [1, 2, 3]


def test_long_topics_are_capped_with_a_pointer_to_the_table():
    hats = pd.DataFrame({"person_id": [f"P-{i:02d}" for i in range(13)], "person_name": ["ก"] * 13,
                         "n_agencies": [3] * 13, "agencies": [""] * 13, "roles": [""] * 13,
                         "is_giver_receiver": [False] * 13, "giver_receiver_detail": [""] * 13})
    recs = compute_recommendations({"hats": hats}, max_per_topic=10)
    assert len(recs) == 11
    assert recs.iloc[-1]["evidence"] == "hats.csv (n_agencies ≥ 3) (3 more)"


def test_no_tables_give_an_empty_table_and_a_readable_file():
    recs = compute_recommendations({})
    assert list(recs.columns) == REC_COLUMNS and recs.empty
    assert "no point to act on" in render_recommendations_md(recs)


def test_markdown_is_bilingual_and_escapes_html():
    hats = hats_table()
    hats.loc[0, "person_name"] = "<img src=x onerror=alert(1)>"
    md = render_recommendations_md(compute_recommendations({"hats": hats}), "2026Q3")
    assert md.startswith("# ข้อเสนอการบูรณาการ / Integration advice — 2026Q3")
    assert "- **ไทย:**" in md and "- **English:**" in md and "- **หลักฐาน / Evidence:**" in md
    assert "<img" not in md and "&lt;img src=x" in md


def test_same_tables_same_advice():
    tables = {"hats": hats_table()}
    assert compute_recommendations(tables).equals(compute_recommendations(tables))


def test_strengthening_names_c_tambons_by_people_reached_and_mentors_nearby():
    from analysis.advise import advise_strengthening, append_recommendations

    grades = pd.DataFrame({
        "area": ["270101", "270102", "270201", "270202", "270301"],
        "area_name": ["ก", "ข", "ค", "ง", "จ"],
        "grade": ["C", "A", "C", "B", "C"],
        "score": [30.0, 80.0, 20.0, 60.0, 10.0],
        "n_people": [12, 40, 50, 9, 3],
        "reason": ["grade C; not found in the lists: active community welfare fund", "", "grade C", "", ""],
        "reason_th": [""] * 5,
    })
    recs = advise_strengthening(grades)
    # most people first: 270201 (50), 270101 (12), 270301 (3)
    assert recs["evidence"].str[:17].tolist() == ["grades.csv area=2"] * 3
    assert [e.split("area=")[1][:6] for e in recs["evidence"]] == ["270201", "270101", "270301"]
    assert recs["impact"].tolist() == [50, 12, 3]
    # 270101's mentor is the A tambon of its own district; 270201 and 270301 share province 27 with it
    assert "can mentor it: ข (270102), same district." in recs.loc[1, "text_en"]
    assert "can mentor it: ข (270102), same province." in recs.loc[0, "text_en"]
    assert "the lists show no active community welfare fund" in recs.loc[1, "text_en"]
    assert advise_strengthening(grades, max_points=2)["evidence"].iloc[-1] == "grades.csv grade=C (1 more)"
    combined = append_recommendations(compute_recommendations({}), recs)
    assert combined["rank"].tolist() == [1, 2, 3]


def test_mentors_sharing_a_bridge_come_before_nearer_ones():
    from analysis.advise import advise_strengthening

    # C tambon 270101 (bridges N1, N2). A tambons of its group: 270102 (same district, no bridge
    # in common, score 90), 270201 (same province, shares N1 and N2, score 75), 200101 (Chon
    # Buri, same group, shares N1, score 71), 100101 (Bangkok, another group, shares N1, score 95).
    # N1 is at work in 4 tambons, N2 in 2: 270201's shared bridge named is N2, though N1 ranks better.
    group = "group:กลุ่มจังหวัดภาคตะวันออก 2"
    grades = pd.DataFrame({
        "area": ["270101", "270102", "270201", "200101", "100101"], "area_name": ["ก", "ข", "ค", "ง", "จ"],
        "grade": ["C", "A", "A", "A", "A"], "score": [20.0, 90.0, 75.0, 71.0, 95.0], "n_people": [30, 5, 5, 5, 5],
        "reason": [""] * 5, "reason_th": [""] * 5,
        "province_group": [group, group, group, group, "group:กลุ่มจังหวัดภาคกลางปริมณฑลและกรุงเทพมหานคร"],
        "bridge_org_ids": ["N1|N2", "N3", "N1|N2|N3", "N1", "N1"]})
    bridges = pd.DataFrame({"org_id": ["N1", "N2", "N3"], "name": ["เครือข่ายหนึ่ง", "เครือข่ายสอง", "สาม"],
                            "rank": [4, 9, 1]})
    rec = advise_strengthening(grades, bridges).iloc[0]
    # sharing a bridge first (270201 nearer than 200101); 270102 shares none; 100101 is in another group
    assert rec["evidence"].endswith("mentors 270201 (A, same province, bridge N2), 200101 (A, same province group, "
                                    "bridge N1)")
    assert ("ค (270201), same province, sharing the bridging organisation เครือข่ายสอง (bridges.csv rank 9)"
            in rec["text_en"])
    assert "มีองค์กรเชื่อมประสานเครือข่ายสองร่วมกัน (อันดับ 9 ใน bridges.csv)" in rec["text_th"]
    # without shared bridges: the nearest, then the best score (270102, then 270201)
    alone = advise_strengthening(grades.assign(bridge_org_ids=""), bridges).iloc[0]
    assert alone["evidence"].endswith("mentors 270102 (A, same district), 270201 (A, same province)")
    # no A tambon in its group at all
    only = advise_strengthening(grades.iloc[[0, 4]], bridges).iloc[0]
    assert "No A tambon in its province group" in only["text_en"] and "mentors" not in only["evidence"]


def test_markdown_opens_with_one_page_of_the_first_point_of_each_kind():
    # 13 persons with many hats (10 listed + 1 counting 3 more) and 5 gaps in one district:
    # the page names point 1 (many hats, 12 more of that kind) and the gap point (none more),
    # with their evidence, before any detail.
    hats = pd.DataFrame({"person_id": [f"P-{i:02d}" for i in range(13)], "person_name": ["ก"] * 13,
                         "n_agencies": [9] + [3] * 12, "agencies": [""] * 13, "roles": [""] * 13,
                         "is_giver_receiver": [False] * 13, "giver_receiver_detail": [""] * 13})
    gaps = pd.DataFrame({"district": ["2704"] * 5, "district_name": ["ว"] * 5, "tambon": list("12345"),
                         "tambon_name": list("abcde"), "category": ["x"] * 5, "n_tambons_with": [1] * 5,
                         "agencies_in_district": [""] * 5})
    recs = compute_recommendations({"hats": hats, "gaps": gaps})
    assert recs["n_of_kind"].tolist() == [13] * 11 + [1]
    md = render_recommendations_md(recs)
    page, details = md.split("## รายละเอียดตามหัวข้อ / Details by kind")
    assert page.count("**สวมหมวกหลายใบ / Many hats**") == 1 and "12 more of this kind" in page
    assert "hats.csv person_id=P-00 (n_agencies=9 ≥ 3)" in page  # the most consequential: 9 agencies
    assert "**ช่องว่างที่ควรเติม / Gaps to fill** (ข้อ / point 12; ข้อเดียวในหัวข้อนี้ / the only one of its kind)" in page
    assert "- **ไทย:**" not in page and details.count("#### ") == 12


def test_summary_keeps_what_was_found_and_what_to_do():
    from analysis.advise import shorten_text

    text = "X serves 7 agencies (" + ", ".join(f"agency {i}" for i in range(60)) + "). Share the load with others."
    short = shorten_text(text, 120)
    assert short.startswith("X serves 7 agencies") and short.endswith("Share the load with others.")
    assert " … " in short and len(short) <= 125
