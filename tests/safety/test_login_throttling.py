"""Logins are throttled by django-axes (issue 11, item 3): 29 wrong passwords in a few
seconds are not all tried; the lock holds even for the right password."""

from __future__ import annotations

import pytest

from ambassadors.services import user_create

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-42"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def admin_user():
    return user_create(username="boss", password=PASSWORD, role="admin")


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_29_wrong_passwords_in_seconds_are_not_all_tried(client, admin_user, url):
    statuses = []
    for attempt in range(29):
        response = client.post(
            url,
            {"username": "boss", "password": f"guess-{attempt}"},
            REMOTE_ADDR="203.0.113.9",
        )
        statuses.append(response.status_code)
    # The form again with its error four times; the fifth failure locks the account.
    assert statuses[:4] == [200] * 4
    assert set(statuses[4:]) == {429}
    # Locked out: even the right password does not open the account now...
    response = client.post(
        url, {"username": "boss", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # ...while the same user from another address, and others, still sign in.
    response = client.post(
        url, {"username": "boss", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def test_the_lockout_page_is_translated(client, admin_user):
    for attempt in range(6):
        response = client.post(
            "/accounts/login/",
            {"username": "boss", "password": f"x{attempt}"},
            REMOTE_ADDR="203.0.113.10",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
