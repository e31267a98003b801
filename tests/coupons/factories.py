"""Test data for coupons (and the surveys that reward with them), made through the
services as the product makes it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ambassadors.services import user_create
from coupons.models import Campaign, CouponCode
from coupons.services import campaign_create, codes_generate

PASSWORD = "pw-123456789"


def make_campaign(**overrides) -> Campaign:
    now = timezone.now()
    fields = {
        "name": "微博专享 9 折",
        "platforms": ["weibo"],
        # The shops of the tests' fixtures (tests/coupons/conftest.py, test_api.py).
        "shops": ["tmall-shop", "jd-shop"],
        "discount_type": "percent",
        "discount_value": Decimal("10"),
        "currency": "CNY",
        "starts_at": now - timedelta(days=1),
        "ends_at": now + timedelta(days=30),
        "per_customer_limit": 1,
        "min_order_amount": Decimal("100"),
    }
    fields.update(overrides)
    return campaign_create(**fields)


def make_codes(campaign: Campaign, count: int = 3, uses: int = 1) -> list[CouponCode]:
    batch = codes_generate(campaign_id=campaign.id, count=count, max_redemptions=uses)
    return list(CouponCode.objects.filter(batch_id=batch.id).order_by("id"))


def make_user(username: str, role: str = "ambassador"):
    return user_create(username=username, password=PASSWORD, role=role)
