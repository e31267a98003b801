from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "engagement"

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
