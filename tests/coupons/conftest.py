import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from integrations.tokens import shop_user_create
from tests.coupons.factories import PASSWORD, make_user


@pytest.fixture(autouse=True)
def _own_cache(settings, request):
    """A private in-memory cache per test: rate-limit counters start at zero, and a
    shared Redis is never flushed by tests."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{request.node.nodeid}",
        }
    }


@pytest.fixture
def admin_user(db):
    return make_user("boss", role="admin")


@pytest.fixture
def ambassador(db):
    return make_user("amb1", role="ambassador")


@pytest.fixture
def admin_api(admin_user):
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin_user).key}"
    )
    return client


@pytest.fixture
def shop_api(db):
    _user, token = shop_user_create(username="tmall-shop")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.login(username=admin_user.username, password=PASSWORD)
    return client


@pytest.fixture
def manager_client(client, db):
    make_user("mgr", role="manager")
    client.login(username="mgr", password=PASSWORD)
    return client


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(live_server, monkeypatch):
    """A real Chromium driven by Playwright (the e2e tests); closed before the live
    server stops, so no request thread is left holding a database connection."""
    import os

    from conftest import require

    require(os.path.exists(CHROMIUM), f"Chromium is not installed at {CHROMIUM}")
    # Playwright's sync API keeps an event loop in this thread; the test's own
    # database calls are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()
            # Database connections opened while Playwright's loop was current
            # belong to that context: close them here, where they are visible.
            connections.close_all()


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
