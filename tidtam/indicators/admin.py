from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tidtam.audit import write
from tidtam.indicators.actions import RESULT
from tidtam.indicators.models import (
    EvaluationCriterion,
    Kpi,
    KpiResult,
    KpiScore,
    QuarterClosure,
    RatingLevel,
)
from tidtam.lib.admin import HistoryAdmin, ReaderValues
from tidtam.reporting.admin import UnderReviewReadOnly, send_back_action


@admin.register(EvaluationCriterion)
class EvaluationCriterionAdmin(ReaderValues, admin.ModelAdmin[EvaluationCriterion]):
    list_display = ["code", "name_th", "order"]


class KpiResultInline(ReaderValues, admin.TabularInline[KpiResult, Kpi]):
    """Shown with the KPI, read-only: results are entered and reviewed on the site, and a
    result changes in the admin one at a time (KpiResultAdmin), never while under review."""

    model = KpiResult
    extra = 0
    fields = ["quarter", "result", "status", "version"]
    readonly_fields = ["quarter", "result", "status", "version"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(KpiResult)
class KpiResultAdmin(UnderReviewReadOnly, ReaderValues, HistoryAdmin[KpiResult]):
    list_display = ["kpi", "quarter", "result", "status"]
    list_filter = ["status"]
    list_select_related = ["kpi", "quarter__fiscal_year"]
    search_fields = ["kpi__code"]
    raw_id_fields = ["kpi", "quarter", "submitted_by", "reviewed_by"]
    readonly_fields = ["status", "version"]
    actions = [send_back_action(RESULT)]

    def save_model(self, request: HttpRequest, obj: KpiResult, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        write.facts_changed(kpis=[obj.kpi_id])

    def delete_model(self, request: HttpRequest, obj: KpiResult) -> None:
        super().delete_model(request, obj)
        write.facts_changed(kpis=[obj.kpi_id])


class KpiScoreInline(ReaderValues, admin.TabularInline[KpiScore, Kpi]):
    model = KpiScore
    extra = 0


@admin.register(Kpi)
class KpiAdmin(ReaderValues, HistoryAdmin[Kpi]):
    list_display = ["code", "text", "fiscal_year", "kpi_type", "level", "direction", "mode"]
    list_filter = ["fiscal_year", "kpi_type", "level", "direction", "mode"]
    search_fields = ["code", "text"]
    raw_id_fields = ["agency"]
    inlines = [KpiResultInline, KpiScoreInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Target, mode, results and scores are facts of the KPI's and its projects' standings.
        super().save_related(request, form, formsets, change)
        write.facts_changed(kpis=[form.instance.pk])


@admin.register(RatingLevel)
class RatingLevelAdmin(ReaderValues, HistoryAdmin[RatingLevel]):
    list_display = ["value", "label_th", "label_en", "meaning"]


@admin.register(QuarterClosure)
class QuarterClosureAdmin(ReaderValues, HistoryAdmin[QuarterClosure]):
    """Read-only: a quarter is closed by an evaluator through the site, never here."""

    list_display = ["quarter", "closed_at", "closed_by"]
    list_select_related = ["quarter", "closed_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
