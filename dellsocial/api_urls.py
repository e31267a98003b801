"""/api/v1/: the API root, then each app's ``api.py`` contributes its
``api_urlpatterns``."""

from importlib import import_module

from django.urls import path

from .api_root import ApiRoot

API_APPS = (
    "listening",
    "engagement",
    "ambassadors",
    "coupons",
    "surveys",
    "notifications",
)

urlpatterns = [path("", ApiRoot.as_view(), name="api-root")]
for _app in API_APPS:
    urlpatterns += getattr(import_module(f"{_app}.api"), "api_urlpatterns", [])
