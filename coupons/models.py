from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listening.models import Platform

from .codes import code_display


class DiscountType(models.TextChoices):
    PERCENT = "percent", _("Percentage")
    AMOUNT = "amount", _("Fixed amount")


class Campaign(models.Model):
    """A coupon offer: what it gives, where, when, and how much of it there is."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # The platforms the campaign is exclusive to ("weibo" for a Sina-only offer).
    # Empty: every platform. A list, not an ArrayField, so SQLite demos work too.
    platforms = models.JSONField(_("platforms"), default=list, blank=True)
    discount_type = models.CharField(
        _("discount type"), max_length=8, choices=DiscountType.choices
    )
    discount_value = models.DecimalField(
        _("discount value"), max_digits=10, decimal_places=2
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # The most discounts the campaign pays for: the sum, over its codes, of the uses
    # each code allows. Empty: no limit.
    budget = models.PositiveIntegerField(_("budget (uses)"), null=True, blank=True)
    per_customer_limit = models.PositiveIntegerField(_("limit per customer"), default=1)
    min_order_amount = models.DecimalField(
        _("minimum order amount"), max_digits=12, decimal_places=2, default=0
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("coupon campaign")
        verbose_name_plural = _("coupon campaigns")

    def __str__(self) -> str:
        return self.name

    def allows_platform(self, platform: str) -> bool:
        return not self.platforms or platform in self.platforms

    def platforms_display(self) -> list[str]:
        labels = dict(Platform.choices)
        return [str(labels.get(p, p)) for p in self.platforms]

    def is_live(self, at=None) -> bool:
        at = at or timezone.now()
        return self.status == self.Status.ACTIVE and self.starts_at <= at < self.ends_at


class CodeBatch(models.Model):
    """One bulk generation of codes; its counter is the progress bar."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="batches"
    )
    count = models.PositiveIntegerField(_("codes"))
    max_redemptions = models.PositiveIntegerField(_("uses per code"), default=1)
    generated = models.PositiveIntegerField(_("generated"), default=0)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING
    )
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("code batch")
        verbose_name_plural = _("code batches")

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.count} × {self.max_redemptions}"

    @property
    def percent(self) -> int:
        return int(100 * self.generated / self.count) if self.count else 100


class CouponCode(models.Model):
    """One code. Issued at most once (to one platform identity); redeemed at most
    ``max_redemptions`` times. A public code is never issued to anyone: it is posted
    by the brand ("first 500 buyers") and redeemed by whoever comes first."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        PUBLIC = "public", _("Public (multi-use, posted by the brand)")

    # The campaign FK's own index is replaced by the (campaign, issued_at) one below.
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="codes", db_index=False
    )
    batch = models.ForeignKey(
        CodeBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Normalised: 12 letters of coupons.codes.ALPHABET, no dashes.
    code = models.CharField(_("code"), max_length=16, unique=True)
    max_redemptions = models.PositiveIntegerField(_("uses allowed"), default=1)
    kind = models.CharField(
        _("kind"), max_length=8, choices=Kind.choices, default=Kind.PERSONAL
    )
    redeemed_count = models.PositiveIntegerField(_("times redeemed"), default=0)
    # Issuance: who got it, where, through which case, mention and ambassador.
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_platform = models.CharField(
        _("platform"), max_length=16, choices=Platform.choices, blank=True
    )
    issued_platform_user_id = models.CharField(
        _("platform user id"), max_length=64, blank=True
    )
    # The foreign keys of issuance have no full index: 100,000 fresh codes would
    # fill four indexes with NULLs. Partial indexes below cover the issued codes.
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ambassador"),
        db_index=False,
    )
    case = models.ForeignKey(
        "engagement.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("case"),
        db_index=False,
    )
    reply = models.ForeignKey(
        "engagement.Reply",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reply"),
        db_index=False,
    )
    mention = models.ForeignKey(
        "listening.Mention",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("coupon code")
        verbose_name_plural = _("coupon codes")
        indexes = [
            # The campaign page and API: a campaign's codes, issued or not.
            models.Index(fields=["campaign", "issued_at"], name="code_campaign_idx"),
            # coupon_issue: the next free single-use code of a campaign.
            models.Index(
                fields=["campaign", "id"],
                name="code_pool_idx",
                condition=Q(
                    issued_at__isnull=True,
                    revoked_at__isnull=True,
                    max_redemptions=1,
                ),
            ),
            # What one customer got (the composer's retry, support look-ups).
            models.Index(
                fields=["issued_platform", "issued_platform_user_id"],
                name="code_identity_idx",
                condition=Q(issued_at__isnull=False),
            ),
            # The codes of a case, of a mention, of an ambassador (and the SET NULL
            # of their deletion).
            models.Index(
                fields=["case"], name="code_case_idx", condition=Q(case__isnull=False)
            ),
            models.Index(
                fields=["mention"],
                name="code_mention_idx",
                condition=Q(mention__isnull=False),
            ),
            models.Index(
                fields=["issued_by"],
                name="code_issued_by_idx",
                condition=Q(issued_by__isnull=False),
            ),
            models.Index(
                fields=["reply"],
                name="code_reply_idx",
                condition=Q(reply__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        return code_display(self.code)

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None

    @property
    def remaining(self) -> int:
        return max(0, self.max_redemptions - self.redeemed_count)


class CustomerAllowance(models.Model):
    """What one platform identity has had from one campaign.

    The row is the lock that serialises concurrent issues and redemptions for the
    same customer, so the per-customer limit holds under load.
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    platform = models.CharField(max_length=16, choices=Platform.choices)
    platform_user_id = models.CharField(max_length=64)
    issued_count = models.PositiveIntegerField(default=0)
    redeemed_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "platform", "platform_user_id"],
                name="allowance_identity_uniq",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.platform}:{self.platform_user_id}"


class Redemption(models.Model):
    """One order that used a code, with everything the revenue is attributed to."""

    code = models.ForeignKey(
        CouponCode, on_delete=models.PROTECT, related_name="redemptions"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="redemptions", db_index=False
    )
    # The shop (API user) that sent the order; order ids are unique per shop.
    merchant = models.CharField(_("shop"), max_length=150, blank=True)
    order_id = models.CharField(_("order id"), max_length=100)
    order_amount = models.DecimalField(
        _("order amount"), max_digits=12, decimal_places=2
    )
    currency = models.CharField(_("currency"), max_length=3)
    discount_amount = models.DecimalField(
        _("discount"), max_digits=12, decimal_places=2
    )
    platform = models.CharField(
        _("platform"), max_length=16, choices=Platform.choices, blank=True
    )
    platform_user_id = models.CharField(
        _("platform user id"), max_length=64, blank=True
    )
    case = models.ForeignKey(
        "engagement.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("case"),
    )
    mention = models.ForeignKey(
        "listening.Mention",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ambassador = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ambassador"),
    )
    created_at = models.DateTimeField(_("redeemed"), default=timezone.now)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # Idempotency: one redemption per order, whatever the retries.
            models.UniqueConstraint(
                fields=["merchant", "order_id"], name="redemption_order_uniq"
            )
        ]
        indexes = [
            # Campaign statistics and the redemptions list of a campaign, by time.
            models.Index(
                fields=["campaign", "created_at"], name="redemption_campaign_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} ({self.code_id})"
