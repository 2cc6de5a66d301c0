"""Resource guards: a workbook is checked against limits before anything reads it.

A workbook (``.xlsx``) is a zip of XML files. Two cheap tricks make a small file ask for
more memory than any computer has, and the reader (python-calamine, in Rust) then aborts
the whole process without a word Python could catch:

- **a far cell**: one cell at ``XFD1048576`` makes the sheet 16,384 columns × 1,048,576 rows,
  and the reader allocates a cell for each (32 bytes a cell: 512 GiB);
- **a zip bomb**: XML that compresses 300 to 1 (a 12.7 MB file inflating to 3.75 GB).

:func:`check_workbook` reads the zip's own directory (the size each part inflates to) and
scans each worksheet's XML for the farthest cell it names, before the reader starts. The
limits are settings (environment variables), so a national office with a big machine can
raise them; the defaults fit a laptop with 4 GB and are above the national sample
(500,000 roster lines × 12 columns = 6 million cells).
"""

import os
import re
import zipfile
import zlib
from pathlib import Path

from analysis.errors import DatasetError

#: Environment variables holding the limits, and their defaults.
MAX_CELLS_VARIABLE, DEFAULT_MAX_CELLS = "STAKEMAP_MAX_CELLS", 20_000_000  # about 640 MB in the reader
MAX_INFLATED_VARIABLE, DEFAULT_MAX_INFLATED_MB = "STAKEMAP_MAX_INFLATED_MB", 2048

#: A cell's reference in a worksheet's XML (``<c r="XFD1048576"``), and the sheet's declared size
#: (``<dimension ref="A1:XFD1048576"/>``); ECMA-376 Part 1, §18.3.1.4 and §18.3.1.35.
CELL_REFERENCE = re.compile(rb'<(?:\w+:)?(?:c|dimension)\b[^>]*?\b(?:r|ref)="(?:[A-Z]+[0-9]+:)?([A-Z]{1,3})([0-9]{1,7})"')
#: A reference beyond column Z or row 99,999 (``r="AA1"``, ``r="A100000"``), namespaced or not;
#: any attribute ending in ``r`` counts, which only sends more sheets to the full search.
FAR_REFERENCE = re.compile(rb'r="(?:[A-Z]{2,3}[0-9]|[A-Z][0-9]{6})')
NEAR_ROWS, NEAR_COLUMNS = 99_999, 26
#: The greatest sheet Excel makes (Excel specifications and limits: 1,048,576 rows × 16,384 columns).
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
CHUNK = 1 << 22  # 4 MiB of XML at a time
OVERLAP = 256  # a tag cut by a chunk's end is read whole in the next one
#: Sheets whose XML is larger are searched in their first and last chunks only (the declared
#: size, and the last rows, where a cell typed far below or to the right of a table is, since
#: rows and cells are stored in order: ECMA-376 Part 1, §18.3.1.73): searching every chunk
#: costs about a second per 15 MB of XML, ~25 s on a national roster.
FULL_SEARCH_BYTES = 64 << 20


def read_limit(variable: str, default: int) -> int:
    """A limit from the environment (a whole number), else its default."""
    text = os.environ.get(variable, "").strip().replace("_", "").replace(",", "")
    if not text:
        return default
    if not text.isdigit():
        raise DatasetError(f"{variable} must be a whole number, not {os.environ[variable]!r}.")
    return int(text)


def column_number(letters: bytes) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27, ``XFD`` → 16384.

    Examples
    --------
    >>> column_number(b"A"), column_number(b"XFD")
    (1, 16384)
    """
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_workbook(path: Path, data: bytes) -> None:
    """Refuse a workbook that would need more memory than the limits allow (one sentence).

    Parameters
    ----------
    path : the workbook, named in the sentence.
    data : its bytes. A file that is not a zip (an old ``.xls``, or a damaged file) is left to
        the reader, which says so in its own sentence.
    """
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return
    with archive:
        max_mb = read_limit(MAX_INFLATED_VARIABLE, DEFAULT_MAX_INFLATED_MB)
        inflated = sum(info.file_size for info in archive.infolist())
        if inflated > max_mb * 2**20:
            raise DatasetError(
                f"{path.name} would unpack to {inflated / 2**20:,.0f} MB, more than the {max_mb:,} MB stakemap "
                f"unpacks ({MAX_INFLATED_VARIABLE}): save the sheets as CSV files, or raise the limit."
            )
        max_cells = read_limit(MAX_CELLS_VARIABLE, DEFAULT_MAX_CELLS)
        for name in sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")):
            rows, columns = bound_sheet_extent(archive, name)
            if rows * columns > max_cells:  # the bound is not enough: the farthest cell it names
                rows, columns = find_sheet_extent(archive, name)
            if rows * columns > max_cells:
                raise DatasetError(
                    f"{path.name} has a sheet ({name.rsplit('/', 1)[-1]}) reaching row {rows:,} and column {columns:,}: "
                    f"{rows * columns:,} cells, more than the {max_cells:,} stakemap reads ({MAX_CELLS_VARIABLE}); "
                    f"delete what lies beyond the table (select the empty rows and columns, Delete) and save again."
                )


def bound_sheet_extent(archive: zipfile.ZipFile, name: str) -> tuple[int, int]:
    """At least the (last row, last column) that a worksheet's XML names, found cheaply:
    (:data:`NEAR_ROWS`, :data:`NEAR_COLUMNS`), or its declared size if larger, when no cell
    reference lies beyond them (:data:`FAR_REFERENCE`); else the sheet's greatest possible
    size, so that :func:`find_sheet_extent` is asked. Searching for every cell's reference
    cost more than reading the sheet (issue 15's benchmark); searching for a far one is one
    scan for a short literal.

    Examples
    --------
    >>> import io
    >>> book = io.BytesIO()
    >>> with zipfile.ZipFile(book, "w") as z:
    ...     z.writestr("a.xml", '<worksheet><dimension ref="A1:L30"/><c r="L30"/></worksheet>')
    ...     z.writestr("b.xml", '<worksheet><c r="A1"/><c r="XFD5"/></worksheet>')
    >>> archive = zipfile.ZipFile(book)
    >>> bound_sheet_extent(archive, "a.xml"), bound_sheet_extent(archive, "b.xml")
    ((99999, 26), (1048576, 16384))
    """
    far = (MAX_ROWS, MAX_COLUMNS)
    if archive.getinfo(name).file_size > FULL_SEARCH_BYTES:
        return far
    try:
        xml = archive.read(name)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
        return far
    if FAR_REFERENCE.search(xml):
        return far
    rows, columns = NEAR_ROWS, NEAR_COLUMNS
    position = xml.find(b"dimension")
    while position != -1:  # the declared size (the reader may allocate it)
        match = CELL_REFERENCE.match(xml, xml.rfind(b"<", 0, position))
        if match:
            rows, columns = max(rows, int(match.group(2))), max(columns, column_number(match.group(1)))
        position = xml.find(b"dimension", position + 1)
    return rows, columns


def find_sheet_extent(archive: zipfile.ZipFile, name: str) -> tuple[int, int]:
    """(last row, last column) that a worksheet's XML names, declared size included."""
    rows = columns = 0
    tail = b""
    is_full_search = archive.getinfo(name).file_size <= FULL_SEARCH_BYTES
    try:
        with archive.open(name) as part:
            first = True
            while chunk := part.read(CHUNK):
                text = tail + chunk
                is_last = len(chunk) < CHUNK or part.peek(1) == b""
                if (is_full_search or first or is_last) and (found := CELL_REFERENCE.findall(text)):
                    letters, digits = zip(*found)
                    rows = max(rows, *map(int, digits))
                    columns = max(columns, *map(column_number, set(letters)))
                tail, first = text[-OVERLAP:], False
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
        return rows, columns  # damaged: the reader says so in its own sentence
    return rows, columns
