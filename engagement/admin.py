"""Admin: the rules an admin edits (routing, policy, SLA, canned responses, labels);
cases and replies read-only, since people change them through the dashboard's
services (which check permissions and keep the history)."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import (
    CannedResponse,
    Case,
    CaseEvent,
    CaseNote,
    Contact,
    ContactIdentity,
    ContactNote,
    Label,
    PolicyRule,
    Reply,
    RoutingRule,
    SlaPolicy,
)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = (
        "position",
        "name",
        "enabled",
        "set_team",
        "set_priority",
        "add_label",
        "stop",
    )
    list_display_links = ("name",)
    list_editable = ("position", "enabled")
    list_filter = ("enabled", "set_team")
    fieldsets = (
        (None, {"fields": ("name", "position", "enabled", "stop")}),
        (
            "Conditions (empty = any)",
            {
                "fields": (
                    "platforms",
                    "languages",
                    "brands",
                    "brand_kind",
                    "intents",
                    "sentiments",
                    "min_followers",
                    "keywords",
                )
            },
        ),
        ("Actions", {"fields": ("set_team", "set_priority", "add_label")}),
    )


@admin.register(PolicyRule)
class PolicyRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "value", "enabled", "message")
    list_editable = ("enabled",)
    list_filter = ("kind", "enabled")
    search_fields = ("value", "message")


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ("priority", "first_response_minutes", "resolution_minutes")


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    list_display = ("shortcode", "title", "language", "updated_at")
    list_filter = ("language",)
    search_fields = ("shortcode", "title", "text")


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    search_fields = ("name",)


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = ("created_at", "actor", "kind", "data")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CaseNoteInline(CaseEventInline):
    model = CaseNote
    fields = ("created_at", "author", "text")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "platform",
        "status",
        "priority",
        "team",
        "assignee",
        "waiting_since",
        "first_response_breached",
        "resolution_breached",
    )
    list_filter = ("status", "priority", "platform", "team")
    list_select_related = ("team", "assignee")
    search_fields = ("summary", "assignee__username")
    raw_id_fields = ("author",)
    inlines = (CaseNoteInline, CaseEventInline)
    show_full_result_count = False


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ("id", "case", "author", "platform", "status", "external_id")
    list_filter = ("status", "platform")
    list_select_related = ("author", "case")
    search_fields = ("text", "external_id")
    raw_id_fields = ("case", "mention")
    show_full_result_count = False


class ContactIdentityInline(admin.TabularInline):
    model = ContactIdentity
    extra = 0
    can_delete = False
    fields = ("author", "linked_by", "linked_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ContactNoteInline(admin.TabularInline):
    model = ContactNote
    extra = 0
    can_delete = False
    fields = ("text", "author", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    """Linked identities to look up; managers link, unlink and note on the case
    page (the services check the role and the audit log records who did it)."""

    list_display = ("id", "created_by", "created_at")
    search_fields = (
        "identities__author__screen_name",
        "identities__author__external_id",
    )
    inlines = (ContactIdentityInline, ContactNoteInline)
