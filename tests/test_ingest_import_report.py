"""analysis/ingest/import_report.py: lines located in their sheets; the report's columns."""

import pandas as pd

from analysis.ingest.import_report import locate_lines, render_import_report
from analysis.ingest.office import OfficeImport, SheetReport


def test_quarantine_lines_point_at_file_sheet_and_row():
    office = OfficeImport([], {"people": {2: ("a.xlsx:หมู่ 1", 5)}}, pd.DataFrame())
    lines = pd.DataFrame([{"table": "people", "row": 2, "column": "phone"}])
    assert locate_lines(lines, office).to_dict("records") == [
        {"table": "people", "row": 5, "column": "phone", "file": "a.xlsx:หมู่ 1"}]


def test_the_report_says_what_each_column_became_and_why_one_was_not_used():
    sheet = SheetReport("a.xlsx:หมู่ 1", "roster", header_row=3, title=["ทะเบียน"],
                        columns=[("ชื่อ-สกุล", "name"), ("หมายเหตุ", "note"), ("สี", None)],
                        counts={"read": 2, "used": 2, "quarantined": 0}, footer=[(9, "signature line")])
    text = render_import_report(OfficeImport([sheet], {}, pd.DataFrame(columns=["org_id", "name", "kind", "parent_id"])), None)
    assert "- Header: row 3" in text and "- Lines: 2 read = 2 used + 0 quarantined" in text
    assert "| หมายเหตุ | not used: free-text notes |" in text
    assert "| สี | not used: no known meaning (name it in columns.csv) |" in text
    assert "row 9 (signature line)" in text
