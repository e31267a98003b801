"""The listening room's API and pages: filters, scope by role, exports, escaping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ambassadors.models import Team
from ambassadors.services import user_create
from engagement.models import RoutingRule
from listening.models import Author, Brand, Mention
from listening.services.rollups import rollups_apply

pytestmark = pytest.mark.django_db
HOSTILE = '<img src=x onerror="alert(1)">'


def _client(username, role):
    user = user_create(username=username, password="pw-123456789", role=role)
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}"
    )
    return user, client


@pytest.fixture
def data():
    Brand.objects.create(slug="dell", name="戴尔", kind="own")
    Brand.objects.create(slug="lenovo", name="联想", kind="competitor")
    author = Author.objects.create(
        platform="weibo", external_id="9", screen_name=HOSTILE, followers_count=90_000
    )
    now = timezone.now()
    rows = []
    for i, (brand, sentiment) in enumerate(
        [("dell", "negative"), ("dell", "positive"), ("lenovo", "neutral")]
    ):
        rows.append(
            Mention.objects.create(
                platform="weibo",
                external_id=str(i),
                author=author,
                text=f"{HOSTILE} {i}",
                created_at=now - dt.timedelta(hours=2, minutes=i),
                brands=[brand],
                keywords=["=HYPERLINK(1)", "<b>词</b>"],
                sentiment_label=sentiment,
                intent="complaint",
                language="zh",
                analyzed_at=now,
            ).id
        )
    rollups_apply(mention_ids=rows)
    return rows


def test_volume_series_counts_each_mention_once(data):
    _, client = _client("mgr", "manager")
    body = client.get("/api/v1/listening/volume/", {"range": "24h"}).json()
    assert body["interval"] == "hour"
    assert sum(p["mentions"] for s in body["series"] for p in s["points"]) == 3
    body = client.get("/api/v1/listening/volume/", {"group_by": "brand"}).json()
    totals = {s["key"]: s["total"] for s in body["series"]}
    assert totals == {"dell": 2, "lenovo": 1}


def test_share_of_voice_puts_the_brand_against_its_competitors(data):
    _, client = _client("mgr", "manager")
    brands = client.get("/api/v1/listening/share-of-voice/").json()["brands"]
    assert [(b["brand"], b["kind"], b["mentions"]) for b in brands] == [
        ("dell", "own", 2),
        ("lenovo", "competitor", 1),
    ]
    assert brands[0]["sentiment"]["negative"] == 0.5


def test_the_intent_mix_names_each_intent_in_the_readers_language(data):
    _, client = _client("mgr", "manager")
    body = client.get("/api/v1/listening/intents/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [(i["intent"], i["label"], i["mentions"]) for i in body["results"]] == [
        ("complaint", "Complaint", 3)
    ]


def test_a_bad_filter_is_a_clear_400(data):
    _, client = _client("mgr", "manager")
    response = client.get("/api/v1/listening/volume/", {"range": "forever"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    response = client.get("/api/v1/listening/volume/", {"start": "yesterday-ish"})
    assert response.status_code == 400


def test_a_shop_token_sees_none_of_the_room(data):
    shop, client = _client("shop1", "ambassador")
    shop.profile.delete()
    shop.groups.add(Group.objects.get_or_create(name="shop")[0])
    for panel in ("volume", "keywords", "spikes", "alert-rules"):
        assert client.get(f"/api/v1/listening/{panel}/").status_code == 403


def test_an_ambassador_sees_only_their_teams_brands(data):
    team = Team.objects.create(slug="pc", name="PC")
    RoutingRule.objects.create(name="dell to pc", brands=["dell"], set_team=team)
    user, client = _client("amb", "ambassador")
    user.profile.team = team
    user.profile.save()
    brands = client.get("/api/v1/listening/share-of-voice/").json()["brands"]
    assert [b["brand"] for b in brands] == ["dell"]
    assert (
        client.get("/api/v1/listening/volume/", {"brand": "lenovo"}).status_code == 400
    )
    assert client.post("/api/v1/listening/alert-rules/", {}).status_code == 403


def test_exports_are_formula_safe(data):
    _, client = _client("mgr", "manager")
    response = client.get("/api/v1/listening/keywords/", {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    response = client.get("/api/v1/listening/influencers/", {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_alert_rules_are_made_through_the_api(data):
    user, client = _client("mgr", "manager")
    response = client.post(
        "/api/v1/listening/alert-rules/",
        {"name": "起火", "kind": "term", "subject": "起火", "user_ids": [user.id]},
        format="json",
    )
    assert response.status_code == 201, response.content
    rules = client.get("/api/v1/listening/alert-rules/").json()["results"]
    assert [r["subject"] for r in rules] == ["起火"]
    response = client.post(
        "/api/v1/listening/alert-rules/",
        {"name": "量", "kind": "volume"},
        format="json",
    )
    assert response.status_code == 400
    assert "threshold" in response.json()["details"]
    assert len(client.get("/api/v1/listening/alert-rules/").json()["results"]) == 1


def test_hostile_text_is_escaped_in_panels_and_the_mention_list(data, client):
    user_create(username="mgr", password="pw-123456789", role="manager")
    client.login(username="mgr", password="pw-123456789")
    for name in ("influencers", "keywords", "intents", "volume"):
        body = client.get(
            f"/listening/panels/{name}/", {"range": "24h"}
        ).content.decode()
        assert "<img src=x" not in body
        assert "<b>词</b>" not in body
    body = client.get("/listening/mentions/", {"range": "24h", "brand": "dell"})
    text = body.content.decode()
    assert text.count("&lt;img src=x") >= 2
    assert "<img src=x" not in text
    room = client.get("/listening/", {"range": "7d", "platform": "weibo"})
    assert room.status_code == 200
    assert "panels/volume/?range=7d&amp;platform=weibo" in room.content.decode()


def test_the_wall_takes_a_wall_token_instead_of_a_login(data, client):
    from listening.models import WallToken

    assert client.get("/listening/wall/").status_code == 302
    WallToken.objects.create(name="lobby", key="wall-key-1")
    response = client.get("/listening/wall/", {"t": "wall-key-1"})
    assert response.status_code == 200
    assert 'hx-trigger="every 30s"' in response.content.decode()
    assert client.get("/listening/wall/", {"t": "wrong"}).status_code == 302


def test_the_intent_panels_top_posts_come_from_the_rollup_and_follow_filters(data):
    _, client = _client("mgr", "manager")
    body = client.get("/api/v1/listening/intents/", {"range": "24h"}).json()
    [complaint] = body["results"]
    assert sorted(p["id"] for p in complaint["top"]) == sorted(data)
    body = client.get(
        "/api/v1/listening/intents/", {"range": "24h", "sentiment": "negative"}
    ).json()
    assert [p["id"] for p in body["results"][0]["top"]] == [data[0]]
    body = client.get(
        "/api/v1/listening/intents/", {"range": "24h", "language": "zh"}
    ).json()  # no language in the rollup: read from the mentions
    assert len(body["results"][0]["top"]) == 3
    body = client.get("/api/v1/listening/intents/", {"range": "1h"}).json()
    assert body["results"] == []


def test_the_room_explains_its_spikes_in_chinese_escaped(data, client):
    from listening.models import Spike

    now = timezone.now()
    spike = Spike.objects.create(
        kind="keyword",
        subject="蓝屏",
        started_at=now - dt.timedelta(hours=2),
        peak_at=now - dt.timedelta(hours=1),
        last_checked_at=now,
        volume=120,
        baseline=4.0,
        score=9.5,
        negative_share=0.8,
        baseline_negative_share=0.2,
        explanation={
            "keywords": [{"keyword": "蓝屏", "count": 90, "baseline": 1.0}]
            + [{"keyword": HOSTILE, "count": 5, "baseline": 0}],
            "platforms": {"weibo": 120},
            "top_posts": [{"id": data[0], "platform": "weibo", "text": HOSTILE}],
            "top_authors": [{"screen_name": HOSTILE, "followers": 9, "mentions": 3}],
        },
    )
    user_create(username="mgr", password="pw-123456789", role="manager")
    client.login(username="mgr", password="pw-123456789")
    body = client.get("/listening/", {"range": "24h", "spike": spike.id}).content
    text = body.decode()
    assert f'id="spike-{spike.id}"' in text
    assert "蓝屏" in text and "20% → 80%" in text
    assert "<img src=x" not in text
    assert client.get("/listening/", {"spike": "x"}).status_code == 200


def test_the_rooms_records_are_in_the_admin(data, client):
    from listening.models import WallToken

    user_create(username="root", password="pw-123456789", role="admin")
    get_user_model().objects.filter(username="root").update(
        is_staff=True, is_superuser=True
    )
    client.login(username="root", password="pw-123456789")
    for model in ("walltoken", "alertrule", "watchedterm", "spike", "alert"):
        response = client.get(f"/admin/listening/{model}/")
        assert response.status_code == 200, model
    response = client.post(
        "/admin/listening/walltoken/add/", {"name": "大厅", "enabled": "on"}
    )
    assert response.status_code == 302
    token = WallToken.objects.get(name="大厅")
    assert len(token.key) >= 24
    page = client.get(
        "/admin/listening/walltoken/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert f"/listening/wall/?t={token.key}" in page
    assert "大屏令牌" in page and "大屏地址" in page
    from django.apps import apps
    from django.utils import translation

    for language, names in (
        ("en", ["wall tokens", "alert rules", "watched terms", "spikes", "alerts"]),
        ("zh-hans", ["大屏令牌", "预警规则", "关注词", "峰值", "预警"]),
    ):
        with translation.override(language):
            assert [
                str(apps.get_model("listening", m)._meta.verbose_name_plural)
                for m in ("WallToken", "AlertRule", "WatchedTerm", "Spike", "Alert")
            ] == names
