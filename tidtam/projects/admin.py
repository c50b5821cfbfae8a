from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tidtam.audit import write
from tidtam.lib.admin import ReaderValues
from tidtam.projects.models import (
    DataWarning,
    FiscalYear,
    PlanStep,
    Project,
    Quarter,
)


class QuarterInline(ReaderValues, admin.TabularInline):
    model = Quarter
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(ReaderValues, admin.ModelAdmin):
    list_display = ["year", "start", "end"]
    inlines = [QuarterInline]


class PlanStepInline(ReaderValues, admin.TabularInline):
    model = PlanStep
    extra = 0


@admin.register(Project)
class ProjectAdmin(ReaderValues, SimpleHistoryAdmin):
    list_display = ["code", "name", "agency", "fiscal_year", "published", "origin"]
    list_filter = ["fiscal_year", "published", "origin"]
    search_fields = ["code", "name"]
    list_select_related = ["agency"]
    raw_id_fields = ["agency", "owning_unit", "reporting_unit"]
    inlines = [PlanStepInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The budget and the steps are facts of the project's standing.
        super().save_related(request, form, formsets, change)
        write.facts_changed(projects=[form.instance.pk])


@admin.register(DataWarning)
class DataWarningAdmin(ReaderValues, SimpleHistoryAdmin):
    list_display = ["project", "field", "code", "message", "resolved"]
    list_filter = ["code", "resolved"]
    raw_id_fields = ["project"]
