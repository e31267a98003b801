"""The composer: canned responses, the live policy check, sending, retrying, and
the reply list that follows delivery."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ambassadors.permissions import is_manager
from common.errors import DomainError

from ..models import ReplyStatus
from ..selectors import (
    canned_response_render,
    canned_responses_search,
    case_get_for_user,
    replies_visible_to,
    reply_get_for_user,
)
from ..selectors.desk import replies_since
from ..services import reply_compose, reply_compose_draft, reply_retry
from .case import case_context, replies_in_flight
from .common import back, dashboard_view, int_or_none, report_error

CANNED_RESULTS = 10
TEXT_MAX = 5000  # far above every platform's limit; the check reports the real one


@require_GET
@dashboard_view
def canned_search(request: HttpRequest, case_id: int) -> HttpResponse:
    """htmx: canned responses matching a short code (``/dm``) or words, each
    rendered for this case's author; the case language's first, then the others."""
    case = case_get_for_user(user=request.user, case_id=case_id)
    query = request.GET.get("q", "")[:60]
    found = canned_responses_search(
        query=query, language=case.language or None, limit=CANNED_RESULTS
    )
    if len(found) < CANNED_RESULTS and case.language:
        seen = {c.pk for c in found}
        found += [
            c
            for c in canned_responses_search(query=query, limit=CANNED_RESULTS)
            if c.pk not in seen
        ][: CANNED_RESULTS - len(found)]
    items = [
        {"canned": c, "text": canned_response_render(canned=c, case=case)}
        for c in found
    ]
    return render(
        request, "engagement/_canned_list.html", {"items": items, "query": query}
    )


@require_POST
@dashboard_view
def composer_check(request: HttpRequest, case_id: int) -> HttpResponse:
    """htmx: the policy check of the draft as it will be posted (no write)."""
    try:
        draft = reply_compose_draft(
            case_id=case_id,
            actor=request.user,
            text=request.POST.get("text", "")[:TEXT_MAX],
            with_coupon=bool(int_or_none(request.POST.get("campaign"))),
            with_survey=bool(int_or_none(request.POST.get("survey"))),
            mention_id=int_or_none(request.POST.get("mention")),
        )
    except DomainError as exc:
        report_error(request, exc)
        return HttpResponse(status=204)
    return render(request, "engagement/_draft_check.html", {"draft": draft})


@require_POST
@dashboard_view
def reply_send(request: HttpRequest, case_id: int) -> HttpResponse:
    """Send the composed reply: queued, or waiting for a manager's approval. When it
    is refused the page comes back with the text kept and every reason listed."""
    text = request.POST.get("text", "")[:TEXT_MAX]
    mention_id = int_or_none(request.POST.get("mention"))
    campaign_id = int_or_none(request.POST.get("campaign"))
    survey_id = int_or_none(request.POST.get("survey"))
    composer = {
        "text": text,
        "mention_id": mention_id,
        "campaign_id": campaign_id,
        "survey_id": survey_id,
    }
    seen = int_or_none(request.POST.get("seen_reply"))
    if seen is not None and request.POST.get("confirm_collision") != "1":
        # Someone else answered while this reply was being written: show what
        # they said and let the person decide, the text kept.
        meanwhile = replies_since(case_id=case_id, after_id=seen, user=request.user)
        if meanwhile:
            context = case_context(
                request, case_id, composer={**composer, "collision": meanwhile}
            )
            return render(request, "engagement/case_detail.html", context, status=409)
    try:
        reply = reply_compose(
            case_id=case_id,
            actor=request.user,
            text=text,
            mention_id=mention_id,
            campaign_id=campaign_id,
            survey_id=survey_id,
        )
    except DomainError as exc:
        if exc.status == 404:
            report_error(request, exc)
        errors = (
            [v["message"] for v in exc.details]
            if exc.code == "policy_violation"
            else [exc.message]
        )
        context = case_context(
            request, case_id, composer={**composer, "errors": errors}
        )
        return render(
            request, "engagement/case_detail.html", context, status=exc.status
        )
    if reply.status == ReplyStatus.PENDING_APPROVAL:
        messages.success(
            request, _("Reply saved: it waits for a community manager's approval.")
        )
    else:
        messages.success(request, _("Reply queued: it is being posted."))
    return back(request, reverse("engagement:case_detail", args=[case_id]) + "#replies")


@require_GET
@dashboard_view
def replies_fragment(request: HttpRequest, case_id: int) -> HttpResponse:
    """htmx: the case's replies, polled while one is on its way."""
    case = case_get_for_user(user=request.user, case_id=case_id)
    replies = list(
        replies_visible_to(request.user)
        .filter(case_id=case.pk)
        .select_related("author", "reviewed_by")
        .order_by("created_at", "id")
    )
    return render(
        request,
        "engagement/_replies.html",
        {
            "case": case,
            "replies": replies,
            "poll_replies": replies_in_flight(replies),
            "is_manager": is_manager(request.user),
        },
    )


@require_POST
@dashboard_view
def reply_retry_view(request: HttpRequest, reply_id: int) -> HttpResponse:
    reply = reply_get_for_user(user=request.user, reply_id=reply_id)
    target = reverse("engagement:case_detail", args=[reply.case_id]) + "#replies"
    try:
        reply_retry(reply_id=reply_id, actor=request.user)
    except DomainError as exc:
        report_error(request, exc)
    else:
        messages.success(request, _("Reply queued again."))
    return back(request, target)
