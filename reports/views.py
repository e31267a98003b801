"""Report pages for managers and admins, their exports, the drill-down to cases, and
an ambassador's own figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassadors.models import Role
from ambassadors.permissions import is_manager
from ambassadors.selectors import user_role

from . import charts, tables
from .exports import FORMATS, table_response
from .models import DigestSubscription
from .selectors import (
    REVENUE_DIMENSIONS,
    TEAM_DIMENSIONS,
    Period,
    PeriodError,
    period_parse,
    revenue_report,
    team_report,
)
from .selectors.drill import DrillError, drill_cases
from .selectors.own import own_figures
from .services import digest_set, digest_wanted

DRILL_PAGE_SIZE = 50
WEEKDAYS = [
    gettext_lazy("Mon"),
    gettext_lazy("Tue"),
    gettext_lazy("Wed"),
    gettext_lazy("Thu"),
    gettext_lazy("Fri"),
    gettext_lazy("Sat"),
    gettext_lazy("Sun"),
]
DIMENSION_LABELS = {
    "ambassador": gettext_lazy("Ambassador"),
    "team": gettext_lazy("Team"),
    "platform": gettext_lazy("Platform"),
    "priority": gettext_lazy("Priority"),
    "campaign": gettext_lazy("Campaign"),
    "day": gettext_lazy("Day"),
}


def manager_page(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _period(request: HttpRequest) -> Period:
    return period_parse(request.GET.get("start"), request.GET.get("end"))


def _group_by(request: HttpRequest, allowed: tuple[str, ...]) -> str:
    value = request.GET.get("group_by") or allowed[0]
    if value not in allowed:
        raise PeriodError(_("Unknown grouping: %(value)s.") % {"value": value[:40]})
    return value


def _drill_url(period: Period, **params) -> str:
    query = {"start": period.first.isoformat(), "end": period.last.isoformat()}
    query.update({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse('reports:cases')}?{urlencode(query)}"


def _bad(request: HttpRequest, exc: Exception) -> HttpResponse:
    return render(request, "reports/error.html", {"message": str(exc)}, status=400)


@manager_page
def index(request: HttpRequest) -> HttpResponse:
    return redirect("reports:team")


@manager_page
def team(request: HttpRequest) -> HttpResponse:
    try:
        period = _period(request)
        group_by = _group_by(request, TEAM_DIMENSIONS)
    except PeriodError as exc:
        return _bad(request, exc)
    report = team_report(period=period, group_by=group_by)
    opened = charts.linked_hbars(
        [
            (
                row.label,
                row.cases_opened,
                _drill_url(period, metric="opened", dimension=group_by, key=row.key),
            )
            for row in report.rows[:15]
        ],
        title=_("Cases opened"),
    )
    backlog = charts.linked_columns(
        [
            (
                day.isoformat(),
                count,
                _drill_url(period, metric="backlog", day=day.isoformat()),
            )
            for day, count in report.backlog
        ],
        title=_("Backlog at the end of each day"),
    )
    heat = charts.heat(
        report.heatmap,
        weekdays=[str(w) for w in WEEKDAYS],
        url_for=lambda w, h: _drill_url(period, metric="heat", weekday=w, hour=h),
        title=_("Cases created by weekday and hour"),
    )
    return render(
        request,
        "reports/team.html",
        {
            "report": report,
            "period": period,
            "group_by": group_by,
            "dimensions": [(d, DIMENSION_LABELS[d]) for d in TEAM_DIMENSIONS],
            "columns": tables.TEAM_COLUMNS,
            "table": [
                (
                    row,
                    tables.cells(row, tables.TEAM_COLUMNS),
                    _drill_url(
                        period, metric="opened", dimension=group_by, key=row.key
                    ),
                )
                for row in report.rows
            ],
            "total": tables.cells(report.total, tables.TEAM_COLUMNS),
            "opened_chart": opened,
            "backlog_chart": backlog,
            "heat": heat,
            "breaches_url": _drill_url(period, metric="breached"),
            "digest": DigestSubscription.objects.filter(user=request.user).exists(),
        },
    )


@manager_page
def revenue(request: HttpRequest) -> HttpResponse:
    try:
        period = _period(request)
        group_by = _group_by(request, REVENUE_DIMENSIONS)
    except PeriodError as exc:
        return _bad(request, exc)
    report = revenue_report(period=period, group_by=group_by)
    chart_rows = report.rows if group_by == "day" else report.rows[:15]
    items = [
        (
            row.label,
            row.net_revenue,
            _drill_url(period, metric="revenue", dimension=group_by, key=row.key),
        )
        for row in chart_rows
    ]
    chart = (
        charts.linked_columns(items, title=_("Net revenue by day"))
        if group_by == "day"
        else charts.linked_hbars(items, title=_("Net revenue"))
    )
    return render(
        request,
        "reports/revenue.html",
        {
            "report": report,
            "period": period,
            "group_by": group_by,
            "dimensions": [(d, DIMENSION_LABELS[d]) for d in REVENUE_DIMENSIONS],
            "columns": tables.REVENUE_COLUMNS,
            "table": [
                (
                    row,
                    tables.cells(row, tables.REVENUE_COLUMNS),
                    _drill_url(
                        period, metric="revenue", dimension=group_by, key=row.key
                    ),
                )
                for row in report.rows
            ],
            "total": tables.cells(report.total, tables.REVENUE_COLUMNS),
            "chart": chart,
        },
    )


def _team_tables(period: Period, group_by: str, table: str):
    report = team_report(period=period, group_by=group_by)
    if table == "breaches":
        head = [
            _("Case"),
            _("Created"),
            _("Platform"),
            _("Assignee"),
            _("First response breached"),
            _("Resolution breached"),
            _("Summary"),
        ]
        rows = [
            [
                c.pk,
                c.created_at.isoformat(),
                c.platform,
                c.assignee.get_username() if c.assignee else "",
                c.first_response_breached,
                c.resolution_breached,
                c.summary,
            ]
            for c in report.breaches
        ]
        return head, rows
    if table == "backlog":
        return [_("Day"), _("Backlog")], [[d.isoformat(), n] for d, n in report.backlog]
    if table == "heatmap":
        head = [_("Weekday")] + [f"{h:02d}" for h in range(24)]
        return head, [[str(WEEKDAYS[w])] + row for w, row in enumerate(report.heatmap)]
    head = tables.header(tables.TEAM_COLUMNS, str(DIMENSION_LABELS[group_by]))
    rows = [[r.label] + tables.values(r, tables.TEAM_COLUMNS) for r in report.rows]
    rows.append([_("Total")] + tables.values(report.total, tables.TEAM_COLUMNS))
    return head, rows


def _revenue_tables(period: Period, group_by: str, table: str):
    report = revenue_report(period=period, group_by=group_by)
    if table in ("top_cases", "top_mentions"):
        items = report.top_cases if table == "top_cases" else report.top_mentions
        return tables.header(tables.TOP_COLUMNS, "#")[1:], [
            tables.values(item, tables.TOP_COLUMNS) for item in items
        ]
    head = tables.header(tables.REVENUE_COLUMNS, str(DIMENSION_LABELS[group_by]))
    rows = [[r.label] + tables.values(r, tables.REVENUE_COLUMNS) for r in report.rows]
    rows.append([_("Total")] + tables.values(report.total, tables.REVENUE_COLUMNS))
    return head, rows


EXPORTS = {
    "team": (TEAM_DIMENSIONS, ("rows", "breaches", "backlog", "heatmap"), _team_tables),
    "revenue": (
        REVENUE_DIMENSIONS,
        ("rows", "top_cases", "top_mentions"),
        _revenue_tables,
    ),
}


@manager_page
def export(request: HttpRequest, report: str, fmt: str) -> HttpResponse:
    if report not in EXPORTS or fmt not in FORMATS:
        return HttpResponseBadRequest(_("Unknown export."))
    dimensions, table_names, build = EXPORTS[report]
    table = request.GET.get("table") or "rows"
    try:
        period = _period(request)
        group_by = _group_by(request, dimensions)
        if table not in table_names:
            raise PeriodError(_("Unknown table."))
    except PeriodError as exc:
        return _bad(request, exc)
    head, rows = build(period, group_by, table)
    name = f"{report}-{table}-{period.first.isoformat()}-{period.last.isoformat()}"
    return table_response(fmt, head, rows, name)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@manager_page
def cases(request: HttpRequest) -> HttpResponse:
    try:
        period = _period(request)
        raw_day = request.GET.get("day")
        qs = drill_cases(
            period=period,
            metric=request.GET.get("metric") or "opened",
            dimension=request.GET.get("dimension") or "",
            key=request.GET.get("key") or "",
            weekday=_int(request.GET.get("weekday")),
            hour=_int(request.GET.get("hour")),
            day=dt.date.fromisoformat(raw_day) if raw_day else None,
        )
    except (PeriodError, DrillError, ValueError):
        return _bad(request, ValueError(_("This figure has no such cases.")))
    page = Paginator(qs, DRILL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/cases.html",
        {"page": page, "period": period, "query": request.GET.urlencode()},
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """An ambassador's own figures (anyone with a role sees their own)."""
    if user_role(request.user) not in (Role.ADMIN, Role.MANAGER, Role.AMBASSADOR):
        raise PermissionDenied
    try:
        period = _period(request)
    except PeriodError as exc:
        return _bad(request, exc)

    figures = own_figures(user=request.user, period=period)
    return render(
        request,
        "reports/mine.html",
        {
            "period": period,
            "team_figures": tables.labelled(figures.team, tables.TEAM_COLUMNS),
            "digest": digest_wanted(user=request.user),
            "revenue_figures": tables.labelled(figures.revenue, tables.REVENUE_COLUMNS),
        },
    )


@login_required
def digest(request: HttpRequest) -> HttpResponse:
    """Opt in or out of the weekly digest (POST ``wanted`` = on / off)."""

    if request.method != "POST":
        return HttpResponseBadRequest()
    if user_role(request.user) not in (Role.ADMIN, Role.MANAGER, Role.AMBASSADOR):
        raise PermissionDenied
    digest_set(user=request.user, wanted=request.POST.get("wanted") == "on")
    target = "reports:team" if is_manager(request.user) else "reports:mine"
    return redirect(target)
