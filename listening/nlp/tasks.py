"""The analysis stage's Celery task: ids in, on its own queue ("nlp.*" routes to nlp).

The models are loaded once per worker process, when the process starts (or on the
first task in a process that did not start as a worker), never per task.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.signals import celeryd_after_setup, worker_process_init
from django.db import OperationalError

from .pipeline import analyzer
from .services import mentions_analyze

logger = logging.getLogger(__name__)

# A lost database connection or a deadlock is worth a few retries with backoff; the
# task is idempotent, so a retry only redoes the rows still unanalysed.
ANALYZE_MAX_RETRIES = 5


NLP_QUEUE = "nlp"
# Set in the worker's main process when it consumes the nlp queue; its pool processes
# inherit it. Workers of the other stages never load the models (about 100 MB).
_consumes_nlp = False


@celeryd_after_setup.connect
def _note_queues(sender: Any = None, instance: Any = None, **_kwargs: Any) -> None:
    global _consumes_nlp
    queues = getattr(getattr(instance, "app", None), "amqp", None)
    consume_from = getattr(getattr(queues, "queues", None), "consume_from", None)
    # No -Q option: the worker consumes every queue, nlp included.
    _consumes_nlp = not consume_from or NLP_QUEUE in consume_from


@worker_process_init.connect
def _load_models(**_kwargs: Any) -> None:
    if _consumes_nlp:
        analyzer()


@shared_task(
    name="nlp.analyze_mentions",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=ANALYZE_MAX_RETRIES,
)
def analyze_mentions(mention_ids: list[int]) -> int:
    """Analyse a batch of mentions; returns how many were analysed now."""
    analysed = mentions_analyze(mention_ids=[int(i) for i in mention_ids])
    logger.debug("analysed %d of %d mentions", len(analysed), len(mention_ids))
    return len(analysed)
