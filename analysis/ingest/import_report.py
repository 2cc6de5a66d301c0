"""What the office reader did, told back: rows mapped to their sheets, counts per sheet,
and ``import_report.md`` (CONTRACT §4, v2).

Runs after :func:`analysis.ingest.validate.validate_dataset`, because whether a line was used
or set aside is known only then. Every quarantine line and organisation match of an office
table points at its file, sheet and row as a spreadsheet shows them; per sheet,
rows read = rows used + rows quarantined.
"""

from dataclasses import replace

import pandas as pd

from analysis.dataset import Dataset
from analysis.ingest import sheets
from analysis.ingest.office import AREA_TAMBONS, OfficeImport, SheetReport

#: The column added to the quarantine list and the organisation matches: file[:sheet].
FILE_COLUMN = "file"

#: What each field becomes, in the report's words.
FIELD_WORDS = {
    "honorific": "name (honorific, joined with first name and surname)",
    "first_name": "name (first name, joined with honorific and surname)",
    "last_name": "name (surname, joined with honorific and first name)",
    "name": "name (a phone written after it goes to phone)",
    "address": "house no., หมู่, tambon, district, province (split)",
    "period": "start and end (split; a fiscal year runs 1 Oct – 30 Sep)",
    "area": "tambon, district, province (split; อ.X (ทุกตำบล) is the district, and so are several tambons)",
    "org": "organisation (name matched to the organisations)",
    "lead_org": "lead_org_id (name matched to the organisations)",
    "funder": "a funding row: funder_id (name matched), amount = budget when one funder",
    "contact": "a people record and a participation row (name and phone split)",
    "budget": "budget_thb",
    "amount": "amount_thb",
    "national_id": "national_id (check digit; evidence only, never written out)",
    "parent": "parent_id",
    "org_name": "name",
    "org_id": "org_id",
    "title": "title",
    "recipient": "recipient_org_id (name matched)",
}


def finish_import(dataset: Dataset, office: OfficeImport) -> Dataset:
    """The checked dataset with quarantine lines and matches pointing at sheets and rows,
    per-sheet counts filled in, and the import report written into ``office.report_md``."""
    used = {t: set(frame["row"]) for t, frame in dataset.tables.items() if "row" in frame.columns}
    for report in office.sheets:
        read = len(report.lines)
        n_used = sum(1 for _, table, row in report.lines if row in used.get(table, ()))
        report.counts = {"read": read, "used": n_used, "quarantined": read - n_used}
    office.report_md = render_import_report(office, dataset)
    quarantine = explain_abbreviations(locate_lines(dataset.quarantine, office), office.abbreviations)
    return replace(dataset, quarantine=quarantine,
                   org_matches=locate_lines(dataset.org_matches, office), office=office)


def summarise_sheets(office: OfficeImport) -> list[dict]:
    """Per file and sheet: read as, header row, counts, footer rows and unused columns
    (for ``run.json`` and the report's data-quality section).

    Examples
    --------
    >>> sheet = SheetReport("a.csv", "roster", 2, columns=[("ลำดับ", "seq"), ("ชื่อ", "name")],
    ...                     footer=[(9, "total row")], counts={"read": 5, "used": 5, "quarantined": 0})
    >>> summarise_sheets(OfficeImport([sheet], {}, pd.DataFrame()))[0]["columns_not_used"]
    'ลำดับ'
    """
    return [{"file": r.where, "read_as": r.kind, "header_row": r.header_row, **r.counts,
             "footer_rows": len(r.footer),
             "columns_not_used": ", ".join(w for w, f in r.columns if f is None or f in sheets.UNUSED_FIELDS)}
            for r in office.sheets]


def explain_abbreviations(lines: pd.DataFrame, abbreviations: dict[str, list[str]]) -> pd.DataFrame:
    """The candidates of a name cut short with ฯ, in its quarantine line's detail.

    Examples
    --------
    >>> lines = pd.DataFrame([{"value": "กลุ่มฯ", "detail": "no organisation name is close"}])
    >>> explain_abbreviations(lines, {"กลุ่มฯ": ["กลุ่มทอผ้า", "กลุ่มออมทรัพย์"]})["detail"].tolist()
    ['cut short with ฯ: 2 organisations begin so: กลุ่มทอผ้า; กลุ่มออมทรัพย์']
    """
    if not abbreviations or lines.empty:
        return lines
    lines = lines.copy()
    for index, value in lines["value"].items():
        if value in abbreviations:
            found = abbreviations[value]
            lines.at[index, "detail"] = (f"cut short with ฯ: {len(found)} organisations begin so: {'; '.join(found)}"
                                         if found else "cut short with ฯ: no organisation begins so")
    return lines


def locate_lines(lines: pd.DataFrame | None, office: OfficeImport) -> pd.DataFrame | None:
    """Lines of office tables with the file (and sheet) and the row a spreadsheet shows."""
    if lines is None:
        return None
    lines = lines.copy()
    where = [office.origins.get(t, {}).get(r) for t, r in zip(lines["table"], lines["row"])]
    lines[FILE_COLUMN] = [w[0] if w else "" for w in where]
    lines["row"] = pd.Series([w[1] if w else r for w, r in zip(where, lines["row"])], dtype="int64")
    return lines


def render_import_report(office: OfficeImport, dataset: Dataset) -> str:
    """``import_report.md``: per file and sheet, what it was read as and how."""
    n_read = sum(1 for r in office.sheets if r.header_row is not None)
    lines = ["# Import report", "",
             f"{len(office.sheets)} sheets in {len({r.where.split(':')[0] for r in office.sheets})} files; "
             f"{n_read} read, {len(office.sheets) - n_read} not read.", "",
             "Each sheet below says what it was read as, which row was its header, which column became "
             "what and which columns were not used. To correct a column, add a line to `columns.csv` in "
             "the dataset folder: `table` = the file name (or `file:sheet`, or the kind of list), "
             "`column_as_written` = the header, `column` = what it holds (a word from the first column of "
             "the table in docs/data_format.md, or `ignore`); with `value` and no `column_as_written`, "
             "one value for every line (a roster's `org`). Then run again.", ""]
    for report in office.sheets:
        lines += render_sheet(report)
    lines += render_drafts(office.draft)
    return "\n".join(lines).rstrip() + "\n"


def render_sheet(report: SheetReport) -> list[str]:
    out = [f"## {report.where}", "", f"- Read as: **{report.kind}**"]
    if report.header_row is None:
        return [*out, f"- {report.note}", ""]
    if report.title:
        out.append(f"- Title ({'row' if len(report.title) == 1 else 'rows'} above the header): "
                   + " / ".join(report.title))
    out.append(f"- Header: row {report.header_row}")
    if report.organisation:
        out.append(f"- Organisation of every line: {report.organisation} (from the {report.organisation_from})")
    if report.project:
        out.append(f"- Project of every line: {report.project} ({report.project_from or 'named in the title'})")
    if report.note:
        out.append(f"- {report.note}")
    counts = report.counts
    out.append(f"- Lines: {counts.get('read', 0)} read = {counts.get('used', 0)} used + "
               f"{counts.get('quarantined', 0)} quarantined (see quarantine.csv, column file)")
    if report.footer:
        out.append("- Left out below the header: " + "; ".join(f"row {row} ({reason})" for row, reason in report.footer))
    if report.several_tambons:
        out.append(describe_several_tambons(report.several_tambons))
    out += ["", "| column as written | read as |", "|---|---|"]
    for written, name in report.columns:
        out.append(f"| {escape_cell(written)} | {describe_field(name)} |")
    return [*out, ""]


#: Rows of one sheet listed by :func:`describe_several_tambons`; the rest are counted.
MAX_ROWS_LISTED = 10


def describe_several_tambons(lines: list[tuple[int, list[str], str | None]]) -> str:
    """The import report's line for project areas naming several tambons.

    Examples
    --------
    >>> print(describe_several_tambons([(5, ["คลองหินปูน", "ทุ่งมหาเจริญ"], "วังน้ำเย็น"), (6, ["ก", "ข"], None)]))
    ... # doctest: +NORMALIZE_WHITESPACE
    - Areas naming several tambons: a project has one area in the contract, so each is read as the district
      that holds them, and the tambons are kept in the column area_tambons (stakemap import writes it): row 5
      (คลองหินปูน, ทุ่งมหาเจริญ → อ.วังน้ำเย็น); row 6 (ก, ข → no district written: the project has no area;
      add อ.… to the cell)
    """
    listed = [f"row {row} ({', '.join(tambons)} → "
              + (f"อ.{district})" if district else "no district written: the project has no area; add อ.… to the cell)")
              for row, tambons, district in lines[:MAX_ROWS_LISTED]]
    more = f"; and {len(lines) - MAX_ROWS_LISTED} rows more" if len(lines) > MAX_ROWS_LISTED else ""
    return ("- Areas naming several tambons: a project has one area in the contract, so each is read as the district "
            f"that holds them, and the tambons are kept in the column {AREA_TAMBONS} (stakemap import writes it): "
            + "; ".join(listed) + more)


def describe_field(name: str | None) -> str:
    if name is None:
        return "not used: no known meaning (name it in columns.csv)"
    if name in sheets.UNUSED_FIELDS:
        return f"not used: {sheets.UNUSED_FIELDS[name]}"
    return FIELD_WORDS.get(name, name)


def render_drafts(draft: pd.DataFrame) -> list[str]:
    if draft.empty:
        return ["## Organisations", "", "Every organisation named was found in the organisations given; none drafted.", ""]
    out = ["## Organisations drafted", "",
           f"{len(draft)} organisations named in the files were not in any organisations table: the tool drafted "
           "them (organisations_draft.csv) and used them. Kinds and parents are inferred from the names; "
           "to correct them, copy the rows into an `organisations.csv` in the dataset folder and edit them "
           "there (your table wins).", "",
           "| org_id | name | kind | parent_id |", "|---|---|---|---|"]
    for row in draft.itertuples(index=False):
        out.append(f"| {row.org_id} | {escape_cell(row.name)} | {row.kind} | {row.parent_id or ''} |")
    return [*out, ""]


def escape_cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
