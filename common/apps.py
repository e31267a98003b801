from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Installed so that shared template tags and templates can live here; it has
    no models."""

    name = "common"
    verbose_name = _("Common")
