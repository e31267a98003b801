"""The demo's Sina-only campaign."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from listening.models import Platform

from ..models import (
    Campaign,
    DiscountType,
    Redemption,
)
from .campaigns import campaign_create
from .generation import codes_generate
from .issuing import coupon_issue
from .redemption import coupon_redeem

DEMO_CAMPAIGN = "新浪微博专享：戴尔笔记本立减 200 元"


def demo_seed() -> None:
    """A Sina-only campaign with a pool of codes, a few of them issued by the demo
    ambassadors and redeemed, so the campaign page has something to show.
    Idempotent: does nothing when the campaign exists."""
    if Campaign.objects.filter(name=DEMO_CAMPAIGN).exists():
        return

    now = timezone.now()
    campaign = campaign_create(
        name=DEMO_CAMPAIGN,
        description="仅限新浪微博用户，购买戴尔笔记本满 3000 元立减 200 元。",
        platforms=[Platform.WEIBO],
        shops=["demo-shop"],
        discount_type=DiscountType.AMOUNT,
        discount_value=Decimal("200"),
        currency="CNY",
        starts_at=now - timedelta(days=14),
        ends_at=now + timedelta(days=90),
        per_customer_limit=1,
        min_order_amount=Decimal("3000"),
        budget=5000,
    )
    codes_generate(campaign_id=campaign.id, count=500)
    ambassadors = list(
        get_user_model()
        .objects.filter(username__startswith="ambassador")
        .order_by("username")[:3]
    )
    if not ambassadors:
        return
    for number in range(24):
        code = coupon_issue(
            campaign_id=campaign.id,
            platform=Platform.WEIBO,
            platform_user_id=str(2_000_000_000 + number),
            ambassador=ambassadors[number % len(ambassadors)],
        )
        if number % 3 == 0:
            continue  # issued, not (yet) used
        result = coupon_redeem(
            code=code.code,
            order_id=f"DEMO-{number:04d}",
            order_amount=Decimal(3999 + 500 * (number % 5)),
            currency="CNY",
            merchant="demo-shop",
            platform=Platform.WEIBO,
            platform_user_id=str(2_000_000_000 + number),
        )
        # Spread over the last fortnight, so the chart over time has a shape.
        assert result.redemption_id is not None, "a first redemption, not a replay"
        Redemption.objects.filter(id=result.redemption_id).update(
            created_at=now - timedelta(days=number % 14, hours=number)
        )
