"""Public output names only people with a public role and drops record-level tables."""

import pandas as pd

from analysis.privacy import HIDDEN, mask_tables, public_name


def test_mask_tables_hides_private_people_records_and_quarantined_values():
    tables = {
        "persons": pd.DataFrame({"record_id": ["r1"], "person_id": ["P-1"], "person_name": ["สมชาย"]}),
        "hats": pd.DataFrame({"person_id": ["P-1", "P-2"], "person_name": ["สมชาย", "กำนันสมศรี"]}),
        "quarantine": pd.DataFrame({"table": ["people"], "value": ["081-234-5678"]}),
    }
    masked = mask_tables(tables, public_person_ids={"P-2"})
    assert "persons" not in masked
    assert masked["hats"]["person_name"].tolist() == [public_name("P-1"), "กำนันสมศรี"]
    assert masked["quarantine"]["value"].tolist() == [HIDDEN]
    assert tables["hats"]["person_name"].tolist() == ["สมชาย", "กำนันสมศรี"]  # inputs untouched
    assert tables["quarantine"]["value"].tolist() == ["081-234-5678"]


def test_mask_tables_hides_a_contact_in_every_row_that_repeats_it():
    # Each distinct text is searched once; every row holding it must still be hidden, and
    # the cells around it (none, numbers, digits too few for a phone) kept as they are.
    note = "ประธาน โทร 081-234-5678"
    table = pd.DataFrame({"note": [note, None, "ปี 2567-2568", note, 12.5, note]})
    masked = mask_tables({"t": table}, set())["t"]["note"].tolist()
    hidden = f"ประธาน โทร {HIDDEN}"
    assert masked[0] == masked[3] == masked[5] == hidden
    assert masked[1] is None and masked[2] == "ปี 2567-2568" and masked[4] == 12.5
    assert table["note"].tolist()[0] == note


def test_office_titles_of_real_rosters_are_public_roles():
    # Titles as real rosters write them (docs/privacy.md lists them); the last three hold
    # no office: a committee member, a member and a village health volunteer stay hidden.
    from analysis.network import find_public_people

    roles = ["ผอ.รพ.สต.บ้านกลาย", "ผู้อำนวยการโรงเรียนบ้านนา", "ผอ. รร.วัดใหม่", "ผู้ใหญ่บ้าน หมู่ 3", "ผญบ.ม.5",
             "กำนันตำบลกลาย", "นายก อบต.กลาย", "ส.อบต. ม.2", "ปลัดอำเภอ", "หัวหน้าสถานีอนามัย", "สาธารณสุขอำเภอท่าศาลา",
             "พัฒนาการอำเภอ", "รองประธาน", "Headmaster",
             "กรรมการ", "สมาชิก", "อสม."]
    people = pd.DataFrame({"record_id": [f"r{i}" for i in range(len(roles))], "org_id": None, "role": roles})
    organisations = pd.DataFrame({"org_id": pd.Series([], dtype=object), "kind": pd.Series([], dtype=object),
                                  "parent_id": pd.Series([], dtype=object)})
    is_public = find_public_people(people, organisations).tolist()
    assert is_public == [True] * 14 + [False] * 3
