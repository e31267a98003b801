"""Reads of the listening room's panels: rollups only (the mention table is read only
for minute buckets of short ranges, which its created_at index bounds, and for the
mention list behind a point)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMinute

from listening.models import (
    Author,
    Brand,
    Mention,
    RollupAudienceDay,
    RollupAuthorsHour,
    RollupDay,
    RollupHour,
    RollupInfluencerDay,
    RollupKeywordDay,
    Spike,
)
from listening.nlp.keywords import stopwords

from .filters import RoomFilter

TOP_KEYWORDS = 25
TOP_INFLUENCERS = 20
TOP_POSTS = 5
TOP_POSTS_WINDOW = dt.timedelta(hours=6)
MENTION_PAGE = 50
_EMOTICON_CHARS = "[]"


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _local_day(value: dt.datetime) -> dt.date:
    return value.astimezone(_zone()).date()


def _volume_rows(f: RoomFilter, *, subjects=None) -> tuple[QuerySet, str]:
    """The volume rollup rows of the view, and the name of their time column."""
    subjects = list(subjects if subjects is not None else f.subjects)
    if f.interval == "day":
        qs = RollupDay.objects.filter(
            bucket__gte=_local_day(f.start), bucket__lte=_local_day(f.end)
        )
    else:
        hour = f.start.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
        qs = RollupHour.objects.filter(bucket__gte=hour, bucket__lt=f.end)
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


def _brand_subjects(f: RoomFilter) -> list[str]:
    if f.brand:
        return [f.brand]
    slugs = list(Brand.objects.values_list("slug", flat=True))
    if f.subjects != ("",):
        return [s for s in slugs if s in f.subjects]
    return slugs


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


def excluded_words() -> set[str]:
    """Brand names and aliases: of course they are frequent."""
    words: set[str] = set()
    for brand in Brand.objects.prefetch_related("products"):
        words.update(w.lower() for w in [brand.slug, brand.name, *brand.aliases])
    return words


def _keyword_counts(subjects, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (
        RollupKeywordDay.objects.filter(
            subject__in=list(subjects), bucket__gte=start, bucket__lte=end
        )
        .values("keyword")
        .annotate(n=Sum("mentions"))
        .filter(n__gt=0)
    )
    return {r["keyword"]: r["n"] for r in rows}


def rising_keywords(f: RoomFilter, *, limit: int = TOP_KEYWORDS) -> dict:
    """Keywords and #topics# whose count rose most in the range against the
    preceding range of the same length (days in the site's time zone)."""
    start, end = _local_day(f.start), _local_day(f.end)
    days = (end - start).days + 1
    base_end = start - dt.timedelta(days=1)
    base_start = start - dt.timedelta(days=days)
    now = _keyword_counts(f.subjects, start, end)
    before = _keyword_counts(f.subjects, base_start, base_end)
    skip = stopwords() | excluded_words()
    out = []
    for word, count in now.items():
        bare = word.strip("#").lower()
        if bare in skip or (word.startswith("[") and word.endswith("]")):
            continue
        base = before.get(word, 0)
        out.append(
            {
                "keyword": word.strip("#"),
                "topic": word.startswith("#"),
                "count": count,
                "baseline": base,
                "rise": count - base,
                "ratio": round((count + 1) / (base + 1), 2),
            }
        )
    out.sort(key=lambda k: (-k["rise"], -k["count"], k["keyword"]))
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "baseline_start": base_start.isoformat(),
        "results": out[:limit],
    }


def influencers(f: RoomFilter, *, limit: int = TOP_INFLUENCERS) -> dict:
    qs = RollupInfluencerDay.objects.filter(
        subject__in=list(f.subjects),
        bucket__gte=_local_day(f.start),
        bucket__lte=_local_day(f.end),
    )
    if f.platform:
        qs = qs.filter(platform=f.platform)
    rows = list(
        qs.values("author_id")
        .annotate(
            mentions=Sum("mentions"),
            reach=Sum("reach"),
            positive=Sum("positive"),
            negative=Sum("negative"),
            engagement=Sum("engagement"),
            depth=Sum("depth"),
        )
        .filter(mentions__gt=0)
        .order_by("-reach", "author_id")[:limit]
    )
    authors = Author.objects.in_bulk([r["author_id"] for r in rows])
    out = []
    for row in rows:
        author = authors.get(row["author_id"])
        if author is None:
            continue
        out.append(
            {
                "author_id": author.id,
                "platform": author.platform,
                "screen_name": author.screen_name or author.name,
                "followers": author.followers_count,
                "verified": author.verified,
                "mentions": row["mentions"],
                "reach": row["reach"],
                "engagement": row["engagement"],
                "chain_depth": round(row["depth"] / row["mentions"], 2),
                "sentiment": round(
                    (row["positive"] - row["negative"]) / row["mentions"], 4
                ),
            }
        )
    return {"results": out}


def intent_mix(f: RoomFilter) -> dict:
    """Mentions per intent, and the top posts (by priority) of each."""
    if f.interval == "minute":
        f = RoomFilter(**{**f.__dict__, "interval": "hour"})
    qs, _time = _volume_rows(f)
    counts = {
        r["intent"]: r["n"]
        for r in qs.values("intent").annotate(n=Sum("mentions")).filter(n__gt=0)
    }
    total = sum(counts.values()) or 1
    # Top posts from the last TOP_POSTS_WINDOW of the range: one bounded query.
    recent = RoomFilter(
        **{**f.__dict__, "start": max(f.start, f.end - TOP_POSTS_WINDOW)}
    )
    top: dict[str, list] = defaultdict(list)
    candidates = (
        _mentions_in(recent)
        .select_related("author")
        .only(
            "id",
            "text",
            "platform",
            "created_at",
            "priority",
            "intent",
            "author__screen_name",
        )
        .order_by("-priority", "-id")[: TOP_POSTS * 20]
    )
    for mention in candidates:
        if len(top[mention.intent]) < TOP_POSTS:
            top[mention.intent].append(mention)
    out = []
    for intent, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        out.append(
            {
                "intent": intent,
                "mentions": n,
                "share": round(n / total, 4),
                "top": top.get(intent, []),
            }
        )
    return {"results": out}


def audience(f: RoomFilter) -> dict:
    """Per platform: gender, province, verified and college-aged shares of the people
    mentioning (author-days: a person counts once per day they spoke)."""
    qs = RollupAudienceDay.objects.filter(
        subject__in=list(f.subjects),
        bucket__gte=_local_day(f.start),
        bucket__lte=_local_day(f.end),
    )
    if f.platform:
        qs = qs.filter(platform=f.platform)
    rows = qs.values("platform", "gender", "province", "verified", "college").annotate(
        n=Sum("authors")
    )
    per: dict[str, dict] = {}
    for row in rows:
        if not row["n"]:
            continue
        entry = per.setdefault(
            row["platform"],
            {
                "authors": 0,
                "gender": defaultdict(int),
                "province": defaultdict(int),
                "verified": 0,
                "college": 0,
            },
        )
        entry["authors"] += row["n"]
        entry["gender"][row["gender"] or "?"] += row["n"]
        if row["province"]:
            entry["province"][row["province"]] += row["n"]
        entry["verified"] += row["n"] if row["verified"] else 0
        entry["college"] += row["n"] if row["college"] else 0
    out = []
    for platform in sorted(per):
        entry = per[platform]
        n = entry["authors"]
        provinces = sorted(entry["province"].items(), key=lambda kv: -kv[1])[:10]
        out.append(
            {
                "platform": platform,
                "authors": n,
                "gender": {
                    k: round(v / n, 4) for k, v in sorted(entry["gender"].items())
                },
                "provinces": [
                    {"province": k, "share": round(v / n, 4)} for k, v in provinces
                ],
                "verified_share": round(entry["verified"] / n, 4),
                "college_share": round(entry["college"] / n, 4),
            }
        )
    return {"results": out}


def own_accounts(f: RoomFilter, *, accounts: set[tuple[str, str]]) -> dict:
    """The brand's own accounts: their followers (as last seen), posts in the range,
    and comments and reposts per post."""
    out = []
    for platform, external_id in sorted(accounts):
        author = Author.objects.filter(
            platform=platform, external_id=external_id
        ).first()
        if author is None:
            continue
        posts = Mention.objects.filter(
            author=author, created_at__gte=f.start, created_at__lt=f.end
        )
        n = posts.count()
        comments = reposts = 0
        for metrics in posts.values_list("metrics", flat=True)[:1000]:
            comments += int((metrics or {}).get("comments", 0) or 0)
            reposts += int((metrics or {}).get("reposts", 0) or 0)
        out.append(
            {
                "platform": platform,
                "screen_name": author.screen_name,
                "followers": author.followers_count,
                "posts": n,
                "comments_per_post": round(comments / n, 1) if n else 0,
                "reposts_per_post": round(reposts / n, 1) if n else 0,
            }
        )
    return {"results": out}


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
