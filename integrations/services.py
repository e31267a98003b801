"""Writes of integrations: endpoints, events, deliveries and their attempts."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable

import requests
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from dellsocial import pipeline
from notifications.services import notification_send

from . import outbound
from .events import EVENTS, TEST_EVENT
from .models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

log = logging.getLogger(__name__)

# Ids per delivery task: enough to keep connections warm, few enough that a
# redelivered message repeats little.
DELIVERY_BATCH = 50
# A delivery claimed longer than this belongs to a dead worker.
CLAIM_LEASE = dt.timedelta(minutes=2)
SUBSCRIBED_CACHE_KEY = pipeline.WEBHOOK_EVENTS_CACHE_KEY


class WebhookError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _validate(*, url: str, events: list[str]) -> None:
    from django.utils.translation import gettext as _

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
    owner: AbstractBaseUser,
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
    from .tasks import deliver

    def send() -> None:
        for start in range(0, len(delivery_ids), DELIVERY_BATCH):
            deliver.delay(delivery_ids[start : start + DELIVERY_BATCH])

    if delivery_ids:
        transaction.on_commit(send)


@transaction.atomic
def events_record(*, event: str, items: Iterable[tuple[str, dict]]) -> int:
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


def _mentions_data(items: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """mention.created carries only ids through the pipeline: add the fields."""
    from listening.models import Mention

    ids = [data.get("mention_id") for _, data in items]
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
        m = mentions.get(data.get("mention_id"))
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


def _backoff(attempts: int) -> dt.timedelta:
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)
    return dt.timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def _claim(ids: list[int], now: dt.datetime) -> list[WebhookDelivery]:
    """Compare-and-set: take the deliveries that are due and not being sent by a
    live worker; the others are someone else's (or not due yet)."""
    waiting = [DeliveryStatus.PENDING, DeliveryStatus.RETRYING]
    due = (
        Q(status__in=waiting, next_attempt_at__isnull=True)
        | Q(status__in=waiting, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE)
    )
    with transaction.atomic():
        claimable = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(due, id__in=ids)
            .values_list("id", flat=True)
        )
        WebhookDelivery.objects.filter(id__in=claimable).update(
            status=DeliveryStatus.SENDING, claimed_at=now
        )
    return list(
        WebhookDelivery.objects.filter(id__in=claimable)
        .select_related("endpoint", "event")
        .order_by("id")
    )


def deliveries_run(
    *, delivery_ids: list[int], session: requests.Session | None = None
) -> dict[str, int]:
    """Try each claimable delivery once. Returns counts by outcome; schedules
    the retries (see ``deliveries_due``)."""
    now = timezone.now()
    claimed = _claim(delivery_ids, now)
    session = session or requests.Session()
    counts = {"succeeded": 0, "retrying": 0, "failed": 0}
    retry_soon: list[tuple[int, float]] = []
    for delivery in claimed:
        endpoint, event = delivery.endpoint, delivery.event
        body = outbound.body_of(
            event_id=str(event.id),
            event=event.event,
            created_at=event.created_at.isoformat(),
            data=event.data,
        )
        outcome = outbound.post(
            session,
            url=endpoint.url,
            secret=endpoint.secret,
            event_id=str(event.id),
            event=event.event,
            body=body,
        )
        state = _record(delivery, outcome)
        counts[state] += 1
        if state == "retrying":
            retry_soon.append(
                (
                    delivery.pk,
                    (delivery.next_attempt_at - timezone.now()).total_seconds(),
                )
            )
    _schedule(retry_soon)
    return counts


def _schedule(retries: list[tuple[int, float]]) -> None:
    """Short backoffs go back to the queue with a countdown; long ones wait for the
    sweep (a countdown longer than the broker's visibility timeout is unsafe)."""
    from .tasks import deliver

    for delivery_id, delay in retries:
        if delay <= settings.WEBHOOK_COUNTDOWN_MAX_SECONDS:
            deliver.apply_async(args=[[delivery_id]], countdown=max(0.0, delay))


@transaction.atomic
def _record(delivery: WebhookDelivery, outcome: outbound.Outcome) -> str:
    now = timezone.now()
    WebhookAttempt.objects.create(
        delivery=delivery,
        at=now,
        response_status=outcome.status,
        latency_ms=outcome.latency_ms,
        response_excerpt=outcome.excerpt,
        error=outcome.error,
    )
    delivery.attempts += 1
    delivery.response_status = outcome.status
    delivery.latency_ms = outcome.latency_ms
    delivery.response_excerpt = outcome.excerpt
    delivery.error = outcome.error
    delivery.claimed_at = None
    endpoint = delivery.endpoint
    if outcome.ok:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        if endpoint.consecutive_failures:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
                consecutive_failures=0
            )
        state = "succeeded"
    else:
        window = dt.timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW_SECONDS)
        next_at = now + _backoff(delivery.attempts)
        if next_at - delivery.created_at > window:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            state = "failed"
        else:
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = next_at
            state = "retrying"
        if _count_failure(endpoint) and state == "retrying":
            # Disabled now: this delivery stops too (a replay sends it again).
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            state = "failed"
    delivery.save(
        update_fields=[
            "attempts",
            "response_status",
            "latency_ms",
            "response_excerpt",
            "error",
            "claimed_at",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    return state


def _count_failure(endpoint: WebhookEndpoint) -> bool:
    """Count a failed attempt; True when it disabled the endpoint."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    disabled = WebhookEndpoint.objects.filter(
        pk=endpoint.pk,
        active=True,
        consecutive_failures__gte=settings.WEBHOOK_DISABLE_AFTER,
    ).update(active=False, disabled_at=timezone.now())
    if disabled:
        log.warning("webhook endpoint %s disabled after repeated failures", endpoint.pk)
        # Its waiting deliveries stop here; a replay or re-enabling sends again.
        WebhookDelivery.objects.filter(
            endpoint_id=endpoint.pk, status=DeliveryStatus.RETRYING
        ).update(status=DeliveryStatus.FAILED, next_attempt_at=None)
        transaction.on_commit(subscribed_events_forget)
        notification_send(
            user_ids=[endpoint.owner_id],
            kind="integrations.webhook_disabled",
            params={
                "url": endpoint.url[:200],
                "failures": settings.WEBHOOK_DISABLE_AFTER,
            },
            url=f"/integrations/webhooks/{endpoint.pk}/",
            dedupe_key=f"webhook_disabled:{endpoint.pk}:{timezone.now():%Y%m%d%H%M%S}",
        )
    return bool(disabled)


def deliveries_due(*, now: dt.datetime | None = None, limit: int = 1000) -> list[int]:
    """Deliveries whose retry is due, or whose worker died while sending."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            Q(
                status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
                next_attempt_at__lte=now,
            )
            | Q(
                status=DeliveryStatus.PENDING,
                next_attempt_at__isnull=True,
                created_at__lt=now - CLAIM_LEASE,
            )
            | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE),
            endpoint__active=True,
        )
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
