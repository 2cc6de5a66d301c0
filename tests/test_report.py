"""report.html (analysis/render/report.py): every section present, data escaped, nothing
loaded from outside the file, tables capped."""

import re

import pandas as pd
import pytest

from analysis.render.report import N_ROWS, SECTIONS, render_table, write_report_html
from tests.report_fixture import CHANGES, HOSTILE, RUN_INFO, build_recommendations, build_tables


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tables = build_tables()
    out = tmp_path_factory.mktemp("run")
    (out / "graphs").mkdir()
    for view in ("network.html", "index.html", "area-2704.html"):  # as the views step writes them before the report
        (out / "graphs" / view).write_text("", encoding="utf-8")
    path = write_report_html(tables, RUN_INFO, build_recommendations(tables), CHANGES, out)
    return path, path.read_text(encoding="utf-8")


def test_every_section_is_present(report):
    _, page = report
    for key, thai, english in SECTIONS:
        assert f'id="{key}"' in page and thai in page and english in page


def test_hostile_names_show_as_text(report):
    _, page = report
    assert HOSTILE not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page


def test_nothing_is_loaded_from_outside_the_file(report):
    _, page = report
    sources = re.findall(r'src\s*=\s*"([^"]*)"', page) + re.findall(r"url\(([^)]*)\)", page)
    assert sources and all(s.startswith("data:") for s in sources), sources
    # links lead within the page or to the network views and tambon profiles beside it, never elsewhere
    links = re.findall(r'href\s*=\s*"([^"]*)"', page)
    assert links and all(link.startswith(("#", "graphs/", "profiles/")) for link in links), links
    assert "default-src 'none'" in page  # the browser refuses any other request too


def test_numbers_from_the_tables(report):
    _, page = report
    # quarantine.csv: 2 people rows skipped for a missing name, one table row per reason
    assert re.search(r"<td>people</td><td>required value missing</td><td>row skipped</td><td class=\"num\">2</td>", page)
    assert "<td>people</td><td class=\"num\">12</td><td class=\"num\">10</td><td class=\"num\">2</td>" in page
    assert '<span class="n">1</span>กลุ่มโครงการซ้ำซ้อน' in page  # one duplicate group


def test_figures_are_embedded_and_saved(report):
    path, page = report
    # hats, duplicates, bridges, funding streams; the fixture has no coverage.csv to draw
    assert page.count('<img src="data:image/svg+xml;base64,') == 4
    assert (path.parent / "figures" / "hats.png").exists()


@pytest.fixture
def no_figures(monkeypatch):
    """Skip drawing (tests/test_figures.py covers it): these tests read the text only."""
    monkeypatch.setattr("analysis.render.report.write_figures", lambda tables, out_dir: {})


def test_without_changes_the_section_is_left_out(tmp_path, no_figures):
    tables = build_tables()
    page = write_report_html(tables, RUN_INFO, build_recommendations(tables), None, tmp_path).read_text(encoding="utf-8")
    assert 'id="changes"' not in page


@pytest.mark.parametrize("public", [False, True])
def test_report_shows_no_contact_or_record_id(tmp_path, public, no_figures):
    tables = build_tables()
    # tables holding record ids and contacts, as a careless caller might pass them
    tables["persons"] = pd.DataFrame({"record_id": ["R-SECRET-1"], "person_id": ["P-1"], "person_name": ["x"]})
    tables["match_review"] = pd.DataFrame({"key_a": ["R-SECRET-2"], "phone_a": ["0812345678"],
                                           "email_a": ["somsri@example.org"]})
    tables["quarantine"].loc[0, "value"] = "0899999999"  # a quarantined phone number
    page = write_report_html(tables, RUN_INFO, build_recommendations(tables), None, tmp_path, public=public).read_text(
        encoding="utf-8")
    assert ("public edition" in page) is public
    for secret in ("R-SECRET", "0812345678", "somsri@example.org", "0899999999"):
        assert secret not in page


def test_long_tables_are_capped_and_say_how_many_more():
    df = pd.DataFrame({"n": range(N_ROWS + 7)})
    html = render_table(df, ["n"], "hats.csv")
    assert html.count("<tr>") == N_ROWS + 1  # header + N_ROWS rows
    assert "7 more in hats.csv" in html


def test_same_input_same_bytes(report, tmp_path):
    path, page = report
    tables = build_tables()
    (tmp_path / "graphs").mkdir()
    for view in path.parent.joinpath("graphs").iterdir():
        (tmp_path / "graphs" / view.name).write_text("", encoding="utf-8")
    again = write_report_html(tables, RUN_INFO, build_recommendations(tables), CHANGES, tmp_path)
    assert again.read_bytes() == path.read_bytes()


def test_network_views_are_linked_index_first_and_areas_named(report):
    _, page = report
    links = re.findall(r'<a href="(graphs/[^"]*)">([^<]*)</a>', page)
    assert links == [("graphs/index.html", "สารบัญภาพเครือข่ายทั้งหมด"), ("graphs/network.html", "เครือข่ายทั้งหมด"),
                     ("graphs/area-2704.html", "พื้นที่ 2704")]  # no coverage.csv in the fixture: the code alone


def test_tables_speak_thai(report):
    _, page = report
    # headers: the Thai label, the CSV column name beneath; booleans read ใช่ / ไม่ใช่; lists split by ", "
    assert '<th>ชื่อ-สกุล<span class="col">person_name</span></th>' in page
    assert '>เป็นจุดเชื่อมเดียว<span class="col">is_articulation_point</span></th>' in page
    bridges = page[page.index('id="bridges"'):page.index('id="coverage"')]
    assert bridges.count("<td>ใช่</td>") == 1 and bridges.count("<td>ไม่ใช่</td>") == 1
    assert "True" not in bridges and "False" not in bridges
    # funding streams: 300,000 with its thousands separator
    assert '<td class="num">300,000</td>' in page
    assert "<td>พอช., สสส., อบต.</td>" in page  # hats.csv agencies "พอช.|สสส.|อบต."


def test_advice_opens_with_one_page_then_details_by_kind(report):
    _, page = report
    advice = page[page.index('id="recommendations"'):page.index('id="hats"')]
    assert advice.index("One page: the most consequential point of each kind") < advice.index("Details by kind")


def test_the_report_module_imports_matplotlib_only_when_it_draws():
    # A run's main process imports the report module while another process draws the
    # report: matplotlib (a second to import) is imported by the drawing alone.
    import subprocess
    import sys

    code = ("import sys, analysis.pipeline, analysis.render.report, analysis.render.profiles; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
