"""Django admin: surveys are built on the builder pages (/s/manage/); here they,
their links and responses can be looked up (read-only: writes go through services)."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import Invitation, Response, Survey


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["title_zh", "status", "opens_at", "closes_at", "auto_csat"]
    list_filter = ["status", "auto_csat"]
    search_fields = ["title_zh", "title_en"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = [
        "token",
        "survey",
        "kind",
        "platform",
        "platform_user_id",
        "used_at",
    ]
    list_select_related = ["survey"]
    list_filter = ["kind", "platform"]
    search_fields = ["=token", "platform_user_id"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "survey",
        "platform",
        "nps_score",
        "csat_score",
        "submitted_at",
    ]
    list_select_related = ["survey"]
    list_filter = ["platform"]
