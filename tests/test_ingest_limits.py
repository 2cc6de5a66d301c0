"""Workbook limits (analysis/ingest/limits.py): how far a sheet reaches, checked before reading."""

import io
import zipfile
from pathlib import Path

import pytest

from analysis.errors import DatasetError
from analysis.ingest import limits


def sheet_xml(rows: int, far: str | None = None) -> bytes:
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(1, rows + 1))
    if far:
        cells += f'<row r="{far[3:]}"><c r="{far}"><v>1</v></c></row>'
    return f"<worksheet><sheetData>{cells}</sheetData></worksheet>".encode()


def workbook(xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", xml)
    return out.getvalue()


def test_extent_is_the_farthest_cell_named():
    archive = zipfile.ZipFile(io.BytesIO(workbook(sheet_xml(3, far="XFD1048576"))))
    assert limits.find_sheet_extent(archive, "xl/worksheets/sheet1.xml") == (1_048_576, 16_384)


def test_a_far_cell_is_refused_and_the_limit_is_a_setting(monkeypatch):
    data = workbook(sheet_xml(3, far="ZZZ100"))  # 18,278 columns × 100 rows = 1,827,800 cells
    limits.check_workbook(Path("ok.xlsx"), data)  # under the default 20 million
    monkeypatch.setenv(limits.MAX_CELLS_VARIABLE, "1_000_000")
    with pytest.raises(DatasetError, match=r"ok.xlsx has a sheet \(sheet1.xml\) reaching row 100 and column 18,278"):
        limits.check_workbook(Path("ok.xlsx"), data)


def test_a_big_sheet_is_searched_at_its_ends(monkeypatch):
    # 40,000 rows of XML (~2.5 MB) with searching limited to 1 MB: a far cell after the last
    # row is in the last chunk and found.
    monkeypatch.setattr(limits, "FULL_SEARCH_BYTES", 1 << 20)
    monkeypatch.setattr(limits, "CHUNK", 1 << 18)
    archive = zipfile.ZipFile(io.BytesIO(workbook(sheet_xml(40_000, far="XFD1048576"))))
    assert limits.find_sheet_extent(archive, "xl/worksheets/sheet1.xml") == (1_048_576, 16_384)
