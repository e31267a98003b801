"""A hand-off that cannot reach the broker after its transaction committed must not
fail the request that committed it (the work is stored; a shop whose redemption went
through must not be answered 500)."""

from __future__ import annotations

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from dellsocial import pipeline

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down(monkeypatch):
    calls = []

    def refuse(name, *args, **kwargs):
        calls.append(name)
        raise OperationalError(
            "Error 111 connecting to the broker. Connection refused."
        )

    monkeypatch.setattr("dellsocial.celery.app.send_task", refuse)
    monkeypatch.setattr("dellsocial.pipeline.cache.get", lambda key, default=None: None)
    return calls


@pytest.mark.parametrize(
    "handoff",
    [
        lambda: pipeline.webhook_event("coupon.redeemed", key="r:1", data={"id": 1}),
        lambda: pipeline.certifications_lowered(levels={1: 0}),
        lambda: pipeline.case_resolved(1),
        lambda: pipeline.team_capacity_changed(1),
    ],
    ids=["webhook", "certifications_lowered", "case_resolved", "team_capacity"],
)
def test_a_broker_outage_after_commit_does_not_fail_the_caller(broker_down, handoff):
    with transaction.atomic():
        handoff()
    assert len(broker_down) == 1  # it was tried, and the error stayed inside
