"""Celery tasks of the listening stage: thin, ids in, stable names."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.db import OperationalError

from listening.adapters import TransientError
from listening.services import (
    mentions_requeue_unanalyzed,
    source_lease_acquire,
    source_lease_release,
    source_poll,
    sources_claim_due,
)
from listening.services import rollups as rollups_service

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
def poll_source(self: Task[Any, Any], source_id: int) -> None:
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
    after = dt.timedelta(seconds=2 * settings.HANDOFF_SWEEP_AFTER_SECONDS)
    return mentions_requeue_unanalyzed(older_than=after)


@shared_task(
    name="listening.rollups_apply",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
)
def rollups_apply(mention_ids: list[int]) -> int:
    """Bring the room's rollups up to date with these mentions (idempotent)."""
    return rollups_service.rollups_apply(mention_ids=[int(i) for i in mention_ids])


@shared_task(name="listening.spikes_check", ignore_result=True)
def spikes_check() -> int:
    """Run by beat every few minutes: open/extend/close spikes, then check the alert
    rules (each fires once per episode, so a re-run tells nobody twice)."""
    from listening.services.alerts import alerts_evaluate
    from listening.services.spikes import spikes_detect

    swept = rollups_service.rollups_sweep()
    if swept:
        logger.warning("rollups: %d analysed mentions had been missed", swept)
    opened = spikes_detect()
    fired = alerts_evaluate()
    logger.info("spikes opened: %d, alerts fired: %d", len(opened), fired)
    return fired
