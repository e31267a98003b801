from django.contrib import admin

from .models import MockAuthor, MockPlatform, MockPost


@admin.register(MockPlatform)
class MockPlatformAdmin(admin.ModelAdmin):
    list_display = (
        "platform",
        "seed",
        "rate_per_minute",
        "crisis",
        "generated",
        "request_limit",
        "window_used",
    )


@admin.register(MockAuthor)
class MockAuthorAdmin(admin.ModelAdmin):
    list_display = ("platform", "ext_id", "screen_name", "followers_count", "verified")
    list_filter = ("platform", "verified", "is_college", "is_deleted")
    search_fields = ("screen_name",)


@admin.register(MockPost)
class MockPostAdmin(admin.ModelAdmin):
    list_display = ("platform", "ext_id", "kind", "created_at", "is_received")
    list_filter = ("platform", "kind", "is_received", "mentions_brand")
    raw_id_fields = ("author", "root", "parent", "repost_of", "target_user")
    show_full_result_count = False
