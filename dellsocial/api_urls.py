"""/api/v1/: the API root (every endpoint, the docs), then each app's ``api``
package or module contributes its ``api_urlpatterns`` (an app with an API adds
its line here)."""

from django.urls import path

from ambassadors.api import api_urlpatterns as ambassadors_api
from coupons.api import api_urlpatterns as coupons_api
from engagement.api import api_urlpatterns as engagement_api
from integrations.api import api_urlpatterns as integrations_api
from listening.api import api_urlpatterns as listening_api
from notifications.api import api_urlpatterns as notifications_api
from publishing.api import api_urlpatterns as publishing_api
from reports.api import api_urlpatterns as reports_api
from surveys.api import api_urlpatterns as surveys_api

from .api_root import ApiRoot

urlpatterns = [
    path("", ApiRoot.as_view(), name="api-root"),
    *listening_api,
    *engagement_api,
    *ambassadors_api,
    *coupons_api,
    *surveys_api,
    *notifications_api,
    *publishing_api,
    *integrations_api,
    *reports_api,
]
