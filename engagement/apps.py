from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = _("Engagement")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Rules that decide who answers and what may be said: audited.
        for model in (
            models.RoutingRule,
            models.PolicyRule,
            models.CannedResponse,
            models.SlaPolicy,
        ):
            auditlog.register(model)
        # Who linked which identities into one person, who unlinked them, and
        # what was noted about the person: audited.
        auditlog.register(models.ContactIdentity)
        auditlog.register(models.ContactNote)
