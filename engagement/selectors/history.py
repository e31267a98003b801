"""The customer's history with the brand, for the case page: earlier cases and their
outcomes, replies, codes issued and redeemed, survey answers, sentiment over time.
A fixed number of queries, each bounded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from coupons.models import CouponCode
from listening.models import Mention
from surveys.models import Response

from ..models import Case, Reply

HISTORY_CASES = 20
HISTORY_MENTIONS = 60
HISTORY_ANSWERS = 20


@dataclass
class CustomerHistory:
    cases: list[Case] = field(default_factory=list)
    replies_sent: int = 0
    codes_issued: int = 0
    codes_redeemed: int = 0
    order_value: object = 0
    answers: list[Response] = field(default_factory=list)
    # (when, sentiment in [-1, 1], label) oldest first
    sentiment: list[tuple[dt.datetime, float | None, str]] = field(default_factory=list)


def customer_history(*, case: Case) -> CustomerHistory:
    history = CustomerHistory()
    author = case.author
    if author is None:
        return history
    history.cases = list(
        Case.objects.filter(author_id=author.pk)
        .exclude(pk=case.pk)
        .select_related("assignee")
        .order_by("-created_at")[:HISTORY_CASES]
    )
    history.replies_sent = Reply.objects.filter(
        case__author_id=author.pk, status="sent"
    ).count()
    codes = CouponCode.objects.filter(
        issued_platform=author.platform, issued_platform_user_id=author.external_id
    ).aggregate(
        issued=Count("id", distinct=True),
        redeemed=Count("id", filter=Q(redeemed_count__gt=0), distinct=True),
        value=Sum("redemptions__order_amount"),
    )
    history.codes_issued = codes["issued"]
    history.codes_redeemed = codes["redeemed"]
    history.order_value = codes["value"] or 0
    history.answers = list(
        Response.objects.filter(
            platform=author.platform, platform_user_id=author.external_id
        )
        .select_related("survey")
        .order_by("-submitted_at")[:HISTORY_ANSWERS]
    )
    rows = (
        Mention.objects.filter(author_id=author.pk, sentiment__isnull=False)
        .order_by("-created_at")
        .values_list("created_at", "sentiment", "sentiment_label")[:HISTORY_MENTIONS]
    )
    history.sentiment = list(reversed(list(rows)))
    return history
