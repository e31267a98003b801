"""Sharing the brand's news and the leaderboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..advocacy.points import leaderboard, points_of
from ..advocacy.shares import (
    brand_posts,
    share_create,
    share_pick_close,
    share_pick_create,
)
from ..errors import ProgramError
from ..models import Team
from ..models.advocacy import Share, SharePick, TallyPeriod
from .access import managers_only


@login_required
def share_list(request: HttpRequest) -> HttpResponse:
    picks = list(
        SharePick.objects.filter(active=True)
        .select_related("mention__author")
        .order_by("-created_at")[:50]
    )
    mine = {
        s.pick_id: s for s in Share.objects.filter(user=request.user, pick__in=picks)
    }
    return render(
        request,
        "ambassadors/share_list.html",
        {"rows": [{"pick": p, "share": mine.get(p.pk)} for p in picks]},
    )


@login_required
@require_POST
def share_action(request: HttpRequest, pick_id: int) -> HttpResponse:
    comment = request.POST.get("comment")
    try:
        share_create(user=request.user, pick_id=pick_id, comment=comment)
    except ProgramError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Shared: it is on its way to the platform."))
    return redirect("ambassadors:share_list")


@managers_only
def share_picks(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            if request.POST.get("close"):
                share_pick_close(pick_id=int(request.POST["close"]), actor=request.user)
            else:
                share_pick_create(
                    mention_id=int(request.POST.get("mention", 0)),
                    comment=request.POST.get("comment", ""),
                    actor=request.user,
                )
        except ProgramError as exc:
            messages.error(request, exc.message)
        except ValueError:
            messages.error(request, _("Choose a post."))
        else:
            messages.success(request, _("Saved."))
        return redirect("ambassadors:share_picks")
    picked = {
        p.mention_id: p for p in SharePick.objects.all().order_by("-created_at")[:500]
    }
    posts = list(brand_posts(limit=50))
    return render(
        request,
        "ambassadors/share_picks.html",
        {"rows": [{"post": m, "pick": picked.get(m.pk)} for m in posts]},
    )


@login_required
def leaderboard_page(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period", TallyPeriod.WEEK)
    if period not in TallyPeriod.values:
        period = TallyPeriod.WEEK
    team_id = request.GET.get("team", "")
    team = Team.objects.filter(pk=int(team_id)).first() if team_id.isdigit() else None
    return render(
        request,
        "ambassadors/leaderboard.html",
        {
            "period": period,
            "periods": TallyPeriod.choices,
            "team": team,
            "teams": Team.objects.order_by("name"),
            "standings": leaderboard(period=period, team_id=team.pk if team else None),
            "mine": points_of(user_id=request.user.pk),
        },
    )
