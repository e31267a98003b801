""" "Needs a human": mentions whose sentiment the analysis could not decide, and a
community manager's verdict on each (a correction the model learns from)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from common.errors import DomainError
from listening.nlp.sentiment import NEUTRAL_HIGH, NEUTRAL_LOW
from listening.selectors import (
    NEEDS_HUMAN_PAGE_SIZE,
    mentions_needing_human,
    mentions_needing_human_count,
)

from ..services import mention_verdict_record
from .common import back, manager_view, report_error

REASONS = {
    "sarcasm": gettext_lazy("Sarcastic or mixed"),
    "undecided": gettext_lazy("Undecided score"),
    "disagree": gettext_lazy("Lexicon and model disagree"),
}


def needs_human_reason(mention) -> str:
    """Why the analysis sent the mention to a person (the first reason that holds)."""
    if mention.sarcasm:
        return "sarcasm"
    score = mention.sentiment
    if score is not None and NEUTRAL_LOW <= score <= NEUTRAL_HIGH:
        return "undecided"
    return "disagree"


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


@require_GET
@manager_view
def needs_human(request: HttpRequest) -> HttpResponse:
    mentions = mentions_needing_human(before_id=_int(request.GET.get("before")))
    rows = [{"mention": m, "reason": REASONS[needs_human_reason(m)]} for m in mentions]
    return render(
        request,
        "engagement/needs_human.html",
        {
            "rows": rows,
            "total": mentions_needing_human_count(),
            "next_before": (
                mentions[-1].id if len(mentions) >= NEEDS_HUMAN_PAGE_SIZE else None
            ),
            "band": (NEUTRAL_LOW, NEUTRAL_HIGH),
        },
    )


@require_POST
@manager_view
def needs_human_verdict(request: HttpRequest, mention_id: int) -> HttpResponse:
    try:
        mention_verdict_record(
            mention_id=mention_id,
            label=request.POST.get("label", ""),
            actor=request.user,
        )
    except DomainError as exc:
        report_error(request, exc)
    else:
        messages.success(
            request, _("Verdict recorded. The analysis will learn from it.")
        )
    return back(request, reverse("engagement:needs_human"))
