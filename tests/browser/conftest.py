"""Headless Chromium through Playwright's sync API, against pytest-django's live server.

Without Playwright or the system Chromium the browser tests are skipped with a one-line reason,
except under CI=true, where a missing browser is a failure: CI installs it instead.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS_DIR = Path(__file__).resolve().parents[2] / "docs" / "images"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: install it instead of skipping)")
    pytest.skip(reason)


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A headless Chromium; the test's own ORM calls run beside Playwright's event loop."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    # Playwright's sync API keeps an asyncio loop on this thread, which makes Django refuse ORM
    # calls from the test itself; the test is synchronous, so the guard does not apply.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # ORM calls made while Playwright's loop ran opened a connection of their own
            # context; closed here, or PostgreSQL refuses to drop the test database.
            connections.close_all()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 860}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def screenshot() -> Any:
    """Saves a page picture into docs/images when CLIENTELA_SCREENSHOTS=1; otherwise does nothing."""

    def take(page: Any, name: str) -> None:
        if os.environ.get("CLIENTELA_SCREENSHOTS") != "1":
            return
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS_DIR / name), full_page=True)

    return take
