"""The triage queue: views, filters, keyset pages, live rows, bulk actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from ambassadors.permissions import is_manager
from common.errors import DomainError
from listening.models import Intent, Platform, Sentiment

from ..models import PRIORITY_BY_NAME, PRIORITY_NAMES, CaseStatus, Priority
from ..selectors import (
    QUEUE_PAGE_SIZE,
    SORT_PRIORITY,
    SORT_WAITING,
    VIEW_ALL,
    VIEW_BREACHING,
    VIEW_MINE,
    VIEW_SNOOZED,
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
from ..selectors.desk import saved_view_counts, saved_views_for
from ..selectors.filters import active_filter_count, filters_query, queue_filters
from ..services import BULK_ASSIGN, BULK_LABEL, cases_bulk_apply
from ..services.workload import assignee_choices
from .common import back, dashboard_view, int_or_none, manager_view, report_error
from .desk import snooze_until
from .rows import build_rows, row_texts

# Rows per page of the queue (the selectors' page size; a module constant so tests
# can make pages small).
PAGE_SIZE = QUEUE_PAGE_SIZE


def _default_view(request: HttpRequest) -> str:
    """Ambassadors start with their own cases, managers with the whole queue."""
    return VIEW_ALL if is_manager(request.user) else VIEW_MINE


# The built-in views' tabs, in order (see selectors.queue.VIEWS).
VIEW_NAMES = [
    (VIEW_MINE, gettext_lazy("My cases")),
    (VIEW_TEAM, gettext_lazy("Team queue")),
    (VIEW_UNASSIGNED, gettext_lazy("Not assigned")),
    (VIEW_BREACHING, gettext_lazy("Breaching SLA")),
    (VIEW_ALL, gettext_lazy("All")),
    (VIEW_SNOOZED, gettext_lazy("Snoozed")),
]


def _views(counts: dict) -> list[dict]:
    return [{"key": k, "name": n, "count": counts.get(k)} for k, n in VIEW_NAMES]


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


def _filters(request: HttpRequest, saved_views=None) -> tuple[QueueFilters, object]:
    """The request's filters; with ``saved=<id>`` those of that saved view (one of
    the user's or their team's), the page's cursor kept."""
    saved_id = int_or_none(request.GET.get("saved"))
    if saved_id is not None:
        views = (
            saved_views
            if saved_views is not None
            else saved_views_for(user=request.user)
        )
        saved = next((v for v in views if v.pk == saved_id), None)
        if saved is not None:
            params = QueryDict(saved.query, mutable=True)
            params["view"] = saved.base_view
            for key in ("cursor", "after"):
                if key in request.GET:
                    params[key] = request.GET[key]
            return queue_filters(params, default_view=saved.base_view), saved
    return queue_filters(request.GET, default_view=_default_view(request)), None


def _saved_tabs(request: HttpRequest, views, current) -> list[dict]:
    counts = saved_view_counts(user=request.user, views=views)
    return [
        {
            "id": v.pk,
            "name": v.name,
            "team": v.team.name if v.team else "",
            "count": counts.get(v.pk),
            "current": current is not None and current.pk == v.pk,
        }
        for v in views
    ]


@require_GET
@dashboard_view
def queue(request: HttpRequest) -> HttpResponse:
    """The queue page: view tabs with counts, the filter bar, the first page."""
    saved_views = list(saved_views_for(user=request.user))
    filters, saved = _filters(request, saved_views)
    page = dashboard_queue(user=request.user, filters=filters, limit=PAGE_SIZE)
    counts = queue_counts_by_view(user=request.user)
    choices = filter_choices()
    context = _context(request, filters) | {
        "saved_views": _saved_tabs(request, saved_views, saved),
        "current_saved": saved,
        "teams_for_views": filter_choices().teams if is_manager(request.user) else [],
        "page": page,
        "rows": build_rows(
            page.rows, user=request.user, now=timezone.now(), sort=filters.sort
        ),
        "text": row_texts(),
        "views": _views(counts),
        "choices": choices,
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
    if saved is not None:
        # Pages and the live poll of a saved view stay in that view.
        context["view_query"] = f"saved={saved.pk}"
    return render(request, "engagement/queue.html", context)


@require_GET
@manager_view
def queue_assignees(request: HttpRequest) -> HttpResponse:
    """htmx, once the bulk bar is first used: whom a manager may give the
    selected cases to, with their load (counting every person's open cases is
    too costly to do on each render of the queue)."""
    choices = assignee_choices(
        users=assignable_users(user=request.user), me=request.user
    )
    return render(request, "engagement/_bulk_assignees.html", {"assignees": choices})


@require_GET
@dashboard_view
def queue_rows(request: HttpRequest) -> HttpResponse:
    """htmx: the next keyset page of rows, with its own "more" row."""
    filters, _saved = _filters(request)
    page = dashboard_queue(user=request.user, filters=filters, limit=PAGE_SIZE)
    context = _context(request, filters) | {
        "page": page,
        "rows": build_rows(
            page.rows, user=request.user, now=timezone.now(), sort=filters.sort
        ),
        "text": row_texts(),
    }
    return render(request, "engagement/_queue_page.html", context)


@require_GET
@dashboard_view
def queue_poll(request: HttpRequest) -> HttpResponse:
    """htmx, every few seconds: the view's cases opened since the newest one shown
    (prepended to the list) and the views' counts (swapped out of band)."""
    saved_views = list(saved_views_for(user=request.user))
    filters, saved = _filters(request, saved_views)
    after = int_or_none(request.GET.get("after")) or 0
    rows = queue_new_rows(user=request.user, filters=filters, after_id=after)
    counts = queue_counts_by_view(user=request.user)
    context = _context(request, filters) | {
        "rows": build_rows(
            rows, user=request.user, now=timezone.now(), fresh=True, sort=filters.sort
        ),
        "text": row_texts(),
        "views": _views(counts),
        "saved_views": _saved_tabs(request, saved_views, saved),
        "current_saved": saved,
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
    choice = request.POST.get("for", "reply")
    try:
        result = cases_bulk_apply(
            case_ids=ids,
            action=action,
            actor=request.user,
            assignee=assignee,
            label=request.POST.get("label", "") if action == BULK_LABEL else "",
            override=request.POST.get("override") == "1",
            priority=PRIORITY_BY_NAME.get(request.POST.get("priority", "")),
            team_id=int_or_none(request.POST.get("bulk_team")),
            snooze_until=snooze_until(choice, "", timezone.now()),
            snooze_until_reply=choice == "reply",
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
