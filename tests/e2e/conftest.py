"""Browser tests: a real Chromium (headless) driven by Playwright's sync API against
pytest-django's live server.

Chromium is required: outside CI a machine without it skips these tests loudly, in
CI (CI=true) they fail. Set E2E_SCREENSHOTS=<folder> to keep a screenshot of each
step for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import require

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "pw-123456789"
TIMEOUT_MS = 10_000


@pytest.fixture
def browser(live_server, monkeypatch):
    """One Chromium for the test, closed before the live server stops."""
    require(os.path.exists(CHROMIUM), f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a broken install
        require(False, "the playwright package is not installed")
    # Playwright's sync API runs an event loop in this thread; the test's own
    # database calls are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Request threads of the live server close their connection after each
    # request, so none holds the test database open past the end.
    from django.db import connections

    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    # Playwright switches greenlets, and with them the context Django keys its
    # connections on: close this thread's connections on both sides of it, so no
    # connection is stranded to keep the test database from being dropped.
    connections.close_all()
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()
            connections.close_all()


@pytest.fixture
def new_page(browser):
    """``new_page()``: a fresh browser context (its own cookies: one person) and
    page. Any JavaScript error or dialog (alert) fails the test."""
    contexts = []
    problems: list[str] = []

    def make():
        context = browser.new_context(
            viewport={"width": 1360, "height": 900}, locale="zh-CN"
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"js error: {error}"))

        def on_dialog(dialog):
            problems.append(f"dialog: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems, problems


@pytest.fixture
def shoot():
    """``shoot(page, name)``: a full-page screenshot when E2E_SCREENSHOTS is set."""
    folder = os.environ.get("E2E_SCREENSHOTS", "")

    def take(page, name: str) -> None:
        if not folder:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return take


def sign_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def sign_out(page) -> None:
    page.click("form[action$='/accounts/logout/'] button")
    page.wait_for_url(lambda url: "/accounts/login/" in url)
