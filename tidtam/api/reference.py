"""What every reader may see: agencies, plan trees, problem categories and the rating scale."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema

from tidtam.api.errors import ERROR_STATUSES, ErrorOut
from tidtam.api.params import CODE
from tidtam.api.schemas import AgencyOut, PlanLevelOut, PlanNodeOut, PlanOut, PlanTree
from tidtam.indicators.models import EvaluationCriterion, RatingLevel
from tidtam.orgs.models import Agency
from tidtam.reporting.models import ProblemCategory
from tidtam.strategy.models import Plan, PlanNode

router = Router(tags=["reference"])


@router.get(
    "/agencies",
    response={200: list[AgencyOut], ERROR_STATUSES: ErrorOut},
    url_name="agencies",
    summary="Every agency (that an agency exists is public)",
)
def agency_list(request: HttpRequest) -> list[AgencyOut]:
    return [
        AgencyOut(
            code=a.code,
            name_th=a.name_th,
            name_en=a.name_en,
            kind=a.kind,
            district_group=a.district_group.name_th if a.district_group else None,
        )
        for a in Agency.objects.select_related("district_group").order_by("code")
    ]


def _plan(plan: Plan) -> dict[str, Any]:
    return {
        "code": plan.code,
        "name_th": plan.name_th,
        "name_en": plan.name_en,
        "first_year": plan.first_year,
        "last_year": plan.last_year,
    }


@router.get(
    "/plans",
    response={200: list[PlanOut], ERROR_STATUSES: ErrorOut},
    url_name="plans",
    summary="Every plan (the city's 20-year plan is one)",
)
def plan_list(request: HttpRequest) -> list[PlanOut]:
    return [PlanOut(**_plan(plan)) for plan in Plan.objects.order_by("code")]


@router.get(
    "/plans/{code}",
    response={200: PlanTree, ERROR_STATUSES: ErrorOut},
    url_name="plan",
    summary="A plan's tree: its levels and every node",
)
def plan_tree(request: HttpRequest, code: Path[CODE]) -> PlanTree:
    plan = get_object_or_404(Plan, code=code)
    nodes = list(
        PlanNode.objects.filter(plan=plan).select_related("level", "parent").order_by("sort_key")
    )
    return PlanTree(
        **_plan(plan),
        levels=[
            PlanLevelOut(depth=lv.depth, key=lv.key, name_th=lv.name_th, name_en=lv.name_en)
            for lv in plan.levels.order_by("depth")
        ],
        nodes=[
            PlanNodeOut(
                code=node.code,
                parent=node.parent.code if node.parent else None,
                level=node.level.key,
                depth=node.level.depth,
                name_th=node.name_th,
                name_en=node.name_en,
                complete=node.complete,
            )
            for node in nodes
        ],
    )


class ProblemCategoryOut(Schema):
    id: int
    name_th: str
    name_en: str
    # Only active categories are offered for new problems (a report's `problems`).
    active: bool


class CriterionOut(Schema):
    code: str
    name_th: str
    name_en: str


class RatingLevelOut(Schema):
    value: float
    label_th: str
    label_en: str


class ScaleOut(Schema):
    # What an evaluator's scores are: a KPI is scored under each criterion, at a level.
    criteria: list[CriterionOut]
    levels: list[RatingLevelOut]


@router.get(
    "/problem-categories",
    response={200: list[ProblemCategoryOut], ERROR_STATUSES: ErrorOut},
    url_name="problem-categories",
    summary="The categories of problems and obstacles a monthly report raises",
)
def problem_categories(request: HttpRequest) -> list[ProblemCategoryOut]:
    return [
        ProblemCategoryOut(id=c.pk, name_th=c.name_th, name_en=c.name_en, active=c.active)
        for c in ProblemCategory.objects.all()
    ]


@router.get(
    "/rating-scale",
    response={200: ScaleOut, ERROR_STATUSES: ErrorOut},
    url_name="rating-scale",
    summary="The evaluation criteria and the rating scale evaluators score on",
)
def rating_scale(request: HttpRequest) -> ScaleOut:
    return ScaleOut(
        criteria=[
            CriterionOut(code=c.code, name_th=c.name_th, name_en=c.name_en)
            for c in EvaluationCriterion.objects.all()
        ],
        levels=[
            RatingLevelOut(
                value=float(level.value), label_th=level.label_th, label_en=level.label_en
            )
            for level in RatingLevel.objects.all()
        ],
    )
