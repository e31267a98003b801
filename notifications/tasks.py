"""Celery tasks of notifications: thin wrappers over the services."""

from typing import Any

from celery import shared_task

from . import services


@shared_task(name="notifications.send", acks_late=True)
def send(
    user_ids: list[int],
    kind: str,
    params: dict[str, Any],
    url: str,
    dedupe_key: str,
    handoff_id: int | None = None,
) -> None:
    """An upstream stage (through ``dellsocial.pipeline.notify``) tells people: the
    hand-off row it wrote, once (messages of an older release carry no row)."""
    if handoff_id is not None:
        services.notification_handoff_deliver(handoff_id=int(handoff_id))
        return
    services.notification_send(
        user_ids=user_ids, kind=kind, params=params, url=url, dedupe_key=dedupe_key
    )


@shared_task(name="notifications.handoff_sweep", acks_late=True)
def handoff_sweep() -> int:
    """Beat: hand-offs whose message was lost are told now."""
    return services.notifications_handoff_sweep()


@shared_task(
    name="notifications.email_user",
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def email_user(user_id: int) -> None:
    services.notifications_email_user(user_id=user_id)


@shared_task(name="notifications.email_due")
def email_due() -> None:
    services.notifications_email_due()
