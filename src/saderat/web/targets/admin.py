from django.contrib import admin

from saderat.web.targets.models import ProgressReport, Target, TargetRevision


class RevisionInline(admin.TabularInline):
    model = TargetRevision
    extra = 0
    readonly_fields = ("value", "baseline", "baseline_source", "reason", "revised_at", "revised_by")
    can_delete = False


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("year", "region", "dimension", "dimension_code", "metric", "basis", "responsible_agency")
    list_filter = ("year", "metric", "dimension")
    search_fields = ("dimension_code", "note", "region")
    autocomplete_fields = ("responsible_agency", "created_by")
    inlines = [RevisionInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ("region", "year", "months", "value_usd", "source", "is_current", "decrease_confirmed")
    list_filter = ("year", "is_current", "is_synthetic")
    search_fields = ("source", "region")
    autocomplete_fields = ("entered_by",)
