"""Webhook tasks, on their own ``webhooks`` queue."""

from __future__ import annotations

from typing import Any

import requests
from celery import shared_task

from . import delivery, outbound, services

_session: requests.Session | None = None


def _http() -> requests.Session:
    """One keep-alive session per worker process, its connection pool as large as
    the deliveries it has in flight."""
    global _session
    if _session is None:
        _session = outbound.session_create()
    return _session


@shared_task(name="integrations.record_events", acks_late=True)
def record_events(event: str, items: list[list[Any]]) -> int:
    return services.events_record(event=event, items=[(k, d) for k, d in items])


@shared_task(name="integrations.deliver", acks_late=True)
def deliver(delivery_ids: list[int]) -> dict[str, int]:
    return delivery.deliveries_run(delivery_ids=delivery_ids, session=_http())


@shared_task(name="integrations.deliver_sweep")
def deliver_sweep() -> int:
    ids = delivery.deliveries_due()
    for start in range(0, len(ids), services.DELIVERY_BATCH):
        deliver.delay(ids[start : start + services.DELIVERY_BATCH])
    return len(ids)
