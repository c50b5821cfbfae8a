from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tidtam.indicators.models import (
    EvaluationCriterion,
    FlagSettings,
    Kpi,
    KpiResult,
    KpiScore,
    QuarterClosure,
    RatingLevel,
)


@admin.register(EvaluationCriterion)
class EvaluationCriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "order"]


class KpiResultInline(admin.TabularInline):
    model = KpiResult
    extra = 0


class KpiScoreInline(admin.TabularInline):
    model = KpiScore
    extra = 0


@admin.register(Kpi)
class KpiAdmin(SimpleHistoryAdmin):
    list_display = ["code", "text", "fiscal_year", "kpi_type", "level", "direction", "mode"]
    list_filter = ["fiscal_year", "kpi_type", "level", "direction", "mode"]
    search_fields = ["code", "text"]
    raw_id_fields = ["agency"]
    inlines = [KpiResultInline, KpiScoreInline]


@admin.register(RatingLevel)
class RatingLevelAdmin(SimpleHistoryAdmin):
    list_display = ["value", "label_th", "label_en", "meaning"]


@admin.register(FlagSettings)
class FlagSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["high_score", "full_score", "overshoot_factor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not FlagSettings.objects.exists()


@admin.register(QuarterClosure)
class QuarterClosureAdmin(SimpleHistoryAdmin):
    """Read-only: a quarter is closed by an evaluator through the site, never here."""

    list_display = ["quarter", "closed_at", "closed_by"]
    list_select_related = ["quarter", "closed_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
