"""The brand's accounts, its posts (one version per platform, every edit kept),
their delivery to each account, and what the platforms report back."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Certification
from listening.models import Platform


class BrandAccount(models.Model):
    """One of the brand's own accounts (the account a mentions source listens for)."""

    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    external_id = models.CharField(_("account id"), max_length=64)
    name = models.CharField(_("name"), max_length=120)
    followers_count = models.PositiveBigIntegerField(_("followers"), default=0)
    followers_at = models.DateTimeField(null=True, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        ordering = ["platform", "name"]
        verbose_name = _("brand account")
        verbose_name_plural = _("brand accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="brand_account_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} · {self.name}"


class PublishingPolicy(models.Model):
    """The approval rules (one row): who may post without a manager, and from which
    coupon value on every post needs one."""

    approval_level = models.PositiveSmallIntegerField(
        _("posts without approval from this certification on"),
        choices=Certification.choices,
        default=Certification.EXPERT,
    )
    coupon_amount_limit = models.DecimalField(
        _("a fixed-amount coupon above this needs approval"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("100.00"),
    )
    coupon_percent_limit = models.DecimalField(
        _("a percentage coupon above this needs approval"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
    )
    coupon_uses = models.PositiveIntegerField(
        _("uses of a public code (first N buyers)"), default=500
    )

    class Meta:
        verbose_name = _("publishing policy")
        verbose_name_plural = _("publishing policy")

    def __str__(self) -> str:
        return str(_("Publishing policy"))


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_APPROVAL = "pending_approval", _("Waiting for approval")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class PostImage(models.Model):
    """A picture stored by the product (in the database: no shared file system is
    needed between web and workers), sent through the platform's upload call."""

    name = models.CharField(_("file name"), max_length=120)
    data = models.BinaryField()
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """One announcement of the brand, for one or more of its accounts."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PostStatus.choices, default="draft"
    )
    # The text every platform gets unless it has its own version.
    text = models.TextField(_("text"))
    # {"weibo": "...", ...}: the versions that differ from ``text``.
    per_platform = models.JSONField(_("per-platform versions"), default=dict)
    image = models.ForeignKey(
        PostImage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    # The zone the author scheduled in (the calendar shows times in it).
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Shanghai")
    campaign = models.ForeignKey(
        "coupons.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("coupon campaign"),
    )
    coupon_code = models.ForeignKey(
        "coupons.CouponCode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    survey = models.ForeignKey(
        "surveys.Survey",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("survey"),
    )
    approval_reason = models.CharField(max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        indexes = [
            # The approval queue and the calendar: posts by status and time.
            models.Index(fields=["status", "scheduled_at"], name="post_status_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.text[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("publishing:post", args=[self.pk])


class PostVersion(models.Model):
    """The history: every text the post had, who wrote it, and why."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    texts = models.JSONField()  # {"weibo": final text, ...} per target account
    scheduled_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post", "number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="post_version_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} v{self.number}"


class TargetStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class PostTarget(models.Model):
    """The post on one account: its final text there, its delivery, its id."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="targets")
    account = models.ForeignKey(
        BrandAccount, on_delete=models.PROTECT, related_name="targets"
    )
    text = models.TextField()
    status = models.CharField(
        max_length=10, choices=TargetStatus.choices, default=TargetStatus.WAITING
    )
    due_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    error_code = models.CharField(max_length=32, blank=True)
    external_id = models.CharField(max_length=64, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Metrics: the last counters, and when to ask again.
    comments = models.PositiveIntegerField(default=0)
    reposts = models.PositiveIntegerField(default=0)
    likes = models.PositiveIntegerField(null=True, blank=True)
    reach = models.PositiveBigIntegerField(null=True, blank=True)
    metrics_at = models.DateTimeField(null=True, blank=True)
    metrics_next_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "account"], name="post_target_uniq"
            ),
            # One platform post is one target, whatever a retry found.
            models.UniqueConstraint(
                fields=["account", "external_id"],
                condition=~Q(external_id=""),
                name="post_target_external_uniq",
            ),
        ]
        indexes = [
            # publishing_dispatch_due: queued targets whose minute has come.
            models.Index(
                fields=["due_at"],
                name="target_due_idx",
                condition=Q(status="queued"),
            ),
            # metrics_poll: live posts whose counters are due.
            models.Index(
                fields=["metrics_next_at"],
                name="target_metrics_idx",
                condition=Q(status="published"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}@{self.account_id}"


class MetricSnapshot(models.Model):
    """A post's counters on one account at one poll."""

    target = models.ForeignKey(
        PostTarget, on_delete=models.CASCADE, related_name="snapshots"
    )
    taken_at = models.DateTimeField()
    comments = models.PositiveIntegerField(default=0)
    reposts = models.PositiveIntegerField(default=0)
    likes = models.PositiveIntegerField(null=True)
    reach = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["target", "taken_at"]
        indexes = [
            # The post page's curves: one target's snapshots by time.
            models.Index(fields=["target", "taken_at"], name="snapshot_target_idx")
        ]

    def __str__(self) -> str:
        return f"{self.target_id}@{self.taken_at:%Y-%m-%d %H:%M}"


class FollowerSnapshot(models.Model):
    """An account's follower count at one poll (the follower curve)."""

    account = models.ForeignKey(
        BrandAccount, on_delete=models.CASCADE, related_name="follower_snapshots"
    )
    taken_at = models.DateTimeField()
    followers = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["account", "taken_at"]
        indexes = [
            models.Index(fields=["account", "taken_at"], name="followers_account_idx")
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.followers}"
