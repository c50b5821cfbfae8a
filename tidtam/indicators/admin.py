from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tidtam.indicators.models import EvaluationCriterion, Kpi, KpiResult, KpiScore


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
    list_display = ["code", "text", "fiscal_year", "kpi_type", "level"]
    list_filter = ["fiscal_year", "kpi_type", "level"]
    search_fields = ["code", "text"]
    inlines = [KpiResultInline, KpiScoreInline]
