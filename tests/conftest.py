"""Test settings and fixtures shared by every test file."""

import pytest
from hypothesis import settings

# Property tests run the same examples on every machine and keep no example database:
# a CI failure can be reproduced anywhere, and a run never depends on an earlier one.
settings.register_profile("stakemap", derandomize=True, database=None, deadline=None)
settings.load_profile("stakemap")


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """`stakemap demo` run once for the session: both quarters of the committed sample."""
    from analysis.cli import main

    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (:mod:`tests.browser.chromium` says how it starts)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import ARGS, CHROMIUM

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()
