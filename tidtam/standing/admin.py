"""The thresholds a standing is derived from: changing one re-derives the standings."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from tidtam.indicators.models import FlagSettings
from tidtam.lib.admin import HistoryAdmin, ReaderValues
from tidtam.projects.models import ScheduleSettings
from tidtam.standing.refresh import apply_new_thresholds


class ThresholdsAdmin(ReaderValues, HistoryAdmin[Any]):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        refreshed = apply_new_thresholds()
        messages.info(
            request,
            _(
                "The standings of the current fiscal year (%(count)s projects) now use the new "
                "thresholds; the other years follow at the next scheduled refresh_standings."
            )
            % {"count": refreshed},
        )


@admin.register(ScheduleSettings)
class ScheduleSettingsAdmin(ThresholdsAdmin):
    list_display = ["behind_points", "critical_points"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ScheduleSettings.objects.exists()


@admin.register(FlagSettings)
class FlagSettingsAdmin(ThresholdsAdmin):
    list_display = ["high_score", "full_score", "overshoot_factor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not FlagSettings.objects.exists()
