"""Celery tasks of the listening stage: thin, ids in, stable names."""

from __future__ import annotations

import logging

from celery import shared_task

from listening.adapters import TransientError
from listening.services import (
    mentions_requeue_unanalyzed,
    source_lease_acquire,
    source_lease_release,
    source_poll,
    sources_claim_due,
)

logger = logging.getLogger(__name__)

# Retries of a poll that hit a transient platform error, before the source waits for
# its next turn from the dispatcher (its health shows the failures meanwhile).
POLL_MAX_RETRIES = 3


@shared_task(name="listening.dispatch_due_sources", ignore_result=True)
def dispatch_due_sources() -> int:
    """Run by beat every few seconds: enqueue one poll per due source."""
    claimed = sources_claim_due()
    for source_id in claimed:
        poll_source.delay(source_id)
    return len(claimed)


@shared_task(
    name="listening.poll_source",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=POLL_MAX_RETRIES,
    ignore_result=True,
)
def poll_source(self, source_id: int) -> None:
    # The task id is the lease owner: a redelivered message (its worker was killed)
    # carries the same id and may take its own lease back at once.
    owner = self.request.id or f"local-{source_id}"
    if not source_lease_acquire(source_id=source_id, owner=owner):
        logger.info("source %s is being polled by another task", source_id)
        return
    try:
        outcome = source_poll(source_id=source_id, owner=owner)
    except TransientError as error:
        source_lease_release(source_id=source_id, owner=owner)
        if self.request.retries < POLL_MAX_RETRIES:
            raise self.retry(
                exc=error, countdown=5 * 2**self.request.retries
            ) from error
        return
    except Exception:
        source_lease_release(source_id=source_id, owner=owner)
        raise
    source_lease_release(source_id=source_id, owner=owner)
    if not outcome.done:
        # A backlog remains: continue at once in a fresh task.
        poll_source.delay(source_id)


@shared_task(name="listening.requeue_unanalyzed", ignore_result=True)
def requeue_unanalyzed() -> int:
    """Run by beat: hand mentions whose analysis message was lost to analysis again.

    A hand-off is a broker message sent after commit; a broker that lost its data
    (restarted without persistence) or a send that failed after the commit would
    otherwise leave those mentions unanalysed for ever.
    """
    return mentions_requeue_unanalyzed()
