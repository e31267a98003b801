"""Issuing codes from the reply composer, and revoking them."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dellsocial import pipeline
from listening.models import Mention, Platform

from ..codes import code_normalize
from ..errors import coupon_error
from ..models import (
    Campaign,
    CouponCode,
    CustomerAllowance,
)


def campaign_refusal(
    campaign: Campaign, *, platform: str | None, at: dt.datetime
) -> None:
    """Raise the reason a campaign cannot be used now (on ``platform``), if any."""
    if campaign.status == Campaign.Status.PAUSED:
        raise coupon_error("campaign_paused")
    if campaign.status == Campaign.Status.CLOSED:
        raise coupon_error("campaign_closed")
    if at < campaign.starts_at:
        raise coupon_error("campaign_not_started")
    if platform and not campaign.allows_platform(platform):
        raise coupon_error(
            "platform_not_allowed",
            _("This coupon campaign is exclusive to %(platforms)s.")
            % {"platforms": ", ".join(campaign.platforms_display())},
        )


def allowance_locked(
    *, campaign_id: int, platform: str, platform_user_id: str
) -> CustomerAllowance:
    """The customer's allowance row, created if new, locked until commit."""
    CustomerAllowance.objects.get_or_create(
        campaign_id=campaign_id, platform=platform, platform_user_id=platform_user_id
    )
    return CustomerAllowance.objects.select_for_update().get(
        campaign_id=campaign_id, platform=platform, platform_user_id=platform_user_id
    )


def _identity_clean(platform: str, platform_user_id: str) -> tuple[str, str]:
    platform = (platform or "").strip().lower()
    platform_user_id = (platform_user_id or "").strip()
    if platform not in Platform.values:
        raise coupon_error("invalid_platform")
    if not platform_user_id or len(platform_user_id) > 64:
        raise coupon_error("invalid_customer")
    return platform, platform_user_id


def _target_exists(field: str, pk: int) -> bool:
    """Whether the row a code's foreign key ``field`` would point at exists: asked
    through the relation the model declares, so that coupons imports no app above
    it (the case and the reply are engagement's)."""
    related = CouponCode._meta.get_field(field).related_model
    if not isinstance(related, type):
        raise LookupError(f"CouponCode.{field} is not a relation")
    return related._default_manager.filter(pk=pk).exists()


@transaction.atomic
def coupon_issue(
    *,
    campaign_id: int,
    platform: str,
    platform_user_id: str,
    ambassador: User | None,
    case_id: int | None = None,
    mention_id: int | None = None,
    reply_id: int | None = None,
) -> CouponCode:
    """Give one code of a campaign to one customer, from a reply.

    The code is bound to the customer's platform identity, the case, the mention and
    the ambassador. Asking again for the same customer in the same case returns the
    code already given (the composer may retry). Raises :class:`DomainError`:
    ``campaign_not_found``, ``campaign_paused``, ``campaign_closed``,
    ``campaign_not_started``, ``platform_not_allowed``, ``customer_limit_reached``,
    ``campaign_exhausted``, ``invalid_platform``, ``invalid_customer``,
    ``mention_not_found``.
    """
    platform, platform_user_id = _identity_clean(platform, platform_user_id)
    now = timezone.now()
    campaign = Campaign.objects.filter(id=campaign_id).first()
    if campaign is None:
        raise coupon_error("campaign_not_found")
    campaign_refusal(campaign, platform=platform, at=now)
    if now >= campaign.ends_at:
        raise coupon_error("campaign_closed")
    if mention_id is not None and not Mention.objects.filter(id=mention_id).exists():
        raise coupon_error("mention_not_found")
    if case_id is not None and not _target_exists("case", case_id):
        raise coupon_error("case_not_found")
    if reply_id is not None and not _target_exists("reply", reply_id):
        raise coupon_error("reply_not_found")

    allowance = allowance_locked(
        campaign_id=campaign.id, platform=platform, platform_user_id=platform_user_id
    )
    if case_id is not None:
        already = CouponCode.objects.filter(
            campaign=campaign,
            issued_platform=platform,
            issued_platform_user_id=platform_user_id,
            case_id=case_id,
            revoked_at__isnull=True,
        ).first()
        if already is not None:
            return already
    if allowance.issued_count >= campaign.per_customer_limit:
        raise coupon_error("customer_limit_reached")
    code = (
        CouponCode.objects.select_for_update(skip_locked=True)
        .filter(
            campaign=campaign,
            issued_at__isnull=True,
            revoked_at__isnull=True,
            max_redemptions=1,
        )
        .order_by("id")
        .first()
    )
    if code is None:
        raise coupon_error("campaign_exhausted")
    code.issued_at = now
    code.issued_platform = platform
    code.issued_platform_user_id = platform_user_id
    code.issued_by = ambassador
    code.case_id = case_id
    code.mention_id = mention_id
    code.reply_id = reply_id
    code.save(
        update_fields=[
            "issued_at",
            "issued_platform",
            "issued_platform_user_id",
            "issued_by",
            "case_id",
            "mention_id",
            "reply_id",
        ]
    )
    CustomerAllowance.objects.filter(id=allowance.id).update(
        issued_count=F("issued_count") + 1
    )
    pipeline.webhook_event(
        "coupon.issued",
        key=f"coupon.issued:{code.pk}",
        data={
            "code": code.display,
            "campaign_id": campaign.pk,
            "platform": platform,
            "platform_user_id": platform_user_id,
            "case_id": case_id,
            "mention_id": mention_id,
            "ambassador": ambassador.get_username() if ambassador else None,
            "issued_at": now.isoformat(),
        },
    )
    return code


@transaction.atomic
def coupon_codes_revoke_for_reply(*, reply_id: int) -> int:
    """Withdraw the codes a reply carried (it was rejected, so no customer saw
    them): they can no longer be redeemed. Returns how many were revoked."""
    return CouponCode.objects.filter(reply_id=reply_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def coupon_code_attach_reply(*, code_id: int, reply_id: int) -> None:
    """Record the reply that carried the code, once the composer has one."""
    CouponCode.objects.filter(id=code_id).update(reply_id=reply_id)


@transaction.atomic
def coupon_code_revoke(*, code: str) -> CouponCode:
    """Withdraw a code: it can no longer be redeemed (past redemptions stay)."""
    normalized = code_normalize(code)
    found = CouponCode.objects.select_for_update().filter(code=normalized).first()
    if found is None:
        raise coupon_error("code_not_found")
    if found.revoked_at is None:
        found.revoked_at = timezone.now()
        found.save(update_fields=["revoked_at"])
    return found
