"""Organisations drafted from the names office files write (CONTRACT §1, v2).

When no organisations table is given, or it lacks an organisation a file names (a roster's
title, a หน่วยงาน column, a project's lead or funder), the tool drafts one: its kind from
Thai naming patterns (:data:`KIND_PATTERNS`), and, for the national agencies of community
development and their provincial offices and branches, the agency and its parent
(:data:`NATIONAL_AGENCIES`, :data:`BRANCH_PATTERNS`; DOMAIN.md and seeds 000–004). Every
drafted row says it was inferred and from what (``evidence``). The user's own table always
wins: a name it already matches is never drafted.

Ids: a national agency gets the code the bundled sample uses (``N-CODI``); any other drafted
organisation ``D-`` and eight hex digits of the SHA-1 of its comparable name
(:func:`analysis.resolve.organisations.compute_org_key`), so that the id stays the same when
files are added or reordered and reviewers' decisions about it survive.
"""

import hashlib
import re
from operator import itemgetter
from typing import NamedTuple

from analysis.ingest.normalise import normalise_text
from analysis.ingest.validate import is_code
from analysis.resolve.organisations import OrgMatcher, compute_org_key

DRAFT_COLUMNS = ("org_id", "name", "kind", "parent_id", "province", "district", "tambon", "aliases", "evidence")

#: The national bodies of community development (DOMAIN.md): id, name, kind, aliases.
NATIONAL_AGENCIES = (
    ("N-CODI", "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)", "agency", ("พอช.", "CODI")),
    ("N-MSDHS", "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์", "agency", ("พม.", "MSDHS")),
    ("N-CDD", "กรมการพัฒนาชุมชน", "agency", ("พช.", "CDD")),
    ("N-BAAC", "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร", "agency", ("ธ.ก.ส.", "BAAC")),
    ("N-MOPH", "กระทรวงสาธารณสุข", "agency", ("สธ.", "MOPH")),
    ("N-NHSO", "สำนักงานหลักประกันสุขภาพแห่งชาติ", "fund", ("สปสช.", "NHSO")),
    ("N-THAIHEALTH", "สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ", "fund", ("สสส.", "ThaiHealth")),
    ("N-NHCO", "สำนักงานคณะกรรมการสุขภาพแห่งชาติ", "agency", ("สช.", "NHCO")),
)

#: Offices and branches of national agencies, by name pattern: (pattern, kind, parent id).
#: Checked in order; the first that fits decides.
BRANCH_PATTERNS = (
    (r"^(?:สำนักงาน)?พัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด|^พมจ\.?", "agency", "N-MSDHS"),
    (r"^(?:สำนักงาน|สนง\.?\s*)?(?:พัฒนาชุมชน|พช\.?)\s*(?:จังหวัด|อำเภอ|จ\.|อ\.)", "agency", "N-CDD"),
    (r"^ธ\.?\s*ก\.?\s*ส\.?\s*\S|^ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร\s*\S", "agency", "N-BAAC"),
    (r"^(?:รพ\.?\s*สต\.?|โรงพยาบาลส่งเสริมสุขภาพตำบล|สสอ\.|สาธารณสุขอำเภอ|สสจ\.|สาธารณสุขจังหวัด)", "agency", "N-MOPH"),
    (r"^สปสช\.?\s*เขต|^สำนักงานหลักประกันสุขภาพแห่งชาติ\s*เขต", "fund", "N-NHSO"),
    (r"^กองทุนหลักประกันสุขภาพ", "fund", "N-NHSO"),
    (r"^สภาองค์กรชุมชน", "community_council", "N-CODI"),
)

#: Kinds from the first words of a name (DOMAIN.md glossary), checked in order.
KIND_PATTERNS = (
    (r"^(?:อบต\.?|องค์การบริหารส่วนตำบล|อบจ\.?|องค์การบริหารส่วนจังหวัด|เทศบาล|ทต\.|ทม\.|ทน\.)", "local_government"),
    (r"^(?:กองทุนสวัสดิการ|กลุ่ม|ชมรม|วิสาหกิจชุมชน|อสม\.?|อาสาสมัคร|ออมทรัพย์|สหกรณ์|ศูนย์.*ชุมชน|คณะกรรมการหมู่บ้าน|กม\.)", "community_org"),
    (r"^เครือข่าย", "network"),
    (r"^(?:มูลนิธิ|สมาคม)", "ngo"),
    (r"^(?:มหาวิทยาลัย|วิทยาลัย|ม\.\S|โรงเรียน|สถาบันการศึกษา)", "academic"),
    (r"^(?:บริษัท|บจก\.|หจก\.|ห้างหุ้นส่วน)", "private"),
    (r"^กองทุน", "fund"),
    (r"^(?:สำนักงาน|สนง\.|กรม|กระทรวง|ที่ว่าการอำเภอ|อำเภอ)", "agency"),
)
#: Local bodies named after their tambon: อบต.X and เทศบาลตำบล X work in tambon X.
_TAMBON_BODY = re.compile(r"^(?:อบต\.?|องค์การบริหารส่วนตำบล|เทศบาลตำบล|ทต\.)\s*([^\s,()]+)")
#: Provincial offices written with their province glued on: พมจ.X.
_PROVINCE_BODY = re.compile(r"^(?:สนง\.?\s*)?พมจ\.?\s*([^\s,()]+)")
# ต. after a letter is the end of an abbreviation (รพ.สต.), not a tambon.
_PLACE = {"tambon": re.compile(r"(?:ตำบล|(?<![\u0e01-\u0e4e])ต\.)\s*([^\s,()]+)"),
          "district": re.compile(r"(?:อำเภอ|(?<![\u0e01-\u0e4e])อ\.)\s*([^\s,()]+)"),
          "province": re.compile(r"(?:จังหวัด|(?<![\u0e01-\u0e4e])จ\.)\s*([^\s,()]+)")}


class Mention(NamedTuple):
    """An organisation named in a file: the name as written, where, and the place of the
    line that names it (province, district, tambon; None where not written). A named tuple:
    a national folder names organisations on hundreds of thousands of lines."""

    name: str
    where: str
    place: tuple = (None, None, None)


def infer_kind(name: str) -> tuple[str, str | None, str]:
    """(kind, parent id or None, evidence) for an organisation name.

    Examples
    --------
    >>> infer_kind("พมจ.สระแก้ว")[:2], infer_kind("อบต.คลองหินปูน")[:2], infer_kind("รพ.สต.บ้านหนองปรือ")[:2]
    (('agency', 'N-MSDHS'), ('local_government', None), ('agency', 'N-MOPH'))
    >>> infer_kind("กองทุนสวัสดิการชุมชนตำบลคลองหินปูน")[:2], infer_kind("ร้านค้าชุมชน")[:2]
    (('community_org', None), ('other', None))
    """
    text = name.strip()
    for pattern, kind, parent in BRANCH_PATTERNS:
        if match := re.search(pattern, text):
            return kind, parent, f"the name begins '{match.group(0).strip()}': {kind} under {parent}"
    for pattern, kind in KIND_PATTERNS:
        if match := re.search(pattern, text):
            return kind, None, f"the name begins '{match.group(0).strip()}': {kind}"
    return "other", None, "no name pattern fits: other"


def national_agency_ids() -> dict[str, str]:
    """comparable name or alias -> national agency id."""
    return {compute_org_key(w): org_id for org_id, name, _, aliases in NATIONAL_AGENCIES for w in (name, *aliases)}


def find_known_names(known: list[dict]) -> set[str]:
    """The names that no draft can have, as written: a known organisation's name, and its id
    when the id is already in normal form. The matcher finds that organisation by the name's
    key (or two, not for certain), and so it does for any name keyed alike.

    Examples
    --------
    >>> sorted(find_known_names([{"org_id": "O1", "name": "อบต.คลองหินปูน"}, {"name": "ไม่มีรหัส"}]))
    ['O1', 'อบต.คลองหินปูน']
    """
    ids = [row.get("org_id") for row in known]
    normal = list(map(normalise_text, ids))  # None for a blank id: the matcher leaves such a row out
    found = {name for name, n in zip((row.get("name") for row in known), normal) if n is not None and type(name) is str}
    found.update(i for i, n in zip(ids, normal) if n is not None and n == i and type(i) is str)
    return found


def draft_organisations(mentions: list[Mention], known: list[dict], known_names: set[str] | None = None) -> list[dict]:
    """The organisations to add to ``known`` (rows with org_id, name, aliases…) so that every
    mentioned name has one; national agencies that drafted offices hang under are added too.

    A name the known table matches (exactly, or with a typo, :class:`OrgMatcher`) is not
    drafted, nor one that fits two known organisations equally (the validator leaves that
    value blank and lists the candidates). Names with one comparable form are one draft.
    ``known_names``: :func:`find_known_names` of ``known``, when the caller has it.

    Examples
    --------
    >>> rows = draft_organisations([Mention("พมจ.สระแก้ว", "a.xlsx row 2"), Mention("พมจ. สระแก้ว", "b.csv row 3")], [])
    >>> [(r["org_id"], r["name"], r["kind"], r["parent_id"]) for r in rows]  # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    [('N-MSDHS', 'กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์', 'agency', None),
     ('D-...', 'พมจ.สระแก้ว', 'agency', 'N-MSDHS')]
    """
    matcher = LazyMatcher(known)
    # A name written exactly as a known organisation's name or id is that organisation (or
    # one of two: not for certain): never drafted, and no matcher is built for it.
    written = {str(row[column]) for row in known for column in ("org_id", "name") if row.get(column) is not None}
    # Nor is any name keyed as one of find_known_names: such names are left out before keying
    # (a national folder names tens of thousands, most of them known).
    known_names = find_known_names(known) if known_names is None else known_names
    mentions = [m for m in mentions if m.name not in known_names]
    national = national_agency_ids()
    # A national folder names a few thousand organisations in hundreds of thousands of lines:
    # each name is keyed, and matched, once.
    keys = {name: compute_org_key(name) for name in set(map(itemgetter(0), mentions))}
    places_by_key: dict[str, list[tuple]] = {}
    for mention in mentions:
        places_by_key.setdefault(keys[mention.name], []).append(mention.place)
    drafts: dict[str, dict] = {}
    not_drafted: set[str] = set()
    for mention in sorted(mentions, key=itemgetter(1, 0)):  # (where, name)
        key = keys[mention.name]
        if not key or key in drafts or mention.name in not_drafted or mention.name in written:
            if key in drafts:
                drafts[key]["_n"] += 1
            continue
        # An id that no table has is a broken reference, never a new organisation; a name cut
        # short with ฯ is not for certain: both are left to the validator, and need no matcher.
        if "ฯ" in mention.name or is_code(mention.name):
            not_drafted.add(mention.name)
            continue
        match = matcher.match(mention.name)
        if match.org_id is not None or match.evidence.startswith("ambiguous"):
            # Known; or not for certain (two fit): left for the validator to blank.
            not_drafted.add(mention.name)
            continue
        if key in national:
            org_id, name, kind, aliases = next(a for a in NATIONAL_AGENCIES if a[0] == national[key])
            same = next((d for d in drafts.values() if d["org_id"] == org_id), None)
            if same is not None:
                same["_n"] += 1
                continue
            drafts[key] = draft_row(org_id, name, kind, None, "|".join(aliases), mention, "a national agency", {})
            continue
        kind, parent, evidence = infer_kind(mention.name)
        places = infer_places(mention.name, places_by_key.get(key, []))
        drafts[key] = draft_row(draft_id(key), mention.name.strip(), kind, parent, None, mention, evidence, places)
    rows = list(drafts.values())
    rows += missing_parents(rows, known, matcher)
    for row in rows:
        n = row.pop("_n")
        if n > 1:
            row["evidence"] += f"; named {n} times"
    return sorted(rows, key=lambda r: (not r["org_id"].startswith("N-"), r["org_id"]))


def infer_places(name: str, places: list[tuple]) -> dict:
    """Where a drafted organisation works: the places its name gives (ตำบล X, อ. Y, จ. Z; an
    อบต. is its tambon's), completed from the lines that name it when they agree with it.

    Examples
    --------
    >>> infer_places("อบต.คลองหินปูน", [("สระแก้ว", "วังน้ำเย็น", "คลองหินปูน"), (None, None, None)])
    {'tambon': 'คลองหินปูน', 'district': 'วังน้ำเย็น', 'province': 'สระแก้ว'}
    >>> infer_places("เครือข่ายองค์กรชุมชน", [("สระแก้ว", None, "ตาหลังใน")])
    {'tambon': None, 'district': None, 'province': None}
    >>> infer_places("พมจ.สระแก้ว", [])["province"]
    'สระแก้ว'
    """
    found = {level: (m.group(1) if (m := pattern.search(name)) else None) for level, pattern in _PLACE.items()}
    if found["tambon"] is None and (m := _TAMBON_BODY.search(name)):
        found["tambon"] = m.group(1)
    if found["province"] is None and (m := _PROVINCE_BODY.search(name)):
        found["province"] = m.group(1)
    if found["tambon"] is None:
        return found  # a body above the tambon: the lines that name it may be anywhere in its area
    agreeing = [p for p in places if p[2] is not None and normalise_place(p[2]) == normalise_place(found["tambon"])]
    for level, position in (("district", 1), ("province", 0)):
        values = {p[position] for p in agreeing if p[position]}
        if found[level] is None and len(values) == 1:
            found[level] = values.pop()
    return found


def normalise_place(text: str) -> str:
    return re.sub(r"^(?:ตำบล|ต\.)\s*", "", str(text).strip())


def draft_row(org_id, name, kind, parent, aliases, mention: Mention, evidence: str, places: dict) -> dict:
    return {"org_id": org_id, "name": name, "kind": kind, "parent_id": parent,
            "province": places.get("province"), "district": places.get("district"), "tambon": places.get("tambon"),
            "aliases": aliases, "evidence": f"drafted: named in {mention.where}; {evidence}", "_n": 1}


class LazyMatcher:
    """An :class:`OrgMatcher` over the known organisations, built when first asked: keying a
    national list of 62,000 organisations costs seconds, and a folder whose lines name them
    exactly never needs it."""

    def __init__(self, known: list[dict]):
        self.known, self.matcher = known, None

    def match(self, text: str):
        if self.matcher is None:
            self.matcher = OrgMatcher(_frame(self.known))
        return self.matcher.match(text)


def missing_parents(rows: list[dict], known: list[dict], matcher: LazyMatcher) -> list[dict]:
    """National agencies that drafted rows name as parent but that neither table has; a
    parent the user's table holds under another id is pointed at that id."""
    have = {r["org_id"] for r in rows} | {str(r.get("org_id")) for r in known}
    added = []
    for org_id, name, kind, aliases in NATIONAL_AGENCIES:
        children = [r for r in rows if r["parent_id"] == org_id]
        if not children or org_id in have:
            continue
        user_id = matcher.match(name).org_id or next((matcher.match(a).org_id for a in aliases if matcher.match(a).org_id), None)
        if user_id is not None:
            for child in children:
                child["parent_id"] = user_id
            continue
        added.append({"org_id": org_id, "name": name, "kind": kind, "parent_id": None, "province": None,
                      "district": None, "tambon": None, "aliases": "|".join(aliases),
                      "evidence": f"drafted: the national agency {len(children)} drafted organisation(s) belong to", "_n": 1})
    return added


def key_names(names) -> dict[str, str]:
    """comparable form -> the first name written so, for :func:`find_abbreviated`."""
    keyed: dict[str, str] = {}
    for name in dict.fromkeys(names):
        if "ฯ" not in name:
            keyed.setdefault(compute_org_key(name), name)
    return keyed


def find_abbreviated(name: str, keyed: dict[str, str]) -> list[str]:
    """The names (``keyed``: :func:`key_names`; sorted) that a name cut short with ฯ
    (``กองทุนสวัสดิการฯ``) begins: exactly one is a match; none or several, no match for certain.

    Examples
    --------
    >>> find_abbreviated("กองทุนสวัสดิการฯ", key_names(["กองทุนสวัสดิการชุมชนตำบลคลองหินปูน", "อบต.คลองหินปูน"]))
    ['กองทุนสวัสดิการชุมชนตำบลคลองหินปูน']
    """
    base = compute_org_key(name.replace("ฯ", ""))
    if not base:
        return []
    return sorted(n for key, n in keyed.items() if key and key.startswith(base))


def draft_id(key: str) -> str:
    """``D-`` and 8 hex digits of the SHA-1 of the comparable name: stable across runs.

    Examples
    --------
    >>> draft_id(compute_org_key("อบต.คลองหินปูน")) == draft_id(compute_org_key("องค์การบริหารส่วนตำบลคลองหินปูน"))
    True
    """
    return "D-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]


def _frame(rows: list[dict]):
    import pandas as pd

    return pd.DataFrame(rows, columns=["org_id", "name", "aliases"]) if not rows else pd.DataFrame(rows)
