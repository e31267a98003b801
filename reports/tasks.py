from celery import shared_task

from .services import digests_send


@shared_task(name="reports.weekly_digest", acks_late=True)
def weekly_digest() -> int:
    return digests_send()
