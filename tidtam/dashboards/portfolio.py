"""The dashboard: where the projects of one fiscal year stand, by status, agency, district
group and district office, along a plan tree, by problem category, and which will run past
the year's end.

Every figure is counted from the stored standings of the year's projects the reader may see
(the public: published projects), in a fixed number of queries whatever the number of
projects. Each number carries the project-list URL of exactly the projects it counts, built
by the list's own filters (`ProjectFilters`), so a number and its list cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.utils.translation import gettext_lazy as _

from tidtam.dashboards.filters import ProjectFilters
from tidtam.indicators.models import Kpi, KpiResult, KpiSupport
from tidtam.lib.fiscal import quarter_of
from tidtam.lib.language import name_of
from tidtam.lib.rows import driver_rows
from tidtam.lib.tabular import Column, Table
from tidtam.orgs.models import Agency, AgencyKind, DistrictGroup, Origin
from tidtam.projects.models import FiscalYear, PlanLink, Project, Quarter
from tidtam.reporting.models import Problem, ProblemCategory
from tidtam.standing.models import StandingStatus
from tidtam.strategy.models import Plan, PlanNode

HUNDRED = Decimal(100)
BEHIND = (StandingStatus.BEHIND.value, StandingStatus.CRITICAL.value)
TOP_PROBLEMS = 10
TOP_LATE = 10


@dataclass(frozen=True)
class Figure:
    """A number and the list of the projects it counts (None: nothing to list)."""

    value: Decimal | int | None
    url: str | None = None


@dataclass(frozen=True)
class StatusSlice:
    status: str
    label: str
    count: Figure
    percent: Decimal  # of the year's projects, for the chart
    offset: Decimal  # where the slice starts in the stacked bar


@dataclass(frozen=True)
class Row:
    """One agency, district group or district office, or the total of a table."""

    key: str
    label: str
    projects: Figure
    progress: Figure  # average reported percent, projects without a report counting 0
    behind: Figure  # behind plan or critical
    missing: Figure  # this month's report missing
    kpi_achievement: Figure  # average of the projects' KPI achievement, where known
    allocated: Figure
    released: Figure
    spent: Figure
    # KPIs of the agency (or group) with an approved result for the chosen quarter, of all.
    kpis_reported: int | None = None
    kpis_total: int | None = None
    bar: Decimal = Decimal(0)  # chart width: the average progress


@dataclass(frozen=True)
class NodeRow:
    node_id: int
    code: str
    name: str
    level: str
    depth: int
    projects: Figure
    progress: Figure


@dataclass(frozen=True)
class ProblemRow:
    category: str
    problems: int
    projects: Figure


@dataclass(frozen=True)
class LateProject:
    project: Project
    forecast_finish: date | None
    budget: Decimal | None


@dataclass
class Dashboard:
    fiscal_year: int | None
    quarter: int
    fiscal_years: list[FiscalYear]
    total: Figure
    sample: Figure
    statuses: list[StatusSlice] = field(default_factory=list)
    agencies: list[Row] = field(default_factory=list)
    agency_total: Row | None = None
    groups: list[Row] = field(default_factory=list)
    districts: list[Row] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    plan: Plan | None = None
    plan_rows: list[NodeRow] = field(default_factory=list)
    problems: list[ProblemRow] = field(default_factory=list)
    late_count: Figure = Figure(0)
    late_budget: Figure = Figure(0)
    late_projects: list[LateProject] = field(default_factory=list)
    lang: str = "th"

    @property
    def quarters(self) -> range:
        return range(1, 5)

    @property
    def agency_totals(self) -> list[Row]:
        """The row of every agency, as a table's footer lists it (none without projects)."""
        return [self.agency_total] if self.agency_total else []


def _average(value: Decimal | float | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


@dataclass
class Tally:
    """Sums that add up from agencies to groups and totals; averages are taken at the end."""

    n: int = 0
    progress: Decimal = Decimal(0)  # sum of reported percents, a project without one 0
    behind: int = 0
    missing: int = 0
    kpi_sum: Decimal = Decimal(0)
    kpi_n: int = 0
    allocated: Decimal | None = None
    released: Decimal | None = None
    spent: Decimal | None = None
    # Forecast to finish after the fiscal year ends, and the budget allocated to those.
    late: int = 0
    late_budget: Decimal = Decimal(0)

    def add(self, other: Tally) -> None:
        self.n += other.n
        self.progress += other.progress
        self.behind += other.behind
        self.missing += other.missing
        self.kpi_sum += other.kpi_sum
        self.kpi_n += other.kpi_n
        self.allocated = _plus(self.allocated, other.allocated)
        self.released = _plus(self.released, other.released)
        self.spent = _plus(self.spent, other.spent)
        self.late += other.late
        self.late_budget += other.late_budget


def _plus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """A sum where unknown stays unknown only while nothing is known."""
    return b if a is None else a if b is None else a + b


def _tallies(year: QuerySet[Project], end: date) -> dict[tuple[int, str], Tally]:
    """One grouped read: the figures of each (agency, status), of the projects with a
    standing; late: forecast to finish after `end`, the fiscal year's last day."""
    late = Q(standing__forecast_finish__gt=end)
    rows = year.values("agency", "standing__status").annotate(
        n=Count("pk"),
        progress=Sum(Coalesce("standing__reported_percent", Value(Decimal(0)))),
        missing=Count("pk", filter=Q(standing__missing_report=True)),
        kpi_sum=Sum("standing__kpi_achievement"),
        kpi_n=Count("standing__kpi_achievement"),
        allocated=Sum("standing__budget_allocated"),
        released=Sum("standing__budget_released"),
        spent=Sum("standing__budget_spent"),
        late=Count("pk", filter=late),
        late_budget=Sum("standing__budget_allocated", filter=late),
    )
    return {
        (row["agency"], row["standing__status"]): Tally(
            n=row["n"],
            progress=row["progress"] or Decimal(0),
            behind=row["n"] if row["standing__status"] in BEHIND else 0,
            missing=row["missing"],
            kpi_sum=row["kpi_sum"] or Decimal(0),
            kpi_n=row["kpi_n"],
            allocated=row["allocated"],
            released=row["released"],
            spent=row["spent"],
            late=row["late"],
            late_budget=row["late_budget"] or Decimal(0),
        )
        for row in rows
    }


def _row(
    key: str,
    label: str,
    tally: Tally,
    filters: ProjectFilters,
    kpis: tuple[int, int] | None = None,
) -> Row:
    every = filters.url()
    progress = _average(tally.progress / tally.n) if tally.n else None
    return Row(
        key=key,
        label=label,
        projects=Figure(tally.n, every),
        progress=Figure(progress, every),
        behind=Figure(tally.behind, filters.narrowed(statuses=BEHIND).url()),
        missing=Figure(tally.missing, filters.narrowed(missing=True).url()),
        kpi_achievement=Figure(
            _average(tally.kpi_sum / tally.kpi_n) if tally.kpi_n else None,
            filters.narrowed(kpis=True).url(),
        ),
        allocated=Figure(tally.allocated, every),
        released=Figure(tally.released, every),
        spent=Figure(tally.spent, every),
        kpis_reported=kpis[0] if kpis else None,
        kpis_total=kpis[1] if kpis else None,
        bar=min(progress or Decimal(0), HUNDRED),
    )


def build_dashboard(
    visible: QuerySet[Project],
    years: list[FiscalYear],
    *,
    fiscal_year: int | None,
    quarter: int | None,
    plan_code: str,
    lang: str,
    today: date,
) -> Dashboard:
    """The dashboard of one fiscal year (default: the current one, else the latest with
    projects) for the projects in `visible`."""
    current, current_quarter = quarter_of(today)
    known = [fy.year for fy in years]
    if fiscal_year not in known:
        fiscal_year = current if current in known else (known[0] if known else None)
    if quarter not in (1, 2, 3, 4):
        quarter = current_quarter if fiscal_year == current else 4
    assert quarter is not None
    if fiscal_year is None:
        return Dashboard(None, quarter, years, Figure(0), Figure(0), lang=lang)

    year = ProjectFilters(query="", fiscal_year=fiscal_year, agency="")
    projects = visible.filter(fiscal_year_id=fiscal_year).order_by()
    # Read from the projects' side: the year's visible projects come from one index (see
    # Project.Meta), and each one's figures from the standings' index of the year's (a
    # standing keeps its project's fiscal year); the wide rows of neither are read, nor
    # the standings of other years (PostgreSQL scanned all 120,000 for each sum).
    standing = projects.filter(standing__fiscal_year=fiscal_year)

    end = next(fy.end for fy in years if fy.year == fiscal_year)
    tallies = _tallies(standing, end)
    by_status: dict[str, int] = defaultdict(int)
    by_agency: dict[int, Tally] = defaultdict(Tally)
    for (agency_id, status), tally in tallies.items():
        by_status[status] += tally.n
        by_agency[agency_id].add(tally)
    total = sum(by_status.values())
    board = Dashboard(
        fiscal_year=fiscal_year,
        quarter=quarter,
        fiscal_years=years,
        total=Figure(total, year.url()),
        sample=Figure(
            projects.filter(origin=Origin.SAMPLE).count(), year.narrowed(sample=True).url()
        ),
        lang=lang,
    )
    offset = Decimal(0)
    for status in StandingStatus:
        count = by_status.get(status.value, 0)
        if not count:
            continue
        share = (Decimal(count) * HUNDRED / total).quantize(Decimal("0.01"))
        board.statuses.append(
            StatusSlice(
                status.value,
                str(status.label),
                Figure(count, year.narrowed(statuses=(status.value,)).url()),
                share,
                offset,
            )
        )
        offset += share

    kpis = _kpis_reported(visible, fiscal_year, quarter)
    agencies = Agency.objects.in_bulk(list(by_agency))
    groups = {g.pk: g for g in DistrictGroup.objects.all()}
    by_group: dict[int, Tally] = defaultdict(Tally)
    every = Tally()
    for agency in sorted(agencies.values(), key=lambda a: a.code):
        tally = by_agency[agency.pk]
        every.add(tally)
        if agency.district_group_id is not None:
            by_group[agency.district_group_id].add(tally)
        district = agency.kind == AgencyKind.DISTRICT_OFFICE
        filters = (
            year.narrowed(district=agency.code) if district else year.narrowed(agency=agency.code)
        )
        row = _row(
            agency.code,
            name_of(agency, lang),
            tally,
            filters,
            kpis.get(agency.pk, (0, 0)),
        )
        (board.districts if district else board.agencies).append(row)
    board.agency_total = _row("", str(_("All agencies")), every, year)
    for group_id, tally in by_group.items():
        group = groups[group_id]
        board.groups.append(
            _row(
                str(group.pk),
                name_of(group, lang),
                tally,
                year.narrowed(group=group.pk),
            )
        )
    board.groups.sort(key=lambda row: row.label)

    _plan_rollup(board, projects, plan_code, year, lang)
    # The projects with an open official problem, as their standings count them: the
    # problems of those few are read, not every open problem of every year.
    _problems(board, standing.filter(standing__open_problems__gt=0).values("pk"), year, lang)
    late_url = year.narrowed(late_finish=True).url()
    board.late_count = Figure(every.late, late_url)
    board.late_budget = Figure(every.late_budget, late_url)
    _late(board, standing.filter(standing__forecast_finish__gt=end))
    return board


def _kpis_reported(
    visible: QuerySet[Project], fiscal_year: int, quarter: int
) -> dict[int, tuple[int, int]]:
    """Per agency: (KPIs with an approved result for the quarter, KPIs) of the year's KPIs
    that a visible project supports."""
    # The supports of the year's KPIs, each KPI's few read from its index, kept when their
    # project is one of the year's visible ones: asked of every support instead, PostgreSQL
    # read all the years' supports.
    supporters = KpiSupport.objects.filter(
        kpi__fiscal_year_id=fiscal_year,
        project__in=visible.filter(fiscal_year_id=fiscal_year).order_by().values("pk"),
    )
    # The quarter's key once (a KPI's results are of its own year's quarters), not the
    # quarters joined again for each KPI.
    this_quarter = Quarter.objects.filter(fiscal_year_id=fiscal_year, number=quarter)
    reported = KpiResult.objects.official().filter(
        kpi=OuterRef("pk"), quarter=Subquery(this_quarter.values("pk")), result__isnull=False
    )
    rows = (
        Kpi.objects.filter(fiscal_year_id=fiscal_year, pk__in=supporters.values("kpi_id"))
        .order_by()
        .values("agency")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(Exists(reported))))
        .values_list("agency", "done", "n")
    )
    return {agency: (done, n) for agency, done, n in rows}


def _plan_rollup(
    board: Dashboard,
    projects: QuerySet[Project],
    plan_code: str,
    year: ProjectFilters,
    lang: str,
) -> None:
    """Counts and average progress at every level of one plan tree: a project linked to a
    goal counts for the goal, its sub-dimension and its dimension, once each."""
    fiscal_year = board.fiscal_year
    assert fiscal_year is not None
    # The year's links, read from their index by year (a link keeps its project's year).
    links = PlanLink.objects.filter(fiscal_year=fiscal_year, project__in=projects.values("pk"))
    board.plans = list(Plan.objects.filter(Exists(links.filter(node__plan=OuterRef("pk")))))
    plan = next((p for p in board.plans if p.code == plan_code), None) or (
        board.plans[0] if board.plans else None
    )
    board.plan = plan
    if plan is None:
        return
    nodes = list(
        PlanNode.objects.filter(plan=plan)
        .select_related("level")
        .only("pk", "parent_id", "code", "name_th", "name_en", "level__name_th", "level__name_en")
        .order_by("sort_key")
    )
    # Each link of the plan with its project's progress, read as whole hundredths of a
    # percent: integers, no Decimal made per project. A project without a standing counts
    # as 0, as everywhere on the dashboard.
    # The standing is joined with its year, as in build_dashboard, outside the WHERE clause
    # so that a project without one stays.
    # The links are many (10,000 a year at city scale) and their columns integers: they are
    # read as the driver returns them.
    figures = FilteredRelation("standing", condition=Q(standing__fiscal_year=fiscal_year))
    percent = Coalesce("figures__reported_percent", Value(Decimal(0)))
    hundredths = Cast(Round(percent * 100), IntegerField())
    progress: dict[int, int] = {}
    direct: dict[int, set[int]] = defaultdict(set)
    linked = projects.filter(
        plan_links__fiscal_year=fiscal_year, plan_links__node__plan=plan
    ).annotate(figures=figures)
    for project_id, node_id, value in driver_rows(
        linked.values_list("pk", "plan_links__node", hundredths)
    ):
        progress[project_id] = value
        direct[node_id].add(project_id)
    children: dict[int, list[int]] = defaultdict(list)
    for node in nodes:
        if node.parent_id is not None:
            children[node.parent_id].append(node.pk)
    below: dict[int, set[int]] = {}
    for node in reversed(nodes):  # children sort after their parents: each is done first
        counted = set(direct.get(node.pk, ()))
        for child in children[node.pk]:
            counted |= below[child]
        below[node.pk] = counted
    depth: dict[int, int] = {}
    for node in nodes:  # parents sort before their children
        depth[node.pk] = depth[node.parent_id] + 1 if node.parent_id in depth else 0
        if not below[node.pk]:
            continue
        counted = below[node.pk]
        url = year.narrowed(node=node.pk).url()
        average = Decimal(sum(map(progress.__getitem__, counted))) / len(counted) / 100
        board.plan_rows.append(
            NodeRow(
                node_id=node.pk,
                code=node.code,
                name=name_of(node, lang),
                level=name_of(node.level, lang),
                depth=depth[node.pk],
                projects=Figure(len(counted), url),
                progress=Figure(_average(average), url),
            )
        )


def _problems(board: Dashboard, keys: QuerySet[Any], year: ProjectFilters, lang: str) -> None:
    """The categories of the open problems raised in approved reports, the most first."""
    rows = list(
        Problem.objects.official()
        .open()
        .filter(project__in=keys)
        .order_by()
        .values("category")
        .annotate(n=Count("pk"), projects=Count("project", distinct=True))
        .values_list("category", "n", "projects")
    )
    categories = {c.pk: c for c in ProblemCategory.objects.filter(pk__in=[r[0] for r in rows])}
    rows.sort(key=lambda r: (-r[1], categories[r[0]].order))
    board.problems = [
        ProblemRow(
            category=name_of(categories[pk], lang),
            problems=n,
            projects=Figure(projects, year.narrowed(problem_category=pk).url()),
        )
        for pk, n, projects in rows[:TOP_PROBLEMS]
    ]


def _late(board: Dashboard, late: QuerySet[Project]) -> None:
    """The projects forecast to finish after the fiscal year ends that hold the most budget
    (their count and budget are the tallies')."""
    # The keys first, from the indexes alone; joined to the agencies, SQLite read the year's
    # projects agency by agency, row by row.
    biggest = list(
        late.order_by(
            Coalesce("standing__budget_allocated", Value(Decimal(0))).desc(), "pk"
        ).values_list("pk", "standing__forecast_finish", "standing__budget_allocated")[:TOP_LATE]
    )
    found = Project.objects.select_related("agency").in_bulk([row[0] for row in biggest])
    board.late_projects = [LateProject(found[pk], finish, budget) for pk, finish, budget in biggest]


GROUP_COLUMNS = (
    Column("projects", _("Projects"), "int"),
    Column("progress", _("Average progress (%)"), "percent"),
    Column("behind", _("Behind or critical"), "int"),
    Column("missing", _("Missing this month's report"), "int"),
    Column("kpi", _("KPI achievement (%)"), "percent"),
    Column("allocated", _("Budget allocated"), "baht"),
    Column("released", _("Released"), "baht"),
    Column("spent", _("Spent"), "baht"),
)


def _group_rows(rows: list[Row]) -> list[tuple[Any, ...]]:
    return [
        (
            row.label,
            row.projects.value,
            row.progress.value,
            row.behind.value,
            row.missing.value,
            row.kpi_achievement.value,
            row.allocated.value,
            row.released.value,
            row.spent.value,
        )
        for row in rows
    ]


def dashboard_tables(board: Dashboard) -> dict[str, Table]:
    """Each table of the dashboard as an export: the same rows and figures as the page."""
    fy = board.fiscal_year
    return (
        {
            "status": Table(
                _("Projects by status"),
                (
                    Column("status", _("Status")),
                    Column("projects", _("Projects"), "int"),
                    Column("share", _("Share (%)"), "percent"),
                ),
                [(s.label, s.count.value, s.percent) for s in board.statuses],
            ),
            "agencies": Table(
                _("Agencies"),
                (Column("agency", _("Agency")), *GROUP_COLUMNS),
                _group_rows(board.agencies + board.agency_totals),
            ),
            "groups": Table(
                _("District groups"),
                (Column("group", _("District group")), *GROUP_COLUMNS),
                _group_rows(board.groups),
            ),
            "districts": Table(
                _("District offices"),
                (Column("district", _("District office")), *GROUP_COLUMNS),
                _group_rows(board.districts),
            ),
            "plan": Table(
                _("Along the plan"),
                (
                    Column("level", _("Level")),
                    Column("code", _("Code")),
                    Column("node", _("Plan node")),
                    Column("projects", _("Projects"), "int"),
                    Column("progress", _("Average progress (%)"), "percent"),
                ),
                [
                    (r.level, r.code, r.name, r.projects.value, r.progress.value)
                    for r in board.plan_rows
                ],
            ),
            "problems": Table(
                _("Open problems most often raised"),
                (
                    Column("category", _("Category")),
                    Column("problems", _("Open problems"), "int"),
                    Column("projects", _("Projects"), "int"),
                ),
                [(r.category, r.problems, r.projects.value) for r in board.problems],
            ),
            "late": Table(
                _("Forecast to finish after the fiscal year ends"),
                (
                    Column("code", _("Code")),
                    Column("project", _("Project")),
                    Column("agency", _("Agency")),
                    Column("finish", _("Forecast finish"), "date"),
                    Column("budget", _("Budget (baht)"), "baht"),
                ),
                [
                    (
                        r.project.code,
                        r.project.name,
                        r.project.agency.name_th,
                        r.forecast_finish,
                        r.budget,
                    )
                    for r in board.late_projects
                ],
            ),
        }
        if fy is not None
        else {}
    )
