from django.contrib import admin

from .models import PlatformHandle, Profile, Skill, Team
from .services import offer_waiting_cases


class PlatformHandleInline(admin.TabularInline):
    model = PlatformHandle
    extra = 1


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "role",
        "team",
        "certification",
        "availability",
        "capacity",
        "ui_language",
    )
    list_filter = ("role", "team", "certification", "availability", "ui_language")
    list_select_related = ("user", "team")
    search_fields = ("user__username",)
    filter_horizontal = ("skills",)
    inlines = (PlatformHandleInline,)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Whatever changed, the person may now fit waiting cases of their team.
        offer_waiting_cases(form.instance.team_id)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_default")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "products")
    prepopulated_fields = {"slug": ("name",)}
