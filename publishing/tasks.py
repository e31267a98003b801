"""Publishing's Celery tasks: ids in, a service call, quiet when rows are gone.

Queues (CELERY_TASK_ROUTES): ``publishing.deliver`` and ``publishing.dispatch_due``
on "deliver", the metrics poll on the default queue.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from .services import metrics_poll, post_target_deliver, targets_due


@shared_task(name="publishing.dispatch_due", acks_late=True)
def dispatch_due() -> int:
    """Beat, every few seconds: a delivery task per target whose minute has come
    (or whose worker died)."""
    ids = targets_due()
    # One producer (one broker connection) for the whole minute's burst.
    with deliver.app.producer_or_acquire() as producer:
        for target_id in ids:
            deliver.apply_async((target_id,), producer=producer)
    return len(ids)


@shared_task(name="publishing.deliver", acks_late=True)
def deliver(target_id: int) -> str:
    """Retries come back through dispatch_due at their ``next_attempt_at``."""
    return post_target_deliver(target_id=int(target_id)).result


@shared_task(name="publishing.poll_metrics", acks_late=True)
def poll_metrics() -> dict[str, Any]:
    report = metrics_poll()
    return {"posts": report.posts, "calls": dict(report.calls), "errors": report.errors}
