"""The official facts of a set of projects, read in bulk: the one place that decides which
facts count toward a standing.

Official means approved monthly reports, approved KPI results, the evaluators' recorded
scores and evaluations, the plan as it stands, budget instalments, and problems raised in
approved reports. Drafts, submitted and returned entries never count, whoever reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import islice

from django.db.models import Sum

from tidtam.indicators.achievement import achieved_value
from tidtam.indicators.figures import official_figures
from tidtam.indicators.models import Kpi, KpiSupport, ProjectEvaluation
from tidtam.projects.models import BudgetInstalment, PlanBaseline, PlanStep, Project
from tidtam.projects.schedule import StepWindow
from tidtam.reporting.models import Problem, ProgressReport, with_month_report
from tidtam.standing.flags import KpiFacts

# Projects per round of queries: bounded memory, and far below SQLite's parameter limit.
CHUNK = 2000


@dataclass
class KpiRecord:
    """A KPI's official facts, with what the flags and the KPI's standing need."""

    pk: int
    code: str
    target: Decimal | None
    recorded: Decimal | None  # the legacy page's stored "achieved"
    mode: str
    direction: str
    results: dict[int, Decimal | None] = field(default_factory=dict)
    scores: dict[int, list[Decimal]] = field(default_factory=dict)

    @property
    def achieved(self) -> Decimal | None:
        """From the approved quarterly results (None when no quarter is approved)."""
        return achieved_value(self.results, self.mode)

    def facts(self) -> KpiFacts:
        derived = self.achieved
        return KpiFacts(
            code=self.code,
            target=self.target,
            # A legacy KPI whose quarters were never entered keeps its recorded achievement.
            achieved=derived if derived is not None else self.recorded,
            results=dict(self.results),
            scores={q: list(s) for q, s in self.scores.items()},
        )


@dataclass
class OfficialFacts:
    project_id: int
    fiscal_year: int
    budget: Decimal | None
    # The month of `today` has a submitted or approved report; an approved report says 100 %.
    month_reported: bool = False
    completed: bool = False
    steps: list[StepWindow] = field(default_factory=list)
    # Approved reports: (date, cumulative percent), and the spending each reported.
    reports: list[tuple[date, Decimal]] = field(default_factory=list)
    spending: list[tuple[date, Decimal]] = field(default_factory=list)
    # The quantity each approved report gave, for a project measured as a quantity.
    quantities: dict[date, Decimal] = field(default_factory=dict)
    released: Decimal = Decimal(0)
    # Recorded quarterly evaluations: (fiscal year, quarter, score).
    evaluations: list[tuple[int, int, Decimal]] = field(default_factory=list)
    kpis: list[KpiRecord] = field(default_factory=list)
    open_problems: int = 0
    rebaselined: bool = False


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def load_kpis(kpi_ids: Iterable[int]) -> dict[int, KpiRecord]:
    """KPIs with their approved results and recorded scores, in three queries a chunk."""
    kpis: dict[int, KpiRecord] = {}
    for chunk in _chunks(sorted(set(kpi_ids))):
        figures = official_figures(chunk)
        for pk, code, target, recorded, mode, direction in Kpi.objects.filter(
            pk__in=chunk
        ).values_list("pk", "code", "target", "achieved", "mode", "direction"):
            kpis[pk] = KpiRecord(
                pk,
                code,
                target,
                recorded,
                mode,
                direction,
                results=figures[pk].results,
                scores=figures[pk].scores_by_quarter(),
            )
    return kpis


def load_official_facts(ids: list[int], today: date) -> dict[int, OfficialFacts]:
    """The official facts of every project in `ids` that exists, in a fixed number of
    queries; callers pass at most CHUNK ids (refresh_projects splits larger sets)."""
    facts = {
        pk: OfficialFacts(
            project_id=pk,
            fiscal_year=fiscal_year,
            budget=budget,
            month_reported=reported,
            completed=completed,
        )
        for pk, fiscal_year, budget, reported, completed in with_month_report(
            Project.objects.filter(pk__in=ids), today
        ).values_list(  # type: ignore[misc]  # annotations django-stubs cannot see
            "pk", "fiscal_year_id", "budget", "reported", "completed"
        )
    }
    if not facts:
        return facts
    for project_id, weight, start, end in (
        PlanStep.objects.filter(project_id__in=ids)
        .order_by("project_id", "order")
        .values_list("project_id", "weight", "start", "end")
    ):
        facts[project_id].steps.append(StepWindow(weight, start, end))
    for project_id, day, percent, spent, quantity in (
        ProgressReport.objects.official()
        .filter(project_id__in=ids)
        .order_by("project_id", "report_date")
        .values_list("project_id", "report_date", "percent", "spent", "quantity")
    ):
        row = facts[project_id]
        row.reports.append((day, percent))
        if spent is not None:
            row.spending.append((day, spent))
        if quantity is not None:
            row.quantities[day] = quantity
    for project_id, total in (
        BudgetInstalment.objects.filter(project_id__in=ids)
        .order_by()
        .values("project_id")
        .annotate(total=Sum("amount"))
        .values_list("project_id", "total")
    ):
        facts[project_id].released = total or Decimal(0)
    for project_id, year, number, score in (
        ProjectEvaluation.objects.official()
        .filter(project_id__in=ids)
        .values_list("project_id", "quarter__fiscal_year_id", "quarter__number", "score")
    ):
        if score is not None:  # official() leaves none without a score
            facts[project_id].evaluations.append((year, number, score))
    for project_id, count in Problem.objects.official_open_counts(ids):
        facts[project_id].open_problems = count
    for project_id in (
        PlanBaseline.objects.filter(project_id__in=ids)
        .order_by()
        .values_list("project_id", flat=True)
        .distinct()
    ):
        facts[project_id].rebaselined = True
    supports = list(
        KpiSupport.objects.filter(project_id__in=ids)
        .order_by("project_id", "order", "kpi__code")
        .values_list("project_id", "kpi_id")
    )
    kpis = load_kpis(kpi_id for _, kpi_id in supports)
    for project_id, kpi_id in supports:
        facts[project_id].kpis.append(kpis[kpi_id])
    return facts
