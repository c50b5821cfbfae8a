"""Pages composed from several apps: home, the project list and the project page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from tidtam.dashboards.exports import table_response
from tidtam.dashboards.filters import (
    SORTS,
    CappedPaginator,
    ProjectFilters,
    ProjectListChoices,
    list_projects,
    project_list_choices,
    years_with,
)
from tidtam.dashboards.my_work import build_my_work, build_review_queue
from tidtam.dashboards.portfolio import Dashboard, build_dashboard, dashboard_tables
from tidtam.dashboards.printing import PrintOptions, build_project_print
from tidtam.dashboards.project_page import build_project_page
from tidtam.dashboards.public_cache import public_page
from tidtam.lib.language import current_language
from tidtam.lib.pdf import render_pdf
from tidtam.lib.replica import replica_reads
from tidtam.lib.web import int_or_none, year_or_none
from tidtam.projects.access import get_project_for_user, projects_for_user
from tidtam.reporting.access import require_reviewer

PAGE_SIZE = 50


def _dashboard(request: HttpRequest) -> Dashboard:
    visible = projects_for_user(request.user)
    return build_dashboard(
        visible,
        years_with(visible),
        fiscal_year=year_or_none(request.GET.get("fy")),
        quarter=int_or_none(request.GET.get("quarter"), low=1, high=4),
        plan_code=request.GET.get("plan", "")[:50],
        lang=current_language(),
        today=timezone.localdate(),
    )


@require_GET
@public_page
@replica_reads
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard of a fiscal year and quarter, over the projects the reader may see."""
    return render(request, "dashboards/home.html", {"view": _dashboard(request)})


@require_GET
@replica_reads
def dashboard_export(request: HttpRequest, table: str, fmt: str) -> HttpResponseBase:
    """One table of the dashboard, for the same year, quarter and plan, as CSV or XLSX."""
    board = _dashboard(request)
    tables = dashboard_tables(board)
    if table not in tables:
        raise Http404("no such table")
    return table_response(
        tables[table],
        fmt,
        filename=f"tidtam-dashboard-{board.fiscal_year}-{table}.{fmt}",
        lang=current_language(),
    )


@dataclass
class ProjectListPage:
    page: Page[Any]
    filters: ProjectFilters
    choices: ProjectListChoices
    total: int
    # Each sortable column's link: sorted by it, or reversed when it is the order already.
    sort_urls: dict[str, str]
    more: bool = False  # words over every year: more than `total` match, the first are listed


@require_GET
@public_page
@replica_reads
def project_list(request: HttpRequest) -> HttpResponse:
    listing = list_projects(request)
    number = request.GET.get("page")
    page = listing.page(PAGE_SIZE, number)
    paginator = page.paginator
    context = ProjectListPage(
        page=page,
        filters=listing.filters,
        choices=project_list_choices(
            listing.visible, listing.years, listing.filters, current_language()
        ),
        total=page.paginator.count,
        sort_urls={key: listing.filters.sort_url(key) for key in SORTS},
        more=isinstance(paginator, CappedPaginator) and paginator.more,
    )
    return render(request, "dashboards/project_list.html", {"view": context})


@require_GET
@public_page
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    project = get_project_for_user(request.user, code, related=("standing",))
    return render(
        request,
        "dashboards/project_detail.html",
        {"view": build_project_page(project, request.user)},
    )


def _print_context(request: HttpRequest, code: str) -> dict[str, object]:
    project = get_project_for_user(request.user, code, related=("standing",))
    return {
        "section": build_project_print(project, request.user),
        "options": PrintOptions.from_request(request),
    }


@require_GET
def project_print(request: HttpRequest, code: str) -> HttpResponse:
    """The project laid out for A4, as the reader may see it: the browser prints it as is."""
    return render(request, "print/project.html", _print_context(request, code))


@require_GET
def project_print_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The print view as a PDF, in the reader's language."""
    context = {**_print_context(request, code), "pdf": True}
    pdf = render_pdf(render_to_string("print/project.html", context, request=request))
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = content_disposition_header(False, f"{code}.pdf")
    if disposition:
        response["Content-Disposition"] = disposition
    return response


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    """Where a signed-in user starts: their roles, and each role's work of the day."""
    context = build_my_work(request.user, timezone.localdate())
    return render(request, "dashboards/my_work.html", {"view": context})


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """The monthly reports and the KPI results waiting for the approver's decision."""
    require_reviewer(request.user)
    page = build_review_queue(request.user, request.GET.get("page"))
    return render(request, "reporting/review_queue.html", {"view": page})
