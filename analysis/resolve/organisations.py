"""Organisation references written as names: which org_id a roster or project means.

A roster may name its organisation (``ธ.ก.ส. สาขาวังน้ำเย็น``, ``อบต.บ้านนา``) instead of
giving its org_id. :class:`OrgMatcher` compares the name with every organisation's name,
aliases and id after putting all of them in one form (:func:`compute_org_key`): normalised
text, no case, long forms of common Thai administrative words shortened (องค์การบริหารส่วน
ตำบล → อบต), a leading สำนักงาน / "office of" dropped, and no dots, spaces or brackets — so
ธ.ก.ส., ธกส and ธ ก ส are one key. Typos in names and aliases (not ids, and never in
numbers) are matched with rapidfuzz's normalised Indel similarity (``fuzz.ratio``) [1]_ on
these keys, never with ``utils.default_process``, which strips Thai vowels (FIELD_NOTES).

A name that fits two organisations equally well is not guessed: the match is None and the
evidence names the candidates, so the row is listed for a person to fix. Reviewers'
decisions (kind ``organisation``: a = the name as written, b = an org_id, same/different)
always win.

References
----------
.. [1] Bachmann, M. (2024). RapidFuzz, ``fuzz.ratio``: 100 × (1 − Indel distance / total
   length), the similarity of Python's ``difflib.SequenceMatcher``; Navarro, G. (2001). A
   guided tour to approximate string matching. *ACM Computing Surveys* 33(1), 31–88.
"""

import re
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process

from analysis.ingest.normalise import normalise_text

#: Long forms and their usual short forms, shortened before comparing so that either
#: spelling gives one key. Longest first, so that องค์การบริหารส่วนตำบล is not cut at ตำบล.
SHORT_FORMS: dict[str, str] = {
    "องค์การบริหารส่วนตำบล": "อบต",
    "องค์การบริหารส่วนจังหวัด": "อบจ",
    "โรงพยาบาลส่งเสริมสุขภาพตำบล": "รพสต",
    "เทศบาลตำบล": "ทต",
    "เทศบาลเมือง": "ทม",
    "เทศบาลนคร": "ทน",
    "โรงพยาบาล": "รพ",
    "ตำบล": "ต",
    "อำเภอ": "อ",
    "จังหวัด": "จ",
}
#: Words often put in front of an organisation's name or left out: dropped from the start.
PREFIX_WORDS = ("สำนักงาน", "office of the", "office of", "the")
SEPARATORS = re.compile(r"[\s.\-–—_/()\[\]{}'\"“”‘’,:;]+")
#: Numbers in a name (village หมู่ numbers, years, branch numbers) must agree for a typo
#: match: one digit apart is a different group, not a slip.
DIGITS = re.compile(r"\d+")

#: Lowest similarity (0–100) for a typo match: one slip in a 20-letter key scores about 95,
#: two slips about 90; below 90 different places one word apart (อบต.บ้านนา / อบต.บ้านนาใหม่)
#: start to match.
FUZZY_MIN = 90.0
#: Keys shorter than this are matched exactly only: abbreviations one letter apart are
#: different bodies (สสส / สปสช, พม / พช).
FUZZY_MIN_LENGTH = 8
#: When the best two organisations score within this many points, the name is ambiguous.
AMBIGUITY_MARGIN = 3.0


@dataclass(frozen=True)
class OrgMatch:
    """The organisation a name refers to (None when none or more than one fits)."""

    org_id: str | None
    score: float
    evidence: str


def compute_org_key(text) -> str:
    """The comparable form of an organisation name.

    Examples
    --------
    >>> compute_org_key("ธ.ก.ส.") == compute_org_key("ธกส") == compute_org_key("ธ ก ส")
    True
    >>> compute_org_key("องค์การบริหารส่วนตำบลบ้านนา") == compute_org_key("อบต. บ้านนา")
    True
    >>> compute_org_key("สำนักงานพัฒนาชุมชนจังหวัดสระแก้ว") == compute_org_key("พัฒนาชุมชน จ.สระแก้ว")
    True
    """
    text = (normalise_text(text) or "").casefold()
    for long, short in SHORT_FORMS.items() if not text.isascii() else ():  # Thai words: not in ASCII text
        text = text.replace(long, short)
    for prefix in PREFIX_WORDS:
        if text.startswith(prefix + " ") or (text.startswith(prefix) and not prefix.isascii()):
            text = text[len(prefix):]
            break
    return SEPARATORS.sub("", text)


def find_key(keys: dict, text) -> str:
    """:func:`compute_org_key` of ``text``, remembered in ``keys`` (text -> key).

    Examples
    --------
    >>> keys = {}
    >>> find_key(keys, "ธ.ก.ส."), keys
    ('ธกส', {'ธ.ก.ส.': 'ธกส'})
    """
    if text not in keys:
        keys[text] = compute_org_key(text)
    return keys[text]


class OrgMatcher:
    """Match organisation names as written to org_ids.

    Parameters
    ----------
    organisations : the organisations table (raw or normalised): org_id, name, and
        optionally aliases (``|``-separated).
    decisions : reviewers' decisions; rows of kind ``organisation`` are used.

    Examples
    --------
    >>> orgs = pd.DataFrame({"org_id": ["O1", "O2"],
    ...                      "name": ["ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร", "สถาบันพัฒนาองค์กรชุมชน"],
    ...                      "aliases": ["ธ.ก.ส.|BAAC", "พอช.|CODI"]})
    >>> matcher = OrgMatcher(orgs)
    >>> matcher.match("ธกส").org_id, matcher.match("baac").org_id
    ('O1', 'O1')
    >>> matcher.match("สถาบันพัฒนาองค์กรชุมน").org_id
    'O2'
    >>> matcher.match("สสส.").org_id is None
    True
    """

    def __init__(self, organisations: pd.DataFrame, decisions: pd.DataFrame | None = None):
        self._orgs_by_key: dict[str, set[str]] = {}
        self._written: dict[str, str] = {}
        names = set()
        # Keyed once per distinct text: a national list repeats names (half of them) and aliases.
        keys: dict = {}
        for org_id, name, aliases in zip(*(organisations[c].tolist() if c in organisations.columns
                                           else [None] * len(organisations) for c in ("org_id", "name", "aliases"))):
            org_id = normalise_text(org_id)
            if org_id is None:
                continue
            aliases = (normalise_text(aliases) or "").split("|")
            keyed_names = [(key, w) for w in (name, *aliases) if (key := find_key(keys, w))]
            for key, written in (*keyed_names, (find_key(keys, org_id), org_id)):
                self._orgs_by_key.setdefault(key, set()).add(org_id)
                if key not in self._written:
                    self._written[key] = normalise_text(written)
            names.update(key for key, _ in keyed_names)
        # Ids are codes, not names: they match exactly only (T270101 and T270102 are two
        # tambons), so typos are looked for among names and aliases.
        self._names = sorted(names)
        self._same: dict[str, str] = {}
        self._different: dict[str, set[str]] = {}
        if decisions is not None and len(decisions):
            for row in decisions[decisions["kind"] == "organisation"].itertuples():
                key, org_id = compute_org_key(row.a), str(row.b).strip()
                if row.decision == "same":
                    self._same[key] = org_id
                else:
                    self._different.setdefault(key, set()).add(org_id)
        self._cache: dict[str, OrgMatch] = {}

    def match(self, text: str) -> OrgMatch:
        """The organisation ``text`` names, with a score (0–100) and the evidence."""
        key = compute_org_key(text)
        if key not in self._cache:
            self._cache[key] = self._match_key(key)
        return self._cache[key]

    def _match_key(self, key: str) -> OrgMatch:
        if not key:
            return OrgMatch(None, 0.0, "no name written")
        if key in self._same:
            return OrgMatch(self._same[key], 100.0, "reviewer decided same")
        excluded = self._different.get(key, set())
        exact = self._orgs_by_key.get(key, set()) - excluded
        if exact:
            return self._decide({org_id: 100.0 for org_id in exact}, {org_id: key for org_id in exact})
        if len(key) < FUZZY_MIN_LENGTH:
            return OrgMatch(None, 0.0, f"no organisation has this name or alias ({len(key)} letters: too short for typos)")
        best: dict[str, float] = {}
        via: dict[str, str] = {}
        for choice, score, _ in process.extract(key, self._names, scorer=fuzz.ratio, limit=20):
            if DIGITS.findall(choice) != DIGITS.findall(key):
                continue  # หมู่ 2 and หมู่ 3, 2566 and 2567 are different groups and years
            for org_id in sorted(self._orgs_by_key[choice] - excluded):
                if score > best.get(org_id, -1.0):
                    best[org_id], via[org_id] = float(score), choice
        return self._decide(best, via)

    def _decide(self, scores: dict[str, float], via: dict[str, str]) -> OrgMatch:
        """The single best organisation at or above :data:`FUZZY_MIN`, else None."""
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        if not ranked:
            return OrgMatch(None, 0.0, "no organisation name is close")
        top_id, top = ranked[0]
        closest = f"closest: {self._written[via[top_id]]} ({top_id}, {top:.0f})"
        if top < FUZZY_MIN:
            return OrgMatch(None, round(top, 1), f"no organisation name within {FUZZY_MIN:.0f}; {closest}")
        rivals = [org_id for org_id, score in ranked[1:] if top - score <= AMBIGUITY_MARGIN]
        if rivals:
            names = ", ".join([top_id, *rivals])
            return OrgMatch(None, round(top, 1), f"ambiguous: fits {names} equally well")
        how = "same name or alias" if top == 100.0 else "name with a typo"
        return OrgMatch(top_id, round(top, 1), f"{how}: {self._written[via[top_id]]} ({top:.0f})")
