"""The KPI list, with each KPI's stored standing (achieved from approved results only)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tidtam.accounts.access import access_for
from tidtam.indicators.access import kpis_for_user
from tidtam.lib.web import int_or_none
from tidtam.orgs.models import Agency
from tidtam.projects.models import FiscalYear

PAGE_SIZE = 50


@dataclass
class KpiListPage:
    page: Page
    query: str
    fiscal_year: int | None
    agency: str
    fiscal_years: list[FiscalYear]
    agencies: list[Agency]
    total: int
    creates_kpis: bool = False


@require_GET
def kpi_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    fiscal_year = int_or_none(request.GET.get("fy"))
    agency = request.GET.get("agency", "").strip()[:8]
    visible = kpis_for_user(request.user)
    kpis = visible.for_list().select_related("standing").search(query)
    if fiscal_year:
        kpis = kpis.filter(fiscal_year_id=fiscal_year)
    if agency:
        kpis = kpis.filter(agency__code=agency)
    paginator = Paginator(kpis, PAGE_SIZE)
    context = KpiListPage(
        page=paginator.get_page(request.GET.get("page")),
        query=query,
        fiscal_year=fiscal_year,
        agency=agency,
        fiscal_years=list(
            FiscalYear.objects.filter(
                Exists(visible.filter(fiscal_year=OuterRef("pk")).order_by())
            ).order_by("-year")
        ),
        agencies=list(
            Agency.objects.filter(
                Exists(visible.filter(agency=OuterRef("pk")).order_by())
            ).order_by("code")
        ),
        total=paginator.count,
        creates_kpis=bool(access_for(request.user).officer_of),
    )
    return render(request, "indicators/kpi_list.html", {"view": context})
