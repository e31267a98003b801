"""The case page and the actions on a case (assign, status, priority, team, labels,
escalation, notes, sentiment correction)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ambassadors.permissions import is_manager
from common.errors import DomainError
from coupons.selectors import codes_of_case
from listening.adapters.lengths import max_length
from listening.models import Platform, Sentiment

from ..models import (
    MANUAL_CLOSE_REASONS,
    PRIORITY_BY_NAME,
    PRIORITY_NAMES,
    CaseStatus,
    Priority,
)
from ..selectors import (
    assignable_users,
    canned_response_render,
    canned_responses_search,
    case_detail,
    case_get_for_user,
    case_neighbours,
    case_sla_state,
    case_thread,
    cases_visible_to,
    coupon_campaigns_for,
    filter_choices,
    queue_counts_forget,
    surveys_for,
    user_profile,
)
from ..selectors.desk import latest_reply_id, merge_candidates
from ..selectors.history import customer_history
from ..selectors.people import people_suggest
from ..services import (
    approval_reason,
    attachment_line,
    case_add_note,
    case_assign,
    case_escalate,
    case_mention_sentiment_correct,
    case_set_labels,
    case_set_priority,
    case_set_status,
    case_set_team,
    coupon_placeholder,
    survey_placeholder,
)
from ..services.access import can_work_case, may_release, may_take
from ..services.contacts import contact_link, contact_note_add, contact_unlink
from ..services.presence import COMPOSING, PRESENCE_REFRESH
from ..services.workload import assignee_choices
from .common import back, dashboard_view, int_or_none, manager_view, report_error

# Canned responses listed before the user types a short code.
CANNED_INITIAL = 8
# Replies in these states change without the user doing anything: poll them.
IN_FLIGHT = ("pending_approval", "queued", "sending")


def _case_url(case_id: int, anchor: str = "") -> str:
    url = reverse("engagement:case_detail", args=[case_id])
    return f"{url}#{anchor}" if anchor else url


def replies_in_flight(replies) -> bool:
    return any(r.status in IN_FLIGHT for r in replies)


def _analysis_summary(thread) -> dict:
    brands: dict[str, None] = {}
    keywords: dict[str, None] = {}
    sarcasm = False
    for mention in thread:
        brands.update(dict.fromkeys(mention.brands or []))
        keywords.update(dict.fromkeys(mention.keywords or []))
        sarcasm = sarcasm or mention.sarcasm
    return {
        "brands": list(brands)[:12],
        "keywords": list(keywords)[:20],
        "sarcasm": sarcasm,
    }


def case_context(request: HttpRequest, case_id: int, composer: dict | None = None):
    """Everything the case page shows, in a constant number of queries."""
    user = request.user
    case = case_detail(user=user, case_id=case_id)
    thread = case_thread(case)
    replies = list(case.replies.all())
    profile = user_profile(user)
    manager = is_manager(user)
    can_work = can_work_case(user, case)
    previous_id, next_id = case_neighbours(user=user, case=case)
    composer = composer or {}
    context = {
        "case": case,
        "thread": thread,
        "latest_mention": thread[-1] if thread else None,
        "replies": replies,
        "poll_replies": replies_in_flight(replies),
        "notes": list(case.notes.all()),
        "events": list(case.events.all()),
        "sla": case_sla_state(case),
        "case_codes": codes_of_case(case_id=case.pk),
        "history": customer_history(case=case),
        "identity_platforms": Platform.choices,
        "analysis": _analysis_summary(thread),
        "is_manager": manager,
        "can_work": can_work,
        "may_take": may_take(user, case),
        "may_release": may_release(user, case),
        "teams": filter_choices().teams if manager else [],
        "labels_text": ", ".join(lab.name for lab in case.labels.all()),
        "statuses": CaseStatus.choices,
        "close_reasons": [(r.value, r.label) for r in MANUAL_CLOSE_REASONS],
        "priorities": [(PRIORITY_NAMES[p.value], p.label, p.value) for p in Priority],
        "sentiments": Sentiment.choices,
        "previous_id": previous_id,
        "next_id": next_id,
        "composer_text": composer.get("text", ""),
        "composer_errors": composer.get("errors", []),
        "composer_mention": composer.get("mention_id"),
        "composer_campaign": composer.get("campaign_id"),
        "composer_survey": composer.get("survey_id"),
        "collision": composer.get("collision", []),
        # Collision detection: the newest reply this page shows, and who else is
        # here (filled by the presence poll).
        "seen_reply": latest_reply_id(replies),
        "others": [],
        "composing": COMPOSING,
        "refresh": PRESENCE_REFRESH,
        "merge_candidates": merge_candidates(case=case, user=user) if can_work else [],
    }
    if can_work and case.is_active:
        context.update(
            _composer_context(request, case, profile, context["latest_mention"])
        )
    if manager and case.is_active:
        context["override"] = _override_offer(request, case)
    return context


def _case_assignees(user, case) -> list:
    return assignee_choices(users=assignable_users(user=user), case=case, me=user)


def _override_offer(request: HttpRequest, case) -> object | None:
    """After an assignment was refused at the limit: the person, so the page asks
    the manager to confirm assigning past it."""
    wanted = int_or_none(request.GET.get("override"))
    if wanted is None:
        return None
    choices = _case_assignees(request.user, case)
    return next((c for c in choices if c.user_id == wanted), None)


@require_GET
@manager_view
def case_assignees_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """htmx, right after the case page loads: the assign menu's people with their
    load, limit, availability and why routing would not give them the case
    (counting everyone's open cases would otherwise hold up the page)."""
    case = case_get_for_user(user=request.user, case_id=case_id)
    context = {"case": case, "assignees": _case_assignees(request.user, case)}
    return render(request, "engagement/_case_assignees.html", context)


def _composer_context(request: HttpRequest, case, profile, latest) -> dict:
    language = case.language or None
    # Answering a private message, the reply is one: its own limit and counting
    # (the page switches when another post is picked in "Reply to").
    private = bool(latest is not None and latest.is_private)
    campaigns = coupon_campaigns_for(platform=case.platform)
    surveys = surveys_for(platform=case.platform)
    return {
        "composer": True,
        "canned_items": [
            {"canned": c, "text": canned_response_render(canned=c, case=case)}
            for c in canned_responses_search(language=language, limit=CANNED_INITIAL)
        ],
        "campaigns": campaigns,
        "surveys": surveys,
        "signature": profile.disclosure_signature if profile else "",
        "limit": max_length(case.platform, private=private),
        "public_limit": max_length(case.platform),
        "private_limit": max_length(case.platform, private=True),
        "private": private,
        "coupon_sample": attachment_line(
            "coupon", coupon_placeholder(), language=case.language
        ),
        "survey_sample": attachment_line(
            "survey", survey_placeholder(), language=case.language
        ),
        "needs_approval": approval_reason(author=request.user, case=case),
    }


@require_GET
@dashboard_view
def case_detail_view(request: HttpRequest, case_id: int) -> HttpResponse:
    return render(
        request, "engagement/case_detail.html", case_context(request, case_id)
    )


def _act(request: HttpRequest, case_id: int, action, success: str, anchor: str = ""):
    try:
        action()
    except DomainError as exc:
        report_error(request, exc)
    else:
        queue_counts_forget(user=request.user)
        messages.success(request, success)
    return back(request, _case_url(case_id, anchor))


@require_POST
@dashboard_view
def case_assign_view(request: HttpRequest, case_id: int) -> HttpResponse:
    raw = request.POST.get("assignee", "")
    if raw == "me":
        assignee = request.user
    elif raw in ("", "none"):
        assignee = None
    else:
        assignee = get_user_model().objects.filter(pk=int_or_none(raw)).first()
        if assignee is None:
            messages.error(request, _("Choose whom to assign to."))
            return back(request, _case_url(case_id))
    override = request.POST.get("override") == "1"
    try:
        case_assign(
            case_id=case_id, assignee=assignee, actor=request.user, override=override
        )
    except DomainError as exc:
        if exc.code == "over_capacity" and is_manager(request.user) and assignee:
            # Ask to confirm: the case page offers "assign past the limit".
            messages.warning(request, exc.message)
            url = reverse("engagement:case_detail", args=[case_id])
            return HttpResponseRedirect(f"{url}?override={assignee.pk}#actions")
        report_error(request, exc)
        return back(request, _case_url(case_id))
    queue_counts_forget(user=request.user)
    messages.success(
        request,
        _("Assigned to %(user)s.") % {"user": assignee.get_username()}
        if assignee
        else _("Back in the team queue."),
    )
    return back(request, _case_url(case_id))


@require_POST
@dashboard_view
def case_status_view(request: HttpRequest, case_id: int) -> HttpResponse:
    status = request.POST.get("status", "")
    labels = dict(CaseStatus.choices)
    return _act(
        request,
        case_id,
        lambda: case_set_status(
            case_id=case_id,
            status=status,
            reason=request.POST.get("reason", ""),
            actor=request.user,
        ),
        _("Status: %(status)s.") % {"status": labels.get(status, status)},
    )


@require_POST
@dashboard_view
def case_priority_view(request: HttpRequest, case_id: int) -> HttpResponse:
    priority = PRIORITY_BY_NAME.get(request.POST.get("priority", ""), 0)
    return _act(
        request,
        case_id,
        lambda: case_set_priority(
            case_id=case_id, priority=priority, actor=request.user
        ),
        _("Priority changed."),
    )


@require_POST
@dashboard_view
def case_team_view(request: HttpRequest, case_id: int) -> HttpResponse:
    team_id = int_or_none(request.POST.get("team"))
    return _act(
        request,
        case_id,
        lambda: case_set_team(case_id=case_id, team_id=team_id, actor=request.user),
        _("Team changed."),
    )


@require_POST
@dashboard_view
def case_labels_view(request: HttpRequest, case_id: int) -> HttpResponse:
    raw = request.POST.get("labels", "").replace("，", ",")
    labels = [name.strip() for name in raw.split(",") if name.strip()]
    return _act(
        request,
        case_id,
        lambda: case_set_labels(case_id=case_id, labels=labels, actor=request.user),
        _("Labels saved."),
    )


@require_POST
@dashboard_view
def case_escalate_view(request: HttpRequest, case_id: int) -> HttpResponse:
    return _act(
        request,
        case_id,
        lambda: case_escalate(
            case_id=case_id,
            actor=request.user,
            reason=request.POST.get("reason", "")[:300],
        ),
        _("Escalated: an expert will take it."),
    )


@require_POST
@dashboard_view
def case_note_view(request: HttpRequest, case_id: int) -> HttpResponse:
    return _act(
        request,
        case_id,
        lambda: case_add_note(
            case_id=case_id, text=request.POST.get("text", ""), actor=request.user
        ),
        _("Note added."),
        anchor="notes",
    )


@require_POST
@dashboard_view
def case_sentiment_view(request: HttpRequest, case_id: int) -> HttpResponse:
    mention_id = int_or_none(request.POST.get("mention")) or 0
    return _act(
        request,
        case_id,
        lambda: case_mention_sentiment_correct(
            case_id=case_id,
            mention_id=mention_id,
            label=request.POST.get("label", ""),
            actor=request.user,
        ),
        _("Sentiment corrected. The analysis will learn from it."),
        anchor=f"mention-{mention_id}",
    )


@require_GET
@dashboard_view
def case_fresh_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """htmx, every few seconds on the case page: a notice when the conversation
    has grown since the page was drawn (``seen``: the mention count shown)."""
    case = case_get_for_user(user=request.user, case_id=case_id)
    seen = int_or_none(request.GET.get("seen")) or 0
    return render(
        request,
        "engagement/_case_fresh.html",
        {"case": case, "new": max(case.mention_count - seen, 0), "seen": seen},
    )


@require_GET
@dashboard_view
def people_suggest_view(request: HttpRequest) -> HttpResponse:
    """@username completion in internal notes."""

    return JsonResponse({"usernames": people_suggest(prefix=request.GET.get("q", ""))})


def mention_case_view(request: HttpRequest, mention_id: int) -> HttpResponse:
    """The case of a mention (the listening room's mention list links here); 404
    when the mention has no case the user can see."""
    case_id = (
        cases_visible_to(request.user)
        .filter(links__mention_id=mention_id)
        .values_list("id", flat=True)
        .first()
    )
    if case_id is None:
        raise Http404
    return redirect("engagement:case_detail", case_id=case_id)


@require_POST
@dashboard_view
def contact_link_view(request: HttpRequest, case_id: int) -> HttpResponse:
    return _act(
        request,
        case_id,
        lambda: contact_link(
            case_id=case_id,
            platform=request.POST.get("platform", "")[:20],
            handle=request.POST.get("handle", "")[:200],
            actor=request.user,
        ),
        _("Identities linked: one person now."),
        anchor="customer-history",
    )


@require_POST
@dashboard_view
def contact_unlink_view(request: HttpRequest, case_id: int) -> HttpResponse:
    return _act(
        request,
        case_id,
        lambda: contact_unlink(
            case_id=case_id,
            author_id=int_or_none(request.POST.get("author")) or 0,
            actor=request.user,
        ),
        _("Identity unlinked."),
        anchor="customer-history",
    )


@require_POST
@dashboard_view
def contact_note_view(request: HttpRequest, case_id: int) -> HttpResponse:
    return _act(
        request,
        case_id,
        lambda: contact_note_add(
            case_id=case_id,
            text=request.POST.get("text", "")[:5000],
            actor=request.user,
        ),
        _("Contact note added."),
        anchor="customer-history",
    )
