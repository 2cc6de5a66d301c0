"""Tests for analysis/places.py.

Expected codes were read by hand from the reference list shipped for checks,
/work/shared/data/geo/thailand_subdistricts.json (an independent source, MIT licence), and
the province groups from seed 001 (CODI's 18 groups).
"""

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from analysis.places import Place, load_gazetteer

SHARED = Path(__file__).resolve().parents[2] / "shared"
REFERENCE = SHARED / "data" / "geo" / "thailand_subdistricts.json"
GROUPS_CSV = Path(__file__).resolve().parents[1] / "analysis" / "data" / "province_groups.csv"


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="module")
def reference():
    if not REFERENCE.exists():
        pytest.skip(f"reference geography {REFERENCE} is absent (it is only shipped for checks)")
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def _reference_codes(rows, level, width):
    return sorted({str(r[f"{level}Code"]).zfill(width) for r in rows})


def test_counts_and_codes_agree_with_the_reference_list(gazetteer, reference):
    # DOMAIN.md glossary: 77 provinces, 928 districts, 7,436 tambons.
    assert len(gazetteer.codes("province")) == 77
    assert len(gazetteer.codes("district")) == 928
    assert len(gazetteer.codes("tambon")) == 7436
    assert gazetteer.codes("province") == _reference_codes(reference, "province", 2)
    assert gazetteer.codes("district") == _reference_codes(reference, "district", 4)
    assert gazetteer.codes("tambon") == _reference_codes(reference, "subdistrict", 6)


def test_tambon_names_agree_with_the_reference_list(gazetteer, reference):
    # Two known spelling differences between the sources: the reference writes ธงชัยหนือ
    # (a typo) and ปอภาร without the other form in brackets.
    differ = {
        str(r["subdistrictCode"])
        for r in reference
        if gazetteer.name(str(r["subdistrictCode"])) != r["subdistrictNameTh"]
    }
    assert differ == {"301417", "450109"}


def _read_groups():
    text = GROUPS_CSV.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def test_province_groups_cover_every_province_once(gazetteer):
    rows = _read_groups()
    assert Counter(r["province_code"] for r in rows) == Counter(gazetteer.codes("province"))
    assert len({r["group_id"] for r in rows}) == 18  # seed 001: "18 กลุ่มจังหวัด"
    assert len({r["region_th"] for r in rows}) == 5  # seed 001: "ทั้ง 5 ภาค"
    for r in rows:
        assert r["province_th"] == gazetteer.name(r["province_code"])


def test_province_group_sizes_follow_seed_001():
    # Seed 001 lists, group by group: 4 4 5 4 / 6 3 4 / 3 5 / 5 / 5 6 3 / 5 3 4 4 4.
    sizes = Counter(int(r["group_id"]) for r in _read_groups())
    expected = [4, 4, 5, 4, 6, 3, 4, 3, 5, 5, 5, 6, 3, 5, 3, 4, 4, 4]
    assert [sizes[i] for i in range(1, 19)] == expected


def test_group_and_region_of_lower_levels_are_those_of_the_province(gazetteer):
    # Bangkok is in the metropolitan group (FIELD_NOTES); Wang Nam Yen (seed 003) in East 2.
    assert gazetteer.province_group("100401") == gazetteer.province_group("10")
    assert gazetteer.province_group_en("1004") == "Central Metropolitan and Bangkok"
    assert gazetteer.province_group_en("270403") == "East 2"
    assert gazetteer.region("270403") == "ภาคตะวันออก"
    assert gazetteer.province_group_id("80") == 11  # Nakhon Si Thammarat, seed 002: Gulf side


@pytest.mark.parametrize(
    "province, district, tambon",
    [
        ("สระแก้ว", "วังน้ำเย็น", "ตาหลังใน"),
        ("จ.สระแก้ว", "อ.วังน้ำเย็น", "ต.ตาหลังใน"),
        ("จังหวัดสระแก้ว", "อำเภอวังน้ำเย็น", "ตำบลตาหลังใน"),
        ("จ. สระแก้ว", "อ. วังน้ำเย็น", "ต. ตาหลังใน"),
        (" สระ\u200bแก้ว ", "วังน\u0e49\u0e4d\u0e32เย็น", "ตาหลัง\u00a0ใน"),
        ("Sa Kaeo", "Wang Nam Yen", "Ta Lang Nai"),
        ("SA KAEO", "wang nam yen", "ta-lang nai"),
        ("Changwat Sa Kaeo", "Amphoe Wang Nam Yen", "Tambon Ta Lang Nai"),
        ("Sa Kaeo Province", "Wang Nam Yen District", "Ta Lang Nai Subdistrict"),
        ("27", "2704", "270403"),
        ("๒๗", "๒๗๐๔", "๒๗๐๔๐๓"),
        (None, None, "270403"),
    ],
)
def test_every_name_form_resolves_to_the_same_tambon(gazetteer, province, district, tambon):
    # Reference list: ตาหลังใน / Ta Lang Nai = 270403 in วังน้ำเย็น 2704, สระแก้ว 27.
    assert gazetteer.resolve(province, district, tambon) == Place("27", "2704", "270403", True, "")


def test_bangkok_khet_and_khwaeng(gazetteer):
    # Reference list: บางรัก = 1004, แขวงสีลม = 100402.
    assert gazetteer.resolve("กทม.", "เขตบางรัก", "แขวงสีลม").tambon_code == "100402"
    assert gazetteer.resolve("กรุงเทพฯ", "บางรัก").district_code == "1004"
    assert gazetteer.resolve("Bangkok", "Khet Bang Rak").district_code == "1004"


def test_mueang_means_the_capital_district(gazetteer):
    # Reference list: ช้างเผือก 500107 in เมืองเชียงใหม่ 5001.
    assert gazetteer.resolve("เชียงใหม่", "อ.เมือง", "ต.ช้างเผือก").tambon_code == "500107"
    assert gazetteer.resolve("Chiang Mai", "Mueang").district_code == "5001"
    assert gazetteer.resolve("Chiang Mai", "Muang Chiang Mai").district_code == "5001"


def test_ambiguous_tambon_is_settled_by_province_or_district(gazetteer):
    # Reference list: 28 tambons named หนองบัว; in อุดรธานี only 410104.
    alone = gazetteer.resolve(tambon="หนองบัว")
    assert (alone.area_code, alone.is_known) == (None, False)
    assert "ambiguous (28 areas" in alone.note
    assert gazetteer.resolve("อุดรธานี", None, "หนองบัว") == Place("41", "4101", "410104", True, "")


def test_ambiguous_tambon_within_a_province_keeps_the_province(gazetteer):
    # Reference list: นครราชสีมา (30) has three tambons named บ้านใหม่ (300113, 300208,
    # 302209) in three districts: the province is certain, the district and tambon are not.
    place = gazetteer.resolve("นครราชสีมา", None, "บ้านใหม่")
    assert (place.province_code, place.district_code, place.tambon_code) == ("30", None, None)
    assert not place.is_known
    assert place.note.startswith("tambon 'บ้านใหม่' is ambiguous (3 areas: 300113 บ้านใหม่")


def test_ambiguous_district_is_settled_by_province(gazetteer):
    # Reference list: five districts named เฉลิมพระเกียรติ; in นครราชสีมา it is 3032.
    assert gazetteer.resolve(district="เฉลิมพระเกียรติ").district_code is None
    assert gazetteer.resolve("นครราชสีมา", "เฉลิมพระเกียรติ").district_code == "3032"


def test_unknown_name_is_flagged_and_higher_levels_kept(gazetteer):
    place = gazetteer.resolve("สระแก้ว", "วังน้ำเย็น", "บ้านไม่มีจริง")
    assert place == Place("27", "2704", None, False, "tambon 'บ้านไม่มีจริง' not found")
    assert place.area_code == "2704" and place.level == "district"


def test_district_outside_the_province_is_flagged(gazetteer):
    # บางรัก is a Bangkok district (1004), not in เชียงใหม่ (50).
    place = gazetteer.resolve("เชียงใหม่", "บางรัก")
    assert (place.area_code, place.is_known) == ("50", False)
    assert place.note == "district 'บางรัก' is not in province 'เชียงใหม่'"


def test_wrong_level_code_is_flagged(gazetteer):
    # "10" in a tambon column is a village number, not a tambon code.
    place = gazetteer.resolve(tambon="10")
    assert place.area_code is None and "not an official tambon code" in place.note
    note = gazetteer.resolve(province="99").note
    assert note == "province code '99' is not an official province code"


def test_nothing_given(gazetteer):
    assert gazetteer.resolve() == Place(None, None, None, False, "")
    assert gazetteer.resolve(" ", float("nan"), None).area_code is None


def test_tambon_starting_with_a_prefix_like_word(gazetteer):
    # Reference list: จ.ป.ร. 850406 (Ranong) is a tambon whose name looks like "จ." + ...
    assert gazetteer.resolve(tambon="จ.ป.ร.").tambon_code == "850406"
    assert gazetteer.resolve(tambon="ต.จ.ป.ร.").tambon_code == "850406"


def test_names_levels_parents(gazetteer):
    assert gazetteer.name("27") == "สระแก้ว" and gazetteer.name("27", lang="en") == "Sa Kaeo"
    assert gazetteer.name("270403") == "ตาหลังใน"
    levels = [gazetteer.level(c) for c in ("27", "2704", "270403")]
    assert levels == ["province", "district", "tambon"]
    assert [gazetteer.parent(c) for c in ("27", "2704", "270403")] == [None, "27", "2704"]
    with pytest.raises(KeyError):
        gazetteer.name("999999")


def test_areas_inside(gazetteer, reference):
    # Reference list: สระแก้ว has 9 districts; วังน้ำเย็น has 4 tambons.
    assert gazetteer.districts_in("27") == [f"27{i:02d}" for i in range(1, 10)]
    assert gazetteer.tambons_in("2704") == ["270401", "270403", "270405", "270406"]
    n_chiang_mai = sum(1 for r in reference if r["provinceCode"] == 50)
    assert len(gazetteer.tambons_in("50")) == n_chiang_mai
    assert gazetteer.tambons_in("270403") == ["270403"] and gazetteer.districts_in("270403") == []


def test_contains(gazetteer):
    assert gazetteer.contains("27", "270403") and gazetteer.contains("2704", "270403")
    assert gazetteer.contains("270403", "270403")
    assert not gazetteer.contains("2705", "270403")
    assert not gazetteer.contains("2", "270403")  # not an official code


def test_gazetteer_is_built_once():
    assert load_gazetteer() is load_gazetteer()
