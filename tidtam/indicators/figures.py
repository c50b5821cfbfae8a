"""The official quarterly figures of KPIs, read in bulk: the one reader behind a KPI's
standing and the quarterly table the project page and the report books print."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from tidtam.indicators.models import KpiResult, KpiScore


@dataclass(frozen=True)
class QuarterFigures:
    """A KPI's approved result of each quarter and its recorded scores, by quarter and
    criterion code, in the criteria's order within each quarter."""

    results: dict[int, Decimal | None] = field(default_factory=dict)
    scores: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    # The order of each criterion scored (EvaluationCriterion.order), by its code.
    criterion_order: dict[str, int] = field(default_factory=dict)

    def criteria(self) -> list[str]:
        """The codes of the criteria scored in any quarter, in the criteria's order."""
        return sorted(self.criterion_order, key=lambda code: (self.criterion_order[code], code))

    def scores_by_quarter(self) -> dict[int, list[Decimal]]:
        """Each quarter's scores in the criteria's order, as the standing weighs them."""
        by_quarter: dict[int, list[Decimal]] = {}
        for (number, _code), score in self.scores.items():
            by_quarter.setdefault(number, []).append(score)
        return by_quarter


def official_figures(kpi_ids: Collection[int]) -> dict[int, QuarterFigures]:
    """The official figures of these KPIs (approved results, every recorded score), in two
    queries whatever their number; callers keep `kpi_ids` within a chunk of the standing's
    size."""
    figures = {pk: QuarterFigures() for pk in kpi_ids}
    if not figures:
        return figures
    for kpi_id, number, result in (
        KpiResult.objects.official()
        .filter(kpi_id__in=figures)
        .values_list("kpi_id", "quarter__number", "result")
    ):
        figures[kpi_id].results[number] = result
    for kpi_id, number, code, order, score in (
        KpiScore.objects.official()
        .filter(kpi_id__in=figures)
        .order_by("kpi_id", "quarter__number", "criterion__order", "criterion__code")
        .values_list("kpi_id", "quarter__number", "criterion__code", "criterion__order", "score")
    ):
        figures[kpi_id].scores[number, code] = score
        figures[kpi_id].criterion_order[code] = order
    return figures
