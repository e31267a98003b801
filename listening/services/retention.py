"""Retention: raw payloads are the bulk of the mention table and are read only when a
mention is re-imported or debugged; past a configurable age they are dropped, while
the mention, its analysis and its rollups stay."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from listening.models import Mention

# Mentions per UPDATE: short transactions, so ingest is never blocked for long.
PRUNE_CHUNK = 5000


def mentions_prune_raw(*, before: dt.datetime) -> int:
    """Empty ``raw`` of the mentions fetched before ``before``; returns how many."""
    pruned = 0
    last_id = 0
    while True:
        ids = list(
            Mention.objects.filter(id__gt=last_id, fetched_at__lt=before)
            .order_by("id")
            .values_list("id", flat=True)[:PRUNE_CHUNK]
        )
        if not ids:
            return pruned
        last_id = ids[-1]
        with transaction.atomic():
            pruned += Mention.objects.filter(id__in=ids).update(raw={})
