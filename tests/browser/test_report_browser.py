"""report.html opened in headless Chromium: it loads without errors, requests nothing but
file:// and data:, and a hostile name in the data runs nothing.

Skipped when /usr/bin/chromium is absent, unless the CI environment variable is set (then
a missing browser is a failure: CI must test what reviewers will open).
"""

import os
from pathlib import Path

import pytest

from analysis.render.report import write_report_html
from tests.report_fixture import CHANGES, HOSTILE, RUN_INFO, build_recommendations, build_tables

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("headless Chromium is not installed at /usr/bin/chromium (set CI=1 to make this fail)",
                allow_module_level=True)


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
