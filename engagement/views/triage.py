"""The triage queue: views, filters, keyset pages, live rows, bulk actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from ambassadors.permissions import is_manager
from common.errors import DomainError
from listening.models import Intent, Platform, Sentiment

from ..models import PRIORITY_NAMES, CaseStatus, Priority
from ..selectors import (
    QUEUE_PAGE_SIZE,
    SORT_PRIORITY,
    SORT_WAITING,
    VIEW_ALL,
    VIEW_BREACHING,
    VIEW_MINE,
    VIEW_TEAM,
    VIEW_UNASSIGNED,
    QueueFilters,
    assignable_users,
    dashboard_queue,
    filter_choices,
    queue_counts_by_view,
    queue_counts_forget,
    queue_max_id,
    queue_new_rows,
)
from ..services import BULK_ASSIGN, BULK_LABEL, cases_bulk_apply
from .common import back, dashboard_view, int_or_none, report_error
from .filters import active_filter_count, filters_query, queue_filters
from .rows import assignee_options, build_rows, row_texts

# Rows per page of the queue (the selectors' page size; a module constant so tests
# can make pages small).
PAGE_SIZE = QUEUE_PAGE_SIZE


def _default_view(request: HttpRequest) -> str:
    """Ambassadors start with their own cases, managers with the whole queue."""
    return VIEW_ALL if is_manager(request.user) else VIEW_MINE


def _views(counts: dict) -> list[dict]:
    names = [
        (VIEW_MINE, _("My cases")),
        (VIEW_TEAM, _("Team queue")),
        (VIEW_UNASSIGNED, _("Not assigned")),
        (VIEW_BREACHING, _("Breaching SLA")),
        (VIEW_ALL, _("All")),
    ]
    return [{"key": k, "name": n, "count": counts.get(k)} for k, n in names]


def _context(request: HttpRequest, filters: QueueFilters) -> dict:
    query = filters_query(filters)
    return {
        "filters": filters,
        "filters_query": query.urlencode(),
        "view_query": _with(query, view=filters.view).urlencode(),
        "is_manager": is_manager(request.user),
    }


def _with(query, **extra):
    q = query.copy()
    for key, value in extra.items():
        if value:
            q[key] = value
    return q


@require_GET
@dashboard_view
def queue(request: HttpRequest) -> HttpResponse:
    """The queue page: view tabs with counts, the filter bar, the first page."""
    filters = queue_filters(request.GET, default_view=_default_view(request))
    page = dashboard_queue(user=request.user, filters=filters, limit=PAGE_SIZE)
    counts = queue_counts_by_view(user=request.user)
    choices = filter_choices()
    context = _context(request, filters) | {
        "page": page,
        "rows": build_rows(page.rows, user=request.user, now=timezone.now()),
        "text": row_texts(),
        "views": _views(counts),
        "choices": choices,
        "assignees": assignee_options(
            assignable_users(user=request.user), me=request.user
        ),
        "max_id": queue_max_id(page.rows),
        "active_filters": active_filter_count(filters),
        "platforms": Platform.choices,
        "sentiments": Sentiment.choices,
        "intents": Intent.choices,
        "priorities": [(PRIORITY_NAMES[p.value], p.label, p.value) for p in Priority],
        "statuses": CaseStatus.choices,
        "sorts": [
            (SORT_PRIORITY, _("Priority, then waiting time")),
            (SORT_WAITING, _("Longest waiting first")),
        ],
        "languages": [("zh", _("Chinese")), ("en", _("English"))],
    }
    return render(request, "engagement/queue.html", context)


@require_GET
@dashboard_view
def queue_rows(request: HttpRequest) -> HttpResponse:
    """htmx: the next keyset page of rows, with its own "more" row."""
    filters = queue_filters(request.GET, default_view=_default_view(request))
    page = dashboard_queue(user=request.user, filters=filters, limit=PAGE_SIZE)
    context = _context(request, filters) | {
        "page": page,
        "rows": build_rows(page.rows, user=request.user, now=timezone.now()),
        "text": row_texts(),
    }
    return render(request, "engagement/_queue_page.html", context)


@require_GET
@dashboard_view
def queue_poll(request: HttpRequest) -> HttpResponse:
    """htmx, every few seconds: the view's cases opened since the newest one shown
    (prepended to the list) and the views' counts (swapped out of band)."""
    filters = queue_filters(request.GET, default_view=_default_view(request))
    after = int_or_none(request.GET.get("after")) or 0
    rows = queue_new_rows(user=request.user, filters=filters, after_id=after)
    counts = queue_counts_by_view(user=request.user)
    context = _context(request, filters) | {
        "rows": build_rows(rows, user=request.user, now=timezone.now(), fresh=True),
        "text": row_texts(),
        "views": _views(counts),
        "oob": True,
    }
    return render(request, "engagement/_queue_poll.html", context)


@require_POST
@dashboard_view
def queue_bulk(request: HttpRequest) -> HttpResponse:
    """Assign, label, resolve or mark as spam every checked case."""
    default = reverse("engagement:queue")
    action = request.POST.get("action", "")
    ids = [i for i in (int_or_none(v) for v in request.POST.getlist("case")) if i]
    if not ids:
        messages.warning(request, _("Check at least one case first."))
        return back(request, default)
    assignee = None
    if action == BULK_ASSIGN:
        raw = request.POST.get("assignee", "")
        if raw == "me":
            assignee = request.user
        elif raw and raw != "none":
            user_id = int_or_none(raw)
            assignee = get_user_model().objects.filter(pk=user_id).first()
            if assignee is None:
                messages.error(request, _("Choose whom to assign to."))
                return back(request, default)
        elif raw != "none":
            messages.error(request, _("Choose whom to assign to."))
            return back(request, default)
    try:
        result = cases_bulk_apply(
            case_ids=ids,
            action=action,
            actor=request.user,
            assignee=assignee,
            label=request.POST.get("label", "") if action == BULK_LABEL else "",
        )
    except DomainError as exc:
        report_error(request, exc)
        return back(request, default)
    queue_counts_forget(user=request.user)
    if result.done:
        messages.success(
            request,
            ngettext("%(n)d case updated.", "%(n)d cases updated.", len(result.done))
            % {"n": len(result.done)},
        )
    for case_id, reason in result.refused[:10]:
        messages.error(
            request,
            _("Case #%(id)d: %(reason)s") % {"id": case_id, "reason": reason},
        )
    return back(request, default)
