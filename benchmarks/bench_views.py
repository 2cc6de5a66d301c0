"""How fast network views are written and become interactive in headless Chromium.

Target (issue 6): a 500-node view is interactive within 2 s, measured from navigation
start to the moment the page sets ``window.stakemapView.ready`` (after the first drawing).
Prints the figures and writes benchmarks/results/views.json.

Run: PYTHAINLP_OFFLINE=1 .venv/bin/python benchmarks/bench_views.py
"""

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.render import views  # noqa: E402
from tests.fixtures_views import build_grid_graph  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
#: (name, districts, organisations per district, persons per organisation, max_nodes)
CASES = (
    ("100 nodes", 4, 4, 5, 500),                # 1 + 8 + 16 + 80 = 105 nodes
    ("500 nodes", 10, 8, 5, 500),               # 1 + 20 + 80 + 400 = 501 → persons folded
    ("500 nodes unfolded", 10, 8, 5, 600),      # the same 501 nodes all drawn
    ("6,000 persons folded", 30, 20, 10, 500),  # 6,661 nodes → 661 after folding persons → districts
)
REPEATS = 3


def measure_load(browser, path: Path) -> float:
    """Milliseconds from navigation start to the page's ready flag (median of REPEATS)."""
    times = []
    for _ in range(REPEATS):
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(path.as_uri())
        page.wait_for_function("() => window.stakemapView && window.stakemapView.ready", timeout=30000)
        times.append(page.evaluate("window.stakemapView.drawnAt"))
        page.close()
    return sorted(times)[len(times) // 2]


def main() -> None:
    from playwright.sync_api import sync_playwright

    figures = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, n_districts, n_orgs, n_persons, max_nodes in CASES:
            G = build_grid_graph(n_districts, n_orgs, n_persons)
            path = Path(tmp) / f"{name.replace(' ', '_').replace(',', '')}.html"
            start = time.perf_counter()
            views.render_view(G, path, title=name, max_nodes=max_nodes)
            write_s = time.perf_counter() - start
            load_ms = measure_load(browser, path)
            page = browser.new_page()
            page.goto(path.as_uri())
            page.wait_for_function("() => window.stakemapView && window.stakemapView.ready", timeout=30000)
            n_drawn = page.evaluate("window.stakemapView.nodeCount")
            page.close()
            figures.append({"case": name, "graph_nodes": len(G), "drawn_nodes": n_drawn,
                            "html_kb": round(path.stat().st_size / 1024), "write_s": round(write_s, 2),
                            "interactive_ms": round(load_ms), "target_ms": 2000, "is_within_target": load_ms < 2000})
            print(f"{name:24} graph {len(G):6} nodes, drawn {n_drawn:4}, HTML {figures[-1]['html_kb']:5} KB, "
                  f"written in {write_s:5.2f} s, interactive after {load_ms:6.0f} ms")
        browser.close()
    out = ROOT / "benchmarks" / "results" / "views.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
