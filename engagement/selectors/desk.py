"""Reads of the desk's newer parts: merge candidates, replies written meanwhile,
saved views and their counts. Joined; a fixed number of queries per page."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import QueryDict

from ..models import ACTIVE_Q, Case, Reply, SavedView
from .cases import cases_visible_to
from .filters import queue_filters
from .people import user_profile
from .queue import (
    COUNT_CACHE_SECONDS,
    COUNT_CAP,
    CappedCount,
    QueueFilters,
    _costly,
    _filtered,
    _view_queryset,
)

MERGE_CANDIDATES_LIMIT = 10
SAVED_VIEWS_LIMIT = 20


def merge_candidates(*, case: Case, user: User) -> list[Case]:
    """The customer's other open cases on the platform (what ``case`` may merge
    into), newest first."""
    if case.author_id is None or not case.is_active:
        return []
    return list(
        cases_visible_to(user)
        .filter(ACTIVE_Q, platform=case.platform, author_id=case.author_id)
        .exclude(pk=case.pk)
        .only("id", "summary")
        .order_by("-id")[:MERGE_CANDIDATES_LIMIT]
    )


def replies_since(*, case_id: int, after_id: int, user: User) -> list[Reply]:
    """Replies others wrote on the case after reply ``after_id`` (the newest the
    composer's page had seen)."""
    return list(
        Reply.objects.filter(case_id=case_id, pk__gt=after_id)
        .exclude(author_id=user.pk)
        .select_related("author")
        .order_by("id")
    )


def latest_reply_id(replies: Iterable[Reply]) -> int:
    return max((r.pk for r in replies), default=0)


def saved_views_for(*, user: User) -> QuerySet[SavedView]:
    """The user's own saved views and their team's."""
    profile = user_profile(user)
    mine = Q(owner_id=user.pk) | Q(created_by_id=user.pk)
    if profile is not None and profile.team_id is not None:
        mine |= Q(team_id=profile.team_id)
    return SavedView.objects.filter(mine).select_related("team")[:SAVED_VIEWS_LIMIT]


def saved_view_filters(view: SavedView) -> QueueFilters:
    """The saved view's filters, validated like the queue's query string."""
    params = QueryDict(view.query, mutable=True)
    params["view"] = view.base_view
    params.pop("cursor", None)
    return queue_filters(params)


def saved_view_counts(
    *, user: User, views: Iterable[SavedView]
) -> dict[int, CappedCount]:
    """Each saved view's capped count of cases, cached like the built-in badges."""
    counts: dict[int, CappedCount] = {}
    for view in views:
        key = f"dashboard:saved-count:{user.pk}:{view.pk}:{hash(view.query)}"
        cached: CappedCount | None = cache.get(key)
        if cached is None:
            filters = saved_view_filters(view)
            qs = _view_queryset(user=user, view=filters.view, filters=filters)
            if qs is None:
                cached = CappedCount(0, False)
            else:
                qs = _filtered(qs, filters)
                costly = _costly(filters)
                if costly is not None:
                    qs = qs.filter(costly)
                n = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
                cached = CappedCount(min(n, COUNT_CAP), n > COUNT_CAP)
            cache.set(key, cached, COUNT_CACHE_SECONDS)
        counts[view.pk] = cached
    return counts
