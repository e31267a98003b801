"""Snooze, merge, split, presence (who else is on the case) and saved views."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError

from ..selectors import case_get_for_user, queue_counts_forget
from ..selectors.desk import replies_since
from ..services.merge import case_merge, case_split
from ..services.presence import (
    COMPOSING,
    PRESENCE_REFRESH,
    case_presence_others,
    case_presence_touch,
)
from ..services.saved_views import saved_view_create, saved_view_delete
from ..services.snooze import case_snooze, case_unsnooze
from .common import back, dashboard_view, int_or_none, report_error

SNOOZE_CHOICES = {
    "1h": dt.timedelta(hours=1),
    "4h": dt.timedelta(hours=4),
    "1d": dt.timedelta(days=1),
}


def _case_url(case_id: int, anchor: str = "") -> str:
    url = reverse("engagement:case_detail", args=[case_id])
    return f"{url}#{anchor}" if anchor else url


def snooze_until(choice: str, raw_until: str, now: dt.datetime) -> dt.datetime | None:
    """The snooze form's choice as a time (None: until the customer answers, or
    an unreadable time, which the service refuses)."""
    if choice in SNOOZE_CHOICES:
        return now + SNOOZE_CHOICES[choice]
    if choice == "at":
        parsed = parse_datetime(raw_until or "")
        if parsed is not None and timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        return parsed
    return None


@require_POST
@dashboard_view
def case_snooze_view(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        if request.POST.get("wake"):
            case_unsnooze(case_id=case_id, actor=request.user)
            messages.success(request, _("The case is back in the queue."))
        else:
            choice = request.POST.get("for", "reply")
            now = timezone.now()
            until = snooze_until(choice, request.POST.get("until", ""), now)
            case_snooze(
                case_id=case_id,
                actor=request.user,
                until=until,
                until_reply=choice == "reply",
                now=now,
            )
            messages.success(request, _("Snoozed."))
    except DomainError as exc:
        report_error(request, exc)
    queue_counts_forget(user=request.user)
    return back(request, _case_url(case_id, "actions"))


@require_POST
@dashboard_view
def case_merge_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Merge the case chosen in the form into this one (the page's case stays)."""
    other = int_or_none(request.POST.get("into"))
    if other is None:
        messages.error(request, _("Choose the case to merge."))
        return back(request, _case_url(case_id))
    try:
        case_merge(case_id=other, into_id=case_id, actor=request.user)
    except DomainError as exc:
        report_error(request, exc)
    else:
        messages.success(
            request, _("Case #%(id)d merged into this one.") % {"id": other}
        )
    queue_counts_forget(user=request.user)
    return back(request, _case_url(case_id))


@require_POST
@dashboard_view
def case_split_view(request: HttpRequest, case_id: int) -> HttpResponse:
    mention_id = int_or_none(request.POST.get("mention"))
    try:
        new = case_split(
            case_id=case_id, mention_id=mention_id or 0, actor=request.user
        )
    except DomainError as exc:
        report_error(request, exc)
        return back(request, _case_url(case_id))
    messages.success(request, _("Split out into case #%(id)d.") % {"id": new.pk})
    queue_counts_forget(user=request.user)
    return back(request, _case_url(case_id))


@require_POST
@dashboard_view
def case_presence_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """htmx, every few seconds from the case page: I am here (viewing or
    composing); answer who else is, and replies others wrote since I opened it."""
    case = case_get_for_user(user=request.user, case_id=case_id)
    case_presence_touch(
        case_id=case.pk, user=request.user, state=request.POST.get("state", "")
    )
    seen = int_or_none(request.POST.get("seen_reply")) or 0
    context = {
        "case": case,
        "others": case_presence_others(case_id=case.pk, user=request.user),
        "composing": COMPOSING,
        "replied_meanwhile": replies_since(
            case_id=case.pk, after_id=seen, user=request.user
        ),
        "refresh": PRESENCE_REFRESH,
        "seen_reply": seen,
    }
    return render(request, "engagement/_presence.html", context)


@require_POST
@dashboard_view
def saved_view_save(request: HttpRequest) -> HttpResponse:
    default = reverse("engagement:queue")
    team = request.POST.get("for", "me")
    try:
        view = saved_view_create(
            actor=request.user,
            name=request.POST.get("name", ""),
            base_view=request.POST.get("view", ""),
            query=request.POST.get("query", ""),
            team_id=int_or_none(team) if team != "me" else None,
        )
    except DomainError as exc:
        report_error(request, exc)
        return back(request, default)
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return back(request, f"{default}?saved={view.pk}")


@require_POST
@dashboard_view
def saved_view_remove(request: HttpRequest, view_id: int) -> HttpResponse:
    try:
        saved_view_delete(actor=request.user, view_id=view_id)
    except DomainError as exc:
        report_error(request, exc)
    else:
        messages.success(request, _("View deleted."))
    return back(request, reverse("engagement:queue"))
