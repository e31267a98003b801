"""Volume, sentiment and share of voice over time (volume rollups)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMinute

from listening.models import (
    Brand,
    RollupAudienceDay,
    RollupAuthorsHour,
)

from ..filters import RoomFilter
from .base import (
    _brand_subjects,
    _bucket_key,
    _local_day,
    _mentions_in,
    _volume_rows,
)


def _authors(f: RoomFilter, group_by: str) -> dict[tuple[str, str], int] | None:
    """Distinct authors per bucket (and group): from the author rollups, which know
    platform and subject only; None when other filters would make them wrong."""
    if f.sentiment or f.intent or f.language or f.source or group_by == "sentiment":
        return None
    if f.interval == "day":
        qs = RollupAudienceDay.objects.filter(
            bucket__gte=_local_day(f.start), bucket__lte=_local_day(f.end)
        )
    else:
        hour = f.start.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
        qs = RollupAuthorsHour.objects.filter(bucket__gte=hour, bucket__lt=f.end)
    subjects = _brand_subjects(f) if group_by == "brand" else list(f.subjects)
    qs = qs.filter(subject__in=subjects)
    if f.platform:
        qs = qs.filter(platform=f.platform)
    column = "subject" if group_by == "brand" else "platform"
    out: dict[tuple[str, str], int] = defaultdict(int)
    for row in qs.values("bucket", column).annotate(n=Sum("authors")):
        out[(_bucket_key(row["bucket"], f.interval), row[column])] += row["n"]
    return out


def volume_series(f: RoomFilter) -> dict:
    """Mentions, distinct authors and reach per bucket, one series per group."""
    group_by = f.group_by
    if f.interval == "minute":
        qs = _mentions_in(f).annotate(t=TruncMinute("created_at", tzinfo=dt.UTC))
        column = {"platform": "platform", "sentiment": "sentiment_label"}.get(
            group_by, "platform"
        )
        rows = qs.values("t", column).annotate(
            mentions=Count("id"),
            authors=Count("author_id", distinct=True),
            reach=Sum("author__followers_count"),
        )
        series: dict[str, list] = defaultdict(list)
        for row in rows.order_by("t"):
            series[row[column]].append(
                {
                    "t": _bucket_key(row["t"], "minute"),
                    "mentions": row["mentions"],
                    "authors": row["authors"],
                    "reach": row["reach"] or 0,
                }
            )
        return _series_out(f, series)
    if group_by == "brand":
        qs, time = _volume_rows(f, subjects=_brand_subjects(f))
        column = "subject"
    else:
        qs, time = _volume_rows(f)
        column = group_by
    rows = qs.values(time, column).annotate(
        mentions=Sum("mentions"), reach=Sum("reach")
    )
    authors = _authors(f, group_by)
    merged: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        key = (_bucket_key(row[time], f.interval), row[column])
        merged[key][0] += row["mentions"]
        merged[key][1] += row["reach"] or 0
    series = defaultdict(list)
    for (t, group), (mentions, reach) in sorted(merged.items()):
        if not mentions:
            continue
        series[group].append(
            {
                "t": t,
                "mentions": mentions,
                "authors": None if authors is None else authors.get((t, group), 0),
                "reach": reach,
            }
        )
    return _series_out(f, series)


def _series_out(f: RoomFilter, series: dict) -> dict:
    return {
        "interval": f.interval,
        "group_by": f.group_by,
        "series": [
            {
                "key": key,
                "total": sum(p["mentions"] for p in series[key]),
                "points": series[key],
            }
            for key in sorted(series)
        ],
    }


def sentiment_series(f: RoomFilter) -> dict:
    """Positive / neutral / negative share per bucket, the net score
    ((positive − negative) / all) and the sarcasm-flagged share."""
    if f.interval == "minute":
        rows = (
            _mentions_in(f)
            .annotate(t=TruncMinute("created_at", tzinfo=dt.UTC))
            .values("t", "sentiment_label")
            .annotate(n=Count("id"), s=Count("id", filter=Q(sarcasm=True)))
        )
        rows = [
            {
                "bucket": r["t"],
                "sentiment": r["sentiment_label"],
                "n": r["n"],
                "s": r["s"],
            }
            for r in rows
        ]
    else:
        qs, time = _volume_rows(f)
        rows = qs.values(time, "sentiment").annotate(
            n=Sum("mentions"), s=Sum("sarcastic")
        )
    buckets: dict[str, dict] = defaultdict(
        lambda: {"positive": 0, "neutral": 0, "negative": 0, "sarcastic": 0}
    )
    for row in rows:
        entry = buckets[_bucket_key(row["bucket"], f.interval)]
        if row["sentiment"] in entry:
            entry[row["sentiment"]] += row["n"]
        entry["sarcastic"] += row["s"] or 0
    points = []
    totals = {"positive": 0, "neutral": 0, "negative": 0, "sarcastic": 0}
    for t in sorted(buckets):
        entry = buckets[t]
        total = entry["positive"] + entry["neutral"] + entry["negative"]
        if not total:
            continue
        for k in totals:
            totals[k] += entry[k]
        points.append(_shares(t, entry, total))
    total = totals["positive"] + totals["neutral"] + totals["negative"]
    return {
        "interval": f.interval,
        "points": points,
        "total": _shares("", totals, total) if total else None,
    }


def _shares(t: str, entry: dict, total: int) -> dict:
    return {
        "t": t,
        "mentions": total,
        "positive": round(entry["positive"] / total, 4),
        "neutral": round(entry["neutral"] / total, 4),
        "negative": round(entry["negative"] / total, 4),
        "net": round((entry["positive"] - entry["negative"]) / total, 4),
        "sarcastic": round(entry["sarcastic"] / total, 4),
    }


def share_of_voice(f: RoomFilter) -> dict:
    """Each tracked brand's mentions, share, reach and sentiment, and its trend."""
    brands = {b.slug: b for b in Brand.objects.all()}
    slugs = _brand_subjects(f) if f.subjects == ("",) or f.brand else list(f.subjects)
    slugs = [s for s in slugs if s in brands]
    day_view = f.interval == "day"
    if f.interval == "minute":
        f = RoomFilter(**{**f.__dict__, "interval": "hour"})
    qs, time = _volume_rows(f, subjects=slugs)
    totals: dict[str, dict] = {
        s: {"mentions": 0, "reach": 0, "positive": 0, "neutral": 0, "negative": 0}
        for s in slugs
    }
    trend: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = qs.values(time, "subject", "sentiment").annotate(
        n=Sum("mentions"), r=Sum("reach")
    )
    for row in rows:
        entry = totals[row["subject"]]
        entry["mentions"] += row["n"]
        entry["reach"] += row["r"] or 0
        if row["sentiment"] in entry:
            entry[row["sentiment"]] += row["n"]
        bucket = row[time]
        if not day_view:
            bucket = _local_day(bucket)
        trend[bucket.isoformat()][row["subject"]] += row["n"]
    all_mentions = sum(e["mentions"] for e in totals.values()) or 1
    out = []
    for slug in sorted(
        slugs, key=lambda s: (brands[s].kind != "own", -totals[s]["mentions"])
    ):
        entry = totals[slug]
        n = entry["mentions"] or 1
        out.append(
            {
                "brand": slug,
                "name": brands[slug].name,
                "kind": brands[slug].kind,
                "mentions": entry["mentions"],
                "share": round(entry["mentions"] / all_mentions, 4),
                "reach": entry["reach"],
                "sentiment": {
                    k: round(entry[k] / n, 4)
                    for k in ("positive", "neutral", "negative")
                },
            }
        )
    trend_out = []
    for day in sorted(trend):
        day_total = sum(trend[day].values()) or 1
        trend_out.append(
            {
                "t": day,
                "shares": {s: round(trend[day][s] / day_total, 4) for s in slugs},
            }
        )
    return {"brands": out, "trend": trend_out}
