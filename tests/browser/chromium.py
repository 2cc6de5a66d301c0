"""Headless Chromium for the browser tests: where Debian puts it and how it starts (the `browser` fixture is in tests/conftest.py).

Started as the machine's probe starts it (root, no sandbox, no GPU) and with every background
connection off, so that a test that reached the network would fail rather than wait.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def skip_without_chromium() -> None:
    """Skip the calling test module where Chromium is missing, except on CI (where it must be)."""
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("headless Chromium is not installed at /usr/bin/chromium (set CI=1 to make this fail)",
                    allow_module_level=True)
