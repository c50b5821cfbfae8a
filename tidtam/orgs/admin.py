from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tidtam.audit import write
from tidtam.lib.admin import HistoryAdmin, ReaderValues
from tidtam.orgs.actions import agency_name_values
from tidtam.orgs.models import Agency, DistrictGroup, Person, Unit


@admin.register(DistrictGroup)
class DistrictGroupAdmin(ReaderValues, admin.ModelAdmin[DistrictGroup]):
    search_fields = ["name_th", "name_en"]


@admin.register(Agency)
class AgencyAdmin(ReaderValues, HistoryAdmin[Agency]):
    list_display = ["code", "name_th", "kind", "district_group", "origin"]
    list_filter = ["kind", "district_group", "origin"]
    search_fields = ["code", "name_th", "name_en"]
    exclude = ["name_key"]

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        write.assign(obj, agency_name_values(obj.name_th))
        super().save_model(request, obj, form, change)


@admin.register(Unit)
class UnitAdmin(ReaderValues, HistoryAdmin[Unit]):
    list_display = ["code", "name_th", "agency", "origin"]
    search_fields = ["code", "name_th"]
    list_select_related = ["agency"]


@admin.register(Person)
class PersonAdmin(ReaderValues, HistoryAdmin[Person]):
    list_display = ["name", "agency", "phone", "phone_public"]
    search_fields = ["name"]
    list_select_related = ["agency"]
