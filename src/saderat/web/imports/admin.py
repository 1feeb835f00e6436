from django.contrib import admin

from saderat.web.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "source_name",
        "status",
        "rows_read",
        "rows_accepted",
        "rows_rejected",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "layout", "is_synthetic")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # batches are withdrawn from the import page, never deleted
