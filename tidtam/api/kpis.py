"""KPIs: the list with the web list's filters, and one KPI with its quarters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from tidtam.api.errors import ERROR_STATUSES, ErrorOut
from tidtam.api.inputs import KpiResultIn, KpiScoresIn, ReviewIn
from tidtam.api.params import CODE, YEAR, ListQuery
from tidtam.api.projects import agency_ref
from tidtam.api.schemas import KpiDetail, KpiList, KpiQuarterOut, KpiRow, number
from tidtam.api.security import reader, writer
from tidtam.audit.write import Actor
from tidtam.dashboards.filters import ListFilters, years_with
from tidtam.indicators import actions
from tidtam.indicators.access import (
    get_kpi_for_user,
    get_kpi_to_score,
    get_quarter,
    get_result_for_user,
    kpis_for_user,
)
from tidtam.indicators.kpi_page import build_kpi_page
from tidtam.indicators.models import EvaluationCriterion, Kpi, KpiResult, KpiScore
from tidtam.lib.replica import reading_from_replica
from tidtam.standing.models import KpiStanding

router = Router(tags=["kpis"])


def _row(kpi: Kpi) -> KpiRow:
    standing: KpiStanding | None = getattr(kpi, "standing", None)
    return KpiRow(
        code=kpi.code,
        fiscal_year=kpi.fiscal_year_id,
        agency=agency_ref(kpi.agency),
        sample=kpi.is_sample,
        text=kpi.text,
        unit=kpi.unit,
        kpi_type=kpi.kpi_type,
        target=number(kpi.target),
        achieved=number(standing.achieved) if standing else None,
        percent_of_target=number(standing.percent_of_target) if standing else None,
        met=standing.met if standing else None,
    )


@router.get(
    "/kpis",
    response={200: KpiList, ERROR_STATUSES: ErrorOut},
    url_name="kpis",
    summary="KPIs the reader may see, filtered as the web list",
)
def kpi_list(request: HttpRequest, query: Query[ListQuery]) -> KpiList:
    with reading_from_replica():
        visible = kpis_for_user(reader(request))
        filters = ListFilters.from_request(request, years_with(visible))
        kpis = filters.apply(visible.for_list().select_related("standing").search(filters.query))
        paginator = Paginator(kpis, query.page_size)
        rows: list[Kpi] = []
        if query.page <= paginator.num_pages and paginator.count:
            rows = list(paginator.page(query.page).object_list)
        return KpiList(
            count=paginator.count,
            page=query.page,
            page_size=query.page_size,
            pages=paginator.num_pages if paginator.count else 0,
            results=[_row(kpi) for kpi in rows],
        )


@router.get(
    "/kpis/{fiscal_year}/{code}",
    response={200: KpiDetail, ERROR_STATUSES: ErrorOut},
    url_name="kpi",
    summary="One KPI of a fiscal year, with its quarters as its page shows them to the reader",
)
def kpi_detail(request: HttpRequest, fiscal_year: Path[YEAR], code: Path[CODE]) -> KpiDetail:
    kpi = get_kpi_for_user(reader(request), code, fiscal_year=fiscal_year)
    page = build_kpi_page(kpi, reader(request))
    row = _row(kpi)
    return KpiDetail(
        **row.model_dump(),
        level=kpi.level,
        definition=kpi.definition,
        method=kpi.method,
        data_source=kpi.data_source,
        direction=kpi.direction,
        mode=kpi.mode,
        quarters=[
            KpiQuarterOut(
                number=q.number,
                start=q.quarter.start,
                end=q.quarter.end,
                closed=q.closed,
                result=number(q.result),
                status=q.entry.status if q.entry else None,
                narrative=q.narrative,
                scores={c.code: number(score) for c, score in q.scores},
            )
            for q in page.quarters
        ],
        projects=[p.project.code for p in page.projects],
    )


# --- Writes: quarterly results and their review, evaluators' scores ---

QUARTER = Annotated[int, Field(ge=1, le=4)]


class KpiResultOut(Schema):
    kpi: str
    fiscal_year: int
    quarter: int
    result: float | None
    narrative: str
    # draft, submitted, returned or approved
    status: str
    review_comment: str
    version: int


class KpiScoresOut(Schema):
    kpi: str
    fiscal_year: int
    quarter: int
    scores: dict[str, float]


def _result_out(row: KpiResult) -> KpiResultOut:
    row = KpiResult.objects.select_related("kpi", "quarter").get(pk=row.pk)
    return KpiResultOut(
        kpi=row.kpi.code,
        fiscal_year=row.quarter.fiscal_year_id,
        quarter=row.quarter.number,
        result=number(row.result),
        narrative=row.narrative,
        status=row.status,
        review_comment=row.review_comment,
        version=row.version,
    )


RESULT_PATH = "/kpis/{fiscal_year}/{code}/quarters/{quarter}/result"


@router.put(
    RESULT_PATH,
    response={200: KpiResultOut, ERROR_STATUSES: ErrorOut},
    url_name="kpi-result-enter",
    summary="Enter a KPI's result for a quarter that has begun (and submit it with `submit`)",
)
def kpi_result_enter(
    request: HttpRequest,
    fiscal_year: Path[YEAR],
    code: Path[CODE],
    quarter: Path[QUARTER],
    body: KpiResultIn,
) -> KpiResultOut:
    user = writer(request)
    kpi = get_kpi_for_user(user, code, fiscal_year=fiscal_year, write=True)
    period = get_quarter(fiscal_year, quarter)
    row = actions.enter_kpi_result(
        kpi=kpi,
        quarter=period,
        result=body.result,
        narrative=body.narrative,
        by=user,
        expected_version=body.version,
        submit=body.submit,
    )
    return _result_out(row)


# The review steps of a result, each an operation: (step, summary, an approver's step, the act).
ReviewStep = tuple[str, str, bool, Callable[[KpiResult, Actor, ReviewIn], object]]
REVIEW_STEPS: list[ReviewStep] = [
    (
        "submit",
        "Submit a draft or returned result to the agency's approvers",
        False,
        lambda row, user, body: actions.submit_kpi_result(
            row=row, by=user, expected_version=body.version
        ),
    ),
    (
        "approve",
        "Approve a submitted result (not one you entered): it is public from then on",
        True,
        lambda row, user, body: actions.approve_kpi_result(
            row=row, by=user, comment=body.comment, expected_version=body.version
        ),
    ),
    (
        "return",
        "Send a submitted result back to its officer, saying what to correct",
        True,
        lambda row, user, body: actions.return_kpi_result(
            row=row, by=user, comment=body.comment, expected_version=body.version
        ),
    ),
]


def _review_operation(step: str, summary: str, review: bool, act: Callable[..., object]) -> None:
    def operation(
        request: HttpRequest,
        fiscal_year: Path[YEAR],
        code: Path[CODE],
        quarter: Path[QUARTER],
        body: ReviewIn,
    ) -> KpiResultOut:
        user = writer(request)
        row = get_result_for_user(
            user, code, fiscal_year, quarter, submit=not review, review=review
        )
        with transaction.atomic():
            act(row, user, body)
        return _result_out(row)

    router.post(
        f"{RESULT_PATH}/{step}",
        response={200: KpiResultOut, ERROR_STATUSES: ErrorOut},
        url_name=f"kpi-result-{step}",
        operation_id=f"tidtam_api_kpis_kpi_result_{step}",
        summary=summary,
    )(operation)


for review_step in REVIEW_STEPS:
    _review_operation(*review_step)


@router.put(
    "/kpis/{fiscal_year}/{code}/quarters/{quarter}/scores",
    response={200: KpiScoresOut, ERROR_STATUSES: ErrorOut},
    url_name="kpi-scores",
    summary="An evaluator's scores of a KPI for a quarter, one per criterion",
    description="Criteria left out keep their scores. Scores are levels of the rating scale.",
)
def kpi_scores(
    request: HttpRequest,
    fiscal_year: Path[YEAR],
    code: Path[CODE],
    quarter: Path[QUARTER],
    body: KpiScoresIn,
) -> KpiScoresOut:
    user = writer(request)
    kpi = get_kpi_to_score(user, code, fiscal_year)
    period = get_quarter(fiscal_year, quarter)
    criteria = {c.code: c for c in EvaluationCriterion.objects.filter(code__in=body.scores)}
    if unknown := sorted(body.scores.keys() - criteria.keys()):
        raise ValidationError(
            {
                f"scores.{c}": [_("There is no evaluation criterion with this code.")]
                for c in unknown
            }
        )
    actions.score_kpi(
        kpi=kpi,
        quarter=period,
        scores={criteria[c]: score for c, score in body.scores.items()},
        by=user,
    )
    stored = KpiScore.objects.filter(kpi=kpi, quarter=period).select_related("criterion")
    return KpiScoresOut(
        kpi=kpi.code,
        fiscal_year=fiscal_year,
        quarter=quarter,
        scores={s.criterion.code: float(s.score) for s in stored},
    )
