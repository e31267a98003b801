"""A user's own API token: created and shown once, replaced, revoked."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.engagement.dashboard_helpers import as_user
from tests.engagement.factories import make_people

pytestmark = pytest.mark.django_db

TOKEN = reverse("engagement:api_token")


@pytest.fixture
def people(support):
    return make_people(support)


def test_the_token_page_needs_a_login(client):
    assert client.get(TOKEN).status_code == 302


@pytest.mark.parametrize("who", ["amb", "manager", "admin"])
def test_every_role_creates_its_own_token_and_sees_it_once(client, people, who):
    user = getattr(people, who)
    as_user(client, user)
    assert client.get(TOKEN).context["token"] is None
    client.post(TOKEN, {"action": "create"})
    key = Token.objects.get(user=user).key
    assert key in client.get(TOKEN).content.decode()
    assert key not in client.get(TOKEN).content.decode()  # shown only once


def test_rotate_replaces_and_revoke_removes_the_token(client, people):
    as_user(client, people.amb)
    client.post(TOKEN, {"action": "create"})
    old = Token.objects.get(user=people.amb).key
    client.post(TOKEN, {"action": "rotate"})
    new = Token.objects.get(user=people.amb).key
    assert new != old
    client.post(TOKEN, {"action": "revoke"})
    assert not Token.objects.filter(user=people.amb).exists()


def test_a_user_only_ever_touches_their_own_token(client, people):
    Token.objects.create(user=people.manager)
    as_user(client, people.amb)
    client.post(TOKEN, {"action": "revoke"})
    assert Token.objects.filter(user=people.manager).exists()


def test_the_new_token_opens_the_api(client, people):
    as_user(client, people.amb)
    client.post(TOKEN, {"action": "create"})
    key = Token.objects.get(user=people.amb).key
    client.logout()
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/mentions/").status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert api.get("/api/v1/mentions/").status_code == 401
