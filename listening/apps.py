from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListeningConfig(AppConfig):
    name = "listening"
    verbose_name = _("Listening")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # The brand and competitor catalogue is audited like the other rules.
        auditlog.register(models.Brand)
        auditlog.register(models.ProductLine)
