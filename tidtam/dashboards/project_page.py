"""What the project page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tidtam.accounts.access import access_for
from tidtam.dashboards.flagged import FlagLine, project_page_flags
from tidtam.dashboards.timeline import StepRow, Timeline, build_timeline
from tidtam.indicators.models import Kpi, KpiResult, KpiScore, ProjectEvaluation
from tidtam.lib.fiscal import fiscal_year_bounds
from tidtam.lib.language import current_language
from tidtam.lib.thai import format_date
from tidtam.projects.chart import progress_chart_svg
from tidtam.projects.models import (
    BudgetInstalment,
    DataWarning,
    PlanLink,
    PlanStep,
    Project,
    ProjectContact,
    ProjectItem,
    ScheduleSettings,
)
from tidtam.projects.schedule import (
    Assessment,
    Status,
    assess,
    planned_curve,
)
from tidtam.reporting.models import Problem, ProgressReport, ReportStatus

STATUS_LABELS = {
    Status.NOT_STARTED: gettext_lazy("Not started"),
    Status.ON_TRACK: gettext_lazy("On track"),
    Status.BEHIND: gettext_lazy("Behind plan"),
    Status.CRITICAL: gettext_lazy("Critical"),
    Status.COMPLETED: gettext_lazy("Completed"),
    Status.NOT_REPORTED: gettext_lazy("Not reported this month"),
}


def explain(result: Assessment, lang: str) -> str:
    """One sentence on why the project has its status."""

    def day(value: date | None) -> str:
        return format_date(value, lang=lang) if value else ""

    if result.status == Status.COMPLETED:
        return _("Completed: 100 percent reported on %(date)s.") % {"date": day(result.reported_on)}
    if result.actual is None or result.variance is None:
        if result.status == Status.NOT_STARTED:
            return _("Nothing is planned or reported yet.")
        return _("No progress reported yet, while %(planned)s percent is planned by %(date)s.") % {
            "planned": result.planned,
            "date": day(result.as_of),
        }
    if result.variance < 0:
        sentence = _("%(points)s points behind plan on %(date)s") % {
            "points": -result.variance,
            "date": day(result.reported_on),
        }
    elif result.variance > 0:
        sentence = _("%(points)s points ahead of plan on %(date)s") % {
            "points": result.variance,
            "date": day(result.reported_on),
        }
    else:
        sentence = _("On plan on %(date)s") % {"date": day(result.reported_on)}
    if result.days_late is not None and result.days_late > 0:
        sentence += _(", about %(days)s days late") % {"days": result.days_late}
    if result.forecast_finish is not None and result.variance < 0:
        sentence += _(", forecast to finish on %(date)s") % {"date": day(result.forecast_finish)}
    sentence += "."
    if result.status == Status.NOT_REPORTED:
        sentence = _("No report this month.") + " " + sentence
    return sentence


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


def _budget(project: Project, reports: list[ProgressReport]) -> BudgetSummary:
    instalments = list(project.instalments.all())
    spent = next((r for r in reports if r.spent is not None), None)
    return BudgetSummary(
        allocated=project.budget,
        instalments=instalments,
        released=sum((i.amount for i in instalments), Decimal(0)),
        spent=spent.spent if spent else None,
        spent_on=spent.report_date if spent else None,
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
    evaluations: list[ProjectEvaluation]
    warnings: list[DataWarning]
    chart_svg: str
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
    latest_evaluation: ProjectEvaluation | None = None
    weight_total: Decimal = field(default=Decimal(0))
    can_edit: bool = False
    can_evaluate: bool = False
    budget: BudgetSummary | None = None
    rebaselined: bool = False
    # The agency's own staff and the city-wide readers: they see phones, warnings and history.
    insider: bool = False


def _kpi_blocks(project: Project) -> list[KpiBlock]:
    kpis = list(
        Kpi.objects.filter(supports__project=project)
        .order_by("supports__order", "code")
        .prefetch_related(
            Prefetch("results", queryset=KpiResult.objects.select_related("quarter")),
            Prefetch("scores", queryset=KpiScore.objects.select_related("quarter", "criterion")),
        )
    )
    blocks = []
    for kpi in kpis:
        scores = {(s.quarter.number, s.criterion.code): s.score for s in kpi.scores.all()}
        criteria = sorted({code for _, code in scores}) or ["2.1", "2.2"]
        results = {r.quarter.number: r.result for r in kpi.results.all()}
        blocks.append(
            KpiBlock(
                kpi=kpi,
                criteria=criteria,
                quarters=[
                    QuarterRow(q, results.get(q), [scores.get((q, c)) for c in criteria])
                    for q in range(1, 5)
                ],
            )
        )
    return blocks


def build_project_page(project: Project, user: object) -> ProjectPage:
    items = list(project.items.all())
    reports = list(
        ProgressReport.objects.filter(project=project)
        .visible_to(user)
        .prefetch_related(
            Prefetch("problems_opened", Problem.objects.select_related("category").order_by("id"))
        )
        .newest_first()
    )
    # Figures, status and flags come from approved reports only, so that every reader sees the
    # same standing; insiders also see drafts and submitted reports in the list.
    official = [r for r in reports if r.status == ReportStatus.APPROVED]
    points = [(r.report_date, r.percent) for r in official]
    steps = list(project.steps.all())
    access = access_for(user)
    insider = access.reads_agency(project.agency_id)
    contacts = [
        ContactRow(c.person.name, c.person.phone if c.person.phone_visible(insider=insider) else "")
        for c in ProjectContact.objects.filter(project=project).select_related("person__agency")
    ]
    evaluations = list(project.evaluations.select_related("quarter"))
    today = timezone.localdate()
    step_windows = [s.window for s in steps]
    start, end = fiscal_year_bounds(project.fiscal_year_id)
    if steps:
        start = min(start, min(s.start for s in steps))
        end = max(end, max(s.end for s in steps))
    lang = current_language()
    assessment = assess(
        step_windows,
        points,
        today=today,
        thresholds=ScheduleSettings.current(),
    )
    original = project.original_plan()
    kpi_blocks = _kpi_blocks(project)
    chart = progress_chart_svg(
        planned=planned_curve(step_windows),
        baseline=planned_curve(original) if original is not None else None,
        actual=points[::-1],
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
    )
    return ProjectPage(
        project=project,
        objectives=[i for i in items if i.kind == ProjectItem.Kind.OBJECTIVE],
        targets=[i for i in items if i.kind == ProjectItem.Kind.TARGET],
        contacts=contacts,
        links=list(project.plan_links.select_related("node__level")),
        reports=reports,
        steps=steps,
        kpis=kpi_blocks,
        evaluations=evaluations,
        warnings=list(project.warnings.filter(resolved=False)) if insider else [],
        chart_svg=chart,
        flags=project_page_flags(
            steps=step_windows,
            reports=points,
            status=assessment.status,
            evaluations=evaluations,
            kpis=[block.kpi for block in kpi_blocks],
            today=today,
            lang=lang,
        ),
        timeline=build_timeline(
            [StepRow(s.order, s.text, s.window) for s in steps],
            reported=official[0].percent if official else None,
            today=today,
            start=start,
            end=end,
            lang=lang,
        ),
        status=assessment.status,
        status_label=str(STATUS_LABELS[assessment.status]),
        status_explanation=explain(assessment, lang),
        today=today,
        planned_on=assessment.reported_on or assessment.as_of,
        planned_then=assessment.planned,
        current_percent=official[0].percent if official else None,
        latest_evaluation=evaluations[0] if evaluations else None,
        weight_total=sum((s.weight for s in steps), Decimal(0)),
        insider=insider,
        can_edit=access.edits_agency(project.agency_id),
        can_evaluate=access.evaluator,
        budget=_budget(project, official),
        rebaselined=original is not None,
    )
