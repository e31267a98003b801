"""Writes of coupons: campaigns, code generation, issuing, revoking, redeeming.

Concurrency, in one place:

* A redemption locks its code row (``SELECT ... FOR UPDATE``), so concurrent requests
  for one code run one after the other and the code's counter never passes its limit.
* Anything counted per customer locks that customer's ``CustomerAllowance`` row.
* Issuing takes a free code with ``FOR UPDATE SKIP LOCKED``: two ambassadors issuing at
  once get two different codes, and issuing never waits on a code being redeemed.
* Lock order is code → allowance in redemption, allowance → (skip-locked) code in
  issuing: no cycle, so no deadlock.
"""

from .campaigns import (
    CAMPAIGN_FIELDS,
    campaign_create,
    campaign_errors,
    campaign_set_status,
    campaign_update,
)
from .demo import DEMO_CAMPAIGN, demo_seed
from .generation import (
    GENERATION_CHUNK,
    MAX_CODES_PER_BATCH,
    code_batch_create,
    code_batch_generate,
    codes_generate,
)
from .issuing import (
    coupon_code_attach_reply,
    coupon_code_revoke,
    coupon_codes_revoke_for_reply,
    coupon_issue,
)
from .public import coupon_public_code_create, coupon_public_code_withdraw
from .redemption import (
    RedemptionResult,
    coupon_redeem,
    coupon_validate,
    discount_for,
)
from .shops import shop_account_create

__all__ = [
    "CAMPAIGN_FIELDS",
    "DEMO_CAMPAIGN",
    "GENERATION_CHUNK",
    "MAX_CODES_PER_BATCH",
    "RedemptionResult",
    "campaign_create",
    "campaign_errors",
    "campaign_set_status",
    "campaign_update",
    "code_batch_create",
    "code_batch_generate",
    "codes_generate",
    "coupon_code_attach_reply",
    "coupon_codes_revoke_for_reply",
    "coupon_code_revoke",
    "coupon_issue",
    "coupon_public_code_create",
    "coupon_public_code_withdraw",
    "coupon_redeem",
    "coupon_validate",
    "demo_seed",
    "discount_for",
    "shop_account_create",
]
