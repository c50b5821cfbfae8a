"""Typed rows of an annual plan → the actions that the web pages call, in one transaction.

Every rule is the actions' own (a project's code and values, a plan's steps, a KPI's values);
the importer only looks up what the rows name (units, plan nodes, projects) and puts each
refusal at the sheet, row and column it came from. A dry run does all of it and rolls back;
an import commits only when nothing at all was refused.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tidtam.audit import write
from tidtam.audit.write import Actor
from tidtam.indicators import actions as kpi_actions
from tidtam.indicators.models import Kpi, KpiDirection, KpiLevel, KpiMode, KpiType
from tidtam.lib.forms import date_errors
from tidtam.orgs.models import Agency, Unit
from tidtam.planimport.layout import KPIS, PROJECTS, SHEETS, SHEETS_BY_KEY, STEPS, Sheet
from tidtam.planimport.parse import (
    KpiRow,
    PlanFile,
    Problem,
    ProjectRow,
    StepRow,
    parse_plan,
)
from tidtam.projects import actions as project_actions
from tidtam.projects.models import FiscalYear, Project
from tidtam.strategy.models import PlanNode


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    projects_created: int = 0
    projects_updated: int = 0
    kpis_created: int = 0
    kpis_updated: int = 0
    steps: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


class _Rollback(Exception):
    """Leaves the transaction of a dry run, or of an import that was refused anywhere."""


Progress = Callable[[int], None]


def import_plan(
    *,
    plan: PlanFile,
    agency: Agency,
    fiscal_year: int,
    by: Actor,
    source: str,
    commit: bool,
    progress: Progress | None = None,
) -> ImportReport:
    """Check the whole plan through the actions, and keep it only when `commit` is asked and
    nothing was refused: all or nothing."""
    report = ImportReport(problems=list(plan.problems))
    loader = _Loader(plan, agency, by, report, progress or (lambda n: None), source)
    try:
        with transaction.atomic(), write.refresh_deferred():
            try:
                year = project_actions.entered_fiscal_year(fiscal_year)
            except ValidationError as error:
                report.problems.extend(Problem(m) for m in error.messages)
                raise _Rollback from error
            loader.load(year)
            if report.problems or not commit:
                raise _Rollback
    except _Rollback:
        return report
    report.committed = True
    return report


def _field_problems(
    error: ValidationError, sheet: Sheet, row: int, *, rename: dict[str, str] | None = None
) -> list[Problem]:
    """An action's refusal at the columns its fields name (the rest at the row)."""
    keys = {c.key for c in sheet.columns}
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        return [Problem(m, sheet.key, row) for m in error.messages]
    problems = []
    for name, messages in error.message_dict.items():
        column = rename.get(name, name)
        for message in messages:
            problems.append(Problem(message, sheet.key, row, column if column in keys else ""))
    return problems


class _Loader:
    def __init__(
        self,
        plan: PlanFile,
        agency: Agency,
        by: Actor,
        report: ImportReport,
        progress: Progress,
        source: str,
    ) -> None:
        self.plan = plan
        self.agency = agency
        self.by = by
        self.report = report
        self.progress = progress
        self.reason = _("annual plan import: %(file)s") % {"file": source[:60]}
        self.projects: dict[str, Project] = {}
        self.failed: set[str] = set(plan.skipped_projects)

    def problem(self, message: str, sheet: Sheet, row: int, column: str = "") -> None:
        self.report.problems.append(Problem(message, sheet.key, row, column))

    def load(self, fiscal_year: FiscalYear) -> None:
        units = {u.code: u for u in Unit.objects.filter(agency=self.agency)}
        nodes = {f"{n.plan.code}:{n.code}": n for n in PlanNode.objects.select_related("plan")}
        seen: dict[str, int] = {}
        for row in self.plan.projects:
            if row.code in seen:
                self.problem(
                    _("Project %(code)s is already on row %(row)s.")
                    % {"code": row.code, "row": seen[row.code]},
                    PROJECTS,
                    row.row,
                    "code",
                )
                continue
            seen[row.code] = row.row
            self._project(row, fiscal_year, units, nodes)
            self.progress(1)
        by_project: dict[str, list[StepRow]] = defaultdict(list)
        for step in self.plan.steps:
            by_project[step.project].append(step)
        for code, steps in by_project.items():
            self._steps(code, steps)
            self.progress(len(steps))
        kpi_seen: dict[str, int] = {}
        for kpi_row in self.plan.kpis:
            if kpi_row.code in kpi_seen:
                self.problem(
                    _("KPI %(code)s is already on row %(row)s.")
                    % {"code": kpi_row.code, "row": kpi_seen[kpi_row.code]},
                    KPIS,
                    kpi_row.row,
                    "code",
                )
                continue
            kpi_seen[kpi_row.code] = kpi_row.row
            self._kpi(kpi_row, fiscal_year)
            self.progress(1)

    # --- projects ---

    def _project(
        self,
        row: ProjectRow,
        fiscal_year: FiscalYear,
        units: dict[str, Unit],
        nodes: dict[str, PlanNode],
    ) -> None:
        found: dict[str, Unit | None] = {}
        for key in ("owning_unit", "reporting_unit"):
            code = getattr(row, key)
            found[key] = units.get(code) if code else None
            if code and found[key] is None:
                self.problem(
                    _("The agency has no unit %(code)s: see the reference sheet.") % {"code": code},
                    PROJECTS,
                    row.row,
                    key,
                )
        links = []
        for code in row.links:
            node = nodes.get(code)
            if node is None:
                self.problem(
                    _("There is no plan node %(code)s: see the reference sheet.") % {"code": code},
                    PROJECTS,
                    row.row,
                    "links",
                )
            else:
                links.append(node)
        existing = Project.objects.filter(code=row.code).first()
        # The workbook has no contacts: a project updated keeps its own.
        contacts = (
            [
                project_actions.ContactInput(c.person.name, c.person.phone, c.person.email)
                for c in existing.contacts.select_related("person")
            ]
            if existing is not None
            else []
        )
        data = project_actions.ProjectInput(
            name=row.name,
            fiscal_year=fiscal_year.pk,
            rationale=row.rationale,
            budget=row.budget,
            owning_unit=found["owning_unit"],
            reporting_unit=found["reporting_unit"],
            responsible_unit=row.responsible_unit,
            progress_unit=row.progress_unit,
            progress_target=row.progress_target,
            objectives=list(row.objectives),
            targets=list(row.targets),
            links=links,
            contacts=contacts,
        )
        if existing is not None and (
            existing.agency_id != self.agency.pk or existing.fiscal_year_id != fiscal_year.pk
        ):
            self.problem(
                _(
                    "Project %(code)s already exists in another agency or fiscal year: "
                    "give the new project another code."
                )
                % {"code": row.code},
                PROJECTS,
                row.row,
                "code",
            )
            self.failed.add(row.code)
            return
        # A row with a name that matched nothing still goes to the action, for the rest of
        # its problems: the transaction is rolled back anyway, as a problem was found.
        try:
            if existing is None:
                project = project_actions.create_project(
                    agency=self.agency, code=row.code, data=data, by=self.by
                )
                self.report.projects_created += 1
            else:
                project = project_actions.update_project(
                    project=existing,
                    expected_version=existing.version,
                    data=data,
                    by=self.by,
                    reason=self.reason,
                )
                self.report.projects_updated += 1
        except ValidationError as error:
            self.report.problems.extend(_field_problems(error, PROJECTS, row.row))
            self.failed.add(row.code)
            return
        self.projects[row.code] = project

    # --- steps ---

    def _steps(self, code: str, rows: list[StepRow]) -> None:
        if code in self.failed:
            return
        project = self.projects.get(code)
        if project is None:
            for row in rows:
                self.problem(
                    _("Project %(code)s is not on the projects sheet.") % {"code": code},
                    STEPS,
                    row.row,
                    "project",
                )
            return
        # Each date where it was typed: the same rule (and message) as the plan's own check,
        # which then is not asked again for dates it would refuse.
        dated = False
        for row in rows:
            for key in ("start", "end"):
                for message in date_errors(getattr(row, key)):
                    self.problem(message, STEPS, row.row, key)
                    dated = True
        if dated:
            return
        steps = [project_actions.StepInput(r.order, r.text, r.weight, r.start, r.end) for r in rows]
        try:
            project_actions.replace_plan(
                project=project,
                expected_version=project.version,
                steps=steps,
                by=self.by,
                reason=self.reason,
            )
        except ValidationError as error:
            first = rows[0].row
            messages = (
                [m for ms in error.message_dict.values() for m in ms]
                if hasattr(error, "error_dict")
                else error.messages
            )
            for message in messages:
                self.problem(message, STEPS, first)
            return
        project.refresh_from_db(fields=["version"])
        self.report.steps += len(steps)

    # --- KPIs ---

    def _kpi(self, row: KpiRow, fiscal_year: FiscalYear) -> None:
        choices = (
            ("kpi_type", KpiType),
            ("level", KpiLevel),
            ("direction", KpiDirection),
            ("mode", KpiMode),
        )
        values: dict[str, Any] = {}
        broken = False
        for key, kind in choices:
            value = getattr(row, key)
            if value and value not in kind.values:
                self.problem(
                    _("Choose one of the codes %(codes)s (see the reference sheet).")
                    % {"codes": ", ".join(kind.values)},
                    KPIS,
                    row.row,
                    key,
                )
                broken = True
            elif value or key == "level":
                values[key] = value
        projects = []
        for code in row.projects:
            project = self.projects.get(code)
            if project is None and code not in self.failed:
                project = Project.objects.filter(
                    code=code, agency=self.agency, fiscal_year=fiscal_year
                ).first()
            if project is None:
                if code not in self.failed:
                    self.problem(
                        _(
                            "Project %(code)s is neither on the projects sheet nor one of the "
                            "agency's projects of this fiscal year."
                        )
                        % {"code": code},
                        KPIS,
                        row.row,
                        "projects",
                    )
                broken = True
            else:
                projects.append(project)
        existing = Kpi.objects.filter(fiscal_year=fiscal_year, code=row.code).first()
        if broken and "kpi_type" not in values:
            # Checked for the rest of its problems (rolled back, as one was found already).
            values["kpi_type"] = KpiType.STRATEGIC
        data = kpi_actions.KpiInput(
            text=row.text,
            kpi_type=values.pop("kpi_type", ""),
            unit=row.unit,
            target=row.target,
            definition=row.definition,
            method=row.method,
            data_source=row.data_source,
            projects=projects,
            **values,
        )
        try:
            if existing is None:
                kpi_actions.create_kpi(
                    agency=self.agency,
                    fiscal_year=fiscal_year.pk,
                    code=row.code,
                    data=data,
                    by=self.by,
                )
                self.report.kpis_created += 1
            elif existing.agency_id != self.agency.pk:
                self.problem(
                    _("KPI %(code)s of this fiscal year belongs to another agency.")
                    % {"code": row.code},
                    KPIS,
                    row.row,
                    "code",
                )
            else:
                kpi_actions.update_kpi(
                    kpi=existing,
                    expected_version=existing.version,
                    data=data,
                    by=self.by,
                    reason=self.reason,
                )
                self.report.kpis_updated += 1
        except ValidationError as error:
            self.report.problems.extend(_field_problems(error, KPIS, row.row))


def import_file(
    *,
    data: bytes,
    agency: Agency,
    fiscal_year: int,
    by: Actor,
    source: str,
    commit: bool,
    progress: Progress | None = None,
) -> ImportReport:
    """Parse the file's bytes and import (or dry-run) what they hold."""
    return import_plan(
        plan=parse_plan(data),
        agency=agency,
        fiscal_year=fiscal_year,
        by=by,
        source=source,
        commit=commit,
        progress=progress,
    )


@dataclass(frozen=True)
class Located:
    """A problem as a reader finds it: the sheet's title, the row number, the column's letter
    and header in the reader's language."""

    sheet: str
    row: int | None
    column: str
    message: str

    @property
    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def located(problems: Iterable[Problem]) -> list[Located]:
    order = {sheet.key: n for n, sheet in enumerate(SHEETS, 1)}
    out = []
    for p in sorted(problems, key=lambda p: (order.get(p.sheet, 0), p.row or 0)):
        sheet = SHEETS_BY_KEY.get(p.sheet)
        column = ""
        if sheet is not None and p.column:
            column = f"{sheet.letter(p.column)}: {sheet.column(p.column).label}"
        out.append(Located(str(sheet.label) if sheet else "", p.row, column, p.message))
    return out
