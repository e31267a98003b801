"""The social media policy, its versions and who accepted which."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .training import _in_language


def default_disclosure_terms() -> list[str]:
    return ["戴尔员工", "Dell employee", "@Dell"]


class SocialPolicy(models.Model):
    """One version of the policy; the newest is the one everybody must accept."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_zh = models.TextField(_("text (Chinese, Markdown)"))
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)
    # A handle's profile must say one of these (disclosure: "I work for the brand").
    disclosure_terms = models.JSONField(
        _("disclosure terms"), default=default_disclosure_terms
    )
    published_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("social media policy")
        verbose_name_plural = _("social media policies")

    def __str__(self) -> str:
        return f"v{self.version} {self.title}"

    @property
    def title(self) -> str:
        return _in_language(self.title_zh, self.title_en)

    @property
    def body(self) -> str:
        return _in_language(self.body_zh, self.body_en)


class PolicyAcceptance(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    policy = models.ForeignKey(
        SocialPolicy, on_delete=models.CASCADE, related_name="acceptances"
    )
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "policy"], name="policy_acceptance_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.policy_id}"
