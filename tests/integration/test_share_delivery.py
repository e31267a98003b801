"""Shares delivered to the mock platform by a real worker, exactly once, even when
the worker is killed after the platform accepted the repost."""

import pytest
import requests
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ambassadors.demo import demo_seed as people_seed
from ambassadors.models import Share, SharePick
from listening.models import Author, Mention, Source
from mockfeeds.models import MockPost
from tests.integration.stack import Stack, wait_for
from tests.integration.test_pipeline import control, seed

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BRAND = "1642909335"


def reposts_of(original: int) -> list[MockPost]:
    return list(
        MockPost.objects.filter(
            platform="weibo", repost_of_id=original, is_received=True
        )
    )


def test_a_share_reaches_the_platform_once_across_a_killed_worker(stack):
    people_seed(password="demo-pass-123")
    seed(stack, {"weibo": 5})
    Source.objects.create(
        name="@戴尔中国", platform="weibo", kind="mentions", query=BRAND, enabled=False
    )
    original = (
        MockPost.objects.filter(
            platform="weibo", kind="status", is_deleted=False, repost_of__isnull=True
        )
        .order_by("ext_id")
        .first()
    )
    brand, _ = Author.objects.get_or_create(platform="weibo", external_id=BRAND)
    post = Mention.objects.create(
        platform="weibo",
        external_id=str(original.ext_id),
        author=brand,
        text=original.text,
        created_at=timezone.now(),
    )
    manager = get_user_model().objects.get(username="manager")
    pick = SharePick.objects.create(
        mention=post, comment="新品上市！", picked_by=manager
    )
    # The demo's Enthusiast, with an approved Weibo handle.
    enthusiast = get_user_model().objects.get(username="ambassador4")
    token = Token.objects.create(user=enthusiast).key
    worker = stack.start_worker("worker-a")
    # The platform takes 8 s to answer the next request: the worker dies while it
    # waits, after the platform has the repost in hand.
    control(stack, {"faults": {"weibo": {"slow": {"count": 1, "seconds": 8}}}})
    response = requests.post(
        f"{stack.base_url}/api/v1/ambassadors/shares/",
        json={"pick": pick.pk},
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    share_id = response.json()["id"]
    wait_for(
        lambda: Share.objects.filter(id=share_id, status="sending").exists(),
        timeout=60,
        what="the worker to start sharing",
    )
    # The platform has taken the slow request (its fault is used up): the repost
    # is in its hands when the worker dies.
    wait_for(
        lambda: (
            requests.get(f"{stack.base_url}/mock/_control", timeout=10).json()[
                "platforms"
            ]["weibo"]["faults"]["slow"]
            == 0
        ),
        timeout=60,
        what="the platform to receive the repost",
    )
    Stack.kill(worker)
    wait_for(
        lambda: reposts_of(original.ext_id),
        timeout=30,
        what="the platform to accept the repost",
    )
    stack.start_worker("worker-b")
    share = wait_for(
        lambda: Share.objects.filter(id=share_id, status="sent").first(),
        timeout=150,
        what="the new worker to settle the share",
    )
    assert share.external_id
    assert len(reposts_of(original.ext_id)) == 1
    # A second request for the same post is refused: one share per post per person.
    again = requests.post(
        f"{stack.base_url}/api/v1/ambassadors/shares/",
        json={"pick": pick.pk},
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    assert again.status_code == 409
    assert again.json()["code"] == "already_shared"
    api = requests.get(
        f"{stack.base_url}/api/v1/ambassadors/shares/{share_id}/",
        headers={"Authorization": f"Token {token}"},
        timeout=10,
    ).json()
    assert api["status"] == "sent"
    assert api["external_id"] == share.external_id
