"""Who is who: people records (roster lines) resolved to persons.

Record linkage in three separate steps, as in Splink [3]_:

1. **Blocking** — only records that share a key are compared, never all pairs
   (:data:`BLOCKING_RULES`): sound keys of names (Thai soundex survives most typos; a typo
   that changes one key is caught by another), three of them needing no place, and the
   phone and e-mail.
2. **Scoring** — each compared pair gets a Fellegi–Sunter match weight [1]_: for every
   field the level of agreement (exact, one typo apart, different, missing …) adds
   log2(m/u) bits, where m is how often the level occurs when both records are one person
   and u how often it occurs when they are not. m, u, the frequency of each name and the
   merge threshold are learned from the dataset itself (:func:`learn_weights`,
   :mod:`analysis.resolve.weights`), shrunk towards the priors of :data:`COMPARISONS`
   (every number with its reason). Missing values add nothing.
3. **Clustering** — merges are made strongest first, and a merge is refused when it would
   put into one person two records that the model or a reviewer says are different, so a
   chain of likely links never joins two different people.

Rules put precision first, because one false merge destroys a planner's trust: clearly
different first names, titles of different genders (นาย / นาง) and different national ids
are never merged by the model (spouses, parents and children share surname, house phone
and tambon), and records that contradict each other (phone, e-mail, place) share a person
only when their own link would merge them. Equal national ids decide a pair.
Reviewers' decisions (``decisions.csv``, kind ``person``) always win. They are keyed on
:func:`record_key`, stable content, so they survive re-exported rosters with new record ids.

References
----------
.. [1] Fellegi, I. P. & Sunter, A. B. (1969). A theory for record linkage. *Journal of the
   American Statistical Association* 64(328), 1183–1210.
.. [2] Winkler, W. E. (1988). Using the EM algorithm for weight computation in the
   Fellegi–Sunter model of record linkage; (1990). String comparator metrics and enhanced
   decision rules in the Fellegi–Sunter model of record linkage. *Proc. Section on Survey
   Research Methods, ASA*.
.. [3] Linacre, R. et al. (2022). Splink: free software for probabilistic record linkage at
   scale. *International Journal of Population Data Science* 7(3). (Blocking rules,
   comparison levels, match weights in bits, clustering as a separate step.)
.. [4] Christen, P. (2012). *Data Matching*. Springer. Ch. 4 (blocking, block-size limits).
"""

import hashlib
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from analysis.agencies import find_roots
from analysis.resolve.names import compute_phonetic_key, split_name
from analysis.resolve.weights import (
    PRIOR_AGREEMENTS,
    MatchWeights,
    compute_agreement_share,
    compute_merge_min,
    draw_random_pairs,
    estimate_m,
    estimate_name_u,
    estimate_u,
    remove_matches_from_u,
)


@dataclass(frozen=True)
class Level:
    """One level of agreement of a comparison, with its m and u probabilities.

    ``weight`` = log2(m / u) is the bits of evidence the level adds [1]_.
    """

    label: str
    m: float
    u: float
    reason: str

    @property
    def weight(self) -> float:
        return math.log2(self.m / self.u)


FIRST_NAME = (
    Level("exact", 0.90, 0.002,
          "m: about one roster in ten misspells or varies a first name (Winkler [2] found "
          "10-20 % of true pairs disagreeing on a name in census lists); u: two different Thai "
          "people share a first name about 1 time in 500 (common names such as สมชาย)."),
    Level("one typo apart", 0.07, 0.004,
          "m: one slip, swapped letters or a look-alike letter (ด/ต, ภ/ถ, ศ/ส); u: distinct names "
          "one letter apart (สมชาย/สมชัย, บุญมา/บุญมี) are about twice as common as identical ones."),
    Level("short, one letter apart", 0.01, 0.002,
          "Names of three letters or fewer one letter apart: a slip (ขจร/ชจร) or two names (นก/นุก). "
          "Not a clearly different name, so not vetoed: the rest of the evidence decides."),
    Level("different", 0.02, 0.992,
          "m: a nickname or a legally changed name (common in Thailand) on one list; u: the rest. "
          "The model never merges at this level: relatives share surname, phone and tambon."),
)
SURNAME = (
    Level("exact", 0.88, 0.0003,
          "m: as first names, a little lower because surnames are longer; u: Thai surnames are "
          "registered per family (Surname Acts 1913 and 1962), so unrelated people rarely share "
          "one: 1 in 3,000 allows for relatives in one area."),
    Level("one typo apart", 0.07, 0.0007,
          "m: one slip in a long word (ภาระสุวรรณ/ภาะสุวรรณ); u: registered surnames one letter "
          "apart exist but are rarer than shared ones by a factor of about 2."),
    Level("similar", 0.02, 0.01,
          "Jaro-Winkler >= 0.85 [2]: two slips, or a shared stem (วงศ์, สุวรรณ) of different names."),
    Level("different", 0.03, 0.9890,
          "m: a surname changed at marriage, or a different spelling; u: the rest."),
)
GENDER = (
    Level("agree on gender", 0.99, 0.95,
          "Almost no evidence: first names mostly carry gender, so titles agree for most "
          "different people whose first names agree too (Fellegi-Sunter assumes independence)."),
    Level("disagree on gender", 0.01, 0.05,
          "m: นาย on one list and นาง/นางสาว on another happens only by data-entry error; u: "
          "names given to both genders. The model never merges at this level."),
)
PHONE = (
    Level("equal", 0.80, 0.0005,
          "m: one person in five changes number or gives another between lists; u: a number is "
          "shared by a household or an office, about 1 in 2,000 random pairs."),
    Level("different", 0.20, 0.9995, "The complements of the two above."),
)
EMAIL = (
    Level("equal", 0.85, 0.0001,
          "m: e-mail addresses change less often than phones; u: shared office addresses are "
          "rarer than shared house phones."),
    Level("different", 0.15, 0.9999, "The complements of the two above."),
)
PLACE = (
    Level("same tambon", 0.70, 0.01,
          "m: rosters mostly give where a person lives or works, which rarely changes; u: a "
          "province dataset spreads over about 100 tambons."),
    Level("tambon among the candidates of an ambiguous name", 0.05, 0.005,
          "One line writes a tambon name several tambons of its province share (หนองแวง) and no "
          "district; the other line's tambon is one of them. Weaker than the same tambon: u "
          "is the chance of a random pair landing on one of a few candidates."),
    Level("same district, tambon unknown on one", 0.10, 0.02,
          "One list gives only the district: agreement as far as it goes."),
    Level("same district, other tambon", 0.06, 0.06,
          "No evidence either way: people work in a neighbouring tambon as often as chance."),
    Level("same province, district unknown on one", 0.05, 0.05, "No evidence either way."),
    Level("same province, other district", 0.06, 0.40,
          "u: most random pairs of a province dataset live in different districts."),
    Level("other province", 0.03, 0.46,
          "m: a move, or a roster that records its office's place; u: multi-province datasets."),
)
ORGANISATION = (
    Level("same organisation", 0.15, 0.01,
          "m: a person's records mostly come from different rosters (the many hats); u: a "
          "province dataset has about 100 organisations."),
    Level("same agency", 0.25, 0.10,
          "Both rosters belong to organisations under one agency (analysis.agencies)."),
    Level("different", 0.60, 0.89, "Weak evidence against: many hats are the point of the tool."),
)
ORGANISATION_PLACE = (
    Level("same tambon", 0.50, 0.01,
          "Compared only when a line gives no district of its own: where the organisation whose "
          "roster it is works (its tambon, else district) stands in for it. m: a tambon's groups, "
          "funds and council list the people of that tambon, and a person's hats are mostly "
          "in their own tambon; u: as the same tambon of the place comparison."),
    Level("same district", 0.30, 0.10,
          "Tambon unknown on one side (a district-level roster) or two tambons of one district."),
    Level("other district", 0.20, 0.89,
          "m: a district or province network's roster, or a person serving outside their district; "
          "u: most random pairs. Weaker than a place the line gives itself: learned apart from it."),
)
NATIONAL_ID = (
    Level("equal", 0.99, 1e-9,
          "Not learned: a valid 13-digit national id (check digit verified at reading) is one "
          "person's; equal ids decide the pair."),
    Level("different", 0.01, 1.0 - 1e-9,
          "Not learned: two valid ids that differ are two people; the model never merges these."),
)

#: Field comparisons: name -> levels. A missing value (either side) adds 0 bits.
COMPARISONS: dict[str, tuple[Level, ...]] = {
    "first name": FIRST_NAME,
    "surname": SURNAME,
    "titles": GENDER,
    "phone": PHONE,
    "e-mail": EMAIL,
    "place": PLACE,
    "organisation": ORGANISATION,
    "organisation's place": ORGANISATION_PLACE,
    "national id": NATIONAL_ID,
}

#: Most m of the levels where one person's own records disagree outright on a surname, so
#: that EM's latent class stays "one person" and not "same first name" (see
#: analysis.resolve.weights.estimate_m): a name changed at marriage is on about one record
#: pair in ten at most (Winkler [2] found 10-20 % of true pairs disagreeing on a name,
#: counting the typos these comparisons set apart as their own levels).
M_CAPS = {"surname": {3: 0.1}}

#: Levels the model never merges at (comparison -> level): clearly different first names,
#: titles of different genders, different national ids. EM is fitted on the other compared
#: pairs only, and these levels keep their prior m. The pairs they hold are mostly
#: relatives (a couple, a parent and child: one surname, one house phone, one tambon), whom
#: the Fellegi-Sunter independence assumption cannot set apart: fitted with them, EM's
#: "one person" class took in families, and learned on the province sample that one
#: person's lines disagree on gender 11 times in 100 and on the first name 10 times in 100
#: (the truth: never), and that one person's phones differ 5 times in 100 (never).
VETO_LEVELS = {"first name": len(FIRST_NAME) - 1, "titles": 1, "national id": 1}

#: Levels that say the two records disagree: whatever EM finds, they never count for a
#: pair (with few such pairs it can put, say, a move between provinces above chance); all
#: other levels never count against one.
DISAGREEMENTS = {"first name": (2, 3), "surname": (3,), "titles": (1,), "phone": (1,), "e-mail": (1,),
                 "place": (3, 5, 6), "organisation": (2,), "organisation's place": (2,)}

#: Comparisons whose m and u are learned from each dataset (analysis.resolve.weights);
#: the national id keeps its prior because it is decisive by construction.
LEARNED = ("first name", "surname", "titles", "phone", "e-mail", "place", "organisation", "organisation's place")

#: Bits below the merge threshold down to which a pair that is not merged goes to review:
#: 7 bits is a pair 128 times less likely than one at the threshold. On the province sample
#: (fixed weights, noise 1) none of the pairs more than 7 bits below was one person, while
#: a quarter to a third of those within 7 bits were.
REVIEW_MARGIN = 7.0

#: Most edits for "one typo apart": optimal string alignment distance (a swap counts one).
CLOSE_EDITS = 1
#: Words whose longer spelling is shorter than this are never "one typo apart": one edit in
#: a 3-letter name changes a third of it (นก/นุก are two names). The longer one counts, so
#: that a dropped last letter (ธนพล/ธนพ) is a slip, not a different name.
CLOSE_MIN_LENGTH = 4
#: Jaro-Winkler similarity for "similar" surnames [2]_; 0.85 admits two slips in a long
#: surname but not a different name sharing only a short stem.
SIMILAR_JW = 0.85

#: Largest block compared in full. A person rarely sits on more than 20 rosters, so a block
#: of hundreds is a common key (a popular surname sound, an office phone) that identifies
#: nobody; its pairs would be the bulk of the work [4]_. Bigger blocks are split by province,
#: then district; what is still too big is not compared on that key (other keys still apply).
MAX_BLOCK_SIZE = 100

#: Keys records are blocked on (built by :func:`build_blocking_keys`). The surname sound
#: alone made blocks of 50+ at national scale (Thai soundex keeps only a word's first
#: sounds, and compound surnames share their starts); the first-name initial splits them.
#: Within a district the surname sound alone is a small block (a family, a few namesakes),
#: and it catches a typo in a first name's first letter (ขัยยา/ชัยยา), which changes its
#: sound and initial.
#: Lines with no place (a third to two thirds of some rosters) never reach the district
#: rules, so two more rules need no place: the first name's sound with the surname's first
#: letter (a slip in the surname's first sounds changes its sound key, rarely its first
#: letter), and the surname as written (a slip in the first name's first letter; a family
#: and a few namesakes share it). Oversized blocks are split by province, then district.
#: These two keep only pairs where a line lacks a district: nationally they brought 27
#: pairs per line instead of 3 (8.3 million pairs, 256 s CPU, 6.7 GB), and lines that both
#: give a district are compared by the district rules.
BLOCKING_RULES = ("surname sound and first-name initial", "first name sound and surname initial",
                  "surname", "first name sound in district",
                  "surname sound in district", "phone", "e-mail")

PAIR_COLUMNS = (
    "key_a", "key_b", "record_a", "record_b", "score", "decision", "evidence", "is_same_person", "is_vetoed",
    "is_decided",
)
REVIEW_COLUMNS = (
    "kind", "key_a", "key_b", "decision", "note", "score", "model", "evidence",
    "name_a", "name_b", "source_a", "source_b", "place_a", "place_b",
    "phone_a", "phone_b", "email_a", "email_b", "org_a", "org_b", "record_a", "record_b",
)


@dataclass
class PersonResolution:
    """The result of :func:`resolve_people`.

    Attributes
    ----------
    persons : record_id, person_id, person_name — every input record exactly once, sorted
        by person_id then record_id.
    pairs : every compared pair (:data:`PAIR_COLUMNS`): key_a, key_b, record_a, record_b,
        score (bits), decision (``merge``, ``near_miss``, ``different``), evidence,
        is_same_person (the final persons), is_vetoed (never merged by the model),
        is_decided (a reviewer's decision applied).
    review : the uncertain pairs, most uncertain first, with an empty ``decision`` column
        for a reviewer (see docs/resolution.md).
    parameters : the method and every number it used, for ``run.json``.
    """

    persons: pd.DataFrame
    pairs: pd.DataFrame
    review: pd.DataFrame
    parameters: dict = field(default_factory=dict)


def record_key(row) -> str:
    """The stable content key of a people record, used by decisions and person ids.

    ``full name without titles | source | place | phone``, where place is the finest known
    official code (tambon, district, province) or else the place as written. Record ids are
    left out on purpose: a re-exported roster keeps its keys when its ids change.

    Examples
    --------
    >>> record_key({"name": "นายสมชาย ใจดี", "source": "พอช.2567", "tambon_code": "800101",
    ...             "phone": "0812345678"})
    'สมชาย ใจดี|พอช.2567|800101|0812345678'
    """
    return _compose_key(split_name(_text(row.get("name"))).full, row)


def _compose_key(full: str, row) -> str:
    codes = [_text(row.get(c)) for c in ("tambon_code", "district_code", "province_code")]
    written = "/".join(t for t in (_text(row.get(c)) for c in ("province", "district", "tambon")) if t)
    place = next((c for c in codes if c), written)
    return f"{full}|{_text(row.get('source'))}|{place}|{_text(row.get('phone'))}"


def _text(value) -> str:
    """A cell as text; missing values (None, NaN, pd.NA) as ''."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def resolve_people(
    people: pd.DataFrame,
    organisations: pd.DataFrame | None = None,
    decisions: pd.DataFrame | None = None,
) -> PersonResolution:
    """Resolve people records to persons.

    Parameters
    ----------
    people : the normalised ``people`` table (record_id, source, name, and any of org_id,
        phone, email, province_code, district_code, tambon_code, province, district, tambon).
    organisations : the normalised ``organisations`` table, for "same agency"; optional.
    decisions : reviewers' decisions (:func:`analysis.decisions.read_decisions`); rows of
        kind ``person`` are used: ``same`` forces a link, ``different`` forbids one, also
        through a chain of other links.

    Returns
    -------
    PersonResolution

    Examples
    --------
    >>> people = pd.DataFrame({
    ...     "record_id": ["r1", "r2", "r3"], "source": ["A", "B", "B"],
    ...     "name": ["นายสมชาย ใจดี", "สมชาย ใจดี", "นางสมศรี ใจดี"],
    ...     "phone": ["0812345678", "0812345678", "0812345678"]})
    >>> resolve_people(people).persons.groupby("person_id").size().sort_values().tolist()
    [1, 2]
    """
    records = build_features(people, organisations)
    a, b = find_candidate_pairs(records)
    same, different = _decision_links(records, decisions)
    if same or different:  # decided pairs the blocking missed are compared too
        candidates = set(zip(a.tolist(), b.tolist()))
        extra = [p for p in same + different if p not in candidates]
        a = np.concatenate([a, np.array([p[0] for p in extra], dtype=np.int64)])
        b = np.concatenate([b, np.array([p[1] for p in extra], dtype=np.int64)])
    columns = to_columns(records)
    levels = compare_pairs(columns, a, b)
    weights = learn_weights(records, levels, columns)
    scored = score_pairs(columns, a, b, weights, levels)
    scored = _apply_decisions(scored, same, different)
    labels, scored = cluster_records(records, scored, same, different, weights, columns)
    del columns, levels  # millions of Python strings, freed before the output tables are made
    record_rank = rank_texts(records["record_id"])
    persons = _build_persons(records, labels, record_rank)
    pairs = _build_pairs_table(records, scored, labels, weights, record_rank)
    review = _build_review(records, pairs, weights, labels)
    parameters = {
        "method": "Fellegi-Sunter match weights learned from this dataset (u from random pairs and "
                  "value frequencies, m by EM, term-frequency adjustment of names), greedy clustering "
                  "with cannot-link checks",
        "review_min_bits": round(weights.merge_min - REVIEW_MARGIN, 2),
        "max_block_size": MAX_BLOCK_SIZE,
        "blocking_rules": list(BLOCKING_RULES),
        **weights.describe(),
        "n_records": len(records),
        "n_pairs_compared": len(pairs),
        "n_persons": int(persons["person_id"].nunique()),
    }
    return PersonResolution(persons=persons, pairs=pairs, review=review, parameters=parameters)


# --- features -------------------------------------------------------------------------


def build_features(people: pd.DataFrame, organisations: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per record with what the comparisons need, in a content order.

    Rows are sorted by their :func:`record_key`, then name as written, organisation and
    e-mail, so every later step sees the same order whatever the order or the ids of the
    input rows (the record id breaks ties only between records identical in all of these).
    """
    column = {c: _column_text(people, c) for c in (
        "record_id", "name", "source", "phone", "email", "org_id", "national_id",
        "province_code", "district_code", "tambon_code", "province", "district", "tambon")}
    # People sit on several rosters: each distinct name is split, case-folded and coded once,
    # and its parts are given to its records by numpy.
    by_name, distinct = pd.factorize(column["name"])
    parts = [split_name(text) for text in distinct.tolist()]
    first = np.array([p.first.casefold() for p in parts] or [], dtype=object)
    last = np.array([p.last.casefold() for p in parts] or [], dtype=object)
    sounds = {w: compute_phonetic_key(w) for w in set(first.tolist()) | set(last.tolist())}
    full = np.array([p.full for p in parts] or [], dtype=object)[by_name]
    written = join_places(column["province"], column["district"], column["tambon"])
    code = np.where(column["tambon_code"] != "", column["tambon_code"],
                    np.where(column["district_code"] != "", column["district_code"], column["province_code"]))
    roots = find_roots(organisations) if organisations is not None and len(organisations) else {}
    frame = pd.DataFrame({
        "record_id": column["record_id"],
        "key": full + "|" + column["source"] + "|" + np.where(code != "", code, written) + "|" + column["phone"],
        "name": column["name"],
        "full": full,
        "first": first[by_name],
        "last": last[by_name],
        "gender": np.array([p.gender for p in parts] or [], dtype=object)[by_name],
        "source": column["source"],
        "phone": column["phone"],
        "email": [e.lower() for e in column["email"]],
        "org_id": column["org_id"],
        "agency": [roots.get(o) or "" for o in column["org_id"]],
        "province_code": column["province_code"],
        "district_code": column["district_code"],
        "tambon_code": column["tambon_code"],
        "place": np.where(code != "", written + " (" + code + ")", written),
        "national_id": column["national_id"],
        "tambon_candidates": find_tambon_candidates(column),
        **find_organisation_places(column, organisations),
    })
    frame["first_sound"] = np.array([sounds[w] for w in first.tolist()] or [], dtype=object)[by_name]
    frame["last_sound"] = np.array([sounds[w] for w in last.tolist()] or [], dtype=object)[by_name]
    order = order_by_texts(*(frame[c] for c in ("key", "name", "org_id", "email", "record_id")))
    return frame.take(order).reset_index(drop=True)


def join_places(province: np.ndarray, district: np.ndarray, tambon: np.ndarray) -> np.ndarray:
    """The place as written, ``province/district/tambon`` without the missing parts, joined
    once per distinct place (300,000 national lines write 31,000).

    Examples
    --------
    >>> join_places(*(np.array(c, dtype=object) for c in (["ขอนแก่น", "ขอนแก่น"], ["", "เมือง"], ["", ""]))).tolist()
    ['ขอนแก่น', 'ขอนแก่น/เมือง']
    """
    codes = [pd.factorize(part) for part in (province, district, tambon)]
    place = np.zeros(len(province), dtype=np.int64)
    for code, uniques in codes:
        place = place * max(len(uniques), 1) + code
    _, first, which = np.unique(place, return_index=True, return_inverse=True)
    joined = ["/".join(t for t in parts if t) for parts in zip(province[first], district[first], tambon[first])]
    return np.array(joined or [], dtype=object)[which.ravel()]


def find_organisation_places(column: dict, organisations: pd.DataFrame | None) -> dict[str, np.ndarray]:
    """``org_district`` and ``org_tambon``: for a line that gives no district of its own,
    the district and tambon codes of its roster's organisation (when that organisation
    works in the line's province, or the line gives none); '' otherwise.

    The roster's organisation is the line's ``org_id``; a line that leaves it out is on the
    list (``source``) of the organisation its other lines name (CONTRACT: ``org_id`` is "the
    organisation whose roster this is", ``source`` "the list this row came from"). Such a
    line takes the place of its list's organisations when they all work in one district
    (the tambon too when they share it); a list whose lines name organisations of several
    districts (two councils of two tambons called หนองแวง write the same title) or one
    without a district (a province's network) places nobody.
    """
    n = len(column["org_id"])
    out = {"org_district": np.full(n, "", dtype=object), "org_tambon": np.full(n, "", dtype=object)}
    if organisations is None or not len(organisations) or "district_code" not in organisations:
        return out
    places = organisations.drop_duplicates("org_id").set_index("org_id")
    code = {c: places[c].astype("string").fillna("").str.strip() for c in ("province_code", "district_code", "tambon_code")}
    org = pd.Series(column["org_id"])
    province, district, tambon = (org.map(code[c]).fillna("").to_numpy(dtype=object) for c in code)
    named = column["org_id"] != ""
    unnamed = ~named & (column["source"] != "") & (column["district_code"] == "")
    if unnamed.any():
        lists = pd.DataFrame({"source": column["source"][named], "province": province[named],
                              "district": district[named], "tambon": tambon[named]})
        by_list = lists.groupby("source", sort=False)
        lists = by_list.first().where(by_list.nunique() == 1, "")
        lists.loc[lists["district"] == "", "tambon"] = ""
        source = pd.Series(column["source"][unnamed])
        for array, name in ((province, "province"), (district, "district"), (tambon, "tambon")):
            array[unnamed] = source.map(lists[name]).fillna("").to_numpy(dtype=object)
    usable = (column["district_code"] == "") & (column["tambon_code"] == "") & (district != "")
    usable &= (column["province_code"] == "") | (column["province_code"] == province)
    out["org_district"][usable] = district[usable]
    out["org_tambon"][usable] = tambon[usable]
    return out


def find_tambon_candidates(column: dict) -> np.ndarray:
    """For a line whose tambon was written but not resolved (a name several tambons of its
    district or province share, ``ต.หนองแวง`` without a district), every tambon code it may
    mean, joined by ``|``; '' otherwise. Many rows share a place: each is looked up once."""
    out = np.full(len(column["tambon"]), "", dtype=object)
    todo = np.flatnonzero((column["tambon"] != "") & (column["tambon_code"] == ""))
    if not len(todo):
        return out
    from analysis.places import load_gazetteer

    gazetteer = load_gazetteer()
    found: dict[tuple[str, str], str] = {}
    for i in todo.tolist():
        within = column["district_code"][i] or column["province_code"][i]
        key = (column["tambon"][i], within)
        if key not in found:
            found[key] = "|".join(gazetteer.find_candidates("tambon", key[0], within)) if within else ""
        out[i] = found[key]
    return out


#: How many times the texts' own size :func:`rank_texts` may spend on fixed-width copies.
FIXED_WIDTH_SPARE = 8


def rank_texts(values) -> np.ndarray:
    """Dense ranks of texts in code-point order (equal texts, equal ranks; the first is 0).

    Examples
    --------
    >>> rank_texts(["b", "a", "b", "ก"]).tolist()
    [1, 0, 1, 2]
    """
    texts = values if isinstance(values, pd.Series) else np.array(list(values), dtype=object)
    codes, uniques = pd.factorize(texts)
    uniques = uniques.tolist() if hasattr(uniques, "tolist") else list(uniques)
    # numpy's fixed-width text drops trailing NULs, and pads every text to the longest: one
    # 32,767-character cell among 300,000 names would ask for 39 GB. Python sorts those.
    longest = max(map(len, uniques), default=0)
    if longest * len(uniques) > FIXED_WIDTH_SPARE * (sum(map(len, uniques)) + len(uniques)) or any(
            "\x00" in text for text in uniques):
        codes, _ = pd.factorize(texts, sort=True)
        return codes.astype(np.int64)
    # Sorted by code point, as Python compares str: numpy compares fixed-width UCS-4 text in
    # C, twice as fast as sorting Python strings (the distinct values only, once each).
    order = np.argsort(np.array(uniques, dtype=str), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes]


def rank_sorted_texts(values) -> np.ndarray:
    """:func:`rank_texts` of texts already in order (the ``key`` of :func:`build_features`,
    whose rows are sorted by it): a new rank wherever a text differs from the one before.

    Examples
    --------
    >>> rank_sorted_texts(["a", "a", "b", "ก"]).tolist()
    [0, 0, 1, 2]
    """
    texts = np.asarray(values, dtype=object)
    changes = np.concatenate([[0], (texts[1:] != texts[:-1]).astype(np.int64)]) if len(texts) else texts
    return np.cumsum(changes, dtype=np.int64)


def order_by_texts(*columns) -> np.ndarray:
    """The row order that sorts text columns, first column first, stably: what
    ``sort_values(columns, kind="stable")`` gives, sorting integer ranks instead of texts.

    Examples
    --------
    >>> order_by_texts(["b", "a", "b", "a"], ["y", "z", "x", "z"]).tolist()
    [1, 3, 2, 0]

    Each later column is ranked only on the rows that the columns before it leave tied
    (their ranks there order those rows as ranks over all rows would): the records'
    content keys tie on 30 rows of 300,000 nationally, so their names, organisations,
    e-mails and record ids are not ranked at all.
    """
    ranks = [rank_texts(columns[0])]
    group = ranks[0]
    for column in columns[1:]:
        tied = np.flatnonzero(np.bincount(group)[group] > 1)
        if not len(tied):
            break
        rank = np.zeros(len(group), dtype=np.int64)
        rank[tied] = rank_texts(_as_objects(column)[tied])
        ranks.append(rank)
        group = pd.factorize(group * (int(rank.max()) + 1) + rank)[0]  # the rows' ranks so far, as one code
    return np.lexsort(ranks[::-1])


def _as_objects(values) -> np.ndarray:
    """Texts as an object array (a Series' values, a list or an array)."""
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype=object)
    return np.array(list(values), dtype=object)


def _column_text(people: pd.DataFrame, name: str) -> np.ndarray:
    """A column as stripped text, '' where missing or absent (object array)."""
    if name not in people.columns:
        return np.full(len(people), "", dtype=object)
    # A plain loop: pandas' string methods call a Python function per cell anyway, and a
    # national table has four million cells here.
    values = people[name].to_numpy(dtype=object).tolist()
    return np.array([v.strip() if isinstance(v, str) else "" if isinstance(v, float) and v != v else _text(v)
                     for v in values] or [], dtype=object)


# --- blocking -------------------------------------------------------------------------


def build_blocking_keys(records: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each rule of :data:`BLOCKING_RULES` -> the key of every record ('' = no key), as
    object arrays (joined by numpy, without pandas' per-cell string methods)."""
    col = {c: records[c].to_numpy(dtype=object) for c in (
        "first_sound", "last_sound", "last", "district_code", "province_code", "phone", "email")}
    area = np.where(col["district_code"] != "", col["district_code"], col["province_code"])
    has_first, has_last = col["first_sound"] != "", col["last_sound"] != ""
    initial = np.array([s[:1] for s in col["first_sound"].tolist()] or [], dtype=object)
    surname_letter = np.array([s[:1] for s in col["last"].tolist()] or [], dtype=object)
    return {
        "surname sound and first-name initial": np.where(has_last, col["last_sound"] + "|" + initial, ""),
        "first name sound and surname initial": np.where(has_first & has_last,
                                                         col["first_sound"] + "|" + surname_letter, ""),
        "surname": col["last"],
        "first name sound in district": np.where(has_first, col["first_sound"] + "|" + area, ""),
        "surname sound in district": np.where(has_last & (area != ""), col["last_sound"] + "|" + area, ""),
        "phone": col["phone"],
        "e-mail": col["email"],
    }


#: The rules of :data:`BLOCKING_RULES` meant for lines without a district.
NO_PLACE_RULES = ("first name sound and surname initial", "surname")


def find_candidate_pairs(records: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The record pairs (a < b, indices of ``records``) that share at least one blocking key.

    Returns
    -------
    a, b : int64 arrays, sorted by (a, b), without repeats.
    """
    refiners = [records[c].to_numpy(dtype=object) for c in ("province_code", "district_code")]
    lacks_district = refiners[1] == ""
    codes = []
    for rule, keys in build_blocking_keys(records).items():
        if rule in NO_PLACE_RULES:  # lines that both give a district have the district rules
            a, b = _block_pairs(keys, refiners, lacks_district)
            keep = lacks_district[a] | lacks_district[b]
            a, b = a[keep], b[keep]
        else:
            a, b = _block_pairs(keys, refiners)
        codes.append(a * len(records) + b)
    # Sorted, then repeats dropped: numpy's unique hashes plain integers, 16 times slower here.
    codes = np.sort(np.concatenate(codes)) if codes else np.array([], dtype=np.int64)
    unique = codes[np.concatenate([[True], codes[1:] != codes[:-1]])] if len(codes) else codes
    return unique // max(len(records), 1), unique % max(len(records), 1)


def _block_pairs(keys: np.ndarray, refiners: list[np.ndarray],
                 needed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """All pairs within blocks of equal non-empty keys; oversized blocks are refined.

    With ``needed`` (a flag per record), only blocks with a flagged record make pairs: a
    rule for lines without a district keeps only pairs with such a line, and nationally
    99 % of its blocks (5.4 million pairs) have none.
    """
    index = np.flatnonzero(keys != "")
    if len(index) == 0:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    group, _ = pd.factorize(keys[index])
    sizes = np.bincount(group)
    order = index[np.argsort(group, kind="stable")]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    parts_a, parts_b = [], []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= MAX_BLOCK_SIZE)]):
        members = order[starts[sizes == size][:, None] + np.arange(size)]
        if needed is not None:
            members = members[needed[members].any(axis=1)]
        upper_a, upper_b = np.triu_indices(size, 1)
        parts_a.append(members[:, upper_a].ravel())
        parts_b.append(members[:, upper_b].ravel())
    oversized = sizes > MAX_BLOCK_SIZE
    if oversized.any() and refiners:
        big = np.concatenate([order[s:s + n] for s, n in zip(starts[oversized], sizes[oversized])])
        finer = np.full(len(keys), "", dtype=object)
        extra = refiners[0][big]
        finer[big] = np.where(extra != "", keys[big] + "|" + extra, "")
        a, b = _block_pairs(finer, refiners[1:], needed)
        parts_a.append(a)
        parts_b.append(b)
    if not parts_a:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    a, b = np.concatenate(parts_a).astype(np.int64), np.concatenate(parts_b).astype(np.int64)
    return np.minimum(a, b), np.maximum(a, b)


# --- scoring --------------------------------------------------------------------------


def compare_pairs(records, a: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
    """The agreement level of each comparison for each pair: index into its levels, -1 = missing.

    ``records`` is the table of :func:`build_features` or its :func:`to_columns`.
    """
    col = records if isinstance(records, dict) else to_columns(records)
    place = _compare_places(col, a, b)
    organisation_place = _compare_organisation_places(col, a, b)
    organisation_place[(place != -1) & (place != 4)] = -1  # the lines' own places said more
    return {
        "first name": _compare_names(col["first"][a], col["first"][b], col["first_names"], similar=False),
        "surname": _compare_names(col["last"][a], col["last"][b], col["last_names"], similar=True),
        "titles": _compare_equal(col["gender"][a], col["gender"][b]),
        "phone": _compare_equal(col["phone"][a], col["phone"][b]),
        "e-mail": _compare_equal(col["email"][a], col["email"][b]),
        "place": place,
        "organisation": _compare_organisations(col, a, b),
        "organisation's place": organisation_place,
        "national id": _compare_equal(col["national_id"][a], col["national_id"][b]),
    }


def _compare_names(x: np.ndarray, y: np.ndarray, names: np.ndarray, similar: bool) -> np.ndarray:
    """exact 0, one typo apart 1, then for surnames similar 2, for first names short and
    one letter apart 2, different last; -1 when either is missing. ``x`` and ``y`` are the
    codes of the names of two records (:func:`to_columns`), ``names`` the text of each code.

    Names repeat: a national run's 1.3 million pairs hold 17,000 distinct pairs of
    different first names and 130,000 of surnames, and each is measured once.
    """
    level = np.full(len(x), -1, dtype=np.int8)
    known = (x >= 0) & (y >= 0)
    level[known & (x == y)] = 0
    differ = np.flatnonzero(known & (x != y))
    if not len(differ):
        return level
    inverse, pair = pd.factorize(x[differ] * len(names) + y[differ])
    xs, ys = names[pair // len(names)], names[pair % len(names)]
    edits = process.cpdist(xs.tolist(), ys.tolist(), scorer=OSA.distance)
    longest = np.maximum([len(s) for s in xs.tolist()], [len(s) for s in ys.tolist()])
    out = np.full(len(pair), 3, dtype=np.int8)
    if similar:
        jw = process.cpdist(xs.tolist(), ys.tolist(), scorer=JaroWinkler.similarity)
        out[jw >= SIMILAR_JW] = 2
    else:
        out[edits <= CLOSE_EDITS] = 2
    out[(edits <= CLOSE_EDITS) & (longest >= CLOSE_MIN_LENGTH)] = 1
    level[differ] = out[inverse]
    return level


def _compare_equal(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """equal 0, different 1, -1 when either is missing (codes of :func:`to_columns`)."""
    level = np.where(x == y, 0, 1).astype(np.int8)
    level[(x < 0) | (y < 0)] = -1
    return level


def _compare_places(col: dict, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The finest administrative level both records know, and whether it agrees."""
    level = np.full(len(a), -1, dtype=np.int8)
    tambon_a, tambon_b = col["tambon_code"][a], col["tambon_code"][b]
    district_a, district_b = col["district_code"][a], col["district_code"][b]
    province_a, province_b = col["province_code"][a], col["province_code"][b]
    both_province = (province_a >= 0) & (province_b >= 0)
    both_district = (district_a >= 0) & (district_b >= 0)
    both_tambon = (tambon_a >= 0) & (tambon_b >= 0)
    # Written from coarse to fine so that the finest known agreement wins.
    level[both_province & (province_a != province_b)] = 6
    level[both_province & (province_a == province_b)] = 4
    level[both_district & (district_a != district_b)] = 5
    same_district = both_district & (district_a == district_b)
    level[same_district] = 2
    level[same_district & both_tambon & (tambon_a != tambon_b)] = 3
    level[_is_among_candidates(col, a, b) & (level != 5) & (level != 6)] = 1
    level[both_tambon & (tambon_a == tambon_b)] = 0
    return level


def _is_among_candidates(col: dict, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairs where one line's unresolved tambon name may mean the other's tambon (or the
    two ambiguous names share a candidate)."""
    cand_a, cand_b = col["tambon_candidates"][a], col["tambon_candidates"][b]
    out = np.zeros(len(a), dtype=bool)
    for i in np.flatnonzero((cand_a != "") | (cand_b != "")).tolist():
        x = set(cand_a[i].split("|")) if cand_a[i] else {col["tambon_text"][a[i]]}
        y = set(cand_b[i].split("|")) if cand_b[i] else {col["tambon_text"][b[i]]}
        out[i] = bool((x & y) - {""})
    return out


def _compare_organisations(col: dict, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """same organisation 0, same agency 1, different 2, -1 when either roster is unknown."""
    org_a, org_b = col["org_id"][a], col["org_id"][b]
    agency_a, agency_b = col["agency"][a], col["agency"][b]
    level = np.full(len(a), 2, dtype=np.int8)
    level[(agency_a >= 0) & (agency_a == agency_b)] = 1
    level[org_a == org_b] = 0
    level[(org_a < 0) | (org_b < 0)] = -1
    return level


def _compare_organisation_places(col: dict, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For pairs where a line gives no district of its own: its organisation's district
    and tambon against the other line's own (or, lacking those, its organisation's). Same
    tambon 0, same district 1, other district 2; -1 when both lines give a district or a
    side knows no district at all."""
    district_a, tambon_a = _own_or_organisation_place(col, a)
    district_b, tambon_b = _own_or_organisation_place(col, b)
    level = np.full(len(a), -1, dtype=np.int8)
    inferred = (col["org_district"][a] >= 0) | (col["org_district"][b] >= 0)
    known = inferred & (district_a >= 0) & (district_b >= 0)
    level[known] = np.where(district_a[known] == district_b[known], 1, 2)
    level[known & (tambon_a >= 0) & (tambon_a == tambon_b) & (district_a == district_b)] = 0
    return level


def _own_or_organisation_place(col: dict, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """District and tambon codes of the records at ``index``: their own when they give a
    district, else their organisation's (taken for those records only: the clustering asks
    about a few pairs at a time)."""
    district, own = col["district_code"][index], col["district_code"][index] >= 0
    return (np.where(own, district, col["org_district"][index]),
            np.where(own, col["tambon_code"][index], col["org_tambon"][index]))


def learn_weights(records: pd.DataFrame, levels: dict, columns: dict | None = None) -> MatchWeights:
    """The match weights this dataset teaches (analysis.resolve.weights): u from random
    pairs and value frequencies, m by EM over the compared pairs (their ``levels``, from
    :func:`compare_pairs`), the name frequencies, and the merge threshold. ``columns``:
    :func:`to_columns` of ``records``, when already made."""
    n_compared = len(levels["first name"])
    priors_m = {name: np.array([lv.m for lv in levels]) for name, levels in COMPARISONS.items()}
    priors_u = {name: np.array([lv.u for lv in levels]) for name, levels in COMPARISONS.items()}
    random_a, random_b = draw_random_pairs(len(records))
    random_levels = compare_pairs(to_columns(records) if columns is None else columns, random_a, random_b)
    names = records[["first", "last"]].drop_duplicates()
    contacts = {c: records[[c, "full"]].drop_duplicates()[c].tolist() for c in ("phone", "email")}
    exact_u = {}
    for name, values in (("first name", names["first"].tolist()), ("surname", names["last"].tolist()),
                         ("phone", contacts["phone"]), ("e-mail", contacts["email"])):
        share, n_known = compute_agreement_share(values)
        n_pairs = n_known * (n_known - 1) / 2
        exact_u[name] = (share * n_pairs + PRIOR_AGREEMENTS) / (n_pairs + PRIOR_AGREEMENTS / priors_u[name][0])
    u = estimate_u({k: v for k, v in random_levels.items() if k in LEARNED},
                   {k: priors_u[k] for k in LEARNED}, exact_u)
    u["national id"] = priors_u["national id"]
    may_merge = ~find_vetoed(levels)
    n_fitted = int(may_merge.sum())
    m, share = estimate_m({k: v[may_merge] for k, v in levels.items()}, u, priors_m, LEARNED, caps=M_CAPS)
    for name, level in VETO_LEVELS.items():  # never seen by EM: the prior, the rest in proportion
        rest = np.delete(np.arange(len(m[name])), level)
        m[name][rest] *= (1 - priors_m[name][level]) / m[name][rest].sum()
        m[name][level] = priors_m[name][level]
    # The exact levels of names, phones and e-mails came from distinct values: no self-pairs.
    u = remove_matches_from_u(u, m, share, n_fitted, len(records), LEARNED)
    for name, value in exact_u.items():
        u[name][0] = value
    m["place"], u["place"] = condition_place_levels(m["place"], u["place"], records["tambon_candidates"])
    for name in LEARNED:
        # A level the data never show (no agency in a table without organisations) keeps
        # its prior; an agreement never counts against a pair, a disagreement never for it.
        seen = np.bincount(levels[name][levels[name] >= 0], minlength=len(m[name]))
        seen += np.bincount(random_levels[name][random_levels[name] >= 0], minlength=len(m[name]))
        m[name] = np.where(seen == 0, priors_m[name], m[name])
        u[name] = np.where(seen == 0, priors_u[name], u[name])
        for level in DISAGREEMENTS.get(name, ()):
            u[name][level] = max(u[name][level], m[name][level])
        for level in set(range(len(m[name]))) - set(DISAGREEMENTS.get(name, ())):
            m[name][level] = max(m[name][level], u[name][level])
    name_u = estimate_name_u(names["first"].tolist(), names["last"].tolist(),
                             u["first name"][0], u["surname"][0])
    return MatchWeights(
        m=m, u=u, labels={name: [lv.label for lv in levels] for name, levels in COMPARISONS.items()},
        learned=LEARNED, name_u=name_u, match_share=share,
        merge_min=compute_merge_min(share, n_fitted, len(records)),
        n_random_pairs=len(random_a), n_compared_pairs=n_compared,
    )


def condition_place_levels(m: np.ndarray, u: np.ndarray, candidates: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """m and u of the place levels where one line says less than the other, given what
    both say.

    How often a line gives only its district (or province) is a matter of the roster,
    not of who is on it, and so rare that random pairs and EM see few such pairs. The
    level "same district, tambon unknown on one" therefore gets m and u of "same district"
    among pairs where both districts are known (levels 0, 2, 3 of 0, 2, 3, 5, 6),
    "same province, district unknown on one" those of "same province" (not 6), and "tambon
    among the candidates of an ambiguous name" those of the same tambon with u multiplied
    by the mean number of candidates (one chance in k that a random line is the one meant).
    """
    m, u = m.copy(), u.copy()
    ambiguous = [c for c in candidates.tolist() if c]
    n_candidates = float(np.mean([c.count("|") + 1 for c in ambiguous])) if ambiguous else 2.0
    m[1] = m[0] / m[[0, 2, 3, 5, 6]].sum()
    u[1] = min(u[0] / u[[0, 2, 3, 5, 6]].sum() * n_candidates, 1.0)
    for level, same, known in ((2, [0, 2, 3], [0, 2, 3, 5, 6]), (4, [0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5, 6])):
        m[level] = m[same].sum() / m[known].sum()
        u[level] = u[same].sum() / u[known].sum()
    return m, u


#: The columns of :func:`build_features` that the comparisons read, as integer codes, in
#: groups that share their codes: a line's own district (tambon) is compared with the
#: district (tambon) of another line's organisation.
COMPARED_COLUMNS = (("first",), ("last",), ("gender",), ("phone",), ("email",), ("org_id",), ("agency",),
                    ("province_code",), ("district_code", "org_district"), ("tambon_code", "org_tambon"),
                    ("national_id",))


def to_columns(records: pd.DataFrame) -> dict[str, np.ndarray]:
    """The compared columns of :func:`build_features` as integer codes, -1 for ``''`` (equal
    texts, equal codes: a million pairs are compared as integers, not as Python strings),
    made once; with the texts the comparisons read: ``first_names`` and ``last_names`` (the
    text of each code), ``tambon_text`` and ``tambon_candidates`` (per record).

    Examples
    --------
    >>> columns = to_columns(pd.DataFrame({c: ["", "x", "x"] for group in COMPARED_COLUMNS for c in group}
    ...                                   | {"tambon_candidates": ["", "", ""]}))
    >>> columns["phone"].tolist(), columns["first_names"][columns["first"][1]]
    ([-1, 1, 1], 'x')
    """
    columns = {}
    for group in COMPARED_COLUMNS:
        texts = np.concatenate([records[c].to_numpy(dtype=object) for c in group])
        codes, uniques = _encode_texts(texts)
        for i, name in enumerate(group):
            columns[name] = codes[i * len(records):(i + 1) * len(records)]
        if group[0] in ("first", "last"):
            columns[f"{group[0]}_names"] = uniques
    columns["tambon_text"] = records["tambon_code"].to_numpy(dtype=object)
    columns["tambon_candidates"] = records["tambon_candidates"].to_numpy(dtype=object)
    return columns


def _encode_texts(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of texts (int64, -1 for ``''``) and the text of each code (object array)."""
    codes, uniques = pd.factorize(texts)
    uniques = np.asarray(uniques, dtype=object)
    empty = np.flatnonzero(uniques == "")
    codes = codes.astype(np.int64)
    if len(empty):
        codes[codes == empty[0]] = -1
    return codes, uniques


def score_pairs(records, a: np.ndarray, b: np.ndarray, weights: MatchWeights,
                levels: dict | None = None) -> pd.DataFrame:
    """Score pairs of records (indices ``a``, ``b`` into ``records``).

    An exact first name or surname counts log2(m / u) with the u of that very name (its
    frequency, :func:`analysis.resolve.weights.estimate_name_u`).

    Returns
    -------
    DataFrame with a, b, score (summed log2 Bayes factors), decision, is_vetoed (clearly
    different first names, titles of different genders, different national ids),
    forbids_merge (the two records may not end in one person), levels (the agreement levels
    packed in one integer, see :func:`describe_evidence`) and note (0; set later for
    reviewers' decisions and refused merges).
    """
    col = records if isinstance(records, dict) else to_columns(records)
    levels = compare_pairs(col, a, b) if levels is None else levels
    score = np.zeros(len(a))
    for name, level in levels.items():
        score += weights.level_weights(name)[level]  # level -1 picks the trailing 0.0
    for name, column in (("first name", "first"), ("surname", "last")):
        exact = np.flatnonzero(levels[name] == 0)
        if len(exact):  # each name's u looked up once
            inverse, code = pd.factorize(col[column][a[exact]])
            u_of = np.array([weights.name_u[name].get(value, weights.u[name][0])
                             for value in col[f"{column}_names"][code].tolist()], dtype=float)
            score[exact] += np.log2(weights.u[name][0] / u_of[inverse])
    score = np.round(score, 2)
    merge_min, review_min = weights.merge_min, weights.merge_min - REVIEW_MARGIN
    is_vetoed = find_vetoed(levels)
    decision = np.where(score >= review_min, "near_miss", "different").astype(object)
    decision[(score >= merge_min) & ~is_vetoed] = "merge"
    # Records that contradict each other (another phone, e-mail or place) may share a
    # person only when their own link is strong enough to merge them: a record that
    # matches two namesakes on the name alone must not chain them together.
    is_conflicting = (levels["phone"] == 1) | (levels["e-mail"] == 1) | np.isin(levels["place"], (3, 5, 6))
    is_conflicting |= levels["organisation's place"] == 2
    forbids_merge = is_vetoed | (score < review_min) | (is_conflicting & (score < merge_min))
    forbids_merge &= levels["national id"] != 0
    packed = np.zeros(len(a), dtype=np.int64)
    for level in levels.values():  # 3 bits per comparison: level + 1 is 0..7
        packed = (packed << 3) | (level.astype(np.int64) + 1)
    return pd.DataFrame({
        "a": a, "b": b, "score": score, "decision": decision, "is_vetoed": is_vetoed,
        "forbids_merge": forbids_merge, "levels": packed, "note": np.zeros(len(a), dtype=np.int8),
    })


def find_vetoed(levels: dict) -> np.ndarray:
    """Pairs the model never merges (:data:`VETO_LEVELS`): clearly different first names
    or titles of different genders, unless equal valid national ids decide the pair; and
    different national ids."""
    vetoed = (levels["first name"] == VETO_LEVELS["first name"]) | (levels["titles"] == VETO_LEVELS["titles"])
    return (vetoed & (levels["national id"] != 0)) | (levels["national id"] == VETO_LEVELS["national id"])


#: Notes added to the evidence of a pair: 1 and 2 by reviewers, 3 by the clustering.
NOTES = {
    0: ("", ""),
    1: ("reviewer decided same; ", ""),
    2: ("reviewer decided different; ", ""),
    3: ("", "; kept apart: it would join records that differ"),
}


def describe_evidence(levels: np.ndarray, notes: np.ndarray, weights: MatchWeights) -> pd.Categorical:
    """'first name exact (by frequency); surname one typo apart +6.6; …' for each pair.

    Pairs share a few hundred combinations of levels, so each text is written once and the
    result is categorical: millions of pairs cost one small integer each. An exact name
    counts by how common it is, so its bits are in the pair's score, not in the text.
    """
    combos, inverse = _unique_integers(levels * 4 + notes)
    texts = [_describe_combo(int(combo) // 4, int(combo) % 4, weights) for combo in combos]
    return pd.Categorical.from_codes(inverse, categories=texts)


def _unique_integers(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)``, by hashing, then sorting the distinct
    values only: a few hundred combinations of levels among a million pairs, 15 times faster.

    Examples
    --------
    >>> [x.tolist() for x in _unique_integers(np.array([7, 3, 7, 5]))]
    [[3, 5, 7], [2, 0, 2, 1]]
    """
    codes, uniques = pd.factorize(values)
    order = np.argsort(uniques)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return uniques[order], rank[codes]


def _describe_combo(packed: int, note: int, weights: MatchWeights) -> str:
    parts = []
    for shift, (name, levels) in zip(range(3 * (len(COMPARISONS) - 1), -1, -3), COMPARISONS.items()):
        level = ((packed >> shift) & 7) - 1
        if level == 0 and name in weights.name_u:
            parts.append(f"{name} {levels[level].label} (by frequency)")
        elif level >= 0:
            parts.append(f"{name} {levels[level].label} {weights.level_weights(name)[level]:+.1f}")
    if ((packed >> 3 * (len(COMPARISONS) - 1)) & 7) - 1 == len(FIRST_NAME) - 1:
        parts.append("first names differ: the model never merges these")
    if ((packed >> 3 * (len(COMPARISONS) - 3)) & 7) - 1 == 1:
        parts.append("titles of different genders: the model never merges these")
    if (packed & 7) - 1 == 1:  # the national id is the last comparison
        parts.append("national ids differ: the model never merges these")
    before, after = NOTES[note]
    return before + "; ".join(parts) + after


# --- decisions and clustering ---------------------------------------------------------


def _decision_links(records: pd.DataFrame, decisions: pd.DataFrame | None) -> tuple[list, list]:
    """Reviewers' person decisions as record index pairs (a < b): (same, different)."""
    if decisions is None or len(decisions) == 0:
        return [], []
    by_key: dict[str, list[int]] = {}
    for index, key in enumerate(records["key"]):
        by_key.setdefault(key, []).append(index)
    same, different = set(), set()
    for row in decisions[decisions["kind"] == "person"].itertuples():
        target = same if row.decision == "same" else different
        for x in by_key.get(str(row.a).strip(), []):
            for y in by_key.get(str(row.b).strip(), []):
                if x != y:
                    target.add((min(x, y), max(x, y)))
    # A pair a reviewer called both same and different (through duplicate keys) stays apart.
    return sorted(same - different), sorted(different)


def _apply_decisions(scored: pd.DataFrame, same: list, different: list) -> pd.DataFrame:
    """Reviewers' decisions replace the model's on the pairs they name."""
    scored = scored.assign(is_decided=False)
    if not same and not different:
        return scored
    pair = list(zip(scored["a"].tolist(), scored["b"].tolist()))
    same, different = set(same), set(different)
    is_same = np.array([p in same for p in pair], dtype=bool)
    is_different = np.array([p in different for p in pair], dtype=bool)
    scored.loc[is_same, ["decision", "forbids_merge", "note"]] = ["merge", False, 1]
    scored.loc[is_different, ["decision", "note"]] = ["different", 2]
    scored["is_decided"] = is_same | is_different
    return scored


def cluster_records(records: pd.DataFrame, scored: pd.DataFrame, same: list, different: list,
                    weights: MatchWeights, columns: dict | None = None):
    """Join records into persons: reviewers' links first, then model merges strongest first.

    A merge of two groups is refused when any record of one and any record of the other
    are a reviewer's ``different``, or (for model merges) are scored ``different`` or have
    clearly different first names, or contradict each other (phone, e-mail, place) without
    being strong enough to merge on their own. Pairs first compared here are added to
    ``scored``.

    Returns
    -------
    labels : int array, the group of each record (the smallest record index in it).
    scored : the scored pairs, with those compared during clustering, and decisions of
        refused merges turned to ``near_miss``.
    """
    n = len(records)
    groups = _Groups(n)
    cannot = {a * n + b for a, b in different}
    for a, b in same:
        ra, rb = groups.find(a), groups.find(b)
        if ra != rb and not cannot.intersection(groups.cross_codes(ra, rb)):
            groups.union(ra, rb)

    # Whether each compared pair forbids a merge, by code a * n + b (each pair is compared
    # once). A dict: a national run asks about a hundred thousand small groups of codes, and
    # numpy's per-call overhead cost more than the lookups.
    compared = dict(zip((scored["a"] * n + scored["b"]).tolist(), scored["forbids_merge"].tolist()))
    extra: list[pd.DataFrame] = []
    extra_forbids: dict[int, bool] = {}
    columns = to_columns(records) if columns is None else columns

    merges = scored[(scored["decision"] == "merge") & ~scored["is_decided"]]
    merges = merges.sort_values(["score", "a", "b"], ascending=[False, True, True], kind="stable")
    refused = []
    find, members = groups.find, groups.members
    for index, a, b in zip(merges.index.tolist(), merges["a"].tolist(), merges["b"].tolist()):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if cannot or ra in members or rb in members:  # else the two records alone: their own pair merges
            cross = groups.cross_codes(ra, rb)
            if cannot.intersection(cross) or (len(cross) > 1 and _is_forbidden(
                    cross, compared, extra_forbids, columns, n, extra, weights)):
                refused.append(index)
                continue
        groups.union(ra, rb)
    scored = scored.copy()
    scored.loc[refused, ["decision", "note"]] = ["near_miss", 3]
    if extra:
        scored = pd.concat([scored, *extra], ignore_index=True)
    labels = groups.find_all()
    return labels, scored


def _is_forbidden(cross: list[int], compared: dict, extra_forbids: dict, columns: dict, n: int, extra: list,
                  weights: MatchWeights) -> bool:
    """True when any pair (code a * n + b) in ``cross`` forbids a merge. ``compared``: whether
    each pair the blocking compared forbids one; pairs never compared are scored now
    (``columns``: :func:`to_columns`), unless a compared pair already forbids the merge, and
    remembered in ``extra_forbids`` and ``extra``."""
    outside = []
    for code in cross:
        forbids = compared.get(code)
        if forbids is None:
            outside.append(code)
        elif forbids:
            return True
    if not outside:  # the common case: every pair was compared by the blocking
        return False
    unseen = [c for c in outside if c not in extra_forbids]
    if unseen:
        new = score_pairs(columns, np.array(unseen) // n, np.array(unseen) % n, weights)
        new["is_decided"] = False
        extra.append(new)
        extra_forbids.update(zip(unseen, new["forbids_merge"].tolist()))
    return any(extra_forbids[c] for c in outside)


class _Groups:
    """Union-find over record indices that also keeps each group's members (a record
    alone is its own group and is not stored: most records of a national run never join)."""

    def __init__(self, n: int):
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {}
        self.n = n

    def find(self, i: int) -> int:
        parent = self.parent  # a local name: a national run asks 760,000 times
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, ra: int, rb: int) -> None:
        keep, drop = (ra, rb) if ra < rb else (rb, ra)
        self.parent[drop] = keep
        members = self.members
        if keep in members:
            members[keep].extend(members.pop(drop, (drop,)))
        else:
            members[keep] = [keep, *members.pop(drop, (drop,))]

    def find_all(self) -> np.ndarray:
        """The group (root) of every record, by pointer jumping over all records at once."""
        parent = np.array(self.parent, dtype=np.int64)
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                return parent
            parent = grand

    def cross_codes(self, ra: int, rb: int) -> list[int]:
        """Codes a * n + b (a < b) of every pair with one record in each group."""
        n = self.n
        return [x * n + y if x < y else y * n + x for x in self.members.get(ra, [ra]) for y in self.members.get(rb, [rb])]


# --- outputs --------------------------------------------------------------------------


def make_person_id(smallest_key: str) -> str:
    """A person id from content: 'P-' + the first 10 hex digits of the SHA-1 of the smallest
    record key of the person. Stable across runs and quarters while that record is present,
    whatever the row order or record ids. 40 bits keep the chance of any clash among
    300,000 persons near 4 %; clashes get a suffix (see :func:`resolve_people`).

    Examples
    --------
    >>> make_person_id("สมชาย ใจดี|A|800101|")
    'P-97602a3715'
    """
    return "P-" + hash_key(smallest_key)[:10]


def make_record_key(key: str) -> str:
    """The ``record_key`` column of persons.csv: 'K-' + 12 hex digits of the SHA-1 of the
    record's :func:`record_key`. A digest, so that persons.csv does not repeat phone numbers;
    equal in two runs exactly when the record's stable content is (``stakemap compare``
    matches persons across quarters on it, also when the record ids were re-exported).

    Examples
    --------
    >>> make_record_key("สมชาย ใจดี|A|800101|")
    'K-97602a371573'
    """
    return "K-" + hash_key(key)[:12]


def hash_key(key: str) -> str:
    """The SHA-1 of a record key, in hex: :func:`make_person_id` and :func:`make_record_key`
    take their digits from it, so a record's is computed once for both."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def _build_persons(records: pd.DataFrame, labels: np.ndarray, record_rank: np.ndarray) -> pd.DataFrame:
    """record_id, person_id, person_name, record_key for every record, sorted by person_id
    then record_id (``record_rank``: :func:`rank_texts` of the record ids)."""
    labels = np.asarray(labels, dtype=np.int64)
    frame = records[["record_id", "key", "full"]].assign(group=labels)
    digests = [hash_key(key) for key in frame["key"].tolist()]
    # A person's smallest key is that of its first record: records are sorted by key.
    groups, first = np.unique(labels, return_index=True)
    ids = pd.Series(["P-" + digests[i][:10] for i in first.tolist()], index=groups, dtype=object)
    # Clashing ids (same hash prefix, or two persons with an identical smallest key that a
    # reviewer kept apart) get -2, -3 … in the order of the persons' sorted keys.
    clashing = ids[ids.duplicated(keep=False)]
    if len(clashing):
        by_key = frame.take(np.lexsort((rank_sorted_texts(frame["key"]), labels)))
        keys = by_key[by_key["group"].isin(clashing.index)].groupby("group")["key"].agg(tuple)
        for _, same_id in clashing.groupby(clashing):
            for n, group in enumerate(sorted(same_id.index, key=lambda g: keys[g])[1:], start=2):
                ids[group] = f"{ids[group]}-{n}"
    # The most common full name of each person; ties go to the alphabetically first. Counted
    # on integers: (group, rank of the name) packed in one number.
    full = frame["full"].to_numpy(dtype=object)
    rank = rank_texts(full)
    combos, first_row, n = np.unique(labels * (int(rank.max(initial=0)) + 1) + rank,
                                     return_index=True, return_counts=True)
    group = combos // (int(rank.max(initial=0)) + 1)
    best = np.lexsort((rank[first_row], -n, group))  # by group, most lines, then name
    best = best[np.concatenate([[True], group[best][1:] != group[best][:-1]])] if len(best) else best
    id_rank = np.empty(len(frame), dtype=np.int64)  # persons are sorted by the ranks of their ids
    id_rank[ids.index.to_numpy(dtype=np.int64)] = rank_texts(ids)
    name_of = np.empty(len(frame), dtype=object)
    name_of[group[best]] = full[first_row[best]]
    persons = pd.DataFrame({
        "record_id": frame["record_id"],
        "person_id": ids.reindex(labels).to_numpy(dtype=object),
        "person_name": name_of[labels],
        "record_key": ["K-" + digest[:12] for digest in digests],
    })
    return persons.take(np.lexsort((record_rank, id_rank[labels]))).reset_index(drop=True)


def _build_pairs_table(records: pd.DataFrame, scored: pd.DataFrame, labels: np.ndarray,
                       weights: MatchWeights, record_rank: np.ndarray) -> pd.DataFrame:
    # Sorted by key_a, key_b, record_a, record_b through the ranks of the records' texts
    # (``record_rank``: :func:`rank_texts` of the record ids): the texts of a million pairs
    # are not compared again.
    key = rank_sorted_texts(records["key"])
    a, b = scored["a"].to_numpy(), scored["b"].to_numpy()
    order = _sort_pairs(key[a] * (int(key.max(initial=0)) + 1) + key[b], record_rank[a], record_rank[b])
    scored, a, b = scored.iloc[order], a[order], b[order]
    # Texts taken as they are stored (Arrow strings): a million pairs make no Python strings.
    key, record = records["key"], records["record_id"]
    pairs = pd.DataFrame({
        "key_a": key.take(a).reset_index(drop=True),
        "key_b": key.take(b).reset_index(drop=True),
        "record_a": record.take(a).reset_index(drop=True),
        "record_b": record.take(b).reset_index(drop=True),
        "score": scored["score"].to_numpy(),
        "decision": scored["decision"].to_numpy(),
        "evidence": describe_evidence(scored["levels"].to_numpy(), scored["note"].to_numpy(), weights),
        "is_same_person": labels[a] == labels[b],
        "is_vetoed": scored["is_vetoed"].to_numpy(),
        "is_decided": scored["is_decided"].to_numpy(),
    })
    return pairs


def _sort_pairs(keys: np.ndarray, record_a: np.ndarray, record_b: np.ndarray) -> np.ndarray:
    """The order of pairs by ``keys``, then ``record_a``, then ``record_b``, stably.

    Pairs of records with distinct keys never tie on ``keys`` (30 national records share a
    key with another), and records and pairs come sorted by key already: one stable sort of
    the nearly sorted keys, then the few tied pairs sorted on their own, instead of a sort
    by all four columns (0.5 CPU s for 1.3 million pairs).

    Examples
    --------
    >>> _sort_pairs(np.array([2, 1, 1, 0]), np.array([0, 5, 4, 0]), np.array([0, 0, 0, 0])).tolist()
    [3, 2, 1, 0]
    """
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    same = ordered[1:] == ordered[:-1]
    tied = np.flatnonzero(np.concatenate([[False], same]) | np.concatenate([same, [False]]))
    if len(tied):
        rows = order[tied]
        order[tied] = rows[np.lexsort((record_b[rows], record_a[rows], keys[rows]))]
    return order


def _build_review(records: pd.DataFrame, pairs: pd.DataFrame, weights: MatchWeights,
                  labels: np.ndarray) -> pd.DataFrame:
    """The near misses a reviewer should look at, the decisions that would change most first.

    A pair whose records are already one person is not listed, and two persons appear once
    (through their strongest pair). Order: distance to the merge threshold in whole bits
    (the most uncertain first), then the organisations at stake (those of both persons
    together: a merge there changes hats), then content keys.

    Pairs the model never merges (clearly different first names, titles of different
    genders) are listed only when the rest of their evidence would reach the threshold: a
    name change or a data-entry slip looks like that; a couple sharing surname, phone and
    tambon mostly does not, and would fill the list.
    """
    merge_min = weights.merge_min
    is_candidate = (pairs["decision"] == "near_miss") & ~pairs["is_decided"] & ~pairs["is_same_person"]
    is_candidate &= ~pairs["is_vetoed"] | (pairs["score"] >= merge_min)
    uncertain = pairs[is_candidate].copy()
    group = pd.Series(labels, index=records["record_id"].to_numpy())
    group = group[~group.index.duplicated()]
    uncertain["group_a"] = group.reindex(uncertain["record_a"]).to_numpy()
    uncertain["group_b"] = group.reindex(uncertain["record_b"]).to_numpy()
    orgs = pd.DataFrame({"group": labels, "org": records["org_id"].to_numpy()})
    orgs = orgs[orgs["org"] != ""].drop_duplicates()
    n_orgs = orgs.groupby("group").size().reindex(range(len(records)), fill_value=0).to_numpy()
    involved = orgs[orgs["group"].isin(np.union1d(uncertain["group_a"], uncertain["group_b"]))]
    shared = involved.merge(involved, on="org").groupby(["group_x", "group_y"]).size()  # only the listed persons
    pair_index = pd.MultiIndex.from_arrays([uncertain["group_a"], uncertain["group_b"]])
    uncertain["at_stake"] = (n_orgs[uncertain["group_a"]] + n_orgs[uncertain["group_b"]]
                             - shared.reindex(pair_index, fill_value=0).to_numpy())
    uncertain["distance"] = np.floor((uncertain["score"] - merge_min).abs())
    uncertain = uncertain.sort_values(["distance", "at_stake", "key_a", "key_b"],
                                      ascending=[True, False, True, True], kind="stable")
    uncertain["persons"] = [(min(x, y), max(x, y)) for x, y in zip(uncertain["group_a"], uncertain["group_b"])]
    uncertain = uncertain.drop_duplicates("persons")
    by_id = records.set_index("record_id")
    by_id = by_id[~by_id.index.duplicated()]
    review = pd.DataFrame({
        "kind": "person",
        "key_a": uncertain["key_a"],
        "key_b": uncertain["key_b"],
        "decision": "",
        "note": "",
        "score": uncertain["score"],
        "model": uncertain["decision"],
        "evidence": uncertain["evidence"].astype(str),
    })
    for column, source in (("name", "name"), ("source", "source"), ("place", "place"),
                           ("phone", "phone"), ("email", "email"), ("org", "org_id")):
        review[f"{column}_a"] = by_id[source].reindex(uncertain["record_a"]).to_numpy()
        review[f"{column}_b"] = by_id[source].reindex(uncertain["record_b"]).to_numpy()
    review["record_a"] = uncertain["record_a"]
    review["record_b"] = uncertain["record_b"]
    return review[list(REVIEW_COLUMNS)].reset_index(drop=True)
