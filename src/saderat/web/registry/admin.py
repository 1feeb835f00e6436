"""Admin: read-only views of the registry (work is done on the registry pages, where every change is recorded
with its source; editing here would bypass that history)."""

from django.contrib import admin

from saderat.web.registry.models import (
    CommercialCard,
    ExporterLink,
    Firm,
    IndustrialUnit,
    MatchReview,
    RegistryBatch,
    RegistryChange,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Firm)
class FirmAdmin(ReadOnlyAdmin):
    list_display = ("name", "national_id", "national_code", "county", "isic", "merged_into", "is_synthetic")
    search_fields = ("name", "name_key", "national_id", "national_code")
    list_filter = ("is_synthetic", "legal_form")
    list_select_related = ("county", "merged_into")
    autocomplete_fields = ("county", "merged_into")


@admin.register(CommercialCard)
class CommercialCardAdmin(ReadOnlyAdmin):
    list_display = ("number", "firm", "chamber", "issued_on", "expires_on", "status")
    search_fields = ("number", "firm__name")
    list_filter = ("status",)
    autocomplete_fields = ("firm",)


@admin.register(IndustrialUnit)
class IndustrialUnitAdmin(ReadOnlyAdmin):
    list_display = ("licence_number", "name", "firm", "isic", "employees", "county", "status")
    search_fields = ("licence_number", "name", "firm__name")
    list_filter = ("status",)
    autocomplete_fields = ("firm", "county")


@admin.register(ExporterLink)
class ExporterLinkAdmin(ReadOnlyAdmin):
    list_display = ("exporter_id", "firm", "source")
    search_fields = ("exporter_id", "firm__name")
    autocomplete_fields = ("firm", "batch")


@admin.register(RegistryBatch)
class RegistryBatchAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "kind",
        "source_name",
        "status",
        "rows_read",
        "rows_accepted",
        "rows_rejected",
        "created_at",
    )
    list_filter = ("kind", "status")
    search_fields = ("source_name",)


@admin.register(RegistryChange)
class RegistryChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "model", "object_id", "field", "batch", "user")
    list_filter = ("model",)
    autocomplete_fields = ("firm", "user")


@admin.register(MatchReview)
class MatchReviewAdmin(ReadOnlyAdmin):
    list_display = ("firm_a", "firm_b", "probability", "decision", "automatic", "decided_by")
    list_filter = ("decision", "automatic")
    autocomplete_fields = ("firm_a", "firm_b")
