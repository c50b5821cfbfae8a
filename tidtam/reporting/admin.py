from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tidtam.audit import write
from tidtam.lib.admin import HistoryAdmin, ReaderValues, ReadOnlyWhen, ReasonForm, act_with_reason
from tidtam.reporting import review
from tidtam.reporting.actions import REPORT
from tidtam.reporting.models import (
    Problem,
    ProblemCategory,
    ProgressReport,
    ReminderLog,
    ReportAttachment,
    ReportingSettings,
)


class CommentForm(ReasonForm):
    reason = forms.CharField(
        label=_("What the officer should correct"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sent to the officer and kept in the history, whole."),
    )


def send_back_action(kind: review.ReviewKind[Any]) -> Callable[..., TemplateResponse | None]:
    """The admin's way to change a record under review: send it back to its officer with a
    reason (a submitted one is returned, an approved one has its approval withdrawn), through
    the review cycle's actions."""

    @admin.action(description=_("Send back to the officer for correction, with a reason"))
    def send_back(
        model_admin: Any, request: HttpRequest, queryset: QuerySet[Any]
    ) -> TemplateResponse | None:
        return act_with_reason(
            model_admin,
            request,
            queryset,
            title=str(_("Send back for correction")),
            apply=lambda record, data: review.send_back(
                kind, record, by=request.user, comment=data["reason"]
            ),
            done=str(_("%(who)s: sent back to the officer for correction.")),
            form_class=CommentForm,
        )

    return send_back


class UnderReviewReadOnly(ReadOnlyWhen):
    """A record submitted or approved is shown read-only: it changes only through the review
    cycle's actions, with a reason (`send_back_action`). A draft changed here gets one more
    version, so a form opened before refuses to overwrite it."""

    def locked(self, obj: Any) -> bool:
        return review.under_review(obj)

    def locked_note(self, obj: Any) -> str:
        return gettext(
            "This record is submitted or approved, so it is read-only here. To change it, "
            "send it back to the officer with a reason (the action in the list); it is then "
            "corrected on the site and reviewed again."
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)  # type: ignore[misc]


@admin.register(ProgressReport)
class ProgressReportAdmin(UnderReviewReadOnly, ReaderValues, HistoryAdmin[ProgressReport]):
    list_display = ["project", "report_date", "percent", "status", "origin"]
    list_filter = ["status", "origin"]
    search_fields = ["project__code"]
    raw_id_fields = ["project", "created_by", "submitted_by", "reviewed_by"]
    readonly_fields = ["status", "version"]
    actions = [send_back_action(REPORT)]

    def save_model(
        self, request: HttpRequest, obj: ProgressReport, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        write.facts_changed(projects=[obj.project_id])

    def delete_model(self, request: HttpRequest, obj: ProgressReport) -> None:
        super().delete_model(request, obj)
        write.facts_changed(projects=[obj.project_id])


@admin.register(ProblemCategory)
class ProblemCategoryAdmin(ReaderValues, HistoryAdmin[ProblemCategory]):
    list_display = ["name_th", "name_en", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name_th", "name_en"]


@admin.register(Problem)
class ProblemAdmin(ReaderValues, HistoryAdmin[Problem]):
    list_display = ["project", "category", "status", "opened_in", "resolved_in"]
    list_filter = ["status", "category"]
    search_fields = ["project__code", "description"]
    raw_id_fields = ["project", "opened_in", "resolved_in", "created_by"]


@admin.register(ReportAttachment)
class ReportAttachmentAdmin(ReaderValues, HistoryAdmin[ReportAttachment]):
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
class ReportingSettingsAdmin(ReaderValues, HistoryAdmin[ReportingSettings]):
    list_display = ["deadline_day", "reminder_days_before"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ReportingSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ReminderLog)
class ReminderLogAdmin(ReaderValues, admin.ModelAdmin[ReminderLog]):
    list_display = ["month", "user", "projects", "sent_at"]
    list_filter = ["month"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
