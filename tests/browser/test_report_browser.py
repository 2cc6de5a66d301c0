"""report.html opened in headless Chromium: it loads without errors, requests nothing but
file:// and data:, and a hostile name in the data runs nothing.

Skipped when /usr/bin/chromium is absent, unless the CI environment variable is set (then
a missing browser is a failure: CI must test what reviewers will open).
"""

import re

import pytest

from analysis.render.report import write_report_html
from tests.report_fixture import CHANGES, HOSTILE, RUN_INFO, build_recommendations, build_tables
from tests.browser.chromium import ARGS, CHROMIUM, skip_without_chromium


pytestmark = pytest.mark.browser

skip_without_chromium()


@pytest.fixture(scope="module")
def report_path(tmp_path_factory):
    tables = build_tables()
    out = tmp_path_factory.mktemp("report")
    return write_report_html(tables, RUN_INFO, build_recommendations(tables), CHANGES, out)


def test_report_opens_offline_and_runs_nothing_hostile(report_path, tmp_path):
    from playwright.sync_api import sync_playwright

    problems, requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report_path.as_uri())
        page.wait_for_load_state("load")
        hats_text = page.inner_text("#hats ~ table")
        n_images = page.evaluate("Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length")
        n_hostile_nodes = page.evaluate("document.querySelectorAll('img[onerror]').length")
        page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
        browser.close()
    assert problems == []
    assert [u for u in requests if not u.startswith(("file://", "data:"))] == []
    assert HOSTILE in hats_text  # shown as text, as written
    assert n_hostile_nodes == 0
    assert n_images == 4  # the four figures the fixture has data for, all decoded
    assert (tmp_path / "report.png").stat().st_size > 0


#: A4 in CSS pixels (96 per inch) less the report's @page margins (12 + 13 mm, 11 + 11 mm):
#: the box a printed page fills.
PAGE_HEIGHT_PX = (297 - 25) / 25.4 * 96
PAGE_WIDTH_PX = (210 - 22) / 25.4 * 96
#: The sections whose top tables must fit two pages; each starts a page (the print stylesheet).
TOP_SECTIONS = ("hats", "duplicates", "bridges")


def count_pdf_pages(pdf: bytes) -> int:
    """Page objects of a PDF as Chromium writes it (uncompressed object dictionaries)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.slow
def test_demo_report_prints_on_at_most_25_a4_pages_and_each_top_table_on_two(demo):
    # Issue 17: the demo's report printed 66 pages, each top-25 table about 12.
    from playwright.sync_api import sync_playwright

    report = demo / "2026Q3" / "report.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        page.goto(report.as_uri())
        pdf = page.pdf(prefer_css_page_size=True)
        # the page laid out as printed, one page wide: each top section from its heading to
        # the end of its table
        page.set_viewport_size({"width": round(PAGE_WIDTH_PX), "height": round(PAGE_HEIGHT_PX)})
        page.emulate_media(media="print")
        heights = page.evaluate("""ids => ids.map(id => {
            const heading = document.getElementById(id);
            let table = heading.nextElementSibling;
            while (table.tagName !== 'TABLE') table = table.nextElementSibling;
            return table.getBoundingClientRect().bottom - heading.getBoundingClientRect().top;
        })""", list(TOP_SECTIONS))
        browser.close()
    assert re.search(rb"/MediaBox\s*\[0 0 59[45]\.\d+ 841\.\d+\]", pdf)  # A4: 595 × 842 points
    assert count_pdf_pages(pdf) <= 25
    # a section starts a page, so heading, figure and table within two page heights print on
    # two pages; a row is never split, so keep one tall row (40 px) in hand
    assert all(height <= 2 * PAGE_HEIGHT_PX - 40 for height in heights), dict(zip(TOP_SECTIONS, heights))


def test_page_count_reads_chromium_pdfs():
    pdf = b"<< /Type /Pages /Count 2 >> << /Type /Page /Parent 1 0 R >> << /Type/Page >>"
    assert count_pdf_pages(pdf) == 2
