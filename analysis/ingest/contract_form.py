"""``stakemap import``: the contract tables derived from a folder of office files, written
for a person to check and edit in Excel (CONTRACT §3, v2).

Every line read is written, used or not (the quarantine says which were set aside and
why), with organisation names replaced by the org_id they matched, so that the folder
written is a dataset ``stakemap run`` reads as it is. Organisations are the user's and the
drafted ones. National ID numbers are not written (CONTRACT §1: never written to any
output): a run on the written tables has no national-ID evidence, so keep the office folder
as the source when they matter.
"""

from pathlib import Path

import pandas as pd

from analysis.ingest.schema import ROW_COLUMN, TABLE_ORDER, TABLES
from analysis.ingest.validate import MATCHED_REFERENCES


def build_contract_tables(raw, matcher) -> dict[str, pd.DataFrame]:
    """The raw tables with organisation names replaced by the org_id each matched."""
    known = set(raw.tables["organisations"]["org_id"].dropna()) if "organisations" in raw.tables else set()
    tables = {}
    for name in TABLE_ORDER:
        frame = raw.tables.get(name)
        if frame is None:
            continue
        frame = frame.drop(columns=[c for c in (ROW_COLUMN, *TABLES[name].private) if c in frame.columns]).copy()
        for column in MATCHED_REFERENCES.get(name, ()):
            if column in frame.columns:
                frame[column] = [match_id(v, known, matcher) for v in frame[column]]
        tables[name] = frame
    return tables


def match_id(value, known: set, matcher) -> str | None:
    if value is None or pd.isna(value) or value in known:
        return value
    return matcher.match(value).org_id or value


def write_contract_form(tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """``<table>.csv`` for each table, UTF-8 with BOM so that Excel opens the Thai.

    Not :func:`analysis.render.tables.write_csv`: these are input tables, kept as typed
    (``+66 81 …`` stays a phone), like the sample's (:func:`analysis.sample.write_table`).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
        paths.append(out / f"{name}.csv")
    return paths
