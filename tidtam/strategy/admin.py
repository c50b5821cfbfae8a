from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tidtam.lib.admin import ReaderValues
from tidtam.strategy.models import Plan, PlanLevel, PlanNode


class PlanLevelInline(ReaderValues, admin.TabularInline):
    model = PlanLevel
    extra = 0


@admin.register(Plan)
class PlanAdmin(ReaderValues, SimpleHistoryAdmin):
    list_display = ["code", "name_th", "first_year", "last_year"]
    inlines = [PlanLevelInline]


@admin.register(PlanNode)
class PlanNodeAdmin(ReaderValues, SimpleHistoryAdmin):
    list_display = ["code", "name_th", "level", "complete", "origin"]
    list_filter = ["plan", "level", "complete", "origin"]
    search_fields = ["code", "name_th", "name_en"]
    list_select_related = ["level"]
    exclude = ["sort_key"]
