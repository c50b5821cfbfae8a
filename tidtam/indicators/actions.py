"""Audited writes on KPIs, their quarterly results and scores, and project evaluations."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tidtam.audit import write
from tidtam.audit.write import Actor, SyncResult, action
from tidtam.indicators.models import (
    EvaluationCriterion,
    Kpi,
    KpiResult,
    KpiScore,
    KpiSupport,
    ProjectEvaluation,
)
from tidtam.orgs.models import Agency
from tidtam.projects.models import FiscalYear, Project, Quarter


def criteria_by_code(codes: set[str]) -> dict[str, EvaluationCriterion]:
    if not codes:
        return {}
    known = {c.code: c for c in EvaluationCriterion.objects.filter(code__in=codes)}
    for n, code in enumerate(sorted(codes - known.keys()), len(known) + 1):
        known[code] = EvaluationCriterion.objects.create(code=code, order=n)
    return known


@action
def upsert_kpi(
    *,
    code: str,
    fiscal_year: FiscalYear,
    agency: Agency,
    values: Mapping[str, Any],
    by: Actor,
    reason: str,
    known_new: bool = False,
) -> tuple[Kpi, bool]:
    kpi = None if known_new else Kpi.objects.filter(fiscal_year=fiscal_year, code=code).first()
    if kpi is None:
        kpi = Kpi(code=code, fiscal_year=fiscal_year, agency=agency, **values)
        return write.save(kpi, by=by, reason=reason), True
    if write.assign(kpi, values):
        write.save(kpi, by=by, reason=reason)
    return kpi, False


@action
def link_kpi(
    *, kpi: Kpi, project: Project, order: int, by: Actor, reason: str, new: bool = False
) -> None:
    support = None if new else KpiSupport.objects.filter(kpi=kpi, project=project).first()
    if support is None:
        write.save(KpiSupport(kpi=kpi, project=project, order=order), by=by, reason=reason)
    elif support.order != order:
        support.order = order
        write.save(support, by=by, reason=reason)


@action
def set_kpi_quarters(
    *,
    kpi: Kpi,
    quarters: Mapping[int, Quarter],
    results: Mapping[int, Decimal],
    scores: Mapping[tuple[int, str], Decimal],
    by: Actor,
    reason: str,
    new: bool = False,
    criteria: Mapping[str, EvaluationCriterion] | None = None,
) -> SyncResult:
    """Record quarterly results {quarter: value} and scores {(quarter, criterion): score}.

    `criteria` may carry the criteria already looked up by a caller that records many KPIs.
    """
    needed = {criterion for _, criterion in scores}
    if criteria is None or not needed <= criteria.keys():
        criteria = criteria_by_code(needed)
    done = write.sync_rows(
        KpiResult,
        existing=[] if new else kpi.results.select_related("quarter"),
        key=lambda r: r.quarter.number,
        wanted={q: {"result": value} for q, value in results.items()},
        make=lambda q, v: KpiResult(kpi=kpi, quarter=quarters[q], **v),
        by=by,
        reason=reason,
        delete_missing=False,
    )
    scored = write.sync_rows(
        KpiScore,
        existing=[] if new else kpi.scores.select_related("quarter", "criterion"),
        key=lambda s: (s.quarter.number, s.criterion.code),
        wanted={k: {"score": value} for k, value in scores.items()},
        make=lambda k, v: KpiScore(kpi=kpi, quarter=quarters[k[0]], criterion=criteria[k[1]], **v),
        by=by,
        reason=reason,
        delete_missing=False,
    )
    return write.SyncResult(done.created + scored.created, done.updated + scored.updated, 0)


@action
def set_project_evaluation(
    *,
    project: Project,
    quarter: Quarter,
    score: Decimal | None,
    by: Actor,
    reason: str,
    new: bool = False,
) -> bool:
    evaluation = (
        None if new else ProjectEvaluation.objects.filter(project=project, quarter=quarter).first()
    )
    if evaluation is None:
        write.save(
            ProjectEvaluation(project=project, quarter=quarter, score=score), by=by, reason=reason
        )
        return True
    if evaluation.score != score:
        evaluation.score = score
        write.save(evaluation, by=by, reason=reason)
        return True
    return False
