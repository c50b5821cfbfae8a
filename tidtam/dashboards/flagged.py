"""The flags page: contradictions counted across the visible projects of a fiscal year, read
from the stored standings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tidtam.dashboards.filters import years_with
from tidtam.lib.language import current_language
from tidtam.lib.replica import replica_reads
from tidtam.lib.web import year_or_none
from tidtam.projects.access import projects_for_user
from tidtam.projects.models import FiscalYear, Project
from tidtam.standing.flags import KIND_LABELS, KINDS, FlagThresholds, describe
from tidtam.standing.models import ProjectStanding, StandingFlag
from tidtam.standing.refresh import flag_thresholds

PAGE_SIZE = 50


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
    page: Page[Any] | None
    rows: list[FlaggedProject]
    thresholds: FlagThresholds


def chosen_year(query: QueryDict, fiscal_years: list[FiscalYear]) -> int | None:
    """The year asked for, or the newest with visible projects (the page and its export)."""
    chosen = year_or_none(query.get("fy"))
    if chosen is None and fiscal_years:
        chosen = fiscal_years[0].year
    return chosen


@require_GET
@replica_reads
def flag_list(request: HttpRequest) -> HttpResponse:
    """Counts of each kind of flag across the visible projects of a fiscal year, and the
    projects flagged with one kind, read from the stored standings."""
    visible = projects_for_user(request.user)
    fiscal_years = years_with(visible)
    chosen = chosen_year(request.GET, fiscal_years)
    projects = visible.filter(fiscal_year_id=chosen)
    flags = StandingFlag.objects.filter(project__in=projects.values("pk"))
    counts = dict(
        flags.order_by()
        .values("kind")
        .annotate(n=Count("project", distinct=True))
        .values_list("kind", "n")
    )
    kind = request.GET.get("kind", "")
    page = None
    rows: list[FlaggedProject] = []
    if kind in KINDS:
        lang = current_language()
        flagged = (
            projects.filter(Exists(flags.filter(kind=kind, project=OuterRef("pk"))))
            .select_related("agency", "standing")
            .order_by("code")
        )
        page = Paginator(flagged, PAGE_SIZE).get_page(request.GET.get("page"))
        sentences: dict[int, list[str]] = {}
        for row in StandingFlag.objects.filter(
            project__in=[p.pk for p in page.object_list], kind=kind
        ):
            sentences.setdefault(row.project_id, []).append(describe(row.flag, lang))
        rows = [FlaggedProject(p, sentences.get(p.pk, [])) for p in page.object_list]
    else:
        kind = ""
    context = FlagsPage(
        fiscal_year=chosen,
        fiscal_years=fiscal_years,
        counts=[KindCount(k, str(KIND_LABELS[k]), counts.get(k, 0)) for k in KINDS],
        projects_flagged=(
            ProjectStanding.objects.filter(
                fiscal_year=chosen, flag_count__gt=0, project__in=projects.values("pk")
            ).count()
            if chosen is not None
            else 0
        ),
        projects_total=projects.count(),
        kind=kind,
        kind_label=str(KIND_LABELS[kind]) if kind else "",
        page=page,
        rows=rows,
        thresholds=flag_thresholds(),
    )
    return render(request, "dashboards/flags.html", {"view": context})
