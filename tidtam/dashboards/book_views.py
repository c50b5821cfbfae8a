"""The pages that offer a report book: what the book would hold for this reader, its options,
and the button that asks for it (a background job, or the same book made earlier).

Anyone who may read the lists may ask (see dashboards.books): the book holds what they see.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tidtam.dashboards.book_pdf import prepare_book, request_book
from tidtam.dashboards.books import (
    AGENCY_BOOK,
    KPI_REPORT,
    NO_KPIS,
    NO_PROJECTS,
    PLAN_BOOK,
    BookRefused,
    BookSpec,
    BookSubject,
    book_count,
    find_subject,
)
from tidtam.lib.language import current_language
from tidtam.projects.models import Quarter


@dataclass
class BookPage:
    subject: BookSubject
    count: int
    quarters: list[Quarter]
    quarter: int | None
    thai_digits: bool
    # Thai digits are offered in Thai only.
    offers_digits: bool
    back_url: str
    error: str = ""

    @property
    def empty_reason(self) -> str:
        spec = self.subject.spec
        return str(
            BookRefused(NO_KPIS if spec.kind == KPI_REPORT else NO_PROJECTS, year=spec.fiscal_year)
        )

    @property
    def is_kpi_report(self) -> bool:
        return self.subject.spec.kind == KPI_REPORT


def _default_quarter(quarters: list[Quarter]) -> int | None:
    """A KPI report is of a quarter: the latest one that has started, else the first."""
    today = timezone.localdate()
    started = [q.number for q in quarters if q.has_started(today)]
    return started[-1] if started else (quarters[0].number if quarters else None)


def _back_url(spec: BookSpec) -> str:
    if spec.kind == KPI_REPORT:
        return f"{reverse('kpi-list')}?fy={spec.fiscal_year}&agency={spec.agency}"
    if spec.kind == PLAN_BOOK:
        return f"{reverse('project-list')}?fy={spec.fiscal_year}&node={spec.node}"
    return f"{reverse('project-list')}?fy={spec.fiscal_year}&agency={spec.agency}"


def _options(request: HttpRequest, spec: BookSpec) -> tuple[BookSpec, str]:
    """The spec with the options the form posted, or the reason they are refused."""
    asked = request.POST.get("quarter", "")
    quarter = None
    if asked:
        if asked not in ("1", "2", "3", "4"):
            return spec, _("Choose a quarter from 1 to 4.")
        quarter = int(asked)
    if spec.kind == KPI_REPORT and quarter is None:
        return spec, _("Choose the quarter of the KPI report.")
    thai = request.POST.get("digits") == "thai" and current_language() == "th"
    return BookSpec(**(spec.parameters() | {"quarter": quarter, "thai_digits": thai})), ""


def _book_page(request: HttpRequest, spec: BookSpec) -> HttpResponseBase:
    subject = find_subject(spec)
    error = ""
    if request.method == "POST":
        spec, error = _options(request, spec)
        if not error:
            try:
                job = request_book(prepare_book(spec, request.user), request)
            except BookRefused as refused:
                error = str(refused)
            else:
                return redirect("job-detail", job.pk)
    quarters = list(subject.fiscal_year.quarters.order_by("number"))
    quarter = spec.quarter
    if quarter is None and spec.kind == KPI_REPORT:
        quarter = _default_quarter(quarters)
    page = BookPage(
        subject=subject,
        count=book_count(request.user, spec),
        quarters=quarters,
        quarter=quarter,
        thai_digits=spec.thai_digits,
        offers_digits=current_language() == "th",
        back_url=_back_url(spec),
        error=error,
    )
    return render(request, "books/book_page.html", {"view": page})


@require_http_methods(["GET", "POST"])
def agency_book(request: HttpRequest, code: str, year: int) -> HttpResponse | HttpResponseBase:
    """The report book of an agency's projects of a fiscal year."""
    return _book_page(request, BookSpec(kind=AGENCY_BOOK, fiscal_year=year, agency=code[:8]))


@require_http_methods(["GET", "POST"])
def plan_book(request: HttpRequest, node: int, year: int) -> HttpResponse | HttpResponseBase:
    """The report book of the projects linked to a plan node or any node below it."""
    return _book_page(request, BookSpec(kind=PLAN_BOOK, fiscal_year=year, node=node))


@require_http_methods(["GET", "POST"])
def kpi_book(request: HttpRequest, code: str, year: int) -> HttpResponse | HttpResponseBase:
    """The quarterly KPI report of an agency."""
    return _book_page(request, BookSpec(kind=KPI_REPORT, fiscal_year=year, agency=code[:8]))
