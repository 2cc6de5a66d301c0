"""Writing tables: deterministic bytes, Excel-friendly Thai, no formula injection."""

import re
from pathlib import Path

import pandas as pd

from analysis.render.atomic import write_file

#: A text cell starting with one of these is read as a formula by spreadsheet programs
#: (OWASP, "CSV Injection"). Tab and carriage return are on OWASP's list too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: The byte order mark Excel needs to read a CSV as UTF-8 (and so show Thai).
BOM = "\ufeff"


def is_formula_like(value: object) -> bool:
    """True for a text cell a spreadsheet would run as a formula.

    Text that parses as a number (``-500``) is left alone: it is a value, not a formula.

    Examples
    --------
    >>> is_formula_like("=HYPERLINK(\\"http://x\\")"), is_formula_like("-500"), is_formula_like("ok")
    (True, False, False)
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return False
    try:
        float(value)
    except ValueError:
        return True
    return False


def _text_columns(df: pd.DataFrame) -> list:
    return [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]


def _joined_text(values: pd.Series) -> str:
    """A column's text cells joined by ``\\n``: one string to search in C instead of a test
    in Python per cell (the export tables have millions). A cell's own line breaks can only
    make a search find too much, never too little."""
    cells = values.tolist()
    try:
        return "\n".join(cells)
    except TypeError:  # missing cells (None, NaN) or numbers among the text
        return "\n".join([v for v in cells if isinstance(v, str)])


#: A line after the first starting as a formula might. The pattern starts with a plain
#: character, which lets the regex engine skip to each line break (7x faster than six
#: substring searches).
LATER_FORMULA_LINE = re.compile(r"\n[" + re.escape("".join(FORMULA_STARTS)) + "]")


def _has_formula_start(text: str) -> bool:
    """True when a line of ``text`` starts as a formula might (:data:`FORMULA_STARTS`)."""
    return text.startswith(FORMULA_STARTS) or LATER_FORMULA_LINE.search(text) is not None


def _neutralise_cell(value):
    return "'" + value if is_formula_like(value) else value


#: A carriage return that is not the start of ``\\r\\n``: written as ``\\n``, a line break
#: either way. Python's csv writer quotes a cell only for the characters of its line
#: terminator (``\\n`` here), so a lone ``\\r`` (an old Mac line break, kept in
#: quarantine.csv's values as written) would go out unquoted and end the row for every
#: program reading the file.
LONE_CR = re.compile(r"\r(?!\n)")


def _unify_cell(value):
    return LONE_CR.sub("\n", value) if isinstance(value, str) else value


#: (test on a column's joined text, fix of one cell): formula-like text, lone ``\\r``.
NEUTRALISE = (_has_formula_start, _neutralise_cell)
UNIFY = (lambda text: "\r" in text, _unify_cell)


def _fix_text(df: pd.DataFrame, fixes: list[tuple]) -> pd.DataFrame:
    """``df`` with each fix, in order, applied to every cell of the text columns whose
    joined text passes its test; the others are not touched."""
    out = df.copy(deep=False)  # copy on write: df keeps its columns
    for column in _text_columns(df):
        text = _joined_text(df[column])
        for needs_fix, fix in fixes:
            if needs_fix(text):
                out[column] = out[column].map(fix)
    return out


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix formula-like text cells with an apostrophe, as OWASP advises for CSV.

    Spreadsheet programs then show the text as written instead of running it.
    """
    return _fix_text(df, [NEUTRALISE])


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write a table as UTF-8 CSV with a BOM (Excel on Thai Windows then shows Thai).

    Same frame → same bytes: no index, ``\\n`` line ends, floats in their shortest form.
    The file is written beside ``path`` and then moved over it
    (:func:`analysis.render.atomic.write_file`), so a failed write (a full USB stick) leaves
    the earlier file whole, never half a table.
    """
    # Both fixes in one pass: neutralising adds no carriage return, so one joined text tests both.
    fixed = _fix_text(df, [NEUTRALISE, UNIFY])

    def write(partial: Path) -> None:
        # The BOM written first, then plain UTF-8: the same bytes as encoding="utf-8-sig",
        # whose encoder Python runs in Python for each row written, and plain UTF-8 in C
        # for a buffer at a time (national: a sixth of the CSVs' time).
        with open(partial, "w", encoding="utf-8", newline="") as file:
            file.write(BOM)
            fixed.to_csv(file, index=False, lineterminator="\n")

    return write_file(Path(path), write)
