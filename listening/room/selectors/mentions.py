"""The mentions behind a point, and the spikes of a view."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q, QuerySet

from listening.models import (
    Mention,
    RollupHour,
    Spike,
)

from ..filters import RoomFilter
from .base import (
    MENTION_PAGE,
    _mentions_in,
    json_has,
)


def mentions_behind(
    f: RoomFilter,
    *,
    author_id: int = 0,
    keyword: str = "",
    before_id: int = 0,
    limit: int = MENTION_PAGE,
) -> list[Mention]:
    """The mentions behind a point or a row, newest first (strict time order)."""
    qs = _mentions_in(f).select_related("author")
    if author_id:
        qs = qs.filter(author_id=author_id)
    if keyword:
        qs = qs.filter(json_has("keywords", keyword))
    if before_id:
        qs = qs.filter(id__lt=before_id)
    return list(qs.defer("raw").order_by("-created_at", "-id")[:limit])


def spikes_since(since: dt.datetime, *, subjects=None) -> QuerySet[Spike]:
    qs = Spike.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gte=since))
    if subjects is not None:
        qs = qs.filter(subject__in=list(subjects))
    return qs.order_by("-started_at")


def spikes_in(f: RoomFilter) -> list[Spike]:
    qs = Spike.objects.filter(started_at__lt=f.end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=f.start)
    )
    if f.subjects != ("",):
        qs = qs.filter(subject__in=[s for s in f.subjects if s])
    return list(qs.order_by("started_at")[:50])


def latest_bucket() -> dt.datetime | None:
    return RollupHour.objects.aggregate(t=Max("bucket"))["t"]
