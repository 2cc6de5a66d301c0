"""The 22 ways stakemap broke under hostile and careless input (issue 16), one test each.

Each test is named after the case number of the issue (``case_08c`` is the third tool of
case 8). Commands run through :func:`analysis.cli.main`, in this process, so an exception
escaping it is the traceback a user would see; the cases that crashed the whole process
(a workbook the reader cannot allocate, Ctrl-C while Python starts) run in a subprocess.
The privacy cases check the files a ``--public`` run writes; the full leak test (every
contact form in every free-text column, every file) is :func:`test_case_14_public_run_leaks_no_contact_form`.

Cases 6 and 10 (characters XML refuses, in report.xlsx, GEXF and GraphML) were fixed by the
issue 17 work on the renderers (analysis/render/xmltext.py); their tests are here with the rest.
"""

import errno
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest

from analysis.cli import main
from tests.hostile import PLACE, read_every_file, write_table

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1"}

ORG_HEADER = ["org_id", "name", "kind", "parent_id", "province", "district", "tambon"]
ORGS = [["O1", "สำนักงานพัฒนาชุมชน", "agency", "", *PLACE],
        ["O2", "กลุ่มออมทรัพย์บ้านหนองบัว", "community_org", "O1", *PLACE],
        ["O3", "เทศบาลตำบลท่าศาลา", "local_government", "", *PLACE]]
PEOPLE_HEADER = ["record_id", "source", "name", "org_id", "role", "province", "district", "tambon"]
PEOPLE = [["R1", "ทะเบียน 2567", "นายสมชาย ใจดี", "O1", "ประธาน", *PLACE],
          ["R2", "เวทีตำบล", "นายสมชาย ใจดี", "O2", "กรรมการ", *PLACE],
          ["R3", "เวทีตำบล", "นางสาวมาลี ศรีสุข", "O2", "เหรัญญิก", *PLACE],
          ["R4", "ทะเบียนเทศบาล", "นางสาวมาลี ศรีสุข", "O3", "กรรมการ", *PLACE]]


def write_dataset(folder: Path, orgs=ORGS, people=PEOPLE, org_header=ORG_HEADER, people_header=PEOPLE_HEADER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_table(folder, "organisations", org_header, orgs)
    write_table(folder, "people", people_header, people)
    return folder


@pytest.fixture
def dataset(tmp_path):
    return write_dataset(tmp_path / "dataset")


def cli(capsys, *args) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of one command (an exception fails the test: a traceback)."""
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_sentence(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, err


def quarantine(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "quarantine.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def dead_pid() -> int:
    """The pid of a process that has ended (as a killed run's is)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# --- 1–8: crashes instead of exit 2 and one sentence -----------------------------------------

@pytest.mark.parametrize("header", ["Tambon Code", "province_code", "area_code", "is_place_known"])
def test_case_01_a_people_column_named_like_one_the_tool_adds(tmp_path, capsys, header):
    people = [row + ["x"] for row in PEOPLE]
    folder = write_dataset(tmp_path / "d", people=people, people_header=[*PEOPLE_HEADER, header])
    code, _, err = cli(capsys, "validate", folder, "--out", tmp_path / "v")
    assert code == 0, err


def test_case_02_a_blank_header_cell_and_a_header_named_column_11(tmp_path, capsys):
    header = [*PEOPLE_HEADER, "note", "", "column_11"]  # the blank one is the 10th: column_10
    header[9], header[10] = "", "column_10"
    people = [row + ["a", "b", "c"] for row in PEOPLE]
    folder = write_dataset(tmp_path / "d", people=people, people_header=header)
    code, _, err = cli(capsys, "validate", folder, "--out", tmp_path / "v")
    assert code == 0, err


def test_case_03_a_dataset_folder_that_cannot_be_listed(dataset, tmp_path, capsys, monkeypatch):
    # Tests run as root here, whom chmod does not stop: the system's refusal is simulated.
    iterdir = Path.iterdir

    def refuse(self):
        if self == dataset:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    code, _, err = cli(capsys, "validate", dataset, "--out", tmp_path / "v")
    assert_one_sentence(code, err, str(dataset), "(Permission denied)")


def write_workbook(path: Path, extra=None) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "organisations"
    for row in [ORG_HEADER, *ORGS]:
        sheet.append(row)
    people = workbook.create_sheet("people")
    for row in [PEOPLE_HEADER, *PEOPLE]:
        people.append(row)
    if extra:
        extra(workbook)
    workbook.save(path)
    return path


def run_subprocess(*args, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], cwd=ROOT, env={**ENV, **(env or {})},
                          capture_output=True, text=True, timeout=timeout)


def test_case_04_a_small_workbook_with_one_cell_at_xfd1048576(tmp_path):
    def far_cell(workbook):
        workbook["people"]["XFD1048576"] = "x"

    path = write_workbook(tmp_path / "far.xlsx", far_cell)
    assert path.stat().st_size < 50_000
    done = run_subprocess("validate", path, "--out", tmp_path / "v")
    assert_one_sentence(done.returncode, done.stderr, "far.xlsx", "1,048,576", "STAKEMAP_MAX_CELLS")


def test_case_05_a_workbook_that_inflates_far_beyond_its_size(tmp_path):
    path = write_workbook(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (3 * 2**20))  # 3 MB of zeros: a few KB packed
    assert path.stat().st_size < 100_000
    # The limit lowered to 2 MB, so that a 3 MB inflation stands for the 3.75 GB one.
    done = run_subprocess("validate", path, "--out", tmp_path / "v", env={"STAKEMAP_MAX_INFLATED_MB": "2"})
    assert_one_sentence(done.returncode, done.stderr, "bomb.xlsx would unpack to 3 MB", "STAKEMAP_MAX_INFLATED_MB")


def test_case_06_an_excel_escape_for_a_control_character(tmp_path, capsys):
    def escapes(workbook):
        workbook["organisations"]["B2"] = "สำนักงาน_x0008_พัฒนา_x000B_ชุมชน"

    path = write_workbook(tmp_path / "escapes.xlsx", escapes)
    code, _, err = cli(capsys, "run", path, "--out", tmp_path / "out")
    assert code == 0, err
    import openpyxl

    openpyxl.load_workbook(tmp_path / "out" / "report.xlsx")


def test_case_07a_out_in_a_read_only_folder(dataset, tmp_path, capsys, monkeypatch):
    # Root ignores a read-only mode bit: the file system's refusal is simulated.
    mkdir = Path.mkdir

    def read_only(self, *args, **kwargs):
        if tmp_path / "ro" in (self, *self.parents):
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    code, _, err = cli(capsys, "run", dataset, "--out", tmp_path / "ro" / "out")
    assert_one_sentence(code, err, "cannot be written (Read-only file system)")


def test_case_07b_a_full_disk_during_run(dataset, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    assert cli(capsys, "run", dataset, "--out", out)[0] == 0
    before = snapshot(out)

    def disk_full(tables, path, public=False, area_links=None):
        Path(path).write_bytes(b"PK half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("analysis.render.workbook.write_report_xlsx", disk_full)
    code, _, err = cli(capsys, "run", dataset, "--out", out)
    assert_one_sentence(code, err, "No space left on device", "earlier output there is unchanged")
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "out"]


def test_case_08a_compare_with_a_fractional_n_agencies(dataset, tmp_path, capsys):
    old, new = tmp_path / "old", tmp_path / "new"
    for out in (old, new):
        assert cli(capsys, "run", dataset, "--out", out)[0] == 0
    hats = pd.read_csv(old / "hats.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(hats) >= 1
    hats.loc[0, "n_agencies"] = "2.5"
    hats.to_csv(old / "hats.csv", index=False, encoding="utf-8-sig")
    code, _, err = cli(capsys, "compare", old, new, "--out", tmp_path / "changes")
    assert_one_sentence(code, err, "hats.csv, row 2, column n_agencies: '2.5' is not a whole number")


def test_case_08b_sample_with_a_negative_seed(tmp_path, capsys):
    code, _, err = cli(capsys, "sample", "--out", tmp_path / "s", "--seed", "-5", "--scale", "tambon")
    assert_one_sentence(code, err, "--seed must be 0 or more, not -5")


def test_case_08c_sample_out_naming_a_file(tmp_path, capsys):
    target = tmp_path / "notes.txt"
    target.write_text("keep me")
    code, _, err = cli(capsys, "sample", "--out", target, "--scale", "tambon")
    assert_one_sentence(code, err, "is a file")
    assert target.read_text() == "keep me"


def test_case_08d_graph_out_naming_a_folder(dataset, tmp_path, capsys):
    folder = tmp_path / "views"
    folder.mkdir()
    code, _, err = cli(capsys, "graph", dataset, "--ego", "O1", "--out", folder)
    assert_one_sentence(code, err, "is a folder")


@pytest.mark.parametrize("moment", ["analysis.cli.build_parser", "analysis.cli.dispatch"])
def test_case_08e_ctrl_c_in_the_first_moments(dataset, capsys, monkeypatch, moment):
    """Ctrl-C while the arguments are parsed or the stages imported (the first tens of
    milliseconds of stakemap's own code): one line and status 130. (Before that, Python
    itself is starting — ``io``, ``site``, ``runpy`` — and prints its own traceback: no
    program's code runs yet.)"""
    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(moment, interrupted)
    try:
        code = main(["validate", str(dataset)])
    except KeyboardInterrupt:
        pytest.fail("KeyboardInterrupt escaped main: a traceback")
    err = capsys.readouterr().err
    assert code == 130 and err.strip().splitlines() == ["stakemap: interrupted; no output folder was left half-written."]


def test_case_08f_out_of_memory_names_the_step(dataset, tmp_path, capsys, monkeypatch):
    def no_memory(path):
        raise MemoryError()

    monkeypatch.setattr("analysis.ingest.read.read_dataset", no_memory)
    code, _, err = cli(capsys, "run", dataset, "--out", tmp_path / "out")
    assert_one_sentence(code, err, "ran out of memory at the step 'read'")


# --- 9–13: data lost or damaged without a word ------------------------------------------------

STRAY = (",".join(PEOPLE_HEADER[:5]) + "\n"
         "R1,ทะเบียน,นายสมชาย ใจดี,O1,\"ประธาน\n"  # a quote opens the role and is closed a line later
         "R2,ทะเบียน,นายเด่น ซ่อนตัว,O2,กรรมการ\"\n"
         "R3,ทะเบียน,นางสาวมาลี ศรีสุข,O2,เหรัญญิก\n")


@pytest.fixture
def stray_dataset(tmp_path):
    folder = write_dataset(tmp_path / "stray")
    (folder / "people.csv").write_text(STRAY, encoding="utf-8")
    return folder


def test_case_09_a_stray_quote_swallowing_a_roster_line_is_quarantined(stray_dataset, tmp_path, capsys):
    code, _, err = cli(capsys, "validate", stray_dataset, "--out", tmp_path / "v")
    assert code == 0, err
    lines = quarantine(tmp_path / "v")
    joined = lines[lines["reason"] == "a quoted cell runs across lines"]
    assert joined[["table", "row", "column", "action"]].values.tolist() == [["people", "2", "role", "row skipped"]]
    assert "lines 2–3 of the file" in joined["detail"].iloc[0]
    # Four physical data lines: one row used (R3), one set aside that holds the other two.
    from analysis.pipeline import read_stage

    checked, _ = read_stage(stray_dataset)
    assert checked.counts["people"] == {"read": 2, "used": 1, "quarantined": 1}
    assert checked["people"]["record_id"].tolist() == ["R3"]


def test_case_10_u_ffff_in_an_organisation_name_leaves_every_xml_well_formed(tmp_path, capsys):
    orgs = [row.copy() for row in ORGS]
    orgs[0][1] = "สำนักงาน\uffffพัฒนาชุมชน"
    folder = write_dataset(tmp_path / "d", orgs=orgs)
    out = tmp_path / "out"
    code, _, err = cli(capsys, "run", folder, "--out", out)
    assert code == 0, err
    parse_every_xml(out)


def parse_every_xml(out: Path) -> int:
    """Parse every XML file a run wrote (the exports, the SVG figures, the parts of report.xlsx)."""
    n = 0
    for path in sorted(out.rglob("*")):
        if path.suffix in (".gexf", ".graphml", ".svg", ".xml"):
            ElementTree.parse(path)
            n += 1
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as workbook:
                for name in workbook.namelist():
                    if name.endswith((".xml", ".rels")):
                        ElementTree.fromstring(workbook.read(name))
                        n += 1
    return n


def test_every_xml_a_run_writes_parses(dataset, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli(capsys, "run", dataset, "--out", out)[0] == 0
    assert parse_every_xml(out) >= 5


def test_case_11a_graph_out_inside_the_dataset_is_refused(dataset, tmp_path, capsys):
    before = snapshot(dataset)
    code, _, err = cli(capsys, "graph", dataset, "--ego", "O1", "--out", dataset / "people.csv")
    assert_one_sentence(code, err, "is inside the dataset")
    assert snapshot(dataset) == before


def test_case_11b_graph_on_a_full_disk_keeps_the_earlier_view_whole(dataset, tmp_path, capsys, monkeypatch):
    view = tmp_path / "ego.html"
    assert cli(capsys, "graph", dataset, "--ego", "O1", "--out", view)[0] == 0
    before = view.read_bytes()

    def half_then_full(text, path):
        Path(path).write_text(text[:100], encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("analysis.render.views.write_text", half_then_full)
    code, _, err = cli(capsys, "graph", dataset, "--ego", "O1", "--out", view)
    assert_one_sentence(code, err, "No space left on device")
    assert view.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "ego.html"]


def test_case_12a_a_run_killed_between_its_renames_leaves_an_output(tmp_path):
    """The state a kill between the two renames left: the earlier output moved aside, the new
    one finished beside it, no output folder. The next write puts the finished one in place."""
    from analysis.render.atomic import recover_leftovers

    pid = dead_pid()
    out = tmp_path / "out"
    for what, text in (("old", "earlier"), ("partial", "finished")):
        (tmp_path / f".out.{what}-{pid}").mkdir()
        (tmp_path / f".out.{what}-{pid}" / "hats.csv").write_text(text)
    told = recover_leftovers(out)
    assert (out / "hats.csv").read_text() == "finished"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert len(told) == 2
    # Only the earlier output left aside: it is put back.
    shutil.rmtree(out)
    (tmp_path / f".out.old-{pid}").mkdir()
    (tmp_path / f".out.old-{pid}" / "hats.csv").write_text("earlier")
    recover_leftovers(out)
    assert (out / "hats.csv").read_text() == "earlier"


def test_case_12b_leftovers_of_killed_runs_of_any_process_are_deleted_and_told(dataset, tmp_path, capsys):
    out = tmp_path / "out"
    pids = dead_pid(), dead_pid()
    for pid in pids:
        leftover = tmp_path / f".out.partial-{pid}"
        leftover.mkdir()
        (leftover / "persons.csv").write_text("record_id,person_name\nR1,นายสมชาย ใจดี 081-234-5678\n")
    code, _, err = cli(capsys, "run", dataset, "--out", out)
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "out"]
    assert err.count("the unfinished output of a stopped run") == 2


def test_case_12c_a_folder_is_replaced_in_one_step(tmp_path):
    """Where the system can exchange two folders in one call, there is no moment without an output."""
    from analysis.render.atomic import exchange

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    if not exchange(a, b):
        pytest.skip("this system has no atomic exchange of two folders (renameat2)")
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"


def test_case_13a_ids_that_differ_by_an_invisible_character_are_one_id(tmp_path, capsys):
    people = [PEOPLE[0]] + [[f"R1{mark}", *PEOPLE[1][1:]] for mark in "\u00ad\u200e\u2063\u180e\ufe0f"]
    folder = write_dataset(tmp_path / "d", people=people)
    code, _, err = cli(capsys, "validate", folder, "--out", tmp_path / "v")
    assert code == 0, err
    lines = quarantine(tmp_path / "v")
    assert (lines["reason"] == "id repeated").sum() == 5


def test_case_13b_amounts_whose_sum_overflows_are_refused_with_a_reason(dataset, tmp_path, capsys):
    huge = "17" + "0" * 307  # 1.7e308: two of them sum to infinity
    write_table(dataset, "projects", ["project_id", "title", "category", "lead_org_id", "province", "district",
                                      "tambon", "budget_thb"],
                [["J1", "บ้านมั่นคง", "ที่อยู่อาศัย", "O2", *PLACE, huge], ["J2", "บ้านมั่นคง 2", "ที่อยู่อาศัย", "O2", *PLACE, huge],
                 ["J3", "ซ่อมบ้าน", "ที่อยู่อาศัย", "O2", *PLACE, "100000"]])
    write_table(dataset, "funding", ["funder_id", "project_id", "amount_thb", "stream"],
                [["O1", "J1", huge, "บ้านมั่นคง"], ["O3", "J1", huge, "สมทบ"], ["O1", "J1", "50000", "บ้านมั่นคง"]])
    out = tmp_path / "out"
    code, _, err = cli(capsys, "run", dataset, "--out", out)
    assert code == 0, err
    coverage = pd.read_csv(out / "coverage.csv", encoding="utf-8-sig")
    assert len(coverage) and coverage["budget_thb"].abs().max() < 1e300  # no inf
    lines = quarantine(out)
    assert (lines["reason"] == "amount too large").sum() == 4


def test_case_13c_a_parent_cycle_is_quarantined_with_its_members(tmp_path, capsys):
    orgs = [*ORGS, ["A", "กลุ่ม ก", "community_org", "B", *PLACE], ["B", "กลุ่ม ข", "community_org", "A", *PLACE],
            ["C", "กลุ่ม ค", "community_org", "A", *PLACE]]
    folder = write_dataset(tmp_path / "d", orgs=orgs)
    code, _, err = cli(capsys, "validate", folder, "--out", tmp_path / "v")
    assert code == 0, err
    lines = quarantine(tmp_path / "v")
    cycle = lines[lines["reason"] == "parent_id chain runs into a cycle"]
    assert cycle["row"].tolist() == ["5", "6", "7"]  # A, B and C (which leads into it)
    assert all("A → B → A" in d or "B → A → B" in d for d in cycle["detail"])


# --- 14–17: personal data in --public output --------------------------------------------------

#: The contact forms of the issue, each with the digits (or address) a reader could find it by.
CONTACT_FORMS = {
    "08-1234-5602": "0812345602",
    "0-2123-4603": "021234603",
    "081–234–5604": "0812345604",
    "0066 81 234 5605": "0812345605",
    "+66 (0)81 234 5606": "0812345606",
    "081 234 56 07": "0812345607",
    "08 1234 5608": "0812345608",
    "๐๘-๑๒๓๔-๕๖๑๐": "0812345610",
    "0 2123 4615": "021234615",
    "สมชาย.a4@ตัวอย่าง.ไทย": "สมชาย.a4",
    "1.2345.67890.10.5": "1234567890105",
}
ALL_FORMS = " / ".join(CONTACT_FORMS)


def write_contact_dataset(folder: Path) -> Path:
    """Every contact form in every free-text column of every table, on rows that reach the
    outputs: the people hold public roles (ประธาน), so their names and roles are shown."""
    folder.mkdir(parents=True)
    planted = f" ติดต่อ {ALL_FORMS}"
    write_table(folder, "organisations", [*ORG_HEADER, "aliases"],
                [[o, n + planted, k, p, *PLACE, f"ย่อ{i}{planted}"] for i, (o, n, k, p, *_) in enumerate(ORGS)])
    write_table(folder, "people", PEOPLE_HEADER,
                [[r, s + planted, n + planted, o, "ประธาน" + planted, *PLACE] for r, s, n, o, _, *_ in PEOPLE])
    write_table(folder, "projects", ["project_id", "title", "description", "category", "lead_org_id", "province",
                                     "district", "tambon", "start", "end", "budget_thb"],
                [[f"J{i}", f"บ้านมั่นคง{planted}", f"ซ่อมบ้าน{planted}", f"ที่อยู่อาศัย{planted}", lead, *PLACE,
                  "2024-10-01", "2025-09-30", "100000"] for i, lead in enumerate(("O2", "O3"))])
    write_table(folder, "funding", ["funder_id", "project_id", "recipient_org_id", "amount_thb", "stream", "date"],
                [["O1", "J0", "", "50000", f"บ้านมั่นคง{planted}", "2024-11-01"],
                 ["O1", "", "O2", "20000", f"สวัสดิการ{planted}", "2024-11-01"]])
    write_table(folder, "participation", ["project_id", "record_id", "org_id", "role"],
                [["J0", "R2", "", f"วิทยากร{planted}"], ["J1", "", "O2", f"เจ้าภาพ{planted}"]])
    return folder


@pytest.fixture(scope="module")
def contact_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("contacts")
    folder = write_contact_dataset(base / "dataset")
    out = base / "public"
    done = run_subprocess("run", folder, "--out", out, "--public")
    assert done.returncode == 0, done.stderr
    return read_every_file(out)


def test_case_14_public_run_leaks_no_contact_form(contact_run):
    kinds = {Path(name).suffix for name in contact_run}
    assert {".csv", ".html", ".xlsx", ".gexf", ".graphml", ".svg", ".md", ".json"} <= kinds, kinds
    assert any("ประธาน" in text for text in contact_run.values())  # the planted text reaches the outputs
    leaks = sorted({(name, form) for name, text in contact_run.items()
                    for written, found_as in CONTACT_FORMS.items() for form in (written, found_as)
                    if form in text or form in re.sub(r"[\s\-–.()+]", "", text)})
    assert leaks == []


def test_case_15_the_swallowed_line_stays_out_of_public_output(stray_dataset, tmp_path):
    out = tmp_path / "public"
    done = run_subprocess("run", stray_dataset, "--out", out, "--public")
    assert done.returncode == 0, done.stderr
    # Text outside tags: a workbook's cell reference R2 is column R, row 2, not a record id.
    texts = {name: re.sub(r"<[^>]*>", " ", text) for name, text in read_every_file(out).items()}
    leaks = sorted(name for name, text in texts.items() if "นายเด่น ซ่อนตัว" in text or re.search(r"\bR2\b", text))
    assert leaks == []


@pytest.mark.parametrize("person_id", ["P-0812345678", "P-fe06519959", "P-1234567890"])
def test_case_16_person_ids_that_look_like_phones_are_never_masked(person_id):
    import networkx as nx

    from analysis.privacy import mask_tables, public_name, redact_text
    from analysis.render.exports import build_export_lists
    from analysis.render.views import redact_graph

    hats = pd.DataFrame({"person_id": [person_id], "person_name": ["นายสมชาย"], "agencies": [f"see {person_id}"]})
    masked = mask_tables({"hats": hats}, set())["hats"]
    assert masked.values.tolist() == [[person_id, public_name(person_id), f"see {person_id}"]]
    assert redact_text(f"person:{person_id}") == f"person:{person_id}"
    G = nx.MultiDiGraph()
    G.add_node(f"person:{person_id}", kind="person", label="นายสมชาย", is_public_role=False)
    G.add_node("org:O1", kind="organisation", label="กลุ่ม")
    G.add_edge(f"person:{person_id}", "org:O1", kind="member_of")
    nodes, edges = build_export_lists(redact_graph(G))
    assert person_id in str(nodes) and person_id in str(edges)


def test_case_17_public_ego_error_names_no_private_person(tmp_path, capsys):
    people = [["R1", "ทะเบียน", "นายชัยวัฒน์ มั่นคง", "O2", "กรรมการ", *PLACE],
              ["R2", "ทะเบียน", "นางสาวชัยพร ศรีสุข", "O2", "สมาชิก", *PLACE],
              ["R3", "ทะเบียน", "นายวิชัย ใจดี", "O3", "เหรัญญิก", *PLACE]]
    folder = write_dataset(tmp_path / "d", people=people)
    code, _, err = cli(capsys, "graph", folder, "--ego", "ชัย", "--public", "--out", tmp_path / "ego.html")
    assert code == 2 and "Traceback" not in err
    for name in ("ชัยวัฒน์", "ชัยพร", "วิชัย"):
        assert name not in err, err


def test_case_18_ego_accepts_a_plain_id_of_any_kind(dataset, tmp_path, capsys):
    for ego in ("O1", "R1"):
        code, _, err = cli(capsys, "graph", dataset, "--ego", ego, "--out", tmp_path / f"{ego}.html")
        assert code == 0, err


def test_case_19_a_markdown_link_in_a_name_is_no_link_in_recommendations():
    from analysis.advise import REC_COLUMNS, render_recommendations_md

    hostile = "กลุ่ม [ดูที่นี่](javascript:alert(1)) ![x](javascript:alert(2))"
    rec = {column: "" for column in REC_COLUMNS}
    rec.update(rank=1, topic="many_hats", text_th=hostile, text_en=hostile, evidence=hostile, impact=1, n_of_kind=1)
    text = render_recommendations_md(pd.DataFrame([rec], columns=REC_COLUMNS))
    assert "javascript:" in text  # shown as typed…
    assert not re.search(r"(?<!\\)\]\(", text)  # …but no "](…)" that Markdown would make a link
