"""Counters of live posts and follower counts, polled within the platforms' rate
limits.

Each run spends at most what is left of each platform's window
(``conf.RATE_LIMITS``, counted in the cache, shared by every worker) on batched
calls (100 posts a call on Weibo and Twitter; Renren's brand page 100 statuses a
page), most overdue posts first. A post is read every minute in its first hour,
every 5 minutes in its first day, hourly in its first week, then no more.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from listening.adapters import PlatformError, RateLimited

from ..conf import METRICS_INTERVALS, METRICS_STOP_AFTER, RATE_LIMITS
from ..models import (
    BrandAccount,
    FollowerSnapshot,
    MetricSnapshot,
    PostTarget,
    TargetStatus,
)
from ..platforms import METRICS_BATCH, Counters, publisher_for

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PollReport:
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    posts: int = 0
    accounts: int = 0
    errors: list[str] = field(default_factory=list)
    rate_limited: list[str] = field(default_factory=list)


def _window_key(platform: str, now: dt.datetime) -> tuple[str, int]:
    limit, seconds = RATE_LIMITS[platform]
    window = int(now.timestamp()) // seconds
    return f"publishing:calls:{platform}:{window}", seconds


def calls_left(platform: str, *, now: dt.datetime | None = None) -> int:
    key, _seconds = _window_key(platform, now or timezone.now())
    return max(RATE_LIMITS[platform][0] - int(cache.get(key, 0)), 0)


def _spend(platform: str, calls: int, now: dt.datetime) -> None:
    key, seconds = _window_key(platform, now)
    cache.add(key, 0, timeout=seconds + 60)
    try:
        cache.incr(key, calls)
    except ValueError:  # evicted between add and incr
        cache.set(key, calls, timeout=seconds + 60)


def next_poll_at(published_at: dt.datetime, now: dt.datetime) -> dt.datetime | None:
    age = (now - published_at).total_seconds()
    if age >= METRICS_STOP_AFTER:
        return None
    for until, every in METRICS_INTERVALS:
        if age < until:
            return now + dt.timedelta(seconds=every)
    return now + dt.timedelta(seconds=METRICS_INTERVALS[-1][1] * 24)


def metrics_poll(*, now: dt.datetime | None = None) -> PollReport:
    """One polling run over every platform (the body of ``publishing.poll_metrics``)."""
    now = now or timezone.now()
    report = PollReport()
    for platform in RATE_LIMITS:
        accounts = list(BrandAccount.objects.filter(platform=platform, enabled=True))
        for account in accounts:
            _followers(account, now, report)
        _posts(platform, now, report)
    return report


def _followers(account: BrandAccount, now: dt.datetime, report: PollReport) -> None:
    if calls_left(account.platform, now=now) < 1:
        return
    _spend(account.platform, 1, now)
    report.calls[account.platform] += 1
    try:
        count = publisher_for(account.platform).followers(
            account_id=account.external_id
        )
    except RateLimited as exc:
        report.rate_limited.append(f"{account.platform}: {exc}")
        return
    except PlatformError as exc:
        report.errors.append(f"{account.platform}: {exc}")
        return
    with transaction.atomic():
        FollowerSnapshot.objects.create(account=account, taken_at=now, followers=count)
        BrandAccount.objects.filter(pk=account.pk).update(
            followers_count=count, followers_at=now
        )
    report.accounts += 1


def _posts(platform: str, now: dt.datetime, report: PollReport) -> None:
    left = calls_left(platform, now=now)
    if left < 1:
        return
    due = list(
        PostTarget.objects.filter(
            status=TargetStatus.PUBLISHED,
            account__platform=platform,
            metrics_next_at__lte=now,
        )
        .select_related("account")
        .order_by("metrics_next_at")[: left * METRICS_BATCH]
    )
    by_account: dict[int, list[PostTarget]] = defaultdict(list)
    for target in due:
        by_account[target.account_id].append(target)
    # Renren has no lookup by ids: one walk of the brand page serves them all.
    batch = 10**9 if platform == "renren" else METRICS_BATCH
    for targets in by_account.values():
        account = targets[0].account
        for start in range(0, len(targets), batch):
            if calls_left(platform, now=now) < 1:
                return
            chunk = targets[start : start + batch]
            try:
                found, calls = publisher_for(platform).counters(
                    account_id=account.external_id,
                    ids=[t.external_id for t in chunk],
                    max_calls=calls_left(platform, now=now),
                )
            except RateLimited as exc:
                _spend(platform, 1, now)
                report.calls[platform] += 1
                report.rate_limited.append(f"{platform}: {exc}")
                return
            except PlatformError as exc:
                _spend(platform, 1, now)
                report.calls[platform] += 1
                report.errors.append(f"{platform}: {exc}")
                continue
            _spend(platform, calls, now)
            report.calls[platform] += calls
            report.posts += _store(chunk, found, now)


def _store(
    chunk: list[PostTarget], found: dict[str, Counters], now: dt.datetime
) -> int:
    snapshots = []
    for target in chunk:
        counters = found.get(target.external_id)
        target.metrics_next_at = next_poll_at(target.published_at or now, now)
        if counters is None:
            continue  # deleted on the platform: asked again later, then given up
        target.comments = counters.comments
        target.reposts = counters.reposts
        target.likes = counters.likes
        target.reach = counters.reach
        target.metrics_at = now
        snapshots.append(
            MetricSnapshot(
                target=target,
                taken_at=now,
                comments=counters.comments,
                reposts=counters.reposts,
                likes=counters.likes,
                reach=counters.reach,
            )
        )
    with transaction.atomic():
        MetricSnapshot.objects.bulk_create(snapshots)
        PostTarget.objects.bulk_update(
            chunk,
            ["comments", "reposts", "likes", "reach", "metrics_at", "metrics_next_at"],
        )
    return len(snapshots)
