"""The KPI list, with each KPI's stored standing (achieved from approved results only)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tidtam.accounts.access import access_for
from tidtam.dashboards.filters import ListFilters, ListPage, agencies_with, years_with
from tidtam.indicators.access import kpis_for_user
from tidtam.lib.replica import replica_reads

PAGE_SIZE = 50


@require_GET
@replica_reads
def kpi_list(request: HttpRequest) -> HttpResponse:
    visible = kpis_for_user(request.user)
    years = years_with(visible)
    filters = ListFilters.from_request(request, years)
    kpis = filters.apply(visible.for_list().select_related("standing").search(filters.query))
    paginator = Paginator(kpis, PAGE_SIZE)
    context = ListPage(
        page=paginator.get_page(request.GET.get("page")),
        query=filters.query,
        fiscal_year=filters.fiscal_year,
        agency=filters.agency,
        fiscal_years=years,
        agencies=agencies_with(visible),
        total=paginator.count,
        can_create=bool(access_for(request.user).officer_of),
    )
    return render(request, "indicators/kpi_list.html", {"view": context})
