"""What grades and tambon profiles cost, measured on a province and extrapolated to the country.

Measures CPU seconds (``time.process_time``: the machine is shared, so wall time says more
about the neighbours than about the code) of: grading every tambon (``compute_grades`` +
``count_grades``), splitting the tables by tambon (``ProfileBook``), and writing every
profile page (tambons and their district, province and province-group roll-ups); and the
bytes the pages take. It then extrapolates to the country's 8,459 pages (7,436 tambons, 928
districts, 77 provinces, 18 groups): the grading and the split grow with the rows of the
tables (×``ROWS_RATIO``, the national sample's projects over the province's), the pages with
their number. docs/scaling.md has one national run's measured figures beside which to read it.

Prints the figures and writes benchmarks/results/profiles.json.

Run: PYTHAINLP_OFFLINE=1 .venv/bin/python benchmarks/bench_profiles.py [DATASET]
(default: the bundled 2026Q3 sample, Sa Kaeo province).
"""

import json
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.config import SAMPLE_DIR  # noqa: E402
from analysis.grades import compute_grades, count_grades, load_grading  # noqa: E402
from analysis.pipeline import analyse_dataset, build_profile_book, read_stage  # noqa: E402
from analysis.places import load_gazetteer  # noqa: E402
from analysis.render.profiles import write_profiles  # noqa: E402

#: Pages of a national run: 7,436 tambons, 928 districts, 77 provinces, 18 province groups.
N_PAGES = 7436 + 928 + 77 + 18
#: National over province rows, 2026Q3 sample (docs/scaling.md): projects 99,849 / 463,
#: people records 305,017 / 2,416; the larger (projects, 216×) is taken, to err on the slow side.
ROWS_RATIO = 99_849 / 463
REPEATS = 3


def cpu(function):
    """(result, CPU seconds of the fastest of REPEATS calls)."""
    best, result = float("inf"), None
    for _ in range(REPEATS):
        start = time.process_time()
        result = function()
        best = min(best, time.process_time() - start)
    return result, best


def main() -> None:
    dataset_path = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE_DIR / "2026Q3"
    dataset, decisions = read_stage(dataset_path)
    result = analyse_dataset(dataset, decisions)
    gazetteer, grading = load_gazetteer(), load_grading(dataset_path)
    grades, grade_s = cpu(lambda: compute_grades(dataset, result.tables, grading, gazetteer))
    _, counts_s = cpu(lambda: count_grades(grades, gazetteer))
    book, book_s = cpu(lambda: build_profile_book(result))
    n = len(book.tambons()) + len(book.rollups())  # the pages: tambons and their roll-ups
    with tempfile.TemporaryDirectory() as tmp:
        _, pages_s = cpu(lambda: write_profiles(book, Path(tmp) / "profiles"))
        size = sum(p.stat().st_size for p in (Path(tmp) / "profiles").iterdir())
    per_page_ms = 1000 * pages_s / n
    national = {
        "grades_s": round((grade_s + counts_s) * ROWS_RATIO, 1),
        "profile_book_s": round(book_s * ROWS_RATIO, 1),
        "pages_s": round(per_page_ms * N_PAGES / 1000, 1),
        "pages_mb": round(size / n * N_PAGES / 1e6, 1),
    }
    figures = {
        "dataset": str(dataset_path), "n_pages": n, "repeats": REPEATS, "machine": platform.processor() or platform.machine(),
        "cpu_s": {"grades": round(grade_s, 3), "grade_counts": round(counts_s, 3), "profile_book": round(book_s, 3),
                  "pages": round(pages_s, 3)},
        "per_page_ms": round(per_page_ms, 1), "bytes": size,
        "national_estimate": national, "rows_ratio": round(ROWS_RATIO, 1),
    }
    print(f"{dataset_path}: {n} pages; CPU s (fastest of {REPEATS}): grades {grade_s:.3f}, counts {counts_s:.3f}, "
          f"profile book {book_s:.3f}, {n} pages {pages_s:.3f} ({per_page_ms:.1f} ms a page), {size / 1e6:.1f} MB")
    print(f"national estimate ({N_PAGES} pages, tables ×{ROWS_RATIO:.0f}): grades {national['grades_s']} s, "
          f"profile book {national['profile_book_s']} s, pages {national['pages_s']} s, {national['pages_mb']} MB")
    out = ROOT / "benchmarks" / "results" / "profiles.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written: {out}")


if __name__ == "__main__":
    main()
