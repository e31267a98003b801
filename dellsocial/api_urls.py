"""/api/v1/: each app's ``api.py`` contributes its ``api_urlpatterns``."""

from importlib import import_module

API_APPS = (
    "listening",
    "engagement",
    "ambassadors",
    "coupons",
    "surveys",
    "notifications",
)

urlpatterns = []
for _app in API_APPS:
    urlpatterns += getattr(import_module(f"{_app}.api"), "api_urlpatterns", [])
