"""Private messages end to end through the mock platforms served by the live
server: a customer's DM is polled through the adapter, stored as a private
mention, joins that customer's open case, is answered privately, and the answer
reaches the platform once, even when delivery runs again after the platform took it.
"""

from __future__ import annotations

import pytest
import requests
from django.utils import timezone

from engagement.models import Case, Reply, ReplyStatus
from engagement.services import mentions_route, reply_create, reply_deliver
from listening.models import Author, Mention, Source
from listening.selectors import mentions_for_api, mentions_latest
from listening.services.polling import (
    source_lease_acquire,
    source_lease_release,
    source_poll,
)
from mockfeeds.models import MockAuthor
from mockfeeds.services import mock_scenario_update
from tests.engagement.conftest import make_mention, make_person, make_team

pytestmark = [pytest.mark.django_db(transaction=True)]

BRAND = {"weibo": "1642909335", "twitter": "17025475"}
DM_TEXT = {
    "weibo": "你好，我的订单一直没发货，订单号私信给你们了。",
    "twitter": "Hi, my order never shipped. Can you check it here in DM?",
}
PUBLIC_TEXT = {
    "weibo": "戴尔的售后怎么联系？",
    "twitter": "How do I reach Dell support?",
}
ANSWER = {
    "weibo": "您好，已经为您查询，明天发货。",
    "twitter": "Hi! We checked: it ships tomorrow.",
}


@pytest.fixture
def desk(live_server, settings, monkeypatch):
    sent: list = []
    monkeypatch.setattr(
        "dellsocial.celery.app.send_task",
        lambda name, args=None, **kw: sent.append((name, list(args or []))),
    )
    settings.PLATFORM_API = {
        **settings.PLATFORM_API,
        "weibo": {
            **settings.PLATFORM_API["weibo"],
            "base": f"{live_server.url}/mock/weibo/2",
        },
        "twitter": {
            **settings.PLATFORM_API["twitter"],
            "base": f"{live_server.url}/mock/twitter/2",
        },
    }
    team = make_team("support")
    return make_person("xiaowang", team=team)


def _poll(source: Source) -> None:
    assert source_lease_acquire(source_id=source.pk, owner="t")
    source_poll(source_id=source.pk, owner="t")
    source_lease_release(source_id=source.pk, owner="t")


def _inbox(live_server, platform: str) -> list[dict]:
    response = requests.get(f"{live_server.url}/mock/{platform}/_inbox", timeout=10)
    response.raise_for_status()
    return response.json()


@pytest.mark.parametrize("platform", ["weibo", "twitter"])
def test_a_dm_joins_the_customers_case_and_is_answered_privately_once(
    platform, live_server, desk
):
    # 1. A quiet mock (no traffic), and one customer who posted in public first.
    mock_scenario_update(payload={"reset": [platform], "rate": {platform: 0}})
    customer_dm = mock_scenario_update(
        payload={"direct_messages": [{"platform": platform, "text": DM_TEXT[platform]}]}
    )["direct_messages"]
    assert len(customer_dm) == 1
    sender = (
        MockAuthor.objects.filter(platform=platform, pool_index__gt=0)
        .order_by("pool_index")
        .first()
    )
    public = make_mention(
        platform=platform,
        author=str(sender.ext_id),
        text="戴尔的售后怎么联系？"
        if platform == "weibo"
        else "How do I reach Dell support?",
        created_at=timezone.now(),
    )
    mentions_route(mention_ids=[public.pk])
    case = Case.objects.get(links__mention=public)

    # 2. The DM source polls the brand's private messages through the adapter.
    source = Source.objects.create(
        name="DMs",
        platform=platform,
        kind=Source.Kind.DIRECT_MESSAGES,
        query=BRAND[platform],
    )
    _poll(source)
    dm = Mention.objects.get(platform=platform, is_private=True)
    assert dm.text == DM_TEXT[platform]
    assert dm.author.external_id == str(sender.ext_id)
    assert dm.external_id == customer_dm[0]
    _poll(source)  # polling again stores nothing twice
    assert Mention.objects.filter(platform=platform, is_private=True).count() == 1

    # 3. Routed, it joins the customer's open case (one case per customer).
    dm.sentiment_label, dm.intent, dm.analyzed_at = (
        "negative",
        "complaint",
        dm.fetched_at,
    )
    dm.save(update_fields=["sentiment_label", "intent", "analyzed_at"])
    mentions_route(mention_ids=[dm.pk])
    assert Case.objects.get(links__mention=dm).pk == case.pk
    case.refresh_from_db()
    assert case.mention_count == 2

    # 4. Public analytics leave it out by default, even for those who see all.
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("dm_root", "r@example.com", "x")
    assert dm.pk not in {m.pk for m in mentions_latest(user=root)}
    assert not mentions_for_api(user=root).filter(pk=dm.pk).exists()
    assert mentions_for_api(user=root, include_private=True).filter(pk=dm.pk).exists()

    # 5. The answer to the DM is private, and reaches the platform as a DM.
    manager = make_person("boss", role="manager")
    reply = reply_create(
        case_id=case.pk,
        text=ANSWER[platform],
        actor=manager,
        mention_id=dm.pk,
        append_signature=False,
    )
    assert reply.is_private
    outcome = reply_deliver(reply_id=reply.pk)
    assert outcome.result == "sent", outcome
    inbox = _inbox(live_server, platform)
    assert inbox["replies"] == []  # nothing public
    assert [(d["recipient_id"], d["text"]) for d in inbox["direct_messages"]] == [
        (str(sender.ext_id), ANSWER[platform])
    ]

    # 6. A worker that died after the platform took it: delivery runs again and
    #    finds the DM instead of sending a second one.
    Reply.objects.filter(pk=reply.pk).update(status=ReplyStatus.QUEUED, external_id="")
    again = reply_deliver(reply_id=reply.pk)
    assert again.result == "sent", again
    assert len(_inbox(live_server, platform)["direct_messages"]) == 1
    reply.refresh_from_db()
    assert reply.external_id == inbox["direct_messages"][0]["id"]


def test_a_dm_from_someone_without_a_case_opens_a_private_case(live_server, desk):
    mock_scenario_update(payload={"reset": ["twitter"], "rate": {"twitter": 0}})
    mock_scenario_update(
        payload={"direct_messages": [{"platform": "twitter", "text": "Hello?"}]}
    )
    source = Source.objects.create(
        name="DMs", platform="twitter", kind="direct_messages", query=BRAND["twitter"]
    )
    _poll(source)
    dm = Mention.objects.get(is_private=True)
    assert dm.thread_external_id.startswith("dm:")
    mentions_route(mention_ids=[dm.pk])
    case = Case.objects.get(links__mention=dm)
    assert case.thread_key == dm.thread_external_id
    assert Author.objects.filter(pk=case.author_id, platform="twitter").exists()
