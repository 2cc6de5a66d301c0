"""analysis/ingest/contract_form.py and ``stakemap import``: the derived tables, as a dataset."""

import pandas as pd

from analysis.cli import main
from analysis.ingest.read import read_dataset
from tests import office_files as files


def test_import_writes_contract_tables_that_read_as_a_dataset_and_holds_no_national_id(tmp_path, capsys):
    folder = files.write_office_folder(tmp_path / "tambon")
    assert main(["import", str(folder), "--out", str(tmp_path / "dataset")]) == 0
    raw = read_dataset(tmp_path / "dataset")
    assert raw.office is None  # the contract's tables now
    people = raw.tables["people"]
    assert len(people) == files.N_ROSTER_LINES + 3 + 3 + len(files.FORUM)  # roster, fund, project contacts, forum
    assert "national_id" not in people.columns
    assert not any(b"3270600234561" in p.read_bytes() for p in (tmp_path / "dataset").iterdir())
    orgs = set(raw.tables["organisations"]["org_id"])
    # Names replaced by the ids they matched; one not matched for certain stays as written, to correct.
    assert set(people["org_id"].dropna()) - orgs == {"กลุ่มฯ"}
    assert (tmp_path / "dataset" / "import_report.md").is_file()
    assert "Written:" in capsys.readouterr().out


def test_import_refuses_a_folder_that_already_holds_the_tables(tmp_path, capsys):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "organisations.csv").write_text("org_id,name,kind\nO1,พอช.,agency\n")
    (tmp_path / "d" / "people.csv").write_text("record_id,source,name\nR1,a,นาย ก\n")
    assert main(["import", str(tmp_path / "d"), "--out", str(tmp_path / "out")]) == 2
    assert "already holds the contract's tables" in capsys.readouterr().err


def test_columns_csv_corrects_a_sheet_and_gives_a_fixed_organisation(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "รายชื่อ.csv").write_text("ลำดับ,ชื่อกรรมการ,ตำแหน่ง,สี\n1,นายสมชาย ใจดี,ประธาน,แดง\n", encoding="utf-8")
    (folder / "columns.csv").write_text(
        "table,column_as_written,column,value\nรายชื่อ.csv,ชื่อกรรมการ,name,\nรายชื่อ.csv,,org,อบต.คลองหินปูน\n", encoding="utf-8")
    raw = read_dataset(folder)
    people = raw.tables["people"]
    assert people[["name", "org_id"]].values.tolist() == [["นายสมชาย ใจดี", "อบต.คลองหินปูน"]]
    assert raw.office.sheets[0].organisation_from == "columns.csv"
    assert pd.Series(raw.tables["organisations"]["name"]).tolist() == ["อบต.คลองหินปูน"]  # drafted


def test_office_files_beside_the_contract_tables_are_read_together(tmp_path):
    folder = files.write_office_folder(tmp_path / "d")
    (folder / "organisations.csv").write_text("org_id,name,kind,aliases\nSAO,องค์การบริหารส่วนตำบลคลองหินปูน,local_government,\n",
                                              encoding="utf-8")
    (folder / "people.csv").write_text("record_id,source,name,org_id\nR1,ทะเบียนเดิม,นายสมชาย ใจดี,SAO\n", encoding="utf-8")
    raw = read_dataset(folder)
    assert "R1" in set(raw.tables["people"]["record_id"])
    # อบต.คลองหินปูน in the project list is the user's SAO, not a drafted one.
    assert "อบต.คลองหินปูน" not in set(raw.office.draft["name"])
