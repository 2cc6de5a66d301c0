"""Tests of analysis.sample: the synthetic datasets every other test and benchmark uses.

Expected numbers come from the scale definitions in analysis/sample/world.py (the brief's
targets: tambon ~150 people records, province ~3,000 records / 300–500 organisations /
~400 projects) and from the contract (CONTRACT §1 columns, §2 definitions, §5 words).
"""

import re

import pandas as pd
import pytest

from analysis.config import SAMPLE_DIR
from analysis.sample import QUARTERS, generate_sample, write_sample
from analysis.sample.world import SCALES, build_places
from analysis.ingest.schema import TABLES


@pytest.fixture(scope="module")
def province():
    return {q: generate_sample("province", seed=1, quarter=q) for q in QUARTERS}


@pytest.fixture(scope="module")
def clean():
    """Noise 0: one spelling per person, ISO dates, so traps can be checked on the text."""
    return generate_sample("province", seed=1, noise=0.0)


def files_of(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_gives_the_same_bytes(tmp_path):
    first = files_of(write_sample(tmp_path / "a", "tambon", seed=3))
    second = files_of(write_sample(tmp_path / "b", "tambon", seed=3))
    assert first == second
    assert "2026Q2/people.csv" in first and "2026Q3/truth/changes.csv" in first
    assert first["2026Q2/people.csv"].startswith("\ufeff".encode())  # UTF-8 with BOM


def test_another_seed_gives_another_world():
    a, b = generate_sample("tambon", seed=1), generate_sample("tambon", seed=2)
    assert not a.tables["people"]["name"].equals(b.tables["people"]["name"])


def test_committed_sample_is_what_its_readme_command_writes(tmp_path):
    readme = (SAMPLE_DIR / "README.md").read_text(encoding="utf-8")
    scale, seed = re.search(r"stakemap sample --out \S+ --scale (\w+) --seed (\d+)", readme).groups()
    assert files_of(write_sample(tmp_path, scale, int(seed))) == files_of(SAMPLE_DIR)


def test_tables_have_the_contract_columns_as_strings(province):
    for name, frame in province["2026Q2"].tables.items():
        assert list(frame.columns) == list(TABLES[name].columns)
        assert frame.map(lambda v: isinstance(v, str)).all().all(), name


def test_counts_per_scale(province):
    tambon = generate_sample("tambon", seed=1)
    assert 100 <= len(tambon.tables["people"]) <= 250  # brief: ~150
    tables = province["2026Q2"].tables
    assert 1_500 <= len(tables["people"]) <= 3_000
    assert 300 <= len(tables["organisations"]) <= 500
    assert 350 <= len(tables["projects"]) <= 500
    assert len(build_places(SCALES["national"])) == 7_436  # every tambon of Thailand (DOMAIN.md)


def test_truth_ids_refer_to_rows_that_exist(province):
    for sample in province.values():
        t, truth = sample.tables, sample.truth
        records, projects = set(t["people"]["record_id"]), set(t["projects"]["project_id"])
        assert set(truth["persons"]["record_id"]) <= records
        assert set(truth["hats"]["true_person_id"]) == set(truth["persons"]["true_person_id"])
        assert set(truth["duplicate_groups"]["project_id"]) <= projects
        pairs = truth["not_duplicates"]
        assert set(pairs["project_a"]) | set(pairs["project_b"]) <= projects


def test_every_used_people_record_has_a_person(province):
    # CONTRACT §1: rows read = rows used + rows quarantined.
    for sample in province.values():
        bad = sample.truth["bad_rows"]
        skipped = bad[(bad["table"] == "people") & (bad["action"] == "row skipped")]
        assert len(sample.truth["persons"]) == len(sample.tables["people"]) - len(skipped)


def test_bad_rows_are_where_the_truth_says(province):
    for sample in province.values():
        bad = sample.truth["bad_rows"]
        assert set(bad["table"]) == set(TABLES)  # a handful in every table
        assert set(bad["action"]) == {"row skipped", "value ignored"}
        for _, b in bad.iterrows():
            row = sample.tables[b["table"]].iloc[b["row"] - 2]  # header is row 1
            if "/" in b["column"]:
                assert all(row[c] == "" for c in b["column"].split("/"))
            else:
                assert row[b["column"]] == b["value"]
        faults = set(bad["fault"])
        assert {"name missing", "record_id repeated", "org_id refers to no organisation", "budget unreadable",
                "date unreadable", "tambon unknown"} <= faults


def test_person_traps_are_planted(clean):
    people = clean.tables["people"].merge(clean.truth["persons"], on="record_id")
    traps = clean.truth["traps"]
    misspelled = traps.loc[traps["trap"] == "misspelled_surname", "id_a"]
    assert {"spouses", "namesakes", "misspelled_surname", "many_hats", "area_contains"} <= set(traps["trap"])
    surname = people[~people["record_id"].isin(misspelled)].groupby("true_person_id")["name"].first().str.split().str[-1]
    tambon = people.groupby("true_person_id")["tambon"].first()
    spouses = traps[traps["trap"] == "spouses"]
    assert (surname[spouses["id_a"]].to_numpy() == surname[spouses["id_b"]].to_numpy()).all()
    assert (tambon[spouses["id_a"]].to_numpy() == tambon[spouses["id_b"]].to_numpy()).all()
    full = people.groupby("true_person_id")["name"].first()
    namesakes = traps[traps["trap"] == "namesakes"]
    assert (full[namesakes["id_a"]].to_numpy() == full[namesakes["id_b"]].to_numpy()).all()
    for _, trap in traps[traps["trap"] == "misspelled_surname"].iterrows():
        names = people.loc[people["true_person_id"] == trap["id_b"]].set_index("record_id")["name"]
        assert (names.drop(trap["id_a"]) != names[trap["id_a"]]).all()
    hats = clean.truth["hats"]
    assert hats["n_agencies"].max() >= 5  # "a villager working for several agencies" (seed 002)


def test_duplicate_groups_overlap_in_place_and_time(clean):
    projects = clean.tables["projects"].set_index("project_id")
    groups = clean.truth["duplicate_groups"]
    assert groups.groupby("true_group_id").size().isin([2, 3]).all()
    assert (groups.groupby("true_group_id").size() == 3).any()
    for _, members in groups.groupby("true_group_id")["project_id"]:
        p = projects.loc[members]
        assert pd.to_datetime(p["start"]).max() < pd.to_datetime(p["end"]).min()  # periods overlap
        assert p["lead_org_id"].nunique() == len(p) or p["title"].nunique() == len(p)
        districts = p["district"].unique()
        assert len(districts) == 1


def test_look_alikes_are_not_duplicates(clean):
    projects = clean.tables["projects"].set_index("project_id")
    pairs = clean.truth["not_duplicates"]
    assert set(pairs["relation"]) == {"co_funding", "later_phase", "template"}
    later = pairs[pairs["relation"] == "later_phase"]
    a, b = projects.loc[later["project_a"]], projects.loc[later["project_b"]]
    assert (pd.to_datetime(a["end"]).to_numpy() < pd.to_datetime(b["start"]).to_numpy()).all()
    template = pairs[pairs["relation"] == "template"]
    assert (projects.loc[template["project_a"], "title"].to_numpy()
            == projects.loc[template["project_b"], "title"].to_numpy()).all()
    funders = clean.tables["funding"].groupby("project_id")["funder_id"].nunique()
    assert (funders[pairs.loc[pairs["relation"] == "co_funding", "project_a"]] >= 2).all()


def test_second_quarter_changes_in_contract_words(province):
    changes = province["2026Q3"].truth["changes"]
    assert {"appeared", "left", "hats_gained", "hats_lost", "new", "resolved", "gap_closed"} <= set(changes["change"])
    assert province["2026Q2"].truth["changes"].empty
    before, after = (province[q].truth["persons"] for q in QUARTERS)
    left = set(changes.loc[changes["change"] == "left", "id"])
    assert left <= set(before["true_person_id"]) and not left & set(after["true_person_id"])


def test_record_ids_stay_between_quarters_except_the_reexport(province):
    before, after = (province[q].truth["persons"].set_index("record_id")["true_person_id"] for q in QUARTERS)
    both = before.index.intersection(after.index)
    assert len(both) > 0.9 * len(before)
    assert (before[both] == after[both]).all()
    moved = province["2026Q3"].truth["traps"].query("trap == 'reexported_record'")
    assert len(moved) > 0
    assert (before[moved["id_b"]].to_numpy() == after[moved["id_a"]].to_numpy()).all()


def test_noise_zero_writes_one_canonical_form(clean):
    people, projects = clean.tables["people"], clean.tables["projects"]
    assert people["phone"].str.fullmatch(r"(0\d{9})?|08-123").all()  # 08-123: a planted bad phone
    assert not people["name"].str.contains("[\u200b\u00a0]|\u0e4d\u0e32").any()
    dates = pd.concat([projects["start"], projects["end"]])
    assert dates[dates != ""].str.fullmatch(r"\d{4}-\d\d-\d\d").all() or (dates == "31/02/2568").any()


def test_more_noise_more_spellings():
    def spellings(noise):
        s = generate_sample("tambon", seed=1, noise=noise)
        people = s.tables["people"].merge(s.truth["persons"], on="record_id")
        return people.groupby("true_person_id")["name"].nunique().sum()

    assert spellings(0.0) < spellings(1.0) < spellings(2.0)


def test_bad_arguments_say_what_is_allowed():
    with pytest.raises(ValueError, match="quarter"):
        generate_sample("tambon", quarter="2026Q4")
    with pytest.raises(ValueError, match="scale"):
        generate_sample("village")
    with pytest.raises(ValueError, match="shape"):
        generate_sample("tambon", shape="round")


def test_sparse_shape_has_fewer_rosters_per_person_and_ties_per_organisation(province):
    # World.SHAPES["sparse"]: a larger pool of villagers per tambon whose activity varies
    # less, fewer groups and projects. In the truth, dense Sa Kaeo has ~2 roster lines per
    # person; sparse about 1.3 (national, the dataset: ~1.2; benchmarks/ measure it).
    sparse = generate_sample("province", seed=1, shape="sparse")
    dense = province["2026Q2"]

    def lines_per_person(sample):
        return len(sample.truth["persons"]) / sample.truth["persons"]["true_person_id"].nunique()

    assert lines_per_person(sparse) < 1.45 < lines_per_person(dense)
    assert len(sparse.tables["projects"]) < 0.6 * len(dense.tables["projects"])  # 1.75 / 3.4 a tambon and era
    assert sparse.params["shape"] == "sparse"
