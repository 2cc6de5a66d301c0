"""``stakemap run --public`` leaks no personal data, in any file it writes (PDPA; issue 10).

A tambon sample (analysis.sample, seed 5) gets phone numbers, e-mail addresses and
national-id-like numbers planted in its people rows — in the phone and email columns, and
inside the name, role and source text — on records that hold a public role (ประธาน), so
their names and roles are shown and every text column of theirs reaches the outputs. The
public run's every file (csv, html, md, json, gexf, graphml, svg, the tambon profiles in
profiles/, and the XML inside report.xlsx) is then searched for each planted value in each form a reader could find it
in, for every record id of the people table, and for the names of people without a
public role.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.ingest.normalise import normalise_text
from analysis.pipeline import analyse_dataset, read_stage
from analysis.sample import write_sample
from tests.hostile import read_every_file

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1"}

#: (column, text to write there): one planted record each; the role makes every one of them a
#: public-role holder (docs/privacy.md), the hardest case: their name and roles are shown.
PLANTS = (
    {"phone": "081-234-5678", "email": "Somchai.Secret@Example.CO.TH", "role": "ประธาน"},
    {"name": " 1-2345-67890-12-3", "role": "ประธาน"},
    {"role": "ประธาน โทร (02) 123 4567", "phone": "+66 89 765 4321"},
    {"source": " ติดต่อ hidden.person@mail.go.th", "role": "ประธาน เลขบัตร 3456789012345"},
    {"name": " โทร 062-345-6789", "role": "ประธานกลุ่ม อีเมล kru.noi@school.ac.th"},
)

#: Every planted value and the forms it may appear in (as written, canonical, with and
#: without dashes or spaces, the mobile without its 0 as a spreadsheet number shows it).
PLANTED = {
    "081-234-5678": ("081-234-5678", "0812345678", "081 234 5678", "812345678", "+66812345678"),
    "+66 89 765 4321": ("+66 89 765 4321", "0897654321", "089-765-4321", "897654321", "66897654321"),
    "(02) 123 4567": ("(02) 123 4567", "021234567", "02-123-4567", "02 123 4567"),
    "062-345-6789": ("062-345-6789", "0623456789", "062 345 6789", "623456789"),
    "1-2345-67890-12-3": ("1-2345-67890-12-3", "1234567890123", "1 2345 67890 12 3"),
    "3456789012345": ("3456789012345", "3-4567-89012-34-5"),
    "Somchai.Secret@Example.CO.TH": ("Somchai.Secret@Example.CO.TH", "somchai.secret@example.co.th",
                                     "somchai.secret"),
    "hidden.person@mail.go.th": ("hidden.person@mail.go.th", "hidden.person"),
    "kru.noi@school.ac.th": ("kru.noi@school.ac.th", "kru.noi"),
    "089-111-2222": ("089-111-2222", "0891112222", "089 111 2222", "891112222"),
    "5-1234-56789-01-2": ("5-1234-56789-01-2", "5123456789012"),
    "funds.officer@codi.or.th": ("funds.officer@codi.or.th", "funds.officer"),
}

#: (table, column, text appended): contacts typed into the other tables' text, which public
#: output shows (organisation and project names, descriptions, funding streams).
OTHER_PLANTS = (
    ("organisations", "name", " โทร 089-111-2222"),
    ("projects", "title", " ผู้ประสาน funds.officer@codi.or.th"),
    ("projects", "description", " เลขบัตร 5-1234-56789-01-2"),
    ("funding", "stream", " ติดต่อ 089-111-2222"),
)


def plant(people: pd.DataFrame) -> pd.DataFrame:
    """The people table with :data:`PLANTS` written on the first records (text appended
    to name and source, other columns replaced)."""
    people = people.copy()
    for index, values in enumerate(PLANTS):
        for column, text in values.items():
            people.loc[index, column] = people.loc[index, column] + text if column in ("name", "source") else text
    return people


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("public")
    dataset = write_sample(base / "sample", scale="tambon", seed=5, quarter="2026Q2")
    people_path = dataset / "people.csv"
    people = pd.read_csv(people_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    plant(people).to_csv(people_path, index=False, encoding="utf-8-sig", lineterminator="\n")
    for table, column, text in OTHER_PLANTS:
        path = dataset / f"{table}.csv"
        rows = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        rows.loc[:4, column] = rows.loc[:4, column] + text  # the first rows: the sample uses all of them
        rows.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    out = base / "public"
    done = subprocess.run([sys.executable, "-m", "analysis", "run", str(dataset), "--out", str(out), "--public"],
                          cwd=ROOT, env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return dataset, out


@pytest.fixture(scope="module")
def texts(runs):
    """file (relative) -> its text; a workbook's XML parts joined and unescaped."""
    _, out = runs
    return read_every_file(out)


@pytest.fixture(scope="module")
def people_truth(runs):
    """(record ids, names of persons without a public role) from the same dataset."""
    dataset, _ = runs
    checked, decisions = read_stage(dataset)
    result = analyse_dataset(checked, decisions)
    persons = [attrs for _, attrs in result.graph.nodes(data=True) if attrs.get("kind") == "person"]
    public_names = {a["label"] for a in persons if a.get("is_public_role")}
    private = {p["person_id"] for p in [{"person_id": n.removeprefix("person:")} for n, a in
                                        result.graph.nodes(data=True) if a.get("kind") == "person" and
                                        not a.get("is_public_role")]}
    records = checked["people"].merge(result.tables["persons"], on="record_id")
    names = set(records.loc[records["person_id"].isin(private), "name"].map(normalise_text))
    names |= {a["label"] for a in persons if not a.get("is_public_role")}
    raw = pd.read_csv(dataset / "people.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return set(raw["record_id"]), names - public_names


def test_the_dataset_has_what_the_search_looks_for(runs, people_truth, texts):
    record_ids, private_names = people_truth
    assert len(record_ids) > 100 and len(private_names) > 20
    # The planted chairs are public: their (cleaned) names must still be shown somewhere.
    assert any("สวัสดิการ" in text or "ประธาน" in text for text in texts.values())
    assert {"report.html", "report.xlsx", "hats.csv", "exports/network.gexf", "exports/network.graphml",
            "graphs/network.html", "run.json", "recommendations.md", "grades.csv", "profiles/index.html"} <= set(texts)
    # every graded tambon has its profile page in the search
    profiles = {name for name in texts if name.startswith("profiles/") and name[9:15].isdigit()}
    assert len(profiles) == texts["grades.csv"].count("\n") - 1 > 0
    # and the roll-ups: a page per district, province and province group of grade_counts.csv
    rollups = {name for name in texts if name.startswith("profiles/") and name not in profiles} - {
        "profiles/index.html", "profiles/profile.css"}
    assert len(rollups) == texts["grade_counts.csv"].count("\n") - 1 >= 3


@pytest.mark.parametrize("planted", sorted(PLANTED))
def test_no_planted_contact_or_id_in_any_file(texts, planted):
    leaks = sorted({(name, form) for form in PLANTED[planted] for name, text in texts.items() if form in text})
    assert not leaks, "found in " + ", ".join(f"{name} ({form})" for name, form in leaks)


def test_no_record_id_in_any_file(texts, people_truth):
    record_ids, _ = people_truth
    pattern = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(map(re.escape, sorted(record_ids))) + r")(?![A-Za-z0-9])")
    leaks = sorted({(name, m.group(0)) for name, text in texts.items() for m in pattern.finditer(text)})
    assert leaks[:10] == []


def test_no_name_of_a_person_without_public_role(texts, people_truth):
    _, private_names = people_truth
    leaks = sorted({(file, name) for name in private_names for file, text in texts.items() if name in text})
    assert leaks[:10] == []


def test_privacy_docs_say_where_every_output_is_stored(runs, texts):
    """docs/privacy.md, "What is stored where", names every file a run writes (file names
    and globs in the first column), the files ``--public`` leaves out included."""
    from fnmatch import fnmatch

    from analysis.config import PROJECT_DIR
    from analysis.privacy import PRIVATE_TABLES

    docs = (PROJECT_DIR / "docs" / "privacy.md").read_text(encoding="utf-8")
    section = docs.split("## What is stored where\n", 1)[1].split("\n## ", 1)[0]
    named = [name for line in section.splitlines() if line.startswith("| ")
             for name in re.findall(r"`([^`]+)`", line.split(" | ")[0])]
    unlisted = [file for file in texts if not any(fnmatch(file, pattern) for pattern in named)]
    assert unlisted == []
    assert {f"{name}.csv" for name in PRIVATE_TABLES} <= set(named)
