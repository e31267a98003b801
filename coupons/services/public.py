"""Public multi-use codes: one code the brand posts for the first N buyers."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import coupon_error
from ..models import Campaign, CouponCode
from .generation import codes_generate
from .issuing import campaign_refusal

# A public code is for many buyers; one use would be a personal code.
MIN_PUBLIC_USES = 2
MAX_PUBLIC_USES = 1_000_000


@transaction.atomic
def coupon_public_code_create(
    *,
    campaign_id: int,
    platform: str,
    uses: int,
    created_by: User | None = None,
) -> CouponCode:
    """One public code of a campaign exclusive to ``platform``, good for ``uses``
    redemptions, within the campaign's budget. Raises CouponError
    (``campaign_not_found``, ``platform_not_allowed``, ``budget_exceeded``, ...)."""
    if not MIN_PUBLIC_USES <= uses <= MAX_PUBLIC_USES:
        raise coupon_error(
            "invalid_campaign",
            _("A public code allows between %(low)s and %(high)s uses.")
            % {"low": MIN_PUBLIC_USES, "high": MAX_PUBLIC_USES},
        )
    campaign = Campaign.objects.filter(id=campaign_id).first()
    if campaign is None:
        raise coupon_error("campaign_not_found")
    if campaign.platforms != [platform]:
        raise coupon_error("platform_not_allowed")
    now = timezone.now()
    campaign_refusal(campaign, platform=platform, at=now)
    if now >= campaign.ends_at:
        raise coupon_error("campaign_closed")
    batch = codes_generate(
        campaign_id=campaign.id, count=1, max_redemptions=uses, created_by=created_by
    )
    code = CouponCode.objects.select_for_update().get(batch=batch)
    code.kind = CouponCode.Kind.PUBLIC
    code.save(update_fields=["kind"])
    return code


@transaction.atomic
def coupon_public_code_withdraw(*, code_id: int) -> None:
    """A public code whose post was cancelled is revoked (never posted)."""
    CouponCode.objects.filter(
        id=code_id, kind=CouponCode.Kind.PUBLIC, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
