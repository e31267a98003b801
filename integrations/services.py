"""Writes of integrations: endpoints, events, deliveries and their attempts."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from dellsocial import pipeline
from dellsocial.celery import app
from listening.models import Mention

from . import outbound
from .delivery import DELIVER_TASK
from .events import EVENTS, TEST_EVENT
from .models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

log = logging.getLogger(__name__)

# Ids per delivery task: enough to keep connections warm, few enough that a
# redelivered message repeats little.
DELIVERY_BATCH = 100
SUBSCRIBED_CACHE_KEY = pipeline.WEBHOOK_EVENTS_CACHE_KEY


class WebhookError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _validate(*, url: str, events: list[str]) -> None:
    unknown = [e for e in events if e not in EVENTS]
    if unknown or not events:
        raise WebhookError("invalid_events", _("Choose events from the list."))
    try:
        outbound.check_url(url)
    except outbound.AddressRefused as exc:
        raise WebhookError(
            "address_refused",
            _("This address cannot receive webhooks: %(why)s") % {"why": exc},
        ) from None


def subscribed_events_forget() -> None:
    cache.delete(SUBSCRIBED_CACHE_KEY)


def subscribed_events() -> set[str]:
    """Events any active endpoint hears (cached: the pipeline asks on every ingest)."""
    found = cache.get(SUBSCRIBED_CACHE_KEY)
    if found is None:
        found = sorted(
            {
                e
                for events in WebhookEndpoint.objects.filter(active=True).values_list(
                    "events", flat=True
                )
                for e in events
            }
        )
        cache.set(SUBSCRIBED_CACHE_KEY, found, 300)
    return set(found)


@transaction.atomic
def endpoint_create(
    *,
    owner: User,
    url: str,
    events: list[str],
    secret: str = "",
    active: bool = True,
) -> WebhookEndpoint:
    _validate(url=url, events=events)
    endpoint = WebhookEndpoint.objects.create(
        owner=owner,
        url=url,
        events=sorted(set(events)),
        secret=secret or secrets.token_hex(24),
        active=active,
    )
    transaction.on_commit(subscribed_events_forget)
    return endpoint


@transaction.atomic
def endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str,
    events: list[str],
    active: bool,
    secret: str = "",
) -> WebhookEndpoint:
    _validate(url=url, events=events)
    endpoint.url = url
    endpoint.events = sorted(set(events))
    endpoint.active = active
    fields = ["url", "events", "active", "updated_at"]
    if active:
        endpoint.disabled_at = None
        endpoint.consecutive_failures = 0
        fields += ["disabled_at", "consecutive_failures"]
    if secret:
        endpoint.secret = secret
        fields.append("secret")
    endpoint.save(update_fields=fields)
    transaction.on_commit(subscribed_events_forget)
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()
    transaction.on_commit(subscribed_events_forget)


def _enqueue(delivery_ids: list[int]) -> None:
    def send() -> None:
        for start in range(0, len(delivery_ids), DELIVERY_BATCH):
            app.send_task(
                DELIVER_TASK, args=[delivery_ids[start : start + DELIVERY_BATCH]]
            )

    if delivery_ids:
        transaction.on_commit(send)


@transaction.atomic
def events_record(*, event: str, items: Iterable[tuple[str, dict[str, Any]]]) -> int:
    """Store each (key, data) once and create its deliveries to the endpoints that
    hear ``event``; returns how many deliveries were created."""
    endpoints = [
        e for e in WebhookEndpoint.objects.filter(active=True) if event in e.events
    ]
    if not endpoints:
        return 0
    items = list(items)
    if event == "mention.created":
        items = _mentions_data(items)
    rows = [WebhookEvent(event=event, key=key[:120], data=data) for key, data in items]
    WebhookEvent.objects.bulk_create(rows, ignore_conflicts=True)
    stored = list(WebhookEvent.objects.filter(key__in=[r.key for r in rows]))
    deliveries = [
        WebhookDelivery(endpoint=endpoint, event=stored_event)
        for stored_event in stored
        for endpoint in endpoints
    ]
    created = WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    ids = list(
        WebhookDelivery.objects.filter(
            event__in=stored,
            endpoint__in=endpoints,
            status=DeliveryStatus.PENDING,
            attempts=0,
            replay_of__isnull=True,
        ).values_list("id", flat=True)
    )
    _enqueue(ids)
    return len(created)


def _mentions_data(
    items: list[tuple[str, dict[str, Any]]],
) -> list[tuple[str, dict[str, Any]]]:
    """mention.created carries only ids through the pipeline: add the fields."""
    ids = [data["mention_id"] for _, data in items if data.get("mention_id")]
    mentions = {
        m["id"]: m
        for m in Mention.objects.filter(pk__in=ids).values(
            "id",
            "platform",
            "external_id",
            "text",
            "language",
            "created_at",
            "author__external_id",
            "author__screen_name",
            "thread_external_id",
        )
    }
    out = []
    for key, data in items:
        m = mentions.get(data.get("mention_id") or 0)
        if m is None:
            continue
        out.append(
            (
                key,
                {
                    "mention_id": m["id"],
                    "platform": m["platform"],
                    "external_id": m["external_id"],
                    "text": m["text"],
                    "language": m["language"],
                    "created_at": m["created_at"].isoformat(),
                    "author": {
                        "external_id": m["author__external_id"],
                        "screen_name": m["author__screen_name"],
                    },
                    "thread_external_id": m["thread_external_id"],
                },
            )
        )
    return out


@transaction.atomic
def endpoint_send_test(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    event = WebhookEvent.objects.create(
        event=TEST_EVENT,
        key=f"{TEST_EVENT}:{secrets.token_hex(12)}",
        data={"endpoint": endpoint.pk, "message": "test event"},
    )
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event)
    _enqueue([delivery.pk])
    return delivery


@transaction.atomic
def delivery_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a past delivery's event again, same event id, as a new delivery."""
    replay = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint, event=delivery.event, replay_of=delivery
    )
    _enqueue([replay.pk])
    return replay
