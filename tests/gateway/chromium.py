"""Debian's Chromium driven by Playwright, for the widget and desk browser tests:
never `playwright install`; the CI script installs `chromium`."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.skips import missing

try:
    from playwright import sync_api as playwright_api
except ImportError as exc:  # the browser fixture says so: skipped locally, a failure in CI
    playwright_api, PLAYWRIGHT_MISSING = None, f"Playwright is not installed ({exc}): run `make install`"
else:
    PLAYWRIGHT_MISSING = ""
expect = getattr(playwright_api, "expect", None)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHOTS = PROJECT_ROOT / os.environ.get("VAR_DIR", "var") / "test-output" / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def browser():
    if PLAYWRIGHT_MISSING:
        missing("browser", PLAYWRIGHT_MISSING)
    if not Path(CHROMIUM).exists():
        missing("browser", f"Chromium not found at {CHROMIUM}: apt-get install chromium (the CI script does)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
