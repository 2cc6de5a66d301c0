"""Organisation names as written matched to org_ids (analysis.resolve.organisations).

The organisations are real Thai bodies from the glossary (DOMAIN.md) with their usual
abbreviations; each expected match is what a Thai planner would read the name as.
"""

import pandas as pd
import pytest

from analysis.resolve.organisations import FUZZY_MIN, OrgMatcher, compute_org_key

ORGANISATIONS = pd.DataFrame(
    {
        "org_id": ["BAAC", "CODI", "THAIHEALTH", "NHSO", "SAO-NA", "SAO-NAMAI", "CDD-SK", "PSO-SK", "PSO-NS"],
        "name": [
            "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร",
            "สถาบันพัฒนาองค์กรชุมชน",
            "สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ",
            "สำนักงานหลักประกันสุขภาพแห่งชาติ",
            "องค์การบริหารส่วนตำบลบ้านนา",
            "องค์การบริหารส่วนตำบลบ้านนาใหม่",
            "สำนักงานพัฒนาชุมชนจังหวัดสระแก้ว",
            "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดสระแก้ว",
            "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดนครศรีธรรมราช",
        ],
        "kind": ["fund", "agency", "fund", "fund", "local_government", "local_government", "agency", "agency", "agency"],
        "aliases": ["ธ.ก.ส.|BAAC", "พอช.|CODI", "สสส.|ThaiHealth", "สปสช.|NHSO", "", None, "พช.สระแก้ว", "พมจ.", "พมจ."],
    }
)


@pytest.fixture(scope="module")
def matcher():
    return OrgMatcher(ORGANISATIONS)


@pytest.mark.parametrize(
    "written, org_id",
    [
        ("ธ.ก.ส.", "BAAC"),  # alias with dots
        ("ธกส", "BAAC"),  # same alias without dots
        ("ธ.ก.ส", "BAAC"),  # a dot forgotten
        ("BAAC", "BAAC"),
        ("baac", "BAAC"),  # Latin letters in any case
        ("พอช", "CODI"),
        ("กองทุนสนับสนุนการสร้างเสริมสุขภาพ", "THAIHEALTH"),  # without สำนักงาน
        ("อบต.บ้านนา", "SAO-NA"),  # the usual short form of องค์การบริหารส่วนตำบล
        ("อบต. บ้านนาใหม่", "SAO-NAMAI"),
        ("พัฒนาชุมชน จ.สระแก้ว", "CDD-SK"),  # จ. for จังหวัด, สำนักงาน left out
        ("สถาบันพัฒนาองค์กรชุมน", "CODI"),  # a letter dropped
        ("ธนาคารเพื่อการเกษตรและสหกรณ์การเกศตร", "BAAC"),  # look-alike ศ for ษ
    ],
)
def test_names_aliases_abbreviations_and_typos_find_their_organisation(matcher, written, org_id):
    match = matcher.match(written)
    assert match.org_id == org_id, match.evidence


def test_an_exact_match_scores_100_and_a_typo_less(matcher):
    assert matcher.match("ธกส").score == 100.0
    typo = matcher.match("สถาบันพัฒนาองค์กรชุมน")
    assert FUZZY_MIN <= typo.score < 100.0
    assert "typo" in typo.evidence


def test_a_name_two_organisations_share_is_not_guessed(matcher):
    match = matcher.match("พมจ.")  # the alias of every provincial MSDHS office
    assert match.org_id is None
    assert "ambiguous" in match.evidence and "PSO-SK" in match.evidence and "PSO-NS" in match.evidence


def test_a_short_abbreviation_one_letter_off_is_not_matched(matcher):
    # สสส (ThaiHealth) vs สปสช (NHSO): too short to trust a typo match.
    assert matcher.match("สสสส").org_id is None


def test_a_different_place_one_word_longer_is_not_matched(matcher):
    # บ้านนาเหนือ is neither บ้านนา nor บ้านนาใหม่.
    assert matcher.match("อบต.บ้านนาเหนือ").org_id is None


def test_ids_and_numbers_never_match_with_a_typo():
    orgs = pd.DataFrame({
        "org_id": ["T270101-CC", "G2"],
        "name": ["สภาองค์กรชุมชนตำบลศาลาลำดวน", "กลุ่มออมทรัพย์เพื่อการผลิตบ้านทุ่งเจริญ หมู่ 2"],
    })
    matcher = OrgMatcher(orgs)
    assert matcher.match("T270101-CC").org_id == "T270101-CC"  # an id in other case or form
    assert matcher.match("T270102-CC").org_id is None  # another tambon's council
    assert matcher.match("กลุ่มออมทรัพย์เพื่อการผลิตบ้านทุ่งเจริญ หมู่ 3").org_id is None
    assert matcher.match("กลุ่มออมทรัพย์เพื่อการผลิตบ้านทุ่งเจรีญ หมู่ 2").org_id == "G2"


def test_an_unknown_name_gives_none_with_the_closest_candidate(matcher):
    match = matcher.match("มูลนิธิชุมชนไท")
    assert match.org_id is None
    assert "closest" in match.evidence or "no organisation" in match.evidence


def test_missing_text_gives_none(matcher):
    assert matcher.match("").org_id is None
    assert matcher.match(None).org_id is None


def decisions(*rows) -> pd.DataFrame:
    return pd.DataFrame([{"kind": k, "a": a, "b": b, "decision": d, "note": ""} for k, a, b, d in rows])


def test_a_same_decision_wins_over_the_model():
    decided = decisions(("organisation", "กลุ่มออมทรัพย์ฯ บ้านนา", "SAO-NA", "same"))
    match = OrgMatcher(ORGANISATIONS, decided).match("กลุ่มออมทรัพย์ฯ บ้านนา")
    assert match.org_id == "SAO-NA" and "reviewer" in match.evidence


def test_a_different_decision_removes_that_organisation():
    decided = decisions(("organisation", "พมจ.", "PSO-NS", "different"))
    # With the Nakhon Si Thammarat office ruled out, พมจ. can only be the Sa Kaeo one.
    assert OrgMatcher(ORGANISATIONS, decided).match("พมจ.").org_id == "PSO-SK"
    decided = decisions(("organisation", "ธกส", "BAAC", "different"))
    assert OrgMatcher(ORGANISATIONS, decided).match("ธ.ก.ส.").org_id is None


def test_decisions_of_other_kinds_are_ignored():
    decided = decisions(("person", "ธกส", "CODI", "same"))
    assert OrgMatcher(ORGANISATIONS, decided).match("ธกส").org_id == "BAAC"


def test_org_keys_ignore_dots_spaces_case_and_the_office_prefix():
    assert compute_org_key("ธ. ก. ส.") == compute_org_key("ธกส")
    assert compute_org_key("BAAC") == compute_org_key("baac")
    assert compute_org_key("สำนักงานหลักประกันสุขภาพแห่งชาติ") == compute_org_key("หลักประกันสุขภาพแห่งชาติ")
    assert compute_org_key("เทศบาลตำบลบ้านนา") == compute_org_key("ทต.บ้านนา")


def test_a_list_without_aliases_or_as_checked_text_matches_as_written():
    # The same organisations as text columns of the checked table (missing = NaN), and without aliases.
    checked = ORGANISATIONS.astype("str")
    assert OrgMatcher(checked).match("ธกส").org_id == "BAAC"
    assert OrgMatcher(checked).match("ธนาคารเพื่อการเกษตรและสหกรณ์การเกศตร").org_id == "BAAC"
    no_aliases = OrgMatcher(ORGANISATIONS.drop(columns="aliases"))
    assert no_aliases.match("ธกส").org_id is None and no_aliases.match("สถาบันพัฒนาองค์กรชุมน").org_id == "CODI"


def test_two_organisations_of_one_name_stay_two_however_often_the_name_is_keyed():
    # Two tambon councils named alike (the second written with องค์การบริหารส่วนตำบล): one key, both ids.
    orgs = pd.DataFrame({"org_id": ["A", "B", "C"], "name": ["อบต.บ้านนา", "องค์การบริหารส่วนตำบลบ้านนา", "อบต.บ้านนา"]})
    match = OrgMatcher(orgs).match("อบต บ้านนา")
    assert match.org_id is None and match.evidence == "ambiguous: fits A, B, C equally well"


def test_english_office_prefix_and_case_are_left_out_of_ascii_keys():
    assert compute_org_key("Office of the CODI") == compute_org_key("codi") == "codi"


def test_the_short_forms_are_thai_words_which_ascii_text_cannot_hold():
    # compute_org_key skips the short forms for ASCII text (a national list has many): that
    # is right only while every long form holds a letter outside ASCII.
    from analysis.resolve.organisations import SHORT_FORMS

    assert SHORT_FORMS and not any(long.isascii() for long in SHORT_FORMS)
