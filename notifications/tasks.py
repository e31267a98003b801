"""Celery tasks of notifications: thin wrappers over the services."""

from typing import Any

from celery import shared_task

from . import services


@shared_task(name="notifications.send")
def send(
    user_ids: list[int], kind: str, params: dict[str, Any], url: str, dedupe_key: str
) -> None:
    """An upstream stage (through ``dellsocial.pipeline.notify``) tells people."""
    services.notification_send(
        user_ids=user_ids, kind=kind, params=params, url=url, dedupe_key=dedupe_key
    )


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
