"""Celery tasks of coupons: thin, ids in, stable names."""

from __future__ import annotations

from celery import shared_task

from .services import code_batch_generate


@shared_task(name="coupons.generate_codes", acks_late=True, ignore_result=True)
def generate_codes(batch_id: int) -> None:
    """Make the codes of a batch ordered from the campaign page (resumable)."""
    code_batch_generate(batch_id=batch_id)
