from django.contrib import admin

from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "user", "created_at", "read_at", "email_state"]
    list_filter = ["kind", "email_state"]
    search_fields = ["user__username", "kind"]
    # A record of what people were told: read it, do not rewrite it.
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_enabled", "quiet_start", "quiet_end", "time_zone"]
