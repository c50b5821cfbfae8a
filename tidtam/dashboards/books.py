"""Report books: what an agency's book, a plan node's book and an agency's quarterly KPI report
hold, chosen with the lists' own rules and read in a fixed number of queries, and the
fingerprint of the data a book shows.

Who may ask for a book: anyone who may read the lists it comes from. A book holds what its
requester may see there, through the same visibility rules (`projects_for_user`,
`kpis_for_user`, `KpiResult.visible_to`): the public and other agencies' staff read the
published projects and approved figures, an agency's own staff read its unpublished projects
and the reports and results on their way as well, the readers across the city (evaluators,
executives, administrators) read everything. A book whose reader sees no project (no KPI) is
refused with a reason before any work is done.

An agency's book and a plan node's book list the same projects as the project list filtered by
that agency (or plan node: the node and every node below it) and fiscal year, in the list's
order. A quarter, when chosen, names the book and adds each project's evaluation score of the
quarter to the summary; the figures are the latest approved ones either way. The KPI report
lists the KPI list's KPIs of the agency and year with their results of the year's quarters up
to the chosen one, and the evaluators' scores of that quarter.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tidtam.accounts.access import access_for
from tidtam.dashboards.filters import ListFilters, ProjectFilters
from tidtam.indicators.access import kpis_for_user
from tidtam.indicators.models import (
    Kpi,
    KpiResult,
    KpiScore,
    KpiSupport,
    ProjectEvaluation,
    ResultStatus,
)
from tidtam.lib.fiscal import fiscal_year_label
from tidtam.orgs.models import Agency, Person, Unit
from tidtam.projects.access import projects_for_user
from tidtam.projects.models import (
    BudgetInstalment,
    DataWarning,
    FiscalYear,
    PlanBaseline,
    PlanLink,
    PlanStep,
    Project,
    ProjectContact,
    ProjectItem,
    Quarter,
)
from tidtam.reporting.models import Problem, ProblemCategory, ProgressReport, ReportAttachment
from tidtam.standing.models import KpiStanding, ProjectStanding, StandingStatus
from tidtam.standing.present import status_label
from tidtam.strategy.models import PlanNode

AGENCY_BOOK = "agency"
PLAN_BOOK = "plan"
KPI_REPORT = "kpis"
BOOK_KINDS = (AGENCY_BOOK, PLAN_BOOK, KPI_REPORT)

# Bumped whenever what a book prints changes, so that a file made by the older code is never
# served for the newer.
FORMAT = 1


class BookRefused(Exception):
    """A book that cannot be made, with the reason the requester reads (an English message id
    marked with gettext_noop, and its parameters)."""

    def __init__(self, message: str, **values: Any) -> None:
        super().__init__(message)
        self.message = message
        self.values = values

    def __str__(self) -> str:
        # Read in the reader's language, the fiscal year too ("2570" in Thai, "2027" in English).
        values = {k: fiscal_year_label(v) if k == "year" else v for k, v in self.values.items()}
        return _(self.message) % values if values else _(self.message)


NO_PROJECTS = gettext_noop(
    "There is no project in this book that you may see: no project of fiscal year %(year)s "
    "matches it."
)
# A book of more projects would take the worker hours (about five pages and a second of
# rendering a project): the reader narrows the plan node or picks an agency instead.
MAX_PROJECTS = 1000
TOO_MANY = gettext_noop(
    "This book would have %(count)s projects, more than the %(most)s a book may have. Choose a "
    "plan node further down, or an agency."
)
NO_KPIS = gettext_noop(
    "There is no indicator in this report that you may see: the agency has no KPI of fiscal "
    "year %(year)s."
)


@dataclass(frozen=True)
class BookSpec:
    """What a book is of, as a job's parameters keep it."""

    kind: str
    fiscal_year: int
    agency: str = ""  # the agency's code: agency books and KPI reports
    node: int | None = None  # the plan node's id: plan books
    quarter: int | None = None
    thai_digits: bool = False

    def parameters(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def of(cls, parameters: dict[str, Any]) -> BookSpec:
        return cls(**{f.name: parameters[f.name] for f in fields(cls) if f.name in parameters})


@dataclass(frozen=True)
class BookSubject:
    """The agency or plan node a book is of, and its year, found for a page or a job."""

    spec: BookSpec
    fiscal_year: FiscalYear
    agency: Agency | None = None
    node: PlanNode | None = None
    quarter: Quarter | None = None

    @property
    def name(self) -> str:
        if self.node is not None:
            return f"{self.node.code} {self.node.name_th}"
        return self.agency.name_th if self.agency is not None else ""

    @property
    def title(self) -> str:
        """The book's title, as its cover, its job and its file name's reader see it."""
        values: dict[str, object] = {
            "name": self.name,
            "year": fiscal_year_label(self.spec.fiscal_year),
        }
        if self.spec.kind == KPI_REPORT:
            if self.quarter is not None:
                values["quarter"] = self.quarter.number
                return _("KPI report of %(name)s, fiscal year %(year)s, quarter %(quarter)s") % (
                    values
                )
            return _("KPI report of %(name)s, fiscal year %(year)s") % values
        if self.quarter is not None:
            values["quarter"] = self.quarter.number
            return _("Report book of %(name)s, fiscal year %(year)s, quarter %(quarter)s") % values
        return _("Report book of %(name)s, fiscal year %(year)s") % values

    @property
    def running_title(self) -> str:
        """The title at the head of every page: short enough for one line of a portrait page."""
        values: dict[str, object] = {
            "name": self.name,
            "year": fiscal_year_label(self.spec.fiscal_year),
        }
        if self.quarter is not None:
            values["quarter"] = self.quarter.number
            return _("%(name)s · fiscal year %(year)s, quarter %(quarter)s") % values
        return _("%(name)s · fiscal year %(year)s") % values

    @property
    def filename(self) -> str:
        subject = self.spec.agency or (self.node.code if self.node is not None else "")
        quarter = f"-q{self.spec.quarter}" if self.spec.quarter else ""
        kind = "kpi-report" if self.spec.kind == KPI_REPORT else "book"
        return f"tidtam-{kind}-{subject}-{self.spec.fiscal_year}{quarter}.pdf"


def find_subject(spec: BookSpec) -> BookSubject:
    """The book's agency or node, year and quarter; a 404 when one of them does not exist
    (an agency, a plan node, a year and its quarters are public knowledge)."""
    year = FiscalYear.objects.filter(year=spec.fiscal_year).first()
    if year is None or spec.kind not in BOOK_KINDS:
        raise Http404("no such book")
    quarter = None
    if spec.quarter is not None:
        quarter = Quarter.objects.filter(fiscal_year=year, number=spec.quarter).first()
        if quarter is None:
            raise Http404("no such quarter")
    if spec.kind == PLAN_BOOK:
        node = (
            PlanNode.objects.select_related("plan").filter(pk=spec.node).first()
            if spec.node is not None
            else None
        )
        if node is None:
            raise Http404("no such plan node")
        return BookSubject(spec, year, node=node, quarter=quarter)
    agency = Agency.objects.filter(code=spec.agency).first()
    if agency is None:
        raise Http404("no such agency")
    return BookSubject(spec, year, agency=agency, quarter=quarter)


def book_projects(user: object, spec: BookSpec) -> QuerySet[Project]:
    """The projects of an agency's or a plan node's book: the project list's, filtered by
    the agency (the plan node) and the year, as this reader sees it, in the list's order."""
    if spec.kind == PLAN_BOOK:
        filters = ProjectFilters(query="", fiscal_year=spec.fiscal_year, agency="", node=spec.node)
    else:
        filters = ProjectFilters(query="", fiscal_year=spec.fiscal_year, agency=spec.agency)
    return filters.apply(projects_for_user(user).for_list())


def book_kpis(user: object, spec: BookSpec) -> QuerySet[Kpi]:
    """The KPIs of an agency's KPI report: the KPI list's, filtered by the agency and the
    year, as this reader sees it, by code."""
    filters = ListFilters(query="", fiscal_year=spec.fiscal_year, agency=spec.agency)
    return filters.apply(kpis_for_user(user).for_list()).order_by("code", "pk")


def book_count(user: object, spec: BookSpec) -> int:
    """How many projects (KPIs, for a KPI report) the reader would find in the book."""
    if spec.kind == KPI_REPORT:
        return book_kpis(user, spec).count()
    return book_projects(user, spec).count()


# What a project's section and the summary read, by the path from each model to the project
# (a fingerprint counts their rows and their changes), and the reference data they name.
PROJECT_FACTS: tuple[tuple[type[Model], str], ...] = (
    (ProjectItem, "project"),
    (ProjectContact, "project"),
    (PlanLink, "project"),
    (PlanStep, "project"),
    (PlanBaseline, "project"),
    (BudgetInstalment, "project"),
    (DataWarning, "project"),
    (ProgressReport, "project"),
    (Problem, "project"),
    (ReportAttachment, "report__project"),
    (KpiSupport, "project"),
    (ProjectEvaluation, "project"),
    (KpiResult, "kpi__supports__project"),
    (KpiScore, "kpi__supports__project"),
)
KPI_FACTS: tuple[tuple[type[Model], str], ...] = (
    (KpiResult, "kpi"),
    (KpiScore, "kpi"),
    (KpiSupport, "kpi"),
)
REFERENCE: tuple[type[Model], ...] = (Agency, Unit, Person, PlanNode, ProblemCategory)


def _changes(model: type[Model], condition: Q) -> list[Any]:
    """How many rows, the newest row and the newest history entry: a row added, removed or
    changed through an action (which writes history) moves one of them."""
    live = (
        model._default_manager.filter(condition).order_by().aggregate(n=Count("pk"), top=Max("pk"))
    )
    history = model.history.model  # type: ignore[attr-defined]
    newest = history.objects.filter(condition).order_by().aggregate(top=Max("history_id"))
    return [model.__name__, live["n"], live["top"], newest["top"]]


def _rows(rows: QuerySet[Any]) -> list[Any]:
    return [list(row) for row in rows]


def reader_scope(user: object, agency_ids: set[int]) -> list[Any]:
    """What of these agencies' records the reader sees besides the public's: everything
    (readers across the city), their own agencies' records in progress, or the public's."""
    access = access_for(user)
    if access.reads_all:
        return ["city"]
    return ["agencies", sorted(agency_ids & access.agencies)]


def fingerprint(
    spec: BookSpec, user: object, *, lang: str, today: date, projects: QuerySet[Project]
) -> str:
    """The fingerprint of an agency's or a plan node's book: equal fingerprints, equal books.

    It reads, in a fixed number of short aggregate queries, the visible projects with their
    versions, their stored standings, and for every kind of record a section shows the count,
    the newest key and the newest history entry; with the reader's scope, the language, the
    digits, the day (a book's planned figures and charts are of the day it is made) and the
    book's FORMAT.
    """
    keys = projects.order_by().values("pk")
    facts: list[Any] = [
        FORMAT,
        spec.parameters(),
        lang,
        today.isoformat(),
        _rows(
            Project.objects.filter(pk__in=keys)
            .order_by("pk")
            .values_list("pk", "version", "updated_at", "published", "agency_id")
        ),
        _rows(
            ProjectStanding.objects.filter(project__in=keys)
            .order_by("project_id")
            .values_list(*(f.attname for f in ProjectStanding._meta.concrete_fields))
        ),
    ]
    agencies = set(projects.order_by().values_list("agency_id", flat=True).distinct())
    facts.append(reader_scope(user, agencies))
    for model, path in PROJECT_FACTS:
        facts.append(_changes(model, Q(**{f"{path}__in": keys})))
    # A KPI's history has no way back to the projects: its KPIs are named by key.
    kpi_keys = Kpi.objects.filter(supports__project__in=keys).order_by().values("pk")
    facts.append(_changes(Kpi, Q(id__in=kpi_keys)))
    facts += [_changes(model, Q()) for model in REFERENCE]
    return _digest(facts)


def kpi_fingerprint(
    spec: BookSpec, user: object, *, lang: str, today: date, kpis: QuerySet[Kpi]
) -> str:
    """The fingerprint of a KPI report, as `fingerprint` is a book's."""
    keys = kpis.order_by().values("pk")
    facts: list[Any] = [
        FORMAT,
        spec.parameters(),
        lang,
        today.isoformat(),
        _rows(
            Kpi.objects.filter(pk__in=keys).order_by("pk").values_list("pk", "version", "agency_id")
        ),
        _rows(
            KpiStanding.objects.filter(kpi__in=keys)
            .order_by("kpi_id")
            .values_list(*(f.attname for f in KpiStanding._meta.concrete_fields))
        ),
        _rows(
            Project.objects.filter(kpi_supports__kpi__in=keys)
            .order_by("pk")
            .values_list("pk", "version", "published", "agency_id")
            .distinct()
        ),
    ]
    agencies = set(kpis.order_by().values_list("agency_id", flat=True).distinct())
    facts.append(reader_scope(user, agencies))
    for model, path in KPI_FACTS:
        facts.append(_changes(model, Q(**{f"{path}__in": keys})))
    facts.append(_changes(Kpi, Q(id__in=keys)))
    facts += [_changes(model, Q()) for model in (Agency, Person)]
    return _digest(facts)


def _digest(facts: list[Any]) -> str:
    text = json.dumps(facts, default=str, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class SummaryRow:
    """A project's line in a book's summary table."""

    code: str
    name: str
    status_label: str
    planned: Decimal | None
    reported: Decimal | None
    allocated: Decimal | None
    spent: Decimal | None
    open_problems: int
    score: Decimal | None  # the project's evaluation in the chosen quarter
    sample: bool
    published: bool


@dataclass
class BookFront:
    """A book's cover and summary table."""

    subject: BookSubject
    made_on: date
    rows: list[SummaryRow]
    # The newest approved report among the projects: the book's data is "up to" that day
    # (print/_data_state.html reads it, as it reads a printed project's).
    approved_up_to: date | None
    statuses: list[tuple[str, int]]
    allocated: Decimal
    spent: Decimal
    open_problems: int
    unpublished: int  # projects in the book the public does not see
    samples: int  # synthetic projects (generate_demo)
    insider: bool  # the reader sees reports and results before their approval


SUMMARY_FIELDS = (
    "code",
    "name",
    "origin",
    "published",
    "agency_id",
    *(
        f"standing__{name}"
        for name in (
            "status",
            "planned_today",
            "planned_then",
            "reported_percent",
            "reported_on",
            "budget_allocated",
            "budget_spent",
            "open_problems",
        )
    ),
)


def _standing(project: Project) -> ProjectStanding | None:
    try:
        return project.standing
    except ProjectStanding.DoesNotExist:
        return None


def book_front(
    subject: BookSubject, user: object, projects: list[Project], *, today: date
) -> BookFront:
    """The cover and summary of these projects (read with `summary_projects`), and one query
    for the quarter's evaluation scores."""
    scores: dict[int, Decimal | None] = {}
    if subject.quarter is not None:
        scores = dict(
            ProjectEvaluation.objects.official()
            .filter(quarter=subject.quarter, project__in=[p.pk for p in projects])
            .values_list("project_id", "score")
        )
    rows = []
    statuses: Counter[str] = Counter()
    approved_up_to = None
    for project in projects:
        s = _standing(project)
        if s is not None:
            statuses[s.status] += 1
            if s.reported_on and (approved_up_to is None or s.reported_on > approved_up_to):
                approved_up_to = s.reported_on
        planned = None
        if s is not None:
            planned = s.planned_then if s.planned_then is not None else s.planned_today
        rows.append(
            SummaryRow(
                code=project.code,
                name=project.name,
                status_label=status_label(s.status) if s else "",
                planned=planned,
                reported=s.reported_percent if s else None,
                allocated=s.budget_allocated if s else None,
                spent=s.budget_spent if s else None,
                open_problems=s.open_problems if s else 0,
                score=scores.get(project.pk),
                sample=project.is_sample,
                published=project.published,
            )
        )
    access = access_for(user)
    return BookFront(
        subject=subject,
        made_on=today,
        rows=rows,
        approved_up_to=approved_up_to,
        statuses=[
            (str(label), statuses[value])
            for value, label in StandingStatus.choices
            if statuses[value]
        ],
        allocated=sum((r.allocated for r in rows if r.allocated is not None), Decimal(0)),
        spent=sum((r.spent for r in rows if r.spent is not None), Decimal(0)),
        open_problems=sum(r.open_problems for r in rows),
        unpublished=sum(1 for r in rows if not r.published),
        samples=sum(1 for r in rows if r.sample),
        insider=access.reads_all or any(access.reads_agency(p.agency_id) for p in projects),
    )


def summary_projects(projects: QuerySet[Project]) -> list[Project]:
    """The book's projects with their standings, in one query."""
    return list(projects.select_related(None).select_related("standing").only(*SUMMARY_FIELDS))


# The KPI report.


@dataclass(frozen=True)
class QuarterResult:
    number: int
    result: Decimal | None
    status: str  # "" when nothing is entered
    status_label: str

    @property
    def approved(self) -> bool:
        return self.status == ResultStatus.APPROVED


@dataclass(frozen=True)
class KpiLine:
    kpi: Kpi
    quarters: list[QuarterResult]
    achieved: Decimal | None
    percent_of_target: Decimal | None
    met: bool | None
    scores: list[tuple[str, Decimal]]  # (criterion code, score) in the chosen quarter
    projects: list[str]  # codes of the supported projects the reader sees


@dataclass
class KpiReport:
    subject: BookSubject
    made_on: date
    quarter_numbers: list[int]
    lines: list[KpiLine] = field(default_factory=list)
    insider: bool = False
    # Some result shown is not approved yet (insiders only).
    has_unapproved: bool = False


def kpi_report(subject: BookSubject, user: object, *, today: date) -> KpiReport:
    """The agency's KPIs with their results and scores, in five queries whatever their number:
    the KPIs with their standings, the results the reader may see, the scores of the chosen
    quarter, and the supported projects the reader may see."""
    spec = subject.spec
    kpis = list(book_kpis(user, spec).select_related("standing"))
    last = spec.quarter or 4
    numbers = list(range(1, last + 1))
    results: dict[tuple[int, int], KpiResult] = {
        (r.kpi_id, r.quarter.number): r
        for r in KpiResult.objects.visible_to(user)
        .filter(kpi__in=kpis, quarter__number__lte=last)
        .select_related("quarter")
    }
    scores: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    if subject.quarter is not None:
        for kpi_id, criterion, score in (
            KpiScore.objects.official()
            .filter(kpi__in=kpis, quarter=subject.quarter)
            .order_by("kpi_id", "criterion__order", "criterion__code")
            .values_list("kpi_id", "criterion__code", "score")
        ):
            scores[kpi_id].append((criterion, score))
    supported: dict[int, list[str]] = defaultdict(list)
    for kpi_id, code in (
        KpiSupport.objects.filter(kpi__in=kpis, project__in=projects_for_user(user).values("pk"))
        .order_by("kpi_id", "order", "project__code")
        .values_list("kpi_id", "project__code")
    ):
        supported[kpi_id].append(code)
    report = KpiReport(subject=subject, made_on=today, quarter_numbers=numbers)
    for kpi in kpis:
        try:
            standing: KpiStanding | None = kpi.standing
        except KpiStanding.DoesNotExist:
            standing = None
        quarters = []
        for number in numbers:
            row = results.get((kpi.pk, number))
            quarters.append(
                QuarterResult(
                    number=number,
                    result=row.result if row else None,
                    status=row.status if row else "",
                    status_label=str(ResultStatus(row.status).label) if row else "",
                )
            )
            if row is not None and row.status != ResultStatus.APPROVED:
                report.has_unapproved = True
        report.lines.append(
            KpiLine(
                kpi=kpi,
                quarters=quarters,
                achieved=standing.achieved if standing else None,
                percent_of_target=standing.percent_of_target if standing else None,
                met=standing.met if standing else None,
                scores=scores.get(kpi.pk, []),
                projects=supported.get(kpi.pk, []),
            )
        )
    access = access_for(user)
    report.insider = access.reads_all or (
        subject.agency is not None and access.reads_agency(subject.agency.pk)
    )
    return report
