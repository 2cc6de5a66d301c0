"""Public output names only people with a public role and drops record-level tables."""

import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analysis import privacy
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
    assert tables["hats"]["person_name"].tolist() == ["สมชาย", "กำนันสมศรี"]  # inputs untouched
    assert tables["quarantine"]["value"].tolist() == ["081-234-5678"]


def test_mask_tables_hides_a_contact_in_every_row_that_repeats_it():
    # Each distinct text is searched once; every row holding it must still be hidden, and
    # the cells around it (none, numbers, digits too few for a phone) kept as they are.
    note = "ประธาน โทร 081-234-5678"
    table = pd.DataFrame({"note": [note, None, "ปี 2567-2568", note, 12.5, note]})
    masked = mask_tables({"t": table}, set())["t"]["note"].tolist()
    hidden = f"ประธาน โทร {HIDDEN}"
    assert masked[0] == masked[3] == masked[5] == hidden
    assert masked[1] is None and masked[2] == "ปี 2567-2568" and masked[4] == 12.5
    assert table["note"].tolist()[0] == note


def test_only_the_columns_that_change_come_back_and_make_the_masked_table():
    # What a forked process masking a table sends back (pipeline.hide_personal_data): the
    # name column (one private person) and the note with a phone; not the ids, nor the
    # role with nothing to hide, nor the counts.
    import pickle

    table = pd.DataFrame({"person_id": ["P-1", "P-2"], "person_name": ["สมชาย", "กำนันสมศรี"],
                          "role": ["กรรมการ", "กำนัน"], "note": ["โทร 081-234-5678", None], "n_agencies": [2, 3]})
    replaced = privacy.find_masked_columns("hats", table, {"P-2"})
    assert list(replaced) == ["person_name", "note"]
    sent_back = pickle.loads(pickle.dumps(replaced))
    masked = privacy.replace_columns(table, sent_back)
    assert masked.equals(mask_tables({"hats": table}, {"P-2"})["hats"])
    assert masked["note"].tolist()[0] == f"โทร {HIDDEN}" and masked["person_name"].tolist()[1] == "กำนันสมศรี"
    assert table["note"].tolist()[0] == "โทร 081-234-5678"  # the input untouched

def test_office_titles_of_real_rosters_are_public_roles():
    # Titles as real rosters write them (docs/privacy.md lists them); the last three hold
    # no office: a committee member, a member and a village health volunteer stay hidden.
    from analysis.network import find_public_people

    roles = ["ผอ.รพ.สต.บ้านกลาย", "ผู้อำนวยการโรงเรียนบ้านนา", "ผอ. รร.วัดใหม่", "ผู้ใหญ่บ้าน หมู่ 3", "ผญบ.ม.5",
             "กำนันตำบลกลาย", "นายก อบต.กลาย", "ส.อบต. ม.2", "ปลัดอำเภอ", "หัวหน้าสถานีอนามัย", "สาธารณสุขอำเภอท่าศาลา",
             "พัฒนาการอำเภอ", "รองประธาน", "Headmaster",
             "กรรมการ", "สมาชิก", "อสม."]
    people = pd.DataFrame({"record_id": [f"r{i}" for i in range(len(roles))], "org_id": None, "role": roles})
    organisations = pd.DataFrame({"org_id": pd.Series([], dtype=object), "kind": pd.Series([], dtype=object),
                                  "parent_id": pd.Series([], dtype=object)})
    is_public = find_public_people(people, organisations).tolist()
    assert is_public == [True] * 14 + [False] * 3


# ---------------------------------------------------------------- the search for numbers
#
# The search as it was before each distinct digit run was remembered (privacy.py at commit
# 81e66d8): whole-text positions, every run searched in every text, the run found by a
# pattern without its leading lookahead, nine digits sought from every digit.
OLD_DIGIT_RUN = re.compile(r"(?<![A-Za-z0-9๐-๙])\+?\(?[0-9๐-๙]+(?:[\s.\-\u2010-\u2015()]{1,3}[0-9๐-๙]+)*")
OLD_NINE_DIGITS = re.compile(r"(?:[0-9๐-๙][^0-9๐-๙]*){8}[0-9๐-๙]")


def find_numbers_searching_every_text(text, lost_zero=False):
    found = []
    for run in OLD_DIGIT_RUN.finditer(text):
        if run.end() - run.start() < privacy.MIN_DIGITS:
            continue
        groups = [(m.start() + run.start(), m.end() + run.start(), m.group().translate(privacy.THAI_DIGITS))
                  for m in privacy.DIGIT_GROUP.finditer(run.group())]
        if sum(len(group[2]) for group in groups) < privacy.MIN_DIGITS:
            continue
        first = 0
        while first < len(groups):
            hit = privacy._longest_number(groups, first, first == 0 and text[run.start()] == "+", lost_zero)
            if hit is None:
                first += 1
                continue
            last, kind, digits = hit
            found.append((run.start() if first == 0 else groups[first][0], groups[last][1], kind, digits))
            first = last + 1
    return found


# Pieces that make numbers, near-numbers and non-numbers when run together: phones as typed
# (Thai digits, +66 with and without its 0, 0066, brackets, dashes), periods and dates,
# national ids, amounts, person ids that spell a phone, e-mail addresses, and the letters,
# blanks and punctuation that end a run or join two.
NUMBER_PIECES = st.sampled_from([
    "081-234-5678", "๐๘-๑๒๓๔-๕๖๑๐", "+66 (0)81 234 5606", "+66812345678", "0066812345678", "02 123 4615",
    "812345678", "21234615", "2022-08..2023-03", "2567-01-15", "1-2345-67890-12-3", "1234567890123",
    "0234567890123", "+1234567890123", "300000", "P-0812345678", "P-fe06519959", "สมชาย.a4@ตัวอย่าง.ไทย", "a.b@x.co.th",
    "0", "8", "๘", "66", "+", "(", ")", " ", "  ", "-", "–", ".", "..", ", ", "โทร ", "abc", "x", "ก", "\n",
])


@given(st.lists(NUMBER_PIECES, max_size=10).map("".join)
       | st.text(alphabet="0123456789๐๑๘+()- .–aก@", max_size=40))
def test_remembered_digit_runs_find_what_searching_every_text_finds(text):
    # Hypothesis runs hundreds of texts in this process, so most runs are found in the
    # cache, put there by another text at another position.
    for lost_zero in (False, True):
        assert privacy._find_numbers(text, lost_zero) == find_numbers_searching_every_text(text, lost_zero)
        assert privacy._find_numbers(text + " " + text, lost_zero) == find_numbers_searching_every_text(
            text + " " + text, lost_zero)
    assert (privacy.NINE_DIGITS.match(text) is None) == (OLD_NINE_DIGITS.search(text) is None)


def test_a_period_repeated_in_many_texts_is_searched_once():
    # 2022-08..2023-03 is one run of twelve digits (DIGIT_RUN), in every text at another place.
    privacy._find_numbers_in_run.cache_clear()
    texts = [f"{'x' * k} periods 2022-08..2023-03 and 2025-03..2026-04 โทร 081-234-5678" for k in range(50)]
    phones = [[(text.index("081"), text.index("081") + len("081-234-5678"))] for text in texts]
    assert [privacy.find_contacts(text) for text in texts] == phones
    info = privacy._find_numbers_in_run.cache_info()
    assert (info.misses, info.hits) == (3, 147)  # three distinct runs, in 50 texts
