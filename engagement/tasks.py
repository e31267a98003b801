"""Engagement's Celery tasks: ids in, a service call, quiet when rows are gone.

Queues (CELERY_TASK_ROUTES): ``engagement.route*`` on "route", ``engagement.deliver*``
on "deliver", the SLA check on the default queue.
"""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.db import OperationalError as DatabaseError
from kombu.exceptions import OperationalError as BrokerError

from .services import (
    case_csat_send,
    cases_assign_waiting,
    cases_csat_sweep,
    cases_sla_check,
    cases_sla_warn,
    demo_history_settle,
    mentions_route,
    mentions_route_unrouted,
    replies_to_redeliver,
    reply_deliver,
)


@shared_task(
    name="engagement.route_mentions",
    acks_late=True,
    reject_on_worker_lost=True,
    # A lost database connection, a deadlock, or the broker gone while the task
    # hands on (kombu's OperationalError is not Django's): retried with backoff.
    autoretry_for=(DatabaseError, BrokerError),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=8,
)
def route_mentions(mention_ids: list[int]) -> dict[str, int]:
    """Analysed mentions → cases → assignment (dellsocial.pipeline sends these)."""
    result = mentions_route(mention_ids=[int(i) for i in mention_ids])
    if settings.DEMO_HISTORY_SETTLE and result.cases_created:
        demo_history_settle()
    return {"created": result.cases_created, "assigned": result.assigned}


@shared_task(name="engagement.route_sweep", acks_late=True)
def route_sweep() -> int:
    """Run by beat: route analysed mentions whose hand-off message was lost."""
    return mentions_route_unrouted()


@shared_task(name="engagement.route_waiting", acks_late=True)
def route_waiting(team_id: int | None = None) -> int:
    """Offer a team's waiting cases (all teams when None) to whoever may take them:
    sent when capacity frees or someone comes online, and by beat every minute
    (working hours start without anyone clicking)."""
    return cases_assign_waiting(team_id=team_id)


@shared_task(
    name="engagement.deliver_reply",
    bind=True,
    acks_late=True,
    max_retries=None,  # bounded by the reply's attempts (DELIVERY_MAX_ATTEMPTS)
)
def deliver_reply(self: Task[Any, Any], reply_id: int) -> str:
    outcome = reply_deliver(reply_id=int(reply_id))
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.result


@shared_task(name="engagement.deliver_sweep", acks_late=True)
def deliver_sweep() -> int:
    """Re-send delivery tasks whose message was lost or whose worker died."""
    ids = replies_to_redeliver()
    for reply_id in ids:
        deliver_reply.delay(reply_id)
    return len(ids)


@shared_task(name="engagement.sla_check", acks_late=True)
def sla_check() -> int:
    """Record breaches (their assignees are told), then warn of the coming ones."""
    breached = cases_sla_check()
    cases_sla_warn()
    return breached


@shared_task(name="engagement.snooze_wake", acks_late=True)
def snooze_wake() -> int:
    """Snoozed cases whose time has come go back to the queue (beat, every minute)."""
    from .services.snooze import cases_snooze_wake

    return cases_snooze_wake()


@shared_task(name="engagement.certifications_lowered", acks_late=True)
def certifications_lowered(levels: list[list[int]]) -> int:
    """People's certifications went down (dellsocial.pipeline), [[user id, new
    level], ...]: hand back each one's cases that now need more, and route them
    again."""
    from .services.requeue import cases_requeue_for_level

    return sum(
        cases_requeue_for_level(user_id=int(uid), level=int(level))
        for uid, level in levels
    )


@shared_task(name="engagement.certification_lowered", acks_late=True)
def certification_lowered(user_id: int, level: int) -> int:
    """The one-person form of ``certifications_lowered``, kept for the messages
    queued before it (a deployment drains them)."""
    return certifications_lowered([[user_id, level]])


@shared_task(name="engagement.send_csat", acks_late=True, ignore_result=True)
def send_csat(case_id: int) -> None:
    """A case was resolved (dellsocial.pipeline.case_resolved): make its customer's
    CSAT link and send it to them."""
    case_csat_send(case_id=int(case_id))


@shared_task(name="engagement.csat_sweep", acks_late=True, ignore_result=True)
def csat_sweep() -> int:
    """Beat: resolved cases whose CSAT hand-off was lost get their link."""
    return cases_csat_sweep()


@shared_task(name="surveys.send_csat_for_case", acks_late=True, ignore_result=True)
def send_csat_for_case(case_id: int) -> None:
    """The same task under the name it had when surveys sent the CSAT link, so that
    messages queued by an older release still run after an upgrade."""
    case_csat_send(case_id=int(case_id))
