"""Reads of the mock store, shaped for building wire payloads fast: plain dicts from
``.values()`` (no model instances), one query per page, one per set of related posts,
and authors from a process-wide cache (a user row never changes once made; a reset
makes new rows with new keys, so a cached row is never stale)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from .models import MockAuthor, MockPlatform, MockPost

POST_COLUMNS = (
    "ext_id",
    "platform",
    "kind",
    "text",
    "created_at",
    "author_id",
    "root_id",
    "parent_id",
    "repost_of_id",
    "target_user_id",
    "is_deleted",
    "reposts_count",
    "comments_count",
    "likes_count",
    "quotes_count",
    "lat",
    "lon",
    "source",
    "lang",
)
AUTHOR_COLUMNS = (
    "id",
    "platform",
    "ext_id",
    "pool_index",
    "screen_name",
    "name",
    "gender",
    "province",
    "city",
    "location",
    "description",
    "followers_count",
    "friends_count",
    "statuses_count",
    "favourites_count",
    "verified",
    "verified_type",
    "badge",
    "is_college",
    "is_brand",
    "is_deleted",
    "created_at",
)
# Enough for every pool of the three platforms several times over.
AUTHOR_CACHE_MAX = 50_000
_author_cache: dict[int, dict[str, Any]] = {}
_author_lock = threading.Lock()

Row = dict[str, Any]
# From this offset on, a page is read in two steps (ids first, then rows).
DEFERRED_JOIN_OFFSET = 1000


def platform_state_get(*, platform: str) -> MockPlatform | None:
    return MockPlatform.objects.filter(pk=platform).first()


def visible_statuses(*, platform: str) -> QuerySet[MockPost]:
    """Statuses a timeline, search or feed may show (not comments, not the deleted
    originals that only appear inside reposts)."""
    return MockPost.objects.filter(platform=platform, kind="status", is_deleted=False)


def posts_page(
    queryset: QuerySet[MockPost],
    *,
    since_id: int | None = None,
    max_id: int | None = None,
    below_id: int | None = None,
    limit: int,
    offset: int = 0,
    newest_first: bool = True,
) -> list[Row]:
    """One page of ``queryset`` by id: since_id exclusive, max_id inclusive,
    below_id exclusive (Twitter's until_id), ``limit`` rows after ``offset``."""
    if since_id is not None:
        queryset = queryset.filter(ext_id__gt=since_id)
    if max_id is not None:
        queryset = queryset.filter(ext_id__lte=max_id)
    if below_id is not None:
        queryset = queryset.filter(ext_id__lt=below_id)
    order = "-ext_id" if newest_first else "ext_id"
    return list(queryset.order_by(order).values(*POST_COLUMNS)[offset : offset + limit])


def posts_by_ids(ids: Iterable[int | None]) -> dict[int, Row]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = MockPost.objects.filter(ext_id__in=wanted).values(*POST_COLUMNS)
    return {row["ext_id"]: row for row in rows}


def post_get(*, platform: str, ext_id: int, kind: str | None = None) -> Row | None:
    queryset = MockPost.objects.filter(platform=platform, ext_id=ext_id)
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    row: Row | None = queryset.values(*POST_COLUMNS).first()
    return row


def authors_by_ids(ids: Iterable[int | None]) -> dict[int, Row]:
    """Author rows by primary key, from the cache when they have been seen."""
    found: dict[int, Row] = {}
    missing: set[int] = set()
    for author_id in ids:
        if author_id is None:
            continue
        row = _author_cache.get(author_id)
        if row is None:
            missing.add(author_id)
        else:
            found[author_id] = row
    if missing:
        rows = MockAuthor.objects.filter(id__in=missing).values(*AUTHOR_COLUMNS)
        with _author_lock:
            if len(_author_cache) > AUTHOR_CACHE_MAX:
                _author_cache.clear()
            for row in rows:
                _author_cache[row["id"]] = row
                found[row["id"]] = row
    return found


def author_by_ext_id(*, platform: str, ext_id: int) -> Row | None:
    row: Row | None = (
        MockAuthor.objects.filter(platform=platform, ext_id=ext_id)
        .values(*AUTHOR_COLUMNS)
        .first()
    )
    return row


def brand_author(*, platform: str) -> Row | None:
    row: Row | None = (
        MockAuthor.objects.filter(platform=platform, pool_index=0)
        .values(*AUTHOR_COLUMNS)
        .first()
    )
    return row


def received_replies(*, platform: str, limit: int) -> list[Row]:
    return list(
        MockPost.objects.filter(platform=platform, is_received=True)
        .order_by("-ext_id")
        .values(*POST_COLUMNS)[:limit]
    )


def reply_exists(
    *,
    platform: str,
    root_id: int | None,
    parent_id: int | None,
    text: str,
    **extra: Any,
) -> bool:
    """A reply with this exact text was already received for this target."""
    filters = Q(platform=platform, is_received=True, text=text)
    if parent_id is not None:
        filters &= Q(parent_id=parent_id)
    else:
        filters &= Q(parent__isnull=True)
        filters &= Q(root_id=root_id) if root_id is not None else Q(root__isnull=True)
    return MockPost.objects.filter(filters, **extra).exists()


def platform_counts(*, platform: str) -> dict[str, int]:
    posts = MockPost.objects.filter(platform=platform)
    return {
        "statuses": posts.filter(kind="status", is_deleted=False).count(),
        "comments": posts.filter(kind="comment").count(),
        "mentions": posts.filter(
            kind="status", is_deleted=False, mentions_brand=True
        ).count(),
        "received": posts.filter(is_received=True).count(),
        "authors": MockAuthor.objects.filter(platform=platform).count(),
    }
