"""Projects: the list with the web list's filters, and one project as its page shows it."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from tidtam.api.errors import ERROR_STATUSES, ErrorOut
from tidtam.api.inputs import PlanIn, ProjectCreate, ProjectFields, ProjectScoreIn, ProjectUpdate
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
from tidtam.api.security import reader, writer
from tidtam.dashboards.filters import CappedPaginator, list_projects
from tidtam.dashboards.project_page import build_project_page
from tidtam.indicators.access import get_project_to_score, get_quarter
from tidtam.indicators.actions import score_project
from tidtam.lib.replica import reading_from_replica
from tidtam.orgs.models import Agency, Unit
from tidtam.projects import actions as project_actions
from tidtam.projects.access import get_agency_for_new_project, get_project_for_user
from tidtam.projects.models import Project
from tidtam.reporting.models import ProgressReport
from tidtam.standing.models import ProjectStanding
from tidtam.standing.present import status_label
from tidtam.strategy.models import Plan, PlanNode

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
        # A page past the end is empty here, not the last one as on the web list.
        page = listing.page(query.page_size, str(query.page), empty_past_end=True)
        paginator = page.paginator
        rows: list[Project] = list(page.object_list)
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
                sample=block.kpi.is_sample,
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


# --- Writes: a project, its operating plan, an evaluator's score ---


class ProjectSaved(Schema):
    code: str
    version: int
    # Steps that run outside the project's fiscal year: allowed, but flagged on its page.
    steps_outside_year: list[int] = []


def _lookup_errors(body: ProjectFields) -> tuple[dict[str, Unit | None], list[PlanNode]]:
    """The units and plan nodes the body names by code; a code naming none is refused at its
    field (the actions then check that the units are the agency's)."""
    errors: dict[str, list[str]] = {}
    units: dict[str, Unit | None] = {}
    for name in ("owning_unit", "reporting_unit"):
        code = getattr(body, name)
        units[name] = Unit.objects.filter(code=code).first() if code else None
        if code and units[name] is None:
            errors[name] = [_("There is no unit with this code.")]
    nodes = []
    for n, link in enumerate(body.plan_links):
        node = PlanNode.objects.filter(plan__code=link.plan, code=link.node).first()
        if node is None:
            errors[f"plan_links.{n}"] = [_("There is no such node in this plan.")]
        else:
            nodes.append(node)
    if errors:
        raise ValidationError(errors)
    return units, nodes


def project_input(body: ProjectFields) -> project_actions.ProjectInput:
    units, nodes = _lookup_errors(body)
    return project_actions.ProjectInput(
        name=body.name,
        fiscal_year=body.fiscal_year,
        rationale=body.rationale,
        budget=body.budget,
        owning_unit=units["owning_unit"],
        reporting_unit=units["reporting_unit"],
        responsible_unit=body.responsible_unit,
        progress_unit=body.progress_unit,
        progress_target=body.progress_target,
        published=body.published,
        objectives=[text.strip() for text in body.objectives if text.strip()],
        targets=[text.strip() for text in body.targets if text.strip()],
        links=nodes,
        contacts=[
            project_actions.ContactInput(
                c.name.strip(), c.phone.strip(), c.email.strip(), c.phone_public
            )
            for c in body.contacts
            if c.name.strip()
        ],
    )


@router.post(
    "/projects",
    response={201: ProjectSaved, ERROR_STATUSES: ErrorOut},
    url_name="project-create",
    summary="Register a project of one of your agencies (then give it its operating plan)",
)
def project_create(request: HttpRequest, body: ProjectCreate) -> Status[ProjectSaved]:
    user = writer(request)
    agency = get_agency_for_new_project(user, body.agency)
    project = project_actions.create_project(
        agency=agency, code=body.code.strip(), data=project_input(body), by=user
    )
    return Status(201, ProjectSaved(code=project.code, version=project.version))


@router.put(
    "/projects/{code}",
    response={200: ProjectSaved, ERROR_STATUSES: ErrorOut},
    url_name="project-update",
    summary="Change a project's record (every field; `version` as it was read)",
)
def project_update(request: HttpRequest, code: Path[CODE], body: ProjectUpdate) -> ProjectSaved:
    user = writer(request)
    project = get_project_for_user(user, code, write=True)
    saved = project_actions.update_project(
        project=project,
        expected_version=body.version,
        data=project_input(body),
        by=user,
        reason=body.reason,
    )
    return ProjectSaved(code=saved.code, version=saved.version)


@router.put(
    "/projects/{code}/plan",
    response={200: ProjectSaved, ERROR_STATUSES: ErrorOut},
    url_name="project-plan",
    summary="Make the project's operating plan exactly these steps",
    description=(
        "Weights add up to 100. Once a report on the plan has been approved, a change is a "
        "re-baseline: it needs a `reason`, and the plan as it stood is kept."
    ),
)
def project_plan(request: HttpRequest, code: Path[CODE], body: PlanIn) -> ProjectSaved:
    user = writer(request)
    project = get_project_for_user(user, code, write=True)
    steps = [
        project_actions.StepInput(n, step.text.strip(), step.weight, step.start, step.end)
        for n, step in enumerate(body.steps, 1)
    ]
    saved = project_actions.replace_plan(
        project=project,
        expected_version=body.version,
        steps=steps,
        by=user,
        reason=body.reason,
    )
    return ProjectSaved(
        code=saved.code,
        version=saved.version,
        steps_outside_year=project_actions.steps_outside_year(saved, steps),
    )


class ProjectScoreOut(Schema):
    code: str
    fiscal_year: int
    quarter: int
    score: float | None


@router.put(
    "/projects/{code}/quarters/{quarter}/score",
    response={200: ProjectScoreOut, ERROR_STATUSES: ErrorOut},
    url_name="project-score",
    summary="The evaluator's quarterly score of a project, on the rating scale",
)
def project_score(
    request: HttpRequest,
    code: Path[CODE],
    quarter: Path[Annotated[int, Field(ge=1, le=4)]],
    body: ProjectScoreIn,
) -> ProjectScoreOut:
    user = writer(request)
    project = get_project_to_score(user, code)
    period = get_quarter(project.fiscal_year_id, quarter)
    score_project(project=project, quarter=period, score=body.score, by=user)
    stored = project.evaluations.filter(quarter=period).first()
    return ProjectScoreOut(
        code=project.code,
        fiscal_year=project.fiscal_year_id,
        quarter=quarter,
        score=number(stored.score) if stored else None,
    )
