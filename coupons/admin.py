"""Django admin: campaigns are managed on the campaign pages (/coupons/); here they,
their codes and redemptions can be looked up. Writes go through the services, so
codes and redemptions are read-only."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .codes import code_normalize
from .models import Campaign, CodeBatch, CouponCode, Redemption


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "status", "discount_type", "discount_value", "currency"]
    list_filter = ["status", "discount_type"]
    search_fields = ["name"]


@admin.register(CodeBatch)
class CodeBatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "campaign", "count", "generated", "status", "created_at"]
    list_select_related = ["campaign"]


@admin.register(CouponCode)
class CouponCodeAdmin(ReadOnlyAdmin):
    list_display = [
        "display",
        "campaign",
        "max_redemptions",
        "redeemed_count",
        "issued_platform",
        "issued_platform_user_id",
        "issued_at",
        "revoked_at",
    ]
    list_select_related = ["campaign"]
    search_fields = ["=code", "issued_platform_user_id"]
    show_full_result_count = False  # campaigns hold 100,000s of codes

    def get_search_results(self, request, queryset, search_term):
        """A code typed as the customer sees it (5VVH-LLPY-XBZ4, lower case,
        spaces) is found like the API finds it: normalised first."""

        normalised = code_normalize(search_term or "")
        if normalised and normalised != search_term:
            found, dupes = super().get_search_results(request, queryset, normalised)
            if found.exists():
                return found, dupes
        return super().get_search_results(request, queryset, search_term)


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdmin):
    list_display = [
        "order_id",
        "merchant",
        "campaign",
        "order_amount",
        "discount_amount",
        "platform",
        "created_at",
    ]
    list_select_related = ["campaign"]
    list_filter = ["platform"]
    search_fields = ["=order_id"]
