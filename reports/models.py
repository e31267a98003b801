"""The reports read other apps' rows; the only rows of their own say who wants the
weekly digest."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DigestSubscription(models.Model):
    """Opt-in to the weekly digest e-mail (Monday, the week before)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The Monday of the last week sent: a digest goes once per week, whatever the
    # retries of the task.
    last_week_sent = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("weekly digest subscription")
        verbose_name_plural = _("weekly digest subscriptions")

    def __str__(self) -> str:
        return str(self.user_id)
