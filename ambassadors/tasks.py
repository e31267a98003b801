"""The program's Celery tasks: ids and JSON in, a service call, quiet when rows
are gone. ``ambassadors.deliver*`` runs on the "deliver" queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import Task, shared_task
from django.contrib.auth import get_user_model

from .advocacy.points import points_record
from .advocacy.shares import share_deliver, shares_to_redeliver
from .certification.services import certification_recompute, certification_sweep
from .models.advocacy import PointKind

# Kinds that count as experience toward a level (the rest only earn points).
EXPERIENCE = {PointKind.REPLY_APPROVED, PointKind.REPLY_SENT, PointKind.CSAT_ANSWER}


@shared_task(name="ambassadors.record_activity", acks_late=True)
def record_activity(
    user_id: int,
    kind: str,
    key: str,
    occurred_at: str = "",
    value: float | None = None,
) -> bool:
    """Another stage reported something that earns points (dellsocial.pipeline);
    experience recomputes the person's certification at once."""
    if kind not in PointKind.values:
        return False
    if not get_user_model().objects.filter(pk=user_id).exists():
        return False
    moment = dt.datetime.fromisoformat(occurred_at) if occurred_at else None
    created = points_record(
        user_id=int(user_id), kind=kind, key=str(key), occurred_at=moment, value=value
    )
    if created and kind in EXPERIENCE:
        certification_recompute(user_ids=[int(user_id)])
    return created


@shared_task(name="ambassadors.certification_sweep", acks_late=True)
def certification_sweep_task() -> dict[str, int]:
    """Beat, hourly: expire what ran out, remind 30 and 7 days before."""
    return certification_sweep()


@shared_task(name="ambassadors.recompute_all", acks_late=True)
def recompute_all() -> int:
    """A level rule or the course list changed: everybody, at once."""
    return len(certification_recompute())


@shared_task(
    name="ambassadors.deliver_share", bind=True, acks_late=True, max_retries=None
)
def deliver_share(self: Task[Any, Any], share_id: int) -> str:
    outcome = share_deliver(share_id=int(share_id))
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.result


@shared_task(name="ambassadors.deliver_share_sweep", acks_late=True)
def deliver_share_sweep() -> int:
    ids = shares_to_redeliver()
    for share_id in ids:
        deliver_share.delay(share_id)
    return len(ids)
