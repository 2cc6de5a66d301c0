"""Duplicate projects (ซ้ำซ้อน): the same aim, in the same place, at the same time (CONTRACT §2).

The method follows record linkage's three steps (Fellegi & Sunter 1969; Christen, *Data
Matching*, 2012, ch. 4–6), here applied to projects instead of people:

1. **Blocking.** Two projects are compared only when their areas are the same or one contains
   the other (official codes are hierarchical: area A contains B iff B's code starts with A's).
   Projects are grouped by area code, and each district- or province-level project is joined
   with the projects inside it, so the work grows with the number of projects per area, not
   with the square of all projects. A project with no known area is never compared.
2. **Comparing.** Each candidate pair gets evidence: how far the periods overlap, how alike
   the aims are (TF-IDF cosine of character 2–4-grams, and the aims taxonomy of
   :mod:`analysis.aims`), how many people and organisations the two share. The evidence is
   combined into a score in [0, 1] (see :data:`WEIGHTS` and :func:`score_pairs`).
3. **Clustering.** Pairs scoring at least :data:`THRESHOLD` are linked; groups are built by
   greedy average linkage (Sokal & Michener 1958), so a weak chain A–B–C does not put A and
   C in one group unless their own comparison agrees.

What is *not* a duplicate, and where it goes instead:

- **co-funding**: one project with several funders → ``co_funded`` (one row per project);
- **later phase**: the same aim in the same place, periods that do not overlap →
  ``relations`` with ``relation = later_phase``;
- **template**: the same programme title in areas that do not contain each other →
  ``relations`` with ``relation = template``.

Two projects led by the same organisation, with the same aim in the same place and period,
are still reported as duplicates: the contract's definition does not ask for different
agencies, and such pairs are often one project entered twice. The reasons then say
"same lead organisation" so a planner can tell them from the cross-agency case.

Reviewers' decisions (``decisions.csv``, kind ``project``) always win: ``same`` links a pair
whatever its score, ``different`` keeps it apart. Decisions name projects by a content key
(normalised title | area code | start year), so they survive re-exports with new ids.
"""

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.aims import build_project_aims, load_aims
from analysis.dataset import Dataset, lookup
from analysis.ingest.normalise import normalise_text
from analysis.places import load_gazetteer

# ---------------------------------------------------------------- parameters

#: Pairs scoring at least this are duplicates. A pair whose aims are fully alike (1.0) passes
#: on aims alone, even with incomplete dates and a district-level partner
#: (1.0 × 0.7 × 0.85 × 0.9 = 0.54); a pair whose aim classes only half agree (0.5) passes
#: only with everything else in its favour (0.5 × 1.0, same tambon, periods nested, two
#: shared people), and is in the review band otherwise.
THRESHOLD = 0.5

#: Pairs within this distance of the threshold go to the review file: the unknown-dates
#: factor below takes 15 % off a score, about 0.15 near the threshold, so a pair whose verdict
#: could flip with one more date known is reviewed. (Accepted pairs with incomplete dates are
#: reviewed too: known dates might show a later phase.)
REVIEW_BAND = 0.15

#: support = BASE + PERIOD × period fit + SHARED × shared evidence; score = aims alike × support.
#: Aims carry most of the weight because the definition is about the same aim; overlapping
#: periods and shared people raise confidence but can never make different aims a duplicate.
WEIGHTS = {"base": 0.70, "period_fit": 0.15, "shared": 0.15}

#: Confidence factor when either project's start or end is unknown (the overlap is assumed).
UNKNOWN_DATES_FACTOR = 0.85
#: Confidence factor when one area contains the other instead of being the same: a district
#: project may work in other tambons than its partner's.
CONTAINS_FACTOR = 0.9
#: Period fit used when a period is not known at all: halfway, neither for nor against.
UNKNOWN_PERIOD_FIT = 0.5
#: A project with a start but no end (or the reverse) is taken to run one year: most Thai
#: community projects are funded for one fiscal year (1 October – 30 September).
ASSUMED_DAYS = 365
#: Shared people or organisations saturate at this count: two common committee members are
#: already unlikely by chance in a tambon of a few thousand people; more adds little.
SHARED_SATURATION = 2
#: Character n-gram sizes: Thai has no spaces between words, so words are not tokens;
#: 2–4 characters cover Thai syllables (FIELD_NOTES: char n-grams 2–4).
NGRAM_SIZES = (2, 3, 4)

#: Words every project uses; they say nothing about the aim (removed before text similarity).
STOPWORDS = (
    "โครงการ", "ส่งเสริม", "สนับสนุน", "พัฒนา", "กิจกรรม", "ประจำปี", "ปีงบประมาณ", "งบประมาณ",
    "ตำบล", "อำเภอ", "จังหวัด", "หมู่บ้าน", "หมู่ที่", "ต.", "อ.", "จ.", "พ.ศ.", "project",
)
_PLACE_PREFIX = re.compile(r"^(ตำบล|อำเภอ|จังหวัด|ต\.|อ\.|จ\.)\s*")
# Python's \W matches Thai vowels and tone marks written above or below the line (they are
# not alphanumeric), so punctuation is "not a word character and not Thai" (U+0E01–U+0E4E).
_NOISE = re.compile("|".join(re.escape(w) for w in sorted(STOPWORDS, key=len, reverse=True))
                    + r"|[^\w\u0E01-\u0E4E]+|[\d_๐-๙]+")
_LEVELS = {6: ("tambon", "ตำบล"), 4: ("district", "อำเภอ"), 2: ("province", "จังหวัด")}


@dataclass
class OverlapResult:
    """Duplicate projects and the pairs that look alike for other reasons.

    Attributes
    ----------
    groups : ``duplicate_projects.csv`` (CONTRACT §4): group_id, project_id, title, tambon,
        funder, score, reasons, reasons_th, aim, lead_org_id, suggested_host_id,
        suggested_host, period — one row per project in a group of two or more.
    pairs : every compared pair (same or containing area, overlapping or unknown periods,
        and every pair a reviewer decided) with its evidence and score; reasons are written
        for pairs at or above the review band.
    review : ``duplicate_review.csv``: undecided pairs near the threshold, most uncertain
        first, with key_a / key_b to copy into ``decisions.csv`` and an empty decision.
    relations : ``project_relations.csv``: relation (``later_phase`` or ``template``),
        project_a, project_b, titles, areas, periods, score, detail, detail_th.
    co_funded : projects with two or more funders (co-funding is not duplication).
    hosts : per group, the organisation with the most presence in the group's area.
    parameters : the method, weights and thresholds that made these tables.
    """

    groups: pd.DataFrame
    pairs: pd.DataFrame
    review: pd.DataFrame
    relations: pd.DataFrame
    co_funded: pd.DataFrame
    hosts: pd.DataFrame
    parameters: dict = field(default_factory=dict)


GROUP_COLUMNS = (
    "group_id", "project_id", "title", "tambon", "funder", "score", "reasons", "reasons_th",
    "aim", "lead_org_id", "suggested_host_id", "suggested_host", "period",
)
REVIEW_COLUMNS = (
    "kind", "key_a", "key_b", "decision", "note", "project_a", "project_b", "title_a", "title_b",
    "period_a", "period_b", "score", "reasons", "reasons_th",
)
RELATION_COLUMNS = (
    "relation", "project_a", "project_b", "title_a", "title_b", "area_a", "area_b",
    "period_a", "period_b", "score", "detail", "detail_th",
)
CO_FUNDED_COLUMNS = ("project_id", "title", "n_funders", "funder_ids", "funders", "amount_thb")
HOST_COLUMNS = ("group_id", "area_code", "area", "org_id", "name", "n_persons", "n_projects", "presence")


# ---------------------------------------------------------------- small helpers


def _text(df: pd.DataFrame, column: str) -> pd.Series:
    """A text column with missing values as '' (an absent optional column is all '')."""
    if column not in df.columns:
        return pd.Series([""] * len(df), index=df.index, dtype=object)
    return df[column].astype(object).where(df[column].notna(), "").astype(str)


def _place_name(text: str) -> str:
    """A place as written, without its ต./อ./จ. prefix; '' for a code written as a number."""
    name = _PLACE_PREFIX.sub("", text).strip()
    return "" if name.isdigit() else name


def build_project_key(title: str, area_code: str, start: pd.Timestamp) -> str:
    """The content key a reviewer's decision names a project by: title | area code | start year.

    The title is normalised and lower-cased with blanks collapsed, so a re-export with new
    ids, or retyped spacing, gives the same key.

    Examples
    --------
    >>> build_project_key("  บ้านมั่นคง  ชนบท ", "270404", pd.Timestamp("2024-03-01"))
    'บ้านมั่นคง ชนบท|270404|2024'
    >>> build_project_key("Flood Relief", "", pd.NaT)
    'flood relief||'
    """
    year = "" if pd.isna(start) else str(start.year)
    return f"{(normalise_text(title) or '').lower()}|{area_code}|{year}"


def _canonical_key(key: str) -> str:
    """A key from decisions.csv put in the form :func:`build_project_key` writes."""
    parts = str(key).rsplit("|", 2)
    if len(parts) != 3:
        return str(key)
    title, area, year = parts
    return f"{(normalise_text(title) or '').lower()}|{area.strip()}|{year.strip()}"


def format_periods(start: pd.Series, end: pd.Series) -> list[str]:
    """'2024-03..2025-03' for each start and end; '?' for an unknown end or start; '' when
    both are unknown.

    Examples
    --------
    >>> format_periods(pd.Series(pd.to_datetime(["2024-03-01", None, None])),
    ...                pd.Series(pd.to_datetime(["2025-03-31", "2025-01-01", None])))
    ['2024-03..2025-03', '?..2025-01', '']
    """
    first = pd.to_datetime(start).dt.strftime("%Y-%m").fillna("?").tolist()
    last = pd.to_datetime(end).dt.strftime("%Y-%m").fillna("?").tolist()
    return ["" if a == b == "?" else f"{a}..{b}" for a, b in zip(first, last)]


# ---------------------------------------------------------------- preparing projects


def find_area_names(dataset: Dataset, gazetteer) -> dict[str, str]:
    """Official code -> Thai name: the gazetteer's official name, else the dataset's most
    common spelling (a code the gazetteer does not know)."""
    rows = []
    for table in ("projects", "organisations", "people"):
        df = dataset.tables.get(table)
        if df is None or df.empty:
            continue
        for level in ("tambon", "district", "province"):
            if f"{level}_code" in df.columns:
                written = _text(df, level)
                names = {value: _place_name(value) for value in written.unique()}
                rows.append(pd.DataFrame({"code": _text(df, f"{level}_code"), "name": written.map(names)}))
    if not rows:
        return {}
    names = pd.concat(rows)
    names = names[names["code"] != ""]
    counts = names.groupby(["code", "name"]).size().reset_index(name="n")
    counts = counts.sort_values(["code", "n", "name"], ascending=[True, False, True]).drop_duplicates("code")
    written = lookup(counts, "code", "name")
    official = {}
    for code, name in written.items():
        try:
            official[code] = gazetteer.name(code, lang="th")
        except KeyError:
            official[code] = name or code
    return official


def _strip_text(text: str, places: tuple[str, ...]) -> str:
    """Text for similarity: the project's own place names, stopwords, digits and blanks removed."""
    for place in places:
        if len(place) >= 2:
            text = text.replace(place, " ")
    return _NOISE.sub("", text.lower())


def prepare_projects(dataset: Dataset, aims: pd.DataFrame, names: dict[str, str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Projects with what the comparison needs, and their aims as a boolean matrix.

    ``names`` (code -> official Thai name) lets the project's own place names be removed
    from its text even when the place columns are written in English or as codes.

    Returns
    -------
    projects : one row per project, positional index: project_id, title, lead_org_id,
        area_code, is_place_known, key, text (for similarity), template (title stripped the same way),
        start, end, eff_start / eff_end (days; assumed one year when one end is missing,
        NaN when both are), is_dates_known, period.
    aim_matrix : bool array (projects × aims).
    """
    # Positions follow project_id, so pairs and reasons read the same whatever the row order.
    df = dataset["projects"].sort_values("project_id", kind="stable").reset_index(drop=True)
    out = pd.DataFrame({c: _text(df, c) for c in ("project_id", "title", "description", "category", "lead_org_id",
                                                   "tambon", "district", "province", "area_code")})
    out["is_place_known"] = df["is_place_known"].to_numpy(dtype=bool) if "is_place_known" in df.columns else True
    out["start"] = pd.to_datetime(df["start"]) if "start" in df.columns else pd.NaT
    out["end"] = pd.to_datetime(df["end"]) if "end" in df.columns else pd.NaT
    full = out["title"] + " " + out["description"] + " " + out["category"]
    written = [out[c].map(_place_name) for c in ("tambon", "district", "province")]
    official = [_text(df, f"{c}_code").map(lambda code: names.get(code, "")) for c in ("tambon", "district", "province")]
    places = list(zip(*written, *official))
    out["text"] = [_strip_text(t, p) for t, p in zip(full.tolist(), places)]
    out["template"] = [_strip_text(t, p) for t, p in zip(out["title"].tolist(), places)]
    out["key"] = [build_project_key(t, a, s) for t, a, s in zip(out["title"].tolist(), out["area_code"].tolist(), out["start"])]
    start = _days(out["start"])
    end = _days(out["end"])
    out["eff_start"] = np.where(np.isnan(start), end - ASSUMED_DAYS, start)
    out["eff_end"] = np.where(np.isnan(end), start + ASSUMED_DAYS, end)
    out["is_dates_known"] = ~np.isnan(start) & ~np.isnan(end)
    out["period"] = format_periods(out["start"], out["end"])
    aim_matrix = build_project_aims(out["category"], out["title"], out["description"], aims).to_numpy(dtype=bool)
    return out.drop(columns=["description", "category"]), aim_matrix


def _days(dates: pd.Series) -> np.ndarray:
    """Dates as float days since 1970 (NaN when unknown)."""
    values = pd.to_datetime(dates).to_numpy(dtype="datetime64[D]").astype("float64")
    values[pd.isna(dates).to_numpy()] = np.nan
    return values


# ---------------------------------------------------------------- text similarity


def build_text_vectors(texts: pd.Series) -> sp.csr_matrix:
    """TF-IDF vectors of character n-grams (:data:`NGRAM_SIZES`), rows of unit length.

    The weighting is the smoothed TF-IDF of Salton & Buckley (1988) as scikit-learn writes it:
    idf = ln((1 + n) / (1 + df)) + 1. N-grams are counted with numpy (no Python loop over
    characters), so 100,000 projects take about a second.

    Examples
    --------
    >>> X = build_text_vectors(pd.Series(["บ้านมั่นคง", "บ้านมั่นคง", "ออมทรัพย์", ""]))
    >>> np.round((X @ X.T).toarray(), 2).tolist()
    [[1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]]
    """
    texts = [str(t) for t in texts]
    n = len(texts)
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    joined = "\x00".join(texts)  # \x00 separates documents; no n-gram may contain it
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    if codes.size == 0:
        return sp.csr_matrix((n, 0))
    # pd.factorize(sort=True) returns what np.unique(return_inverse=True) does (sorted values,
    # each element's position among them) by hashing instead of sorting every element:
    # 20× faster on the 19 million national n-grams.
    char_ids, alphabet = pd.factorize(codes, sort=True)
    char_ids += 1  # ids from 1, so n-grams of different sizes differ
    base = len(alphabet) + 1
    doc_of = np.repeat(np.arange(n, dtype=np.int32), lengths + 1)[: codes.size]
    # A gram of size k has values in [base**(k-1), base**k): the sizes' sorted vocabularies,
    # one after the other from the smallest size, are the sorted vocabulary of all grams. So
    # each size is counted alone and its block of columns put beside the others', and the
    # grams of all sizes are never held at once (nationally 1.2 GB of arrays).
    blocks = []
    for size in sorted(NGRAM_SIZES):
        if codes.size < size:
            continue
        last = codes.size - size + 1
        gram = np.zeros(last, dtype=np.int64)
        for offset in range(size):
            gram += char_ids[offset : offset + last] * base**offset
        valid = (doc_of[:last] == doc_of[size - 1 :]) & (codes[:last] != 0) & (codes[size - 1 :] != 0)
        grams = gram[valid]
        del gram
        columns, vocabulary = pd.factorize(grams, sort=True)
        del grams
        block = sp.csr_matrix((np.ones(columns.size), (doc_of[:last][valid], columns)), shape=(n, vocabulary.size))
        block.sum_duplicates()
        blocks.append(block)
    X = sp.hstack(blocks, format="csr") if blocks else sp.csr_matrix((n, 0))
    del blocks
    X.sum_duplicates()
    # Weighted and scaled in place (nationally each copy of the matrix is a quarter of a
    # gigabyte): the same products, in the same order, as X.multiply(idf) and diags(1/norms) @ X.
    df = np.bincount(X.indices, minlength=X.shape[1])
    idf = np.log((1 + n) / (1 + df)) + 1
    X.data *= idf[X.indices]
    rows = np.repeat(np.arange(n), np.diff(X.indptr))
    norms = np.sqrt(np.bincount(rows, weights=X.data * X.data, minlength=n))
    norms[norms == 0] = 1
    X.data *= (1 / norms)[rows]
    return X


def compute_rowwise_dot(X: sp.csr_matrix, i: np.ndarray, j: np.ndarray, chunk: int = 100_000) -> np.ndarray:
    """X[i[k]] · X[j[k]] for each k, in chunks (memory stays flat however many pairs).

    Examples
    --------
    >>> X = sp.csr_matrix(np.array([[1, 0], [1, 1], [0, 2]]))
    >>> compute_rowwise_dot(X, np.array([0, 1]), np.array([1, 2])).tolist()
    [1.0, 2.0]
    """
    out = np.zeros(len(i))
    for begin in range(0, len(i), chunk):
        a, b = i[begin : begin + chunk], j[begin : begin + chunk]
        out[begin : begin + chunk] = np.asarray(X[a].multiply(X[b]).sum(axis=1)).ravel()
    return out


# ---------------------------------------------------------------- blocking


def find_candidate_pairs(area_codes: pd.Series, is_exact: pd.Series | None = None) -> pd.DataFrame:
    """Pairs of positions whose areas are the same or contain each other.

    Parameters
    ----------
    area_codes : the finest official code known per project ('' when none).
    is_exact : False where the place was written but not found at its finest level (a tambon
        name the gazetteer does not know leaves the district code). Such a project is
        somewhere inside its area, not all over it: it never contains another project, and
        two of them in one area are not compared (they may be in different tambons).

    Returns
    -------
    pd.DataFrame with i < j (positions), is_same_area.

    Examples
    --------
    >>> find_candidate_pairs(pd.Series(["270405", "270405", "2704", "270501", ""])).to_dict("list")
    {'i': [0, 0, 1], 'j': [1, 2, 2], 'is_same_area': [True, False, False]}
    >>> find_candidate_pairs(pd.Series(["270405", "2704", "2704"]), pd.Series([True, False, False])).to_dict("list")
    {'i': [], 'j': [], 'is_same_area': []}
    """
    exact = np.ones(len(area_codes), dtype=bool) if is_exact is None else is_exact.to_numpy(dtype=bool)
    codes = pd.DataFrame({"pos": np.arange(len(area_codes)), "code": area_codes.fillna("").astype(str).to_numpy(),
                          "exact": exact})
    codes = codes[codes["code"].str.len() > 0]
    same = codes.merge(codes, on="code")
    same = same[(same["pos_x"] < same["pos_y"]) & (same["exact_x"] | same["exact_y"])]
    frames = [pd.DataFrame({"i": same["pos_x"], "j": same["pos_y"], "is_same_area": True})]
    outer = codes[codes["exact"]]
    for length in (2, 4):
        inner = codes[codes["code"].str.len() > length].assign(outer=lambda d: d["code"].str[:length])
        contained = inner.merge(outer, left_on="outer", right_on="code")
        lo = np.minimum(contained["pos_x"], contained["pos_y"])
        hi = np.maximum(contained["pos_x"], contained["pos_y"])
        frames.append(pd.DataFrame({"i": lo, "j": hi, "is_same_area": False}))
    pairs = pd.concat(frames, ignore_index=True).astype({"i": np.int64, "j": np.int64, "is_same_area": bool})
    return pairs.sort_values(["i", "j"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- shared people and organisations


def _person_of(persons: pd.DataFrame) -> dict[str, str]:
    """record id -> person id (lists first: iterating a pandas text column costs a call per cell)."""
    return dict(zip(persons["record_id"].astype(str).tolist(), persons["person_id"].astype(str).tolist()))


def _persons_of(record_ids: pd.Series, person_of: dict[str, str]) -> list[str]:
    """Each record's person id (a record no person holds stands for itself, ``record:<id>``;
    a blank stays blank), looked up in a list: ``Series.map`` with a function makes a call
    and a pandas text cell per value."""
    return [person_of.get(r, f"record:{r}") if r else "" for r in record_ids.tolist()]


def _incidence(rows: pd.Series, columns: pd.Series, n_rows: int, labels: pd.Index) -> sp.csr_matrix:
    """A 0/1 sparse matrix: project position × label (its position in ``labels``)."""
    known = rows.notna() & columns.notna() & (columns.astype(str) != "")
    r = rows[known].astype(np.int64).to_numpy()
    c = labels.get_indexer(columns[known].astype(str))  # a hash look-up in C, not a call per value
    M = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(n_rows, len(labels)))
    M.data[:] = 1  # duplicates were summed: several routes to one person still count once
    return M


def build_ties(dataset: Dataset, persons: pd.DataFrame, projects: pd.DataFrame) -> dict[str, sp.csr_matrix]:
    """Who is tied to each project, as sparse 0/1 matrices (project positions as rows).

    Returns
    -------
    dict with ``participants`` (persons taking part), ``people`` (participants plus the
    lead organisation's roster) and ``orgs`` (the lead and the participating organisations).
    """
    position = pd.Series(np.arange(len(projects)), index=projects["project_id"])
    person_of = _person_of(persons)
    people = dataset["people"]
    roster = pd.DataFrame({"org_id": _text(people, "org_id"),
                           "person_id": _persons_of(_text(people, "record_id"), person_of)})
    participation = dataset["participation"]
    takes_part = pd.DataFrame({"pos": _text(participation, "project_id").map(position),
                               "record_id": _text(participation, "record_id"),
                               "org_id": _text(participation, "org_id")})
    takes_part["person_id"] = _persons_of(takes_part["record_id"], person_of)
    leads = pd.DataFrame({"pos": np.arange(len(projects)), "org_id": projects["lead_org_id"].to_numpy()})
    led_roster = leads[leads["org_id"] != ""].merge(roster, on="org_id")
    person_labels = pd.Index(sorted(set(takes_part["person_id"].unique().tolist())
                                    | set(led_roster["person_id"].unique().tolist()) - {""}))
    org_labels = pd.Index(sorted((set(takes_part["org_id"].unique().tolist())
                                  | set(leads["org_id"].unique().tolist())) - {""}))
    participants = _incidence(takes_part["pos"], takes_part["person_id"], len(projects), person_labels)
    everyone = participants + _incidence(led_roster["pos"], led_roster["person_id"], len(projects), person_labels)
    everyone.data[:] = 1
    org_rows = pd.concat([takes_part[["pos", "org_id"]], leads])
    orgs = _incidence(org_rows["pos"], org_rows["org_id"], len(projects), org_labels)
    return {"participants": participants, "people": everyone.tocsr(), "orgs": orgs}


# ---------------------------------------------------------------- scoring


def score_pairs(pairs: pd.DataFrame) -> pd.Series:
    """Score in [0, 1]: aims alike × support × confidence factors.

    ``aims_alike`` = max(text similarity, Jaccard index of the aim classes (Jaccard 1901)).
    Jaccard rather than the overlap coefficient: a project with two aims (ที่ดินและที่อยู่อาศัย,
    land and housing) only half-matches a single-aim one (บ้านมั่นคง, housing) and goes to
    review instead of being called a duplicate outright. ``support`` =
    0.70 + 0.15 × period fit + 0.15 × shared evidence (:data:`WEIGHTS`); the product is
    multiplied by :data:`UNKNOWN_DATES_FACTOR` when a date is missing and by
    :data:`CONTAINS_FACTOR` when one area contains the other.

    Examples
    --------
    >>> pairs = pd.DataFrame({"aims_alike": [1.0, 1.0, 0.5], "period_fit": [1.0, 0.5, 1.0],
    ...     "shared": [0.0, 0.0, 1.0], "is_dates_known": [True, False, True], "is_same_area": [True, False, True]})
    >>> score_pairs(pairs).round(4).tolist()
    [0.85, 0.5929, 0.5]
    """
    support = WEIGHTS["base"] + WEIGHTS["period_fit"] * pairs["period_fit"] + WEIGHTS["shared"] * pairs["shared"]
    factor = np.where(pairs["is_dates_known"], 1.0, UNKNOWN_DATES_FACTOR) * np.where(pairs["is_same_area"], 1.0, CONTAINS_FACTOR)
    return (pairs["aims_alike"] * support * factor).clip(0, 1)


def compare_periods_and_aims(pairs: pd.DataFrame, projects: pd.DataFrame, aim_matrix: np.ndarray,
                             X: sp.csr_matrix) -> pd.DataFrame:
    """Add to candidate pairs the evidence that needs no resolved person: periods, wording,
    aims and lead (vectorised over pairs)."""
    i, j = pairs["i"].to_numpy(), pairs["j"].to_numpy()
    out = pairs.copy()
    s_i, s_j = projects["eff_start"].to_numpy()[i], projects["eff_start"].to_numpy()[j]
    e_i, e_j = projects["eff_end"].to_numpy()[i], projects["eff_end"].to_numpy()[j]
    has_period = ~np.isnan(s_i) & ~np.isnan(s_j)
    overlap = np.minimum(e_i, e_j) - np.maximum(s_i, s_j) + 1
    shorter = np.maximum(np.minimum(e_i - s_i, e_j - s_j) + 1, 1)
    out["is_dates_known"] = projects["is_dates_known"].to_numpy()[i] & projects["is_dates_known"].to_numpy()[j]
    out["is_period_overlap"] = ~has_period | (overlap > 0)
    out["gap_days"] = np.where(has_period, np.maximum(-overlap + 1, 0), np.nan)
    out["period_fit"] = np.where(has_period, np.clip(overlap / shorter, 0, 1), UNKNOWN_PERIOD_FIT)
    out["text_similarity"] = compute_rowwise_dot(X, i, j).clip(0, 1)
    both = (aim_matrix[i] & aim_matrix[j]).sum(axis=1)
    either = (aim_matrix[i] | aim_matrix[j]).sum(axis=1)
    out["aim_jaccard"] = np.where(either > 0, both / np.maximum(either, 1), 0.0)
    out["aims_alike"] = np.maximum(out["text_similarity"], out["aim_jaccard"])
    lead = projects["lead_org_id"].to_numpy()
    out["is_same_lead"] = (lead[i] == lead[j]) & (lead[i] != "")
    return out


def add_shared_ties(compared: pd.DataFrame, ties: dict[str, sp.csr_matrix]) -> pd.DataFrame:
    """Add the people and organisations each pair shares, and the score, to pairs
    :func:`compare_periods_and_aims` compared."""
    i, j = compared["i"].to_numpy(), compared["j"].to_numpy()
    out = compared.copy()
    # With one lead, its whole roster is trivially shared: count only the participants then.
    shared_people = np.where(out["is_same_lead"], compute_rowwise_dot(ties["participants"], i, j),
                             compute_rowwise_dot(ties["people"], i, j))
    out["n_shared_people"] = shared_people.astype(np.int64)
    out["n_shared_orgs"] = (compute_rowwise_dot(ties["orgs"], i, j) - out["is_same_lead"]).astype(np.int64)
    out["shared"] = np.minimum(1.0, (out["n_shared_people"] + out["n_shared_orgs"]) / SHARED_SATURATION)
    out["score"] = score_pairs(out).round(4)
    # What the score would be had the periods overlapped fully: the test for a later phase.
    out["score_if_overlap"] = score_pairs(out.assign(period_fit=1.0)).round(4)
    return out


# ---------------------------------------------------------------- decisions


def _decided_pairs(decisions: pd.DataFrame | None, projects: pd.DataFrame) -> dict[tuple[int, int], str]:
    """(i, j) -> 'same' / 'different' for the reviewers' project decisions (later rows win)."""
    if decisions is None or decisions.empty:
        return {}
    positions = pd.Series(np.arange(len(projects))).groupby(projects["key"].to_numpy()).apply(list).to_dict()
    decided = {}
    for _, row in decisions[decisions["kind"] == "project"].iterrows():
        for a in positions.get(_canonical_key(row["a"]), []):
            for b in positions.get(_canonical_key(row["b"]), []):
                if a != b:
                    decided[(min(a, b), max(a, b))] = str(row["decision"])
    return decided


def _add_decided_pairs(pairs: pd.DataFrame, decided: dict[tuple[int, int], str]) -> pd.DataFrame:
    """Candidates plus every pair a reviewer decided (a decision may join any two projects)."""
    if not decided:
        return pairs.assign(decision="")
    extra = pd.DataFrame(list(decided), columns=["i", "j"])
    pairs = pairs.merge(extra, on=["i", "j"], how="outer")
    pairs["is_same_area"] = pairs["is_same_area"].astype("boolean").fillna(False).astype(bool)
    pairs["decision"] = [decided.get((i, j), "") for i, j in zip(pairs["i"].tolist(), pairs["j"].tolist())]
    return pairs.sort_values(["i", "j"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- reasons


class _Describer:
    """Writes a planner's reasons for a pair, in English and Thai."""

    def __init__(self, projects: pd.DataFrame, names: dict[str, str], org_names: dict[str, str],
                 funders: dict[str, list[str]], aims: pd.DataFrame, aim_matrix: np.ndarray):
        self.projects = projects
        # Columns as lists, read by position: a pandas .at per cell made describing the
        # 130,000 national relation pairs take 17 s.
        self.cells = {column: projects[column].tolist() for column in projects.columns}
        self.names = names
        self.org_names = org_names
        self.funders = funders
        self.aim_labels = list(zip(aims["label_en"], aims["label_th"]))
        self.aim_matrix = aim_matrix

    def place(self, code: str) -> tuple[str, str, str]:
        """(level_en, level_th, name) of an area code."""
        level_en, level_th = _LEVELS.get(len(code), ("area", "พื้นที่"))
        return level_en, level_th, self.names.get(code, code)

    def place_label(self, code: str) -> str:
        """'คลองหินปูน' for a tambon, 'อ.วังน้ำเย็น' / 'จ.สระแก้ว' for wider areas."""
        name = self.names.get(code, code)
        return {4: f"อ.{name}", 2: f"จ.{name}"}.get(len(code), name)

    def _funders(self, position: int) -> str:
        ids = self.funders.get(self.cells["project_id"][position], [])
        return " & ".join(self.org_names.get(f, f) for f in ids)

    def _where(self, i: int, j: int) -> list[tuple[str, str]]:
        code_i, code_j = self.cells["area_code"][i], self.cells["area_code"][j]
        if code_i == code_j:
            level_en, level_th, name = self.place(code_i)
            return [(f"same {level_en} {name}", f"{level_th}เดียวกัน {name}")]
        if code_i and code_j and (code_i.startswith(code_j) or code_j.startswith(code_i)):
            outer, inner = sorted((code_i, code_j), key=len)
            (o_en, o_th, o_name), (n_en, n_th, n_name) = self.place(outer), self.place(inner)
            return [(f"{o_en} {o_name} contains {n_en} {n_name}", f"{o_th}{o_name}ครอบคลุม{n_th}{n_name}")]
        return []

    def _when(self, pair, i: int, j: int) -> list[tuple[str, str]]:
        p, reasons = self.cells, []
        period_i, period_j = p["period"][i], p["period"][j]
        if period_i and period_j:
            verb_en, verb_th = ("overlap", "ทับซ้อนกัน") if pair.is_period_overlap else ("do not overlap", "ไม่ทับซ้อนกัน")
            reasons.append((f"periods {period_i} and {period_j} {verb_en}", f"ช่วงเวลา {period_i} และ {period_j} {verb_th}"))
        incomplete = [p["project_id"][k] for k in (i, j) if not p["is_dates_known"][k]]
        if incomplete:
            reasons.append((f"dates of {' and '.join(incomplete)} incomplete: confidence lowered",
                            f"วันที่ของ {' และ '.join(incomplete)} ไม่ครบ: ความมั่นใจลดลง"))
        return reasons

    def _what(self, pair, i: int, j: int) -> list[tuple[str, str]]:
        shared = [k for k, is_aim in enumerate(self.aim_matrix[i] & self.aim_matrix[j]) if is_aim]
        label_en = " and ".join(self.aim_labels[k][0] for k in shared) or "by wording"
        label_th = " และ ".join(self.aim_labels[k][1] for k in shared) or "ถ้อยคำคล้ายกัน"
        return [(f"aims {pair.aims_alike:.2f} alike ({label_en})", f"เป้าหมายคล้ายกัน {pair.aims_alike:.2f} ({label_th})")]

    def _who(self, pair, i: int, j: int) -> list[tuple[str, str]]:
        reasons = []
        if pair.is_same_lead:
            lead_id = self.cells["lead_org_id"][i]
            lead = self.org_names.get(lead_id, lead_id)
            reasons.append((f"same lead organisation {lead} (may be one project entered twice)",
                            f"หน่วยงานหลักเดียวกัน {lead} (อาจบันทึกโครงการเดียวซ้ำ)"))
        funders_i, funders_j = self._funders(i), self._funders(j)
        if funders_i and funders_i == funders_j:
            reasons.append((f"both funded by {funders_i}", f"ทุนจาก {funders_i} ทั้งคู่"))
        elif funders_i and funders_j:
            reasons.append((f"funded by {funders_i} and {funders_j}", f"ทุนจาก {funders_i} และ {funders_j}"))
        n_people, n_orgs = int(pair.n_shared_people), int(pair.n_shared_orgs)
        if n_people:
            reasons.append((f"{n_people} shared {'person' if n_people == 1 else 'people'}", f"มีคนร่วมกัน {n_people} คน"))
        if n_orgs:
            reasons.append((f"{n_orgs} shared organisation{'' if n_orgs == 1 else 's'}", f"มีองค์กรร่วมกัน {n_orgs} องค์กร"))
        if pair.decision:
            verdict = "ซ้ำกัน" if pair.decision == "same" else "ไม่ซ้ำกัน"
            reasons.append((f"reviewer decided: {pair.decision}", f"ผู้ตรวจสอบตัดสินแล้ว: {verdict}"))
        return reasons

    def describe(self, pair) -> tuple[str, str]:
        """(reasons, reasons_th): where, when, what and who, joined with '; '."""
        i, j = int(pair.i), int(pair.j)
        reasons = self._where(i, j) + self._when(pair, i, j) + self._what(pair, i, j) + self._who(pair, i, j)
        return "; ".join(en for en, _ in reasons), "; ".join(th for _, th in reasons)


# ---------------------------------------------------------------- grouping


def find_groups(accepted: pd.DataFrame, scores: dict[tuple[int, int], float], blocked: set[tuple[int, int]]) -> list[list[int]]:
    """Groups of positions by greedy average linkage over the accepted pairs.

    Accepted pairs are taken strongest first (ties by position); a pair joins its two
    groups when every pair between them was compared, no reviewer said two of them are
    different, and the mean score over those pairs is at least :data:`THRESHOLD`. Only
    pairs in the same or a containing area whose periods overlap (or may) are compared, so
    every two projects of a group meet CONTRACT §2 themselves: a district project does not
    join two tambons' projects into one group, nor a project link two that are years apart.
    A project whose accepted pairs all failed to join it to a group is grouped with its
    strongest partner alone, so no duplicate goes unlisted (that partner is then in two
    groups). Average linkage after Sokal & Michener (1958); the greedy order makes the
    result independent of input order.

    Examples
    --------
    >>> accepted = pd.DataFrame({"i": [0, 1], "j": [1, 2], "score": [0.9, 0.6]})
    >>> find_groups(accepted, {(0, 1): 0.9, (1, 2): 0.6, (0, 2): 0.1}, set())
    [[0, 1], [1, 2]]
    >>> find_groups(accepted, {(0, 1): 0.9, (1, 2): 0.6, (0, 2): 0.7}, set())
    [[0, 1, 2]]
    >>> find_groups(accepted, {(0, 1): 0.9, (1, 2): 0.6}, set())  # 0 and 2 never compared
    [[0, 1], [1, 2]]
    """
    group_of: dict[int, list[int]] = {}
    ordered = accepted.sort_values(["score", "i", "j"], ascending=[False, True, True], kind="stable")
    for i, j in zip(ordered["i"], ordered["j"]):
        a, b = group_of.get(i, [i]), group_of.get(j, [j])
        if a is b:
            continue
        between = [(min(x, y), max(x, y)) for x in a for y in b]
        if any(key in blocked or key not in scores for key in between):
            continue
        if np.mean([scores[key] for key in between]) < THRESHOLD:
            continue
        merged = sorted(a + b)
        for member in merged:
            group_of[member] = merged
    groups = {tuple(g) for g in group_of.values()}
    for i, j in zip(ordered["i"], ordered["j"]):  # strongest first: the best partner wins
        for alone, partner in ((i, j), (j, i)):
            if alone not in group_of:
                group_of[alone] = [min(i, j), max(i, j)]
                groups.add((min(i, j), max(i, j)))
    return sorted(list(g) for g in groups)


def build_group_id(project_ids: list[str]) -> str:
    """'D-' + 10 hex digits of the SHA-1 of the sorted project ids: stable from content.

    Examples
    --------
    >>> build_group_id(["P2", "P1"]) == build_group_id(["P1", "P2"])
    True
    """
    digest = hashlib.sha1("|".join(sorted(project_ids)).encode("utf-8")).hexdigest()
    return f"D-{digest[:10]}"


# ---------------------------------------------------------------- hosts


def _presence(dataset: Dataset, persons: pd.DataFrame, areas: set[str]) -> pd.DataFrame:
    """Per (area, org) for the area codes in ``areas``: distinct roster persons and tied
    projects inside the area. Only the areas of duplicate groups are asked for: nationally
    counting every area took 3.7 of the 27 CPU seconds of duplicate projects."""
    people, orgs, projects = dataset["people"], dataset["organisations"], dataset["projects"]
    person_of = _person_of(persons)
    org_area = dict(zip(_text(orgs, "org_id").tolist(), _text(orgs, "area_code").tolist()))
    roster = pd.DataFrame({"org_id": _text(people, "org_id"), "record_id": _text(people, "record_id"),
                           "area": _text(people, "area_code")})
    roster = roster[roster["org_id"] != ""]
    # A roster line with no place of its own counts where its organisation works.
    roster["area"] = roster["area"].where(roster["area"] != "", roster["org_id"].map(org_area).fillna(""))
    roster["item"] = _persons_of(roster["record_id"], person_of)
    project_area = dict(zip(_text(projects, "project_id"), _text(projects, "area_code")))
    funding, participation = dataset["funding"], dataset["participation"]
    ties = pd.concat([
        pd.DataFrame({"org_id": _text(projects, "lead_org_id"), "item": _text(projects, "project_id")}),
        pd.DataFrame({"org_id": _text(participation, "org_id"), "item": _text(participation, "project_id")}),
        pd.DataFrame({"org_id": _text(funding, "funder_id"), "item": _text(funding, "project_id")}),
    ])
    ties = ties[(ties["org_id"] != "") & (ties["item"] != "")]
    ties["area"] = ties["item"].map(project_area).fillna("")
    areas_of = {length: sorted(a for a in areas if len(a) == length) for length in (2, 4, 6)}
    frames = []
    for column, items in (("n_persons", roster), ("n_projects", ties)):
        for length in (2, 4, 6):
            inside = items.assign(area_code=items["area"].str[:length])
            inside = inside[inside["area_code"].isin(areas_of[length])].drop_duplicates(["area_code", "org_id", "item"])
            frames.append(inside.groupby(["area_code", "org_id"]).size().rename(column).reset_index())
    table = pd.concat(frames).fillna(0).groupby(["area_code", "org_id"], as_index=False)[["n_persons", "n_projects"]].sum()
    table[["n_persons", "n_projects"]] = table[["n_persons", "n_projects"]].astype(np.int64)
    table["presence"] = table["n_persons"] + table["n_projects"]
    return table


def _common_area(codes: list[str]) -> str:
    """The smallest official area containing every code (a prefix of length 6, 4 or 2)."""
    for length in (6, 4, 2):
        prefixes = {c[:length] for c in codes if len(c) >= length}
        if len(prefixes) == 1 and all(len(c) >= length for c in codes):
            return prefixes.pop()
    return ""


def find_hosts(groups: dict[str, list[str]], area_codes: dict[str, str], presence: pd.DataFrame,
               org_names: dict[str, str], area_label) -> pd.DataFrame:
    """Per group, the organisation with the most presence in the group's area.

    Presence = distinct persons on the organisation's roster who live or work in the area
    (or, with no place of their own, whose organisation works there) + distinct projects in
    the area it leads, takes part in or funds. Ties go to more projects, then the smaller org_id.
    """
    rows = []
    ranked = presence.sort_values(["area_code", "presence", "n_projects", "org_id"], ascending=[True, False, False, True])
    best_of = {row["area_code"]: row for row in ranked.drop_duplicates("area_code").to_dict("records")}
    for group_id, members in sorted(groups.items()):
        area = _common_area([area_codes[m] for m in members])
        best = best_of.get(area)
        if best is None:
            continue
        rows.append({"group_id": group_id, "area_code": area, "area": area_label(area), "org_id": best["org_id"],
                     "name": org_names.get(best["org_id"], best["org_id"]), "n_persons": int(best["n_persons"]),
                     "n_projects": int(best["n_projects"]), "presence": int(best["presence"])})
    return pd.DataFrame(rows, columns=list(HOST_COLUMNS))


# ---------------------------------------------------------------- relations that are not duplication


def find_co_funded(dataset: Dataset, projects: pd.DataFrame, org_names: dict[str, str]) -> pd.DataFrame:
    """Projects with two or more distinct funders: co-funding, one project (not duplication)."""
    funding = dataset["funding"]
    money = pd.DataFrame({"project_id": _text(funding, "project_id"), "funder_id": _text(funding, "funder_id"),
                          "amount_thb": funding["amount_thb"] if "amount_thb" in funding.columns else np.nan})
    money = money[(money["project_id"] != "") & (money["funder_id"] != "")]
    money = money.sort_values("project_id", kind="stable")  # a project's rows in table order
    project_ids, funder_ids = money["project_id"].to_numpy(), money["funder_id"].to_numpy()
    # Unknown amounts add nothing; numpy sums each project's run of rows as pandas' sum would.
    amounts = pd.to_numeric(money["amount_thb"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    starts = np.flatnonzero(np.r_[True, project_ids[1:] != project_ids[:-1]]) if len(money) else np.zeros(0, int)
    rows = []
    titles = lookup(projects, "project_id", "title")
    for start, end in zip(starts, np.r_[starts[1:], len(money)]):
        funders = sorted(set(funder_ids[start:end]))
        if len(funders) < 2:
            continue
        project_id = project_ids[start]
        rows.append({"project_id": project_id, "title": titles.get(project_id, ""), "n_funders": len(funders),
                     "funder_ids": "|".join(funders), "funders": "|".join(org_names.get(f, f) for f in funders),
                     "amount_thb": float(amounts[start:end].sum())})
    return pd.DataFrame(rows, columns=list(CO_FUNDED_COLUMNS))


def find_templates(projects: pd.DataFrame) -> pd.DataFrame:
    """Pairs running one programme title in areas that do not contain each other.

    Each family (projects whose titles are equal once their own place names, stopwords and
    digits are removed) is listed as a star: its first project (smallest area code, then
    project_id) paired with each member elsewhere. A family of n projects gives at most
    n − 1 rows, so a national programme in thousands of tambons stays readable.
    """
    known = projects[(projects["template"] != "") & (projects["area_code"] != "")]
    ordered = known.sort_values(["template", "area_code", "project_id"], kind="stable")
    family = ordered.groupby("template", sort=False)
    members = ordered.assign(i=ordered.index.to_series(index=ordered.index).groupby(ordered["template"]).transform("first"),
                             anchor_code=family["area_code"].transform("first"),
                             n_family=family["area_code"].transform("size"))
    members = members[members.index != members["i"]]
    # Keep members whose area neither contains nor lies inside the anchor's.
    apart = [not (code.startswith(outer) or outer.startswith(code))
             for code, outer in zip(members["area_code"].tolist(), members["anchor_code"].tolist())]
    members = members[np.array(apart, dtype=bool)]
    return pd.DataFrame({"i": members["i"].to_numpy(np.int64), "j": members.index.to_numpy(np.int64),
                         "n_family": members["n_family"].to_numpy(np.int64)})


def _relation_rows(relation: str, pairs: pd.DataFrame, projects: pd.DataFrame, describe) -> list[dict]:
    cells = {column: projects[column].tolist() for column in ("project_id", "title", "area_code", "period")}
    rows = []
    for pair in pairs.itertuples(index=False):
        detail, detail_th = describe(pair)
        i, j = int(pair.i), int(pair.j)
        rows.append({"relation": relation, "project_a": cells["project_id"][i], "project_b": cells["project_id"][j],
                     "title_a": cells["title"][i], "title_b": cells["title"][j],
                     "area_a": cells["area_code"][i], "area_b": cells["area_code"][j],
                     "period_a": cells["period"][i], "period_b": cells["period"][j],
                     "score": getattr(pair, "score_if_overlap", np.nan), "detail": detail, "detail_th": detail_th})
    return rows


def _later_phase_text(pair) -> tuple[str, str]:
    years = pair.gap_days / 365.25
    return (f"later phase: same aim in the same place, {years:.1f} years apart",
            f"ระยะต่อเนื่อง: เป้าหมายเดียวกันในพื้นที่เดียวกัน ห่างกัน {years:.1f} ปี")


# ---------------------------------------------------------------- the whole step


@dataclass
class ComparedProjects:
    """What finding duplicate projects needs before people are resolved
    (:func:`compare_projects`): it reads no person, so a run computes it beside resolving
    people (:func:`analysis.pipeline.analyse_dataset`).

    Attributes
    ----------
    aims : the aims taxonomy used.
    names : area code -> area name (:func:`find_area_names`).
    projects : the projects, prepared (:func:`prepare_projects`), without their ``text``.
    aim_matrix : projects × aims, True where a project has the aim.
    org_names : org_id -> name.
    funders : project_id -> its funders' org_ids, sorted.
    decided : (i, j) -> the reviewers' decision on that pair of projects.
    compared : candidate pairs with their periods, wording, aims and lead compared
        (:func:`compare_periods_and_aims`).
    """

    aims: pd.DataFrame
    names: dict
    projects: pd.DataFrame
    aim_matrix: np.ndarray
    org_names: dict
    funders: dict
    decided: dict
    compared: pd.DataFrame


def compare_projects(dataset: Dataset, decisions: pd.DataFrame | None = None, aims: pd.DataFrame | None = None,
                     gazetteer=None) -> ComparedProjects:
    """Prepare the projects and compare every candidate pair on what needs no resolved
    person (parameters as :func:`find_duplicate_projects`)."""
    aims = load_aims(dataset.source) if aims is None else aims
    names = find_area_names(dataset, load_gazetteer() if gazetteer is None else gazetteer)
    projects, aim_matrix = prepare_projects(dataset, aims, names)
    orgs = dataset["organisations"]
    decided = _decided_pairs(decisions, projects)
    candidates = _add_decided_pairs(find_candidate_pairs(projects["area_code"], projects["is_place_known"]), decided)
    compared = compare_periods_and_aims(candidates, projects, aim_matrix, build_text_vectors(projects["text"]))
    projects = projects.drop(columns="text")  # read by the comparison alone; half of what is sent back
    return ComparedProjects(aims=aims, names=names, projects=projects, aim_matrix=aim_matrix,
                            org_names=dict(zip(_text(orgs, "org_id"), _text(orgs, "name"))),
                            funders=_find_funders(dataset), decided=decided, compared=compared)


def find_duplicate_projects(dataset: Dataset, persons: pd.DataFrame, decisions: pd.DataFrame | None = None,
                            aims: pd.DataFrame | None = None, gazetteer=None,
                            compared: ComparedProjects | None = None) -> OverlapResult:
    """Find duplicate projects: the same aim, in the same place, at the same time.

    Parameters
    ----------
    dataset : a checked dataset (projects, funding, participation, organisations, people).
    persons : record_id, person_id of the resolved people (shared people are counted once).
    decisions : reviewers' decisions (:func:`analysis.decisions.read_decisions`); rows of
        kind ``project`` are used.
    aims : the aims taxonomy; when None, the built-in one extended by an ``aims.csv`` beside
        the dataset (:func:`analysis.aims.load_aims` of ``dataset.source``).
    gazetteer : :class:`analysis.places.Gazetteer` for official place names (loaded when None).
    compared : :func:`compare_projects` of the same dataset, decisions, aims and gazetteer,
        made beforehand; made here when None.

    Returns
    -------
    OverlapResult
    """
    c = compare_projects(dataset, decisions, aims, gazetteer) if compared is None else compared
    projects, aim_matrix, aims, org_names, funders = c.projects, c.aim_matrix, c.aims, c.org_names, c.funders
    describer = _Describer(projects, c.names, org_names, funders, aims, aim_matrix)
    features = add_shared_ties(c.compared, build_ties(dataset, persons, projects))
    pairs, later = _judge_pairs(features, projects, describer)
    groups, hosts = _build_groups(pairs, projects, dataset, persons, describer, aims, aim_matrix, org_names, funders)
    parameters = {
        "method": "blocking by area code; TF-IDF char n-gram cosine + aims taxonomy; greedy average linkage",
        "threshold": THRESHOLD, "review_band": REVIEW_BAND, "weights": WEIGHTS,
        "unknown_dates_factor": UNKNOWN_DATES_FACTOR, "contains_factor": CONTAINS_FACTOR,
        "assumed_days": ASSUMED_DAYS, "shared_saturation": SHARED_SATURATION, "ngram_sizes": list(NGRAM_SIZES),
        "n_projects": len(projects), "n_pairs_compared": len(pairs), "n_pairs_accepted": int(pairs["is_accepted"].sum()),
        "n_decisions_applied": len(c.decided), "n_aims": len(aims),
    }
    return OverlapResult(groups=groups, pairs=pairs, review=_build_review(pairs),
                         relations=_build_relations(later, projects, describer),
                         co_funded=find_co_funded(dataset, projects, org_names), hosts=hosts, parameters=parameters)


def _find_funders(dataset: Dataset) -> dict[str, list[str]]:
    """project_id -> its funders' org_ids, sorted."""
    funding = dataset["funding"]
    funded = pd.DataFrame({"project_id": _text(funding, "project_id"), "funder_id": _text(funding, "funder_id")})
    funded = funded[funded["project_id"] != ""].drop_duplicates().sort_values(["project_id", "funder_id"])
    funders: dict[str, list[str]] = {}
    for project_id, funder_id in zip(funded["project_id"].tolist(), funded["funder_id"].tolist()):
        funders.setdefault(project_id, []).append(funder_id)
    return funders


def _judge_pairs(features: pd.DataFrame, projects: pd.DataFrame, describer) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(compared pairs with is_accepted and reasons, later-phase pairs).

    Pairs whose periods overlap (or may) are judged by score, decided pairs by the decision;
    pairs apart in time that would pass had they overlapped are later phases.
    """
    is_decided = features["decision"] != ""
    later = features[~features["is_period_overlap"] & ~is_decided & (features["score_if_overlap"] >= THRESHOLD)]
    pairs = features[features["is_period_overlap"] | is_decided].reset_index(drop=True)
    is_decided = pairs["decision"] != ""
    pairs["is_accepted"] = np.where(is_decided, pairs["decision"] == "same", pairs["score"] >= THRESHOLD)
    # Reasons are written only for pairs someone will read (accepted, decided or reviewed).
    shown = pairs["is_accepted"] | is_decided | (pairs["score"] >= THRESHOLD - REVIEW_BAND)
    pairs["reasons"], pairs["reasons_th"] = "", ""
    if shown.any():
        pairs.loc[shown, ["reasons", "reasons_th"]] = [describer.describe(pair) for pair in pairs[shown].itertuples(index=False)]
    return _name_pairs(pairs, projects), later


def _build_relations(later: pd.DataFrame, projects: pd.DataFrame, describer) -> pd.DataFrame:
    """project_relations.csv: later phases and templates, sorted."""
    rows = _relation_rows("later_phase", later, projects, lambda p: _join(_later_phase_text(p), describer.describe(p)))
    rows += _relation_rows("template", find_templates(projects), projects, lambda p: (
        f"same programme title in {p.n_family} areas that do not contain each other: a template, not a duplicate",
        f"ชื่อแผนงานเดียวกันใน {p.n_family} พื้นที่ที่ไม่ทับกัน: แบบแผนเดียวกัน ไม่ใช่โครงการซ้ำ"))
    relations = pd.DataFrame(rows, columns=list(RELATION_COLUMNS))
    return relations.sort_values(["relation", "project_a", "project_b"], kind="stable").reset_index(drop=True)


def _join(first: tuple[str, str], second: tuple[str, str]) -> tuple[str, str]:
    return f"{first[0]}; {second[0]}", f"{first[1]}; {second[1]}"


def _name_pairs(pairs: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Add ids, keys, titles and periods of both projects to the pairs."""
    i, j = pairs["i"].to_numpy(), pairs["j"].to_numpy()
    named = {}
    for column, source in (("project", "project_id"), ("key", "key"), ("title", "title"), ("period", "period")):
        named[f"{column}_a"] = projects[source].to_numpy()[i]
        named[f"{column}_b"] = projects[source].to_numpy()[j]
    front = pd.DataFrame(named, index=pairs.index)
    return pd.concat([front, pairs], axis=1)


def _build_review(pairs: pd.DataFrame) -> pd.DataFrame:
    """Undecided pairs within :data:`REVIEW_BAND` of the threshold, and accepted pairs with
    incomplete dates (known dates might show a later phase); most uncertain first."""
    is_near = (pairs["score"] - THRESHOLD).abs() <= REVIEW_BAND
    is_unsure = pairs["is_accepted"] & ~pairs["is_dates_known"]
    near = pairs[(pairs["decision"] == "") & (is_near | is_unsure)]
    near = near.assign(uncertainty=(near["score"] - THRESHOLD).abs(), kind="project", note="")
    near = near.sort_values(["uncertainty", "key_a", "key_b"], kind="stable")
    return near[list(REVIEW_COLUMNS)].reset_index(drop=True)


def _build_groups(pairs, projects, dataset, persons, describer, aims, aim_matrix, org_names, funders):
    """duplicate_projects.csv and the hosts table from the accepted pairs."""
    accepted = pairs[pairs["is_accepted"]].assign(score=lambda d: np.where(d["decision"] == "same", 1.0, d["score"]))
    i, j, decision = pairs["i"].tolist(), pairs["j"].tolist(), pairs["decision"].tolist()
    scores = {(a, b): (1.0 if d == "same" else 0.0 if d == "different" else s)
              for a, b, s, d in zip(i, j, pairs["score"].tolist(), decision)}
    blocked = {(a, b) for a, b, d in zip(i, j, decision) if d == "different"}
    members = find_groups(accepted, scores, blocked)
    by_pair = {(a, b): row for row, (a, b) in enumerate(zip(i, j))}
    groups = {build_group_id(list(projects["project_id"].to_numpy()[g])): g for g in members}
    project_ids = {gid: list(projects["project_id"].to_numpy()[g]) for gid, g in groups.items()}
    area_codes = lookup(projects, "project_id", "area_code")
    areas = {_common_area([area_codes[p] for p in ids]) for ids in project_ids.values()}
    hosts = find_hosts(project_ids, area_codes, _presence(dataset, persons, areas), org_names, describer.place_label)
    host_of = hosts.set_index("group_id")[["org_id", "name"]].to_dict("index")
    aim_labels_th = aims["label_th"].to_numpy()
    rows = []
    for group_id, group in groups.items():
        for k in group:
            links = [(scores[(min(k, m), max(k, m))], m) for m in group if m != k and (min(k, m), max(k, m)) in by_pair]
            best_score, partner = max(links, key=lambda t: (t[0], -t[1]))
            pair = pairs.iloc[by_pair[(min(k, partner), max(k, partner))]]
            partner_id = projects.at[partner, "project_id"]
            host = host_of.get(group_id, {"org_id": "", "name": ""})
            rows.append({
                "group_id": group_id, "project_id": projects.at[k, "project_id"], "title": projects.at[k, "title"],
                "tambon": describer.place_label(projects.at[k, "area_code"]),
                "funder": "|".join(org_names.get(f, f) for f in funders.get(projects.at[k, "project_id"], [])),
                "score": round(float(best_score), 4),
                "reasons": f"with {partner_id}: {pair['reasons']}", "reasons_th": f"กับ {partner_id}: {pair['reasons_th']}",
                "aim": "|".join(aim_labels_th[aim_matrix[k]]), "lead_org_id": projects.at[k, "lead_org_id"],
                "suggested_host_id": host["org_id"], "suggested_host": host["name"], "period": projects.at[k, "period"],
            })
    table = pd.DataFrame(rows, columns=list(GROUP_COLUMNS))
    if not table.empty:
        table["group_score"] = table.groupby("group_id")["score"].transform("max")
        table = table.sort_values(["group_score", "group_id", "score", "project_id"], ascending=[False, True, False, True],
                                  kind="stable").drop(columns="group_score")
    return table.reset_index(drop=True), hosts
