"""The approval queue of community managers: approve, edit and approve, reject."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.errors import DomainError
from listening.adapters.lengths import max_length, text_length

from ..selectors import approval_count, approval_queue
from ..services import reply_approve, reply_reject
from .common import back, manager_view, report_error

TEXT_MAX = 5000


@require_GET
@manager_view
def approvals(request: HttpRequest) -> HttpResponse:
    replies = approval_queue(user=request.user)
    rows = [
        {
            "reply": r,
            "length": text_length(r.platform, r.text, private=r.is_private),
            "limit": max_length(r.platform, private=r.is_private),
        }
        for r in replies
    ]
    return render(
        request,
        "engagement/approvals.html",
        {"rows": rows, "total": approval_count(user=request.user)},
    )


@require_POST
@manager_view
def reply_approve_view(request: HttpRequest, reply_id: int) -> HttpResponse:
    """Approve as written, or with the approver's edit (checked like any reply)."""
    text = request.POST.get("text")
    try:
        reply_approve(
            reply_id=reply_id,
            actor=request.user,
            text=text[:TEXT_MAX] if text is not None else None,
            note=request.POST.get("note", "")[:1000],
        )
    except DomainError as exc:
        if exc.code == "policy_violation":
            for violation in exc.details:
                messages.error(request, violation["message"])
        else:
            report_error(request, exc)
    else:
        messages.success(request, _("Reply approved: it is being posted."))
    return back(request, reverse("engagement:approvals"))


@require_POST
@manager_view
def reply_reject_view(request: HttpRequest, reply_id: int) -> HttpResponse:
    try:
        reply_reject(
            reply_id=reply_id,
            actor=request.user,
            reason=request.POST.get("reason", "")[:1000],
        )
    except DomainError as exc:
        report_error(request, exc)
    else:
        messages.success(request, _("Reply rejected. Its author sees your reason."))
    return back(request, reverse("engagement:approvals"))
