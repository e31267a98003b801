"""Offers attached to a reply: a coupon code (coupons) or a personal survey link
(surveys) issued for a case's customer, through those apps' services. Engagement
calls offers; offers never call engagement.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from common.errors import DomainError, invalid
from coupons.codes import CODE_LENGTH, code_display
from coupons.models import CouponCode
from coupons.services import coupon_code_attach_reply, coupon_issue
from surveys.models import Invitation
from surveys.services import (
    TOKEN_LENGTH,
    invitation_url,
    survey_invitation_attach_reply,
    survey_invitation_create,
)

from ..models import Case, Reply


def coupon_placeholder() -> str:
    """A stand-in as long as any issued code (for counting before issuing)."""
    return code_display("X" * CODE_LENGTH)


def survey_placeholder() -> str:
    """A stand-in as long as any personal survey link."""
    return invitation_url("x" * TOKEN_LENGTH)


def case_customer(case: Case) -> str:
    """The customer's platform identity an offer is issued to ("" if unknown)."""
    return case.author.external_id if case.author is not None else ""


def case_coupon_issue(
    *,
    case: Case,
    campaign_id: int,
    actor: User,
    mention_id: int | None,
) -> CouponCode:
    """Issue a code of the campaign to the case's customer (coupons' refusals come
    back as ``coupon_<code>``, 400)."""
    try:
        return coupon_issue(
            campaign_id=campaign_id,
            platform=case.platform,
            platform_user_id=case_customer(case),
            ambassador=actor,
            case_id=case.pk,
            mention_id=mention_id,
        )
    except DomainError as exc:
        raise invalid(f"coupon_{exc.code}", exc.message) from None


def case_survey_link_create(
    *,
    case: Case,
    survey_id: int,
    actor: User,
    mention_id: int | None,
) -> Invitation:
    """A personal link to the survey for the case's customer (surveys' refusals
    come back as ``survey_<code>``, 400)."""
    try:
        return survey_invitation_create(
            survey_id=survey_id,
            platform=case.platform,
            platform_user_id=case_customer(case),
            case_id=case.pk,
            ambassador=actor,
            mention_id=mention_id,
        )
    except DomainError as exc:
        raise invalid(f"survey_{exc.code}", exc.message) from None


def offers_attach_reply(
    *,
    reply: Reply,
    code: CouponCode | None = None,
    invitation: Invitation | None = None,
) -> None:
    """Record which reply carried the code and the link."""
    if code is not None:
        coupon_code_attach_reply(code_id=code.pk, reply_id=reply.pk)
    if invitation is not None:
        survey_invitation_attach_reply(invitation_id=invitation.pk, reply_id=reply.pk)
