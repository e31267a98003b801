"""The brand's post goes out at its minute through a real worker and beat, exactly
once, even when the worker is killed after the platform accepted it."""

from __future__ import annotations

import pytest
import requests
from django.utils import timezone

from ambassadors.demo import records_seed
from ambassadors.models import Certification
from ambassadors.services import user_create
from listening.models import Source
from publishing.models import BrandAccount, PostTarget
from publishing.services import brand_accounts_sync, post_create
from tests.integration.stack import Stack, wait_for
from tests.integration.test_pipeline import control

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TEXT = "戴尔 XPS 周年庆今晚八点开始 #戴尔周年庆#"


def timeline(stack: Stack) -> list[dict]:
    body = requests.get(
        f"{stack.base_url}/mock/weibo/2/statuses/user_timeline.json",
        params={"access_token": "t", "count": 100},
        timeout=30,
    ).json()
    return [s for s in body.get("statuses", []) if s["text"] == TEXT]


def test_a_post_reaches_weibo_once_across_a_killed_worker(stack):
    stack.env.update(
        PUBLISHING_LEASE_SECONDS="6",
        PUBLISHING_REDISPATCH_SECONDS="3",
        PUBLISHING_DISPATCH_SECONDS="1",
    )
    control(stack, {"reset": True, "rate": 0})
    Source.objects.create(
        name="weibo mentions", platform="weibo", kind="mentions", query="1642909335"
    )
    brand_accounts_sync()
    Source.objects.update(enabled=False)  # only publishing talks to the platform
    author = user_create(username="expert", password="pw-123456789", role="ambassador")
    records_seed(user=author, level=Certification.EXPERT)
    account = BrandAccount.objects.get(platform="weibo")
    # The platform will take 8 s to answer the next request: the worker dies while
    # it waits, after the platform has the post in hand.
    control(stack, {"faults": {"weibo": {"slow": {"count": 1, "seconds": 8}}}})
    post = post_create(
        author=author,
        account_ids=[account.id],
        text=TEXT,
        scheduled_at=timezone.now(),  # this minute: due at once
    )
    assert post.status == "scheduled"
    # No counters poll while the fault waits (it would take the slow answer).
    BrandAccount.objects.update(enabled=False)
    worker = stack.start_worker("worker-a")
    stack.start_beat()
    target = post.targets.get()
    wait_for(
        lambda: PostTarget.objects.filter(id=target.id, status="sending").exists(),
        timeout=90,
        what="the worker to start publishing",
    )
    Stack.kill(worker)
    wait_for(lambda: timeline(stack), timeout=30, what="the platform to take the post")
    stack.start_worker("worker-b")
    done = wait_for(
        lambda: PostTarget.objects.filter(id=target.id, status="published").first(),
        timeout=120,
        what="the new worker to settle the post",
    )
    published = timeline(stack)
    assert len(published) == 1, published
    assert done.external_id == published[0]["idstr"]
    assert done.attempts >= 2  # the second attempt looked before posting
    post.refresh_from_db()
    assert post.status == "published"
