"""Shares of the brand's posts reach the (mock) platforms once, in each platform's
wire shape; points add up on the leaderboard; one share per post per person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ambassadors.advocacy.points import leaderboard, points_record
from ambassadors.advocacy.shares import (
    SHARE_LEASE_SECONDS,
    share_create,
    share_deliver,
    share_pick_create,
    shares_to_redeliver,
)
from ambassadors.errors import Conflict, Invalid, NotAllowed
from ambassadors.models import PlatformHandle, PointEvent, Share, SharePick, Team
from listening.models import Author, Mention, Source
from mockfeeds.models import MockPost
from mockfeeds.services import mock_scenario_update
from tests.ambassadors.conftest import api, person

pytestmark = pytest.mark.django_db(transaction=True)

BRAND = {"weibo": "1642909335", "twitter": "17025475", "renren": "600002246"}


class WorkerDied(BaseException):
    """Stands for SIGKILL: nothing on the way catches it."""


@pytest.fixture
def mock(live_server, settings):
    settings.PLATFORM_API = {
        "weibo": {"base": f"{live_server.url}/mock/weibo/2", "token": "t"},
        "twitter": {"base": f"{live_server.url}/mock/twitter/2", "token": "t"},
        "renren": {"base": f"{live_server.url}/mock/renren/v2", "token": "t"},
    }
    mock_scenario_update(
        payload={
            "reset": ["weibo", "twitter", "renren"],
            "seed": 9,
            "backlog": {"weibo": 5, "twitter": 5, "renren": 5},
        }
    )
    return live_server


def brand_post(platform: str) -> Mention:
    """A post of the mock platform, stored by listening as the brand's own."""
    Source.objects.get_or_create(
        platform=platform,
        kind="mentions",
        query=BRAND[platform],
        defaults={"name": "x"},
    )
    original = (
        MockPost.objects.filter(
            platform=platform, kind="status", is_deleted=False, repost_of__isnull=True
        )
        .order_by("ext_id")
        .first()
    )
    author, _ = Author.objects.get_or_create(
        platform=platform, external_id=BRAND[platform]
    )
    if platform == "renren":
        # Renren's share names the status's owner: the mock's author of the post.
        from mockfeeds.models import MockAuthor

        owner = MockAuthor.objects.get(pk=original.author_id)
        author, _ = Author.objects.get_or_create(
            platform=platform, external_id=str(owner.ext_id)
        )
        Source.objects.get_or_create(
            platform=platform,
            kind="mentions",
            query=str(owner.ext_id),
            defaults={"name": "y"},
        )
    return Mention.objects.create(
        platform=platform,
        external_id=str(original.ext_id),
        author=author,
        text=original.text,
        created_at=timezone.now(),
    )


def shares_in_mock(platform: str, mention: Mention) -> list[MockPost]:
    return list(
        MockPost.objects.filter(
            platform=platform, repost_of_id=int(mention.external_id), is_received=True
        )
    )


@pytest.mark.parametrize("platform", ["weibo", "twitter", "renren"])
def test_a_share_reaches_the_platform_once(mock, platform):
    manager = person("boss", role="manager")
    amb = person("fan", level=1, handles={platform: "fan_handle"})
    post = brand_post(platform)
    pick = share_pick_create(mention_id=post.pk, comment="推荐新品", actor=manager)
    share = share_create(user=amb, pick_id=pick.pk)
    assert (
        share.kind
        == {"weibo": "repost", "twitter": "quote", "renren": "share"}[platform]
    )
    assert share_deliver(share_id=share.pk).result == "sent"
    share.refresh_from_db()
    assert share.status == "sent"
    assert share.external_id
    copies = shares_in_mock(platform, post)
    assert len(copies) == 1
    assert "—戴尔员工 fan" in copies[0].text
    assert share_deliver(share_id=share.pk).result == "skipped"
    assert len(shares_in_mock(platform, post)) == 1
    assert PointEvent.objects.filter(user=amb, kind="share").count() == 1


def test_a_retweet_without_comment_names_the_account(mock):
    manager = person("boss", role="manager")
    amb = person("rt", level=1, handles={"twitter": "rt_handle"})
    PlatformHandle.objects.filter(profile__user=amb).update(platform_user_id="17025475")
    post = brand_post("twitter")
    pick = share_pick_create(mention_id=post.pk, comment="", actor=manager)
    amb.profile.disclosure_signature = ""
    amb.profile.save(update_fields=["disclosure_signature"])
    share = share_create(user=amb, pick_id=pick.pk, comment="")
    assert share.kind == "retweet"
    assert share_deliver(share_id=share.pk).result == "sent"
    assert share_deliver(share_id=share.pk).result == "skipped"
    retweets = [p for p in shares_in_mock("twitter", post) if p.text.startswith("RT @")]
    assert len(retweets) == 1


def test_a_worker_killed_after_the_platform_accepted_shares_once(mock, monkeypatch):
    from ambassadors.advocacy import shares as module

    manager = person("boss", role="manager")
    amb = person("fan", level=1, handles={"weibo": "fan_wb"})
    post = brand_post("weibo")
    pick = share_pick_create(mention_id=post.pk, comment="好消息", actor=manager)
    share = share_create(user=amb, pick_id=pick.pk)
    real_post = module.share_post

    def post_then_die(**kwargs):
        real_post(**kwargs)
        raise WorkerDied

    monkeypatch.setattr(module, "share_post", post_then_die)
    with pytest.raises(WorkerDied):
        share_deliver(share_id=share.pk)
    monkeypatch.setattr(module, "share_post", real_post)
    share.refresh_from_db()
    assert share.status == "sending"
    assert len(shares_in_mock("weibo", post)) == 1
    assert share_deliver(share_id=share.pk).result == "busy"
    later = timezone.now() + dt.timedelta(seconds=SHARE_LEASE_SECONDS + 1)
    assert share.pk in shares_to_redeliver(now=later)
    assert share_deliver(share_id=share.pk, now=later).result == "sent"
    share.refresh_from_db()
    assert share.status == "sent"
    assert share.external_id
    assert len(shares_in_mock("weibo", post)) == 1


def test_one_share_per_post_per_person_and_only_from_an_approved_handle(mock):
    manager = person("boss", role="manager")
    amb = person("fan", level=1, handles={"weibo": "fan_wb"})
    post = brand_post("weibo")
    pick = share_pick_create(mention_id=post.pk, comment="好", actor=manager)
    share_create(user=amb, pick_id=pick.pk)
    with pytest.raises(Conflict):
        share_create(user=amb, pick_id=pick.pk)
    other = person("other", level=1, handles={"weibo": "o_wb"})
    PlatformHandle.objects.filter(profile__user=other).update(status="pending")
    with pytest.raises(NotAllowed) as refused:
        share_create(user=other, pick_id=pick.pk)
    assert refused.value.code == "no_handle"
    assert Share.objects.count() == 1


def test_only_the_brands_own_posts_are_picked(mock):
    manager = person("boss", role="manager")
    stranger = Author.objects.create(platform="weibo", external_id="42")
    post = Mention.objects.create(
        platform="weibo",
        external_id="1",
        author=stranger,
        text="x",
        created_at=timezone.now(),
    )
    with pytest.raises(Invalid):
        share_pick_create(mention_id=post.pk, comment="", actor=manager)
    with pytest.raises(NotAllowed):
        share_pick_create(
            mention_id=brand_post("weibo").pk, comment="", actor=person("amb", level=1)
        )
    assert SharePick.objects.count() == 0


def test_the_leaderboard_per_week_month_all_time_and_team(db):
    sales = Team.objects.create(slug="sales", name="Sales")
    care = Team.objects.create(slug="care", name="Care")
    a = person("a", team=sales)
    b = person("b", team=care)
    now = timezone.now()
    long_ago = now - dt.timedelta(days=400)
    points_record(user_id=a.pk, kind="reply_sent", key="r1", occurred_at=now)
    points_record(user_id=b.pk, kind="share", key="s1", occurred_at=now)
    points_record(user_id=b.pk, kind="course_passed", key="c1", occurred_at=long_ago)
    # A repeated report counts once.
    assert points_record(user_id=a.pk, kind="reply_sent", key="r1") is False
    week = leaderboard(period="week", now=now)
    assert [(s.username, s.points) for s in week] == [("a", 10), ("b", 5)]
    everything = leaderboard(period="all", now=now)
    assert [(s.username, s.points) for s in everything] == [("b", 25), ("a", 10)]
    assert [
        s.username for s in leaderboard(period="week", team_id=care.pk, now=now)
    ] == ["b"]
    body = api(a).get("/api/v1/ambassadors/leaderboard/?period=all").json()
    assert [r["username"] for r in body["results"]] == ["b", "a"]
    bad = api(a).get("/api/v1/ambassadors/leaderboard/?period=year")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_period"
