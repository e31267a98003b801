"""Mentions follow the reach of cases (issue 11, item 4): a shop token reads none, an
ambassador only the mentions of cases they see, managers and admins all."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ambassadors.models import Role
from engagement.models import Case
from engagement.services.routing import mentions_route
from integrations.tokens import shop_user_create
from tests.engagement.conftest import MONDAY_10AM, make_mention, make_person, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    support = make_team("support")
    other = make_team("other", default=False)
    mine = make_person("amb_mine", team=support)
    stranger = make_person("amb_other", team=other)
    manager = make_person("boss", role=Role.MANAGER)
    m1 = make_mention(author="fan1", text="戴尔 屏幕 坏了")
    m2 = make_mention(author="fan2", text="戴尔 键盘 问题")
    m3 = make_mention(author="fan3", text="没有案子的提及")  # never routed
    mentions_route(mention_ids=[m1.id, m2.id], now=MONDAY_10AM)
    for mention, person, team in ((m1, mine, support), (m2, stranger, other)):
        Case.objects.filter(links__mention=mention).update(assignee=person, team=team)
    return {"mine": mine, "manager": manager, "mentions": (m1, m2, m3)}


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def listed(client) -> set[int]:
    response = client.get("/api/v1/mentions/")
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_a_shop_token_reads_no_mention(world):
    shop, token = shop_user_create(username="shop1")
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/mentions/")
    # Its token holds coupons:redeem only, so the mentions API refuses it outright.
    assert response.status_code == 403
    m1 = world["mentions"][0]
    assert client.get(f"/api/v1/mentions/{m1.id}/").status_code == 403


def test_an_ambassador_reads_only_the_mentions_of_cases_they_see(world):
    m1, m2, m3 = world["mentions"]
    client = api_as(world["mine"])
    assert listed(client) == {m1.id}
    assert client.get(f"/api/v1/mentions/{m2.id}/").status_code == 404
    assert client.get(f"/api/v1/mentions/{m3.id}/").status_code == 404


def test_managers_read_every_mention(world):
    assert listed(api_as(world["manager"])) == {m.id for m in world["mentions"]}


def test_the_listening_room_shows_an_ambassador_only_their_mentions(client, world):
    m1, m2, m3 = world["mentions"]
    client.force_login(world["mine"])
    page = client.get("/listening/mentions/")
    rows = client.get(reverse("mentions_latest"), {"after": 0})
    # The room may be closed to ambassadors; where it is open, it shows only theirs.
    for response in (page, rows):
        if response.status_code == 403:
            continue
        assert response.status_code == 200
        body = response.content.decode()
        assert m2.text not in body and m3.text not in body
