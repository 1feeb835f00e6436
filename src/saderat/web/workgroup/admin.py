"""Admin: read-mostly views of the working group's records (the pages and services are where work is done;
history, extensions and updates are never edited here)."""

from django.contrib import admin

from saderat.web.workgroup.models import (
    Attachment,
    Attendee,
    DeadlineExtension,
    Notification,
    ProgressUpdate,
    Resolution,
    Session,
    StatusChange,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0
    autocomplete_fields = ("agency", "user")


class SessionFileInline(ReadOnlyInline):
    model = Attachment
    fk_name = "session"
    fields = ("original_name", "content_type", "size", "uploaded_by", "uploaded_at")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("number", "held_on", "chair", "is_synthetic")
    list_filter = ("is_synthetic",)
    search_fields = ("number", "chair", "location", "agenda")
    autocomplete_fields = ("created_by",)
    inlines = [AttendeeInline, SessionFileInline]


class ExtensionInline(ReadOnlyInline):
    model = DeadlineExtension
    fields = ("previous_deadline", "new_deadline", "reason", "extended_by", "extended_at")


class HistoryInline(ReadOnlyInline):
    model = StatusChange
    fields = (
        "changed_at",
        "kind",
        "from_status",
        "to_status",
        "from_percent",
        "to_percent",
        "note",
        "changed_by",
    )


class UpdateInline(ReadOnlyInline):
    model = ProgressUpdate
    fields = ("posted_at", "agency", "posted_by", "status", "percent_done", "requests_done", "review", "text")


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "responsible_agency", "status", "percent_done", "deadline", "current_deadline")
    list_filter = ("status", "priority", "responsible_agency", "is_synthetic")
    search_fields = ("text",)
    # Select boxes of big tables (8,000 HS codes, firms) would make the page megabytes: searched instead.
    autocomplete_fields = (
        "session",
        "responsible_agency",
        "supporting_agencies",
        "target",
        "hs_code",
        "country",
        "county",
        "firms",
        "created_by",
    )
    readonly_fields = (
        "deadline",
        "current_deadline",
        "status",
        "percent_done",
        "done_requested",
        "completed_on",
    )
    inlines = [ExtensionInline, UpdateInline, HistoryInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "message", "created_at", "read_at", "emailed")
    list_filter = ("kind",)
    search_fields = ("message", "user__username")
    autocomplete_fields = ("user", "resolution")
