"""The refusals of coupons: a stable code, a sentence for people, an HTTP status.

Raised as :class:`common.errors.DomainError` (``coupon_error(code)``); the composer
shows ``message``, the API answers ``{"code", "message"}`` with ``status``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.errors import ErrorTable

# code: (HTTP status, message). The one table of refusals, also used to document the
# API's error responses.
ERRORS = ErrorTable(
    {
        "code_malformed": (
            400,
            _("This is not a coupon code (12 letters and digits)."),
        ),
        "invalid_amount": (400, _("The order amount must be a positive number.")),
        "invalid_platform": (400, _("Unknown platform.")),
        "invalid_order": (400, _("An order id of 1 to 100 characters is needed.")),
        "code_not_found": (404, _("No such coupon code.")),
        "campaign_not_found": (404, _("No such coupon campaign.")),
        "mention_not_found": (404, _("No such mention.")),
        "case_not_found": (404, _("No such case.")),
        "reply_not_found": (404, _("No such reply.")),
        "invalid_campaign": (400, _("The campaign settings are not valid.")),
        "invalid_customer": (400, _("The customer's platform identity is missing.")),
        "code_revoked": (422, _("This coupon code has been revoked.")),
        "campaign_paused": (422, _("This coupon campaign is paused.")),
        "campaign_closed": (422, _("This coupon campaign is closed.")),
        "campaign_not_started": (422, _("This coupon campaign has not started yet.")),
        "code_expired": (422, _("This coupon code has expired.")),
        "platform_not_allowed": (
            422,
            _("This coupon campaign is exclusive to another platform."),
        ),
        "customer_mismatch": (
            422,
            _("This coupon code was given to another customer."),
        ),
        "customer_required": (
            422,
            _(
                "This coupon code was given to one customer: send the platform and "
                "platform user id of the signed-in customer redeeming it."
            ),
        ),
        "shop_not_allowed": (
            403,
            _("This shop may not redeem this campaign's codes."),
        ),
        "currency_mismatch": (422, _("The order is not in the campaign's currency.")),
        "order_below_minimum": (
            422,
            _("The order amount is below the campaign's minimum."),
        ),
        "code_used_up": (409, _("This coupon code has already been used.")),
        "customer_limit_reached": (
            409,
            _("This customer has already had their allowance from this campaign."),
        ),
        "order_already_redeemed": (
            409,
            _("This order has already been redeemed with another code."),
        ),
        "campaign_exhausted": (409, _("This coupon campaign has run out of codes.")),
        "budget_exceeded": (
            409,
            _("That many codes would exceed the campaign budget."),
        ),
        "busy": (409, _("The code is being used by another request; try again.")),
    }
)

coupon_error = ERRORS.error
