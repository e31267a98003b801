"""The offers the composer may attach to a reply: coupon campaigns and surveys
valid now (read through the offers apps' selectors).
"""

from __future__ import annotations

from django.db.models import (
    Q,
)
from django.db.models.functions import Now

from coupons.models import Campaign
from coupons.selectors import campaigns_available_for_platform
from surveys.models import Survey


def coupon_campaigns_for(*, platform: str) -> list[Campaign]:
    """Coupon campaigns valid on ``platform`` now (from coupons' selector)."""
    return campaigns_available_for_platform(platform=platform)


def surveys_for(*, platform: str) -> list[Survey]:
    """Surveys a reply on ``platform`` may link to: open and accepting answers.

    Surveys are not tied to a platform (the link records it), so every survey that
    accepts answers now qualifies.
    """
    qs = (
        Survey.objects.filter(status=Survey.Status.OPEN)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=Now()))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=Now()))
        .order_by("-created_at", "-id")
    )
    return list(qs[:50])
