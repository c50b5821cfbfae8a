"""A project's standing from its official facts: pure, so the stored standing, the project
page and the tests compute exactly the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from tidtam.indicators.achievement import achievement
from tidtam.lib.fiscal import fiscal_year_of
from tidtam.projects.schedule import (
    Assessment,
    Status,
    Thresholds,
    assess,
    plan_end,
    planned_percent,
)
from tidtam.reporting.models import next_month
from tidtam.standing.facts import KpiRecord, OfficialFacts
from tidtam.standing.flags import Flag, FlagThresholds, ProjectFacts, project_flags

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class KpiValues:
    achieved: Decimal | None
    ratio: Decimal | None
    met: bool | None
    quarters_reported: int


def kpi_values(kpi: KpiRecord) -> KpiValues:
    achieved = kpi.achieved
    standing = achievement(achieved, kpi.target, kpi.direction)
    return KpiValues(
        achieved=achieved,
        ratio=standing.ratio,
        met=standing.met,
        quarters_reported=sum(1 for v in kpi.results.values() if v is not None),
    )


@dataclass(frozen=True)
class StandingValues:
    fiscal_year: int
    as_of: date
    next_refresh: date | None
    assessment: Assessment
    planned_today: Decimal
    plan_end: date | None
    missing_report: bool
    flags: list[Flag] = field(default_factory=list)
    kpi_count: int = 0
    kpis_met: int = 0
    kpi_achievement: Decimal | None = None
    evaluation_score: Decimal | None = None
    budget_allocated: Decimal | None = None
    budget_released: Decimal = Decimal(0)
    budget_spent: Decimal | None = None
    spent_on: date | None = None
    open_problems: int = 0
    rebaselined: bool = False
    # The official series, for the page that draws and lists them.
    reports: list[tuple[date, Decimal]] = field(default_factory=list)
    evaluations: list[tuple[int, int, Decimal]] = field(default_factory=list)
    # For a project measured as a quantity: what each report gave, and the latest one's.
    quantities: dict[date, Decimal] = field(default_factory=dict)
    reported_quantity: Decimal | None = None


def latest_evaluation(evaluations: list[tuple[int, int, Decimal]]) -> tuple[int, Decimal] | None:
    """(quarter, score) of the latest evaluated quarter."""
    if not evaluations:
        return None
    _, quarter, score = max(evaluations, key=lambda row: (row[0], row[1]))
    return quarter, score


def next_refresh(
    facts: OfficialFacts, end: date | None, completed: bool, today: date
) -> date | None:
    """The next day the calendar alone can change the standing.

    While the plan runs, planned progress moves every day, and the months without a report
    are counted until the month after the plan's last step; a project of the current (or a
    coming) fiscal year that is not complete owes a report every month. After that only new
    facts change it.
    """
    if end is not None and today < next_month(end):
        return today + ONE_DAY
    if not completed and facts.fiscal_year >= fiscal_year_of(today):
        return today + ONE_DAY
    return None


def compute(
    facts: OfficialFacts,
    *,
    today: date,
    schedule: Thresholds,
    flag_thresholds: FlagThresholds,
) -> StandingValues:
    assessment = assess(facts.steps, facts.reports, today=today, thresholds=schedule)
    evaluation = latest_evaluation(facts.evaluations)
    kpi_facts = [kpi.facts() for kpi in facts.kpis]
    flags = project_flags(
        ProjectFacts(
            steps=facts.steps,
            reports=facts.reports,
            status=assessment.status,
            evaluation=evaluation,
            kpis=kpi_facts,
        ),
        flag_thresholds,
        today,
    )
    ratios = []
    met = 0
    for record, kpi in zip(facts.kpis, kpi_facts, strict=True):
        standing = achievement(kpi.achieved, kpi.target, record.direction)
        if standing.ratio is not None:
            ratios.append(standing.ratio)
        if standing.met:
            met += 1
    spent = [(d, v) for d, v in facts.spending if d <= today]
    end = plan_end(facts.steps)
    completed = facts.completed or assessment.status == Status.COMPLETED
    return StandingValues(
        fiscal_year=facts.fiscal_year,
        as_of=today,
        next_refresh=next_refresh(facts, end, completed, today),
        assessment=assessment,
        planned_today=planned_percent(facts.steps, today),
        plan_end=end,
        missing_report=(
            facts.fiscal_year == fiscal_year_of(today)
            and not facts.month_reported
            and not facts.completed
        ),
        flags=flags,
        kpi_count=len(kpi_facts),
        kpis_met=met,
        kpi_achievement=(
            (sum(ratios, Decimal(0)) * 100 / len(ratios)).quantize(Decimal("0.01"))
            if ratios
            else None
        ),
        evaluation_score=evaluation[1] if evaluation else None,
        budget_allocated=facts.budget,
        budget_released=facts.released,
        budget_spent=spent[-1][1] if spent else None,
        spent_on=spent[-1][0] if spent else None,
        open_problems=facts.open_problems,
        rebaselined=facts.rebaselined,
        reports=sorted(facts.reports),
        evaluations=sorted(facts.evaluations, reverse=True),
        quantities=dict(facts.quantities),
        reported_quantity=(
            facts.quantities.get(assessment.reported_on) if assessment.reported_on else None
        ),
    )
