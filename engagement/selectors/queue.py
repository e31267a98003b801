"""The triage queue: the API's list and the dashboard's views, filters, keyset pages,
capped and briefly cached counts, new rows for the live list, and the neighbours of
a case for j/k.

Every function returns rows already joined: a page runs the same number of queries
for one row as for fifty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypedDict

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    F,
    Field,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)

from ambassadors.models import Role
from ambassadors.selectors import user_role
from listening.models import Brand, Mention

from ..models import (
    ACTIVE_Q,
    Case,
    Priority,
)
from .cases import cases_joined, cases_visible_to
from .people import user_profile
from .sla import with_sla_flags

# A keyset position in the queue: the sort key of a row (see _sort_key).
Cursor = tuple[Any, ...]

# The queue's page: enough to triage without scrolling forever.
QUEUE_PAGE_SIZE = 50
# The queue's views, like a mail client's folders.
VIEW_MINE = "mine"
VIEW_TEAM = "team"
VIEW_UNASSIGNED = "unassigned"
VIEW_BREACHING = "breaching"
VIEW_ALL = "all"
VIEW_SNOOZED = "snoozed"
# In tab order; a new view adds its key here, a branch in _view_queryset and its
# name in engagement.views.triage.VIEW_NAMES. Every view but "snoozed" leaves
# snoozed cases out.
VIEWS = (VIEW_MINE, VIEW_TEAM, VIEW_UNASSIGNED, VIEW_BREACHING, VIEW_ALL, VIEW_SNOOZED)

SORT_PRIORITY = "priority"  # most urgent first, then the longest waiting
SORT_WAITING = "waiting"  # the longest waiting first, whatever the priority
SORTS = (SORT_PRIORITY, SORT_WAITING)
# Counts above this show as "1000+": counting a view stops after this many rows, so
# a badge costs at most this many index entries whatever the size of the queue.
COUNT_CAP = 1000
# Badges may be this stale; the live list polls far more often than it changes.
COUNT_CACHE_SECONDS = 15
# Rows of the queue one page of a costly filter (brand, text) looks at: bounds
# the page's time whatever the size of the queue (~10 µs a row for a brand).
SCAN_WINDOW = 2000
# New rows the live list adds per poll (more: the user reloads the view).
NEW_ROWS_LIMIT = 50


@dataclass(slots=True)
class QueueFilters:
    """The queue's view, filters, sort and page, already validated."""

    view: str = VIEW_ALL
    platform: str = ""
    language: str = ""
    sentiment: str = ""
    intent: str = ""
    brand: str = ""  # "own", "competitor" or a brand slug
    priority: int | None = None
    status: str = ""  # "" = the active statuses
    label: str = ""
    q: str = ""
    team_id: int | None = None
    sort: str = SORT_PRIORITY
    cursor: Cursor | None = None


@dataclass(slots=True)
class QueuePage:
    rows: list[Case]
    next_cursor: str = ""
    team_missing: bool = False  # the team view of someone without a team
    # A costly filter looked at only part of the queue: more may match after
    # next_cursor.
    partial: bool = False


@dataclass(frozen=True, slots=True)
class CappedCount:
    value: int
    capped: bool

    def __str__(self) -> str:
        return f"{COUNT_CAP}+" if self.capped else str(self.value)


def cases_queue(
    *,
    user: User,
    statuses: list[str] | None = None,
    team_id: int | None = None,
    assignee: str | int | None = None,
    platform: str | None = None,
    priority: int | None = None,
    sentiment: str | None = None,
    label: str | None = None,
    breached: bool | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Case]:
    """The triage queue: most urgent first, then the longest waiting.

    ``statuses`` defaults to the active ones. ``assignee`` is ``"me"``,
    ``"unassigned"``, a user id or a username. Each row carries ``sla_breached``.
    Served by the partial indexes on (team|assignee|-, priority, waiting_since).
    """
    qs = cases_visible_to(user)
    if statuses:
        qs = qs.filter(status__in=statuses)
    else:
        qs = qs.filter(ACTIVE_Q)
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    if assignee == "me":
        qs = qs.filter(assignee_id=user.pk)
    elif assignee == "unassigned":
        qs = qs.filter(assignee__isnull=True)
    elif isinstance(assignee, int) or (
        isinstance(assignee, str) and (assignee.isascii() and assignee.isdigit())
    ):
        qs = qs.filter(assignee_id=int(assignee))
    elif assignee:
        qs = qs.filter(assignee__username=assignee)
    if platform:
        qs = qs.filter(platform=platform)
    if priority:
        qs = qs.filter(priority=priority)
    if sentiment:
        qs = qs.filter(sentiment_label=sentiment)
    if label:
        qs = qs.filter(labels__name=label)
    qs = with_sla_flags(cases_joined(qs), now=now)
    if breached is not None:
        # sla_breached is with_sla_flags' annotation, read through a Q.
        qs = qs.filter(Q(sla_breached=breached))
    return qs.order_by("priority", "waiting_since", "id")


def cases_for_api(*, user: User) -> QuerySet[Case]:
    """The API's list: everything in reach (any status), joined, with SLA flags."""
    return with_sla_flags(cases_joined(cases_visible_to(user)))


def queue_counts(*, user: User) -> dict[str, int]:
    """Badges for the queue page: mine, my team's unassigned, all active in reach."""
    profile = user_profile(user)
    team_id = profile.team_id if profile else None
    # Active cases only (a few percent of all), through the partial indexes.
    return (
        cases_visible_to(user)
        .filter(ACTIVE_Q)
        .aggregate(
            active=Count("id"),
            mine=Count("id", filter=Q(assignee_id=user.pk)),
            team_waiting=Count("id", filter=Q(team_id=team_id, assignee__isnull=True)),
        )
    )


def _team_of(user: User) -> int | None:
    profile = user_profile(user)
    return profile.team_id if profile is not None else None


def _view_queryset(
    *, user: User, view: str, filters: QueueFilters | None = None
) -> QuerySet[Case] | None:
    """The engagement queue for one view (None: the view has no team to show)."""
    qs = _view_cases(user=user, view=view, filters=filters)
    if qs is None:
        return None
    return qs.filter(snoozed=view == VIEW_SNOOZED)


class _QueueArgs(TypedDict):
    """What every view passes to cases_queue, besides its own filter."""

    user: User
    statuses: list[str] | None
    platform: str | None
    priority: int | None
    sentiment: str | None
    label: str | None


def _view_cases(
    *, user: User, view: str, filters: QueueFilters | None = None
) -> QuerySet[Case] | None:
    f = filters or QueueFilters(view=view)
    statuses = [f.status] if f.status else None
    common: _QueueArgs = {
        "user": user,
        "statuses": statuses,
        "platform": f.platform or None,
        "priority": f.priority,
        "sentiment": f.sentiment or None,
        "label": f.label or None,
    }
    team_id = f.team_id
    if view == VIEW_MINE:
        return cases_queue(assignee="me", team_id=team_id, **common)
    if view == VIEW_TEAM:
        team_id = team_id if team_id is not None else _team_of(user)
        if team_id is None:
            return None
        return cases_queue(team_id=team_id, **common)
    if view == VIEW_UNASSIGNED:
        return cases_queue(assignee="unassigned", team_id=team_id, **common)
    if view == VIEW_BREACHING:
        return cases_queue(breached=True, team_id=team_id, **common)
    return cases_queue(team_id=team_id, **common)


def _brand_condition(brand: str) -> Q:
    """Cases with a mention naming ``brand`` (a slug, or every brand of a kind)."""
    if brand in (Brand.Kind.OWN, Brand.Kind.COMPETITOR):
        slugs = list(Brand.objects.filter(kind=brand).values_list("slug", flat=True))
        if not slugs:
            return Q(pk__in=[])
        names = Q(brands__has_any_keys=slugs)
    else:
        names = Q(brands__contains=[brand])
    return Q(
        Exists(Mention.objects.filter(names, case_link__case=OuterRef("pk")).only("id"))
    )


def _filtered(qs: QuerySet[Case], f: QueueFilters) -> QuerySet[Case]:
    """The filters on the case's own columns, cheap next to the queue index."""
    if f.language:
        qs = qs.filter(language=f.language)
    if f.intent:
        qs = qs.filter(intent=f.intent)
    return qs


def _costly(f: QueueFilters) -> Q | None:
    """The filters no index serves (a brand named in any of the case's mentions,
    a substring of the text): each costs a look at every row it passes over."""
    condition = Q()
    if f.brand:
        condition &= _brand_condition(f.brand)
    if f.q.startswith("@") and len(f.q) > 1:
        # "@name": the author's handle or name, from its start.
        name = f.q[1:]
        condition &= Q(author__screen_name__istartswith=name) | Q(
            author__name__istartswith=name
        )
    elif f.q:
        # A case-insensitive substring of the text: Chinese has no word breaks.
        condition &= Q(summary__icontains=f.q)
    return condition or None


def _sort_key(case: Case, sort: str) -> Cursor:
    if sort == SORT_WAITING:
        return (case.waiting_since, case.pk)
    return (case.priority, case.waiting_since, case.pk)


def cursor_encode(key: Cursor) -> str:
    parts = [v.isoformat() if isinstance(v, dt.datetime) else str(int(v)) for v in key]
    return "~".join(parts)


def cursor_decode(raw: str, sort: str) -> Cursor | None:
    """The keyset position of a cursor string; None when it is not one."""
    parts = (raw or "").split("~")
    try:
        if sort == SORT_WAITING and len(parts) == 2:
            return (dt.datetime.fromisoformat(parts[0]), int(parts[1]))
        if sort == SORT_PRIORITY and len(parts) == 3:
            return (int(parts[0]), dt.datetime.fromisoformat(parts[1]), int(parts[2]))
    except ValueError:
        return None
    return None


class _Row(Func):
    """A row value, ``ROW(a, b)``, compared as a whole: one condition PostgreSQL
    starts an index scan from."""

    function = "ROW"
    output_field = Field()


def _beyond(
    qs: QuerySet[Case], sort: str, cursor: Cursor, *, after: bool
) -> QuerySet[Case]:
    """Rows after (or before) ``cursor`` in the sort order. The index columns
    compare as one row value (``a > x OR (a = x AND b > y)`` would make the scan
    read the range from its start); the primary key only breaks ties, as a
    "not this row or those before it" whose estimate keeps the LIMIT's index
    plan."""
    *index_fields, _pk = _key_fields(sort)
    *index_values, pk = cursor
    op = "gte" if after else "lte"
    if len(index_fields) == 1:
        qs = qs.filter(**{f"{index_fields[0]}__{op}": index_values[0]})
    else:
        qs = qs.alias(keyset=_Row(*[F(f) for f in index_fields])).filter(
            **{f"keyset__{op}": _Row(*[Value(v) for v in index_values])}
        )
    ties = dict(zip(index_fields, index_values, strict=True))
    return qs.filter(~Q(**ties, **{"pk__lte" if after else "pk__gte": pk}))


def _after(qs: QuerySet[Case], sort: str, cursor: Cursor) -> QuerySet[Case]:
    """Rows after ``cursor`` in the sort order (the keyset page)."""
    return _beyond(qs, sort, cursor, after=True)


def _before(qs: QuerySet[Case], sort: str, cursor: Cursor) -> QuerySet[Case]:
    return _beyond(qs, sort, cursor, after=False)


def _key_fields(sort: str) -> tuple[str, ...]:
    if sort == SORT_WAITING:
        return ("waiting_since", "id")
    return ("priority", "waiting_since", "id")


def _stream(
    qs: QuerySet[Case],
    *,
    sort: str,
    cursor: Cursor | None,
    costly: Q | None,
    count: int,
) -> tuple[list[Case], Cursor | None]:
    """Up to ``count`` rows of one ordered stream after ``cursor``.

    With a costly filter only the next SCAN_WINDOW rows of the stream are looked
    at; the second value is then the key of the last row looked at (None when the
    stream ended inside the window): every match up to it has been returned or
    lies beyond ``count``.
    """
    qs = qs.order_by(*_key_fields(sort))
    if cursor is not None:
        qs = _after(qs, sort, cursor)
    bound = None
    if costly is not None:
        last = list(qs.values_list(*_key_fields(sort))[SCAN_WINDOW - 1 : SCAN_WINDOW])
        if last:
            bound = tuple(last[0])
        window = qs.values("pk")[:SCAN_WINDOW]
        qs = qs.filter(pk__in=Subquery(window)).filter(costly)
    return list(qs.prefetch_related(None)[:count]), bound


# What a queue row shows (views/rows.py) and sorts by: the rest of a case and
# of its author, assignee and team stays in the database.
ROW_FIELDS = (
    "id",
    "platform",
    "status",
    "priority",
    "escalated",
    "influencer",
    "sentiment_label",
    "intent",
    "language",
    "summary",
    "mention_count",
    "waiting_since",
    "first_response_due_at",
    "first_responded_at",
    "resolution_due_at",
    "sla_paused_at",
    "assignee__username",
    "team__name",
    "author__external_id",
    "author__screen_name",
    "author__name",
    "author__verified",
    "author__followers_count",
)


def dashboard_queue(
    *, user: User, filters: QueueFilters, limit: int = QUEUE_PAGE_SIZE
) -> QueuePage:
    """One page of the queue: the view, the filters, the sort, after the cursor.

    Sorted by priority, the page is one range of the view's index. Sorted by
    waiting time, it merges the first rows of each priority (every queue index is
    (…, priority, waiting_since), so each is a short range too) instead of sorting
    every active case. Costly filters look at a bounded window of the queue per
    page; when the window ends before the page is full, the page says so and its
    "load more" goes on from the window's end.
    """
    qs = _view_queryset(user=user, view=filters.view, filters=filters)
    if qs is None:
        return QueuePage(rows=[], team_missing=True)
    qs = _filtered(qs, filters).only(*ROW_FIELDS)
    costly = _costly(filters)
    count = limit + 1
    if filters.sort == SORT_WAITING:
        priorities = [filters.priority] if filters.priority else list(Priority.values)
        candidates: list[Case] = []
        bounds = []
        for priority in priorities:
            rows, bound = _stream(
                qs.filter(priority=priority),
                sort=SORT_WAITING,
                cursor=filters.cursor,
                costly=costly,
                count=count,
            )
            candidates += rows
            if bound is not None:
                bounds.append(bound)
        bound = min(bounds) if bounds else None
        if bound is not None:
            candidates = [c for c in candidates if _sort_key(c, SORT_WAITING) <= bound]
        rows = sorted(candidates, key=lambda c: _sort_key(c, SORT_WAITING))[:count]
    else:
        rows, bound = _stream(
            qs,
            sort=filters.sort,
            cursor=filters.cursor,
            costly=costly,
            count=count,
        )
    prefetch_related_objects(rows, "labels")
    if len(rows) > limit:
        rows = rows[:limit]
        return QueuePage(
            rows=rows, next_cursor=cursor_encode(_sort_key(rows[-1], filters.sort))
        )
    if bound is not None:
        return QueuePage(rows=rows, next_cursor=cursor_encode(bound), partial=True)
    return QueuePage(rows=rows)


def queue_new_rows(
    *,
    user: User,
    filters: QueueFilters,
    after_id: int,
    limit: int = NEW_ROWS_LIMIT,
) -> list[Case]:
    """Cases of the view opened after case ``after_id`` (the live list's poll; 0
    when the list was empty). Served by the primary key: new cases are the highest
    ids."""
    qs = _view_queryset(user=user, view=filters.view, filters=filters)
    if qs is None:
        return []
    qs = _filtered(qs, filters).filter(pk__gt=after_id).order_by("-pk")
    costly = _costly(filters)
    if costly is not None:
        qs = qs.filter(costly)
    return list(qs[:limit])


def queue_counts_by_view(
    *, user: User, use_cache: bool = True
) -> dict[str, CappedCount | None]:
    """How many active cases each view holds, capped at COUNT_CAP and cached for a
    few seconds per user (None: the team view of someone without a team)."""
    key = f"dashboard:counts:{user.pk}:{user_role(user)}:{_team_of(user)}"
    if use_cache:
        cached: dict[str, CappedCount | None] | None = cache.get(key)
        if cached is not None:
            return cached
    counts: dict[str, CappedCount | None] = {}
    for view in VIEWS:
        qs = _view_queryset(user=user, view=view)
        if qs is None:
            counts[view] = None
            continue
        # COUNT over a LIMIT subquery: stops reading the index at the cap.
        n = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
        counts[view] = CappedCount(min(n, COUNT_CAP), n > COUNT_CAP)
    cache.set(key, counts, COUNT_CACHE_SECONDS)
    return counts


def queue_counts_forget(*, user: User) -> None:
    """Drop the user's cached badges (after an action that moved cases)."""
    cache.delete(f"dashboard:counts:{user.pk}:{user_role(user)}:{_team_of(user)}")


def queue_max_id(rows: list[Case]) -> int:
    return max((c.pk for c in rows), default=0)


def case_neighbours(*, user: User, case: Case) -> tuple[int | None, int | None]:
    """The previous and next case in the queue the user works from (their own
    cases for an ambassador, every active case for a manager), for j/k on the
    case page: two index lookups."""
    view = VIEW_ALL if user_role(user) in (Role.ADMIN, Role.MANAGER) else VIEW_MINE
    qs = _view_queryset(user=user, view=view)
    if qs is None or not case.is_active:
        return None, None
    key = (case.priority, case.waiting_since, case.pk)
    after = _after(qs, SORT_PRIORITY, key).values_list("pk", flat=True).first()
    before = (
        _before(qs, SORT_PRIORITY, key)
        .order_by("-priority", "-waiting_since", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    return before, after
