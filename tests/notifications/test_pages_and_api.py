"""The bell, the notifications page, preferences and the API: always my own."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from notifications.models import Notification, Preference
from notifications.services import notification_send
from tests.notifications.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture
def alice(client):
    user = make_user("alice", language="en")
    client.login(username="alice", password=PASSWORD)
    return user


def _notify(user, **params):
    notification_send(
        user_ids=[user.id],
        kind="listening.alert",
        params={"rule": "XPS", "summary": "rising", **params},
        url="/listening/",
    )
    return Notification.objects.filter(user=user).latest("id")


def test_the_bell_counts_my_unread_notifications(client, alice):
    assert b"bell-count" not in client.get("/notifications/bell/").content
    _notify(alice)
    _notify(alice)
    _notify(make_user("bob"))
    response = client.get("/notifications/bell/")
    assert b'data-count="2"' in response.content
    page = client.get("/notifications/")
    assert b'id="bell"' in page.content  # every page's header carries the bell


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, alice):
    notification = _notify(alice)
    response = client.get(f"/notifications/{notification.id}/open/")
    assert response.status_code == 302 and response["Location"] == "/listening/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert b"bell-count" not in client.get("/notifications/bell/").content


def test_someone_elses_notification_is_not_found(client, alice):
    other = _notify(make_user("bob"))
    assert client.get(f"/notifications/{other.id}/open/").status_code == 404
    assert client.post(f"/notifications/{other.id}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_hostile_values_are_shown_as_text(client, alice):
    _notify(alice, rule=HOSTILE, summary=HOSTILE)
    content = client.get("/notifications/").content.decode()
    assert HOSTILE not in content
    assert "&lt;img src=x" in content


def test_mark_all_read(client, alice):
    _notify(alice)
    _notify(alice)
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()


def test_preferences_are_saved_and_bad_ones_explained(client, alice):
    response = client.post(
        "/notifications/preferences/",
        {"email_enabled": "on", "quiet_start": "22:00", "time_zone": "Mars/Base"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "is not a time zone" in content
    assert "Give both ends of the quiet hours" in content
    assert not Preference.objects.exists()

    response = client.post(
        "/notifications/preferences/",
        {
            "email_enabled": "on",
            "email_muted_kinds": ["notifications.test"],
            "quiet_start": "22:00",
            "quiet_end": "07:00",
            "time_zone": "Asia/Shanghai",
        },
    )
    assert response.status_code == 302
    preference = Preference.objects.get(user=alice)
    assert preference.email_muted_kinds == ["notifications.test"]
    assert str(preference.quiet_end) == "07:00:00"


def test_pages_need_a_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_api_lists_only_my_notifications_in_my_language(alice):
    mine = _notify(alice)
    _notify(make_user("bob"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice).key}")
    body = api.get("/api/v1/notifications/").json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == mine.id
    assert body["results"][0]["title"] == "Alert: XPS"
    assert api.get("/api/v1/notifications/?unread=true").json()["count"] == 1


def test_api_marks_mine_read_and_finds_no_one_elses(alice):
    mine, other = _notify(alice), _notify(make_user("bob"))
    api = APIClient()
    api.force_authenticate(alice)
    response = api.post(f"/api/v1/notifications/{mine.id}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert api.post(f"/api/v1/notifications/{other.id}/read/").status_code == 404
    assert api.get("/api/v1/notifications/?unread=true").json()["count"] == 0


def test_api_needs_authentication():
    assert APIClient().get("/api/v1/notifications/").status_code in (401, 403)
