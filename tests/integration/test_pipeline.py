"""The listening pipeline with every component really started: gunicorn serving the
mock platforms, a Celery worker and beat on Redis, PostgreSQL."""

import pytest
import requests

from listening.models import Mention, Source
from mockfeeds.models import MockPost
from mockfeeds.wire import RENREN_FEED_OFFSET
from tests.integration.stack import Stack, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BRAND_IDS = {"weibo": "1642909335", "twitter": "17025475", "renren": "600002246"}


def control(stack: Stack, payload: dict) -> dict:
    response = requests.post(
        f"{stack.base_url}/mock/_control", json=payload, timeout=120
    )
    assert response.ok, response.text
    return response.json()


def expected_ids(platform: str) -> set[str]:
    """What the mock serves on the brand account's mentions stream (on Renren, which
    has no mentions timeline, the brand's news feed: every status, as feed items)."""
    statuses = MockPost.objects.filter(
        platform=platform, kind="status", is_deleted=False
    )
    if platform == "renren":
        ids = statuses.values_list("ext_id", flat=True)
        return {str(pk + RENREN_FEED_OFFSET) for pk in ids}
    ids = statuses.filter(mentions_brand=True).values_list("ext_id", flat=True)
    return {str(pk) for pk in ids}


def stored_ids(platform: str) -> list[str]:
    return list(
        Mention.objects.filter(platform=platform).values_list("external_id", flat=True)
    )


def listen_to_mentions(*platforms: str, interval: int = 2) -> None:
    for platform in platforms:
        Source.objects.create(
            name=f"{platform} mentions",
            platform=platform,
            kind="mentions",
            query=BRAND_IDS[platform],
            poll_interval=interval,
        )


def seed(stack: Stack, backlog: dict[str, int]) -> None:
    # No new posts while we count: a fixed backlog, every item mentioning the brand.
    control(stack, {"reset": list(backlog), "seed": 7, "rate": 0})
    control(stack, {"backlog": backlog, "all_mentions": True, "seed": 7})


def test_worker_and_beat_pull_all_three_platforms_into_postgres(stack):
    seed(stack, {"weibo": 400, "twitter": 400, "renren": 400})
    listen_to_mentions("weibo", "twitter", "renren")
    stack.start_worker()
    stack.start_beat()
    for platform in ("weibo", "twitter", "renren"):
        expected = expected_ids(platform)
        assert len(expected) >= 350, platform
        wait_for(
            lambda p=platform, e=expected: set(stored_ids(p)) >= e,
            timeout=120,
            what=f"every {platform} mention",
        )
        stored = stored_ids(platform)
        assert len(stored) == len(set(stored)) == len(expected)
    # The analysis stage ran on them (through the nlp queue, by the same worker).
    wait_for(
        lambda: not Mention.objects.filter(analyzed_at__isnull=True).exists(),
        timeout=120,
        what="analysis of every mention",
    )
    for source in Source.objects.all():
        assert source.consecutive_failures == 0, source.last_error
        newest = max(expected_ids(source.platform), key=int)
        assert source.cursor == {"since_id": newest}


def test_killing_the_worker_mid_batch_loses_and_duplicates_nothing(stack):
    total = 12_000
    seed(stack, {"weibo": total})
    expected = expected_ids("weibo")
    assert len(expected) >= total * 0.9
    listen_to_mentions("weibo")
    stack.start_beat()
    first = stack.start_worker("worker-a")
    # Let it get well into the backlog, then pull the plug (kill -9, all processes).
    wait_for(
        lambda: Mention.objects.count() >= 1_500, timeout=120, what="the first pages"
    )
    Stack.kill(first)
    at_kill = Mention.objects.count()
    assert at_kill < len(expected), "the worker finished before it could be killed"
    stack.start_worker("worker-b")
    wait_for(
        lambda: Mention.objects.filter(platform="weibo").count() >= len(expected),
        timeout=240,
        what="the new worker to finish the backlog",
    )
    stored = stored_ids("weibo")
    assert len(stored) == len(set(stored))
    assert set(stored) == expected
    source = Source.objects.get()
    assert source.cursor == {"since_id": max(expected, key=int)}
    wait_for(
        lambda: not Mention.objects.filter(analyzed_at__isnull=True).exists(),
        timeout=240,
        what="analysis of every mention",
    )


def test_a_rate_limited_platform_is_waited_out_then_read(stack):
    seed(stack, {"twitter": 150})
    control(
        stack,
        {"window_seconds": {"twitter": 4}, "faults": {"twitter": {"rate_limit": 1}}},
    )
    listen_to_mentions("twitter", interval=1)
    stack.start_worker()
    stack.start_beat()
    source = wait_for(
        lambda: (
            Source.objects.filter(rate_limited_until__isnull=False).first()
            or Source.objects.filter(consecutive_failures__gt=0).first()
        ),
        timeout=60,
        what="the rate limit to be recorded",
    )
    assert "429" in source.last_error or "Too Many" in source.last_error
    expected = expected_ids("twitter")
    wait_for(
        lambda: set(stored_ids("twitter")) >= expected,
        timeout=120,
        what="the mentions after the reset",
    )
    source.refresh_from_db()
    assert source.consecutive_failures == 0
