"""KPI pages: the list, one KPI, quarterly entry and scoring, closing a quarter."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tidtam.indicators.access import get_kpi_for_user, kpis_for_user
from tidtam.indicators.kpi_page import build_kpi_page
from tidtam.orgs.models import Agency
from tidtam.projects.models import FiscalYear

PAGE_SIZE = 50


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@dataclass
class KpiListPage:
    page: Page
    query: str
    fiscal_year: int | None
    agency: str
    fiscal_years: list[FiscalYear]
    agencies: list[Agency]
    total: int


@require_GET
def kpi_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    fiscal_year = _int_or_none(request.GET.get("fy"))
    agency = request.GET.get("agency", "").strip()[:8]
    visible = kpis_for_user(request.user)
    kpis = visible.for_list().search(query)
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
        fiscal_years=list(FiscalYear.objects.filter(kpis__in=visible).distinct()),
        agencies=list(Agency.objects.filter(kpis__in=visible).distinct().order_by("code")),
        total=paginator.count,
    )
    return render(request, "indicators/kpi_list.html", {"view": context})


@require_GET
def kpi_detail(request: HttpRequest, code: str) -> HttpResponse:
    kpi = get_kpi_for_user(request.user, code, fiscal_year=_int_or_none(request.GET.get("fy")))
    return render(
        request, "indicators/kpi_detail.html", {"view": build_kpi_page(kpi, request.user)}
    )
