"""What the KPI page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from tidtam.accounts.access import access_for
from tidtam.indicators.access import can_enter_results, can_evaluate, kpis_for_user
from tidtam.indicators.achievement import Achievement, achieved_value, achievement
from tidtam.indicators.models import (
    EvaluationCriterion,
    Kpi,
    KpiResult,
    ProjectEvaluation,
)
from tidtam.lib import limits
from tidtam.projects.models import Project, Quarter

QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class KpiQuarter:
    quarter: Quarter
    result: Decimal | None
    narrative: str
    # Each criterion of KpiPage.criteria, in its order, with the quarter's score (None: none).
    scores: list[tuple[EvaluationCriterion, Decimal | None]]
    # The row as entered (None when nothing is entered or the viewer may not see it yet).
    entry: KpiResult | None = None
    # Whether the quarter has begun: results are entered and submitted from its first day.
    started: bool = True

    @property
    def number(self) -> int:
        return self.quarter.number

    @property
    def closed(self) -> bool:
        return self.quarter.closed_at is not None


@dataclass(frozen=True)
class SupportingProject:
    project: Project
    scores: list[Decimal | None]  # the quarterly project evaluation, in quarter order


@dataclass
class KpiPage:
    kpi: Kpi
    other_years: list[int]
    criteria: list[EvaluationCriterion]
    quarters: list[KpiQuarter]
    achieved: Decimal | None
    # the legacy page's stored "achieved", shown when it differs from the derived value
    recorded_differs: bool
    standing: Achievement
    projects: list[SupportingProject]
    can_enter: bool
    can_evaluate: bool
    can_review: bool = False
    insider: bool = False
    # The longest comment a returned result may carry.
    comment_limit: int = limits.PARAGRAPH

    @property
    def percent_of_target(self) -> Decimal | None:
        ratio = self.standing.ratio
        return ratio * 100 if ratio is not None else None


def build_kpi_page(kpi: Kpi, user: object) -> KpiPage:
    years = list(
        kpis_for_user(user)
        .filter(code=kpi.code)
        .exclude(pk=kpi.pk)
        .order_by("-fiscal_year_id")
        .values_list("fiscal_year_id", flat=True)
    )
    quarters = {
        q.number: q
        for q in Quarter.objects.filter(fiscal_year_id=kpi.fiscal_year_id, number__in=QUARTERS)
    }
    access = access_for(user)
    insider = access.reads_agency(kpi.agency_id)
    # Everyone sees approved results; the agency's staff and city-wide readers also see the
    # ones on their way. The achieved value counts official (approved) results only.
    # `entered_by_viewer`: an approver who entered a result may return it, not approve it.
    results = {
        r.quarter_id: r
        for r in KpiResult.objects.filter(kpi=kpi).visible_to(user).with_entered_by(user)
    }
    scores = {(s.quarter_id, s.criterion_id): s.score for s in kpi.scores.official()}
    criteria = list(EvaluationCriterion.objects.filter(pk__in={c for _, c in scores}))
    if not criteria:
        criteria = list(EvaluationCriterion.objects.all())
    rows = []
    today = timezone.localdate()
    for quarter in quarters.values():
        result = results.get(quarter.pk)
        rows.append(
            KpiQuarter(
                quarter=quarter,
                result=result.result if result else None,
                narrative=result.narrative if result else "",
                scores=[(c, scores.get((quarter.pk, c.pk))) for c in criteria],
                entry=result,
                started=quarter.has_started(today),
            )
        )
    achieved = achieved_value(
        dict(KpiResult.objects.official().filter(kpi=kpi).values_list("quarter__number", "result")),
        kpi.mode,
    )
    supporting = list(
        Project.objects.visible_to(user)
        .filter(kpi_supports__kpi=kpi)
        .select_related("agency")
        .order_by("code")
    )
    evaluations = {
        (e.project_id, e.quarter_id): e.score
        for e in ProjectEvaluation.objects.official().filter(project__in=supporting)
    }
    return KpiPage(
        kpi=kpi,
        other_years=years,
        criteria=criteria,
        quarters=rows,
        achieved=achieved,
        recorded_differs=kpi.achieved is not None and kpi.achieved != achieved,
        standing=achievement(achieved, kpi.target, kpi.direction),
        projects=[
            SupportingProject(p, [evaluations.get((p.pk, q.pk)) for q in quarters.values()])
            for p in supporting
        ],
        can_enter=can_enter_results(user, kpi),
        can_evaluate=can_evaluate(user),
        can_review=access.approves_agency(kpi.agency_id),
        insider=insider,
    )
