from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NlpConfig(AppConfig):
    """The analysis stage: it has no models of its own (brands, corrections and the
    analysed columns are listening's), only its admin pages, services and task."""

    name = "listening.nlp"
    label = "nlp"
    verbose_name = _("Analysis")
