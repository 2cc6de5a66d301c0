"""Tambon profiles in headless Chromium: the busiest ones print on at most two A4 pages, they
load nothing from outside file://, and a district view opens a tambon's profile; the
roll-ups (the busiest district, the province, its group) print on at most two A4 pages too.

The run is the bundled sample's 2026Q3 quarter (59 tambons of Sa Kaeo). Skipped when
/usr/bin/chromium is absent, unless the CI environment variable is set.
"""

import re

import pytest

from analysis.config import SAMPLE_DIR
from analysis.pipeline import run_analysis
from tests.browser.chromium import skip_without_chromium

#: Profiles printed: the largest pages (most rows, longest names) are the ones that could overflow.
N_PRINTED = 5

pytestmark = pytest.mark.browser

skip_without_chromium()


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return run_analysis(SAMPLE_DIR / "2026Q3", tmp_path_factory.mktemp("profiles") / "run")


def count_pdf_pages(pdf: bytes) -> int:
    """Page objects of a PDF (``/Type /Page``, not ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


def test_the_busiest_profiles_print_on_two_a4_pages(browser, run_dir):
    pages = sorted((run_dir / "profiles").glob("[0-9]" * 6 + ".html"), key=lambda p: (-p.stat().st_size, p.name))
    assert len(pages) == 59
    requests = []
    for path in pages[:N_PRINTED]:
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Sarabun"), path.name
        n_pages = count_pdf_pages(page.pdf(format="A4", prefer_css_page_size=True, print_background=True))
        page.close()
        assert 1 <= n_pages <= 2, f"{path.name} prints on {n_pages} pages"
    assert [u for u in requests if not u.startswith(("file://", "data:"))] == []


def test_a_district_view_opens_a_tambon_profile(browser, run_dir):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto((run_dir / "graphs" / "area-2702.html").as_uri())
    page.wait_for_function("() => window.stakemapView && window.stakemapView.ready", timeout=15000)
    page.evaluate("window.stakemapView.select('area:270201')")
    page.click("#profile-link")
    page.wait_for_load_state("load")
    assert page.url.endswith("/profiles/270201.html")
    assert "คลองหาด" in page.inner_text("h1")
    assert page.locator(".grade .letter").inner_text() in ("A", "B", "C")
    page.close()
    assert problems == []


def test_the_roll_ups_print_on_two_a4_pages(browser, run_dir):
    profiles = run_dir / "profiles"
    districts = sorted(profiles.glob("[0-9]" * 4 + ".html"), key=lambda p: (-p.stat().st_size, p.name))
    assert len(districts) == 9  # Sa Kaeo's nine districts
    for path in (districts[0], profiles / "27.html", profiles / "group-09.html"):
        page = browser.new_page()
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        n_pages = count_pdf_pages(page.pdf(format="A4", prefer_css_page_size=True, print_background=True))
        page.close()
        assert 1 <= n_pages <= 2, f"{path.name} prints on {n_pages} pages"
