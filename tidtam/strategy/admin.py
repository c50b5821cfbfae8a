from django.contrib import admin

from tidtam.lib.admin import HistoryAdmin, ReaderValues
from tidtam.strategy.models import Plan, PlanLevel, PlanNode


class PlanLevelInline(ReaderValues, admin.TabularInline[PlanLevel, Plan]):
    model = PlanLevel
    extra = 0


@admin.register(Plan)
class PlanAdmin(ReaderValues, HistoryAdmin[Plan]):
    list_display = ["code", "name_th", "first_year", "last_year"]
    inlines = [PlanLevelInline]


@admin.register(PlanNode)
class PlanNodeAdmin(ReaderValues, HistoryAdmin[PlanNode]):
    list_display = ["code", "name_th", "level", "complete", "origin"]
    list_filter = ["plan", "level", "complete", "origin"]
    search_fields = ["code", "name_th", "name_en"]
    list_select_related = ["level"]
    exclude = ["sort_key"]
