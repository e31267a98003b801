"""/api/v1/posts/: accounts, compose, approve, cancel, metrics; errors as
{"code", "message"}; everything in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from publishing.models import MetricSnapshot, PostTarget
from tests.tokens import api_token_create

from .conftest import make_campaign, make_person, soon

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)}")
    return client


def test_accounts_and_a_post_through_the_api(accounts, people):
    client = api(people["trainee"])
    listed = client.get("/api/v1/posts/accounts/").json()
    assert {a["platform"] for a in listed} == {"weibo", "twitter", "renren"}
    assert set(listed[0]) >= {"id", "platform", "name"}
    campaign = make_campaign(platform="weibo", value="50")
    answer = client.post(
        "/api/v1/posts/",
        {
            "accounts": [accounts["weibo"].id],
            "text": "API 发的 {code}",
            "scheduled_at": soon(30).isoformat(),
            "campaign": campaign.id,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["status"] == "pending_approval" and body["accounts"] == [
        accounts["weibo"].id
    ]
    assert body["coupon_code"] in body["targets"][0]["text"]
    assert body["targets"][0]["external_id"] == ""
    post_id = body["id"]
    refused = client.post(f"/api/v1/posts/{post_id}/approve/")
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"
    approved = api(people["manager"]).post(f"/api/v1/posts/{post_id}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "scheduled"
    again = api(people["manager"]).post(f"/api/v1/posts/{post_id}/approve/")
    assert again.status_code == 409
    cancelled = client.post(f"/api/v1/posts/{post_id}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert [p["id"] for p in client.get("/api/v1/posts/").json()["results"]] == [
        post_id
    ]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"accounts": [], "text": "x"}, "invalid"),
        (
            {"accounts": [999], "text": "x", "scheduled_at": "2030-01-01T09:00"},
            "invalid_accounts",
        ),
        ({"accounts": ["A"], "text": "x"}, "invalid"),
        ({"text": "x"}, "invalid"),
        ({"ACCOUNTS": 1}, "invalid"),
    ],
)
def test_bad_bodies_get_a_clear_400(accounts, people, body, code):
    answer = api(people["expert"]).post("/api/v1/posts/", body, format="json")
    assert answer.status_code == 400 and answer.json()["code"] == code


def test_the_past_and_overlong_texts_are_refused_and_nothing_is_made(accounts, people):
    client = api(people["expert"])
    past = client.post(
        "/api/v1/posts/",
        {
            "accounts": [accounts["weibo"].id],
            "text": "x",
            "scheduled_at": "2001-01-01T09:00",
        },
        format="json",
    )
    assert past.status_code == 400 and past.json()["code"] == "schedule_in_past"
    long = client.post(
        "/api/v1/posts/",
        {
            "accounts": [accounts["weibo"].id],
            "text": "长" * 141,
            "scheduled_at": soon().isoformat(),
        },
        format="json",
    )
    assert long.status_code == 400 and long.json()["code"] == "policy_violation"
    assert long.json()["details"][0]["length"] == 282
    assert client.get("/api/v1/posts/").json()["results"] == []


def test_metrics_of_a_post(accounts, people):
    client = api(people["expert"])
    post_id = client.post(
        "/api/v1/posts/",
        {
            "accounts": [accounts["twitter"].id],
            "text": "metrics",
            "scheduled_at": soon().isoformat(),
        },
        format="json",
    ).json()["id"]
    target = PostTarget.objects.get(post_id=post_id)
    now = timezone.now()
    PostTarget.objects.filter(id=target.id).update(
        status="published", external_id="1", published_at=now, likes=7, reach=900
    )
    MetricSnapshot.objects.create(
        target=target, taken_at=now, comments=1, reposts=2, likes=7, reach=900
    )
    rows = client.get(f"/api/v1/posts/{post_id}/metrics/").json()
    assert rows[0]["likes"] == 7 and rows[0]["reach"] == 900
    assert rows[0]["snapshots"][0]["reposts"] == 2
    stranger = make_person("nosy")
    assert api(stranger).get(f"/api/v1/posts/{post_id}/metrics/").status_code == 404
    assert api(stranger).post(f"/api/v1/posts/{post_id}/cancel/").status_code == 404
    assert APIClient().get("/api/v1/posts/").status_code == 401


def test_the_schema_documents_the_endpoints_and_their_errors(client, people):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/posts/accounts/",
        "/api/v1/posts/",
        "/api/v1/posts/{id}/approve/",
        "/api/v1/posts/{id}/cancel/",
        "/api/v1/posts/{id}/metrics/",
    ):
        assert path in paths, path
    assert {"400", "401", "403", "404"} <= set(
        paths["/api/v1/posts/"]["post"]["responses"]
    )
    assert "409" in paths["/api/v1/posts/{id}/approve/"]["post"]["responses"]
