"""/api/v1/: each app's ``api`` package or module contributes its
``api_urlpatterns`` (an app with an API adds its line here)."""

from ambassadors.api import api_urlpatterns as ambassadors_api
from coupons.api import api_urlpatterns as coupons_api
from engagement.api import api_urlpatterns as engagement_api
from listening.api import api_urlpatterns as listening_api
from notifications.api import api_urlpatterns as notifications_api
from surveys.api import api_urlpatterns as surveys_api

urlpatterns = [
    *listening_api,
    *engagement_api,
    *ambassadors_api,
    *coupons_api,
    *surveys_api,
    *notifications_api,
]
