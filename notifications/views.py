"""Pages: my notifications, the header bell, my preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import PreferenceForm
from .kinds import render as render_kind
from .models import Notification
from .selectors import (
    UNREAD_CAP,
    notifications_for_user,
    notifications_unread_count,
    preference_for_user,
)
from .services import (
    notification_mark_all_read,
    notification_mark_read,
    preference_update,
)

PAGE_SIZE = 30


def _rows(notifications):
    for notification in notifications:
        title, body = render_kind(notification.kind, notification.params)
        yield {"n": notification, "title": title, "body": body}


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(
        notifications_for_user(user=request.user, unread_only=unread_only), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "rows": list(_rows(page)), "unread_only": unread_only},
    )


@login_required
def bell(request: HttpRequest) -> HttpResponse:
    """The header bell's count, fetched by htmx when a page loads and every 30 s."""
    count = notifications_unread_count(user=request.user)
    return render(
        request,
        "notifications/_bell_count.html",
        {"count": count, "capped": count > UNREAD_CAP, "cap": UNREAD_CAP},
    )


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        notification = notification_mark_read(
            user=request.user, notification_id=notification_id
        )
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    return redirect(notification.url or "notifications:list")


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        notification_mark_read(user=request.user, notification_id=notification_id)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notification_mark_all_read(user=request.user)
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = preference_for_user(user=request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            preference_update(user=request.user, **form.cleaned_data)
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notifications:preferences")
        status = 400
    else:
        form = PreferenceForm(
            initial={
                "email_enabled": current.email_enabled,
                "email_muted_kinds": current.email_muted_kinds,
                "quiet_start": current.quiet_start,
                "quiet_end": current.quiet_end,
                "time_zone": current.time_zone,
            }
        )
        status = 200
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
        status=status,
    )
