from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tidtam.projects.models import (
    DataWarning,
    FiscalYear,
    PlanStep,
    Project,
    Quarter,
    ScheduleSettings,
)


class QuarterInline(admin.TabularInline):
    model = Quarter
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "start", "end"]
    inlines = [QuarterInline]


class PlanStepInline(admin.TabularInline):
    model = PlanStep
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "agency", "fiscal_year", "published", "origin"]
    list_filter = ["fiscal_year", "published", "origin"]
    search_fields = ["code", "name"]
    list_select_related = ["agency"]
    raw_id_fields = ["agency", "owning_unit", "reporting_unit"]
    inlines = [PlanStepInline]


@admin.register(DataWarning)
class DataWarningAdmin(SimpleHistoryAdmin):
    list_display = ["project", "field", "code", "message", "resolved"]
    list_filter = ["code", "resolved"]
    raw_id_fields = ["project"]


@admin.register(ScheduleSettings)
class ScheduleSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["behind_points", "critical_points"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ScheduleSettings.objects.exists()
