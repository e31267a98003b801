import datetime as dt

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

HOUR = dt.timedelta(hours=1)


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


def _backlog(now, *, count, span, offset=dt.timedelta(0)):
    """``count`` customer posts spread over ``span`` before ``now - offset``, all
    routed now (the pollers bring the mock's week of history in at once)."""
    mentions = [
        make_mention(
            author=f"history{offset.seconds}-{i}",
            text="戴尔XPS屏幕坏了，太失望",
            sentiment="negative",
            intent="complaint",
            created_at=now - offset - span * (i + 1) / count,
        )
        for i in range(count)
    ]
    mentions_route(mention_ids=[m.id for m in mentions], now=now)
    return Case.objects.filter(links__mention__in=mentions).distinct()


def test_the_demo_week_of_history_is_answered_mostly_in_time_not_all_breaching(
    settings,
):
    from django.utils import timezone

    from engagement.models import ACTIVE_Q
    from engagement.tasks import route_mentions

    seed()
    now = timezone.now()
    week = _backlog(now, count=300, span=dt.timedelta(days=7), offset=HOUR * 2)
    live = _backlog(now, count=6, span=dt.timedelta(minutes=80), offset=dt.timedelta(0))
    settings.DEMO_HISTORY_SETTLE = True
    # The route task settles the backlog right after routing it.
    route_mentions([make_mention(author="late-fan", created_at=now - HOUR * 30).id])
    assert not week.filter(ACTIVE_Q).exists()  # the history is history
    resolved = week.filter(status="resolved")
    closed = week.filter(status="closed")
    assert resolved.count() + closed.count() == week.count()
    assert 0 < closed.count() < week.count() * 0.15
    late = resolved.filter(first_response_breached=True).count()
    assert 0 < late < resolved.count() * 0.15  # a plausible few were late
    for case in resolved:
        assert case.first_responded_at <= case.resolved_at <= now
        assert case.first_response_breached == (
            case.first_responded_at > case.first_response_due_at
        )
    # The last 90 minutes are the queue a shift starts with.
    assert live.filter(ACTIVE_Q).count() == live.count()


def test_history_settling_leaves_cases_people_worked_on_alone(settings):
    from django.utils import timezone

    from engagement.services import demo_history_settle

    seed()
    now = timezone.now()
    cases = list(_backlog(now, count=2, span=dt.timedelta(days=2), offset=HOUR * 3))
    reply_create(
        case_id=cases[0].pk, text="很抱歉，请私信我们", actor=cases[0].assignee
    )
    assert demo_history_settle(now=now) == 1
    cases[0].refresh_from_db()
    assert cases[0].is_active
