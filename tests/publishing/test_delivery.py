"""Publishing to the mock platforms over HTTP: at the minute, exactly once, with
pictures, and never when cancelled."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from django.utils import timezone

from publishing.models import Post, PostTarget
from publishing.services import (
    metrics_poll,
    post_cancel,
    post_create,
    post_image_store,
    post_target_deliver,
    targets_due,
)

from .conftest import soon

pytestmark = pytest.mark.django_db(transaction=True)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
    b"\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00"
    b"\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def timeline(server, platform: str) -> list[dict]:
    if platform == "weibo":
        body = requests.get(
            f"{server.url}/mock/weibo/2/statuses/user_timeline.json",
            params={"access_token": "t", "count": 100},
            timeout=10,
        ).json()
        return [{**s, "id": s["idstr"]} for s in body["statuses"]]
    if platform == "twitter":
        body = requests.get(
            f"{server.url}/mock/twitter/2/users/17025475/tweets",
            params={"max_results": 100},
            headers={"Authorization": "Bearer t"},
            timeout=10,
        ).json()
        return body.get("data", [])
    body = requests.get(
        f"{server.url}/mock/renren/v2/status/list",
        params={"access_token": "t", "ownerId": "600002246", "pageSize": 100},
        timeout=10,
    ).json()
    return [{**s, "id": str(s["id"]), "text": s["content"]} for s in body["response"]]


def due_now(post: Post) -> None:
    """The post's minute has come (it was scheduled a few minutes ahead)."""
    PostTarget.objects.filter(post=post).update(due_at=timezone.now())


def test_a_post_reaches_each_account_once_at_its_minute(
    mock_platforms, accounts, people
):
    image = post_image_store(uploaded_by=people["expert"], name="a.png", data=PNG)
    post = post_create(
        author=people["expert"],
        account_ids=[a.id for a in accounts.values()],
        text="戴尔 XPS 13 新品发布 #戴尔新品# @戴尔中国",
        per_platform={"twitter": "Meet the new XPS 13 #Dell"},
        scheduled_at=soon(),
        image_id=image.id,
    )
    assert post.status == "scheduled"
    assert targets_due() == []  # not yet its minute
    due_now(post)
    ids = targets_due()
    assert len(ids) == 3
    assert targets_due() == []  # dispatched once, not again while in the queue
    for target_id in ids:
        outcome = post_target_deliver(target_id=target_id)
        assert outcome.result == "published", outcome
        assert post_target_deliver(target_id=target_id).result == "skipped"
    post.refresh_from_db()
    assert post.status == "published"
    for target in post.targets.select_related("account"):
        mine = [
            t
            for t in timeline(mock_platforms, target.account.platform)
            if t["id"] == target.external_id
        ]
        assert len(mine) == 1, (target.account.platform, target.external_id)
        assert mine[0]["text"] == target.text
    weibo = post.targets.get(account__platform="weibo")
    status = [
        s for s in timeline(mock_platforms, "weibo") if s["id"] == weibo.external_id
    ][0]
    picture = requests.get(status["original_pic"], timeout=10)
    assert picture.content == PNG


def test_a_worker_killed_after_the_platform_took_the_post_does_not_post_twice(
    mock_platforms, accounts, people
):
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="戴尔周年庆 只发一次",
        scheduled_at=soon(),
    )
    due_now(post)
    (target_id,) = targets_due()
    target = PostTarget.objects.get(id=target_id)
    # The first worker posted and died before storing the id: the platform has the
    # post, the row is still SENDING with an expired claim.
    requests.post(
        f"{mock_platforms.url}/mock/weibo/2/statuses/update.json",
        data={"access_token": "t", "status": target.text},
        timeout=10,
    ).raise_for_status()
    PostTarget.objects.filter(id=target_id).update(
        status="sending", attempts=1, claimed_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert targets_due(now=timezone.now() + dt.timedelta(minutes=2)) == [target_id]
    outcome = post_target_deliver(target_id=target_id)
    assert outcome.result == "published"
    same = [s for s in timeline(mock_platforms, "weibo") if s["text"] == target.text]
    assert len(same) == 1 and same[0]["id"] == outcome.external_id


def test_a_cancelled_post_is_never_sent(mock_platforms, accounts, people):
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="这条会被取消",
        scheduled_at=soon(),
    )
    post_cancel(post_id=post.id, actor=people["expert"])
    due_now(post)
    assert targets_due() == []
    target = post.targets.get()
    assert post_target_deliver(target_id=target.id).result == "skipped"
    assert not [s for s in timeline(mock_platforms, "weibo") if "取消" in s["text"]]
    post.refresh_from_db()
    assert post.status == "cancelled"


def test_a_refusal_is_a_visible_failure(mock_platforms, accounts, people):
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["renren"].id],
        text="人人网的新状态",
        scheduled_at=soon(),
    )
    due_now(post)
    (target_id,) = targets_due()
    # The account's token is rejected: permanent, no retry.
    from django.conf import settings

    settings.PLATFORM_API["renren"]["token"] = ""
    outcome = post_target_deliver(target_id=target_id)
    assert outcome.result == "failed"
    post.refresh_from_db()
    target = post.targets.get()
    assert post.status == "failed" and "INVALID-TOKEN" in target.error


def test_metrics_and_followers_are_polled_in_batches(mock_platforms, accounts, people):
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id, accounts["twitter"].id],
        text="戴尔新品",
        per_platform={"twitter": "New from Dell"},
        scheduled_at=soon(),
    )
    due_now(post)
    for target_id in targets_due():
        post_target_deliver(target_id=target_id)
    PostTarget.objects.update(metrics_next_at=timezone.now())
    report = metrics_poll()
    assert report.posts == 2, report
    # One followers call per account, one counters call per platform.
    assert report.calls["weibo"] == 2 and report.calls["twitter"] == 2
    target = post.targets.get(account__platform="twitter")
    assert target.snapshots.count() == 1 and target.reach is not None
    accounts["weibo"].refresh_from_db()
    assert accounts["weibo"].followers_count > 0
