import pytest

from ambassadors.demo import demo_seed as seed_people
from engagement.models import (
    CannedResponse,
    Case,
    PolicyRule,
    ReplyStatus,
    RoutingRule,
    SlaPolicy,
)
from engagement.services import demo_seed, mentions_route, reply_create
from tests.engagement.factories import MONDAY_10AM, make_mention

pytestmark = pytest.mark.django_db


def seed():
    """What the lead's seed_demo runs for people and engagement."""
    seed_people(password="demo-pass-2010")
    demo_seed()


def counts():
    return (
        CannedResponse.objects.count(),
        SlaPolicy.objects.count(),
        PolicyRule.objects.count(),
        RoutingRule.objects.count(),
    )


def test_the_demo_seed_is_idempotent_and_complete():
    seed()
    first = counts()
    seed()
    assert counts() == first
    assert set(CannedResponse.objects.values_list("language", flat=True)) == {
        "zh",
        "en",
    }
    assert SlaPolicy.objects.count() == 4
    kinds = set(PolicyRule.objects.values_list("kind", flat=True))
    assert kinds >= {"banned_word", "phone_number", "order_number", "price_promise"}
    assert RoutingRule.objects.filter(set_team__isnull=False).exists()


def test_the_demo_routes_and_replies_end_to_end():

    seed()
    complaint = make_mention(
        text="戴尔XPS屏幕坏了，太失望",
        sentiment="negative",
        intent="complaint",
        products=["xps"],
        priority=70.0,
    )
    mentions_route(mention_ids=[complaint.id], now=MONDAY_10AM)
    case = Case.objects.get()
    assert case.team.slug == "support"
    assert {label.name for label in case.labels.all()} == {"complaint"}
    assert case.assignee.username in {"ambassador1", "ambassador2"}
    reply = reply_create(
        case_id=case.pk, text="很抱歉，请私信我们", actor=case.assignee
    )
    assert reply.status == ReplyStatus.QUEUED
    assert reply.text.endswith(case.assignee.profile.disclosure_signature)
