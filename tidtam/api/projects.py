"""Projects: the list with the web list's filters, and one project as its page shows it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router

from tidtam.api.errors import ERROR_STATUSES, ErrorOut
from tidtam.api.params import CODE, ProjectQuery
from tidtam.api.schemas import (
    AgencyRef,
    BudgetOut,
    ContactOut,
    EvaluationOut,
    FlagOut,
    PlanLinkOut,
    ProjectDetail,
    ProjectKpiOut,
    ProjectList,
    ProjectRow,
    QuarterResultOut,
    ReportOut,
    StandingOut,
    StepOut,
    number,
)
from tidtam.api.security import reader
from tidtam.dashboards.filters import CappedPaginator, list_projects
from tidtam.dashboards.project_page import build_project_page
from tidtam.lib.replica import reading_from_replica
from tidtam.orgs.models import Agency
from tidtam.projects.access import get_project_for_user
from tidtam.projects.models import Project
from tidtam.reporting.models import ProgressReport
from tidtam.standing.models import ProjectStanding
from tidtam.standing.present import status_label
from tidtam.strategy.models import Plan

router = Router(tags=["projects"])


def agency_ref(agency: Agency) -> AgencyRef:
    return AgencyRef(code=agency.code, name_th=agency.name_th, name_en=agency.name_en)


def _row(project: Project) -> ProjectRow:
    standing: ProjectStanding | None = getattr(project, "standing", None)
    return ProjectRow(
        code=project.code,
        name=project.name,
        fiscal_year=project.fiscal_year_id,
        agency=agency_ref(project.agency),
        published=project.published,
        sample=project.is_sample,
        budget=number(project.budget),
        status=standing.status if standing else None,
        status_label=status_label(standing.status) if standing else None,
        reported_percent=number(standing.reported_percent) if standing else None,
        reported_on=standing.reported_on if standing else None,
        planned_today=number(standing.planned_today) if standing else None,
        variance=number(standing.variance) if standing else None,
        days_late=standing.days_late if standing else None,
        missing_report=standing.missing_report if standing else None,
    )


@router.get(
    "/projects",
    response={200: ProjectList, ERROR_STATUSES: ErrorOut},
    url_name="projects",
    summary="Projects the reader may see, filtered as the web list",
)
def project_list(request: HttpRequest, query: Query[ProjectQuery]) -> ProjectList:
    with reading_from_replica():
        listing = list_projects(request)
        paginator = listing.filters.paginator(listing.rows, query.page_size)
        rows: list[Project] = []
        if query.page <= paginator.num_pages and paginator.count:
            rows = list(listing.page(query.page_size, str(query.page)).object_list)
        return ProjectList(
            count=paginator.count,
            page=query.page,
            page_size=query.page_size,
            pages=paginator.num_pages if paginator.count else 0,
            capped=isinstance(paginator, CappedPaginator) and paginator.more,
            results=[_row(project) for project in rows],
        )


@router.get(
    "/projects/{code}",
    response={200: ProjectDetail, ERROR_STATUSES: ErrorOut},
    url_name="project",
    summary="One project, as its page shows it to the reader",
)
def project_detail(request: HttpRequest, code: Path[CODE]) -> ProjectDetail:
    project = get_project_for_user(reader(request), code, related=("standing",))
    page = build_project_page(project, reader(request))
    standing = page.standing
    assert standing is not None  # build_project_page always gives one
    reports = ProgressReport.objects.filter(project=project).official().newest_first()
    plans = dict(Plan.objects.values_list("pk", "code"))
    return ProjectDetail(
        code=project.code,
        name=project.name,
        fiscal_year=project.fiscal_year_id,
        agency=agency_ref(project.agency),
        published=project.published,
        sample=project.is_sample,
        budget=number(project.budget),
        progress_unit=project.progress_unit,
        progress_target=number(project.progress_target),
        rationale=project.rationale,
        objectives=[item.text for item in page.objectives],
        targets=[item.text for item in page.targets],
        contacts=[ContactOut(name=c.name, phone=c.phone) for c in page.contacts],
        plan_links=[
            PlanLinkOut(
                plan=plans[link.node.plan_id],
                node=link.node.code,
                name_th=link.node.name_th,
                name_en=link.node.name_en,
            )
            for link in page.links
        ],
        steps=[
            StepOut(order=s.order, text=s.text, weight=float(s.weight), start=s.start, end=s.end)
            for s in page.steps
        ],
        reports=[
            ReportOut(
                report_date=r.report_date,
                percent=float(r.percent),
                quantity=number(r.quantity),
                spent=number(r.spent),
                narrative=r.narrative,
            )
            for r in reports
        ],
        kpis=[
            ProjectKpiOut(
                code=block.kpi.code,
                fiscal_year=block.kpi.fiscal_year_id,
                text=block.kpi.text,
                unit=block.kpi.unit,
                target=number(block.kpi.target),
                kpi_type=block.kpi.kpi_type,
                quarters=[
                    QuarterResultOut(number=q.number, result=number(q.result))
                    for q in block.quarters
                ],
            )
            for block in page.kpis
        ],
        standing=StandingOut(
            status=page.status,
            status_label=page.status_label,
            explanation=page.status_explanation,
            as_of=standing.as_of,
            planned_today=float(standing.planned_today),
            planned_on=page.planned_on,
            planned_then=float(page.planned_then),
            reported_percent=number(standing.reported_percent),
            reported_quantity=number(standing.reported_quantity),
            reported_on=standing.reported_on,
            variance=number(standing.variance),
            days_late=standing.days_late,
            spi=number(standing.spi),
            forecast_finish=standing.forecast_finish,
            plan_end=standing.plan_end,
            missing_report=standing.missing_report,
            rebaselined=page.rebaselined,
            open_problems=standing.open_problems,
            kpi_achievement=number(standing.kpi_achievement),
            evaluation_score=number(standing.evaluation_score),
            flags=[
                FlagOut(kind=f.kind, label=str(f.label), sentence=f.sentence) for f in page.flags
            ],
        ),
        budget_summary=BudgetOut(
            allocated=number(standing.budget_allocated),
            released=float(standing.budget_released),
            spent=number(standing.budget_spent),
            spent_on=standing.spent_on,
        ),
        evaluations=[
            EvaluationOut(fiscal_year=e.fiscal_year, quarter=e.quarter, score=float(e.score))
            for e in page.evaluations
        ],
    )
