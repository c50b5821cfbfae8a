"""What the project page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tidtam.indicators.models import Kpi, ProjectEvaluation
from tidtam.lib.fiscal import fiscal_year_bounds
from tidtam.projects.chart import progress_chart_svg
from tidtam.projects.models import (
    DataWarning,
    PlanLink,
    PlanStep,
    Project,
    ProjectContact,
    ProjectItem,
)
from tidtam.projects.schedule import StepWindow, planned_curve, planned_percent
from tidtam.reporting.models import ProgressReport


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
    today: date
    # Planned progress on the latest report's date (today when nothing is reported yet).
    planned_on: date
    planned_then: Decimal
    current_percent: Decimal | None = None
    latest_evaluation: ProjectEvaluation | None = None
    weight_total: Decimal = field(default=Decimal(0))


def _kpi_blocks(project: Project) -> list[KpiBlock]:
    kpis = list(
        Kpi.objects.filter(supports__project=project)
        .order_by("supports__order", "code")
        .prefetch_related("results__quarter", "scores__quarter", "scores__criterion")
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
    reports = list(ProgressReport.objects.filter(project=project).visible_to(user).newest_first())
    steps = list(project.steps.all())
    contacts = [
        ContactRow(c.person.name, c.person.phone if c.person.phone_visible_to(user) else "")
        for c in ProjectContact.objects.filter(project=project).select_related("person__agency")
    ]
    evaluations = list(project.evaluations.select_related("quarter"))
    logged_in = bool(getattr(user, "is_authenticated", False))
    today = timezone.localdate()
    step_windows = [StepWindow(s.weight, s.start, s.end) for s in steps]
    start, end = fiscal_year_bounds(project.fiscal_year_id)
    if steps:
        start = min(start, min(s.start for s in steps))
        end = max(end, max(s.end for s in steps))
    chart = progress_chart_svg(
        planned=planned_curve(step_windows),
        actual=[(r.report_date, r.percent) for r in reversed(reports)],
        start=start,
        end=end,
        today=today,
        lang=get_language() or "th",
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
        kpis=_kpi_blocks(project),
        evaluations=evaluations,
        warnings=list(project.warnings.filter(resolved=False)) if logged_in else [],
        chart_svg=chart,
        today=today,
        planned_on=reports[0].report_date if reports else today,
        planned_then=planned_percent(step_windows, reports[0].report_date if reports else today),
        current_percent=reports[0].percent if reports else None,
        latest_evaluation=evaluations[0] if evaluations else None,
        weight_total=sum((s.weight for s in steps), Decimal(0)),
    )
