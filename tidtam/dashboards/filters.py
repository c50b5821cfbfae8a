"""The filters the project and KPI lists share: what the query string asks for, and the years
and agencies to offer, each looked up per choice instead of by a pass over every row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from tidtam.lib.web import int_or_none
from tidtam.orgs.models import Agency
from tidtam.projects.models import FiscalYear


@dataclass
class ListPage:
    """What a filtered list page shows: a page of rows and the filters' state and choices."""

    page: Page
    query: str
    fiscal_year: int | None
    agency: str
    fiscal_years: list[FiscalYear]
    agencies: list[Agency]
    total: int
    # The reader may add a row (a KPI of their agency) from the list.
    can_create: bool = False


# The value of the year filter that asks for every year.
ALL_YEARS = "all"


@dataclass(frozen=True)
class ListFilters:
    query: str
    fiscal_year: int | None  # None: every year
    agency: str

    @classmethod
    def from_request(cls, request: HttpRequest, years: list[FiscalYear]) -> ListFilters:
        """The filters asked for. Without a year, the newest year with rows: a list is an
        annual plan first, and one year is what a page should have to count and sort."""
        asked = request.GET.get("fy")
        if asked is None or (asked != ALL_YEARS and int_or_none(asked) is None):
            year = years[0].year if years else None
        else:
            year = int_or_none(asked)
        return cls(
            query=request.GET.get("q", "").strip()[:100],
            fiscal_year=year,
            agency=request.GET.get("agency", "").strip()[:8],
        )

    def apply(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """Rows (projects or KPIs: both have a fiscal year and an agency) of the chosen year
        and agency; the text search is each list's own."""
        if self.fiscal_year:
            rows = rows.filter(fiscal_year_id=self.fiscal_year)
        if self.agency:
            rows = rows.filter(agency__code=self.agency)
        return rows


def years_with(rows: QuerySet[Any]) -> list[FiscalYear]:
    """The fiscal years that have one of these rows, newest first."""
    return list(
        FiscalYear.objects.filter(
            Exists(rows.filter(fiscal_year=OuterRef("pk")).order_by())
        ).order_by("-year")
    )


def agencies_with(rows: QuerySet[Any]) -> list[Agency]:
    return list(
        Agency.objects.filter(Exists(rows.filter(agency=OuterRef("pk")).order_by())).order_by(
            "code"
        )
    )


def page_of(
    rows: QuerySet[Any], number: str | None, *, size: int, related: tuple[str, ...]
) -> Page:
    """One page of the rows, in their order: the keys are sorted and counted narrow, and only
    the page's rows are read whole with `related` (sorting wide rows to skip thousands of
    them spilled to disk on PostgreSQL)."""
    page = Paginator(rows.values_list("pk", flat=True), size).get_page(number)
    keys = list(page.object_list)
    found = rows.model._default_manager.select_related(*related).in_bulk(keys)
    page.object_list = [found[key] for key in keys]
    return page
