"""Profile pages of the Tha Sala scenario: every tambon, its district, province and province
group, and an index, offline, escaped, linked to each other."""

import re

import networkx as nx
import pytest

from analysis.profiles import ProfileBook
from analysis.render.profiles import CSS_FILE, link_profiles, render_profile_html, write_profile, write_profiles
from fixtures_grades import build_grade_tables
from fixtures_network import FakeGazetteer


@pytest.fixture(scope="module")
def book():
    dataset, tables = build_grade_tables()
    return ProfileBook(dataset, tables, FakeGazetteer())


def test_a_page_per_graded_tambon_and_roll_up_and_an_index(book, tmp_path):
    written = write_profiles(book, tmp_path)
    assert sorted(p.name for p in written) == ["80.html", "8008.html", "800801.html", "800802.html", "800803.html",
                                               "group-11.html", "index.html"]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    # the group and its province, then the province and district heading, then the tambons
    assert re.findall(r'href="([^"]+\.html)"', index) == [
        "group-11.html", "80.html", "80.html", "8008.html", "800801.html", "800802.html", "800803.html"]
    assert "@font-face" in (tmp_path / CSS_FILE).read_text(encoding="utf-8")


def test_a_tambon_page_links_up_and_a_roll_up_links_down(book, tmp_path):
    write_profiles(book, tmp_path)
    tambon = (tmp_path / "800801.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="([^"]+)">', tambon) == ["8008.html", "80.html", "group-11.html"]
    district = (tmp_path / "8008.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="([^"]+)">', district) == [
        "80.html", "group-11.html", "800801.html", "800802.html", "800803.html"]
    province = (tmp_path / "80.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="([^"]+)">', province) == ["group-11.html", "8008.html"]
    group = (tmp_path / "group-11.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="([^"]+)">', group) == ["80.html"]  # a region has no page
    assert "<h1>กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย" in group and '<p class="where">group-11 · ภาคใต้</p>' in group
    assert "A 0 · B 0 · C 3" in group  # the three C tambons (test_grades.py)
    # every link of every page leads to a page written beside it
    for path in tmp_path.glob("*.html"):
        for target in re.findall(r'href="([^"]+)"', path.read_text(encoding="utf-8")):
            assert (tmp_path / target).is_file(), (path.name, target)


def test_a_page_opens_with_its_grade_and_loads_only_its_stylesheet(book):
    page = render_profile_html(book.build("800801"))
    assert page.index('class="grade grade-C"') < page.index('id="organisations"')
    assert re.findall(r'(?:src|href)="([^"]*)"', page) == [CSS_FILE]
    assert "default-src 'none'" in page and "<script" not in page
    # totals line: 3 organisations, 3 projects, 205,000 THB (test_profiles.py)
    assert "organisations 3 · โครงการ / projects 3 · เงินเข้า / money in 205,000" in page


def test_every_string_is_escaped(book):
    profile = book.build("800801")
    profile.tables["organisations"].loc[0, "name"] = '<img src=x onerror=alert(1)>'
    profile.name_en = '"><script>alert(1)</script>'
    page = render_profile_html(profile)
    assert "<img src=x" not in page and "<script>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    district = book.build("8008")
    district.tables["areas"].loc[0, "area_name"] = "<b>ท่าศาลา</b>"
    district.parents = [("province", "80", '<i onclick="x">นคร</i>')]
    page = render_profile_html(district, links=True)
    assert "<b>ท่าศาลา" not in page and "&lt;b&gt;ท่าศาลา&lt;/b&gt;" in page and "<i onclick" not in page


def test_a_page_written_alone_carries_its_style(book, tmp_path):
    page = write_profile(book.build("8008"), tmp_path / "one.html").read_text(encoding="utf-8")
    assert "@font-face" in page and 'rel="stylesheet"' not in page
    assert "<a href" not in page  # no page beside it to link to
    assert "อำเภอท่าศาลา" in page and "A 0 · B 0 · C 3" in page


def test_tambon_nodes_link_to_their_profile_and_show_their_grade():
    import pandas as pd

    G = nx.MultiDiGraph()
    G.add_node("area:800801", kind="area")
    G.add_node("area:8008", kind="area")
    grades = pd.DataFrame({"area": ["800801", "800802"], "grade": ["C", "A"], "score": [40.0, 80.0]})
    link_profiles(G, grades)
    assert G.nodes["area:800801"]["profile"] == "../profiles/800801.html"
    assert G.nodes["area:800801"]["view_color"] == "#c0392b"
    assert G.nodes["area:800801"]["view_note"].startswith("กลุ่ม C คะแนน 40 / grade C, score 40")
    assert "profile" not in G.nodes["area:8008"] and "area:800802" not in G
    assert [entry["en"] for entry in G.graph["legend"]] == ["tambon graded A", "tambon graded B", "tambon graded C"]
    H = nx.MultiDiGraph()
    H.add_node("area:800801", kind="area")
    link_profiles(H, grades, has_pages=False)  # a national run: no page to link to
    assert "profile" not in H.nodes["area:800801"] and H.nodes["area:800801"]["view_color"] == "#c0392b"


def test_an_index_without_pages_lists_every_tambon_with_the_command(book, tmp_path):
    from analysis.render.profiles import write_profile_index

    index = write_profile_index(book.grades.reset_index(drop=True), book.gazetteer, tmp_path, has_pages=False)
    text = index.read_text(encoding="utf-8")
    assert "stakemap profile RUN --area CODE" in text and 'href="800801.html"' not in text
    assert all(code in text for code in ("800801", "800802", "800803"))  # every tambon listed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", CSS_FILE]
