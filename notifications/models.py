"""In-app notifications and what each person wants by e-mail.

A notification stores its kind and the values of its placeholders, not rendered text:
it is rendered when read, in the reader's language (see ``kinds.py``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EmailState(models.TextChoices):
    # Nobody wants this one by e-mail (preferences at the time it was created).
    NONE = "none", _("Not e-mailed")
    PENDING = "pending", _("Waiting to be e-mailed")
    # Claimed by one e-mail task (compare-and-set), so two tasks never send it twice.
    SENDING = "sending", _("Being e-mailed")
    SENT = "sent", _("E-mailed")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("values"), default=dict, blank=True)
    # A path inside the product (always starting with one "/").
    url = models.CharField(_("link"), max_length=500, blank=True)
    # One notification per event and person: the sender names the event.
    dedupe_key = models.CharField(_("event key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=8, choices=EmailState.choices, default=EmailState.NONE
    )
    # Not e-mailed before this moment (the end of the recipient's quiet hours).
    email_after = models.DateTimeField(_("e-mail after"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_event",
            )
        ]
        indexes = [
            # The bell's unread count and the newest-first list of one person.
            models.Index(
                fields=["user", "read_at", "-created_at"], name="notif_user_idx"
            ),
            # The e-mail sweep: what is still waiting to go out.
            models.Index(
                fields=["email_state", "email_after"],
                condition=Q(email_state__in=["pending", "sending"]),
                name="notif_email_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"


class Preference(models.Model):
    """What one person wants e-mailed, and when not to be disturbed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email_enabled = models.BooleanField(_("send e-mails"), default=True)
    # Kinds this person does not want by e-mail (they still show in the product).
    email_muted_kinds = models.JSONField(
        _("kinds not e-mailed"), default=list, blank=True
    )
    # Quiet hours in the person's time zone; an interval may wrap past midnight.
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class Handoff(models.Model):
    """An event handed to the ``notifications.send`` task, written in the event's own
    transaction (``dellsocial.pipeline.notify``) and deleted in the transaction that
    tells its people: a row still here after a minute lost its broker message, and
    the sweep tells them instead (``notifications_handoff_sweep``)."""

    user_ids = models.JSONField(_("recipients"), default=list)
    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("values"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    dedupe_key = models.CharField(_("event key"), max_length=200, blank=True)
    # The sweep's query: the oldest hand-offs first.
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("notification hand-off")
        verbose_name_plural = _("notification hand-offs")

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_ids}"
