"""Tiny hand-made datasets for the network, hats, coverage and projection tests.

:func:`make_dataset` builds a checked :class:`analysis.dataset.Dataset` the way the checker
leaves it (contract columns, ``row``, place codes), so the tests need no reader.
:func:`build_tha_sala` is the shared scenario: one district of Nakhon Si Thammarat where CODI,
ThaiHealth and a tambon administration fund and run welfare and housing work. Its story, with
the numbers the tests expect, is in the docstring; every expected number is counted from it.
"""

from pathlib import Path

import pandas as pd

from analysis.dataset import Dataset, empty_quarantine
from analysis.ingest.schema import TABLES

PLACE_TABLES = ("organisations", "people", "projects")
CODE_COLUMNS = ("province_code", "district_code", "tambon_code", "area_code", "is_place_known")


def _place_codes(code: str | None) -> dict:
    """The code columns the checker derives from the finest known official code."""
    if not code:
        return {"province_code": None, "district_code": None, "tambon_code": None, "area_code": None,
                "is_place_known": False}
    return {
        "province_code": code[:2],
        "district_code": code[:4] if len(code) >= 4 else None,
        "tambon_code": code if len(code) == 6 else None,
        "area_code": code,
        "is_place_known": True,
    }


def make_table(name: str, rows: list[dict]) -> pd.DataFrame:
    """A normalised table: contract columns (missing → None), ``row`` from 2, place codes.

    A row may give ``code`` (an official code) instead of province/district/tambon names.
    """
    table = TABLES[name]
    columns = list(table.columns) + ["row"] + (list(CODE_COLUMNS) if name in PLACE_TABLES else [])
    records = []
    for number, row in enumerate(rows, start=2):
        record = {column: row.get(column) for column in table.columns}
        record["row"] = number
        if name in PLACE_TABLES:
            record.update(_place_codes(row.get("code")))
        records.append(record)
    df = pd.DataFrame(records, columns=columns)
    for column in table.dates:
        df[column] = pd.to_datetime(df[column])
    for column in table.numbers:
        df[column] = df[column].astype(float)
    return df


def make_dataset(**tables: list[dict]) -> Dataset:
    """A Dataset from lists of row dicts; tables not given are empty."""
    frames = {name: make_table(name, tables.get(name, [])) for name in TABLES}
    counts = {name: {"read": len(df), "used": len(df), "quarantined": 0} for name, df in frames.items()}
    files = {name: f"{name}.csv" for name in TABLES}
    return Dataset(tables=frames, quarantine=empty_quarantine(), counts=counts, files=files, source=Path("tiny"))


def make_persons(people: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """record_id -> (person_id, person_name) as the resolver would give it."""
    return pd.DataFrame(
        [(record_id, person_id, name) for record_id, (person_id, name) in people.items()],
        columns=["record_id", "person_id", "person_name"],
    )


class FakeGazetteer:
    """The part of :class:`analysis.places.Gazetteer` the network code uses, for one district.

    Province 80 (Nakhon Si Thammarat), district 8008 (Tha Sala) and three of its tambons
    (the real district has 13: three keep the gaps countable by hand). Like the real one it
    raises KeyError for a code it does not know.
    """

    NAMES = {
        "80": ("นครศรีธรรมราช", "Nakhon Si Thammarat"),
        "8008": ("ท่าศาลา", "Tha Sala"),
        "800801": ("ท่าศาลา", "Tha Sala"),
        "800802": ("กลาย", "Klai"),
        "800803": ("ท่าขึ้น", "Tha Khuen"),
    }

    def name(self, code, lang="th"):
        return self.NAMES[code][0 if lang == "th" else 1]

    def _province(self, code):
        if code[:2] != "80":
            raise KeyError(code)

    def province_group(self, code, lang="th"):
        self._province(code)
        return "กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย" if lang == "th" else "South Gulf of Thailand"

    def province_group_en(self, code):
        return self.province_group(code, lang="en")

    def province_group_id(self, code):
        self._province(code)
        return 11

    def group_provinces(self):
        return {"กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย": ["80"]}

    def region(self, code, lang="th"):
        self._province(code)
        return "ภาคใต้" if lang == "th" else "South"

    def tambons_in(self, code):
        return sorted(c for c in self.NAMES if len(c) == 6 and c.startswith(code))


def build_tha_sala() -> tuple[Dataset, pd.DataFrame]:
    """The shared scenario.

    Organisations (agency in brackets): CODI [CODI]; CODI-S, CODI's southern office, parent
    CODI [CODI]; SAO, อบต.ท่าศาลา [SAO]; THF, ThaiHealth, a fund [THF]; WF, the tambon welfare
    fund, parent SAO [SAO]; NGO, a foundation [none]; NGOB, its housing network, parent NGO
    [none]; CC, the Klai community council, no parent [none].

    Persons: P-01 (records r1 on CODI-S as coordinator, r2 on WF as committee member);
    P-02 (r3, ThaiHealth staff); P-03 (r4 chair of CC, r5 with no roster, lives in Klai);
    P-04 (r6 member of NGOB, r8 treasurer of WF); P-05 (r7, SAO staff).

    Projects: J1 welfare, led by WF in tambon 800801, 100,000 THB; J2 welfare, led by CC in
    800802, 50,000; J3 housing, led by NGOB in 800801, 200,000; J4 housing, led by SAO in
    800801, 40,000; J5 community plan, led by CODI-S, district 8008 only, no budget.

    Funding: THF → J1 30,000 (stream สมทบกองทุนสวัสดิการ); CODI → J3 150,000 (บ้านมั่นคง);
    CODI → J2 20,000 (สมทบกองทุนสวัสดิการ); THF → CC 10,000 (no stream); CODI → J1 25,000
    (สมทบกองทุนสวัสดิการ).

    Participation: P-02 (r3) in J1 as adviser; P-01 (r1) in J3 as coordinator; P-03 (r5) in J2;
    CC (the organisation) in J3; P-04 (r6) in J4.
    """
    dataset = make_dataset(
        organisations=[
            {"org_id": "CODI", "name": "พอช.", "kind": "agency"},
            {"org_id": "CODI-S", "name": "พอช. ภาคใต้", "kind": "agency", "parent_id": "CODI", "code": "80"},
            {"org_id": "SAO", "name": "อบต.ท่าศาลา", "kind": "local_government", "code": "800801"},
            {"org_id": "THF", "name": "สสส.", "kind": "fund"},
            {"org_id": "WF", "name": "กองทุนสวัสดิการชุมชนตำบลท่าศาลา", "kind": "community_org", "parent_id": "SAO",
             "code": "800801"},
            {"org_id": "NGO", "name": "มูลนิธิชุมชนไท", "kind": "ngo"},
            {"org_id": "NGOB", "name": "เครือข่ายบ้านมั่นคงท่าศาลา", "kind": "network", "parent_id": "NGO",
             "code": "800801"},
            {"org_id": "CC", "name": "สภาองค์กรชุมชนตำบลกลาย", "kind": "community_council", "code": "800802"},
        ],
        people=[
            {"record_id": "r1", "source": "codi", "name": "นายสมชาย ใจดี", "org_id": "CODI-S", "role": "ผู้ประสานงาน",
             "phone": "0812345678"},
            {"record_id": "r2", "source": "wf", "name": "สมชาย ใจดี", "org_id": "WF", "role": "กรรมการ",
             "phone": "0812345678", "email": "somchai@example.org"},
            {"record_id": "r3", "source": "thf", "name": "นางสาวสมหญิง รักถิ่น", "org_id": "THF", "role": "เจ้าหน้าที่"},
            {"record_id": "r4", "source": "cc", "name": "นายวิชัย มั่นคง", "org_id": "CC", "role": "ประธาน"},
            {"record_id": "r5", "source": "forum", "name": "วิชัย มั่นคง", "code": "800802"},
            {"record_id": "r6", "source": "ngob", "name": "นางมาลี ศรีสุข", "org_id": "NGOB", "role": "สมาชิก",
             "code": "800801"},
            {"record_id": "r7", "source": "sao", "name": "นายเอก ทองดี", "org_id": "SAO", "role": "เจ้าหน้าที่"},
            {"record_id": "r8", "source": "wf", "name": "มาลี ศรีสุข", "org_id": "WF", "role": "เหรัญญิก"},
        ],
        projects=[
            {"project_id": "J1", "title": "กองทุนสวัสดิการชุมชนท่าศาลา", "category": "สวัสดิการ", "lead_org_id": "WF",
             "code": "800801", "start": "2024-10-01", "end": "2025-09-30", "budget_thb": 100000},
            {"project_id": "J2", "title": "สวัสดิการผู้สูงอายุตำบลกลาย", "category": "สวัสดิการ", "lead_org_id": "CC",
             "code": "800802", "budget_thb": 50000},
            {"project_id": "J3", "title": "บ้านมั่นคงท่าศาลา", "category": "ที่อยู่อาศัย", "lead_org_id": "NGOB",
             "code": "800801", "budget_thb": 200000},
            {"project_id": "J4", "title": "ซ่อมบ้านผู้ยากไร้", "category": "ที่อยู่อาศัย", "lead_org_id": "SAO",
             "code": "800801", "budget_thb": 40000},
            {"project_id": "J5", "title": "แผนชุมชนอำเภอท่าศาลา", "category": "แผนชุมชน", "lead_org_id": "CODI-S",
             "code": "8008"},
        ],
        funding=[
            {"funder_id": "THF", "project_id": "J1", "amount_thb": 30000, "stream": "สมทบกองทุนสวัสดิการ"},
            {"funder_id": "CODI", "project_id": "J3", "amount_thb": 150000, "stream": "บ้านมั่นคง"},
            {"funder_id": "CODI", "project_id": "J2", "amount_thb": 20000, "stream": "สมทบกองทุนสวัสดิการ"},
            {"funder_id": "THF", "recipient_org_id": "CC", "amount_thb": 10000},
            {"funder_id": "CODI", "project_id": "J1", "amount_thb": 25000, "stream": "สมทบกองทุนสวัสดิการ"},
        ],
        participation=[
            {"project_id": "J1", "record_id": "r3", "role": "ที่ปรึกษา"},
            {"project_id": "J3", "record_id": "r1", "role": "ผู้ประสานงาน"},
            {"project_id": "J2", "record_id": "r5"},
            {"project_id": "J3", "org_id": "CC"},
            {"project_id": "J4", "record_id": "r6"},
        ],
    )
    persons = make_persons({
        "r1": ("P-01", "สมชาย ใจดี"), "r2": ("P-01", "สมชาย ใจดี"),
        "r3": ("P-02", "สมหญิง รักถิ่น"),
        "r4": ("P-03", "วิชัย มั่นคง"), "r5": ("P-03", "วิชัย มั่นคง"),
        "r6": ("P-04", "มาลี ศรีสุข"), "r8": ("P-04", "มาลี ศรีสุข"),
        "r7": ("P-05", "เอก ทองดี"),
    })
    return dataset, persons
