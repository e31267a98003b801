"""Pages of publishing (/publishing/): compose, approvals, calendar, a post's
performance, the comparison table, an account's follower curve."""

from __future__ import annotations

import datetime as dt
import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ambassadors.selectors import user_role
from common.errors import DomainError
from coupons.models import Campaign
from surveys.models import Survey

from .calendar import grid_build, grid_place
from .charts import line_chart
from .models import BrandAccount, PostImage, PostStatus
from .selectors import (
    accounts_list,
    approval_queue,
    calendar_posts,
    follower_curve,
    performance_table,
    post_comments,
    post_get_for_user,
    post_performance,
)
from .services import (
    approval_reason,
    post_approve,
    post_cancel,
    post_create,
    post_image_store,
    post_reschedule,
    post_target_retry,
    post_update,
    version_check,
)
from .services.posts import is_manager, zone_get
from .services.rules import SAMPLE_CODE, SAMPLE_SURVEY, compose_text, policy_get

TEXT_MAX = 2000
SORTS = {
    "published": lambda r: r.target.published_at,
    "comments": lambda r: r.target.comments,
    "reposts": lambda r: r.target.reposts,
    "likes": lambda r: r.target.likes or 0,
    "reach": lambda r: r.target.reach or 0,
    "followers": lambda r: r.followers_gained or 0,
    "orders": lambda r: r.orders,
    "revenue": lambda r: r.revenue,
}


def team_view(view):
    """Signed in with a role of the social team (else 403)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if user_role(request.user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _zone(request: HttpRequest):
    profile = getattr(request.user, "profile", None)
    return zone_get(getattr(profile, "time_zone", "") or None)


def _report(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error.message)


def _post_or_404(request, post_id: int):
    post = post_get_for_user(post_id=post_id, user=request.user)
    if post is None:
        raise Http404
    return post


# --- the table ----------------------------------------------------------------------


@require_GET
@team_view
def index(request: HttpRequest) -> HttpResponse:
    """Published posts, comparable by their counters and what they brought."""
    account_id = request.GET.get("account", "")
    rows = performance_table(
        user=request.user,
        now=timezone.now(),
        account_id=int(account_id) if account_id.isdigit() else None,
    )
    sort = request.GET.get("sort", "published")
    if sort in SORTS:
        rows.sort(key=SORTS[sort], reverse=True)
    return render(
        request,
        "publishing/index.html",
        {
            "rows": rows,
            "sort": sort,
            "sorts": list(SORTS),
            "accounts": accounts_list(),
            "account_id": account_id,
            "zone": _zone(request),
        },
    )


# --- compose ------------------------------------------------------------------------


def _form_values(request: HttpRequest) -> dict:
    platforms = ("weibo", "twitter", "renren")
    return {
        "accounts": request.POST.getlist("accounts"),
        "text": request.POST.get("text", "")[:TEXT_MAX],
        "per_platform": {
            p: request.POST.get(f"text_{p}", "")[:TEXT_MAX]
            for p in platforms
            if request.POST.get(f"text_{p}", "").strip()
        },
        "scheduled_at": request.POST.get("scheduled_at", ""),
        "time_zone": request.POST.get("time_zone", ""),
        "campaign": request.POST.get("campaign", ""),
        "survey": request.POST.get("survey", ""),
        "draft": request.POST.get("action") == "draft",
    }


def _compose_context(request: HttpRequest, values: dict) -> dict:
    now = timezone.now()
    zone = zone_get(values.get("time_zone") or None) if values else _zone(request)
    return {
        "accounts": accounts_list(),
        "campaigns": [
            c
            for c in Campaign.objects.filter(
                status=Campaign.Status.ACTIVE, ends_at__gt=now
            ).order_by("name")
            if len(c.platforms) == 1
        ],
        "surveys": Survey.objects.exclude(status="closed").order_by("-id")[:50],
        "values": values,
        "zone": zone.key,
        "policy": policy_get(),
        "default_time": (now + dt.timedelta(hours=1))
        .astimezone(zone)
        .strftime("%Y-%m-%dT%H:00"),
        "sample_code": SAMPLE_CODE,
        "sample_survey": SAMPLE_SURVEY,
    }


@require_http_methods(["GET", "POST"])
@team_view
def compose(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "publishing/compose.html", _compose_context(request, {}))
    values = _form_values(request)
    try:
        image_id = None
        upload = request.FILES.get("image")
        if upload is not None:
            image_id = post_image_store(
                uploaded_by=request.user, name=upload.name, data=upload.read()
            ).id
        post = post_create(
            author=request.user,
            account_ids=values["accounts"],
            text=values["text"],
            per_platform=values["per_platform"],
            scheduled_at=values["scheduled_at"] or None,
            time_zone=values["time_zone"] or None,
            campaign_id=values["campaign"] or None,
            survey_id=values["survey"] or None,
            image_id=image_id,
            draft=values["draft"],
        )
    except DomainError as error:
        _report(request, error)
        return render(
            request,
            "publishing/compose.html",
            {**_compose_context(request, values), "error": error},
            status=400,
        )
    messages.success(
        request, _("Saved: %(status)s.") % {"status": post.get_status_display()}
    )
    return redirect(post.get_absolute_url())


@require_POST
@team_view
def check(request: HttpRequest) -> JsonResponse:
    """The composer's live check: each platform's final text (with a stand-in code
    and link of the real lengths), its length as the platform counts it, the
    policy, and whether a manager will have to approve."""
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"code": "invalid", "message": _("Not JSON.")}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"code": "invalid", "message": _("Not JSON.")}, status=400)
    ids = [int(i) for i in body.get("accounts") or [] if str(i).isdigit()]
    platforms = sorted(
        set(BrandAccount.objects.filter(id__in=ids).values_list("platform", flat=True))
    )
    versions = (
        body.get("per_platform") if isinstance(body.get("per_platform"), dict) else {}
    )
    text = str(body.get("text") or "")[:TEXT_MAX]
    campaign = None
    if str(body.get("campaign") or "").isdigit():
        campaign = Campaign.objects.filter(id=int(body["campaign"])).first()
    checks = []
    for platform in platforms:
        final = compose_text(
            platform=platform,
            text=str(versions.get(platform) or "")[:TEXT_MAX].strip() or text,
            code=SAMPLE_CODE if campaign else "",
            uses=policy_get().coupon_uses,
            survey_url=SAMPLE_SURVEY if body.get("survey") else "",
        )
        checks.append(version_check(platform=platform, text=final).as_dict())
    return JsonResponse(
        {
            "checks": checks,
            "approval": approval_reason(author=request.user, campaign=campaign),
        }
    )


# --- approvals ----------------------------------------------------------------------


@require_GET
@team_view
def approvals(request: HttpRequest) -> HttpResponse:
    posts = list(approval_queue(request.user))
    for post in posts:
        post.checks = [
            version_check(platform=t.account.platform, text=t.text)
            for t in post.targets.all()
        ]
    return render(
        request,
        "publishing/approvals.html",
        {
            "posts": posts,
            "may_approve": is_manager(request.user),
            "zone": _zone(request),
        },
    )


@require_POST
@team_view
def approve(request: HttpRequest, post_id: int) -> HttpResponse:
    """Approve as written, or with the approver's edits (a new version first)."""
    post = _post_or_404(request, post_id)
    edits = {
        t.account.platform: request.POST.get(f"text_{t.account.platform}", "")[
            :TEXT_MAX
        ]
        for t in post.targets.all()
        if request.POST.get(f"text_{t.account.platform}", "").strip()
        and request.POST.get(f"text_{t.account.platform}", "").strip() != t.text
    }
    try:
        if edits:
            post_update(
                post_id=post.id,
                editor=request.user,
                per_platform={**post.per_platform, **edits},
            )
        post_approve(post_id=post.id, approver=request.user)
    except DomainError as error:
        _report(request, error)
        return redirect("publishing:approvals")
    messages.success(request, _("Approved: it goes out as scheduled."))
    return redirect("publishing:approvals")


# --- calendar -----------------------------------------------------------------------


@require_GET
@team_view
def calendar(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    today = timezone.now().astimezone(zone).date()
    view = "month" if request.GET.get("view") == "month" else "week"
    try:
        anchor = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        anchor = today
    account = request.GET.get("account", "")
    grid = grid_build(view=view, anchor=anchor, zone=zone, today=today)
    posts = calendar_posts(
        user=request.user,
        start=grid.start,
        end=grid.end,
        account_id=int(account) if account.isdigit() else None,
    )
    grid_place(grid, posts, zone)
    return render(
        request,
        "publishing/calendar.html",
        {
            "grid": grid,
            "accounts": accounts_list(),
            "account": account,
            "zone": zone.key,
            "movable": (
                PostStatus.DRAFT,
                PostStatus.PENDING_APPROVAL,
                PostStatus.SCHEDULED,
            ),
        },
    )


@require_POST
@team_view
def reschedule(request: HttpRequest, post_id: int) -> HttpResponse:
    """The calendar's drag (fetch, JSON answer) or the post page's form."""
    post = _post_or_404(request, post_id)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    try:
        post = post_reschedule(
            post_id=post.id,
            actor=request.user,
            scheduled_at=request.POST.get("scheduled_at", ""),
            time_zone=request.POST.get("time_zone") or None,
        )
    except DomainError as error:
        if wants_json:
            return JsonResponse(
                {"code": error.code, "message": error.message}, status=error.status
            )
        _report(request, error)
        return redirect(post.get_absolute_url())
    if wants_json:
        return JsonResponse(
            {"id": post.id, "scheduled_at": post.scheduled_at.isoformat()}
        )
    messages.success(request, _("Rescheduled."))
    return redirect(post.get_absolute_url())


# --- a post -------------------------------------------------------------------------


def _metric_chart(row, zone) -> dict:
    snaps = row.snapshots
    series = [
        (_("Comments"), [(s.taken_at, s.comments) for s in snaps]),
        (_("Reposts"), [(s.taken_at, s.reposts) for s in snaps]),
        (_("Likes"), [(s.taken_at, s.likes) for s in snaps]),
    ]
    return line_chart(
        title=f"{row.target.account} — {_('counters over time')}",
        series=series,
        zone=zone,
    )


def _reach_chart(row, zone) -> dict:
    return line_chart(
        title=f"{row.target.account} — {_('reach')}",
        series=[(_("Reach"), [(s.taken_at, s.reach) for s in row.snapshots])],
        zone=zone,
    )


@require_GET
@team_view
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    zone = _zone(request)
    rows = post_performance(post=post, now=timezone.now())
    for row in rows:
        row.chart = _metric_chart(row, zone)
        row.reach_chart = _reach_chart(row, zone)
    return render(
        request,
        "publishing/post_detail.html",
        {
            "post": post,
            "accounts": accounts_list(),
            "rows": rows,
            "versions": post.versions.select_related("edited_by"),
            "comments": post_comments(post=post),
            "zone": zone,
            "local_time": post.scheduled_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M")
            if post.scheduled_at
            else "",
            "editable": post.status
            in (PostStatus.DRAFT, PostStatus.PENDING_APPROVAL, PostStatus.SCHEDULED),
            "may_approve": is_manager(request.user)
            and post.author_id != request.user.pk,
        },
    )


@require_POST
@team_view
def cancel(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    try:
        post_cancel(post_id=post.id, actor=request.user)
    except DomainError as error:
        _report(request, error)
    else:
        messages.success(request, _("Cancelled: it will not be sent."))
    return redirect(post.get_absolute_url())


@require_POST
@team_view
def retry(request: HttpRequest, post_id: int, target_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    if not post.targets.filter(id=target_id).exists():
        raise Http404
    post_target_retry(target_id=target_id)
    messages.success(request, _("Queued again."))
    return redirect(post.get_absolute_url())


@require_POST
@team_view
def submit(request: HttpRequest, post_id: int) -> HttpResponse:
    """A draft goes for approval or onto the schedule."""
    post = _post_or_404(request, post_id)
    try:
        post_update(post_id=post.id, editor=request.user, submit=True)
    except DomainError as error:
        _report(request, error)
    return redirect(post.get_absolute_url())


@require_GET
@team_view
def image(request: HttpRequest, image_id: int) -> HttpResponse:
    picture = PostImage.objects.filter(id=image_id).first()
    if picture is None or not (
        picture.uploaded_by_id == request.user.pk or is_manager(request.user)
    ):
        raise Http404
    response = HttpResponse(bytes(picture.data), content_type=picture.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


# --- an account ---------------------------------------------------------------------


@require_GET
@team_view
def account(request: HttpRequest, account_id: int) -> HttpResponse:
    found = BrandAccount.objects.filter(id=account_id).first()
    if found is None:
        raise Http404
    zone = _zone(request)
    days = 7 if request.GET.get("days") != "30" else 30
    snaps, posts = follower_curve(
        account=found, since=timezone.now() - dt.timedelta(days=days)
    )
    chart = line_chart(
        title=_("Followers of %(name)s") % {"name": found.name},
        series=[(_("Followers"), [(s.taken_at, s.followers) for s in snaps])],
        markers=[(t.published_at, f"#{t.post_id}") for t in posts],
        zone=zone,
    )
    return render(
        request,
        "publishing/account.html",
        {
            "account": found,
            "accounts": accounts_list(),
            "chart": chart,
            "posts": posts,
            "days": days,
            "zone": zone,
        },
    )
