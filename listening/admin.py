import secrets
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdmin
from listening.models import (
    Alert,
    AlertRule,
    Author,
    Mention,
    Source,
    Spike,
    WallToken,
    WatchedTerm,
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "platform",
        "kind",
        "query",
        "enabled",
        "poll_interval",
        "health",
        "last_success_at",
        "consecutive_failures",
        "rate_limited_until",
        "mentions_fetched",
    )
    list_filter = ("platform", "kind", "enabled")
    search_fields = ("name", "query")
    readonly_fields = (
        "cursor",
        "lease_owner",
        "lease_until",
        "last_polled_at",
        "last_success_at",
        "last_error",
        "last_error_at",
        "consecutive_failures",
        "rate_limited_until",
        "mentions_fetched",
        "created_at",
    )
    fieldsets = (
        (None, {"fields": ("name", "platform", "kind", "query", "enabled")}),
        (_("Schedule"), {"fields": ("poll_interval", "next_poll_at", "api_base")}),
        (
            _("Health"),
            {
                "fields": (
                    "last_polled_at",
                    "last_success_at",
                    "consecutive_failures",
                    "last_error",
                    "last_error_at",
                    "rate_limited_until",
                    "mentions_fetched",
                )
            },
        ),
        (
            _("Internals"),
            {
                "classes": ("collapse",),
                "fields": ("cursor", "lease_owner", "lease_until"),
            },
        ),
    )
    actions = ["poll_now"]

    @admin.display(description=_("health"), boolean=True)
    def health(self, source: Source) -> bool:
        return source.is_healthy

    @admin.action(description=_("Poll the selected sources now"))
    def poll_now(self, request, queryset):
        queryset.update(next_poll_at=timezone.now(), rate_limited_until=None)
        self.message_user(request, _("The sources will be polled within seconds."))

    # The record is kept: deleting would cascade the brand's replies, cases and
    # coupons silently. (Sources are disabled with "enabled", not deleted.)
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = (
        "screen_name",
        "platform",
        "followers_count",
        "verified",
        "location",
    )
    list_filter = ("platform", "verified")
    search_fields = ("screen_name", "name", "external_id")

    # The record is kept: deleting would cascade the brand's replies, cases and
    # coupons silently. (Sources are disabled with "enabled", not deleted.)
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ("external_id", "platform", "author", "short_text", "created_at")
    list_filter = ("platform", "sentiment_label", "intent")
    search_fields = ("external_id", "text")
    list_select_related = ("author",)
    raw_id_fields = ("author", "source")
    readonly_fields = ("raw",)
    show_full_result_count = False

    @admin.display(description=_("text"))
    def short_text(self, mention: Mention) -> str:
        return mention.text[:80]

    # The record is kept: deleting would cascade the brand's replies, cases and
    # coupons silently. (Sources are disabled with "enabled", not deleted.)
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- the listening room ---------------------------------------------------------------


class WallTokenForm(forms.ModelForm):
    class Meta:
        model = WallToken
        fields = ("name", "enabled")


@admin.register(WallToken)
class WallTokenAdmin(admin.ModelAdmin):
    """Wall screens' read-only keys: a new token gets a random key, shown here with
    the wall's address to open on the screen."""

    form = WallTokenForm
    list_display = ("name", "enabled", "wall_link", "created_at")
    list_filter = ("enabled",)
    search_fields = ("name",)
    readonly_fields = ("wall_link", "created_at")

    @admin.display(description=_("wall address"))
    def wall_link(self, token: WallToken) -> str:
        if not token.key:
            return "—"
        url = f"{reverse('listening_wall')}?{urlencode({'t': token.key})}"
        return format_html('<a href="{}">{}</a>', url, url)

    def save_model(self, request, obj, form, change) -> None:
        if not obj.key:
            obj.key = secrets.token_urlsafe(24)
        super().save_model(request, obj, form, change)


@admin.register(WatchedTerm)
class WatchedTermAdmin(admin.ModelAdmin):
    list_display = ("term", "created_at")
    search_fields = ("term",)


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "subject",
        "threshold",
        "window_minutes",
        "email",
        "enabled",
        "created_by",
    )
    list_filter = ("kind", "enabled", "email")
    search_fields = ("name", "subject")
    raw_id_fields = ("created_by",)
    readonly_fields = ("last_mention_id", "active_since", "created_at")


@admin.register(Spike)
class SpikeAdmin(ReadOnlyAdmin):
    """Spikes are what detection found: looked up here, never edited."""

    list_display = (
        "subject",
        "kind",
        "started_at",
        "peak_at",
        "ended_at",
        "volume",
        "baseline",
        "score",
    )
    list_filter = ("kind",)
    search_fields = ("subject",)
    date_hierarchy = "started_at"


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("title", "rule", "episode", "fired_at", "recipients")
    list_filter = ("rule",)
    search_fields = ("title", "episode")
    list_select_related = ("rule",)
