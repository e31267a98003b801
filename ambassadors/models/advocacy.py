"""Brand posts picked for sharing, the shares, and the points ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listening.models import Mention, Platform


class SharePick(models.Model):
    """A brand post a manager thinks worth sharing, with a suggested comment."""

    mention = models.OneToOneField(
        Mention, on_delete=models.CASCADE, related_name="+", verbose_name=_("post")
    )
    comment = models.CharField(_("suggested comment"), max_length=280, blank=True)
    active = models.BooleanField(_("open for sharing"), default=True)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("post to share")
        verbose_name_plural = _("posts to share")

    def __str__(self) -> str:
        return f"pick {self.mention_id}"


class ShareStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Shared")
    FAILED = "failed", _("Failed")


class Share(models.Model):
    class Kind(models.TextChoices):
        REPOST = "repost", _("Repost")  # Weibo statuses/repost
        RETWEET = "retweet", _("Retweet")  # Twitter users/:id/retweets
        QUOTE = "quote", _("Quote")  # Twitter tweets with quote_tweet_id
        SHARE = "share", _("Share")  # Renren status/share

    pick = models.ForeignKey(SharePick, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    platform = models.CharField(max_length=16, choices=Platform.choices)
    handle = models.CharField(_("from"), max_length=100)
    handle_user_id = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.CharField(_("comment"), max_length=400, blank=True)
    status = models.CharField(
        max_length=8, choices=ShareStatus.choices, default=ShareStatus.QUEUED
    )
    external_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    error_code = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Nobody games the leaderboard by sharing the same post twice.
            models.UniqueConstraint(fields=["pick", "user"], name="share_once_uniq")
        ]
        indexes = [
            # The sweep for shares whose task was lost or whose worker died.
            models.Index(
                fields=["status", "claimed_at"],
                name="share_pending_idx",
                condition=models.Q(status__in=["queued", "sending"]),
            )
        ]

    def __str__(self) -> str:
        return f"share {self.pk} of {self.pick_id} by {self.user_id}"


class PointKind(models.TextChoices):
    SHARE = "share", _("Share")
    REPLY_SENT = "reply_sent", _("Reply sent")
    REPLY_APPROVED = "reply_approved", _("Reply approved")
    CSAT_ANSWER = "csat_answer", _("CSAT answer")
    COUPON_REDEEMED = "coupon_redeemed", _("Coupon redeemed")
    COURSE_PASSED = "course_passed", _("Course passed")


class PointEvent(models.Model):
    """One thing a person did that earns points (and counts as experience).
    ``key`` names the thing (``reply:42``) so a repeated report counts once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=PointKind.choices)
    key = models.CharField(max_length=80)
    points = models.IntegerField(default=0)
    # CSAT answers: the score (1-5).
    value = models.FloatField(null=True, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="point_event_uniq")
        ]
        indexes = [
            # Certification: one person's experience of one kind, in time order
            # (counts and the moment of the n-th reply).
            models.Index(
                fields=["user", "kind", "occurred_at"], name="point_event_user_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class TallyPeriod(models.TextChoices):
    WEEK = "week", _("This week")
    MONTH = "month", _("This month")
    ALL = "all", _("All time")


class PointTally(models.Model):
    """A person's points in one week, one month and all time, kept up to date on
    every event, so the leaderboard reads thousands of rows instead of millions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(max_length=5, choices=TallyPeriod.choices)
    start = models.DateField()
    points = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "start"], name="point_tally_uniq"
            )
        ]
        indexes = [
            # The leaderboard: one period's people, most points first.
            models.Index(
                fields=["period", "start", "-points"], name="point_tally_board_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.period} {self.start}: {self.points}"
