"""Delivering webhooks: claim, sign and send, record, retry with backoff, disable an
endpoint that keeps failing."""

from __future__ import annotations

import datetime as dt
import logging
import os
from concurrent.futures import ThreadPoolExecutor

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from dellsocial.celery import app
from dellsocial.pipeline import WEBHOOK_EVENTS_CACHE_KEY
from notifications.services import notification_send

from . import outbound
from .models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

# The delivery task, sent by name (tasks imports this module).
DELIVER_TASK = "integrations.deliver"
# A delivery claimed longer than this belongs to a dead worker.
CLAIM_LEASE = dt.timedelta(minutes=2)


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


_executor: tuple[int, ThreadPoolExecutor] | None = None


def _pool() -> ThreadPoolExecutor:
    """The process's sending threads, started once (per process: a forked worker
    child makes its own)."""
    global _executor
    if _executor is None or _executor[0] != os.getpid():
        workers = max(1, settings.WEBHOOK_CONCURRENCY)
        _executor = (os.getpid(), ThreadPoolExecutor(max_workers=workers))
    return _executor[1]


def _send(
    session: requests.Session, delivery: WebhookDelivery, refused: dict[str, str]
) -> outbound.Outcome:
    endpoint, event = delivery.endpoint, delivery.event
    if endpoint.url in refused:
        return outbound.Outcome(False, None, 0, "", refused[endpoint.url])
    body = outbound.body_of(
        event_id=str(event.id),
        event=event.event,
        created_at=event.created_at.isoformat(),
        data=event.data,
    )
    return outbound.post(
        session,
        url=endpoint.url,
        secret=endpoint.secret,
        event_id=str(event.id),
        event=event.event,
        body=body,
        checked=True,
    )


def _refused_urls(claimed: list[WebhookDelivery]) -> dict[str, str]:
    """Each endpoint URL of the batch checked once (a name lookup each), not once
    per delivery: URL → the refusal, for those refused."""
    refused = {}
    for url in {d.endpoint.url for d in claimed}:
        try:
            outbound.check_url(url)
        except outbound.AddressRefused as exc:
            refused[url] = f"refused: {exc}"[:300]
    return refused


def deliveries_run(
    *, delivery_ids: list[int], session: requests.Session | None = None
) -> dict[str, int]:
    """Try each claimable delivery once, WEBHOOK_CONCURRENCY of them in flight at
    a time over the pooled ``session``. Returns counts by outcome; schedules the
    retries (see ``deliveries_due``)."""
    now = timezone.now()
    claimed = _claim(delivery_ids, now)
    if not claimed:
        return {"succeeded": 0, "retrying": 0, "failed": 0}
    session = session or outbound.session_create()
    refused = _refused_urls(claimed)
    if settings.WEBHOOK_CONCURRENCY <= 1 or len(claimed) == 1:
        outcomes = [_send(session, d, refused) for d in claimed]
    else:
        # The requests wait on the network, not on Python: threads overlap them.
        # The database is touched only here, after they all returned.
        outcomes = list(_pool().map(lambda d: _send(session, d, refused), claimed))
    counts = {"succeeded": 0, "retrying": 0, "failed": 0}
    retry_soon: list[tuple[int, float]] = []
    delivered: list[tuple[WebhookDelivery, outbound.Outcome]] = []
    for delivery, outcome in zip(claimed, outcomes, strict=True):
        if outcome.ok:
            # Written together after the batch: the common path costs one
            # round trip per batch, not three per delivery.
            delivered.append((delivery, outcome))
            counts["succeeded"] += 1
            continue
        state = _record_failure(delivery, outcome)
        counts[state] += 1
        if state == "retrying" and delivery.next_attempt_at is not None:
            retry_soon.append(
                (
                    delivery.pk,
                    (delivery.next_attempt_at - timezone.now()).total_seconds(),
                )
            )
    _record_delivered(delivered)
    _schedule(retry_soon)
    return counts


@transaction.atomic
def _record_delivered(done: list[tuple[WebhookDelivery, outbound.Outcome]]) -> None:
    if not done:
        return
    now = timezone.now()
    WebhookAttempt.objects.bulk_create(
        WebhookAttempt(
            delivery=delivery,
            at=now,
            response_status=outcome.status,
            latency_ms=outcome.latency_ms,
            response_excerpt=outcome.excerpt,
        )
        for delivery, outcome in done
    )
    if connection.vendor == "postgresql":
        _mark_succeeded_sql(done, now)
    else:
        _mark_succeeded_orm(done, now)
    recovered = {d.endpoint_id for d, _ in done if d.endpoint.consecutive_failures}
    if recovered:
        WebhookEndpoint.objects.filter(pk__in=recovered).update(consecutive_failures=0)


def _mark_succeeded_sql(
    done: list[tuple[WebhookDelivery, outbound.Outcome]], now: dt.datetime
) -> None:
    """One UPDATE for the whole batch (Django's bulk_update builds a CASE per
    column and row: slower to build than the HTTP requests it records)."""
    table = WebhookDelivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} AS d SET
                attempts = d.attempts + 1, response_status = v.status,
                latency_ms = v.latency, response_excerpt = v.excerpt, error = '',
                claimed_at = NULL, status = %s, delivered_at = %s,
                next_attempt_at = NULL
            FROM unnest(%s::bigint[], %s::int[], %s::int[], %s::text[])
                AS v(id, status, latency, excerpt)
            WHERE d.id = v.id
            """,
            [
                DeliveryStatus.SUCCEEDED,
                now,
                [d.pk for d, _ in done],
                [o.status for _, o in done],
                [o.latency_ms for _, o in done],
                [o.excerpt for _, o in done],
            ],
        )


def _mark_succeeded_orm(
    done: list[tuple[WebhookDelivery, outbound.Outcome]], now: dt.datetime
) -> None:
    for delivery, outcome in done:
        delivery.attempts += 1
        delivery.response_status = outcome.status
        delivery.latency_ms = outcome.latency_ms
        delivery.response_excerpt = outcome.excerpt
        delivery.error = ""
        delivery.claimed_at = None
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    WebhookDelivery.objects.bulk_update(
        [d for d, _ in done],
        [
            "attempts",
            "response_status",
            "latency_ms",
            "response_excerpt",
            "error",
            "claimed_at",
            "status",
            "delivered_at",
            "next_attempt_at",
        ],
    )


def _schedule(retries: list[tuple[int, float]]) -> None:
    """Short backoffs go back to the queue with a countdown; long ones wait for the
    sweep (a countdown longer than the broker's visibility timeout is unsafe)."""

    for delivery_id, delay in retries:
        if delay <= settings.WEBHOOK_COUNTDOWN_MAX_SECONDS:
            app.send_task(DELIVER_TASK, args=[[delivery_id]], countdown=max(0.0, delay))


@transaction.atomic
def _record_failure(delivery: WebhookDelivery, outcome: outbound.Outcome) -> str:
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
    # A failure (successes are written together by _record_delivered).
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
        transaction.on_commit(_forget_subscriptions)
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


def _forget_subscriptions() -> None:
    """A disabled endpoint hears nothing more (services.subscribed_events)."""

    cache.delete(WEBHOOK_EVENTS_CACHE_KEY)
