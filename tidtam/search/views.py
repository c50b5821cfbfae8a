"""The search page: /search/?q=… over the projects the reader may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tidtam.lib.language import current_language
from tidtam.lib.thai import format_date
from tidtam.lib.web import int_or_none
from tidtam.projects.models import Project
from tidtam.search.passages import Source
from tidtam.search.query import CAP, PAGE_SIZE, Hit, search
from tidtam.search.snippet import Snippet
from tidtam.standing.present import status_label

MAX_QUERY = 200


def found_in(snippet: Snippet) -> str:
    """Where the passage comes from, in the reader's language."""
    if snippet.source == Source.REPORT and snippet.month is not None:
        month = format_date(snippet.month, style="month", lang=current_language())
        return _("Report of %(month)s") % {"month": month}
    labels = {
        Source.AGENCY: _("Agency"),
        Source.RATIONALE: _("Rationale"),
        Source.OBJECTIVE: _("Objective"),
        Source.TARGET: _("Project target"),
        Source.REPORT: _("Monthly report"),
        Source.PROBLEM: _("Problem"),
        Source.KPI: _("KPI"),
    }
    return labels[snippet.source]


@dataclass(frozen=True)
class HitRow:
    project: Project
    code: SafeString  # the query's terms marked
    name: SafeString
    status: str  # the standing's status, "" before the first refresh
    status_label: str
    found_in: str
    passage: SafeString | None


@dataclass(frozen=True)
class Pages:
    """What includes/_pagination.html reads from a Django page."""

    number: int
    num_pages: int

    @property
    def paginator(self) -> Pages:
        return self

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


@dataclass(frozen=True)
class SearchPage:
    query: str
    rows: list[HitRow]
    searched: bool  # the query had a term to look for
    total: int | None  # None: more than `cap`
    cap: int
    page: Pages
    first: int  # the number of the page's first result


def _row(hit: Hit) -> HitRow:
    standing = getattr(hit.project, "standing", None)
    return HitRow(
        project=hit.project,
        code=hit.code,
        name=hit.name,
        status=standing.status if standing else "",
        status_label=status_label(standing.status) if standing else "",
        found_in=found_in(hit.snippet) if hit.snippet else "",
        passage=hit.snippet.html if hit.snippet else None,
    )


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    results = search(request.user, query, page=int_or_none(request.GET.get("page")) or 1)
    view = SearchPage(
        query=query,
        rows=[_row(hit) for hit in results.hits],
        searched=bool(results.terms),
        total=results.total,
        cap=CAP,
        page=Pages(results.page, results.pages),
        first=(results.page - 1) * PAGE_SIZE + 1,
    )
    return render(request, "search/results.html", {"view": view})
