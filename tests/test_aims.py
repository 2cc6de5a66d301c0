"""Tests for analysis.aims: the aims taxonomy and its keyword classifier."""

import pandas as pd
import pytest

from analysis.aims import AIM_COLUMNS, build_aim_matrix, classify_aims, load_aims
from analysis.errors import DatasetError


def test_builtin_taxonomy_has_the_fields_aims():
    aims = load_aims()
    assert list(aims.columns) == list(AIM_COLUMNS)
    assert {"housing", "welfare_fund", "savings", "elderly", "health", "organic_farming", "land",
            "livelihoods", "disaster", "community_plan", "community_research"} <= set(aims["aim_id"])
    assert aims["aim_id"].is_unique


@pytest.mark.parametrize("text, expected", [
    ("บ้านมั่นคงชนบท", {"housing"}),
    ("ซ่อมแซมบ้านผู้มีรายได้น้อย", {"housing"}),  # "รายได้น้อย" names the target group, not livelihoods
    ("ส่งเสริมอาชีพและรายได้", {"livelihoods"}),
    ("กลุ่มสัจจะสะสมทรัพย์", {"savings"}),
    ("สัจจะวันละบาท", {"welfare_fund"}),  # the welfare-fund scheme, excluded from savings
    ("ผักปลอดสารพิษ", {"organic_farming"}),
    ("โฉนดชุมชน", {"land"}),
    ("รับมือน้ำท่วม", {"disaster"}),
    ("จัดทำแผนแม่บทชุมชน", {"community_plan"}),
    ("งานวิจัยเพื่อท้องถิ่น", {"community_research"}),
    ("Flood relief for elderly people", {"disaster", "elderly"}),
    ("island tour", set()),  # "land" is a whole English word only
    ("ประชุมประจำเดือน", set()),
])
def test_classify_aims(text, expected):
    assert classify_aims(text) == expected


def test_classify_normalises_thai_typing_variants():
    # เเ (two sara e) typed for แ, as in office documents: normalised before matching.
    assert classify_aims("เเผนชุมชน") == {"community_plan"}


def test_user_file_extends_and_overrides(tmp_path):
    (tmp_path / "aims.csv").write_text(
        "aim_id,label_th,label_en,keywords_th\n"
        "fisheries,ประมง,fisheries,ประมงพื้นบ้าน|ธนาคารปู\n"
        "housing,ที่อยู่อาศัย,housing,บ้านมั่นคง\n",
        encoding="utf-8",
    )
    aims = load_aims(tmp_path)
    assert classify_aims("ธนาคารปูม้า", aims) == {"fisheries"}
    # The user's housing row replaces the built-in one: ซ่อมแซมบ้าน is no longer a keyword.
    assert classify_aims("ซ่อมแซมบ้าน", aims) == set()
    assert len(aims) == len(load_aims()) + 1


def test_missing_user_file_means_builtin_only(tmp_path):
    pd.testing.assert_frame_equal(load_aims(tmp_path), load_aims())


def test_bad_user_file_names_file_row_and_column(tmp_path):
    path = tmp_path / "aims.csv"
    path.write_text("aim_id,label_th,label_en,keywords_th\n,ประมง,fisheries,ประมง\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"aims\.csv, row 2, column aim_id"):
        load_aims(path)
    path.write_text("aim_id,label_en\nx,y\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="has no column label_th, keywords_th"):
        load_aims(path)


def test_matrix_keeps_the_index():
    matrix = build_aim_matrix(pd.Series(["บ้านมั่นคง", None], index=["a", "b"]))
    assert list(matrix.index) == ["a", "b"]
    assert matrix.loc["a", "housing"] and not matrix.loc["b"].any()


def test_a_workbook_dataset_finds_aims_csv_beside_it(tmp_path):
    (tmp_path / "aims.csv").write_text("aim_id,label_th,label_en,keywords_th\nfisheries,ประมง,fisheries,ประมง\n",
                                       encoding="utf-8")
    assert "fisheries" in set(load_aims(tmp_path / "dataset.xlsx")["aim_id"])
