"""What every panel reads through: time buckets, the rows of a view, subjects."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from listening.models import (
    Brand,
    Intent,
    Mention,
    RollupDay,
    RollupDaySummary,
    RollupHour,
    RollupHourSummary,
)

from ..filters import RoomFilter

TOP_KEYWORDS = 25
TOP_INFLUENCERS = 20
TOP_POSTS = 5
INTENT_LABELS = dict(Intent.choices)
TOP_POSTS_WINDOW = dt.timedelta(hours=6)
MENTION_PAGE = 50


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _local_day(value: dt.datetime) -> dt.date:
    return value.astimezone(_zone()).date()


def _volume_rows(
    f: RoomFilter, *, subjects=None, by_intent: bool = False
) -> tuple[QuerySet, str]:
    """The volume rollup rows of the view, and the name of their time column: the
    summary tables unless an intent, language or source matters."""
    subjects = list(subjects if subjects is not None else f.subjects)
    full = by_intent or bool(f.intent or f.language or f.source)
    if f.interval == "day":
        model = RollupDay if full else RollupDaySummary
        qs = model.objects.filter(
            bucket__gte=_local_day(f.start), bucket__lte=_local_day(f.end)
        )
    else:
        hour = f.start.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
        model = RollupHour if full else RollupHourSummary
        qs = model.objects.filter(bucket__gte=hour, bucket__lt=f.end)
    qs = qs.filter(subject__in=subjects)
    for name, value in (
        ("platform", f.platform),
        ("sentiment", f.sentiment),
        ("intent", f.intent),
        ("language", f.language),
        ("source_id", f.source),
    ):
        if value:
            qs = qs.filter(**{name: value})
    return qs, "bucket"


def json_has(field_name: str, value: str) -> Q:
    """A JSON list column holds this string (SQLite has no JSON containment: it
    matches the quoted string in the list's text)."""
    if connection.vendor == "sqlite":
        import json

        return Q(**{f"{field_name}__icontains": json.dumps(value)})
    return Q(**{f"{field_name}__contains": [value]})


def _mentions_in(f: RoomFilter) -> QuerySet[Mention]:
    """The analysed mentions of the view (the mention list, minute buckets)."""
    qs = Mention.objects.filter(
        created_at__gte=f.start, created_at__lt=f.end, analyzed_at__isnull=False
    )
    subject_q = Q()
    for subject in f.subjects:
        if subject.startswith("p:"):
            subject_q |= json_has("products", subject[2:])
        elif subject:
            subject_q |= json_has("brands", subject)
        else:
            subject_q = Q()
            break
    qs = qs.filter(subject_q)
    for name, value in (
        ("platform", f.platform),
        ("sentiment_label", f.sentiment),
        ("intent", f.intent),
        ("language", f.language),
        ("source_id", f.source),
    ):
        if value:
            qs = qs.filter(**{name: value})
    return qs


def _bucket_key(value, interval: str) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _brand_subjects(f: RoomFilter) -> list[str]:
    if f.brand:
        return [f.brand]
    slugs = list(Brand.objects.values_list("slug", flat=True))
    if f.subjects != ("",):
        return [s for s in slugs if s in f.subjects]
    return slugs
