from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MockfeedsConfig(AppConfig):
    name = "mockfeeds"
    verbose_name = _("Mock platforms")
