"""The queue's query string → validated filters (anything unknown is ignored).

Read by the triage pages and by saved views (whose filters are a stored query
string), so it sits with the queue's selectors, below the views.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from django.http import QueryDict

from listening.models import Intent, Platform, Sentiment

from ..models import PRIORITY_BY_NAME, CaseStatus
from .queue import (
    SORT_PRIORITY,
    SORTS,
    VIEW_ALL,
    VIEWS,
    QueueFilters,
    cursor_decode,
)

LANGUAGES = ("zh", "en")
SEARCH_MAX = 100
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,50}$")

# The query-string keys the filter bar writes (kept across views and pages).
FILTER_KEYS = (
    "platform",
    "language",
    "sentiment",
    "intent",
    "brand",
    "priority",
    "status",
    "label",
    "q",
    "team",
    "sort",
)


def _pick(value: str, allowed: Collection[str]) -> str:
    return value if value in allowed else ""


def queue_filters(params: QueryDict, *, default_view: str = VIEW_ALL) -> QueueFilters:
    view = params.get("view", default_view)
    sort = params.get("sort", SORT_PRIORITY)
    sort = sort if sort in SORTS else SORT_PRIORITY
    priority_raw = params.get("priority", "")
    priority = PRIORITY_BY_NAME.get(priority_raw)
    brand = params.get("brand", "").strip()
    team = params.get("team", "")
    return QueueFilters(
        view=view if view in VIEWS else default_view,
        platform=_pick(params.get("platform", ""), Platform.values),
        language=_pick(params.get("language", ""), LANGUAGES),
        sentiment=_pick(params.get("sentiment", ""), Sentiment.values),
        intent=_pick(params.get("intent", ""), Intent.values),
        brand=brand if _SLUG.match(brand) else "",
        priority=priority,
        status=_pick(params.get("status", ""), CaseStatus.values),
        label=params.get("label", "").strip()[:50],
        q=" ".join(params.get("q", "").split())[:SEARCH_MAX],
        team_id=int(team) if (team.isascii() and team.isdigit()) else None,
        sort=sort,
        cursor=cursor_decode(params.get("cursor", ""), sort),
    )


def filters_query(filters: QueueFilters) -> QueryDict:
    """The filters as a query string (no view, no cursor)."""
    qd = QueryDict(mutable=True)
    values = {
        "platform": filters.platform,
        "language": filters.language,
        "sentiment": filters.sentiment,
        "intent": filters.intent,
        "brand": filters.brand,
        "priority": next(
            (k for k, v in PRIORITY_BY_NAME.items() if v == filters.priority), ""
        ),
        "status": filters.status,
        "label": filters.label,
        "q": filters.q,
        "team": str(filters.team_id) if filters.team_id is not None else "",
        "sort": filters.sort if filters.sort != SORT_PRIORITY else "",
    }
    for key in FILTER_KEYS:
        if values[key]:
            qd[key] = values[key]
    return qd


def active_filter_count(filters: QueueFilters) -> int:
    query = filters_query(filters)
    return len([k for k in query if k != "sort"])
