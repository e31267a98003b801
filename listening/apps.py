from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "listening"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # The brand and competitor catalogue is audited like the other rules.
        auditlog.register(models.Brand)
        auditlog.register(models.ProductLine)
