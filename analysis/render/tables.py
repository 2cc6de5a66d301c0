"""Writing tables: deterministic bytes, Excel-friendly Thai, no formula injection.

The bytes are those of :meth:`pandas.DataFrame.to_csv` (no index, ``\\n`` line ends), which
hands Python's :mod:`csv` writer each cell as text: numbers as numpy writes them (for a
float64, Python's shortest ``repr``), missing cells empty. For the column types the outputs
hold (text, whole numbers, float64, true/false) the cells are given to the same csv writer
here straight from the column (:func:`list_cells`), without pandas' formatting of every
cell: nationally the graph exports' two files (1.3 million edges, 0.5 million nodes) took
9 of their 21 CPU seconds in it (docs/scaling.md, eighth round). Other types are written by
pandas itself.
"""

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
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


def _joined_text(cells: list) -> str:
    """A column's text cells joined by ``\\n``: one string to search in C instead of a test
    in Python per cell (the export tables have millions). A cell's own line breaks can only
    make a search find too much, never too little."""
    try:
        return "\n".join(cells)
    except TypeError:  # missing cells (None, NaN) or numbers among the text
        types = set(map(type, cells))
        if str not in types:  # numbers: no cell to test, and no loop in Python over them
            return ""
        if types == {str, type(None)}:
            return "\n".join(filter(None, cells))
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
        text = _joined_text(df[column].tolist())
        for needs_fix, fix in fixes:
            if needs_fix(text):
                out[column] = out[column].map(fix)
    return out


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix formula-like text cells with an apostrophe, as OWASP advises for CSV.

    Spreadsheet programs then show the text as written instead of running it.
    """
    return _fix_text(df, [NEUTRALISE])


def list_cells(series: pd.Series) -> list | None:
    """``series``' cells as :meth:`pandas.DataFrame.to_csv` gives them to Python's csv
    writer: the values, missing ones as None (an empty cell either way), or None when its
    type is left to pandas (dates, categories, nullable integers, float32 …).

    Python writes a float as its ``repr`` and numpy's text of a float64 is the same
    shortest round trip, so the values themselves go to the writer.

    Examples
    --------
    >>> list_cells(pd.Series([1.5, None])), list_cells(pd.Series(["ก", None])), list_cells(pd.Series([3]))
    ([1.5, None], ['ก', None], [3])
    """
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        return series.tolist()
    if dtype != np.float64 and dtype != object and not isinstance(dtype, pd.StringDtype):
        return None
    cells = series.tolist()
    if dtype == np.float64 or isinstance(dtype, pd.StringDtype):
        return [None if value != value else value for value in cells] if series.hasnans else cells
    missing = series.isna().to_numpy()
    return [None if is_missing else value for value, is_missing in zip(cells, missing)] if missing.any() else cells


#: Range of numpy's int64: pandas makes float64 of whole numbers with gaps only within it.
INT64_RANGE = range(-2**63, 2**63)


def list_python_cells(values: list) -> list | None:
    """The cells :func:`list_cells` gives for ``pd.Series(values)``, read from a list of Python
    values without building the series (nationally, building the export tables' columns
    took 3 CPU s), or None where pandas' typing is not repeated here.

    pandas types such a list as text (strings and Nones), true/false (with Nones: kept as
    objects), whole numbers (int64, or objects past its range, written alike) or float64:
    floats, and whole numbers among floats or beside a gap, which are then written as floats.

    Examples
    --------
    >>> list_python_cells([1, None]), list_python_cells([1, 2]), list_python_cells([True, None])
    ([1.0, None], [1, 2], [True, None])
    """
    types = set(map(type, values))
    if types <= {str, type(None)} or types <= {bool, type(None)} or types == {int}:
        return values
    if not types <= {int, float, type(None)}:
        return None
    if int in types and not all(value in INT64_RANGE for value in values if type(value) is int):
        return None
    return [None if value is None or value != value else float(value) for value in values]


def _fix_cells(cells: list, fixes: list[tuple]) -> list:
    """``cells`` with each fix, in order, applied to every cell when their joined text passes its test."""
    text = _joined_text(cells)
    for needs_fix, fix in fixes:
        if needs_fix(text):
            cells = list(map(fix, cells))
    return cells


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write a table as UTF-8 CSV with a BOM (Excel on Thai Windows then shows Thai).

    Same frame → same bytes: no index, ``\\n`` line ends, floats in their shortest form.
    The file is written beside ``path`` and then moved over it
    (:func:`analysis.render.atomic.write_file`), so a failed write (a full USB stick) leaves
    the earlier file whole, never half a table.
    """
    if len(df.columns) == 0 or not all(type(c) is str for c in df.columns) \
            or any(list_cells(series.iloc[:0]) is None for _, series in df.items()):
        return _write_with_pandas(df, path)
    # A chunk of rows listed at a time: the cells as Python objects are a few times the
    # size of the columns, and the table is written in the forked child, where the run's
    # memory peaks (docs/scaling.md).
    chunks = ([list_cells(series) for _, series in df.iloc[start:start + CSV_CHUNK_ROWS].items()]
              for start in range(0, len(df), CSV_CHUNK_ROWS))
    return _write_chunks(list(df.columns), chunks, path)


def write_columns_csv(columns: dict[str, list], path: Path) -> Path:
    """Write the table ``pd.DataFrame(columns)`` as :func:`write_csv` does, the same bytes,
    from lists of Python values (text, numbers, true/false, None) without building it."""
    cells = [list_python_cells(values) for values in columns.values()]
    if len(cells) == 0 or any(column is None for column in cells):
        return write_csv(pd.DataFrame(columns), path)
    chunks = ([column[start:start + CSV_CHUNK_ROWS] for column in cells]
              for start in range(0, len(cells[0]), CSV_CHUNK_ROWS))
    return _write_chunks(list(columns), chunks, path)


def _write_chunks(header: list[str], chunks: Iterator[list[list]], path: Path) -> Path:
    """Write ``chunks`` (the columns of some rows each, cells as :func:`list_cells` gives
    them) under ``header`` as :meth:`pandas.DataFrame.to_csv` would: its csv writer, quoting
    and line ends."""

    def write(partial: Path) -> None:
        # The BOM written first, then plain UTF-8: the same bytes as encoding="utf-8-sig",
        # whose encoder Python runs in Python for each row written, and plain UTF-8 in C
        # for a buffer at a time (national: a sixth of the CSVs' time).
        with open(partial, "w", encoding="utf-8", newline="") as file:
            file.write(BOM)
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(header)
            for columns in chunks:
                # Both fixes in one pass: neutralising adds no carriage return, so one joined text tests both.
                columns = [_fix_cells(cells, [NEUTRALISE, UNIFY]) for cells in columns]
                if len(columns) == 1:  # an empty cell alone on its line is quoted: the writer decides
                    writer.writerows(zip(*columns))
                else:
                    texts = [list_csv_texts(cells) for cells in columns]
                    file.write("\n".join(map(",".join, zip(*texts))) + "\n")

    return write_file(Path(path), write)


#: Rows listed and joined into text at a time: few calls, and little memory beside the table.
CSV_CHUNK_ROWS = 5_000
#: Types whose text no csv writer quotes.
PLAIN_CSV_TYPES = frozenset({int, float, bool, type(None)})


def has_csv_special(text: str) -> bool:
    """True when ``text`` holds a character that can make Python's csv writer quote it
    (``QUOTE_MINIMAL``: the delimiter, the quote character, line breaks; NUL, which some
    versions refuse). A substring search each: four times faster than a character class in
    a regular expression over a column's text."""
    return "," in text or '"' in text or "\n" in text or "\r" in text or "\x00" in text


def list_csv_texts(cells: list) -> list[str]:
    """``cells`` (as :func:`list_cells` gives them) as Python's csv writer writes each in a
    row of several cells: None empty, other values as ``str`` gives them, and a text it could
    quote (:func:`has_csv_special`) left to it (:func:`quote_csv_text`). Rows are then
    joined in C: nationally the writer's own loop over the exports' 21 million cells took
    5.5 CPU s, the join 2.

    Examples
    --------
    >>> list_csv_texts(["a,b", None, 1.5, 'a "b" c', "ก"])
    ['"a,b"', '', '1.5', '"a ""b"" c"', 'ก']
    """
    types = set(map(type, cells))
    if types == {str}:
        texts = cells
    elif types <= {str, type(None)}:
        texts = [cell or "" for cell in cells]
    else:
        texts = ["" if cell is None else str(cell) for cell in cells]
    if not types <= PLAIN_CSV_TYPES and has_csv_special("".join(texts)):
        texts = [quote_csv_text(text) if has_csv_special(text) else text for text in texts]
    return texts


def quote_csv_text(text: str) -> str:
    """``text`` as Python's csv writer writes it in a row (quoted, its quotes doubled, where
    it holds a delimiter, a quote or a line break): the writer itself, for one cell.

    >>> quote_csv_text('a "b"\\nc')
    '"a ""b""\\nc"'
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([text, ""])
    return buffer.getvalue()[:-2]  # the empty cell's delimiter and the line end


def _write_with_pandas(df: pd.DataFrame, path: Path) -> Path:
    """:func:`write_csv` through :meth:`pandas.DataFrame.to_csv`, for the types :func:`list_cells` leaves to it."""
    fixed = _fix_text(df, [NEUTRALISE, UNIFY])

    def write(partial: Path) -> None:
        with open(partial, "w", encoding="utf-8", newline="") as file:
            file.write(BOM)
            fixed.to_csv(file, index=False, lineterminator="\n")

    return write_file(Path(path), write)
