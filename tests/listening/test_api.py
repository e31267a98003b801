import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ambassadors.services import user_create
from listening.models import Mention
from listening.services import mentions_store
from tests.listening.factories import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    user = user_create(username="crm", password="pw-123456789", role="manager")
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}"
    )
    return client


def test_mentions_need_authentication():
    response = APIClient().get("/api/v1/mentions/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_mentions_are_listed_newest_first_with_their_author(api):
    mentions_store(posts=[make_post(1), make_post(2)])
    body = api.get("/api/v1/mentions/").json()
    assert [m["external_id"] for m in body["results"]] == ["2", "1"]
    assert body["results"][0]["author"]["screen_name"] == "user1001"


def test_since_id_pulls_only_what_arrived_after(api):
    mentions_store(posts=[make_post(1)])
    first = Mention.objects.get().id
    mentions_store(posts=[make_post(2)])
    body = api.get("/api/v1/mentions/", {"since_id": first}).json()
    assert [m["external_id"] for m in body["results"]] == ["2"]


def test_an_invalid_filter_is_a_clear_error(api):
    response = api.get("/api/v1/mentions/", {"platform": "myspace"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
