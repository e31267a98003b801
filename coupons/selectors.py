"""Reads of coupons: campaigns on offer, codes, redemptions, and campaign figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict, TypeVar

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from listening.models import Platform

from .models import Campaign, CodeBatch, CouponCode, Redemption

ZERO = Decimal("0")


def _count_of(queryset: QuerySet[Model]) -> Subquery:
    return Subquery(
        queryset.order_by().values("campaign").annotate(n=Count("id")).values("n"),
        output_field=IntegerField(),
    )


def _free_codes() -> Subquery:
    # Served by code_pool_idx.
    return _count_of(
        CouponCode.objects.filter(
            campaign=OuterRef("pk"),
            issued_at__isnull=True,
            revoked_at__isnull=True,
            max_redemptions=1,
        )
    )


def campaigns_available_for_platform(
    *, platform: str, at: dt.datetime | None = None, with_codes_only: bool = False
) -> list[Campaign]:
    """Campaigns an ambassador may attach to a reply on ``platform`` now.

    Each carries ``codes_available``: the free codes left (0 means it ran out: the
    composer can show it greyed out with that reason). Exclusivity is filtered in
    Python: the list is a handful of rows and platforms is a JSON list.
    """
    at = at or timezone.now()
    campaigns = (
        Campaign.objects.filter(
            status=Campaign.Status.ACTIVE, starts_at__lte=at, ends_at__gt=at
        )
        .annotate(codes_available=Coalesce(_free_codes(), 0))
        .order_by("ends_at", "id")
    )
    return [
        campaign
        for campaign in campaigns
        if campaign.allows_platform(platform)
        and (campaign.codes_available > 0 or not with_codes_only)
    ]


def campaign_list() -> QuerySet[Campaign]:
    """Campaigns with their counters, for the list page and the API."""
    return Campaign.objects.annotate(
        codes_total=Coalesce(
            _count_of(CouponCode.objects.filter(campaign=OuterRef("pk"))), 0
        ),
        codes_issued=Coalesce(
            _count_of(
                CouponCode.objects.filter(
                    campaign=OuterRef("pk"), issued_at__isnull=False
                )
            ),
            0,
        ),
        redemptions_total=Coalesce(
            _count_of(Redemption.objects.filter(campaign=OuterRef("pk"))), 0
        ),
    ).order_by("-starts_at", "-id")


def campaign_get(*, campaign_id: int) -> Campaign | None:
    return campaign_list().filter(id=campaign_id).first()


def campaign_batches(*, campaign_id: int) -> QuerySet[CodeBatch]:
    return CodeBatch.objects.filter(campaign_id=campaign_id).order_by("-id")


def codes_list(*, campaign_id: int | None = None) -> QuerySet[CouponCode]:
    qs = CouponCode.objects.select_related("issued_by").order_by("id")
    if campaign_id is not None:
        qs = qs.filter(campaign_id=campaign_id)
    return qs


def redemptions_list(*, campaign_id: int | None = None) -> QuerySet[Redemption]:
    qs = Redemption.objects.select_related("code", "ambassador").order_by("-id")
    if campaign_id is not None:
        qs = qs.filter(campaign_id=campaign_id)
    return qs


# --- campaign figures ----------------------------------------------------------------


@dataclass
class StatRow:
    key: str
    label: str
    issued: int = 0
    issued_redeemed: int = 0  # issued codes used at least once
    redemptions: int = 0
    revenue: Decimal = ZERO
    discount: Decimal = ZERO

    @property
    def rate(self) -> float | None:
        """Share of the codes given out that were used (None: none given out)."""
        return self.issued_redeemed / self.issued if self.issued else None

    @property
    def rate_percent(self) -> str:
        return "–" if self.rate is None else f"{100 * self.rate:.1f}%"


@dataclass
class CampaignStats:
    codes_total: int
    codes_free: int
    total: StatRow
    by_platform: list[StatRow] = field(default_factory=list)
    by_ambassador: list[StatRow] = field(default_factory=list)
    by_day: list[tuple[str, int, Decimal]] = field(default_factory=list)


_Key = TypeVar("_Key", str, int | str)


def _merge(
    rows: dict[_Key, StatRow],
    issued_qs: Iterable[Mapping[str, Any]],
    redeemed_qs: Iterable[Mapping[str, Any]],
    *,
    issued_key: str,
    redeemed_key: str,
) -> None:
    for item in issued_qs:
        row = rows[item[issued_key] or ""]
        row.issued += item["issued"]
        row.issued_redeemed += item["used"]
    for item in redeemed_qs:
        row = rows[item[redeemed_key] or ""]
        row.redemptions += item["n"]
        row.revenue += item["revenue"] or ZERO
        row.discount += item["discount"] or ZERO


def campaign_stats(*, campaign_id: int, unattributed_label: str = "–") -> CampaignStats:
    """Codes issued and redeemed, redemption rate, revenue and discount given: in
    total, by platform, by ambassador and by day. A handful of grouped queries."""
    codes = CouponCode.objects.filter(campaign_id=campaign_id).order_by()
    issued = codes.filter(issued_at__isnull=False)
    redemptions = Redemption.objects.filter(campaign_id=campaign_id).order_by()
    issued_counts = {
        "issued": Count("id"),
        "used": Count("id", filter=Q(redeemed_count__gt=0)),
    }
    money = {
        "n": Count("id"),
        "revenue": Sum("order_amount"),
        "discount": Sum("discount_amount"),
    }

    totals = codes.aggregate(
        total=Count("id"),
        free=Count(
            "id",
            filter=Q(
                issued_at__isnull=True, revoked_at__isnull=True, max_redemptions=1
            ),
        ),
    )
    total = StatRow(key="", label="")
    _merge(
        {"": total},
        [issued.aggregate(**issued_counts) | {"k": ""}],
        [redemptions.aggregate(**money) | {"k": ""}],
        issued_key="k",
        redeemed_key="k",
    )

    platform_labels = dict(Platform.choices)
    by_platform: dict[str, StatRow] = {}
    platform_issued = list(issued.values("issued_platform").annotate(**issued_counts))
    platform_redeemed = list(redemptions.values("platform").annotate(**money))
    keys = {i["issued_platform"] for i in platform_issued} | {
        i["platform"] or "" for i in platform_redeemed
    }
    for key in sorted(keys):
        by_platform[key] = StatRow(
            key=key, label=str(platform_labels.get(key, unattributed_label))
        )
    _merge(
        by_platform,
        platform_issued,
        platform_redeemed,
        issued_key="issued_platform",
        redeemed_key="platform",
    )

    ambassador_issued = list(issued.values("issued_by").annotate(**issued_counts))
    ambassador_redeemed = list(redemptions.values("ambassador").annotate(**money))
    ids = {i["issued_by"] for i in ambassador_issued} | {
        i["ambassador"] for i in ambassador_redeemed
    }
    names = dict(
        get_user_model()
        .objects.filter(id__in=[i for i in ids if i])
        .values_list("id", "username")
    )
    by_ambassador = {
        (i or ""): StatRow(key=str(i or ""), label=names.get(i, unattributed_label))
        for i in ids
    }
    _merge(
        by_ambassador,
        [dict(i, issued_by=i["issued_by"] or "") for i in ambassador_issued],
        [dict(i, ambassador=i["ambassador"] or "") for i in ambassador_redeemed],
        issued_key="issued_by",
        redeemed_key="ambassador",
    )

    by_day = [
        (item["day"].isoformat(), item["n"], item["revenue"] or ZERO)
        for item in redemptions.annotate(
            day=TruncDate("created_at", tzinfo=timezone.get_current_timezone())
        )
        .values("day")
        .annotate(n=Count("id"), revenue=Sum("order_amount"))
        .order_by("day")
    ]
    return CampaignStats(
        codes_total=totals["total"],
        codes_free=totals["free"],
        total=total,
        by_platform=sorted(by_platform.values(), key=lambda r: -r.revenue),
        by_ambassador=sorted(
            by_ambassador.values(), key=lambda r: (-r.revenue, -r.issued)
        ),
        by_day=by_day,
    )


class CodeTotals(TypedDict):
    orders: int
    revenue: Decimal | None


def code_redemption_totals(*, code_ids: Iterable[int]) -> dict[int, CodeTotals]:
    """Per code: how many orders used it and their revenue (order amounts), for
    the posts that carried a public code."""
    rows = (
        Redemption.objects.filter(code_id__in=list(code_ids))
        .values("code_id")
        .annotate(orders=Count("id"), revenue=Sum("order_amount"))
    )
    return {
        row["code_id"]: {"orders": row["orders"], "revenue": row["revenue"]}
        for row in rows
    }


@dataclass
class CaseCode:
    code: str
    campaign: str
    currency: str
    issued_at: object
    orders: int
    order_value: Decimal

    @property
    def redeemed(self) -> bool:
        return self.orders > 0


def codes_of_case(*, case_id: int) -> list[CaseCode]:
    """Each code a case issued: whether it was redeemed, and its orders' value (one
    query)."""
    codes = (
        CouponCode.objects.filter(case_id=case_id)
        .select_related("campaign")
        .annotate(
            orders=Count("redemptions"),
            order_value=Coalesce(Sum("redemptions__order_amount"), ZERO),
        )
        .order_by("issued_at", "id")
    )
    return [
        CaseCode(
            code=c.display,
            campaign=c.campaign.name,
            currency=c.campaign.currency,
            issued_at=c.issued_at,
            orders=c.orders,
            order_value=c.order_value,
        )
        for c in codes
    ]
