"""Review decisions a person made (``decisions.csv`` in the dataset folder).

A decision says two things are the same or different; it always wins over the model on the
next run. Decisions are keyed on stable content (a normalised name and place, a project's
title and tambon), never on record ids, so they survive re-exported rosters.

File format (UTF-8 CSV)::

    kind,a,b,decision,note
    person,<key of one record>,<key of the other>,same,ประธานคนเดียวกัน
    organisation,<name as written>,<org_id>,same,
    project,<key of one project>,<key of the other>,different,คนละกลุ่มเป้าหมาย

``kind`` is ``person``, ``organisation`` or ``project``; ``decision`` is ``same`` or
``different``. The keys are the ones ``match_review.csv`` / ``duplicate_review.csv`` print
in their ``key_a`` / ``key_b`` columns, so a reviewer copies a row and adds the decision.
"""

from pathlib import Path

import pandas as pd

from analysis.errors import DatasetError

DECISION_COLUMNS = ("kind", "a", "b", "decision", "note")
DECISION_KINDS = ("person", "organisation", "project")
DECISION_VALUES = ("same", "different")
FILE_NAME = "decisions.csv"


def empty_decisions() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in DECISION_COLUMNS})


def read_decisions(dataset: Path) -> pd.DataFrame:
    """Read ``decisions.csv`` beside or inside the dataset; empty when there is none.

    Rows with an unknown kind or decision stop the run with one sentence: a reviewer's
    decision must never be ignored silently.
    """
    dataset = Path(dataset)
    folder = dataset if dataset.is_dir() else dataset.parent
    path = folder / FILE_NAME
    if not path.exists():
        return empty_decisions()
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError) as error:
        raise DatasetError(f"{path} cannot be read as a CSV file ({error}).") from None
    missing = [c for c in ("kind", "a", "b", "decision") if c not in df.columns]
    if missing:
        raise DatasetError(f"{path} has no column {', '.join(missing)}; it needs kind, a, b, decision.")
    if "note" not in df.columns:
        df["note"] = ""
    for index, row in df.iterrows():
        sheet_row = index + 2
        if row["kind"] not in DECISION_KINDS:
            raise DatasetError(
                f"{path}, row {sheet_row}, column kind: '{row['kind']}' is not one of {', '.join(DECISION_KINDS)}."
            )
        if row["decision"] not in DECISION_VALUES:
            raise DatasetError(
                f"{path}, row {sheet_row}, column decision: '{row['decision']}' is not 'same' or 'different'."
            )
    return df[list(DECISION_COLUMNS)].reset_index(drop=True)
