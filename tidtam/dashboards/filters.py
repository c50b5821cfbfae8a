"""The filters the project and KPI lists share, the project list's own filters and sorting, and
the years, agencies and other choices to offer, each looked up per choice instead of by a pass
over every row.

Every filter state is a query string, so a filtered list can be shared and the dashboard's
numbers can link to exactly the projects behind them (`ProjectFilters.url`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from functools import cached_property, lru_cache
from typing import Any, Self, overload
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.http import HttpRequest, QueryDict
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from tidtam.indicators.models import KpiSupport, KpiType
from tidtam.lib.fiscal import fiscal_year_label
from tidtam.lib.language import name_of
from tidtam.lib.web import int_or_none, year_or_none
from tidtam.orgs.models import Agency, AgencyKind, DistrictGroup, Origin
from tidtam.projects.access import projects_for_user
from tidtam.projects.models import FiscalYear, PlanLink, Project, ProjectQuerySet
from tidtam.reporting.models import Problem, ProblemCategory
from tidtam.search.query import CAP, filter_projects
from tidtam.standing.models import StandingStatus
from tidtam.strategy.models import PlanNode


@dataclass
class ListPage:
    """What a filtered list page shows: a page of rows and the filters' state and choices."""

    page: Page[Any]
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


def _year_asked(request: HttpRequest, years: list[FiscalYear]) -> int | None:
    """Without a year, the newest year with rows: a list is an annual plan first, and one year
    is what a page should have to count and sort."""
    asked = request.GET.get("fy")
    if asked is None or (asked != ALL_YEARS and year_or_none(asked) is None):
        return years[0].year if years else None
    return year_or_none(asked)


@dataclass(frozen=True)
class ListFilters:
    query: str
    fiscal_year: int | None  # None: every year
    agency: str

    @classmethod
    def from_request(cls, request: HttpRequest, years: list[FiscalYear]) -> Self:
        return cls.from_query(request.GET, _year_asked(request, years))

    @classmethod
    def from_query(cls, query: QueryDict, fiscal_year: int | None) -> Self:
        return cls(
            query=query.get("q", "").strip()[:100],
            fiscal_year=fiscal_year,
            agency=query.get("agency", "").strip()[:8],
        )

    def apply(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """Rows (projects or KPIs: both have a fiscal year and an agency) of the chosen year
        and agency; the text search is each list's own."""
        if self.fiscal_year:
            rows = rows.filter(fiscal_year_id=self.fiscal_year)
        if self.agency:
            rows = rows.filter(agency__code=self.agency)
        return rows


@dataclass(frozen=True)
class Sort:
    key: str
    label: Any  # a lazy translation
    # The order, ascending; the opposite direction reverses every part, ties broken by the
    # project's key in the same direction (so that an index of the figure serves the order).
    # Rows without the figure (no report yet) come last either way.
    fields: tuple[str, ...]


SORTS: dict[str, Sort] = {
    sort.key: sort
    for sort in (
        Sort("code", _("Code"), ("code",)),
        Sort("name", _("Name"), ("name",)),
        Sort("progress", _("Progress"), ("standing__reported_percent",)),
        Sort("variance", _("Variance"), ("standing__variance",)),
        Sort("days_late", _("Days late"), ("standing__days_late",)),
        Sort("budget", _("Budget"), ("standing__budget_allocated",)),
    )
}
DEFAULT_SORT = "code"

YES = "1"
NO = "0"


def _flag(value: str | None) -> bool | None:
    """A yes/no filter: "1" yes, "0" no, anything else no filter."""
    return True if value == YES else False if value == NO else None


@dataclass(frozen=True)
class ProjectFilters(ListFilters):
    """The project list's filters and order. Every field is a query parameter of the same
    meaning, so `url()` gives the list of exactly the projects a dashboard number counts."""

    group: int | None = None  # district group
    district: str = ""  # a district office's agency code
    node: int | None = None  # plan node: projects linked to it or to any node below it
    statuses: tuple[str, ...] = ()
    kpi_type: str = ""
    # Projects with KPI results (their KPI achievement is known).
    kpis: bool | None = None
    problems: bool | None = None  # has open problems (from approved reports)
    problem_category: int | None = None  # has an open problem of this category
    missing: bool | None = None  # this month's report missing
    sample: bool | None = None
    # Forecast to finish after its fiscal year ends (or the plan ends after it).
    late_finish: bool | None = None
    sort: str = DEFAULT_SORT
    descending: bool = False

    @classmethod
    def from_query(cls, query: QueryDict, fiscal_year: int | None) -> Self:
        common = ListFilters.from_query(query, fiscal_year)
        sort = query.get("sort", "")
        descending = sort.startswith("-")
        sort = sort.removeprefix("-")
        # Several statuses come as repeated parameters (the dashboard's links) or as one,
        # comma-separated (the list's form offers the chosen several as one option).
        statuses = tuple(
            s
            for given in query.getlist("status")
            for s in given.split(",")
            if s in StandingStatus.values
        )
        kpi_type = query.get("kpi_type", "")
        return cls(
            query=common.query,
            fiscal_year=fiscal_year,
            agency=common.agency,
            group=int_or_none(query.get("group")),
            district=query.get("district", "").strip()[:8],
            node=int_or_none(query.get("node")),
            statuses=tuple(sorted(set(statuses))),
            kpi_type=kpi_type if kpi_type in KpiType.values else "",
            kpis=_flag(query.get("kpis")),
            problems=_flag(query.get("problems")),
            problem_category=int_or_none(query.get("problem_category")),
            missing=_flag(query.get("missing")),
            sample=_flag(query.get("sample")),
            late_finish=_flag(query.get("late_finish")),
            sort=sort if sort in SORTS else DEFAULT_SORT,
            descending=descending and sort in SORTS,
        )

    def apply(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        rows = super().apply(rows)
        if self.query:
            rows = filter_projects(rows, self.query, fiscal_year=self.fiscal_year)
        if self.group:
            rows = rows.filter(agency__district_group_id=self.group)
        if self.district:
            rows = rows.filter(agency__code=self.district, agency__kind=AgencyKind.DISTRICT_OFFICE)
        if self.node:
            links = _links_below(self.node)
            if self.fiscal_year:
                # One year's links are read from their index by year and node.
                links = links.filter(fiscal_year=self.fiscal_year)
            rows = rows.filter(Exists(links.filter(project=OuterRef("pk"))))
        if self.statuses:
            rows = rows.filter(standing__status__in=self.statuses)
        if self.kpi_type:
            rows = rows.filter(
                Exists(
                    KpiSupport.objects.filter(project=OuterRef("pk"), kpi__kpi_type=self.kpi_type)
                )
            )
        if self.kpis is not None:
            rows = rows.filter(standing__kpi_achievement__isnull=not self.kpis)
        if self.problems is not None:
            some = Q(standing__open_problems__gt=0)
            rows = rows.filter(some if self.problems else ~some)
        if self.problem_category:
            rows = rows.filter(
                Exists(
                    Problem.objects.official()
                    .open()
                    .filter(project=OuterRef("pk"), category_id=self.problem_category)
                )
            )
        if self.missing is not None:
            rows = rows.filter(standing__missing_report=self.missing)
        if self.sample is not None:
            sample = Q(origin=Origin.SAMPLE)
            rows = rows.filter(sample if self.sample else ~sample)
        if self.late_finish is not None:
            late = Q(standing__forecast_finish__gt=F("fiscal_year__end"))
            rows = rows.filter(late if self.late_finish else ~late)
        if self.fiscal_year and self._needs_standing:
            # A standing keeps its project's fiscal year. Said again of the standing, the
            # year's standings of a status are read from their index (fiscal_year, status):
            # PostgreSQL otherwise walked every year's standings in the order asked for and
            # looked each one's project up (63 ms against 0.2 ms at city scale).
            rows = rows.filter(standing__fiscal_year=self.fiscal_year)
        return self.order(rows)

    @property
    def _needs_standing(self) -> bool:
        """The filters keep only projects with a standing (the join is an inner one anyway)."""
        return bool(
            self.statuses
            or self.missing is not None
            or self.problems
            or self.kpis
            or self.late_finish
        )

    def order(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        parts = []
        for name in SORTS[self.sort].fields:
            expression = F(name)
            # Only a standing's figures can be missing (code and name never are): asking for
            # NULLS LAST on those would keep an index from serving the order.
            nulls = {"nulls_last": True} if name.startswith("standing__") else {}
            parts.append(expression.desc(**nulls) if self.descending else expression.asc(**nulls))
        # Projects of every year: the newest year's first, as the list always was.
        if self.fiscal_year is None and self.sort == DEFAULT_SORT and not self.descending:
            return rows.order_by("-fiscal_year_id", "code")
        return rows.order_by(*parts, "-pk" if self.descending else "pk")

    def by_figure(self, rows: QuerySet[Any]) -> ByFigure | None:
        """The keys of these rows in this order, for paging, when the projects of every year
        are sorted by a standing's figure (see `ByFigure`); None otherwise: one year's few
        thousand are sorted sooner than the figure's index of every year is walked."""
        field = SORTS[self.sort].fields[0]
        if not field.startswith("standing__") or self.fiscal_year is not None:
            return None
        sign = "-" if self.descending else ""
        valued = Q(**{f"{field}__isnull": False})
        return ByFigure(
            total=rows,
            valued=rows.filter(valued).order_by(f"{sign}{field}", f"{sign}standing__project_id"),
            rest=rows.exclude(valued).order_by(f"{sign}pk"),
        )

    @property
    def scans(self) -> bool:
        """Words within one fiscal year are tested on that year's rows (see `filter_projects`):
        its matches are then listed from one pass over them, counted and paged in Python."""
        return bool(self.query) and self.fiscal_year is not None

    def paginator(self, rows: QuerySet[Any], size: int, number: object = None) -> Paginator[Any]:
        """Pages of these rows' keys in their order, read the cheapest way for these filters:
        words over every fiscal year list the first `CAP` matches (the search page's cap: a
        common word's every project of twenty years is not counted on each page view, see
        `CappedPaginator`); words within one year read every key at once, counted and sliced
        here (testing the rows is the cost, and a count would test them twice); every year
        sorted by a standing's figure walks the figure's index (see `ByFigure`); one year
        narrowed further reads the page asked for (`number`) with the count, on PostgreSQL
        (see `_narrows_year`)."""
        keys = rows.values_list("pk", flat=True)
        if self.query and self.fiscal_year is None:
            return CappedPaginator(keys, size, CAP)
        if self.scans:
            return Paginator(list(keys), size)
        by_figure = self.by_figure(rows)
        if by_figure is not None:
            return Paginator(by_figure, size)
        if self._narrows_year and connections[rows.db].vendor == "postgresql":
            return Paginator(OnePass(rows, size, number), size)
        return Paginator(keys, size)

    @property
    def _narrows_year(self) -> bool:
        """One fiscal year narrowed further: PostgreSQL tests every row of the year against
        the filters and sorts the matches to list any page (its plans join them by hash),
        so the page's keys are read with their count (see `OnePass`). SQLite walks the
        year's rows in the list's order (the index project_list_order) and stops at the
        page's end: counting them with the keys would make it read and sort every one."""
        return self.fiscal_year is not None and any(
            name not in ("q", "fy", "sort") for name, _ in self.params()
        )

    def params(self) -> list[tuple[str, str]]:
        """The query parameters that ask for these filters (defaults left out)."""
        out: list[tuple[str, str]] = []
        if self.query:
            out.append(("q", self.query))
        out.append(("fy", str(self.fiscal_year) if self.fiscal_year else ALL_YEARS))
        for name, value in (
            ("agency", self.agency),
            ("group", self.group),
            ("district", self.district),
            ("node", self.node),
            ("kpi_type", self.kpi_type),
            ("problem_category", self.problem_category),
        ):
            if value:
                out.append((name, str(value)))
        out.extend(("status", status) for status in self.statuses)
        for name in ("kpis", "problems", "missing", "sample", "late_finish"):
            value = getattr(self, name)
            if value is not None:
                out.append((name, YES if value else NO))
        if self.sort != DEFAULT_SORT or self.descending:
            out.append(("sort", self.sort_value))
        return out

    @property
    def status_value(self) -> str:
        """The statuses chosen as the form's one option names them: "behind,critical"."""
        return ",".join(self.statuses)

    @property
    def sort_value(self) -> str:
        """The order as the sort parameter says it: "code", or "-code" reversed."""
        return ("-" if self.descending else "") + self.sort

    def url(self, name: str = "project-list") -> str:
        return f"{_path(name, get_script_prefix())}?{urlencode(self.params())}"

    def narrowed(self, **changes: Any) -> Self:
        return replace(self, **changes)

    def sort_url(self, key: str) -> str:
        """The list sorted by `key`; asking again for the current order reverses it."""
        descending = key == self.sort and not self.descending
        return self.narrowed(sort=key, descending=descending).url()

    @property
    def active(self) -> bool:
        """Whether anything beyond the year narrows the list."""
        defaults = ProjectFilters(query="", fiscal_year=self.fiscal_year, agency="")
        return any(
            getattr(self, f.name) != getattr(defaults, f.name)
            for f in fields(self)
            if f.name not in ("sort", "descending")
        )


@dataclass
class ProjectListing:
    """The projects a reader may see, narrowed and ordered by the filters of a query string:
    the web list and the API list both read it."""

    visible: ProjectQuerySet
    years: list[FiscalYear]
    filters: ProjectFilters
    rows: QuerySet[Project]

    def page(self, size: int, number: str | None, *, empty_past_end: bool = False) -> Page[Any]:
        """The page `number` of `size` projects, as Django's `get_page` picks it (the last
        for a number past the end, or an empty page when `empty_past_end`); its paginator has
        the count."""
        paginator = self.filters.paginator(self.rows, size, number)
        if empty_past_end and number and number.isdigit() and int(number) > paginator.num_pages:
            return Page([], int(number), paginator)
        return page_of(self.rows, paginator, number, related=("agency", "standing"))


def list_projects(request: HttpRequest) -> ProjectListing:
    visible = projects_for_user(request.user)
    years = years_with(visible)
    filters = ProjectFilters.from_request(request, years)
    return ProjectListing(visible, years, filters, filters.apply(visible.for_list()))


@lru_cache(maxsize=16)
def _path(name: str, prefix: str) -> str:
    """A list's path, looked up once: the dashboard links to it a few hundred times."""
    return reverse(name)


def _links_below(node_id: int) -> QuerySet[PlanLink]:
    """Links to the node or to any node below it: the codes below 5.3 start with "5.3."."""
    node = PlanNode.objects.filter(pk=node_id).values("plan_id", "sort_key").first()
    if node is None:
        return PlanLink.objects.none()
    # The nodes first (a plan has tens of them), so that the links are looked up by node id:
    # joined, PostgreSQL read every link of every year to find them.
    nodes = PlanNode.objects.filter(
        Q(sort_key=node["sort_key"]) | Q(sort_key__startswith=node["sort_key"] + "."),
        plan_id=node["plan_id"],
    )
    return PlanLink.objects.filter(node_id__in=list(nodes.values_list("pk", flat=True)))


@dataclass
class ProjectListChoices:
    """What the project list's filter form offers: each select's (value, label) pairs, the
    labels in the reader's language."""

    fiscal_years: list[tuple[str, str]]
    agencies: list[tuple[str, str]]
    groups: list[tuple[str, str]]
    districts: list[tuple[str, str]]
    statuses: list[tuple[str, str]]
    kpi_types: list[tuple[str, str]]
    problem_categories: list[tuple[str, str]]
    # Each order twice: ascending ("code"), then descending ("-code").
    sorts: list[tuple[str, str]]


def project_list_choices(
    visible: QuerySet[Project], years: list[FiscalYear], filters: ProjectFilters, lang: str
) -> ProjectListChoices:
    agencies = agencies_with(visible)
    statuses = {s.value: str(s.label) for s in StandingStatus}
    # Several statuses chosen (the dashboard's "behind and critical") are offered as one
    # option, so that filtering again keeps them.
    several = (
        [(filters.status_value, " / ".join(statuses[s] for s in filters.statuses))]
        if len(filters.statuses) > 1
        else []
    )
    return ProjectListChoices(
        fiscal_years=[(str(fy.year), fiscal_year_label(fy.year, lang)) for fy in years],
        agencies=[(a.code, name_of(a, lang)) for a in agencies],
        groups=[(str(g.pk), name_of(g, lang)) for g in DistrictGroup.objects.all()],
        districts=[
            (a.code, name_of(a, lang)) for a in agencies if a.kind == AgencyKind.DISTRICT_OFFICE
        ],
        statuses=[*statuses.items(), *several],
        kpi_types=[(t.value, str(t.label)) for t in KpiType],
        problem_categories=[(str(c.pk), name_of(c, lang)) for c in ProblemCategory.objects.all()],
        sorts=[
            pair
            for sort in SORTS.values()
            for pair in ((sort.key, f"{sort.label} ↑"), (f"-{sort.key}", f"{sort.label} ↓"))
        ],
    )


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


class _Keys(Sequence[int]):
    """Keys as a paginator reads them: its count (`len`) and slices, each read its own way."""

    def __len__(self) -> int:  # what the paginator counts by
        return self._count

    @property
    def _count(self) -> int:
        raise NotImplementedError

    def _slice(self, start: int, stop: int) -> list[int]:
        raise NotImplementedError

    @overload
    def __getitem__(self, where: int) -> int: ...

    @overload
    def __getitem__(self, where: slice) -> list[int]: ...

    def __getitem__(self, where: int | slice) -> int | list[int]:
        if isinstance(where, int):
            return self._slice(where, where + 1)[0]
        return self._slice(where.start or 0, where.stop)


class ByFigure(_Keys):
    """The keys of rows sorted by a standing's figure, as a paginator reads them: the rows
    with the figure in its order (the index of the figure and the project serves it, however
    many years are listed), then those without it (no standing yet, or no such figure) by key.
    The same order as `ProjectFilters.order`, whose NULLS LAST sorts every row of every year
    for each page."""

    def __init__(self, *, total: QuerySet[Any], valued: QuerySet[Any], rest: QuerySet[Any]) -> None:
        self.total = total
        self.valued = valued.values_list("pk", flat=True)
        self.rest = rest.values_list("pk", flat=True)

    @cached_property
    def _count(self) -> int:
        return self.total.count()

    def _slice(self, start: int, stop: int) -> list[int]:
        keys = list(self.valued[start:stop])
        wanted = stop - start
        if len(keys) == wanted:
            return keys
        # The page reaches past the rows with the figure: how many there are tells where
        # the rest begin.
        valued = start + len(keys) if keys else self.valued.count()
        after = max(0, start - valued)
        return keys + list(self.rest[after : after + wanted - len(keys)])


class OnePass(_Keys):
    """The keys of rows in their order, with the page asked for read together with their
    count (COUNT(*) OVER ()): rows narrowed by filters that test other tables are all tested
    and sorted to list any page, and counting them apart tested them all again. Any other
    slice (a page number past the end) is read on its own."""

    def __init__(self, rows: QuerySet[Any], per_page: int, number: object) -> None:
        self.rows = rows
        try:
            page = int(str(number))
        except ValueError:
            page = 1
        # A number past any list's end reads nothing, within the database's integers.
        page = min(max(page, 1), 10**9)
        self.start = (page - 1) * per_page
        self.stop = self.start + per_page

    @cached_property
    def _page(self) -> tuple[int, list[int]]:
        counted = self.rows.annotate(listed=Window(Count("pk"))).values_list("pk", "listed")
        found = list(counted[self.start : self.stop])
        if not found:
            return self.rows.count(), []
        return found[0][1], [key for key, _ in found]

    @property
    def _count(self) -> int:
        return self._page[0]

    def _slice(self, start: int, stop: int) -> list[int]:
        _count, keys = self._page
        if keys and self.start <= start and stop <= self.start + len(keys):
            return keys[start - self.start : stop - self.start]
        return list(self.rows.values_list("pk", flat=True)[start:stop])


class CappedPaginator(Paginator[Any]):
    """Pages through the first `cap` rows, counting no further than one beyond them."""

    def __init__(self, rows: QuerySet[Any], per_page: int, cap: int) -> None:
        super().__init__(rows[:cap], per_page)
        self.rows = rows
        self.cap = cap

    @cached_property
    def counted(self) -> int:
        return self.rows[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def more(self) -> bool:
        """More rows than the pages hold."""
        return self.counted > self.cap


def page_of(
    rows: QuerySet[Any], paginator: Paginator[Any], number: str | None, *, related: tuple[str, ...]
) -> Page[Any]:
    """One page of the rows: the paginator's keys are sorted and counted narrow, and only the
    page's rows are read whole with `related` (sorting wide rows to skip thousands of them
    spilled to disk on PostgreSQL)."""
    page = paginator.get_page(number)
    listed = list(page.object_list)
    found = rows.model._default_manager.select_related(*related).in_bulk(listed)
    page.object_list = [found[key] for key in listed]
    return page
