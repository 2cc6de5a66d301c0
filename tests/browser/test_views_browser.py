"""Views opened in headless Chromium: they draw, search works, hostile names run nothing,
and nothing leaves file://.

Skipped when /usr/bin/chromium is absent, unless the CI environment variable is set (then
a missing browser is a failure: CI must test what facilitators will open).
"""

from pathlib import Path

import pandas as pd
import pytest

from analysis.render import views
from tests.fixtures_views import build_forum_graph, build_grid_graph
from tests.browser.chromium import skip_without_chromium


pytestmark = pytest.mark.browser

skip_without_chromium()


@pytest.fixture(scope="module")
def view_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("views")
    results = {
        "bridges": pd.DataFrame({"org_id": ["SAO", "EVIL"], "rank": [1, 2], "community": [0, 1], "betweenness": [0.5, 0.2]}),
        "hats": pd.DataFrame({"person_id": ["P-01"], "n_agencies": [2]}),
        "duplicate_projects": pd.DataFrame({"group_id": ["D1", "D1"], "project_id": ["J1", "J2"]}),
    }
    views.write_views(build_forum_graph(), results, out / "full")
    views.write_views(build_forum_graph(), results, out / "public", public=True)
    views.write_views(build_grid_graph(3, 4, 10), {}, out / "folded", max_nodes=10)
    views.write_ego_view(build_forum_graph(), "ต.กลาย", 2, out / "ego" / "ego.html")
    return out


def open_view(browser, path: Path, tmp_path: Path):
    """Open a view; return (page, problems) where problems collects errors and requests."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    problems = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))

    def route(r):
        if not r.request.url.startswith("file://"):
            problems.append(f"request left file://: {r.request.url}")
            r.abort()
        else:
            r.continue_()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_function("() => window.stakemapView && window.stakemapView.ready", timeout=15000)
    page.screenshot(path=str(tmp_path / f"{path.parent.name}-{path.stem}.png"))
    return page, problems


# Counts from tests/fixtures_views.py: district 8008 = all 17 but the province group, the
# province and CODI-S (placed in the province only); organisations: the 6 organisations;
# hats: P-01, SAO, CODI-S and its agency CODI; duplicates: J1, J2, their leads SAO and EVIL,
# their tambons and the stream paying J1; folded grid: province + 3 districts, and a
# district = district + tambon + 4 organisations holding their 40 persons; ego of ต.กลาย
# (test_views.py::test_extract_ego_of_person_and_tambon).
@pytest.mark.parametrize("folder, name, n_nodes", [
    ("full", "network.html", 17), ("full", "area-8008.html", 14), ("full", "organisations.html", 6),
    ("full", "hats.html", 4), ("full", "duplicates.html", 7), ("public", "network.html", 17),
    ("folded", "network.html", 4), ("folded", "area-9001.html", 6), ("ego", "ego.html", 7),
])
def test_each_view_draws_without_errors(browser, view_dir, tmp_path, folder, name, n_nodes):
    page, problems = open_view(browser, view_dir / folder / name, tmp_path)
    assert page.evaluate("window.stakemapView.nodeCount") == n_nodes
    assert page.get_attribute("body", "data-node-count") == str(n_nodes)
    page.mouse.move(700, 400)  # hover shows tooltips built from the data
    page.mouse.click(700, 400)
    assert page.evaluate("window.__xss") is None
    assert problems == []
    page.close()


def test_search_focuses_a_thai_name(browser, view_dir, tmp_path):
    page, problems = open_view(browser, view_dir / "full" / "network.html", tmp_path)
    page.fill("#search", "สมชาย")
    assert page.locator("#results li").count() == 1
    page.press("#search", "Enter")
    assert page.evaluate("window.stakemapView.selectedNodeId") == "person:P-01"
    assert page.evaluate("window.stakemapView.network.getSelectedNodes()") == ["person:P-01"]
    assert "สมชาย" in page.inner_text("#details")
    assert problems == []
    page.close()


def test_hostile_names_show_as_text_everywhere(browser, view_dir, tmp_path):
    page, problems = open_view(browser, view_dir / "full" / "network.html", tmp_path)
    for query, node in (("<img", "org:EVIL"), ("</script>", "org:EVIL2"), ("onmouseover", "org:EVIL3")):
        page.fill("#search", query)
        assert page.locator("#results li").count() >= 1  # the search result list
        page.press("#search", "Enter")
        assert page.evaluate("window.stakemapView.selectedNodeId") == node
        box = page.evaluate("""id => window.stakemapView.network.canvasToDOM(
                                   window.stakemapView.network.getPosition(id))""", node)
        frame = page.locator("#network").bounding_box()
        page.mouse.move(frame["x"] + box["x"], frame["y"] + box["y"])  # hover shows the tooltip
        page.wait_for_function("() => { const tip = document.querySelector('.vis-tooltip');"
                               " return tip !== null && tip.style.visibility === 'visible'; }", timeout=5000)
        assert page.locator(".vis-tooltip strong").inner_text() == page.evaluate(
            "id => window.stakemapView.network.body.data.nodes.get(id).label", node)
    label = page.evaluate("window.stakemapView.network.body.data.nodes.get('org:EVIL').label")
    assert label.startswith("<img src=x")
    assert page.locator("#details img, #results img, .vis-tooltip img").count() == 0
    page.select_option("#area-filter", "area:800802")  # menus hold hostile labels too
    assert page.evaluate("window.stakemapView.visibleCount") == 5  # กลาย, EVIL, EVIL2, P-03, J2
    assert page.evaluate("window.__xss") is None
    assert problems == []
    page.close()


def test_public_view_search_finds_only_the_public_label(browser, view_dir, tmp_path):
    page, problems = open_view(browser, view_dir / "public" / "network.html", tmp_path)
    page.fill("#search", "สมชาย")
    assert page.locator("#results li button").count() == 0
    # it says the name is not here, and why: people without a public role are unnamed
    assert "person <id>" in page.inner_text("#results .not-found")
    page.fill("#search", "บุคคล P-01")
    page.press("#search", "Enter")
    assert page.evaluate("window.stakemapView.selectedNodeId") == "person:P-01"
    assert problems == []
    page.close()


def test_drill_down_link_opens_the_area_file(browser, view_dir, tmp_path):
    page, problems = open_view(browser, view_dir / "folded" / "network.html", tmp_path)
    page.evaluate("window.stakemapView.select('area:9002')")
    page.click("#details a")
    page.wait_for_function("() => window.stakemapView && window.stakemapView.ready", timeout=15000)
    assert page.url.endswith("/area-9002.html")
    assert problems == []
    page.close()


def test_view_in_a_notebook_frame_draws_and_fetches_nothing(browser, view_dir, tmp_path):
    """notebooks/07_forum_pictures shows views this way (:func:`views.render_notebook_frame`)."""
    ego = (view_dir / "ego" / "ego.html").read_text(encoding="utf-8")
    host = tmp_path / "notebook.html"
    host.write_text(f"<html><body><p>notebook</p>{views.render_notebook_frame(ego)}</body></html>", encoding="utf-8")
    page, problems = browser.new_page(), []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", lambda r: problems.append(f"request: {r.url}") if not r.url.startswith("file://") else None)
    page.goto(host.as_uri())  # waits for the frame's load too
    srcdoc = next(f for f in page.frames if f.url == "about:srcdoc")
    srcdoc.wait_for_function("() => window.stakemapView && window.stakemapView.ready", timeout=15000)
    assert srcdoc.evaluate("window.stakemapView.nodeCount") == 7  # as ego.html above
    # sandboxed: the view's script cannot reach the notebook's page
    assert srcdoc.evaluate("() => { try { return window.parent.document.title; } catch (e) { return 'cut off'; } }") == "cut off"
    assert problems == []
    page.close()
