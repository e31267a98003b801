"""Admin pages of the analysis stage: the tracked brands and the corrections.

The models are listening's (its tables); the pages are the analysis app's, found by
Django's admin autodiscovery like every app's ``admin.py``.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from listening.models import Brand, ProductLine, SentimentCorrection

from .brands import catalogs


class ProductLineInline(admin.TabularInline):
    model = ProductLine
    extra = 1
    fields = ("slug", "name", "aliases")


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "alias_list")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ProductLineInline]

    @admin.display(description=_("aliases"))
    def alias_list(self, brand: Brand) -> str:
        return ", ".join(str(alias) for alias in brand.aliases or [])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # This process sees the edit at once; workers within CATALOG_TTL_SECONDS.
        catalogs.clear()


@admin.register(SentimentCorrection)
class SentimentCorrectionAdmin(admin.ModelAdmin):
    list_display = ("mention", "label", "corrected_by", "created_at")
    list_filter = ("label",)
    raw_id_fields = ("mention",)
    readonly_fields = ("mention", "label", "corrected_by", "created_at")
    list_select_related = ("mention", "corrected_by")

    def has_add_permission(self, request):
        # Corrections are made on a mention in the dashboard, where the label is seen.
        return False
