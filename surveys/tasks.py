"""Celery tasks of surveys: thin, ids in, stable names."""

from __future__ import annotations

import logging

from celery import shared_task

from .services import response_analyze

logger = logging.getLogger(__name__)


@shared_task(name="surveys.analyze_response", acks_late=True, ignore_result=True)
def analyze_response(response_id: int) -> None:
    """Keywords and sentiment of a response's free-text answers and ideas."""
    response_analyze(response_id=response_id)
