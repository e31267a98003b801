"""How one stage hands its ids to the next: by the next task's stable name.

Upstream apps never import downstream ones; they call these functions, which enqueue
the next stage only once the current transaction has committed (a task must never run
before the rows it names are visible, nor for rows that were rolled back).
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.cache import cache
from django.db import transaction

from .celery import app

ANALYZE_TASK = "nlp.analyze_mentions"
ROUTE_TASK = "engagement.route_mentions"
CSAT_TASK = "engagement.send_csat"
ROUTE_WAITING_TASK = "engagement.route_waiting"
ROLLUP_TASK = "listening.rollups_apply"
WEBHOOK_TASK = "integrations.record_events"
# integrations keeps here the events some active endpoint hears (None: not known).
WEBHOOK_EVENTS_CACHE_KEY = "integrations:subscribed-events"
NOTIFY_TASK = "notifications.send"
# Ids per message: small enough that a redelivered message redoes little work, large
# enough that the broker is not the bottleneck.
HANDOFF_BATCH = 200


def _send_after_commit(task_name: str, ids: Iterable[int]) -> None:
    ids = list(ids)
    if not ids:
        return

    def send() -> None:
        for start in range(0, len(ids), HANDOFF_BATCH):
            app.send_task(task_name, args=[ids[start : start + HANDOFF_BATCH]])

    # robust: a broker outage must not turn a committed request into an error;
    # the stage's sweep sends the ids again (requeue_unanalyzed, route_sweep).
    transaction.on_commit(send, robust=True)


def mentions_ingested(mention_ids: Iterable[int]) -> None:
    """New mentions were stored: analyse them."""
    _send_after_commit(ANALYZE_TASK, mention_ids)


def mentions_analyzed(mention_ids: Iterable[int]) -> None:
    """Mentions were analysed: route them into cases."""
    _send_after_commit(ROUTE_TASK, mention_ids)


def mentions_changed(mention_ids: Iterable[int]) -> None:
    """Mentions were analysed, re-analysed or corrected: bring the listening room's
    rollups up to date with them (idempotent: a mention never counts twice)."""
    _send_after_commit(ROLLUP_TASK, mention_ids)


def case_resolved(case_id: int) -> None:
    """A case was resolved: send its customer the CSAT survey, if one is set up for
    the case's team (engagement.services.case_csat_send)."""
    transaction.on_commit(lambda: app.send_task(CSAT_TASK, args=[case_id]), robust=True)


def webhook_events(event: str, items: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """Events happened (``items``: a natural key, e.g. ``"case.created:42"``, and
    the JSON data of each): once committed, webhooks deliver them. Skipped at once
    when integrations says no endpoint hears ``event`` (mention.created is high
    volume)."""
    batch = [[key, data] for key, data in items]
    if not batch:
        return
    heard = cache.get(WEBHOOK_EVENTS_CACHE_KEY)
    if heard is not None and event not in heard:
        return

    def send() -> None:
        for start in range(0, len(batch), HANDOFF_BATCH):
            app.send_task(
                WEBHOOK_TASK, args=[event, batch[start : start + HANDOFF_BATCH]]
            )

    # Robust: the work is committed; a broker outage must not turn the caller's
    # answer into a 500 (a shop's redemption, say). Events raised while the broker
    # is unreachable are logged and not delivered.
    transaction.on_commit(send, robust=True)


def webhook_event(event: str, *, key: str, data: dict[str, Any]) -> None:
    webhook_events(event, [(key, data)])


def notify(
    *,
    user_ids: Iterable[int],
    kind: str,
    params: dict[str, Any] | None = None,
    url: str = "",
    dedupe_key: str = "",
) -> None:
    """Tell people something (notifications.services.notification_send), from a stage
    that may not import notifications' callers' apps: sent once the transaction
    commits, so nobody is told of something that was rolled back.

    The event is also written, in the caller's transaction, as a hand-off row that
    the task deletes when it has told everyone: if the message is lost, beat's
    ``notifications.handoff_sweep`` tells them instead."""
    from notifications.services import notification_handoff_create

    kwargs: dict[str, Any] = {
        "user_ids": sorted({int(i) for i in user_ids}),
        "kind": kind,
        "params": params or {},
        "url": url,
        "dedupe_key": dedupe_key,
    }
    if kwargs["user_ids"]:
        kwargs["handoff_id"] = notification_handoff_create(**kwargs)
        transaction.on_commit(
            lambda: app.send_task(NOTIFY_TASK, kwargs=kwargs), robust=True
        )


def _sender(name: str, args: list[Any]) -> Callable[[], None]:
    """A commit hook that sends one task (a named function: robust hooks log it)."""

    def send() -> None:
        app.send_task(name, args=args)

    return send


# --- The ambassador program ----------------------------------------------------------

ACTIVITY_TASK = "ambassadors.record_activity"
CERTIFICATION_LOWERED_TASK = "engagement.certifications_lowered"
# People per message when many certifications go down at once (a level rule changed).
CERTIFICATION_LOWERED_BATCH = 200
CERTIFICATION_EXPIRING_TASK = "ambassadors.certification_expiring"


def activity_recorded(
    *,
    user_id: int,
    kind: str,
    key: str,
    occurred_at: str = "",
    value: float | None = None,
) -> None:
    """Someone did something that earns points and counts as experience: a reply
    sent (``reply_sent``) or approved (``reply_approved``), a CSAT answer on their
    case (``csat_answer``, ``value`` = the score), a coupon redeemed from their reply
    (``coupon_redeemed``). ``key`` names the thing (``reply:42``) so a repeated
    report counts once; ``occurred_at`` is ISO 8601 (now when empty)."""
    payload = {
        "user_id": int(user_id),
        "kind": kind,
        "key": key,
        "occurred_at": occurred_at,
        "value": value,
    }
    transaction.on_commit(
        lambda: app.send_task(ACTIVITY_TASK, kwargs=payload), robust=True
    )


def certifications_lowered(*, levels: Mapping[int, int]) -> None:
    """People's certifications went down ({user id: new level}): routing takes back
    the cases that now need more than each one's level and offers them again. A
    few messages for a whole population, not one per person."""
    pairs = [[int(uid), int(level)] for uid, level in sorted(levels.items())]
    for start in range(0, len(pairs), CERTIFICATION_LOWERED_BATCH):
        chunk = pairs[start : start + CERTIFICATION_LOWERED_BATCH]
        transaction.on_commit(_sender(CERTIFICATION_LOWERED_TASK, [chunk]), robust=True)


def team_capacity_changed(team_id: int | None) -> None:
    """Someone of the team can take cases again (capacity freed, came online, a case
    changed team): offer the team's waiting cases, once the transaction commits."""
    if team_id is None:
        return
    transaction.on_commit(
        lambda: app.send_task(ROUTE_WAITING_TASK, args=[team_id]), robust=True
    )
