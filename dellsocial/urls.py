from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from ambassadors.views import set_language
from common.scopes import NO_SCOPE


class SchemaView(SpectacularAPIView):
    # Any valid token may read the schema (it describes what each scope opens).
    required_scope = NO_SCOPE


urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("dellsocial.api_urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path("engagement/", include("engagement.urls")),
    path("ambassadors/", include("ambassadors.urls")),
    path("coupons/", include("coupons.urls")),
    path("publishing/", include("publishing.urls")),
    path("s/", include("surveys.urls")),
    path("listening/", include("listening.urls")),
    path("reports/", include("reports.urls")),
    path("integrations/", include("integrations.urls")),
    path("notifications/", include("notifications.urls")),
    # The first page after login is the triage queue.
    path(
        "",
        login_required(RedirectView.as_view(pattern_name="engagement:queue")),
        name="home",
    ),
]

if settings.MOCK_PLATFORMS:
    # The mock platforms only where asked for (make run, tests): never in production.
    urlpatterns.insert(0, path("mock/", include("mockfeeds.urls")))
