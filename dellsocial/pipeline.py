"""How one stage hands its ids to the next: by the next task's stable name.

Upstream apps never import downstream ones; they call these functions, which enqueue
the next stage only once the current transaction has committed (a task must never run
before the rows it names are visible, nor for rows that were rolled back).
"""

from collections.abc import Iterable

from django.db import transaction

from .celery import app

ANALYZE_TASK = "nlp.analyze_mentions"
ROUTE_TASK = "engagement.route_mentions"
CSAT_TASK = "surveys.send_csat_for_case"
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


def case_resolved(case_id: int) -> None:
    """A case was resolved: send its customer the CSAT survey, if one is set up for
    the case's team (surveys.services.survey_send_csat_for_case)."""
    transaction.on_commit(lambda: app.send_task(CSAT_TASK, args=[case_id]), robust=True)


def notify(
    *,
    user_ids: Iterable[int],
    kind: str,
    params: dict | None = None,
    url: str = "",
    dedupe_key: str = "",
) -> None:
    """Tell people something (notifications.services.notification_send), from a stage
    that may not import notifications' callers' apps: sent once the transaction
    commits, so nobody is told of something that was rolled back."""
    kwargs = {
        "user_ids": sorted({int(i) for i in user_ids}),
        "kind": kind,
        "params": params or {},
        "url": url,
        "dedupe_key": dedupe_key,
    }
    if kwargs["user_ids"]:
        transaction.on_commit(
            lambda: app.send_task(NOTIFY_TASK, kwargs=kwargs), robust=True
        )
