"""Plain builders for KPI tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tidtam.indicators.models import EvaluationCriterion, Kpi, KpiResult, KpiScore, KpiSupport
from tidtam.orgs.models import Agency
from tidtam.projects.models import FiscalYear, Project


def make_kpi(
    code: str = "9999-0001",
    *,
    agency: Agency,
    fiscal_year: int = 2563,
    projects: tuple[Project, ...] = (),
    **overrides: Any,
) -> Kpi:
    values: dict[str, Any] = {
        "text": "ร้อยละของงานที่แล้วเสร็จ",
        "unit": "ร้อยละ",
        "target": Decimal(80),
        "kpi_type": "strategic",
        "origin": "manual",
    }
    values.update(overrides)
    kpi = Kpi.objects.create(
        code=code, agency=agency, fiscal_year=FiscalYear.ensure(fiscal_year), **values
    )
    for order, project in enumerate(projects):
        KpiSupport.objects.create(kpi=kpi, project=project, order=order)
    return kpi


def add_results(
    kpi: Kpi, results: dict[int, tuple[str | None, str]], *, status: str = "approved"
) -> None:
    """Quarterly results given as {quarter: (value, narrative)}, approved unless told."""
    quarters = {q.number: q for q in kpi.fiscal_year.quarters.all()}
    for number, (value, narrative) in results.items():
        KpiResult.objects.create(
            kpi=kpi,
            quarter=quarters[number],
            result=Decimal(value) if value is not None else None,
            narrative=narrative,
            status=status,
        )


def add_scores(kpi: Kpi, scores: dict[tuple[int, str], str]) -> None:
    quarters = {q.number: q for q in kpi.fiscal_year.quarters.all()}
    for (number, code), score in scores.items():
        criterion, _ = EvaluationCriterion.objects.get_or_create(
            code=code, defaults={"order": int(code.replace(".", ""))}
        )
        KpiScore.objects.create(
            kpi=kpi, quarter=quarters[number], criterion=criterion, score=Decimal(score)
        )
