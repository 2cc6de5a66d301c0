"""Every path the project uses, in one place."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
SAMPLE_DIR = DATA_DIR / "sample"
REPORTS_DIR = PROJECT_DIR / "reports"  # the notebooks' outputs, in a source checkout
GRAPHS_DIR = PROJECT_DIR / "graphs"
TEMPLATES_DIR = PACKAGE_DIR / "templates"


def user_reports_dir() -> Path:
    """Where the command line writes when no ``--out`` is given: ``reports/`` under the
    current working directory, never inside the installed package (CONTRACT §4)."""
    return Path.cwd() / "reports"
