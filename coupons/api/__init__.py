"""Coupons for integrations: campaigns, codes, redemptions, and the shop's redeem API.

Every error answers ``{"code", "message"}``; the codes of each endpoint are listed in
the OpenAPI schema (/api/schema/).
"""

from django.urls import path, re_path

from .campaigns import CampaignDetail, CampaignListCreate, CampaignStatsView
from .codes import CampaignCodes, CodeDetail, CodeIssue, CodeList, CodeRevoke
from .redemption import Redeem, RedemptionList, Validate
from .schema import ShopTokenScheme  # noqa: F401 (registers the extension)

__all__ = ["api_urlpatterns"]

api_urlpatterns = [
    path(
        "coupons/campaigns/", CampaignListCreate.as_view(), name="api-coupon-campaigns"
    ),
    path(
        "coupons/campaigns/<int:pk>/",
        CampaignDetail.as_view(),
        name="api-coupon-campaign",
    ),
    path(
        "coupons/campaigns/<int:pk>/stats/",
        CampaignStatsView.as_view(),
        name="api-coupon-campaign-stats",
    ),
    path(
        "coupons/campaigns/<int:pk>/codes/",
        CampaignCodes.as_view(),
        name="api-coupon-campaign-codes",
    ),
    path("coupons/codes/", CodeList.as_view(), name="api-coupon-codes"),
    path("coupons/codes/issue/", CodeIssue.as_view(), name="api-coupon-issue"),
    path("coupons/codes/<str:code>/", CodeDetail.as_view(), name="api-coupon-code"),
    path(
        "coupons/codes/<str:code>/revoke/",
        CodeRevoke.as_view(),
        name="api-coupon-code-revoke",
    ),
    path(
        "coupons/redemptions/", RedemptionList.as_view(), name="api-coupon-redemptions"
    ),
    # With and without the trailing slash: shops get this wrong, and a POST cannot
    # be redirected.
    re_path(r"^coupons/redeem/?$", Redeem.as_view(), name="api-coupon-redeem"),
    re_path(r"^coupons/validate/?$", Validate.as_view(), name="api-coupon-validate"),
]
