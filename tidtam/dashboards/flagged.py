"""Contradiction flags read from the database: for one project's page, and counted across the
visible projects of a fiscal year on the flags page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tidtam.standing.flags import (
    KIND_LABELS,
    KINDS,
    Flag,
    FlagThresholds,
    KpiFacts,
    ProjectFacts,
    describe,
    needs_status,
    project_flags,
)
from tidtam.indicators.achievement import achieved_value
from tidtam.indicators.models import FlagSettings, Kpi, KpiSupport, ProjectEvaluation
from tidtam.lib.language import current_language
from tidtam.lib.web import int_or_none
from tidtam.projects.access import projects_for_user
from tidtam.projects.models import FiscalYear, PlanStep, Project, ProjectQuerySet, ScheduleSettings
from tidtam.projects.schedule import StepWindow, schedule_status
from tidtam.reporting.models import ProgressReport

PAGE_SIZE = 50


def current_thresholds() -> FlagThresholds:
    row = FlagSettings.current()
    return FlagThresholds(
        high_score=row.high_score,
        full_score=row.full_score,
        overshoot_factor=row.overshoot_factor,
    )


def kpi_facts(kpi: Kpi) -> KpiFacts:
    """The facts of a KPI whose `results__quarter` and `scores__quarter` are prefetched."""
    results = {r.quarter.number: r.result for r in kpi.results.all()}
    scores: dict[int, list[Decimal]] = defaultdict(list)
    for score in kpi.scores.all():
        scores[score.quarter.number].append(score.score)
    derived = achieved_value(results, kpi.mode)
    return KpiFacts(
        code=kpi.code,
        target=kpi.target,
        achieved=derived if derived is not None else kpi.achieved,
        results=results,
        scores=dict(scores),
    )


def latest_evaluation(evaluations: Iterable[ProjectEvaluation]) -> tuple[int, Decimal] | None:
    scored = [
        (e.quarter.fiscal_year_id, e.quarter.number, e.score)
        for e in evaluations
        if e.score is not None
    ]
    if not scored:
        return None
    _, quarter, score = max(scored, key=lambda row: (row[0], row[1]))
    assert score is not None
    return quarter, score


def flags_by_project(projects: ProjectQuerySet, user: object, today: date) -> dict[int, list[Flag]]:
    """The flags of every project in `projects`, in a fixed number of queries.

    The schedule status is computed only for projects with a high evaluation score, the one
    rule it matters to: it is the costly part across thousands of projects.
    """
    ids = projects.values("pk")
    steps: dict[int, list[StepWindow]] = defaultdict(list)
    for project_id, weight, start, end in PlanStep.objects.filter(project__in=ids).values_list(
        "project_id", "weight", "start", "end"
    ):
        steps[project_id].append(StepWindow(weight, start, end))
    reports: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for project_id, day, percent in (
        ProgressReport.objects.filter(project__in=ids)
        .visible_to(user)
        .values_list("project_id", "report_date", "percent")
    ):
        reports[project_id].append((day, percent))
    evaluations: dict[int, list[ProjectEvaluation]] = defaultdict(list)
    for evaluation in ProjectEvaluation.objects.filter(project__in=ids).select_related("quarter"):
        evaluations[evaluation.project_id].append(evaluation)
    kpis = {
        kpi.pk: kpi_facts(kpi)
        for kpi in Kpi.objects.filter(supports__project__in=ids)
        .distinct()
        .prefetch_related("results__quarter", "scores__quarter")
    }
    supported: dict[int, list[KpiFacts]] = defaultdict(list)
    for kpi_id, project_id in (
        KpiSupport.objects.filter(project__in=ids)
        .order_by("project_id", "order")
        .values_list("kpi_id", "project_id")
    ):
        supported[project_id].append(kpis[kpi_id])
    thresholds = current_thresholds()
    schedule = ScheduleSettings.current()
    flags = {}
    for project_id in projects.values_list("pk", flat=True):
        facts = ProjectFacts(
            steps=steps[project_id],
            reports=reports[project_id],
            evaluation=latest_evaluation(evaluations[project_id]),
            kpis=supported[project_id],
        )
        if needs_status(facts, thresholds):
            status = schedule_status(facts.steps, facts.reports, today=today, thresholds=schedule)
            facts = ProjectFacts(
                steps=facts.steps,
                reports=facts.reports,
                status=status,
                evaluation=facts.evaluation,
                kpis=facts.kpis,
            )
        found = project_flags(facts, thresholds, today)
        if found:
            flags[project_id] = found
    return flags


@dataclass(frozen=True)
class FlagLine:
    kind: str
    label: str
    sentence: str


def project_page_flags(
    *,
    steps: list[StepWindow],
    reports: list[tuple[date, Decimal]],
    status: str,
    evaluations: Iterable[ProjectEvaluation],
    kpis: Iterable[Kpi],
    today: date,
    lang: str,
) -> list[FlagLine]:
    """The project page's flags from what the page has already read (KPIs with their
    `results__quarter` and `scores__quarter` prefetched)."""
    facts = ProjectFacts(
        steps=steps,
        reports=reports,
        status=status,
        evaluation=latest_evaluation(evaluations),
        kpis=[kpi_facts(kpi) for kpi in kpis],
    )
    return [
        FlagLine(flag.kind, flag.label, describe(flag, lang))
        for flag in project_flags(facts, current_thresholds(), today)
    ]


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class FlaggedProject:
    project: Project
    sentences: list[str]


@dataclass
class FlagsPage:
    fiscal_year: int | None
    fiscal_years: list[FiscalYear]
    counts: list[KindCount]
    projects_flagged: int
    projects_total: int
    kind: str
    kind_label: str
    page: Page | None
    rows: list[FlaggedProject]
    thresholds: FlagThresholds


@require_GET
def flag_list(request: HttpRequest) -> HttpResponse:
    """Counts of each kind of flag across the visible projects of a fiscal year, and the
    projects flagged with one kind."""
    visible = projects_for_user(request.user)
    fiscal_years = list(FiscalYear.objects.filter(projects__in=visible).distinct())
    chosen = int_or_none(request.GET.get("fy"))
    if chosen is None and fiscal_years:
        chosen = fiscal_years[0].year
    projects = visible.filter(fiscal_year_id=chosen)
    flags = flags_by_project(projects, request.user, timezone.localdate())
    counts = {kind: 0 for kind in KINDS}
    for found in flags.values():
        for kind in {flag.kind for flag in found}:
            counts[kind] += 1
    kind = request.GET.get("kind", "")
    page = None
    rows: list[FlaggedProject] = []
    if kind in KINDS:
        lang = current_language()
        flagged = (
            projects.filter(
                pk__in=[pk for pk, found in flags.items() if any(f.kind == kind for f in found)]
            )
            .select_related("agency")
            .order_by("code")
        )
        page = Paginator(flagged, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [
            FlaggedProject(
                project, [describe(f, lang) for f in flags[project.pk] if f.kind == kind]
            )
            for project in page.object_list
        ]
    else:
        kind = ""
    context = FlagsPage(
        fiscal_year=chosen,
        fiscal_years=fiscal_years,
        counts=[KindCount(k, str(KIND_LABELS[k]), counts[k]) for k in KINDS],
        projects_flagged=len(flags),
        projects_total=projects.count(),
        kind=kind,
        kind_label=str(KIND_LABELS[kind]) if kind else "",
        page=page,
        rows=rows,
        thresholds=current_thresholds(),
    )
    return render(request, "dashboards/flags.html", {"view": context})
