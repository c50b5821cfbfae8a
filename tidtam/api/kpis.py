"""KPIs: the list with the web list's filters, and one KPI with its quarters."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Path, Query, Router

from tidtam.api.errors import ERROR_STATUSES, ErrorOut
from tidtam.api.params import CODE, YEAR, ListQuery
from tidtam.api.projects import agency_ref
from tidtam.api.schemas import KpiDetail, KpiList, KpiQuarterOut, KpiRow, number
from tidtam.api.security import reader
from tidtam.dashboards.filters import ListFilters, years_with
from tidtam.indicators.access import get_kpi_for_user, kpis_for_user
from tidtam.indicators.kpi_page import build_kpi_page
from tidtam.indicators.models import Kpi
from tidtam.lib.replica import reading_from_replica
from tidtam.standing.models import KpiStanding

router = Router(tags=["kpis"])


def _row(kpi: Kpi) -> KpiRow:
    standing: KpiStanding | None = getattr(kpi, "standing", None)
    return KpiRow(
        code=kpi.code,
        fiscal_year=kpi.fiscal_year_id,
        agency=agency_ref(kpi.agency),
        text=kpi.text,
        unit=kpi.unit,
        kpi_type=kpi.kpi_type,
        target=number(kpi.target),
        achieved=number(standing.achieved) if standing else None,
        percent_of_target=number(standing.percent_of_target) if standing else None,
        met=standing.met if standing else None,
    )


@router.get(
    "/kpis",
    response={200: KpiList, ERROR_STATUSES: ErrorOut},
    url_name="kpis",
    summary="KPIs the reader may see, filtered as the web list",
)
def kpi_list(request: HttpRequest, query: Query[ListQuery]) -> KpiList:
    with reading_from_replica():
        visible = kpis_for_user(reader(request))
        filters = ListFilters.from_request(request, years_with(visible))
        kpis = filters.apply(visible.for_list().select_related("standing").search(filters.query))
        paginator = Paginator(kpis, query.page_size)
        rows: list[Kpi] = []
        if query.page <= paginator.num_pages and paginator.count:
            rows = list(paginator.page(query.page).object_list)
        return KpiList(
            count=paginator.count,
            page=query.page,
            page_size=query.page_size,
            pages=paginator.num_pages if paginator.count else 0,
            results=[_row(kpi) for kpi in rows],
        )


@router.get(
    "/kpis/{fiscal_year}/{code}",
    response={200: KpiDetail, ERROR_STATUSES: ErrorOut},
    url_name="kpi",
    summary="One KPI of a fiscal year, with its quarters as its page shows them to the reader",
)
def kpi_detail(request: HttpRequest, fiscal_year: Path[YEAR], code: Path[CODE]) -> KpiDetail:
    kpi = get_kpi_for_user(reader(request), code, fiscal_year=fiscal_year)
    page = build_kpi_page(kpi, reader(request))
    row = _row(kpi)
    return KpiDetail(
        **row.model_dump(),
        level=kpi.level,
        definition=kpi.definition,
        method=kpi.method,
        data_source=kpi.data_source,
        direction=kpi.direction,
        mode=kpi.mode,
        quarters=[
            KpiQuarterOut(
                number=q.number,
                start=q.quarter.start,
                end=q.quarter.end,
                closed=q.closed,
                result=number(q.result),
                status=q.entry.status if q.entry else None,
                narrative=q.narrative,
                scores={
                    c.code: number(score) for c, score in zip(page.criteria, q.scores, strict=True)
                },
            )
            for q in page.quarters
        ],
        projects=[p.project.code for p in page.projects],
    )
