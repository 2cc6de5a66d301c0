"""People records resolved to persons (analysis.resolve.people).

Each trap is a few roster lines a planner could check by eye. Weights are learned from each
table (analysis.resolve.weights); a table of a few lines teaches almost nothing, so its
weights are the priors of analysis.resolve.people.COMPARISONS (log2 m/u, rounded to 0.1),
which the scores quoted in comments use, and its threshold is about 20-21 bits.
"""

import itertools
import random

import numpy as np
import pandas as pd
import pytest

from analysis.resolve.people import (
    COMPARED_COLUMNS,
    MAX_BLOCK_SIZE,
    REVIEW_COLUMNS,
    _block_pairs,
    find_candidate_pairs,
    build_features,
    compare_pairs,
    join_places,
    make_person_id,
    make_record_key,
    order_by_texts,
    rank_texts,
    record_key,
    resolve_people,
)
from analysis.resolve.weights import DEFAULT_MERGE_MIN as MERGE_MIN

TAMBON = {"tambon_code": "800101", "district_code": "8001", "province_code": "80"}
OTHER_TAMBON = {"tambon_code": "800102", "district_code": "8001", "province_code": "80"}
OTHER_DISTRICT = {"tambon_code": "800501", "district_code": "8005", "province_code": "80"}
NO_PLACE = {"tambon_code": None, "district_code": None, "province_code": None}


def rows(*records) -> pd.DataFrame:
    """A people table from (record_id, source, name, extra fields) tuples."""
    out = []
    for record_id, source, name, extra in records:
        row = {"record_id": record_id, "source": source, "name": name, "org_id": None, "phone": None, "email": None}
        row.update(NO_PLACE)
        row.update(extra)
        out.append(row)
    return pd.DataFrame(out)


def person_of(result, record_id: str) -> str:
    persons = result.persons.set_index("record_id")
    return persons.at[record_id, "person_id"]


def same_person(result, a: str, b: str) -> bool:
    return person_of(result, a) == person_of(result, b)


# --- traps ----------------------------------------------------------------------------


def test_spouses_sharing_surname_house_phone_and_tambon_stay_two_people():
    people = rows(
        ("r1", "พอช.", "นายสมชาย ใจดี", {"phone": "0811111111", "org_id": "O1", **TAMBON}),
        ("r2", "พอช.", "นางสมศรี ใจดี", {"phone": "0811111111", "org_id": "O1", **TAMBON}),
        ("r3", "พช.", "สมศรี ใจดี", {"phone": "0811111111", **TAMBON}),
    )
    result = resolve_people(people)
    assert not same_person(result, "r1", "r2")
    assert not same_person(result, "r1", "r3")
    # The wife's two records do join: same first name, surname, phone and tambon.
    assert same_person(result, "r2", "r3")


def test_titles_of_different_genders_never_merge():
    # วาสนา is given to girls and boys: father and daughter may share the whole name,
    # the house phone and the tambon. 8.8 + 11.5 - 2.3 + 10.6 + 6.1 = 34.7 bits, yet apart.
    people = rows(
        ("r1", "A", "นายวาสนา ใจดี", {"phone": "0811111111", **TAMBON}),
        ("r2", "B", "นางสาววาสนา ใจดี", {"phone": "0811111111", **TAMBON}),
    )
    result = resolve_people(people)
    assert not same_person(result, "r1", "r2")
    assert "titles of different genders" in result.review.at[0, "evidence"]


def test_same_full_name_in_two_districts_with_nothing_else_in_common_stays_two_people():
    # 8.8 (first) + 11.5 (surname) - 2.7 (other district) = 17.6 < MERGE_MIN
    people = rows(
        ("r1", "พอช.", "นายสมชาย ใจดี", {"org_id": "O1", **TAMBON}),
        ("r2", "พช.", "นายสมชาย ใจดี", {"org_id": "O2", **OTHER_DISTRICT}),
    )
    result = resolve_people(people)
    assert not same_person(result, "r1", "r2")
    pair = result.pairs.iloc[0]
    assert pair["decision"] == "near_miss" and pair["score"] < MERGE_MIN


def test_a_common_name_alone_never_merges_a_rare_one_with_a_district_does():
    # สมชาย and ใจดี are carried by five other people each: their exact agreement counts for
    # less (term frequency), so the two สมชาย ใจดี with nothing else in common stay apart.
    others = [(f"o{i}", "X", f"สมชาย สกุล{i}ใหม่", {}) for i in range(5)]
    others += [(f"p{i}", "X", f"ชื่อ{i}ใหม่ ใจดี", {}) for i in range(5)]
    people = rows(("r1", "A", "นายสมชาย ใจดี", TAMBON), ("r2", "B", "นายสมชาย ใจดี", {}), *others)
    assert not same_person(resolve_people(people), "r1", "r2")
    rare = rows(("r1", "A", "นายสำราญ กองคำ", TAMBON), ("r2", "B", "นายสำราญ กองคำ", {"district_code": "8001",
                                                                                 "province_code": "80"}))
    assert same_person(resolve_people(rare), "r1", "r2")


def test_a_record_matching_two_namesakes_does_not_chain_them():
    # r1 and r2 are namesakes in two tambons of one district with their own phones; r3
    # gives only the district. r3-r1 = 20.3 + 2.3 + 3.9 (organisation) = 26.5 and
    # r3-r2 = 20.3 + 2.3 - 0.6 = 22.0 both reach MERGE_MIN, but r1 and r2 contradict each
    # other (phone, tambon) at 20.3 - 2.3 + 0 - 0.6 = 17.4 bits: r2 stays apart.
    people = rows(
        ("r1", "A", "สมชาย ใจดี", {"phone": "0811111111", "org_id": "O1", **TAMBON}),
        ("r2", "B", "สมชาย ใจดี", {"phone": "0822222222", "org_id": "O2", **OTHER_TAMBON}),
        ("r3", "C", "สมชาย ใจดี", {"org_id": "O1", "district_code": "8001", "province_code": "80"}),
    )
    result = resolve_people(people)
    assert same_person(result, "r1", "r3")
    assert not same_person(result, "r1", "r2")


@pytest.mark.parametrize(
    "misspelt",
    ["ภาะสุวรรณ", "ภาระสุวรณ", "ภาระสุวรรน"],  # a letter dropped, a letter dropped, look-alike ณ/น
)
def test_misspelt_surname_with_the_same_phone_joins(misspelt):
    # 8.8 + 6.6 (one typo apart) + 10.6 (phone) = 26.0 >= MERGE_MIN
    people = rows(
        ("r1", "พอช.", "นายสมชาติ ภาระสุวรรณ", {"phone": "0812345678"}),
        ("r2", "สสส.", f"นายสมชาติ {misspelt}", {"phone": "0812345678", **OTHER_DISTRICT}),
    )
    assert same_person(resolve_people(people), "r1", "r2")


def test_misspelt_surname_in_the_same_tambon_and_organisation_joins():
    # 8.8 + 6.6 + 6.1 (tambon) + 3.9 (organisation) = 25.4 >= MERGE_MIN
    people = rows(
        ("r1", "พอช.", "สมชาติ ภาระสุวรรณ", {"org_id": "O1", **TAMBON}),
        ("r2", "พอช.2", "สมชาติ ภาะสุวรรณ", {"org_id": "O1", **TAMBON}),
    )
    assert same_person(resolve_people(people), "r1", "r2")


def test_glued_title_joins_with_the_bare_name():
    people = rows(
        ("r1", "A", "นายสมชาย ใจดี", TAMBON),
        ("r2", "B", "สมชาย ใจดี", TAMBON),
        ("r3", "C", "ผญบ.สมชาย ใจดี", TAMBON),
    )
    result = resolve_people(people)
    assert result.persons["person_id"].nunique() == 1
    assert set(result.persons["person_name"]) == {"สมชาย ใจดี"}


def test_a_near_miss_is_listed_for_review_with_its_evidence():
    people = rows(
        ("r1", "พอช.", "นายสมชาย ใจดี", {"org_id": "O1", **TAMBON}),
        ("r2", "พช.", "นายสมชาย ใจดี", {"org_id": "O2", **OTHER_DISTRICT}),
    )
    review = resolve_people(people).review
    assert list(review.columns) == list(REVIEW_COLUMNS)
    assert len(review) == 1
    row = review.iloc[0]
    assert row["model"] == "near_miss" and row["decision"] == ""
    assert "first name exact (by frequency)" in row["evidence"]
    assert "surname exact (by frequency)" in row["evidence"]
    assert "same province, other district -2." in row["evidence"]
    assert {row["key_a"], row["key_b"]} == {"สมชาย ใจดี|พอช.|800101|", "สมชาย ใจดี|พช.|800501|"}


def test_a_chain_of_links_never_joins_records_with_different_first_names():
    # สมชาย ~ สมชัย ~ สมชัน are each one letter apart, but สมชาย / สมชัน are two apart:
    # the model may not put those two in one person, however the links chain.
    people = rows(
        ("a", "A", "สมชาย ใจดี", {"phone": "0811111111", **TAMBON}),
        ("b", "B", "สมชัย ใจดี", {"phone": "0811111111", "email": "x@y.th", **TAMBON}),
        ("c", "C", "สมชัน ใจดี", {"email": "x@y.th", **TAMBON}),
    )
    result = resolve_people(people)
    assert not same_person(result, "a", "c")
    assert same_person(result, "b", "c")  # the stronger link (e-mail 13.1 > phone 10.6) wins


# --- reviewers' decisions -------------------------------------------------------------


def decisions(*rows_) -> pd.DataFrame:
    return pd.DataFrame([{"kind": k, "a": a, "b": b, "decision": d, "note": ""} for k, a, b, d in rows_])


MERGED = rows(
    ("r1", "A", "นายสมชาย ใจดี", {"phone": "0811111111", **TAMBON}),
    ("r2", "B", "สมชาย ใจดี", {"phone": "0811111111", **TAMBON}),
)
APART = rows(
    ("r1", "พอช.", "นายสมชาย ใจดี", {**TAMBON}),
    ("r2", "พช.", "นายสมชาย ใจดี", {**OTHER_DISTRICT}),
)


def test_a_different_decision_splits_a_pair_the_model_merges():
    assert same_person(resolve_people(MERGED), "r1", "r2")
    keys = [record_key(r) for r in MERGED.to_dict("records")]
    result = resolve_people(MERGED, decisions=decisions(("person", keys[0], keys[1], "different")))
    assert not same_person(result, "r1", "r2")
    assert result.review.empty  # a decided pair is not asked again


def test_a_same_decision_joins_a_pair_the_model_keeps_apart():
    assert not same_person(resolve_people(APART), "r1", "r2")
    keys = [record_key(r) for r in APART.to_dict("records")]
    result = resolve_people(APART, decisions=decisions(("person", keys[1], keys[0], "same")))
    assert same_person(result, "r1", "r2")


def test_a_different_decision_holds_through_a_chain():
    # b joins a (phone) and c (e-mail); a reviewer says a and c differ: c must not join a.
    people = rows(
        ("a", "A", "สมชาย ใจดี", {"phone": "0811111111", **TAMBON}),
        ("b", "B", "สมชาย ใจดี", {"phone": "0811111111", "email": "x@y.th", **TAMBON}),
        ("c", "C", "สมชาย ใจดี", {"email": "x@y.th", **TAMBON}),
    )
    assert resolve_people(people).persons["person_id"].nunique() == 1
    keys = dict(zip(people["record_id"], (record_key(r) for r in people.to_dict("records"))))
    result = resolve_people(people, decisions=decisions(("person", keys["a"], keys["c"], "different")))
    assert not same_person(result, "a", "c")


def test_decisions_and_person_ids_survive_a_re_export_with_new_record_ids():
    keys = [record_key(r) for r in APART.to_dict("records")]
    decided = decisions(("person", keys[0], keys[1], "same"))
    first = resolve_people(APART, decisions=decided)
    reexport = APART.iloc[::-1].copy()
    reexport["record_id"] = ["x-900", "x-100"]  # new ids, other order
    second = resolve_people(reexport, decisions=decided)
    assert second.persons["person_id"].nunique() == 1
    assert set(first.persons["person_id"]) == set(second.persons["person_id"])


def test_two_persons_with_one_smallest_key_get_numbered_ids():
    # Three lines identical in content (one key) that a reviewer keeps apart: three persons
    # whose ids would be one hash; the second and third in key order get -2 and -3, and
    # each person's record key is the digest of the same key (make_record_key).
    people = rows(*((f"r{i}", "A", "นายสมชาย ใจดี", {"phone": "0811111111", **TAMBON}) for i in (1, 2, 3)))
    key = record_key(people.to_dict("records")[0])
    result = resolve_people(people, decisions=decisions(("person", key, key, "different")))
    base = make_person_id(key)
    assert result.persons["person_id"].tolist() == [base, f"{base}-2", f"{base}-3"]
    assert result.persons["record_id"].tolist() == ["r1", "r2", "r3"]
    assert set(result.persons["record_key"]) == {make_record_key(key)}


# --- the persons table ----------------------------------------------------------------


def small_roster() -> pd.DataFrame:
    return rows(
        ("r3", "A", "นายสมชาย ใจดี", {"phone": "0811111111", **TAMBON}),
        ("r1", "B", "สมชาย ใจดี", {"phone": "0811111111", **TAMBON}),
        ("r2", "C", "น.ส.มาลี ศรีสุข", {"email": "malee@x.th", **OTHER_TAMBON}),
        ("r4", "D", "มาลี สรีสุข", {"email": "malee@x.th"}),
        ("r5", "D", "นายบุญมา ทองดี", {}),
    )


def test_every_record_appears_once_sorted_by_person_then_record():
    persons = resolve_people(small_roster()).persons
    assert list(persons.columns[:3]) == ["record_id", "person_id", "person_name"]
    assert sorted(persons["record_id"]) == ["r1", "r2", "r3", "r4", "r5"]
    assert persons.equals(persons.sort_values(["person_id", "record_id"]).reset_index(drop=True))
    # r1+r3, r2+r4 and r5: three persons
    assert persons["person_id"].nunique() == 3
    assert all(p.startswith("P-") and len(p) == 12 for p in persons["person_id"])


def test_record_keys_survive_new_record_ids_and_do_not_show_the_phone():
    # stakemap compare matches persons across quarters on record_key (CONTRACT §5).
    before = resolve_people(small_roster()).persons
    renamed = small_roster().assign(record_id=lambda t: "x" + t["record_id"])
    after = resolve_people(renamed).persons
    assert sorted(before["record_key"]) == sorted(after["record_key"])
    assert before["record_key"].is_unique
    assert not before["record_key"].str.contains("0811111111").any()


def test_person_name_is_the_most_common_name_without_title():
    people = rows(
        ("r1", "A", "นายสมชาย ใจดี", {"phone": "0811111111"}),
        ("r2", "B", "สมชาย ใจดี", {"phone": "0811111111"}),
        ("r3", "C", "สมชาย ใจตี", {"phone": "0811111111"}),
    )
    assert set(resolve_people(people).persons["person_name"]) == {"สมชาย ใจดี"}


def test_same_input_in_any_row_order_gives_the_same_tables():
    people = small_roster()
    first = resolve_people(people)
    second = resolve_people(people.sample(frac=1, random_state=3))
    pd.testing.assert_frame_equal(first.persons, second.persons)
    pd.testing.assert_frame_equal(first.pairs, second.pairs)
    pd.testing.assert_frame_equal(first.review, second.review)


def test_missing_values_read_as_nan_do_not_agree():
    people = rows(("r1", "A", "สมชาย ใจดี", {}), ("r2", "B", "บุญมา ทองดี", {}))
    people["phone"] = np.nan  # pandas reads blank cells as NaN
    result = resolve_people(people)
    assert result.persons["person_id"].nunique() == 2


def test_an_empty_people_table_gives_empty_tables_with_their_columns():
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in ("record_id", "source", "name")})
    result = resolve_people(empty)
    assert list(result.persons.columns) == ["record_id", "person_id", "person_name", "record_key"]
    assert result.persons.empty and result.pairs.empty
    assert list(result.review.columns) == list(REVIEW_COLUMNS)


def test_names_compared_once_per_distinct_pair_get_the_levels_of_each_pair():
    # Every pair of 60 records whose names repeat, with slips and blanks; the reference
    # measures each pair of records on its own (OSA, Jaro-Winkler, the rules of the levels).
    from rapidfuzz.distance import OSA, JaroWinkler

    rng = random.Random(11)
    first = ["", "สมชาย", "สมชัย", "นก", "นุก", "ขจร", "ชจร", "บุญมา"]
    last = ["", "ใจดี", "ใจดีย", "ภาระสุวรรณ", "ภาะสุวรรณ", "วงศ์ใหญ่", "วงค์ใหญ่"]
    frame = pd.DataFrame({c: [""] * 60 for group in COMPARED_COLUMNS for c in group})
    frame["first"] = [rng.choice(first) for _ in range(60)]
    frame["last"] = [rng.choice(last) for _ in range(60)]
    frame["tambon_candidates"] = ""
    a, b = (np.array(x, dtype=np.int64) for x in zip(*itertools.combinations(range(60), 2)))
    levels = compare_pairs(frame, a, b)

    def level(x, y, similar):
        if not x or not y:
            return -1
        edits = OSA.distance(x, y)
        if edits == 0:
            return 0
        if edits <= 1 and max(len(x), len(y)) >= 4:
            return 1
        if similar:
            return 2 if JaroWinkler.similarity(x, y) >= 0.85 else 3
        return 2 if edits <= 1 else 3

    for name, column, similar in (("first name", "first", False), ("surname", "last", True)):
        expected = [level(frame[column][x], frame[column][y], similar) for x, y in zip(a, b)]
        assert levels[name].tolist() == expected


def test_places_joined_once_per_distinct_place_are_those_joined_per_line():
    rng = random.Random(5)
    parts = [np.array([rng.choice(words) for _ in range(500)], dtype=object)
             for words in (["", "ขอนแก่น", "10"], ["", "เมือง", "บางรัก"], ["", "ในเมือง", "ศิลา", "a/b"])]
    expected = ["/".join(t for t in place if t) for place in zip(*parts)]
    assert join_places(*parts).tolist() == expected


# --- blocking -------------------------------------------------------------------------


def test_blocks_without_a_needed_record_make_no_pairs_and_lose_none_needed():
    # 600 records, one key oversized (refined by province, then district), six records
    # flagged (one with the oversized key): the pairs with a flagged record are those of
    # all pairs, and the blocks without one make none.
    rng = np.random.default_rng(3)
    keys = np.array([rng.choice([f"k{i}" for i in range(30)] + [""]) for _ in range(450)] + ["big"] * 150,
                    dtype=object)
    refiners = [np.array([rng.choice(["10", "11", ""]) for _ in range(600)], dtype=object),
                np.array([rng.choice(["1001", "1002", "1101", ""]) for _ in range(600)], dtype=object)]
    needed = np.zeros(600, dtype=bool)
    needed[[0, 1, 2, 3, 4, 599]] = True
    a, b = _block_pairs(keys, refiners)
    n_all = len(a)
    everything = {(x, y) for x, y in zip(a.tolist(), b.tolist()) if needed[x] or needed[y]}
    a, b = _block_pairs(keys, refiners, needed)
    assert everything and {(x, y) for x, y in zip(a.tolist(), b.tolist()) if needed[x] or needed[y]} == everything
    assert len(a) < n_all / 2


def test_blocking_never_compares_all_pairs():
    rng = random.Random(7)
    people = rows(*[
        (f"r{i}", "A", f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}{i}", {}) for i in range(200)
    ])
    a, _ = find_candidate_pairs(build_features(people))
    assert len(a) < 200 * 199 / 2 / 10


def test_an_office_phone_shared_by_many_is_not_a_block():
    # 150 staff give the office number: over MAX_BLOCK_SIZE, in one district, so the phone
    # block is not compared; nobody is merged through it.
    n = MAX_BLOCK_SIZE + 50
    people = rows(*[(f"r{i}", "A", f"คน{i:03d} สกุล{i:03d}", {"phone": "021234567", **TAMBON}) for i in range(n)])
    result = resolve_people(people)
    assert result.persons["person_id"].nunique() == n
    assert len(result.pairs) < n * (n - 1) / 2 / 10


# --- quality on generated rosters -----------------------------------------------------

FIRST_NAMES = [
    "สมชาย", "สมศรี", "บุญมา", "มาลี", "ประเสริฐ", "วิไล", "สุดา", "ทองใบ", "สมศักดิ์", "นงลักษณ์",
    "อำนาจ", "จันทร์เพ็ญ", "ประยุทธ", "สุนทร", "กาญจนา", "วันเพ็ญ", "ชัยวัฒน์", "พรทิพย์", "สุภาพ", "เฉลิม",
    "บุญเรือน", "สมพร", "ละออง", "เฉลิมศรี", "แก้ว", "สิน", "สมชาติ", "ประพันธ์", "อรุณี", "ศิริพร",
]
# Thai surnames are registered per family, so they are many: 12 stems x 12 endings.
SURNAMES = [
    stem + ending
    for stem in ("ศรี", "ทอง", "แก้ว", "บุญ", "ชัย", "สุข", "พรหม", "อินทร", "เพชร", "จันทร์", "รักษ์", "วงศ์")
    for ending in ("สุข", "ดี", "มณี", "เรือง", "มงคล", "สวัสดิ์", "เกษม", "รัตน์", "หอม", "ประเสริฐ", "สุวรรณ", "ใหญ่")
]
TITLES = ["", "นาย", "นาย ", "คุณ", "ผญบ."]
LOOK_ALIKE = {"ด": "ต", "บ": "ป", "ศ": "ส", "ณ": "น", "ภ": "ถ", "ข": "ช"}


def make_typo(word: str, rng: random.Random) -> str:
    """One slip: a look-alike letter where there is one, else a dropped letter."""
    spots = [i for i, c in enumerate(word) if c in LOOK_ALIKE]
    if spots:
        i = rng.choice(spots)
        return word[:i] + LOOK_ALIKE[word[i]] + word[i + 1:]
    i = rng.randrange(1, len(word))
    return word[:i] + word[i + 1:]


def generate_rosters(n_persons: int, seed: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """Persons with 1-4 roster lines each: varied titles, 1 surname in 5 misspelt, phones
    on 60 % of lines, tambon on 70 % (else district only). Returns the table and the truth."""
    rng = random.Random(seed)
    records, truth = [], {}
    districts = ["8001", "8002", "8003", "8004"]
    for person in range(n_persons):
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        district = rng.choice(districts)
        tambon = f"{district}{rng.randrange(1, 9):02d}"
        phone = f"08{rng.randrange(10**8):08d}"
        org = f"O{rng.randrange(10)}"
        for line in range(rng.randint(1, 4)):
            surname = make_typo(last, rng) if rng.random() < 0.2 else last
            place = {"district_code": district, "province_code": "80"}
            if rng.random() < 0.7:
                place["tambon_code"] = tambon
            extra = {**place, "org_id": org if rng.random() < 0.5 else f"O{rng.randrange(10)}"}
            if rng.random() < 0.6:
                extra["phone"] = phone
            record_id = f"p{person}-{line}"
            records.append((record_id, f"S{line}", f"{rng.choice(TITLES)}{first} {surname}", extra))
            truth[record_id] = person
    return rows(*records), truth


def pairwise_precision_recall(persons: pd.DataFrame, truth: dict[str, int]) -> tuple[float, float]:
    """Precision and recall over record pairs (Christen 2012, ch. 7)."""
    predicted = {
        tuple(sorted(p)) for _, g in persons.groupby("person_id") for p in itertools.combinations(g["record_id"], 2)
    }
    by_person: dict[int, list[str]] = {}
    for record_id, person in truth.items():
        by_person.setdefault(person, []).append(record_id)
    true = {tuple(sorted(p)) for ids in by_person.values() for p in itertools.combinations(ids, 2)}
    hits = len(predicted & true)
    return hits / max(len(predicted), 1), hits / max(len(true), 1)


def test_quality_on_generated_rosters_meets_the_floors():
    # 150 persons drawn from 30 first names x 144 surnames in 4 districts: a village whose
    # names repeat, the hard case. Floors: precision 0.98 (the project's target) and recall
    # 0.80, and every true pair the model leaves apart is in the review queue.
    # Why recall 0.80 and not the 0.90 of the fixed weights: this table itself shows that
    # a full name is shared by chance (u of a first name about 1/30, of a surname 1/144:
    # 12 bits for both), and a random pair is one person about 1 time in 190 (375 lines,
    # 375 true pairs): a full name with only the district in common is then worth about
    # 12 + 2 = 14 bits before the m of the names (Bayes by hand: odds 4,320 x 4 / 190 = 91,
    # a posterior of 0.99), less after them, at the threshold of 13.7 bits (0.98): the pairs
    # it leaves apart score 11.6 to 13.7 bits, posteriors 0.92 to 0.98.
    # Those pairs are right to go to review, not to merge; the fixed weights (surname u 1 in
    # 3,000 whatever the data) merged them with false confidence. Measured (seeds 11, 1, 2,
    # 3): precision 1.000, recall 0.855, 0.846, 0.894, 0.851; with every listed review pair
    # confirmed, recall 1.000, 0.998, 1.000, 1.000.
    people, truth = generate_rosters(150, seed=11)
    result = resolve_people(people)
    precision, recall = pairwise_precision_recall(result.persons, truth)
    assert precision >= 0.98
    assert recall >= 0.80
    person = result.persons.set_index("record_id")["person_id"]
    listed = {frozenset((person[a], person[b])) for a, b in zip(result.review["record_a"], result.review["record_b"])}
    missed = {frozenset((person[a], person[b])) for a, b in itertools.combinations(truth, 2)
              if truth[a] == truth[b] and person[a] != person[b]}
    assert missed <= listed


def test_order_by_texts_is_the_stable_sort_of_pandas():
    # Thai, Latin, digits, empty texts and ties in every column; pandas' stable sort is the reference.
    rng = random.Random(7)
    words = ["", "ก", "กข", "ข", "a", "B", "1", "สมชาย", "สมชัย"]
    frame = pd.DataFrame({c: [rng.choice(words) for _ in range(300)] for c in ("x", "y", "z")})
    expected = frame.sort_values(["x", "y", "z"], kind="stable").index.tolist()
    assert order_by_texts(frame["x"], frame["y"], frame["z"]).tolist() == expected
    # A first column tied on a few rows only (as the records' keys): the later columns are
    # ranked on those rows alone, and the order is still pandas'.
    frame["x"] = [f"k{i // 2}" if i < 20 else f"k{i}" for i in range(300)]
    expected = frame.sort_values(["x", "y", "z"], kind="stable").index.tolist()
    assert order_by_texts(frame["x"], frame["y"], frame["z"]).tolist() == expected
    assert order_by_texts(frame["x"].tolist(), frame["y"].to_numpy(dtype=object), frame["z"]).tolist() == expected
    assert rank_texts(["ข", "ก", "", "ก"]).tolist() == [2, 1, 0, 1]


def test_one_very_long_cell_does_not_make_ranking_texts_take_gigabytes():
    # 5,000 names and one cell at Excel's 32,767-character limit: padded to fixed width, the
    # names would take 5,001 × 32,767 × 4 bytes (655 MB); sorted as Python strings, a few MB.
    import tracemalloc

    texts = [f"ชื่อ{i:05d}" for i in range(5000)] + ["ก" * 32_767]
    tracemalloc.start()
    ranks = rank_texts(texts)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50_000_000
    rank_of = {text: rank for rank, text in enumerate(sorted(set(texts)))}
    assert ranks.tolist() == [rank_of[t] for t in texts]


# --- issue 14: learned weights, safeguards, places, blocking, review ----------------------


def test_a_short_first_name_one_slip_apart_joins_when_surname_phone_and_tambon_agree():
    # ธนพล/ธนพ (a dropped last letter) and ขจร/ชจร (look-alike first letter) were vetoed as
    # "different first names". Now: one typo apart (+4.1) or short and one letter apart
    # (0.0), with surname (+11.5), phone (+10.6) and tambon (+6.1): far above 21 bits.
    for first_a, first_b in (("ธนพล", "ธนพ"), ("ขจร", "ชจร")):
        people = rows(
            ("r1", "A", f"คุณ {first_a} นิลประเสริฐวัฒน์", {"phone": "0812345678", **TAMBON}),
            ("r2", "B", f"คุณ{first_b} นิลประเสริฐวัฒน์", {"phone": "0812345678", **TAMBON}),
        )
        assert same_person(resolve_people(people), "r1", "r2"), first_b


def test_parent_and_child_sharing_surname_phone_and_tambon_stay_two_people():
    # Father สมศักดิ์ and son ณัฐวุฒิ: first names clearly different (vetoed) whatever else agrees.
    people = rows(
        ("r1", "A", "นายสมศักดิ์ ทองดี", {"phone": "0812345678", "org_id": "O1", **TAMBON}),
        ("r2", "B", "นายณัฐวุฒิ ทองดี", {"phone": "0812345678", "org_id": "O1", **TAMBON}),
        ("r3", "C", "นาย ณัฐวุฒิ ทองดี", {"phone": "0812345678", **TAMBON}),
    )
    result = resolve_people(people)
    assert not same_person(result, "r1", "r2") and same_person(result, "r2", "r3")


def test_namesakes_in_two_districts_with_other_phones_stay_two_people_in_a_large_table():
    # Two สมชาย ใจดี with different phones in different districts, among 300 other people:
    # with learned weights the contradiction (phone -, other district -) keeps them apart.
    others = [(f"o{i}", "X", f"คน{i:03d} สกุล{i:03d}ดี", {"phone": f"08{i:08d}", **TAMBON}) for i in range(300)]
    people = rows(
        ("r1", "A", "นายสมชาย ใจดี", {"phone": "0811111111", **TAMBON}),
        ("r2", "B", "นายสมชาย ใจดี", {"phone": "0822222222", **OTHER_DISTRICT}),
        *others,
    )
    assert not same_person(resolve_people(people), "r1", "r2")


def test_equal_national_ids_decide_and_different_ones_veto():
    # The ingest stage writes national_id as 13 digits when its check digit is valid, else ''.
    decided = rows(
        ("r1", "A", "นายสมชาย ใจดี", {"national_id": "1101700203451"}),
        ("r2", "B", "นายต้น ใจดี", {"national_id": "1101700203451", **OTHER_DISTRICT}),
    )
    assert same_person(resolve_people(decided), "r1", "r2")
    vetoed = rows(
        ("r1", "A", "นายสมชาย ใจดี", {"national_id": "1101700203451", "phone": "0812345678", **TAMBON}),
        ("r2", "B", "นายสมชาย ใจดี", {"national_id": "3100600123457", "phone": "0812345678", **TAMBON}),
    )
    result = resolve_people(vetoed)
    assert not same_person(result, "r1", "r2")
    assert "national ids differ" in result.pairs["evidence"].iloc[0]
    blank = vetoed.assign(national_id=["1101700203451", ""])
    assert same_person(resolve_people(blank), "r1", "r2")


def test_an_ambiguous_tambon_name_is_compared_with_each_of_its_candidates():
    # Sa Kaeo has two ต.หนองแวง (270507, 270803); a line without a district cannot be
    # resolved, yet one candidate is the other line's tambon (issue 14's ผญบ.จำเนียร).
    people = rows(
        ("r1", "A", "ผญบ.จำเนียร คำสวัสดิ์", {"province_code": "27", "tambon": "ตำบลหนองแวง"}),
        ("r2", "B", "ผู้ใหญ่จำเนียร คำสวัสดิ์", {"tambon_code": "270507", "district_code": "2705",
                                                 "province_code": "27"}),
    )
    records = build_features(people)
    assert sorted(records["tambon_candidates"]) == ["", "270507|270803"]
    result = resolve_people(people)
    assert "tambon among the candidates" in result.pairs["evidence"].iloc[0]
    assert same_person(result, "r1", "r2")


def test_a_surname_slip_on_lines_without_a_place_is_still_compared():
    # Neither line has a place, so no district rule applies; the slip changes the surname's
    # sound key. "first name sound and surname initial" brings them together.
    people = rows(("r1", "A", "นายบุญเลิศ ชำนาญเงินดำรง", {}), ("r2", "B", "นายบุญเลิศ ชำนาญเงินตำรง", {}))
    a, b = find_candidate_pairs(build_features(people))
    assert len(a) == 1


def test_the_review_lists_no_pair_already_joined_and_each_two_persons_once():
    people = rows(
        # r1+r2 one person by phone; r3 a near miss of both: listed once, r1-r2 never.
        ("r1", "A", "นายสมชาย ใจดี", {"phone": "0811111111", "org_id": "O1", **TAMBON}),
        ("r2", "B", "นายสมชาย ใจดี", {"phone": "0811111111", "org_id": "O2", **TAMBON}),
        ("r3", "C", "นายสมชาย ใจดี", {"org_id": "O3", **OTHER_DISTRICT}),
    )
    result = resolve_people(people)
    assert same_person(result, "r1", "r2")
    review = result.review
    assert len(review) == 1
    assert "r3" in set(review.iloc[0][["record_a", "record_b"]])


def test_learned_weights_are_recorded_for_run_json():
    people, _ = generate_rosters(60, seed=3)
    parameters = resolve_people(people).parameters
    place = parameters["levels"]["place"]
    assert list(place) == ["same tambon", "tambon among the candidates of an ambiguous name",
                           "same district, tambon unknown on one", "same district, other tambon",
                           "same province, district unknown on one", "same province, other district",
                           "other province"]
    assert {"m", "u", "bits"} <= set(place["same tambon"])
    assert parameters["merge_min_bits"] > 0 and parameters["n_random_pairs"] > 0
    assert "first name" in parameters["learned"] and "national id" not in parameters["learned"]


def test_the_review_puts_the_decision_with_most_organisations_at_stake_first():
    # Both near misses have the same evidence (exact names, another district, another
    # organisation), so the same score; สมชาย ใจดี's would join three organisations
    # (O1, O2 of the person already joined by phone, and O3), บุญมา ทองใบ's two.
    people = rows(
        ("r1", "A", "นายสมชาย ใจดี", {"phone": "0811111111", "org_id": "O1", **TAMBON}),
        ("r2", "B", "นายสมชาย ใจดี", {"phone": "0811111111", "org_id": "O2", **TAMBON}),
        ("r3", "C", "นายสมชาย ใจดี", {"org_id": "O3", **OTHER_DISTRICT}),
        ("r4", "A", "นายบุญมา ทองใบ", {"org_id": "O4", **TAMBON}),
        ("r5", "A", "นายบุญมา ทองใบ", {"org_id": "O5", **OTHER_DISTRICT}),
    )
    review = resolve_people(people).review
    assert len(review) == 2 and review["score"].nunique() == 1
    assert "r3" in set(review.iloc[0][["record_a", "record_b"]])
    assert set(review.iloc[1][["record_a", "record_b"]]) == {"r4", "r5"}


def organisations_in(**places) -> pd.DataFrame:
    """An organisations table: org_id -> a place dict such as TAMBON."""
    return pd.DataFrame([{"org_id": org, "name": org, "kind": "community_org", **place}
                         for org, place in places.items()])


def test_a_line_without_a_place_is_compared_by_its_organisations_place():
    # Neither line gives a place. The same rare name alone is 20.3 bits < 21 (prior
    # weights); the rosters' organisations in one tambon add log2(0.5 / 0.01) = +5.6 by the
    # prior (+5.1 once the table's one random pair, in one tambon, is counted in u): one
    # person. Organisations in two districts add log2(0.2 / 0.89) = -2.2 (-2.1 learned): apart.
    people = rows(("r1", "A", "นายสำราญ กองคำ", {"org_id": "O1"}), ("r2", "B", "นายสำราญ กองคำ", {"org_id": "O2"}))
    together = resolve_people(people, organisations_in(O1=TAMBON, O2=TAMBON))
    assert same_person(together, "r1", "r2")
    assert "organisation's place same tambon +5.1" in together.pairs.at[0, "evidence"]
    apart = resolve_people(people, organisations_in(O1=TAMBON, O2=OTHER_DISTRICT))
    assert not same_person(apart, "r1", "r2")
    assert "organisation's place other district -2.1" in apart.pairs.at[0, "evidence"]


def test_a_line_that_gives_its_own_district_is_not_compared_by_its_organisation():
    # Both lines give their district: the place comparison says it (same district, tambon
    # unknown on one +2.3); the organisations' places are not counted a second time.
    people = rows(("r1", "A", "นายสำราญ กองคำ", {"org_id": "O1", **TAMBON}),
                  ("r2", "B", "นายสำราญ กองคำ", {"org_id": "O2", "district_code": "8001", "province_code": "80"}))
    result = resolve_people(people, organisations_in(O1=TAMBON, O2=TAMBON))
    assert "organisation's place" not in result.pairs.at[0, "evidence"]


def test_em_is_fitted_on_the_pairs_the_model_may_merge():
    # Couples (one surname, one house phone, one tambon; another first name, another
    # gender) are never merged, and fitted with the rest they taught EM that one person's
    # lines disagree on gender one time in ten. The never-merged levels keep their prior m.
    people, _ = generate_rosters(150, seed=11)
    couples = people.iloc[:40].copy()
    couples["record_id"] = couples["record_id"] + "-spouse"
    couples["name"] = ["นางมะลิวัลย์ " + name.split(" ")[-1] for name in couples["name"]]
    levels = resolve_people(pd.concat([people, couples], ignore_index=True)).parameters["levels"]
    assert levels["titles"]["disagree on gender"]["m"] == 0.01
    assert levels["first name"]["different"]["m"] == 0.02


def test_a_line_that_names_no_organisation_is_placed_by_its_lists_organisation():
    # r1 is on list A, whose other line names OA (in TAMBON): OA's district and tambon stand
    # in for r1's place. List C names organisations of two districts, list P one without a
    # district (a province's network): their silent lines stay unplaced; r4 gives its own
    # district and is compared by it.
    people = rows(("a1", "A", "นายบุญมา ทองใบ", {"org_id": "OA"}), ("r1", "A", "นายสำราญ กองคำ", {}),
                  ("c1", "C", "นางมาลี ศรีสุข", {"org_id": "OA"}), ("c2", "C", "นายสิน แก้วดี", {"org_id": "OC"}),
                  ("r2", "C", "นายสมพร ทองดี", {}),
                  ("p1", "P", "นางสุดา ชัยมงคล", {"org_id": "OP"}), ("r3", "P", "นายอำนาจ บุญมณี", {}),
                  ("r4", "A", "นายเฉลิม แก้วหอม", {"district_code": "8005", "province_code": "80"}))
    organisations = organisations_in(OA=TAMBON, OC=OTHER_DISTRICT, OP={"province_code": "80"})
    places = build_features(people, organisations).set_index("record_id")[["org_district", "org_tambon"]]
    assert places.loc["r1"].tolist() == ["8001", "800101"]
    assert places.loc[["r2", "r3", "r4"]].to_numpy().tolist() == [["", ""]] * 3


@pytest.mark.parametrize("name, alone", [("นายสมชาย ศรีสุข", False), ("นายสำราญ กองคำ", True)])
def test_name_only_lines_are_joined_or_kept_apart_by_their_lists_organisations(name, alone):
    # Two lines with one name and nothing else, each on a list whose other line names its
    # organisation, among the 150 generated persons (threshold learned: 13.8 bits). สมชาย
    # and ศรีสุข are common there: the name alone is 11.8 bits, apart; the lists'
    # organisations in one tambon add +7.5 (learned): one person. สำราญ กองคำ is carried by
    # nobody else: 14.4 bits alone, one person; organisations in two districts take -2.1
    # (12.3 bits): two. A third line of that name on a list that names no organisation
    # matches both (14.4 bits) but does not chain them: they contradict each other.
    background, _ = generate_rosters(150, seed=11)

    def resolve(place_b, *extra):
        people = pd.concat([background, rows(
            ("a1", "A", "นายบุญมา ทองใบ", {"org_id": "OA"}), ("r1", "A", name, {}),
            ("b1", "B", "นางมาลี ศรีสุข", {"org_id": "OB"}), ("r2", "B", name, {}), *extra)], ignore_index=True)
        return resolve_people(people, organisations_in(OA=TAMBON, OB=place_b) if place_b else None)

    assert same_person(resolve(None), "r1", "r2") == alone
    assert same_person(resolve(TAMBON), "r1", "r2")
    apart = resolve(OTHER_DISTRICT, ("r3", "Z", name, {}))
    assert not same_person(apart, "r1", "r2")
    assert "organisation's place other district -2.1" in apart.pairs.set_index(["record_a", "record_b"]).at[
        ("r1", "r2"), "evidence"]
