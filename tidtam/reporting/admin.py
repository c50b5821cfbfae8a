from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tidtam.audit import write
from tidtam.lib.admin import ReaderValues
from tidtam.reporting.models import (
    Problem,
    ProblemCategory,
    ProgressReport,
    ReminderLog,
    ReportAttachment,
    ReportingSettings,
)


@admin.register(ProgressReport)
class ProgressReportAdmin(ReaderValues, SimpleHistoryAdmin):
    list_display = ["project", "report_date", "percent", "status", "origin"]
    list_filter = ["status", "origin"]
    search_fields = ["project__code"]
    raw_id_fields = ["project", "created_by", "submitted_by", "reviewed_by"]

    def save_model(
        self, request: HttpRequest, obj: ProgressReport, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        write.facts_changed(projects=[obj.project_id])

    def delete_model(self, request: HttpRequest, obj: ProgressReport) -> None:
        super().delete_model(request, obj)
        write.facts_changed(projects=[obj.project_id])


@admin.register(ProblemCategory)
class ProblemCategoryAdmin(ReaderValues, SimpleHistoryAdmin):
    list_display = ["name_th", "name_en", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name_th", "name_en"]


@admin.register(Problem)
class ProblemAdmin(ReaderValues, SimpleHistoryAdmin):
    list_display = ["project", "category", "status", "opened_in", "resolved_in"]
    list_filter = ["status", "category"]
    search_fields = ["project__code", "description"]
    raw_id_fields = ["project", "opened_in", "resolved_in", "created_by"]


@admin.register(ReportAttachment)
class ReportAttachmentAdmin(ReaderValues, SimpleHistoryAdmin):
    list_display = ["original_name", "report", "content_type", "size", "uploaded_at"]
    search_fields = ["original_name", "report__project__code"]
    readonly_fields = [
        "report",
        "stored_name",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Files come in through the report form, which checks their type and size.
        return False


@admin.register(ReportingSettings)
class ReportingSettingsAdmin(ReaderValues, SimpleHistoryAdmin):
    list_display = ["deadline_day", "reminder_days_before"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ReportingSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ReminderLog)
class ReminderLogAdmin(ReaderValues, admin.ModelAdmin):
    list_display = ["month", "user", "projects", "sent_at"]
    list_filter = ["month"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
