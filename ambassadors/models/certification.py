"""Levels and what they need; the history of each person's certification."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .people import Certification
from .training import Course, _in_language


class Level(models.Model):
    """One rung of the ladder. A level needs everything the lower ones need, plus
    its own courses and experience; ``rank`` is the Certification value stored on
    the profile (1 Enthusiast, 2 Professional, 3 Expert)."""

    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    courses = models.ManyToManyField(
        Course, verbose_name=_("courses to pass"), blank=True, related_name="+"
    )
    all_courses = models.BooleanField(
        _("all published courses"),
        default=False,
        help_text=_("Every published course except refreshers must be passed."),
    )
    courses_within_days = models.PositiveIntegerField(
        _("courses passed within (days)"),
        null=True,
        blank=True,
        help_text=_("All the courses must be passed within this many days."),
    )
    approved_replies = models.PositiveIntegerField(
        _("replies approved by a manager"), default=0
    )
    replies_sent = models.PositiveIntegerField(_("replies sent"), default=0)
    min_csat = models.DecimalField(
        _("minimum average CSAT"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
    )
    validity_days = models.PositiveIntegerField(
        _("valid for (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: does not expire."),
    )
    refresher = models.ForeignKey(
        Course,
        verbose_name=_("refresher course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Passing its quiz renews an expiring or expired certification."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_zh, self.name_en)


class CertificationState(models.TextChoices):
    NONE = "none", _("Not certified")
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class CertificationEvent(models.Model):
    class Kind(models.TextChoices):
        EARNED = "earned", _("Earned")
        DEMOTED = "demoted", _("Lowered")
        REMINDER = "reminder", _("Expiry reminder")
        EXPIRED = "expired", _("Expired")
        RECERTIFIED = "recertified", _("Recertified")
        REVOKED = "revoked", _("Revoked")
        REINSTATED = "reinstated", _("Reinstated")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(default=0)
    previous_level = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Reminders: "30:<expiry>" or "7:<expiry>", so each is sent once per expiry.
    key = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # "My certification": one person's history, newest first.
            models.Index(fields=["user", "-created_at"], name="cert_event_user_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"],
                condition=~models.Q(key=""),
                name="cert_event_key_uniq",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.level}"

    @property
    def level_name(self) -> str:
        return (
            str(Certification(self.level).label)
            if self.level in Certification.values
            else ""
        )


class Revocation(models.Model):
    """A manager took a person's certification away; open until reinstated."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"))
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(default=timezone.now)
    reinstated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reinstated_at = models.DateTimeField(null=True, blank=True)
    reinstate_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            # At most one open revocation per person.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(reinstated_at__isnull=True),
                name="revocation_open_uniq",
            )
        ]

    def __str__(self) -> str:
        return f"revocation of {self.user_id}"
