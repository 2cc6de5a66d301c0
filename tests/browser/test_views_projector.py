"""Every view of a run opened as on a projector: headless Chromium at 1920×1080.

On opening, the ten most important nodes of each view (``rank`` 1–10, as
:func:`analysis.render.views.rank_nodes` orders them) must be named on screen in labels of at
least 14 px (issue 17: organisations.html, hats.html and the area views opened at zoom
0.25–0.30, so vis-network drew no names at all). The size is measured where it is drawn:
``fillText`` is wrapped before the page loads, and each call records its text, its font size
times the canvas transform's scale, and where on the canvas it lands.

Skipped when /usr/bin/chromium is absent, unless the CI environment variable is set.
"""

import json
from pathlib import Path

import pytest

from analysis.pipeline import analyse_dataset, read_stage
from analysis.render.views import write_views
from analysis.sample import write_sample
from tests.browser.chromium import skip_without_chromium

SCREEN = {"width": 1920, "height": 1080}
#: The smallest label a hall can read from the back on a 1920×1080 projector (issue 17).
MIN_LABEL_PX = 14

pytestmark = pytest.mark.browser

skip_without_chromium()

RECORD_LABELS = """
(() => {
  const log = window.__labels = [];
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y) {
    const size = /([0-9.]+)px/.exec(this.font);
    const t = this.getTransform();
    const scale = Math.hypot(t.a, t.b) / window.devicePixelRatio;
    if (size && this.canvas.closest && this.canvas.closest('#network')) {
      log.push({text: String(text), px: parseFloat(size[1]) * scale,
                width: this.measureText(String(text)).width * scale,
                x: (t.a * x + t.c * y + t.e) / window.devicePixelRatio,
                y: (t.b * x + t.d * y + t.f) / window.devicePixelRatio});
    }
    return fill.apply(this, arguments);
  };
})();
"""

#: Redraw once, then report, for the ten nodes of lowest rank, the label drawn for each
#: inside the canvas (px 0 when none was).
MEASURE_TOP_TEN = """async () => {
  const view = window.stakemapView;
  window.__labels.length = 0;
  view.network.redraw();
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const canvas = document.querySelector('#network canvas');
  const inside = l => l.x >= 0 && l.x <= canvas.clientWidth && l.y >= 0 && l.y <= canvas.clientHeight;
  const nodes = JSON.parse(document.getElementById('stakemap-data').textContent).nodes;
  return nodes.sort((a, b) => a.rank - b.rank).slice(0, 10).map(n => {
    const drawn = window.__labels.filter(l => l.text === n.label && inside(l));
    return {id: n.id, label: n.label, px: drawn.length ? Math.max(...drawn.map(l => l.px)) : 0};
  });
}"""


@pytest.fixture(scope="module")
def run_views(tmp_path_factory) -> Path:
    """The views of a run on the tambon-scale sample (seed 5, as tests/test_public_output.py)."""
    base = tmp_path_factory.mktemp("projector")
    dataset, _ = read_stage(write_sample(base / "sample", scale="tambon", seed=5, quarter="2026Q2"))
    result = analyse_dataset(dataset)
    write_views(result.graph, result.tables, base / "graphs")
    return base / "graphs"


def open_on_projector(browser, path: Path):
    page = browser.new_page(viewport=SCREEN)
    problems = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", lambda r: problems.append(f"request: {r.url}") if not r.url.startswith("file://") else None)
    page.add_init_script(RECORD_LABELS)
    page.goto(path.as_uri())
    page.wait_for_function("() => window.stakemapView && window.stakemapView.ready", timeout=60000)
    return page, problems


def test_the_run_writes_the_views_the_index_lists(run_views):
    names = sorted(p.name for p in run_views.glob("*.html"))
    # the tambon sample: the whole network, its province group, province and district,
    # and the three special views (tests/test_public_output.py writes the same run)
    assert {"network.html", "organisations.html", "hats.html", "duplicates.html", "index.html"} <= set(names)
    assert len([n for n in names if n.startswith("area-")]) >= 3


def test_every_view_names_its_ten_most_important_nodes_readably(browser, run_views):
    measured = {}
    for path in sorted(run_views.glob("*.html")):
        if path.name == "index.html":
            continue
        page, problems = open_on_projector(browser, path)
        top = page.evaluate(MEASURE_TOP_TEN)
        page.close()
        assert problems == [], path.name
        measured[path.name] = {t["label"]: round(t["px"], 1) for t in top}
    small = {name: {label: px for label, px in labels.items() if px < MIN_LABEL_PX} for name, labels in measured.items()}
    assert {name: labels for name, labels in small.items() if labels} == {}, json.dumps(measured, ensure_ascii=False)


def test_presentation_mode_enlarges_the_names(browser, run_views):
    page, problems = open_on_projector(browser, run_views / "organisations.html")
    normal = min(t["px"] for t in page.evaluate(MEASURE_TOP_TEN))
    page.click("#presentation")
    assert page.evaluate("window.stakemapView.presentation") is True
    assert page.get_attribute("#presentation", "aria-pressed") == "true"
    large = min(t["px"] for t in page.evaluate(MEASURE_TOP_TEN))
    assert normal >= MIN_LABEL_PX and large >= 22 > normal  # 24 px asked, less rounding
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "20px"
    page.close()
    assert problems == []


def test_zooming_out_keeps_the_key_names_readable(browser, run_views):
    page, problems = open_on_projector(browser, run_views / "network.html")
    page.evaluate("""() => { const n = window.stakemapView.network;
                             n.moveTo({scale: n.getScale() / 3}); n.emit('zoom', {}); }""")
    # the nodes may now sit outside the canvas edge: only those drawn inside are measured
    drawn = [t for t in page.evaluate(MEASURE_TOP_TEN) if t["px"] > 0]
    assert drawn and min(t["px"] for t in drawn) >= MIN_LABEL_PX
    page.close()
    assert problems == []


def test_a_filter_refits_the_view_to_what_is_left(browser, run_views):
    page, problems = open_on_projector(browser, run_views / "network.html")
    before = page.evaluate("window.stakemapView.network.getScale()")
    area = page.evaluate("JSON.parse(document.getElementById('stakemap-data').textContent).areas.slice(-1)[0].id")
    page.select_option("#area-filter", area)
    after = page.evaluate("window.stakemapView.network.getScale()")
    keys = page.evaluate("window.stakemapView.keyIds")
    visible = page.evaluate("window.stakemapView.network.body.nodeIndices.length")
    assert after != before and 0 < len(keys) <= 10 and visible == page.evaluate("window.stakemapView.visibleCount")
    top = [t for t in page.evaluate(MEASURE_TOP_TEN) if t["id"] in keys]
    assert all(t["px"] >= MIN_LABEL_PX for t in top)
    page.close()
    assert problems == []


def test_a_search_that_finds_nothing_says_so_and_where_to_look(browser, run_views):
    page, problems = open_on_projector(browser, run_views / "network.html")
    page.fill("#search", "ไม่มีชื่อนี้แน่นอน")
    page.press("#search", "Enter")
    message = page.inner_text("#results .not-found")
    assert "ไม่พบ" in message and "is not in this view" in message
    assert "all views" in message  # where to look
    assert page.evaluate("window.stakemapView.notFound") is True
    page.close()
    assert problems == []
