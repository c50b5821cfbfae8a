"""Write generated sample years into the database, fast enough for a city's twenty years.

A year is some 250,000 rows across thirteen tables. They are written by one prepared INSERT
per table run over all its rows (`executemany`; COPY on PostgreSQL), with ids reserved up
front so that children can name their parents without reading them back, in one transaction
per fiscal year. Sample data is made by nobody: it has no history rows, and goes through no
action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django.db import connection, models, transaction
from django.db.models.fields.related import ForeignObjectRel

from tidtam.demo.generate import CRITERIA
from tidtam.demo.records import AgencyRef, Contact, Reference, SampleYear
from tidtam.indicators.actions import criteria_by_code
from tidtam.indicators.models import (
    Kpi,
    KpiResult,
    KpiScore,
    KpiSupport,
    ProjectEvaluation,
    RatingLevel,
)
from tidtam.orgs.models import Agency, Origin, Person
from tidtam.projects.models import (
    BudgetInstalment,
    FiscalYear,
    PlanLink,
    PlanStep,
    Project,
    ProjectContact,
    ProjectItem,
)
from tidtam.reporting.models import Problem, ProblemCategory, ProgressReport
from tidtam.strategy.actions import BMA_PLAN
from tidtam.strategy.models import PlanNode

LINK_LEVELS = ("goal", "objective")
SAMPLE = Origin.SAMPLE.value


def reference() -> Reference:
    """The agencies of the reference data, the 20-year plan's goals and objectives, the
    problem categories and the rating scale, in a stable order."""
    agencies = Agency.objects.filter(origin=Origin.REFERENCE).order_by("code")
    nodes = PlanNode.objects.filter(
        plan__code=BMA_PLAN["code"], level__key__in=LINK_LEVELS
    ).order_by("sort_key")
    return Reference(
        agencies=tuple(AgencyRef(a.code, a.kind) for a in agencies),
        plan_nodes=tuple(nodes.values_list("code", "name_th")),
        categories=tuple(
            ProblemCategory.objects.filter(active=True)
            .order_by("order", "name_th")
            .values_list("name_th", flat=True)
        ),
        rating_levels=tuple(RatingLevel.objects.order_by("value").values_list("value", flat=True)),
    )


def years_with_samples(years: Iterable[int]) -> dict[int, int]:
    """{fiscal year: number of sample projects} of the years that have any."""
    rows = (
        Project.objects.filter(origin=Origin.SAMPLE, fiscal_year_id__in=list(years))
        .values_list("fiscal_year_id")
        .annotate(n=models.Count("id"))
    )
    return dict(rows)


def ensure_people(pool: dict[str, list[Contact]]) -> dict[tuple[str, str, str], int]:
    """The ids of the sample contacts, creating those not there yet (no history: nobody
    entered them). People have no origin: they stay when their projects are replaced."""
    wanted = {(code, c.name, c.phone) for code, people in pool.items() for c in people}
    known = _people(pool)
    if missing := sorted(wanted - known.keys()):
        agencies = dict(Agency.objects.filter(code__in=pool).values_list("code", "id"))
        Person.objects.bulk_create(
            Person(agency_id=agencies[code], name=name, phone=phone)
            for code, name, phone in missing
        )
        known = _people(pool)
    return known


def _people(pool: dict[str, list[Contact]]) -> dict[tuple[str, str, str], int]:
    rows = Person.objects.filter(agency__code__in=pool).values_list(
        "agency__code", "name", "phone", "id"
    )
    return {(code, name, phone): pk for code, name, phone, pk in rows}


@dataclass
class Written:
    """Rows written, by table."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, other: Written) -> None:
        for name, n in other.rows.items():
            self.rows[name] = self.rows.get(name, 0) + n


def write_year(
    sample: SampleYear, *, people: dict[tuple[str, str, str], int], replace: bool = False
) -> Written:
    """Write one generated fiscal year in one transaction; with `replace`, the year's earlier
    sample data goes first."""
    with transaction.atomic():
        if replace:
            delete_samples([sample.year])
        _check_codes(sample)
        return _Year(sample, people).write()


def analyze() -> None:
    """Bring the query planner's statistics up to date after a bulk load.

    SQLite has none until ANALYZE runs: without them it reads the reports of a few projects
    (`status = 'approved' AND project_id IN (…)`) through the status index, which is every
    report of the city, and the standing refresh and the importer slow down a hundredfold.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def delete_samples(years: Sequence[int]) -> None:
    """Delete the sample projects and KPIs of these fiscal years and every row that depends
    on them, in SQL (Django's delete would load each of millions of rows and write a history
    row for it). Only rows of origin SAMPLE are chosen; the rest follows their relations."""
    placeholders = ", ".join(["%s"] * len(years))
    where = f"origin = %s AND fiscal_year_id IN ({placeholders})"
    with transaction.atomic():
        for model in (Project, Kpi):
            _delete_where(model, where, [SAMPLE, *years])


def _delete_where(model: type[models.Model], where: str, params: list[Any]) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    chosen = f"SELECT {quote(model._meta.pk.column)} FROM {table} WHERE {where}"
    with connection.cursor() as cursor:
        for relation in model._meta.get_fields(include_hidden=True):
            if not isinstance(relation, ForeignObjectRel) or relation.many_to_many:
                continue
            child = cast(type[models.Model], relation.related_model)
            column = quote(relation.field.column)
            on_delete = relation.on_delete
            if on_delete in (models.CASCADE, models.RESTRICT):
                _delete_where(child, f"{column} IN ({chosen})", params)
            elif on_delete is models.SET_NULL:
                cursor.execute(
                    f"UPDATE {quote(child._meta.db_table)} SET {column} = NULL "
                    f"WHERE {column} IN ({chosen})",
                    params,
                )
            elif on_delete is not models.DO_NOTHING:  # history rows keep their ids
                raise ValueError(f"cannot delete sample rows under {child.__name__}.{column}")
        cursor.execute(f"DELETE FROM {table} WHERE {where}", params)


def _check_codes(sample: SampleYear) -> None:
    """Sample codes are chosen not to collide with real ones; say so if one does anyway."""
    codes = [p.code for p in sample.projects]
    kpi_codes = [k.code for k in sample.kpis]
    taken: list[str] = []
    for i in range(0, len(codes), 500):
        taken += Project.objects.filter(code__in=codes[i : i + 500]).values_list("code", flat=True)
    for i in range(0, len(kpi_codes), 500):
        taken += Kpi.objects.filter(
            fiscal_year_id=sample.year, code__in=kpi_codes[i : i + 500]
        ).values_list("code", flat=True)
    if taken:
        raise ValueError(
            f"fiscal year {sample.year}: codes already in use by other records: "
            f"{', '.join(sorted(taken)[:5])}"
        )


class _Insert:
    """One model's prepared INSERT, for rows given in `columns` order; the model's other
    fields take their defaults, so a field added later with a default needs no change here."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        quote = connection.ops.quote_name
        fields = {f.attname: f for f in model._meta.concrete_fields}
        rest = [
            f
            for f in model._meta.concrete_fields
            if f.attname not in columns and not isinstance(f, models.AutoField)
        ]
        for f in rest:
            if not (f.has_default() or f.null or f.empty_strings_allowed):
                raise ValueError(f"{model.__name__}.{f.name} needs a value from the generator")
        self.constants = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        names = [fields[c].column for c in columns] + [f.column for f in rest]
        self.model = model
        table, column_list = quote(model._meta.db_table), ", ".join(quote(n) for n in names)
        self.sql = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(names))})"
        self.copy = f"COPY {table} ({column_list}) FROM STDIN"

    def write(self, rows: list[tuple[Any, ...]]) -> int:
        if rows:
            constants = self.constants
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # COPY: PostgreSQL parses and plans each INSERT of an executemany on its
                    # own (the values are bound on the client), which was most of the time a
                    # year took to write; COPY streams the rows into the table in one command.
                    with cursor.cursor.copy(self.copy) as copy:
                        for row in rows:
                            copy.write_row(row + constants)
                else:
                    cursor.executemany(self.sql, [row + constants for row in rows])
        return len(rows)


_inserts: dict[tuple[type[models.Model], tuple[str, ...]], _Insert] = {}


def _insert(model: type[models.Model], *columns: str) -> _Insert:
    if (model, columns) not in _inserts:
        _inserts[(model, columns)] = _Insert(model, columns)
    return _inserts[(model, columns)]


def _reserve(model: type[models.Model], count: int) -> int:
    """The first of `count` consecutive new ids of the model's table, reserved for this
    transaction's rows."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Moving the sequence on reserves the block: rows others insert meanwhile get ids
            # after it.
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, count],
            )
            return int(cursor.fetchone()[0]) - count + 1
        if connection.vendor == "sqlite":
            # AUTOINCREMENT never reuses an id, even of a deleted row (its history keeps it);
            # sqlite_sequence holds the highest ever given and follows explicit ids.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
            highest = cursor.fetchone()[0]
            return max(found[0] if found else 0, highest or 0) + 1
    raise NotImplementedError(f"generate_demo does not write to {connection.vendor}")


def _moment() -> Callable[[datetime | None], Any]:
    if connection.vendor == "sqlite":
        # What Django's adapt_datetimefield_value stores for a UTC time, in half its time:
        # the generator's times are in UTC already.
        return lambda value: None if value is None else str(value.replace(tzinfo=None))
    return lambda value: value


class _Year:
    def __init__(self, sample: SampleYear, people: dict[tuple[str, str, str], int]) -> None:
        self.sample = sample
        self.people = people
        self.fiscal_year = FiscalYear.ensure(sample.year)
        self.quarters = dict(self.fiscal_year.quarters.values_list("number", "id"))
        self.agencies = dict(Agency.objects.values_list("code", "id"))
        self.nodes = dict(
            PlanNode.objects.filter(plan__code=BMA_PLAN["code"]).values_list("code", "id")
        )
        self.categories = dict(ProblemCategory.objects.values_list("name_th", "id"))
        self.criteria = {code: c.pk for code, c in criteria_by_code(set(CRITERIA)).items()}
        self.moment = _moment()
        self._dates: dict[date, Any] = {}

    def day(self, value: date) -> Any:
        if value not in self._dates:
            self._dates[value] = connection.ops.adapt_datefield_value(value)
        return self._dates[value]

    def write(self) -> Written:
        projects = self.sample.projects
        written = Written()
        if not projects:
            return written
        first_project = _reserve(Project, len(projects))
        first_kpi = _reserve(Kpi, len(self.sample.kpis))
        report_ids = self._report_ids(first_project)
        written.rows = {
            "projects": self._projects(first_project),
            "objectives and targets": self._items(first_project),
            "plan links": self._links(first_project),
            "contacts": self._contacts(first_project),
            "plan steps": self._steps(first_project),
            "budget instalments": self._instalments(first_project),
            "reports": self._reports(first_project, report_ids),
            "problems": self._problems(first_project, report_ids),
            "project evaluations": self._evaluations(first_project),
            "KPIs": self._kpis(first_kpi),
            "KPI supports": self._supports(first_project, first_kpi),
            "KPI results": self._results(first_kpi),
            "KPI scores": self._scores(first_kpi),
        }
        return written

    def _report_ids(self, first_project: int) -> list[int]:
        """The id of each project's first report; the others follow it."""
        count = sum(len(p.reports) for p in self.sample.projects)
        next_id = _reserve(ProgressReport, count) if count else 0
        firsts = []
        for project in self.sample.projects:
            firsts.append(next_id)
            next_id += len(project.reports)
        return firsts

    def _projects(self, first: int) -> int:
        fy = self.fiscal_year.pk
        moment = self.moment
        return _insert(
            Project,
            "id", "code", "name", "agency_id", "fiscal_year_id", "responsible_unit", "rationale",
            "budget", "progress_unit", "progress_target", "published", "origin", "source_ref",
            "created_at", "updated_at",
        ).write(
            [
                (
                    first + n, p.code, p.name, self.agencies[p.agency], fy, p.responsible_unit,
                    p.rationale, p.budget, p.progress_unit, p.progress_target, p.published,
                    SAMPLE, "generate_demo", moment(p.created_at), moment(p.created_at),
                )
                for n, p in enumerate(self.sample.projects)
            ]
        )  # fmt: skip

    def _items(self, first: int) -> int:
        rows = []
        for n, p in enumerate(self.sample.projects):
            for kind, texts in (("objective", p.objectives), ("target", p.targets)):
                for order, text in enumerate(texts, 1):
                    rows.append((first + n, kind, order, f"{order}.", text))
        return _insert(ProjectItem, "project_id", "kind", "order", "label", "text").write(rows)

    def _links(self, first: int) -> int:
        rows = [
            (first + n, self.nodes[code], self.fiscal_year.year, order, name)
            for n, p in enumerate(self.sample.projects)
            for order, (code, name) in enumerate(p.plan_nodes, 1)
        ]
        columns = ("project_id", "node_id", "fiscal_year", "order", "source_text")
        return _insert(PlanLink, *columns).write(rows)

    def _contacts(self, first: int) -> int:
        rows = [
            (first + n, self.people[(p.agency, p.contact.name, p.contact.phone)], 1)
            for n, p in enumerate(self.sample.projects)
            if p.contact is not None
        ]
        return _insert(ProjectContact, "project_id", "person_id", "order").write(rows)

    def _steps(self, first: int) -> int:
        day = self.day
        rows = [
            (first + n, s.order, s.text, s.weight, day(s.start), day(s.end))
            for n, p in enumerate(self.sample.projects)
            for s in p.steps
        ]
        return _insert(PlanStep, "project_id", "order", "text", "weight", "start", "end").write(
            rows
        )

    def _instalments(self, first: int) -> int:
        rows = [
            (first + n, self.day(i.released_on), i.amount, "")
            for n, p in enumerate(self.sample.projects)
            for i in p.instalments
        ]
        return _insert(BudgetInstalment, "project_id", "released_on", "amount", "note").write(rows)

    def _reports(self, first: int, report_ids: list[int]) -> int:
        day, moment = self.day, self.moment
        rows = [
            (
                report_ids[n] + k, first + n, day(r.report_date), r.percent, r.quantity, r.spent,
                r.narrative, r.decrease_reason, r.status, r.review_comment, SAMPLE,
                moment(r.created_at), moment(r.submitted_at), moment(r.reviewed_at),
            )
            for n, p in enumerate(self.sample.projects)
            for k, r in enumerate(p.reports)
        ]  # fmt: skip
        return _insert(
            ProgressReport,
            "id", "project_id", "report_date", "percent", "quantity", "spent", "narrative",
            "decrease_reason", "status", "review_comment", "origin", "created_at",
            "submitted_at", "reviewed_at",
        ).write(rows)  # fmt: skip

    def _problems(self, first: int, report_ids: list[int]) -> int:
        rows = []
        for n, p in enumerate(self.sample.projects):
            for problem in p.problems:
                opened = p.reports[problem.opened_in]
                resolved = problem.resolved_in
                rows.append(
                    (
                        first + n,
                        self.categories[problem.category],
                        problem.description,
                        "open" if resolved is None else "resolved",
                        report_ids[n] + problem.opened_in,
                        None if resolved is None else report_ids[n] + resolved,
                        self.moment(opened.created_at),
                    )
                )
        return _insert(
            Problem,
            "project_id", "category_id", "description", "status", "opened_in_id",
            "resolved_in_id", "created_at",
        ).write(rows)  # fmt: skip

    def _evaluations(self, first: int) -> int:
        rows = [
            (first + n, self.quarters[quarter], score)
            for n, p in enumerate(self.sample.projects)
            for quarter, score in p.evaluations
        ]
        return _insert(ProjectEvaluation, "project_id", "quarter_id", "score").write(rows)

    def _kpis(self, first: int) -> int:
        fy = self.fiscal_year.pk
        rows = [
            (
                first + n, k.code, fy, self.agencies[k.agency], k.text, k.unit, k.target,
                k.achieved, k.kpi_type, k.level, k.direction, k.mode, SAMPLE,
            )
            for n, k in enumerate(self.sample.kpis)
        ]  # fmt: skip
        return _insert(
            Kpi,
            "id", "code", "fiscal_year_id", "agency_id", "text", "unit", "target", "achieved",
            "kpi_type", "level", "direction", "mode", "origin",
        ).write(rows)  # fmt: skip

    def _supports(self, first_project: int, first_kpi: int) -> int:
        rows = [
            (first_kpi + k, first_project + n, order)
            for n, p in enumerate(self.sample.projects)
            for order, k in enumerate(p.kpis, 1)
        ]
        return _insert(KpiSupport, "kpi_id", "project_id", "order").write(rows)

    def _results(self, first: int) -> int:
        rows = [
            (first + n, self.quarters[r.quarter], r.result, r.narrative, r.status, r.review_comment)
            for n, k in enumerate(self.sample.kpis)
            for r in k.results
        ]
        return _insert(
            KpiResult, "kpi_id", "quarter_id", "result", "narrative", "status", "review_comment"
        ).write(rows)

    def _scores(self, first: int) -> int:
        rows = [
            (first + n, self.quarters[quarter], self.criteria[criterion], score)
            for n, k in enumerate(self.sample.kpis)
            for quarter, criterion, score in k.scores
        ]
        return _insert(KpiScore, "kpi_id", "quarter_id", "criterion_id", "score").write(rows)
