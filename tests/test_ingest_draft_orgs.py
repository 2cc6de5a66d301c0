"""analysis/ingest/draft_orgs.py: organisations drafted from names (kinds from DOMAIN.md)."""

from analysis.ingest.draft_orgs import Mention, draft_organisations, find_known_names, infer_kind


def test_kinds_and_parents_from_thai_names():
    assert infer_kind("เทศบาลตำบลวังน้ำเย็น")[:2] == ("local_government", None)
    assert infer_kind("ธ.ก.ส. สาขาวังน้ำเย็น")[:2] == ("agency", "N-BAAC")
    assert infer_kind("สำนักงานพัฒนาชุมชนจังหวัดสระแก้ว")[:2] == ("agency", "N-CDD")
    assert infer_kind("กองทุนหลักประกันสุขภาพ อบต.คลองหินปูน")[:2] == ("fund", "N-NHSO")
    assert infer_kind("กลุ่มออมทรัพย์บ้านหนองปรือ")[:2] == ("community_org", None)
    assert infer_kind("เครือข่ายสวัสดิการชุมชนจังหวัดสระแก้ว")[:2] == ("network", None)


def test_the_users_table_wins_and_uncertain_names_are_not_drafted():
    known = [{"org_id": "SAO1", "name": "องค์การบริหารส่วนตำบลคลองหินปูน", "aliases": None}]
    mentions = [Mention("อบต.คลองหินปูน", "a.csv row 2"), Mention("กลุ่มฯ", "a.csv row 3"),
                Mention("T000000-CC", "a.csv row 4"), Mention("สสส.", "a.csv row 5"), Mention("สสส", "a.csv row 6")]
    drafted = draft_organisations(mentions, known)
    # อบต. is the user's; กลุ่มฯ is cut short; T000000-CC is an id; สสส. twice is one agency.
    assert [(r["org_id"], r["kind"]) for r in drafted] == [("N-THAIHEALTH", "fund")]
    assert drafted[0]["evidence"].endswith("named 2 times")


def test_a_drafted_office_under_an_agency_the_user_holds_points_at_the_users_id():
    known = [{"org_id": "MSDHS", "name": "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์", "aliases": "พม."}]
    drafted = draft_organisations([Mention("พมจ.สระแก้ว", "a.csv row 2")], known)
    assert [(r["name"], r["parent_id"]) for r in drafted] == [("พมจ.สระแก้ว", "MSDHS")]


def test_leaving_out_the_names_the_users_table_holds_drafts_what_keying_every_name_drafts():
    # By hand: the table's name and its id (in normal form) are left out, a name keyed alike
    # (อบต. written short) and an id with a blank around it are still keyed and matched;
    # what is drafted is the same as when no name is left out.
    known = [{"org_id": "SAO1", "name": "องค์การบริหารส่วนตำบลคลองหินปูน"}, {"org_id": " SAO2", "name": "กลุ่มออมทรัพย์"}]
    assert find_known_names(known) == {"SAO1", "องค์การบริหารส่วนตำบลคลองหินปูน", "กลุ่มออมทรัพย์"}
    mentions = [Mention("องค์การบริหารส่วนตำบลคลองหินปูน", "a.csv row 2"), Mention("อบต.คลองหินปูน", "a.csv row 3"),
                Mention("SAO1", "a.csv row 4"), Mention(" SAO2", "a.csv row 5"), Mention("พมจ.สระแก้ว", "a.csv row 6"),
                Mention("พมจ. สระแก้ว", "a.csv row 7")]
    drafted = draft_organisations(mentions, known)
    assert drafted == draft_organisations(mentions, known, known_names=set())
    assert [r["name"] for r in drafted] == ["กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์", "พมจ.สระแก้ว"]
