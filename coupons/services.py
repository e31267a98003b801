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

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from engagement.models import Case, Reply
from listening.models import Mention, Platform

from .codes import code_is_valid, code_normalize, codes_random
from .errors import CouponError, coupon_error
from .models import (
    Campaign,
    CodeBatch,
    CouponCode,
    CustomerAllowance,
    DiscountType,
    Redemption,
)

logger = logging.getLogger(__name__)

# Codes inserted per statement and per committed step of a bulk generation: large
# enough that 100,000 codes take a few seconds, small enough that the progress bar
# moves every fraction of a second and a failure loses little.
GENERATION_CHUNK = 10_000
# The most codes one request may ask for (the issue's "100,000 in one go").
MAX_CODES_PER_BATCH = 100_000
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")  # fits DecimalField(max_digits=12, places=2)


# --- campaigns -------------------------------------------------------------------


CAMPAIGN_FIELDS = (
    "name",
    "description",
    "platforms",
    "discount_type",
    "discount_value",
    "currency",
    "starts_at",
    "ends_at",
    "budget",
    "per_customer_limit",
    "min_order_amount",
    "status",
)


def campaign_errors(data: dict) -> dict[str, str]:
    """The business rules of a campaign's settings: field → message (empty if fine).

    Forms and serializers call this to show the errors beside the fields; the
    services call it again so no path can store a broken campaign.
    """
    errors: dict[str, str] = {}
    platforms = data.get("platforms") or []
    if not isinstance(platforms, list | tuple) or any(
        p not in Platform.values for p in platforms
    ):
        errors["platforms"] = _("Unknown platform.")
    value = data.get("discount_value")
    kind = data.get("discount_type")
    if kind not in DiscountType.values:
        errors["discount_type"] = _("Choose a percentage or a fixed amount.")
    if value is not None:
        if value <= 0:
            errors["discount_value"] = _("The discount must be more than zero.")
        elif kind == DiscountType.PERCENT and value > 100:
            errors["discount_value"] = _("A percentage cannot be more than 100.")
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and ends and ends <= starts:
        errors["ends_at"] = _("The campaign must end after it starts.")
    currency = data.get("currency") or ""
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = _("A three-letter currency code, e.g. CNY.")
    if (data.get("min_order_amount") or 0) < 0:
        errors["min_order_amount"] = _("The minimum cannot be negative.")
    if data.get("per_customer_limit") is not None and data["per_customer_limit"] < 1:
        errors["per_customer_limit"] = _("At least one per customer.")
    if data.get("status") and data["status"] not in Campaign.Status.values:
        errors["status"] = _("Unknown status.")
    return errors


def _campaign_check(data: dict) -> None:
    errors = campaign_errors(data)
    if errors:
        field, message = next(iter(errors.items()))
        raise coupon_error("invalid_campaign", f"{field}: {message}")


@transaction.atomic
def campaign_create(
    *,
    name: str,
    discount_type: str,
    discount_value: Decimal,
    starts_at,
    ends_at,
    platforms: list[str] | None = None,
    currency: str = "CNY",
    per_customer_limit: int = 1,
    min_order_amount: Decimal = Decimal("0"),
    budget: int | None = None,
    description: str = "",
    status: str = Campaign.Status.ACTIVE,
    created_by: AbstractBaseUser | None = None,
) -> Campaign:
    data = {
        "name": name,
        "description": description,
        "platforms": sorted(set(platforms or [])),
        "discount_type": discount_type,
        "discount_value": Decimal(discount_value),
        "currency": (currency or "").upper(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "budget": budget,
        "per_customer_limit": per_customer_limit,
        "min_order_amount": Decimal(min_order_amount or 0),
        "status": status,
    }
    _campaign_check(data)
    return Campaign.objects.create(created_by=created_by, **data)


@transaction.atomic
def campaign_update(*, campaign_id: int, **changes) -> Campaign:
    """Change some settings of a campaign (those named in ``changes``)."""
    campaign = Campaign.objects.select_for_update().get(id=campaign_id)
    unknown = set(changes) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"not campaign settings: {sorted(unknown)}")
    if "platforms" in changes:
        changes["platforms"] = sorted(set(changes["platforms"] or []))
    if "currency" in changes:
        changes["currency"] = (changes["currency"] or "").upper()
    data = {field: getattr(campaign, field) for field in CAMPAIGN_FIELDS}
    data.update(changes)
    _campaign_check(data)
    if changes.get("budget") is not None:
        used = _budget_used(campaign)
        if changes["budget"] < used:
            raise coupon_error(
                "budget_exceeded",
                _("The campaign already has codes for %(used)s uses.") % {"used": used},
            )
    for field, value in changes.items():
        setattr(campaign, field, value)
    campaign.save(update_fields=[*changes, "updated_at"])
    return campaign


def campaign_set_status(*, campaign_id: int, status: str) -> Campaign:
    """Pause, resume or close a campaign."""
    return campaign_update(campaign_id=campaign_id, status=status)


# --- code generation ---------------------------------------------------------------


def _budget_used(campaign: Campaign) -> int:
    """Uses already promised by the campaign's batches (failed ones count what they
    made)."""
    total = 0
    for batch in campaign.batches.only(
        "count", "generated", "max_redemptions", "status"
    ):
        made = (
            batch.generated if batch.status == CodeBatch.Status.FAILED else batch.count
        )
        total += made * batch.max_redemptions
    return total


@transaction.atomic
def code_batch_create(
    *,
    campaign_id: int,
    count: int,
    max_redemptions: int = 1,
    created_by: AbstractBaseUser | None = None,
) -> CodeBatch:
    """Order ``count`` codes for a campaign, within its budget.

    The codes are made by :func:`code_batch_generate` (a Celery task for the browser,
    so the page can show progress; called directly by the API).
    """
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise coupon_error(
            "invalid_campaign",
            _("Between 1 and %(max)s codes at a time.") % {"max": MAX_CODES_PER_BATCH},
        )
    if max_redemptions < 1:
        raise coupon_error("invalid_campaign", _("Each code allows at least one use."))
    try:
        # The lock makes two concurrent orders see each other's use of the budget.
        campaign = Campaign.objects.select_for_update().get(id=campaign_id)
    except Campaign.DoesNotExist:
        raise coupon_error("campaign_not_found") from None
    if campaign.status == Campaign.Status.CLOSED:
        raise coupon_error("campaign_closed")
    if campaign.budget is not None:
        used = _budget_used(campaign)
        if used + count * max_redemptions > campaign.budget:
            raise coupon_error(
                "budget_exceeded",
                _("The budget allows %(left)s more uses; %(asked)s were asked for.")
                % {"left": campaign.budget - used, "asked": count * max_redemptions},
            )
    return CodeBatch.objects.create(
        campaign=campaign,
        count=count,
        max_redemptions=max_redemptions,
        created_by=created_by,
    )


def code_batch_generate(*, batch_id: int) -> CodeBatch | None:
    """Make a batch's codes, committing chunk by chunk so progress shows as it goes.

    Idempotent: only a waiting batch is taken (compare-and-set), and a batch that was
    interrupted while generating resumes from the count it had committed.
    """
    claimed = CodeBatch.objects.filter(
        id=batch_id, status__in=[CodeBatch.Status.PENDING, CodeBatch.Status.RUNNING]
    ).update(status=CodeBatch.Status.RUNNING)
    if claimed != 1:
        return CodeBatch.objects.filter(id=batch_id).first()
    batch = CodeBatch.objects.get(id=batch_id)
    try:
        while batch.generated < batch.count:
            size = min(GENERATION_CHUNK, batch.count - batch.generated)
            _generate_chunk(batch=batch, size=size)
    except Exception as error:
        logger.exception("code batch %s failed", batch_id)
        CodeBatch.objects.filter(id=batch_id).update(
            status=CodeBatch.Status.FAILED,
            error=str(error)[:1000],
            finished_at=timezone.now(),
        )
        raise
    CodeBatch.objects.filter(id=batch_id).update(
        status=CodeBatch.Status.DONE, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


# A chunk that hits an existing code (one chance in ~10^13 per chunk) is redrawn.
_CHUNK_ATTEMPTS = 5


def _generate_chunk(*, batch: CodeBatch, size: int) -> None:
    now = timezone.now()
    for _attempt in range(_CHUNK_ATTEMPTS):
        codes = set(codes_random(size))
        while len(codes) < size:
            codes.update(codes_random(size - len(codes)))
        rows = [
            CouponCode(
                campaign_id=batch.campaign_id,
                batch_id=batch.id,
                code=code,
                max_redemptions=batch.max_redemptions,
                created_at=now,
            )
            for code in codes
        ]
        try:
            with transaction.atomic():
                CouponCode.objects.bulk_create(rows, batch_size=size)
                CodeBatch.objects.filter(id=batch.id).update(
                    generated=F("generated") + size
                )
        except IntegrityError:
            continue
        batch.generated += size
        return
    raise RuntimeError("could not draw unique codes")


def codes_generate(
    *,
    campaign_id: int,
    count: int,
    max_redemptions: int = 1,
    created_by: AbstractBaseUser | None = None,
) -> CodeBatch:
    """Order and make codes at once (the API, the demo, the benchmark)."""
    batch = code_batch_create(
        campaign_id=campaign_id,
        count=count,
        max_redemptions=max_redemptions,
        created_by=created_by,
    )
    return code_batch_generate(batch_id=batch.id)


# --- issuing -----------------------------------------------------------------------


def _campaign_refusal(campaign: Campaign, *, platform: str | None, at) -> None:
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


def _allowance_locked(
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


@transaction.atomic
def coupon_issue(
    *,
    campaign_id: int,
    platform: str,
    platform_user_id: str,
    ambassador: AbstractBaseUser | None,
    case_id: int | None = None,
    mention_id: int | None = None,
    reply_id: int | None = None,
) -> CouponCode:
    """Give one code of a campaign to one customer, from a reply.

    The code is bound to the customer's platform identity, the case, the mention and
    the ambassador. Asking again for the same customer in the same case returns the
    code already given (the composer may retry). Raises :class:`CouponError`:
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
    _campaign_refusal(campaign, platform=platform, at=now)
    if now >= campaign.ends_at:
        raise coupon_error("campaign_closed")
    if mention_id is not None and not Mention.objects.filter(id=mention_id).exists():
        raise coupon_error("mention_not_found")
    if case_id is not None and not Case.objects.filter(id=case_id).exists():
        raise coupon_error("case_not_found")
    if reply_id is not None and not Reply.objects.filter(id=reply_id).exists():
        raise coupon_error("reply_not_found")

    allowance = _allowance_locked(
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
    return code


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


# --- redemption --------------------------------------------------------------------


@dataclass(frozen=True)
class RedemptionResult:
    code: str
    campaign_id: int
    order_id: str
    order_amount: Decimal
    discount_amount: Decimal
    currency: str
    redemption_id: int | None = None  # None for a validation
    replayed: bool = False  # the same order was redeemed before: its answer again
    redeemed_at: object = None

    @property
    def amount_payable(self) -> Decimal:
        return self.order_amount - self.discount_amount


def _amount_clean(order_amount) -> Decimal:
    try:
        amount = Decimal(str(order_amount))
    except (InvalidOperation, ValueError, TypeError):
        raise coupon_error("invalid_amount") from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise coupon_error("invalid_amount")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def discount_for(campaign: Campaign, order_amount: Decimal) -> Decimal:
    if campaign.discount_type == DiscountType.PERCENT:
        discount = (order_amount * campaign.discount_value / 100).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
    else:
        discount = campaign.discount_value
    return min(discount, order_amount)


def _result_of(redemption: Redemption, code: CouponCode, *, replayed: bool):
    return RedemptionResult(
        code=code.display,
        campaign_id=redemption.campaign_id,
        order_id=redemption.order_id,
        order_amount=redemption.order_amount,
        discount_amount=redemption.discount_amount,
        currency=redemption.currency,
        redemption_id=redemption.id,
        replayed=replayed,
        redeemed_at=redemption.created_at,
    )


def _redemption_check(
    *,
    code: CouponCode,
    amount: Decimal,
    currency: str,
    platform: str,
    platform_user_id: str,
    at,
) -> tuple[str, str]:
    """Every rule, in the order a customer would want to hear about it.

    Returns the customer's identity the redemption counts against ("" if unknown).
    """
    campaign = code.campaign
    if code.revoked_at is not None:
        raise coupon_error("code_revoked")
    _campaign_refusal(campaign, platform=platform, at=at)
    if at >= campaign.ends_at:
        raise coupon_error("code_expired")
    if code.is_issued:
        if (platform and platform != code.issued_platform) or (
            platform_user_id and platform_user_id != code.issued_platform_user_id
        ):
            raise coupon_error("customer_mismatch")
        platform, platform_user_id = code.issued_platform, code.issued_platform_user_id
    if currency != campaign.currency:
        raise coupon_error(
            "currency_mismatch",
            _("This coupon is for orders in %(currency)s.")
            % {"currency": campaign.currency},
        )
    if amount < campaign.min_order_amount:
        raise coupon_error(
            "order_below_minimum",
            _("This coupon needs an order of at least %(amount)s %(currency)s.")
            % {"amount": campaign.min_order_amount, "currency": campaign.currency},
        )
    if code.redeemed_count >= code.max_redemptions:
        raise coupon_error("code_used_up")
    if platform and platform_user_id:
        return platform, platform_user_id
    return platform, ""


def _request_clean(
    *, code: str, order_id: str, order_amount, currency: str, platform, user_id
) -> tuple[str, str, Decimal, str, str, str]:
    normalized = code_normalize(code)
    if not code_is_valid(normalized):
        raise coupon_error("code_malformed")
    order_id = (order_id or "").strip()
    if not order_id or len(order_id) > 100:
        raise coupon_error("invalid_order")
    amount = _amount_clean(order_amount)
    currency = (currency or "").strip().upper()
    platform = (platform or "").strip().lower()
    if platform and platform not in Platform.values:
        raise coupon_error("invalid_platform")
    user_id = (user_id or "").strip()[:64]
    if user_id and not platform:
        raise coupon_error("invalid_platform", _("Say on which platform the user is."))
    return normalized, order_id, amount, currency, platform, user_id


def coupon_validate(
    *,
    code: str,
    order_id: str,
    order_amount,
    currency: str = "CNY",
    platform: str = "",
    platform_user_id: str = "",
    merchant: str = "",
) -> RedemptionResult:
    """Would this order get the discount? Checks every rule, changes nothing."""
    normalized, order_id, amount, currency, platform, user_id = _request_clean(
        code=code,
        order_id=order_id,
        order_amount=order_amount,
        currency=currency,
        platform=platform,
        user_id=platform_user_id,
    )
    found = CouponCode.objects.select_related("campaign").filter(code=normalized)
    found = found.first()
    if found is None:
        raise coupon_error("code_not_found")
    previous = Redemption.objects.filter(merchant=merchant, order_id=order_id).first()
    if previous is not None:
        if previous.code_id != found.id:
            raise coupon_error("order_already_redeemed")
        return _result_of(previous, found, replayed=True)
    identity = _redemption_check(
        code=found,
        amount=amount,
        currency=currency,
        platform=platform,
        platform_user_id=user_id,
        at=timezone.now(),
    )
    if identity[1]:
        allowance = CustomerAllowance.objects.filter(
            campaign_id=found.campaign_id,
            platform=identity[0],
            platform_user_id=identity[1],
        ).first()
        if allowance and allowance.redeemed_count >= found.campaign.per_customer_limit:
            raise coupon_error("customer_limit_reached")
    return RedemptionResult(
        code=found.display,
        campaign_id=found.campaign_id,
        order_id=order_id,
        order_amount=amount,
        discount_amount=discount_for(found.campaign, amount),
        currency=found.campaign.currency,
    )


def coupon_redeem(
    *,
    code: str,
    order_id: str,
    order_amount,
    currency: str = "CNY",
    platform: str = "",
    platform_user_id: str = "",
    merchant: str = "",
) -> RedemptionResult:
    """Apply a code to an order, atomically and idempotently.

    The same (merchant, order id) again gives the first answer and never a second
    redemption. Raises :class:`CouponError` with the first rule the order breaks.
    """
    request = _request_clean(
        code=code,
        order_id=order_id,
        order_amount=order_amount,
        currency=currency,
        platform=platform,
        user_id=platform_user_id,
    )
    try:
        return _redeem(*request, merchant=merchant)
    except IntegrityError:
        # This order was redeemed before (or just now, by a concurrent request):
        # the unique (merchant, order_id) index refused the second row, and the
        # transaction rolled back whole. Same code: the first answer again.
        previous = _previous_redemption(merchant=merchant, order_id=request[1])
        if previous is None:
            raise
        found = CouponCode.objects.get(id=previous.code_id)
        if found.code != request[0]:
            raise coupon_error("order_already_redeemed") from None
        return _result_of(previous, found, replayed=True)
    except OperationalError as error:
        # A lock wait cut short by the database (deadlock detector, lock timeout):
        # nothing was written; the caller may simply retry.
        logger.warning("redemption of %s aborted: %s", request[0], error)
        raise coupon_error("busy") from None


def _previous_redemption(*, merchant: str, order_id: str) -> Redemption | None:
    return Redemption.objects.filter(merchant=merchant, order_id=order_id).first()


@transaction.atomic
def _redeem(
    normalized: str,
    order_id: str,
    amount: Decimal,
    currency: str,
    platform: str,
    user_id: str,
    *,
    merchant: str,
) -> RedemptionResult:
    # 1. The code row lock: concurrent requests for this code queue here.
    try:
        code = (
            CouponCode.objects.select_related("campaign")
            .select_for_update(of=("self",))
            .get(code=normalized)
        )
    except CouponCode.DoesNotExist:
        raise coupon_error("code_not_found") from None
    campaign = code.campaign
    now = timezone.now()
    try:
        # 2. Every rule.
        identity = _redemption_check(
            code=code,
            amount=amount,
            currency=currency,
            platform=platform,
            platform_user_id=user_id,
            at=now,
        )
        # 3. The customer's allowance, locked, when we know who the customer is.
        if identity[1]:
            allowance = _allowance_locked(
                campaign_id=campaign.id,
                platform=identity[0],
                platform_user_id=identity[1],
            )
            if allowance.redeemed_count >= campaign.per_customer_limit:
                raise coupon_error("customer_limit_reached")
            CustomerAllowance.objects.filter(id=allowance.id).update(
                redeemed_count=F("redeemed_count") + 1
            )
    except CouponError:
        # 4. Idempotency, when a rule refuses: this order may have been redeemed
        # already (it used the code up), and then it gets its first answer again.
        # (When every rule passes, the unique (merchant, order_id) index catches a
        # repeated order at the INSERT below: one query less on the common path.)
        previous = _previous_redemption(merchant=merchant, order_id=order_id)
        if previous is None:
            raise
        if previous.code_id != code.id:
            raise coupon_error("order_already_redeemed") from None
        return _result_of(previous, code, replayed=True)
    # 5. Apply: the redemption row and the code's counter, in one transaction.
    redemption = Redemption.objects.create(
        code=code,
        campaign=campaign,
        merchant=merchant,
        order_id=order_id,
        order_amount=amount,
        currency=campaign.currency,
        discount_amount=discount_for(campaign, amount),
        platform=identity[0] or code.issued_platform,
        platform_user_id=identity[1],
        case_id=code.case_id,
        mention_id=code.mention_id,
        ambassador_id=code.issued_by_id,
        created_at=now,
    )
    CouponCode.objects.filter(id=code.id).update(redeemed_count=F("redeemed_count") + 1)
    return _result_of(redemption, code, replayed=False)


# --- shop integrations -------------------------------------------------------------


@transaction.atomic
def shop_user_create(*, username: str) -> tuple[AbstractBaseUser, str]:
    """A shop integration account: in the ``shop`` group, no password, an API token.

    Returns the user and its token (created once; the same token on a second call).
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from .permissions import SHOP_GROUP

    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    group, _created = Group.objects.get_or_create(name=SHOP_GROUP)
    user.groups.add(group)
    token, _created = Token.objects.get_or_create(user=user)
    return user, token.key


# --- demo --------------------------------------------------------------------------

DEMO_CAMPAIGN = "新浪微博专享：戴尔笔记本立减 200 元"


def demo_seed() -> None:
    """A Sina-only campaign with a pool of codes, a few of them issued by the demo
    ambassadors and redeemed, so the campaign page has something to show.
    Idempotent: does nothing when the campaign exists."""
    if Campaign.objects.filter(name=DEMO_CAMPAIGN).exists():
        return
    from django.contrib.auth import get_user_model

    now = timezone.now()
    campaign = campaign_create(
        name=DEMO_CAMPAIGN,
        description="仅限新浪微博用户，购买戴尔笔记本满 3000 元立减 200 元。",
        platforms=[Platform.WEIBO],
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
        )
        # Spread over the last fortnight, so the chart over time has a shape.
        Redemption.objects.filter(id=result.redemption_id).update(
            created_at=now - timedelta(days=number % 14, hours=number)
        )
