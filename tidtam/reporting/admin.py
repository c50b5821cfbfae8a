from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tidtam.reporting.models import ProgressReport


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["project", "report_date", "percent", "status", "origin"]
    list_filter = ["status", "origin"]
    search_fields = ["project__code"]
    raw_id_fields = ["project"]
