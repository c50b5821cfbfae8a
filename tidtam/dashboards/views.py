"""Pages composed from several apps: home, the project list and the project page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tidtam.accounts.access import access_for
from tidtam.accounts.models import Membership
from tidtam.dashboards.filters import (
    ListFilters,
    ListPage,
    agencies_with,
    page_of,
    years_with,
)
from tidtam.dashboards.project_page import build_project_page
from tidtam.projects.access import get_project_for_user, projects_for_user
from tidtam.projects.models import Project
from tidtam.reporting.models import ProgressReport
from tidtam.standing.models import ProjectStanding, StandingStatus

PAGE_SIZE = 50


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    projects = projects_for_user(request.user)
    fiscal_years = years_with(projects)
    latest = fiscal_years[0].year if fiscal_years else None
    by_status = (
        dict(
            ProjectStanding.objects.filter(
                fiscal_year=latest,
                # The year's visible projects only: SQLite lists the subquery's keys first.
                project__in=projects.filter(fiscal_year_id=latest).values("pk"),
            )
            .order_by()
            .values("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        if latest is not None
        else {}
    )
    return render(
        request,
        "dashboards/home.html",
        {
            "project_count": projects.count(),
            "agency_count": len(agencies_with(projects)),
            "fiscal_years": fiscal_years,
            "latest_year": latest,
            "statuses": [
                StatusCount(status.value, str(status.label), by_status[status.value])
                for status in StandingStatus
                if by_status.get(status.value)
            ],
        },
    )


@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    visible = projects_for_user(request.user)
    years = years_with(visible)
    filters = ListFilters.from_request(request, years)
    projects = filters.apply(visible.for_list().search(filters.query))
    page = page_of(
        projects, request.GET.get("page"), size=PAGE_SIZE, related=("agency", "standing")
    )
    context = ListPage(
        page=page,
        query=filters.query,
        fiscal_year=filters.fiscal_year,
        agency=filters.agency,
        fiscal_years=years,
        agencies=agencies_with(visible),
        total=page.paginator.count,
    )
    return render(request, "dashboards/project_list.html", {"view": context})


@require_GET
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    project = get_project_for_user(request.user, code, related=("standing",))
    return render(
        request,
        "dashboards/project_detail.html",
        {"view": build_project_page(project, request.user)},
    )


@dataclass
class MyWorkPage:
    memberships: list[Membership]
    editable: list[Project]
    creates_projects: bool = False
    # Submitted reports of the agencies the user approves, and their own agencies' drafts and
    # returned reports: the first screenful, the rest one click away.
    to_review: list[ProgressReport] | None = None
    to_complete: list[ProgressReport] | None = None


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    """Where a signed-in user starts: their roles and the projects they answer for."""
    context = MyWorkPage(
        memberships=list(request.user.memberships.select_related("agency")),  # type: ignore[union-attr]
        editable=list(
            Project.objects.editable_by(request.user).for_list().select_related("standing")[:200]
        ),
        creates_projects=bool(access_for(request.user).officer_of),
        to_review=list(ProgressReport.objects.awaiting_review_by(request.user).for_list()[:50]),
        to_complete=list(ProgressReport.objects.to_complete_by(request.user).for_list()[:50]),
    )
    return render(request, "dashboards/my_work.html", {"view": context})
