from django.contrib import admin

from .models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "ui_language")
    list_filter = ("role", "ui_language")
    search_fields = ("user__username",)
