"""Reads of publishing, already joined: posts in reach, the calendar, the
comparison table, a post's performance, an account's follower curve."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from ambassadors.models import Role
from ambassadors.selectors import user_role
from coupons.selectors import CodeTotals, code_redemption_totals
from engagement.models import CaseMention
from listening.models import Mention

from .conf import FOLLOWER_WINDOW_SECONDS
from .models import (
    BrandAccount,
    FollowerSnapshot,
    MetricSnapshot,
    Post,
    PostStatus,
    PostTarget,
)


def accounts_list() -> QuerySet[BrandAccount]:
    return BrandAccount.objects.filter(enabled=True).order_by("platform", "name")


def posts_visible_to(user: User) -> QuerySet[Post]:
    """Managers and admins see every post; others their own."""
    posts = Post.objects.select_related(
        "author", "campaign", "coupon_code", "survey", "approved_by"
    ).prefetch_related(
        Prefetch("targets", queryset=PostTarget.objects.select_related("account"))
    )
    if user_role(user) in (Role.MANAGER, Role.ADMIN):
        return posts
    if user_role(user) is None:
        return posts.none()
    return posts.filter(author=user)


def post_get_for_user(*, post_id: int, user: User) -> Post | None:
    return posts_visible_to(user).filter(id=post_id).first()


def approval_queue(user: User) -> QuerySet[Post]:
    return (
        posts_visible_to(user)
        .filter(status=PostStatus.PENDING_APPROVAL)
        .order_by("scheduled_at", "id")
    )


def calendar_posts(
    *,
    user: User,
    start: dt.datetime,
    end: dt.datetime,
    account_id: int | None = None,
) -> QuerySet[Post]:
    """Posts scheduled (or published) in [start, end), for one account or all."""
    posts = (
        posts_visible_to(user)
        .filter(scheduled_at__gte=start, scheduled_at__lt=end)
        .exclude(status=PostStatus.CANCELLED)
    )
    if account_id:
        posts = posts.filter(targets__account_id=account_id).distinct()
    return posts.order_by("scheduled_at", "id")


@dataclass(slots=True)
class Performance:
    """One published post on one account, comparable with the others."""

    target: PostTarget
    followers_gained: int | None = None
    orders: int = 0
    revenue: object = 0
    comments_listed: int = 0
    snapshots: list[MetricSnapshot] = field(default_factory=list)
    chart: dict[str, Any] | None = None  # set by the page
    reach_chart: dict[str, Any] | None = None


# A post without a code (or a code nobody used yet).
_NO_TOTALS: CodeTotals = {"orders": 0, "revenue": None}


def _followers_at(curve: list[FollowerSnapshot], when: dt.datetime) -> int | None:
    """The last count taken at or before ``when`` (None if none)."""
    best = None
    for snap in curve:
        if snap.taken_at <= when:
            best = snap.followers
        else:
            break
    return best


def _gained(
    curve: list[FollowerSnapshot], published_at: dt.datetime | None, now: dt.datetime
) -> int | None:
    if published_at is None:
        return None
    before = _followers_at(curve, published_at)
    end = min(published_at + dt.timedelta(seconds=FOLLOWER_WINDOW_SECONDS), now)
    after = _followers_at(curve, end)
    if before is None or after is None:
        return None
    return after - before


def performance_table(
    *, user: User, now: dt.datetime, account_id: int | None = None
) -> list[Performance]:
    """Every published target in reach with followers gained after it, orders and
    revenue of its code: a fixed number of queries whatever the number of posts."""
    posts = posts_visible_to(user)
    targets = list(
        PostTarget.objects.filter(post__in=posts, published_at__isnull=False)
        .filter(Q(account_id=account_id) if account_id else Q())
        .select_related("account", "post__coupon_code", "post__author")
        .order_by("-published_at")[:500]
    )
    accounts = {t.account_id for t in targets}
    curves: dict[int, list[FollowerSnapshot]] = defaultdict(list)
    if targets:
        # Every target here is published (published_at__isnull=False above).
        oldest = min(t.published_at or now for t in targets) - dt.timedelta(days=2)
        for snap in FollowerSnapshot.objects.filter(
            account_id__in=accounts, taken_at__gte=oldest
        ).order_by("taken_at"):
            curves[snap.account_id].append(snap)
    totals = code_redemption_totals(
        code_ids={t.post.coupon_code_id for t in targets if t.post.coupon_code_id}
    )
    rows = []
    for target in targets:
        total = totals.get(target.post.coupon_code_id or 0, _NO_TOTALS)
        rows.append(
            Performance(
                target=target,
                followers_gained=_gained(
                    curves[target.account_id], target.published_at, now
                ),
                orders=total.get("orders", 0),
                revenue=total.get("revenue") or 0,
            )
        )
    return rows


def post_performance(*, post: Post, now: dt.datetime) -> list[Performance]:
    """Each account of one post: its counters over time, followers gained, orders
    and revenue of the post's code (one code per post)."""
    targets = list(post.targets.select_related("account"))
    snaps: dict[int, list[MetricSnapshot]] = defaultdict(list)
    for snap in MetricSnapshot.objects.filter(target__in=targets).order_by("taken_at"):
        snaps[snap.target_id].append(snap)
    totals = (
        code_redemption_totals(code_ids=[post.coupon_code_id])
        if post.coupon_code_id
        else {}
    )
    total = totals.get(post.coupon_code_id or 0, _NO_TOTALS)
    rows = []
    for target in targets:
        curve = list(
            FollowerSnapshot.objects.filter(
                account_id=target.account_id,
                taken_at__gte=(target.published_at or now) - dt.timedelta(days=2),
            ).order_by("taken_at")
        )
        rows.append(
            Performance(
                target=target,
                followers_gained=_gained(curve, target.published_at, now),
                orders=total.get("orders", 0),
                revenue=total.get("revenue") or 0,
                snapshots=snaps[target.id],
            )
        )
    return rows


def post_comments(*, post: Post, limit: int = 200) -> list[Mention]:
    """The comments on the post (fetched by listening) with their sentiment, and
    ``case_id`` of the case each belongs to."""
    keys = Q()
    published = [t for t in post.targets.all() if t.external_id]
    if not published:
        return []
    for target in published:
        keys |= Q(
            platform=target.account.platform,
            thread_external_id=target.external_id,
        ) & ~Q(external_id=target.external_id)
    case_of = CaseMention.objects.filter(mention=OuterRef("pk")).values("case_id")
    return list(
        Mention.objects.filter(keys)
        .annotate(case_id=Subquery(case_of[:1]))
        .select_related("author")
        .order_by("-created_at")[:limit]
    )


def follower_curve(
    *, account: BrandAccount, since: dt.datetime
) -> tuple[list[FollowerSnapshot], list[PostTarget]]:
    snaps = list(
        FollowerSnapshot.objects.filter(account=account, taken_at__gte=since).order_by(
            "taken_at"
        )
    )
    posts = list(
        PostTarget.objects.filter(account=account, published_at__gte=since)
        .select_related("post")
        .order_by("published_at")
    )
    return snaps, posts
