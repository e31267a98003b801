"""Routing's hand-off survives the loss of its message (issue 11, item 12): analysed
mentions without a case are routed by the sweep beat runs every minute."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from engagement.models import CaseMention
from engagement.services import mentions_route_unrouted
from engagement.tasks import route_mentions
from tests.engagement.conftest import make_mention

pytestmark = pytest.mark.django_db


def test_analysed_mentions_whose_handoff_was_lost_are_routed():
    now = timezone.now()
    lost = [make_mention(author=f"fan{i}", created_at=now) for i in range(3)]
    # Analysed two minutes ago; the message to routing never arrived.
    for mention in lost:
        type(mention).objects.filter(id=mention.id).update(
            analyzed_at=now - dt.timedelta(minutes=2)
        )
    fresh = make_mention(author="fan9", created_at=now)  # analysed just now
    type(fresh).objects.filter(id=fresh.id).update(analyzed_at=now)
    assert mentions_route_unrouted(now=now) == 3
    linked = set(CaseMention.objects.values_list("mention_id", flat=True))
    assert linked == {m.id for m in lost}
    # Idempotent: nothing more to do, nothing duplicated.
    assert mentions_route_unrouted(now=now) == 0
    assert CaseMention.objects.count() == 3


def test_the_route_task_retries_when_the_broker_is_gone():
    from kombu.exceptions import OperationalError

    assert OperationalError in route_mentions.autoretry_for
