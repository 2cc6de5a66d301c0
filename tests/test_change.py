"""What changed between two runs (analysis/change.py, CONTRACT §5), on two tiny run folders
written here. Every change kind appears once; expected rows are read off the fixtures."""

import pandas as pd
import pytest

from analysis.change import CHANGE_COLUMNS, compare_runs, render_changes_md, write_comparison
from analysis.errors import DatasetError
from analysis.render.tables import write_csv


def bridges(ranks: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"org_id": list(ranks), "name": [f"องค์กร {o}" for o in ranks], "rank": list(ranks.values())})


OLD = {
    # P-A keeps her id and gains a hat (2 → 3); P-B is re-resolved as P-B2 in the new run but
    # shares record key k-b (same person, 2 → 1 hats lost); P-C leaves.
    "persons": pd.DataFrame({"record_id": ["r1", "r2", "r3"], "person_id": ["P-A", "P-B", "P-C"],
                             "person_name": ["สมศรี", "สมชาย", "บุญมี"], "record_key": ["k-a", "k-b", "k-c"]}),
    "hats": pd.DataFrame({"person_id": ["P-A", "P-B", "P-C"], "person_name": ["สมศรี", "สมชาย", "บุญมี"],
                          "n_agencies": [2, 2, 1], "agencies": ["พอช.|อบต.", "พอช.|สสส.", "อบต."]}),
    # O1 rank 10 → 5 (5 places: rank_up); O2 rank 6 → 10 (4 places: nothing);
    # O3 rank 3 → 9 (6 places: rank_down); O4 rank 55 → 50 (5 places into the top 50:
    # rank_up); O5 rank 80 → 55 (never in the top 50: nothing);
    # O-old leaves, O-new appears.
    "bridges": bridges({"O1": 10, "O2": 6, "O3": 3, "O4": 55, "O5": 80, "O-old": 1}),
    # D-1 (J1, J2) continues as D-1b (J2, J3): same group; D-2 (J4, J5) is resolved.
    "duplicate_projects": pd.DataFrame({"group_id": ["D-1", "D-1", "D-2", "D-2"], "project_id": ["J1", "J2", "J4", "J5"],
                                        "title": ["บ้าน", "บ้าน", "ออม", "ออม"], "tambon": ["ก"] * 4}),
    "gaps": pd.DataFrame({"district": ["2704", "2704"], "tambon": ["270403", "270406"],
                          "tambon_name": ["ตาหลังใน", "ทุ่งมหาเจริญ"], "category": ["ที่ดิน", "ที่ดิน"]}),
    "pile_ups": pd.DataFrame({"area": ["270401"], "area_name": ["วังน้ำเย็น"], "category": ["สุขภาพ"],
                              "n_agencies": [3], "agencies": ["a|b|c"]}),
}
NEW = {
    "persons": pd.DataFrame({"record_id": ["r1", "r2", "r9"], "person_id": ["P-A", "P-B2", "P-D"],
                             "person_name": ["สมศรี", "สมชาย", "มานะ"], "record_key": ["k-a", "k-b", "k-d"]}),
    "hats": pd.DataFrame({"person_id": ["P-A", "P-B2", "P-D"], "person_name": ["สมศรี", "สมชาย", "มานะ"],
                          "n_agencies": [3, 1, 1], "agencies": ["พอช.|อบต.|สสส.", "พอช.", "อบต."]}),
    "bridges": bridges({"O1": 5, "O2": 10, "O3": 9, "O4": 50, "O5": 55, "O-new": 1}),
    "duplicate_projects": pd.DataFrame({"group_id": ["D-1b", "D-1b", "D-3", "D-3"], "project_id": ["J2", "J3", "J6", "J7"],
                                        "title": ["บ้าน", "บ้าน", "ภัย", "ภัย"], "tambon": ["ก"] * 4}),
    # 270403 closed, 270405 opened; the pile-up in 270401 grows to 4 agencies, 270405 is new.
    "gaps": pd.DataFrame({"district": ["2704", "2704"], "tambon": ["270406", "270405"],
                          "tambon_name": ["ทุ่งมหาเจริญ", "คลองหินปูน"], "category": ["ที่ดิน", "ที่ดิน"]}),
    "pile_ups": pd.DataFrame({"area": ["270401", "270405"], "area_name": ["วังน้ำเย็น", "คลองหินปูน"],
                              "category": ["สุขภาพ", "สุขภาพ"], "n_agencies": [4, 3], "agencies": ["a|b|c|d", "a|b|c"]}),
}


def write_run(folder, tables):
    for name, table in tables.items():
        write_csv(table, folder / f"{name}.csv")
    return folder


@pytest.fixture
def runs(tmp_path):
    return write_run(tmp_path / "2026Q2", OLD), write_run(tmp_path / "2026Q3", NEW)


def as_set(changes):
    return {(r.kind, r.id, r.change, r.before, r.after) for r in changes.itertuples(index=False)}


def test_every_change_kind_with_its_numbers(runs):
    changes = compare_runs(*runs)
    assert list(changes.columns) == CHANGE_COLUMNS
    assert as_set(changes) == {
        ("duplicate_group", "D-3", "new", "", "2"),
        ("duplicate_group", "D-2", "resolved", "2", ""),
        ("coverage", "270401:สุขภาพ", "pile_up", "3", "4"),
        ("coverage", "270405:สุขภาพ", "pile_up", "", "3"),
        ("coverage", "270405:ที่ดิน", "gap_opened", "", "gap"),
        ("coverage", "270403:ที่ดิน", "gap_closed", "gap", ""),
        ("person", "P-A", "hats_gained", "2", "3"),
        ("person", "P-B2", "hats_lost", "2", "1"),
        ("person", "P-C", "left", "1", ""),
        ("person", "P-D", "appeared", "", "1"),
        ("bridge", "O1", "rank_up", "10", "5"),
        ("bridge", "O4", "rank_up", "55", "50"),
        ("bridge", "O3", "rank_down", "3", "9"),
        ("organisation", "O-old", "left", "1", ""),
        ("organisation", "O-new", "appeared", "", "1"),
    }


def test_rank_moves_of_four_places_or_never_in_the_top_50_are_not_reported(runs):
    ids = set(compare_runs(*runs)["id"])
    assert "O2" not in ids  # 6 → 10: 4 places
    assert "O5" not in ids  # 80 → 55: 25 places, but never in the top 50


def test_person_matched_by_record_key_when_person_id_changed(runs):
    changes = compare_runs(*runs)
    row = changes[changes["id"] == "P-B2"].iloc[0]
    assert row["change"] == "hats_lost" and "person_id was P-B" in row["detail"] and "lost: สสส." in row["detail"]
    assert "P-B" not in set(changes.loc[changes["change"] == "left", "id"])


def test_public_runs_without_persons_csv_match_on_person_id(runs):
    old, new = runs
    (old / "persons.csv").unlink()
    (new / "persons.csv").unlink()
    changes = compare_runs(old, new)
    # without record keys P-B and P-B2 look like two people
    assert ("person", "P-B", "left", "2", "") in as_set(changes)
    assert ("person", "P-B2", "appeared", "", "1") in as_set(changes)
    assert ("person", "P-A", "hats_gained", "2", "3") in as_set(changes)


def test_order_is_most_important_first(runs):
    changes = compare_runs(*runs)
    assert list(changes["change"]) == ["new", "pile_up", "pile_up", "gap_opened", "hats_gained", "resolved",
                                       "gap_closed", "hats_lost", "rank_up", "rank_up", "rank_down", "appeared", "appeared",
                                       "left", "left"]
    assert list(changes.loc[changes["change"] == "pile_up", "id"]) == ["270405:สุขภาพ", "270401:สุขภาพ"]  # +3 before +1


def test_missing_file_or_folder_is_one_sentence(runs, tmp_path):
    old, new = runs
    (new / "bridges.csv").unlink()
    with pytest.raises(DatasetError, match=r"2026Q3 has no bridges.csv"):
        compare_runs(old, new)
    with pytest.raises(DatasetError, match="is not a folder"):
        compare_runs(tmp_path / "nowhere", old)


def test_written_files_are_deterministic_and_bilingual(runs, tmp_path):
    first = write_comparison(*runs, tmp_path / "a")
    second = write_comparison(*runs, tmp_path / "b")
    assert [p.name for p in first] == ["changes.csv", "changes.md"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    md = first[1].read_text(encoding="utf-8")
    assert md.startswith("# สิ่งที่เปลี่ยนไป / What changed: 2026Q2 → 2026Q3")
    assert md.index("กลุ่มโครงการซ้ำซ้อนใหม่ / New duplicate groups") < md.index("Bridges moving up")


def test_markdown_escapes_hostile_names(runs):
    changes = compare_runs(*runs)
    changes.loc[0, "name"] = "<script>alert(1)</script>"
    assert "<script>" not in render_changes_md(changes, "a", "b")


def test_grade_changes(tmp_path):
    # 270401 C → A (two grades up), 270402 A → B (down), 270403 stays B, 270404 graded in the new run only.
    old = {**OLD, "grades": pd.DataFrame({"area": ["270401", "270402", "270403"], "area_name": ["ก", "ข", "ค"],
                                          "grade": ["C", "A", "B"], "score": [20.0, 75.0, 55.0]})}
    new = {**NEW, "grades": pd.DataFrame({"area": ["270401", "270402", "270403", "270404"],
                                          "area_name": ["ก", "ข", "ค", "ง"], "grade": ["A", "B", "B", "C"],
                                          "score": [72.0, 60.0, 52.0, 10.0]})}
    changes = compare_runs(write_run(tmp_path / "old", old), write_run(tmp_path / "new", new))
    grades = changes[changes["kind"] == "area"]
    assert as_set(grades) == {("area", "270401", "grade_up", "C", "A"), ("area", "270402", "grade_down", "A", "B")}
    assert grades.set_index("id").at["270401", "detail"] == "score 20.0 → 72.0"
    # a grade going down is to act on: listed before the improvements
    order = changes["change"].tolist()
    assert order.index("grade_down") < order.index("resolved") < order.index("grade_up")


def test_runs_without_grades_give_no_grade_change(runs):
    assert not compare_runs(*runs)["change"].isin(["grade_up", "grade_down"]).any()
