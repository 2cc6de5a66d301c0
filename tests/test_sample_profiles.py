"""Data profiles for the resolver benchmark (analysis.sample.profiles)."""

import pandas as pd

from analysis.resolve.names import split_name
from analysis.sample.profiles import PROFILES, Profile, apply_profile


def people_table(n: int = 400) -> tuple[pd.DataFrame, pd.DataFrame]:
    """n lines of n / 2 persons (two lines each), every line with a place and a phone."""
    people = pd.DataFrame({
        "record_id": [f"r{i}" for i in range(n)],
        "name": [f"นายคน{i // 2:03d}ดี สกุล{i // 2:03d}ใจ" for i in range(n)],
        "phone": [f"08{i // 2:08d}" for i in range(n)],
        "province": "สระแก้ว", "district": "วังน้ำเย็น", "tambon": [f"ตำบล{i // 20}" for i in range(n)],
    })
    truth = pd.DataFrame({"record_id": people["record_id"], "true_person_id": [f"H{i // 2}" for i in range(n)]})
    return people, truth


def test_shares_of_lines_without_place_or_phone_are_as_asked():
    people, truth = people_table()
    out = apply_profile(people, truth, Profile("x", no_place=0.5, no_phone=0.9), seed=1)
    no_place = (out[["province", "district", "tambon"]] == "").all(axis=1).mean()
    assert 0.4 < no_place < 0.6  # 400 draws at 0.5: within 4 standard deviations (0.025)
    assert 0.85 < (out["phone"] == "").mean() < 0.95
    assert out["record_id"].tolist() == people["record_id"].tolist()


def test_the_same_seed_gives_the_same_table_and_titles_keep_the_name():
    people, truth = people_table()
    profile = Profile("x", titles=1.0, first_slips=0.1)
    first, second = apply_profile(people, truth, profile, 3), apply_profile(people, truth, profile, 3)
    pd.testing.assert_frame_equal(first, second)
    unchanged = [split_name(a).last == split_name(b).last for a, b in zip(first["name"], people["name"])]
    assert all(unchanged)


def test_spouses_share_surname_and_phone_but_keep_their_first_names():
    people, truth = people_table()
    out = apply_profile(people, truth, Profile("x", spouses=0.5), seed=1)
    changed = out["phone"] != people["phone"]
    assert changed.any()
    firsts = [split_name(a).first == split_name(b).first for a, b in zip(out["name"], people["name"])]
    assert all(firsts)


def test_the_sweep_spans_the_issue_ranges():
    assert max(p.no_place for p in PROFILES) == 0.7 and max(p.no_phone for p in PROFILES) == 0.95


def test_lines_without_a_place_can_lose_their_roster_too():
    # In the generated sample a line's place is its organisation's; no_roster_place takes
    # the organisation off the lines left without a place, and off no other line.
    people, truth = people_table()
    people["org_id"] = "O1"
    out = apply_profile(people, truth, Profile("x", no_place=0.5, no_roster_place=1.0), seed=1)
    no_place = (out[["province", "district", "tambon"]] == "").all(axis=1)
    assert (out.loc[no_place, "org_id"] == "").all() and (out.loc[~no_place, "org_id"] == "O1").all()
