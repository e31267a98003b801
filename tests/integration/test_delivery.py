"""Replies delivered to the mock platform by a real worker, exactly once, even when
the worker is killed after the platform accepted the post."""

import pytest
import requests
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from ambassadors.demo import demo_seed as people_seed
from ambassadors.services import profile_update
from engagement.models import Case, Reply
from engagement.services import demo_seed as engagement_seed
from listening.models import Source
from tests.integration.stack import Stack, wait_for
from tests.integration.test_pipeline import control, listen_to_mentions, seed

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPLY = "您好，感谢反馈！工程师会在今天联系您处理蓝屏问题。"


def inbox(stack: Stack) -> list[dict]:
    body = requests.get(f"{stack.base_url}/mock/weibo/_inbox", timeout=10).json()
    return body if isinstance(body, list) else body.get("replies", body.get("data", []))


def a_routable_case() -> Case | None:
    return (
        Case.objects.filter(
            platform="weibo",
            status__in=["new", "open"],
            author__followers_count__lt=5000,
        )
        .order_by("id")
        .first()
    )


def test_a_reply_reaches_the_platform_once_across_a_killed_worker(stack):
    people_seed(password="demo-pass-123")
    engagement_seed()
    manager = get_user_model().objects.get(username="manager")
    profile_update(profile=manager.profile, disclosure_signature="—戴尔中国 社区经理")
    token = Token.objects.create(user=manager).key
    seed(stack, {"weibo": 30})
    listen_to_mentions("weibo")
    worker = stack.start_worker("worker-a")
    stack.start_beat()
    case = wait_for(a_routable_case, timeout=120, what="a routed case")
    Source.objects.update(enabled=False)  # only the reply talks to the platform now
    # The platform will take 8 s to answer the next request: the worker dies while
    # it waits, after the platform has the post in hand.
    control(stack, {"faults": {"weibo": {"slow": {"count": 1, "seconds": 8}}}})
    response = requests.post(
        f"{stack.base_url}/api/v1/cases/{case.id}/replies/",
        json={"text": REPLY},
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    assert response.status_code in (200, 201), response.text
    reply_id = response.json()["id"]
    wait_for(
        lambda: Reply.objects.filter(id=reply_id, status="sending").exists(),
        timeout=60,
        what="the worker to start posting",
    )
    Stack.kill(worker)
    # The platform accepts the post after its delay, with nobody left to hear it.
    wait_for(
        lambda: any(REPLY in item.get("text", "") for item in inbox(stack)),
        timeout=30,
        what="the platform to accept the post",
    )
    stack.start_worker("worker-b")
    reply = wait_for(
        lambda: Reply.objects.filter(id=reply_id, status="sent").first(),
        timeout=150,
        what="the new worker to settle the reply",
    )
    assert reply.external_id
    delivered = [item for item in inbox(stack) if REPLY in item.get("text", "")]
    assert len(delivered) == 1, delivered
    api = requests.get(
        f"{stack.base_url}/api/v1/replies/{reply_id}/",
        headers={"Authorization": f"Token {token}"},
        timeout=10,
    ).json()
    assert api["status"] == "sent"
    assert api["external_id"] == reply.external_id
