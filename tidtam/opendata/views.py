"""The open-data page: the fiscal years with published projects, each with its package (asked
for as a background job, shared by every reader of the same data), and the feeds explained."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tidtam.jobs.actions import start_job_once
from tidtam.lib.language import current_language
from tidtam.opendata.package import JOB_KIND, LICENSE, fingerprint, job_title
from tidtam.opendata.tables import TABLES, public_scope, published_years


@dataclass(frozen=True)
class YearRow:
    year: int
    projects: int


@dataclass(frozen=True)
class TableRow:
    name: str
    title: str
    description: str


@dataclass(frozen=True)
class OpenDataPage:
    years: list[YearRow]
    tables: list[TableRow]
    license_title: str
    license_url: str


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    english = current_language() == "en"
    page = OpenDataPage(
        years=[YearRow(year, count) for year, count in published_years()],
        tables=[
            TableRow(
                t.name,
                t.title_en if english else t.title_th,
                t.description_en if english else t.description_th,
            )
            for t in TABLES
        ],
        license_title=LICENSE["title"],
        license_url=LICENSE["path"],
    )
    return render(request, "opendata/open_data.html", {"view": page})


@require_POST
def open_data_package(request: HttpRequest, year: int) -> HttpResponseBase:
    """The year's package: the reader's job making it, or one made for the same data already
    (shared at once); a year without published projects is a 404."""
    scope = public_scope(year)
    if scope is None or not scope.projects.exists():
        raise Http404("no open data for this year")
    job = start_job_once(
        kind=JOB_KIND,
        title=job_title(year),
        parameters={"fiscal_year": year},
        fingerprint=fingerprint(scope),
        suffix=".zip",
        request=request,
    )
    return redirect("job-detail", job.pk)
