"""Property tests of reading under hostile input (issue 16): arbitrary bytes, arbitrary CSV
quoting and malformed workbook XML.

Every example goes through the real command line (``analysis.cli.main(["validate", …])``,
in this process: an exception escaping it is a traceback the user would see, and a reader
that aborts the process fails the whole test run). The properties:

- any bytes as the people table: exit 0 or 2, never a traceback; when 0, rows read = rows
  used + rows quarantined for every table;
- any quoting (quotes opened and never closed, closed a line later, doubled, around
  delimiters), one line per roster line, each line starting with a token of its own: exit 0
  or 2; when 0, every line's token is in a row the reader produced, rows read = used +
  quarantined, and a row holding several physical lines is quarantined unless one of them
  holds fewer delimiters than the header (then it may be a line break typed in a cell,
  which the reader keeps: tests/test_ingest_read_properties.py);
- a valid workbook with one part damaged (cut short, bytes overwritten, a cell at
  XFD1048576 or a huge declared size inserted): exit 0 or 2, never a traceback or an abort.

The examples are derandomised (tests/conftest.py); the file runs in about a minute.
"""

import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis.cli import main
from tests.hostile import PLACE, write_table

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ORGS = [["O1", "สำนักงานพัฒนาชุมชน", "agency", *PLACE], ["O2", "กลุ่มออมทรัพย์", "community_org", *PLACE]]
ORG_HEADER = ["org_id", "name", "kind", "province", "district", "tambon"]
PEOPLE_HEADER = "record_id,source,name,org_id\n"


def validate(folder: Path) -> int:
    """Exit status of ``stakemap validate`` (an exception propagates: the test fails)."""
    with tempfile.TemporaryDirectory() as out:
        return main(["validate", str(folder), "--out", str(Path(out) / "v")])


def check_counts(folder: Path) -> dict:
    from analysis.pipeline import read_stage

    dataset, _ = read_stage(folder)
    for table, n in dataset.counts.items():
        assert n["read"] == n["used"] + n["quarantined"], (table, n)
    return dataset.counts


def dataset_with_people(folder: Path, people: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_table(folder, "organisations", ORG_HEADER, ORGS)
    (folder / "people.csv").write_bytes(people)
    return folder


@SETTINGS
@given(header=st.booleans(), body=st.binary(max_size=3000))
def test_any_bytes_give_a_counted_run_or_one_sentence(header, body):
    with tempfile.TemporaryDirectory() as base:
        folder = dataset_with_people(Path(base) / "d", (PEOPLE_HEADER.encode() if header else b"") + body)
        code = validate(folder)
        assert code in (0, 2)
        if code == 0:
            check_counts(folder)


#: Pieces of cells: quotes alone and doubled, delimiters, Thai text, blanks.
QUOTING = st.lists(st.sampled_from(['"', '""', ",", ";", "\t", " ", "นาย", "ก", "O1", "x", "'"]), max_size=6).map("".join)
#: A roster line (source, name, org_id) whose name may open or close a quote: the stray
#: quote of a real roster, which joins it with the next line.
ROSTER_LINE = st.tuples(st.just("s"), st.sampled_from(['"นาย ก', 'นาย ข"', 'นาย ค', '"นาย ง"']),
                        st.sampled_from(["O1", "O2"])).map(list)


@SETTINGS
@given(lines=st.lists(st.one_of(ROSTER_LINE, st.lists(QUOTING, max_size=5)), min_size=1, max_size=15),
       crlf=st.booleans())
@example(lines=[["s", '"นาย ก', "O1"], ["s", 'นาย ข"', "O1"], ["s", "นาย ค", "O2"]], crlf=False)  # issue 16, case 9
@example(lines=[["s", '"นาย ก', "O1"], ["s", 'นาย ข"', "O1"]], crlf=True)
def test_arbitrary_quoting_loses_no_line(lines, crlf):
    end = "\r\n" if crlf else "\n"
    text = PEOPLE_HEADER.replace("\n", end) + "".join(f"T{i}Z," + ",".join(cells) + end for i, cells in enumerate(lines))
    with tempfile.TemporaryDirectory() as base:
        folder = dataset_with_people(Path(base) / "d", text.encode("utf-8"))
        code = validate(folder)
        assert code in (0, 2)
        if code != 0:
            return
        from analysis.ingest.read import read_dataset

        people = read_dataset(folder).tables["people"]
        cells = [" ".join(v for v in row if isinstance(v, str)) for row in people.drop(columns="row").itertuples(index=False)]
        holder = {}
        for i in range(len(lines)):
            holder[i] = next((n for n, row in enumerate(cells) if f"T{i}Z" in row), None)
            assert holder[i] is not None, f"line {i + 2} is in no row"
        from analysis.pipeline import read_stage

        dataset, _ = read_stage(folder)
        counts = dataset.counts["people"]
        assert counts["read"] == len(people) == counts["used"] + counts["quarantined"]
        # A row holding several lines is set aside unless one of its lines holds fewer
        # delimiters than the header: that one could be a line break typed in a cell.
        skipped = set(dataset.quarantine.query("table == 'people' and action == 'row skipped'")["row"])
        physical = text.split(end)[1:]
        for n in set(holder.values()):
            spanned = [i for i, h in holder.items() if h == n]
            if len(spanned) > 1 and people["row"].iloc[n] not in skipped:
                assert any(physical[i].count(",") < 3 for i in spanned), f"lines {spanned} used as one row"


def valid_workbook() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "organisations"
    for row in [ORG_HEADER, *ORGS]:
        sheet.append(row)
    people = workbook.create_sheet("people")
    for row in [["record_id", "source", "name", "org_id"], ["R1", "s", "นายสมชาย", "O1"], ["R2", "s", "นางมาลี", "O2"]]:
        people.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WORKBOOK = valid_workbook()
PARTS = sorted(n for n in zipfile.ZipFile(io.BytesIO(WORKBOOK)).namelist() if n.endswith((".xml", ".rels")))
INSERTS = (b'<c r="XFD1048576"><v>1</v></c>', b'<dimension ref="A1:XFD1048576"/>', b"<row r=\"1048576\">",
           b"\xff\xfe", b"&#0;", b"<![CDATA[", b"</worksheet>", b'<c r="A1" t="s"><v>99999</v></c>')


@st.composite
def damaged_workbooks(draw) -> bytes:
    part = draw(st.sampled_from(PARTS))
    archive = zipfile.ZipFile(io.BytesIO(WORKBOOK))
    data = archive.read(part)
    at = draw(st.integers(0, len(data)))
    how = draw(st.sampled_from(("cut", "overwrite", "insert")))
    if how == "cut":
        data = data[:at]
    elif how == "overwrite":
        data = data[:at] + draw(st.binary(min_size=1, max_size=40)) + data[at + 40:]
    else:
        data = data[:at] + draw(st.sampled_from(INSERTS)) + data[at:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as damaged:
        for name in archive.namelist():
            damaged.writestr(name, data if name == part else archive.read(name))
    return out.getvalue()


def with_far_cell(workbook: bytes) -> bytes:
    """The workbook with one well-formed cell at XFD1048576 in every sheet (issue 16, case 4)."""
    archive = zipfile.ZipFile(io.BytesIO(workbook))
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as changed:
        for name in archive.namelist():
            data = archive.read(name)
            changed.writestr(name, data.replace(b"</sheetData>", far) if name.startswith("xl/worksheets/") else data)
    return out.getvalue()


@SETTINGS
@given(workbook=damaged_workbooks())
@example(workbook=with_far_cell(WORKBOOK))
def test_malformed_workbook_xml_gives_a_counted_run_or_one_sentence(workbook):
    with tempfile.TemporaryDirectory() as base:
        path = Path(base) / "dataset.xlsx"
        path.write_bytes(workbook)
        code = validate(path)
        assert code in (0, 2)
        if code == 0:
            check_counts(path)
