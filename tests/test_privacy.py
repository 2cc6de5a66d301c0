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
    assert tables["hats"]["person_name"].tolist() == ["สมชาย", "กำนันสมศรี"]  # input untouched
