import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from coupons.services import shop_user_create
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
