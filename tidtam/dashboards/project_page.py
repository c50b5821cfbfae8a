"""What the project page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.db.models import Model, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tidtam.accounts.access import access_for
from tidtam.dashboards.timeline import StepRow, Timeline, build_timeline
from tidtam.indicators.figures import QuarterFigures, official_figures
from tidtam.indicators.models import Kpi, KpiSupport
from tidtam.lib.fiscal import fiscal_year_bounds
from tidtam.lib.language import current_language
from tidtam.lib.people import person_name
from tidtam.projects.chart import ProgressChart, progress_chart
from tidtam.projects.models import (
    BudgetInstalment,
    DataWarning,
    PlanLink,
    PlanStep,
    Project,
    ProjectContact,
    ProjectItem,
)
from tidtam.projects.schedule import planned_curve
from tidtam.reporting.models import Problem, ProgressReport
from tidtam.standing.models import EvaluationRow, ProjectStanding
from tidtam.standing.present import FlagLine, explain, flag_lines, standing_of, status_label

T = TypeVar("T", bound=Model)


@dataclass(frozen=True)
class ContactRow:
    name: str
    phone: str  # empty when the viewer may not see it


@dataclass(frozen=True)
class QuarterRow:
    number: int
    result: Decimal | None
    scores: list[Decimal | None]


@dataclass(frozen=True)
class KpiBlock:
    kpi: Kpi
    criteria: list[str]
    quarters: list[QuarterRow]


@dataclass(frozen=True)
class BudgetSummary:
    allocated: Decimal | None
    instalments: list[BudgetInstalment]
    released: Decimal
    spent: Decimal | None
    spent_on: date | None

    @property
    def released_percent(self) -> Decimal | None:
        if not self.allocated:
            return None
        return self.released * 100 / self.allocated

    @property
    def spent_percent(self) -> Decimal | None:
        if not self.allocated or self.spent is None:
            return None
        return self.spent * 100 / self.allocated


def _budget(project: Project, standing: ProjectStanding) -> BudgetSummary:
    return BudgetSummary(
        allocated=standing.budget_allocated,
        instalments=list(project.instalments.all()) if standing.budget_released else [],
        released=standing.budget_released,
        spent=standing.budget_spent,
        spent_on=standing.spent_on,
    )


@dataclass
class ProjectPage:
    project: Project
    objectives: list[ProjectItem]
    targets: list[ProjectItem]
    contacts: list[ContactRow]
    links: list[PlanLink]
    reports: list[ProgressReport]
    steps: list[PlanStep]
    kpis: list[KpiBlock]
    evaluations: list[EvaluationRow]
    warnings: list[DataWarning]
    chart: ProgressChart
    timeline: Timeline
    flags: list[FlagLine]
    status: str
    status_label: str
    status_explanation: str
    today: date
    # Planned progress on the latest report's date (today when nothing is reported yet).
    planned_on: date
    planned_then: Decimal
    current_percent: Decimal | None = None
    latest_evaluation: EvaluationRow | None = None
    weight_total: Decimal = field(default=Decimal(0))
    can_edit: bool = False
    can_evaluate: bool = False
    budget: BudgetSummary | None = None
    rebaselined: bool = False
    standing: ProjectStanding | None = None
    # The agency's own staff and the city-wide readers: they see phones, warnings and history.
    insider: bool = False

    @property
    def chart_svg(self) -> str:
        return self.chart.svg()


def _reports(user: object) -> QuerySet[ProgressReport]:
    """The reports the page lists: insiders also see drafts and submitted reports; every
    figure, the status and the flags come from the stored standing, derived from official
    facts only, so every reader sees the same standing."""
    return (
        ProgressReport.objects.visible_to(user)
        .prefetch_related(
            Prefetch("problems_opened", Problem.objects.select_related("category").order_by("id"))
        )
        .newest_first()
    )


# What `build_project_page` reads with the project itself (`projects_with_page_data`).
PAGE_RELATED = ("agency", "fiscal_year", "owning_unit", "reporting_unit", "standing")


def projects_with_page_data(projects: QuerySet[Project], user: object) -> QuerySet[Project]:
    """The projects with everything `build_project_page` reads for `user`, in a fixed number
    of queries whatever their number (the report books print hundreds): without it, the page
    reads a project's reports, contacts, links, KPIs and warnings with a query each."""
    return projects.select_related(*PAGE_RELATED).prefetch_related(
        "items",
        "steps",
        "instalments",
        "baselines",
        Prefetch("reports", queryset=_reports(user), to_attr="page_reports"),
        Prefetch(
            "contacts",
            queryset=ProjectContact.objects.select_related("person__agency").order_by("pk"),
            to_attr="page_contacts",
        ),
        Prefetch(
            "plan_links",
            queryset=PlanLink.objects.select_related("node__level").order_by("pk"),
            to_attr="page_links",
        ),
        Prefetch(
            "kpi_supports",
            queryset=KpiSupport.objects.select_related("kpi").order_by("order", "kpi__code"),
            to_attr="page_kpi_supports",
        ),
        Prefetch(
            "warnings", queryset=DataWarning.objects.filter(resolved=False), to_attr="page_warnings"
        ),
    )


def give_kpi_figures(projects: Sequence[Project]) -> None:
    """Read the quarterly figures of every KPI the projects (read by
    `projects_with_page_data`) support, in two queries for them all."""
    supports = [s for p in projects for s in p.__dict__.get("page_kpi_supports", [])]
    figures = official_figures({s.kpi_id for s in supports})
    for project in projects:
        project.page_kpi_figures = figures  # type: ignore[attr-defined]


def _kpi_blocks(project: Project) -> list[KpiBlock]:
    supports: list[KpiSupport] | None = project.__dict__.get("page_kpi_supports")
    if supports is not None:
        kpis = [s.kpi for s in supports]
    else:
        kpis = list(
            Kpi.objects.filter(supports__project=project).order_by("supports__order", "code")
        )
    figures: dict[int, QuarterFigures] | None = project.__dict__.get("page_kpi_figures")
    if figures is None:
        figures = official_figures([kpi.pk for kpi in kpis])
    blocks = []
    for kpi in kpis:
        figure = figures[kpi.pk]
        criteria = figure.criteria() or ["2.1", "2.2"]
        blocks.append(
            KpiBlock(
                kpi=kpi,
                criteria=criteria,
                quarters=[
                    QuarterRow(
                        q, figure.results.get(q), [figure.scores.get((q, c)) for c in criteria]
                    )
                    for q in range(1, 5)
                ],
            )
        )
    return blocks


def _read(project: Project, attr: str, query: QuerySet[T]) -> list[T]:
    """What `projects_with_page_data` read with the project under `attr`, else `query`."""
    fetched: list[T] | None = project.__dict__.get(attr)
    return list(query) if fetched is None else fetched


def build_project_page(project: Project, user: object) -> ProjectPage:
    items = list(project.items.all())
    reports = _read(project, "page_reports", _reports(user).filter(project=project))
    standing, flags = standing_of(project)
    points = standing.points
    steps = list(project.steps.all())
    access = access_for(user)
    insider = access.reads_agency(project.agency_id)
    contact_rows = _read(
        project,
        "page_contacts",
        ProjectContact.objects.filter(project=project).select_related("person__agency"),
    )
    contacts = [
        ContactRow(
            person_name(c.person), c.person.phone if c.person.phone_visible(insider=insider) else ""
        )
        for c in contact_rows
    ]
    evaluations = standing.evaluation_rows
    today = timezone.localdate()
    step_windows = [s.window for s in steps]
    start, end = fiscal_year_bounds(project.fiscal_year_id)
    if steps:
        start = min(start, min(s.start for s in steps))
        end = max(end, max(s.end for s in steps))
    lang = current_language()
    assessment = standing.assessment
    original = project.original_plan() if standing.rebaselined else None
    chart = progress_chart(
        planned=planned_curve(step_windows),
        baseline=planned_curve(original) if original is not None else None,
        actual=points,
        start=start,
        end=end,
        today=today,
        lang=lang,
        title=_("Planned and reported progress of %(code)s") % {"code": project.code},
        labels={
            "planned": _("Planned"),
            "actual": _("Reported"),
            "baseline": _("Original plan"),
            "today": _("Today"),
        },
        quantities=standing.quantities if project.measures_quantity else None,
        unit=project.progress_unit,
    )
    return ProjectPage(
        project=project,
        objectives=[i for i in items if i.kind == ProjectItem.Kind.OBJECTIVE],
        targets=[i for i in items if i.kind == ProjectItem.Kind.TARGET],
        contacts=contacts,
        links=_read(project, "page_links", project.plan_links.select_related("node__level")),
        reports=reports,
        steps=steps,
        kpis=_kpi_blocks(project),
        evaluations=evaluations,
        warnings=_read(project, "page_warnings", project.warnings.filter(resolved=False))
        if insider
        else [],
        chart=chart,
        flags=flag_lines(flags, lang),
        timeline=build_timeline(
            [StepRow(s.order, s.text, s.window) for s in steps],
            reported=standing.reported_percent,
            today=today,
            start=start,
            end=end,
            lang=lang,
        ),
        status=standing.status,
        status_label=status_label(standing.status),
        status_explanation=explain(assessment, lang),
        today=today,
        planned_on=assessment.reported_on or assessment.as_of,
        planned_then=assessment.planned,
        current_percent=standing.reported_percent,
        latest_evaluation=evaluations[0] if evaluations else None,
        weight_total=sum((s.weight for s in steps), Decimal(0)),
        insider=insider,
        can_edit=access.edits_agency(project.agency_id),
        can_evaluate=access.evaluator,
        budget=_budget(project, standing),
        rebaselined=original is not None,
        standing=standing,
    )
