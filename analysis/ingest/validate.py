"""Checking a dataset: normalise every cell and set aside the rows that cannot be used.

Implements CONTRACT §1 "Bad rows" with the table definitions of :mod:`analysis.ingest.schema`.
Nothing is dropped silently and nothing is guessed: every problem becomes one line of the
quarantine list (table, row, column, value as written, reason, action, detail).

A row is **skipped** (set aside whole) when a required value is missing, its id repeats an
earlier row's, it refers to an id that does not exist (or to a row that was itself set
aside), an organisation's kind is not one of the contract's kinds, a line holds more values
than the header has columns, or a value the analysis needs (``needed`` in the schema) is
unreadable or negative. A value is **ignored** (set missing, the row kept) when it is
unreadable in an optional column: a number, date, phone number, e-mail address or place.
For every table: rows read = rows used + rows quarantined.

The checks are those of any data-quality step before record linkage (Christen 2012, *Data
Matching*, ch. 3: cleaning and standardisation); the reasons are fixed sentences so that
quarters can be compared and counted by reason.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.ingest import normalise
from analysis.dataset import Dataset, RawDataset
from analysis.ingest.read import EXTRA_COLUMN, JOINED_COLUMN, normalise_header
from analysis.ingest.schema import ORG_KINDS, PLACE_CODE_COLUMNS, PLACE_COLUMNS, QUARANTINE_COLUMNS, ROW_COLUMN, TABLE_ORDER, TABLES, Table

ROW_SKIPPED = "row skipped"
VALUE_IGNORED = "value ignored"

#: The reasons a quarantine line can give (docs/data_format.md explains each to users).
MISSING = "required value missing"
REPEATED = "id repeated"
NO_SUCH_ID = "reference to an id that does not exist"
BAD_KIND = "organisation kind not one of the contract's kinds"
EXTRA_VALUES = "more values than the header has columns"
JOINED_LINES = "a quoted cell runs across lines"
PARENT_CYCLE = "parent_id chain runs into a cycle"
TOO_LARGE = "amount too large"
BAD_NUMBER = "unreadable number"
NEGATIVE = "negative amount"
BAD_DATE = "unreadable date"
BAD_PHONE = "unreadable phone number"
BAD_EMAIL = "unreadable e-mail address"
UNKNOWN_PLACE = "unknown place"
BAD_NATIONAL_ID = "unreadable national ID number"
UNMATCHED_ORG = "organisation name not matched for certain"

#: The quarantine list's columns: the contract's, then a detail saying what was wrong.
QUARANTINE_OUTPUT_COLUMNS = (*QUARANTINE_COLUMNS, "detail")
ORG_MATCH_COLUMNS = ("table", "row", "column", "value", "org_id", "score", "evidence")

#: Organisation references that may be written as a name and matched (not ``parent_id``:
#: a hierarchy is typed by whoever keeps the list of organisations, with ids).
MATCHED_REFERENCES = {
    "people": ("org_id",),
    "projects": ("lead_org_id",),
    "funding": ("funder_id", "recipient_org_id"),
    "participation": ("org_id",),
}

#: Words Thai offices write for an organisation's kind, by contract kind (DOMAIN.md glossary).
#: A community welfare fund (กองทุนสวัสดิการชุมชน) is run by villagers: a community_org.
KIND_WORDS = {
    "agency": ("หน่วยงานรัฐ", "หน่วยงานภาครัฐ", "ส่วนราชการ", "หน่วยราชการ", "ราชการ", "กระทรวง", "กรม",
               "องค์การมหาชน", "government", "government agency"),
    "fund": ("กองทุน", "แหล่งทุน", "funder"),
    "local_government": ("อปท.", "อบต.", "อบจ.", "เทศบาล", "องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนจังหวัด",
                         "องค์กรปกครองส่วนท้องถิ่น", "sao", "municipality"),
    "community_council": ("สภาองค์กรชุมชน", "สภาองค์กรชุมชนตำบล"),
    "community_org": ("องค์กรชุมชน", "กลุ่ม", "กลุ่มชุมชน", "กลุ่มออมทรัพย์", "วิสาหกิจชุมชน", "กองทุนสวัสดิการชุมชน"),
    "network": ("เครือข่าย",),
    "ngo": ("องค์กรพัฒนาเอกชน", "เอ็นจีโอ", "มูลนิธิ", "สมาคม", "foundation"),
    "academic": ("สถาบันการศึกษา", "สถาบันวิชาการ", "มหาวิทยาลัย", "วิชาการ", "university"),
    "private": ("เอกชน", "ภาคเอกชน", "บริษัท", "ธุรกิจ", "company", "business"),
    "other": ("อื่นๆ", "อื่น ๆ", "อื่น"),
}
#: Kind word as compared (:func:`analysis.ingest.read.normalise_header`) -> contract kind.
ORG_KIND_WORDS = {normalise_header(word): kind for kind in ORG_KINDS for word in (kind, *KIND_WORDS[kind])}


#: A table's own columns (everything but references) are checked in parts of at most this
#: many cells, rows times columns, side by side (:func:`analysis.parallel.run_tasks`, issue
#: 19): nationally people (305,000 rows, 13 of the 20 CPU seconds of the own columns) in four
#: parts, each other table in one, so that the two cores end within a second of each other.
#: A part costs about 0.1 s more than its rows checked with the others (a worker sends it
#: back pickled, and repeated names are normalised once per part).
CHECK_PART_CELLS = 1_000_000


def validate_dataset(raw: RawDataset, org_matcher=None, gazetteer=None) -> Dataset:
    """Normalise a raw dataset and quarantine the rows and values that cannot be used.

    Parameters
    ----------
    raw : tables as :func:`analysis.ingest.read.read_dataset` gives them.
    org_matcher : optional object with ``match(text)`` returning an object with ``org_id``
        (or None), ``score`` and ``evidence``: used when an organisation reference is not a
        known org_id (a name written instead of an id). Or a function of no arguments that
        makes one: it is then made in this process while a second checks the first parts.
    gazetteer : optional :class:`analysis.places.Gazetteer`; loaded when a table has places.

    Returns
    -------
    Dataset
        The used rows of every table (absent tables empty), the quarantine list, row counts
        and the organisation names matched to ids.
    """
    from analysis.parallel import run_tasks

    if gazetteer is None and any(all(c in TABLES[n].columns for c in PLACE_COLUMNS) and raw.tables.get(n) is not None
                                 for n in TABLE_ORDER):
        from analysis.places import load_gazetteer

        gazetteer = load_gazetteer()  # once, before the tables are checked side by side
    frames = {name: raw.tables.get(name) for name in TABLE_ORDER}
    frames = {name: frame if frame is not None else
              pd.DataFrame({c: pd.Series(dtype=object) for c in (ROW_COLUMN, *TABLES[name].columns)})
              for name, frame in frames.items()}
    parts = list_check_parts(frames, CHECK_PART_CELLS)

    def check_part(name: str, start: int, stop: int) -> tuple[OwnChecked, Log]:
        log = Log(name)
        return check_own_columns(frames[name].iloc[start:stop], TABLES[name], log, gazetteer), log

    # A table's own columns do not depend on the other tables, nor a row's on the other rows
    # but for repeated ids: they are checked in parts side by side when two cores are free
    # (issue 19), and the parts joined in row order. Repeated ids are then found in the
    # whole table, and references in table order, each against the used rows of the tables
    # before it: the same result as one by one.
    make_matcher = org_matcher if callable(org_matcher) else lambda: org_matcher
    org_matcher, *done = run_tasks([make_matcher, *(lambda part=part: check_part(*part) for part in parts)])
    checked: dict[str, pd.DataFrame] = {}
    logs: dict[str, Log] = {}
    counts: dict[str, dict[str, int]] = {}
    for name in TABLE_ORDER:
        pieces = [piece for (table, *_), piece in zip(parts, done) if table == name]  # in row order
        own, log = join_checked([own for own, _ in pieces]), join_logs(name, [log for _, log in pieces])
        check_repeated_keys(own.out, TABLES[name], own.written, own.rows, log)
        checked[name] = check_table_references(own, TABLES[name], checked, log, org_matcher)
        logs[name] = log
        n_read = len(frames[name])
        counts[name] = {"read": n_read, "used": len(checked[name]), "quarantined": n_read - len(checked[name])}
    problems = [p for name in TABLE_ORDER for p in logs[name].problems]
    matches = [m for name in TABLE_ORDER for m in logs[name].matches]
    return Dataset(
        tables=checked,
        quarantine=sort_lines(problems, QUARANTINE_OUTPUT_COLUMNS),
        counts=counts,
        files=dict(raw.files),
        source=raw.source,
        checksums=dict(raw.checksums),
        org_matches=sort_lines(matches, ORG_MATCH_COLUMNS),
    )


def list_check_parts(frames: dict[str, pd.DataFrame], cells: int) -> list[tuple[str, int, int]]:
    """``(table, first row, end row)``: each table in as few parts of as many rows as keep
    them under ``cells`` cells (an empty table in one), largest tables first, so that a core
    taking the next part when it is free ends with the other.

    >>> frames = {"people": pd.DataFrame({"a": range(5), "b": range(5)}), "projects": pd.DataFrame({"a": []})}
    >>> list_check_parts(frames, cells=4)
    [('people', 0, 2), ('people', 2, 4), ('people', 4, 5), ('projects', 0, 0)]
    """
    parts = []
    for name in sorted(frames, key=lambda name: -frames[name].size):
        n_rows = len(frames[name])
        n_parts = max(1, -(-frames[name].size // cells))
        step = max(1, -(-n_rows // n_parts))
        parts += [(name, start, min(start + step, n_rows)) for start in range(0, max(1, n_rows), step)]
    return parts


def join_checked(pieces: list["OwnChecked"]) -> "OwnChecked":
    """The parts of one table checked apart, joined in row order."""
    if len(pieces) == 1:
        return pieces[0]
    return OwnChecked(pd.concat([p.out for p in pieces]), pd.concat([p.rows for p in pieces]),
                      pd.concat([p.written for p in pieces]))


def join_logs(table: str, logs: list["Log"]) -> "Log":
    """The logs of one table's parts, in row order."""
    joined = Log(table)
    for log in logs:
        joined.problems += log.problems
        joined.matches += log.matches
        joined.skipped |= log.skipped
    return joined


class Log:
    """The problems and name matches found in one table, and the rows set aside."""

    def __init__(self, table: str):
        self.table = table
        self.problems: list[dict] = []
        self.matches: list[dict] = []
        self.skipped: set[int] = set()

    def add(self, row: int, column: str, value: object, reason: str, action: str, detail: str = "") -> None:
        written = "" if value is None or pd.isna(value) else str(value)
        self.problems.append(
            {"table": self.table, "row": int(row), "column": column, "value": written,
             "reason": reason, "action": action, "detail": detail}
        )
        if action == ROW_SKIPPED:
            self.skipped.add(int(row))


def sort_lines(lines: list[dict], columns: tuple[str, ...]) -> pd.DataFrame:
    """A list of problems or matches as a frame, in table order, then row, then column."""
    frame = pd.DataFrame(lines, columns=list(columns))
    frame["row"] = frame["row"].astype("int64")
    order = frame["table"].map(TABLE_ORDER.index)
    keys = ["row", "column", *(["reason"] if "reason" in columns else [])]
    return frame.assign(_order=order).sort_values(["_order", *keys], kind="stable").drop(columns="_order").reset_index(drop=True)


@dataclass
class OwnChecked:
    """A table with its own columns checked (:func:`check_own_columns`): the normalised
    values, the row numbers, and the values as written in the key and reference columns
    (the quarantine shows those)."""

    out: pd.DataFrame
    rows: pd.Series
    written: pd.DataFrame


def check_own_columns(frame, spec: Table, log: Log, gazetteer) -> OwnChecked:
    """Check rows of one table against its definition in all that needs no other table nor
    other rows: required values, kinds, numbers, dates, phones, e-mails, national ids and
    places (:func:`check_repeated_keys` and :func:`check_table_references` check the rest)."""
    written = frame.copy()
    for column in spec.columns:
        if column not in written.columns:
            written[column] = None
    rows = written[ROW_COLUMN].astype("int64")
    text_columns = [c for c in written.columns if c not in (ROW_COLUMN, EXTRA_COLUMN, JOINED_COLUMN)]
    ids = id_columns(spec)
    out = pd.DataFrame({c: map_unique(written[c], normalise_id) if c in ids else
                        map_unique_many(written[c], normalise.normalise_texts) for c in text_columns})
    out[ROW_COLUMN] = rows.to_numpy()

    check_extra_values(written, rows, log)
    check_joined_lines(written, rows, log)
    check_required(out, spec, rows, log)
    if spec.name == "organisations":
        out["kind"] = check_kinds(out["kind"], written["kind"], rows, log)
    for column in spec.numbers:
        out[column] = check_numbers(out[column], written[column], rows, column in spec.needed, log)
    for column in spec.dates:
        out[column] = check_values(out[column], written[column], rows, normalise.parse_date, BAD_DATE, column in spec.needed, log)
        out[column] = pd.to_datetime(out[column])
    if "phone" in spec.columns:
        out["phone"] = check_values(out["phone"], written["phone"], rows, normalise.normalise_phone, BAD_PHONE, False, log)
    if "email" in spec.columns:
        out["email"] = check_values(out["email"], written["email"], rows, normalise.normalise_email, BAD_EMAIL, False, log)
    if "national_id" in spec.private and "national_id" in written.columns:
        out["national_id"] = check_national_ids(out["national_id"], rows, log)
    if all(c in spec.columns for c in PLACE_COLUMNS):
        out = out.join(resolve_places(out, written, rows, log, gazetteer))
    return OwnChecked(out, rows, written[id_columns(spec)])


def check_table_references(own: OwnChecked, spec: Table, checked: dict, log: Log, org_matcher) -> pd.DataFrame:
    """The references of a table checked by :func:`check_own_columns` (``checked`` holds the
    tables it points at); return its used rows."""
    check_references(own.out, spec, checked, own.written, own.rows, log, org_matcher)
    return tidy_table(own.out, spec, log.skipped)


def id_columns(spec: Table) -> list[str]:
    """The columns of a table that hold ids: its key and its references. Ids are compared
    without invisible characters (:func:`analysis.ingest.normalise.remove_invisible`)."""
    return list(dict.fromkeys(c for c in (spec.key, *spec.references) if c))


def map_unique(series: pd.Series, function: Callable) -> pd.Series:
    """``series.map(function)``, calling it once per distinct value (lists repeat names a lot);
    a missing value becomes None without a call."""
    return map_unique_many(series, lambda values: [function(value) for value in values])


def map_unique_many(series: pd.Series, function: Callable[[list], list]) -> pd.Series:
    """:func:`map_unique` with a function of the list of distinct values that gives their
    results in order (one call for all, as :func:`analysis.ingest.normalise.normalise_texts`).

    Examples
    --------
    >>> map_unique_many(pd.Series(["b", None, "a", "b"]), lambda values: [v.upper() for v in values]).tolist()
    ['B', None, 'A', 'B']
    """
    codes, uniques = pd.factorize(series)  # a missing value's code is -1
    mapped = np.empty(len(uniques) + 1, dtype=object)  # its last slot, None, is code -1's
    for i, value in enumerate(function(list(uniques))):
        mapped[i] = value
    return pd.Series(mapped[codes], index=series.index, dtype=object)


def normalise_cell(value: str) -> str | None:
    """:func:`analysis.ingest.normalise.normalise_text`, skipped for plain ASCII text without stray
    blanks (ids, phones, e-mails), which it returns unchanged: a third of the time on big lists.

    Examples
    --------
    >>> normalise_cell("R-001"), normalise_cell(" R-001  x"), normalise_cell("สํา")
    ('R-001', 'R-001 x', 'สำ')
    """
    if isinstance(value, str) and value.isascii() and value.isprintable() and value == " ".join(value.split()) and value:
        return value
    return normalise.normalise_text(value)


def normalise_id(value: str) -> str | None:
    """An id as compared: :func:`normalise_cell`, then without the characters no one sees
    (:func:`analysis.ingest.normalise.remove_invisible`), which plain ASCII text cannot hold
    (they are all beyond it), so most ids skip that search.

    Examples
    --------
    >>> normalise_id(" R-001 "), normalise_id("R-0\u00ad01"), normalise_id("\u00ad")
    ('R-001', 'R-001', None)
    """
    text = normalise_cell(value)
    return text if text is None or text.isascii() else normalise.remove_invisible(text)


def check_extra_values(written: pd.DataFrame, rows: pd.Series, log: Log) -> None:
    if EXTRA_COLUMN not in written.columns:
        return
    for row, value in zip(rows, written[EXTRA_COLUMN]):
        if value is not None and not pd.isna(value):
            log.add(row, EXTRA_COLUMN, value, EXTRA_VALUES, ROW_SKIPPED,
                    "a value probably holds the delimiter: put it in quotes")


def check_joined_lines(written: pd.DataFrame, rows: pd.Series, log: Log) -> None:
    """Set aside a CSV row that is several lines joined by a stray quote (``"``): used as one
    row it would put half of one roster line in a cell of another and lose the second."""
    if JOINED_COLUMN not in written.columns:
        return
    cells = written.drop(columns=[c for c in (ROW_COLUMN, EXTRA_COLUMN, JOINED_COLUMN) if c in written.columns])
    for index, row, lines in zip(written.index, rows, written[JOINED_COLUMN]):
        if isinstance(lines, str):
            column = next((c for c in cells.columns if isinstance(cells.at[index, c], str) and "\n" in cells.at[index, c]),
                          JOINED_COLUMN)
            log.add(row, column, cells.at[index, column] if column in cells else lines, JOINED_LINES, ROW_SKIPPED,
                    f"{lines} of the file are one row here: a quote (\") opens this cell and the closing quote is "
                    f"on a later line; remove the stray quote")


def check_required(out: pd.DataFrame, spec: Table, rows: pd.Series, log: Log) -> None:
    for column in spec.required:
        for row in rows[out[column].isna().to_numpy()]:
            log.add(row, column, None, MISSING, ROW_SKIPPED)
    for group in spec.one_of:
        missing = out[list(group)].isna().all(axis=1).to_numpy()
        for row in rows[missing]:
            log.add(row, "/".join(group), None, MISSING, ROW_SKIPPED, f"give {' or '.join(group)}")


def check_kinds(kinds: pd.Series, written: pd.Series, rows: pd.Series, log: Log) -> pd.Series:
    """Contract kinds for the kind words written; other words set the row aside."""
    mapped = map_unique(kinds, lambda value: ORG_KIND_WORDS.get(normalise_header(value)))  # a few words, many rows
    is_bad = (mapped.isna() & kinds.notna()).to_numpy()
    for row, as_written in zip(rows[is_bad], written[is_bad]):
        log.add(row, "kind", as_written, BAD_KIND, ROW_SKIPPED, f"use one of {', '.join(ORG_KINDS)}")
    return mapped


def check_values(values, written, rows, parse: Callable, reason: str, is_needed: bool, log: Log,
                 reason_by_error: dict[str, str] | None = None) -> pd.Series:
    """Parse a column's values; unreadable ones are logged and become missing.

    ``reason_by_error`` gives some parser messages a reason of their own.
    """
    errors = {}
    parsed = map_unique(values, lambda value: parse_or_note(parse, value, errors))
    action = ROW_SKIPPED if is_needed else VALUE_IGNORED
    is_bad = values.isin(list(errors)).to_numpy()
    for row, value, as_written in zip(rows[is_bad], values[is_bad], written[is_bad]):
        log.add(row, values.name, as_written, (reason_by_error or {}).get(errors[value], reason), action, errors[value])
    return parsed


def parse_or_note(parse: Callable, value, errors: dict):
    """``parse(value)``, or None with the parser's message noted in ``errors[value]``."""
    try:
        return parse(value)
    except ValueError as error:
        errors[value] = str(error)
        return None


def check_national_ids(values, rows, log: Log) -> pd.Series:
    """National ID numbers as 13 digits when their check digit holds, else missing (no
    evidence). The quarantine line never shows the number (docs/privacy.md)."""
    errors = {}
    parsed = map_unique(values, lambda value: parse_or_note(normalise.normalise_national_id, value, errors))
    is_bad = values.isin(list(errors)).to_numpy()
    for row, value in zip(rows[is_bad], values[is_bad]):
        log.add(row, "national_id", "(not shown)", BAD_NATIONAL_ID, VALUE_IGNORED, f"{errors[value]}: not used as evidence")
    return parsed


def check_numbers(values, written, rows, is_needed: bool, log: Log) -> pd.Series:
    """Amounts as float; unreadable, negative (amounts are ≥ 0, CONTRACT §1) and too large
    ones (above :data:`analysis.ingest.normalise.MAX_AMOUNT`, so that no sum overflows) are logged."""
    # parse_amount tells a negative amount apart by its message; it gets its own reason.
    numbers = check_values(values, written, rows, normalise.parse_amount, BAD_NUMBER, is_needed, log,
                           {"negative amount": NEGATIVE, "amount too large": TOO_LARGE})
    return pd.to_numeric(numbers, errors="coerce").astype("float64")


def resolve_places(out: pd.DataFrame, written: pd.DataFrame, rows: pd.Series, log: Log, gazetteer) -> pd.DataFrame:
    """Official codes for each row's place; a place given but not found is logged, kept as written."""
    # Resolved once per distinct place, and the rows given their place's codes by position:
    # a roster repeats the same few tambons many times.
    codes, keys = factorize_rows(out[list(PLACE_COLUMNS)])
    is_given = np.array([key != (None, None, None) for key in keys], dtype=bool)
    if is_given.any() and gazetteer is None:
        from analysis.places import load_gazetteer

        gazetteer = load_gazetteer()
    places = [gazetteer.resolve(province=key[0], district=key[1], tambon=key[2]) if given else None
              for key, given in zip(keys, is_given)]
    found = pd.DataFrame(
        {column: np.array([getattr(place, column) if place is not None else None for place in places],
                          dtype=object)[codes]
         for column in PLACE_CODE_COLUMNS[:-1]},
        index=out.index, dtype=object,
    )
    is_known = np.array([place is not None and bool(place.is_known) for place in places], dtype=bool)
    found["is_place_known"] = is_known[codes]
    is_unknown = (is_given & ~is_known)[codes]
    for index, row, code in zip(out.index[is_unknown], rows[is_unknown], codes[is_unknown]):
        column = unmatched_place_column(keys[code], places[code])
        log.add(row, column, written.at[index, column], UNKNOWN_PLACE, VALUE_IGNORED, places[code].note or "")
    return found


def factorize_rows(frame: pd.DataFrame) -> tuple[np.ndarray, list[tuple]]:
    """A code per row and the distinct rows as tuples (missing values None), in order of
    first appearance: ``keys[codes[i]]`` is row ``i``'s values. Columns are factorized in C
    and their codes combined, so that no Python runs per row.

    Examples
    --------
    >>> codes, keys = factorize_rows(pd.DataFrame({"a": ["x", "y", "x", None], "b": ["1", "1", "1", None]}))
    >>> codes.tolist(), keys
    ([0, 1, 0, 2], [('x', '1'), ('y', '1'), (None, None)])
    """
    combined = np.zeros(len(frame), dtype=np.int64)
    values = []
    for column in frame.columns:
        codes, uniques = pd.factorize(frame[column])  # a missing value's code is -1: the last slot, None
        values.append(np.array([*uniques, None], dtype=object)[codes])
        # Factorized again at each column, so that the combined codes stay below rows².
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + (codes + 1))
    _, firsts = np.unique(combined, return_index=True)  # codes count from 0 in order of appearance
    return combined, list(zip(*(column[firsts] for column in values)))


def unmatched_place_column(key: tuple, place) -> str:
    """The finest place column given whose level found no code (else the finest given)."""
    given = [c for c, value in reversed(list(zip(PLACE_COLUMNS, key))) if value is not None]
    return next((c for c in given if getattr(place, f"{c}_code") is None), given[0])


def check_repeated_keys(out, spec: Table, written, rows, log: Log) -> None:
    """The second and later rows with an id seen before (the first row in the file keeps it)."""
    if spec.key is None:
        return
    keys = out[spec.key]
    repeated = (keys.notna() & keys.duplicated(keep="first")).to_numpy()
    for row, value in zip(rows[repeated], written[spec.key][repeated]):
        log.add(row, spec.key, value, REPEATED, ROW_SKIPPED, "an earlier row has this id")


def check_references(out, spec: Table, checked: dict, written, rows, log: Log, org_matcher) -> None:
    """Set aside rows that point at an id no used row has; match names to org ids first.

    A name is matched once however many rows write it (a national roster names a few
    thousand organisations in hundreds of thousands of lines); the rows are then logged in
    order."""
    for column, (target, target_column) in spec.references.items():
        if target == spec.name:
            check_self_reference(out, spec, column, written, rows, log)
            check_parent_cycles(out, spec, column, written, rows, log)
            continue
        # isin with the target's column hashes it in C; iterating a pandas text column
        # into a set calls Python per value (a second nationally), so the set is made only
        # when a value is unknown.
        targets = checked[target][target_column] if target in checked else pd.Series([], dtype=object)
        can_match = org_matcher is not None and column in MATCHED_REFERENCES.get(spec.name, ())
        values = out[column]
        unknown = (values.notna() & ~values.isin(targets) & ~rows.isin(log.skipped).to_numpy()).to_numpy()
        if not unknown.any():
            continue
        known = set(targets.tolist())
        matches = {v: org_matcher.match(v) for v in pd.unique(values[unknown])} if can_match else {}
        # A name that fits no organisation, or two, blanks that value only (issue 15) when the
        # row stays usable without it: the person or project stays, and the line says which
        # names came closest. An id no row has is a broken reference: the row is set aside.
        blankable = find_blankable(out, spec, column)[unknown] if can_match else np.zeros(unknown.sum(), dtype=bool)
        ids = values.to_numpy(dtype=object, copy=True)
        for position, row, value, as_written, may_blank in zip(np.flatnonzero(unknown), rows[unknown], values[unknown],
                                                               written[column][unknown], blankable):
            match = matches.get(value)
            if match is not None and match.org_id is not None and match.org_id in known:
                log.matches.append({"table": log.table, "row": int(row), "column": column, "value": as_written,
                                    "org_id": match.org_id, "score": float(match.score), "evidence": match.evidence})
                ids[position] = match.org_id
            elif may_blank and not is_code(as_written):
                log.add(row, column, as_written, UNMATCHED_ORG, VALUE_IGNORED, match.evidence)
                ids[position] = None
            else:
                log.add(row, column, as_written, NO_SUCH_ID, ROW_SKIPPED, f"no used row of {target} has this {target_column}")
        out[column] = pd.Series(ids, index=out.index, dtype=object)


CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-.:/]*")


def is_code(value) -> bool:
    """True when a reference is written as an id (ASCII, no blank, a digit in it), not a
    name: an id no row has is a broken reference (CONTRACT §1, the row is set aside), while
    a name not matched for certain only blanks the value.

    Examples
    --------
    >>> is_code("T000000-CC"), is_code("อบต.คลองหินปูน"), is_code("Community Network 2")
    (True, False, False)
    """
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    return bool(CODE.fullmatch(text)) and any(ch.isdigit() for ch in text)


def find_blankable(out: pd.DataFrame, spec: Table, column: str) -> np.ndarray:
    """For each row, True when it stays usable without this column's value: the column is
    not required, and another column of its one-of group (a participation's record_id beside
    org_id) holds a value."""
    if column in spec.required:
        return np.zeros(len(out), dtype=bool)
    usable = np.ones(len(out), dtype=bool)
    for group in spec.one_of:
        if column in group:
            usable &= out[[c for c in group if c != column]].notna().any(axis=1).to_numpy()
    return usable


def check_self_reference(out, spec: Table, column: str, written, rows, log: Log) -> None:
    """References within a table (an organisation's parent): repeat until no row changes,
    because setting a parent aside sets aside the rows that point at it."""
    while True:
        used = ~rows.isin(log.skipped).to_numpy()
        known = set(out[spec.key][used].dropna().tolist())
        bad = used & out[column].notna().to_numpy() & ~out[column].isin(known).to_numpy()
        if not bad.any():
            return
        for row, value in zip(rows[bad], written[column][bad]):
            log.add(row, column, value, NO_SUCH_ID, ROW_SKIPPED, f"no used row of {spec.name} has this {spec.key}")


def check_parent_cycles(out, spec: Table, column: str, written, rows, log: Log) -> None:
    """Set aside the organisations whose ``parent_id`` chain runs into a cycle (A → B → A):
    they have no agency (:func:`analysis.agencies.find_parent_cycles`), and which of the
    cycle's members is the top would be a guess. The detail names the cycle's members."""
    from analysis.agencies import find_parent_cycles

    used = ~rows.isin(log.skipped).to_numpy()
    chains = pd.DataFrame({"org_id": out[spec.key][used], "parent_id": out[column][used]})
    in_cycle = set(find_parent_cycles(chains))
    if not in_cycle:
        return
    parents = dict(zip(chains["org_id"], chains["parent_id"]))
    for index, row in zip(out.index[used], rows[used]):
        org_id = out.at[index, spec.key]
        if org_id in in_cycle:
            log.add(row, column, written.at[index, column], PARENT_CYCLE, ROW_SKIPPED,
                    f"the cycle: {' → '.join(describe_cycle(org_id, parents))}; give one of them no parent_id")


def describe_cycle(start: str, parents: dict) -> list[str]:
    """The org_ids of the cycle that ``start``'s chain runs into, its first member repeated at the end.

    Examples
    --------
    >>> describe_cycle("C", {"C": "A", "A": "B", "B": "A"})
    ['A', 'B', 'A']
    """
    path, node = [], start
    while node not in path:
        path.append(node)
        node = parents[node]
    cycle = path[path.index(node):]
    return [*cycle, cycle[0]]


def tidy_table(out: pd.DataFrame, spec: Table, skipped: set[int]) -> pd.DataFrame:
    """The used rows, contract columns first, then place codes, extra columns and ``row``."""
    used = out[~out[ROW_COLUMN].isin(skipped)].reset_index(drop=True)
    codes = [c for c in PLACE_CODE_COLUMNS if c in used.columns]
    extras = [c for c in used.columns if c not in (*spec.columns, *codes, ROW_COLUMN)]
    used = used[[*spec.columns, *codes, *extras, ROW_COLUMN]]
    for column in used.columns:
        if column in (*spec.dates, *spec.numbers, ROW_COLUMN, "is_place_known"):
            continue
        used[column] = used[column].astype("str")  # pandas 3: a missing value stays missing (NaN), never "None"
    if "is_place_known" in used.columns:
        used["is_place_known"] = used["is_place_known"].astype(bool)
    return used


def format_validation_summary(dataset: Dataset) -> str:
    """The report ``stakemap validate`` prints: rows read, used and set aside, by table and reason.

    Examples
    --------
    >>> from pathlib import Path
    >>> quarantine = pd.DataFrame([{"table": "people", "row": 3, "column": "name", "value": "",
    ...     "reason": MISSING, "action": ROW_SKIPPED, "detail": ""}])
    >>> counts = {"organisations": {"read": 2, "used": 2, "quarantined": 0},
    ...           "people": {"read": 3, "used": 2, "quarantined": 1}}
    >>> print(format_validation_summary(Dataset({}, quarantine, counts, {}, Path("."))))
    table          rows read  used  quarantined
    organisations          2     2            0
    people                 3     2            1
    <BLANKLINE>
    Rows quarantined (row skipped), by reason:
      people: required value missing — 1 row
    <BLANKLINE>
    Values ignored (row kept), by reason:
      none
    """
    lines = [f"{'table':<14} {'rows read':>9} {'used':>5} {'quarantined':>12}"]
    for table in TABLE_ORDER:
        if table in dataset.counts and (table in dataset.files or dataset.counts[table]["read"]):
            n = dataset.counts[table]
            lines.append(f"{table:<14} {n['read']:>9} {n['used']:>5} {n['quarantined']:>12}")
        elif table in dataset.counts:
            lines.append(f"{table:<14} {'no table':>9}")
    quarantine = dataset.quarantine
    for title, action, unit in (("Rows quarantined (row skipped)", ROW_SKIPPED, "row"),
                                ("Values ignored (row kept)", VALUE_IGNORED, "value")):
        lines += ["", f"{title}, by reason:"]
        lines += count_lines(quarantine[quarantine["action"] == action], unit, distinct_rows=action == ROW_SKIPPED)
    if dataset.org_matches is not None and len(dataset.org_matches):
        lines += ["", "Organisation names matched to ids:", *match_lines(dataset.org_matches)]
    return "\n".join(lines)


#: Matches printed one by one: about a terminal screen; the rest are counted.
N_MATCHES_SHOWN = 20


def match_lines(matches: pd.DataFrame) -> list[str]:
    """One line per name matched to an org_id, so that a person can check it."""
    where = matches["file"] if "file" in matches.columns else matches["table"]  # office files: file[:sheet]
    lines = [f"  {w} row {m.row}, {m.column}: '{m.value}' → {m.org_id} ({m.evidence})"
             for w, m in zip(where.head(N_MATCHES_SHOWN), matches.head(N_MATCHES_SHOWN).itertuples(index=False))]
    if len(matches) > N_MATCHES_SHOWN:
        lines.append(f"  … and {len(matches) - N_MATCHES_SHOWN} more")
    return lines


def count_lines(lines: pd.DataFrame, unit: str, distinct_rows: bool) -> list[str]:
    """``table: reason — n unit(s)`` in table order, then by count, most first."""
    if lines.empty:
        return ["  none"]
    if distinct_rows:
        lines = lines.drop_duplicates(["table", "row", "reason"])
    counter = Counter(zip(lines["table"], lines["reason"]))
    ordered = sorted(counter.items(), key=lambda item: (TABLE_ORDER.index(item[0][0]), -item[1], item[0][1]))
    return [f"  {table}: {reason} — {n} {unit}{'s' if n != 1 else ''}" for (table, reason), n in ordered]
