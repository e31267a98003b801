"""Influencers, intent mix, audience and the brand's own accounts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Sum

from listening.models import (
    Author,
    Mention,
    RollupAudienceDay,
    RollupInfluencerDay,
    RollupTopPost,
)

from ..filters import RoomFilter
from .base import (
    INTENT_LABELS,
    TOP_INFLUENCERS,
    TOP_POSTS,
    TOP_POSTS_WINDOW,
    _local_day,
    _mentions_in,
    _volume_rows,
)


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
    qs, _time = _volume_rows(f, by_intent=True)
    counts = {
        r["intent"]: r["n"]
        for r in qs.values("intent").annotate(n=Sum("mentions")).filter(n__gt=0)
    }
    total = sum(counts.values()) or 1
    # Top posts from the last TOP_POSTS_WINDOW of the range.
    recent = RoomFilter(
        **{**f.__dict__, "start": max(f.start, f.end - TOP_POSTS_WINDOW)}
    )
    top = _top_posts(recent)
    out = []
    for intent, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        out.append(
            {
                "intent": intent,
                "label": str(INTENT_LABELS.get(intent, intent or "—")),
                "mentions": n,
                "share": round(n / total, 4),
                "top": top.get(intent, []),
            }
        )
    return {"results": out}


def _top_posts(f: RoomFilter) -> dict[str, list[Mention]]:
    """The TOP_POSTS mentions of highest priority of each intent in the view: from
    the top-post rollup (a few hundred rows), or, when a language or source filter
    narrows the view (the rollup does not keep those), from the mention table."""
    top: dict[str, list[Mention]] = defaultdict(list)
    fields = (
        "id",
        "text",
        "platform",
        "created_at",
        "priority",
        "intent",
        "author__screen_name",
    )
    if f.language or f.source:
        candidates = (
            _mentions_in(f)
            .select_related("author")
            .only(*fields)
            .order_by("-priority", "-id")[: TOP_POSTS * 20]
        )
        for mention in candidates:
            if len(top[mention.intent]) < TOP_POSTS:
                top[mention.intent].append(mention)
        return top
    hour = f.start.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    qs = RollupTopPost.objects.filter(
        bucket__gte=hour, bucket__lt=f.end, subject__in=list(f.subjects)
    )
    for name, value in (
        ("platform", f.platform),
        ("sentiment", f.sentiment),
        ("intent", f.intent),
    ):
        if value:
            qs = qs.filter(**{name: value})
    best: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for intent, mention_id, priority in qs.values_list(
        "intent", "mention_id", "priority"
    ):
        best[intent].append((priority, mention_id))
    wanted: list[int] = []
    for entries in best.values():
        seen: set[int] = set()
        for _priority, mention_id in sorted(entries, reverse=True):
            if mention_id not in seen:
                seen.add(mention_id)
                wanted.append(mention_id)
            if len(seen) >= TOP_POSTS * 2:  # spare ones: some may fall out of range
                break
    mentions = (
        Mention.objects.filter(
            id__in=wanted, created_at__gte=f.start, created_at__lt=f.end
        )
        .select_related("author")
        .only(*fields)
        .order_by("-priority", "-id")
    )
    for mention in mentions:
        if len(top[mention.intent]) < TOP_POSTS:
            top[mention.intent].append(mention)
    return top


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
