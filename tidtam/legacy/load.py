"""Load parsed legacy pages into Tidtam through the apps' actions, one transaction per file."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import translation

from tidtam.audit import write
from tidtam.audit.write import Actor
from tidtam.indicators import actions as indicator_actions
from tidtam.indicators.models import EvaluationCriterion, Kpi, KpiLevel, KpiType
from tidtam.legacy.parse import (
    LAYOUT_CODES,
    LegacyPage,
    LegacyParseError,
    ParseWarning,
    parse_page,
)
from tidtam.orgs import actions as org_actions
from tidtam.orgs.models import Agency, Origin, Person, Unit
from tidtam.projects import actions as project_actions
from tidtam.projects.models import FiscalYear, Project, Quarter
from tidtam.reporting import actions as report_actions
from tidtam.strategy import actions as strategy_actions
from tidtam.strategy.models import Plan, PlanNode

STRATEGY_LEVELS = ("dimension", "sub_dimension", "goal", "objective")
SUFFIXES = {".txt", ".text"}


@dataclass
class FileNote:
    """A line of the import report: a rejected file, or a page whose layout was rearranged."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: [{self.field}] {self.message}"


@dataclass
class ImportSummary:
    files: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    rejected: list[FileNote] = field(default_factory=list)
    rearranged: list[FileNote] = field(default_factory=list)
    warnings: int = 0

    @property
    def rejected_files(self) -> int:
        """A rejected file has a note for every field it was refused for."""
        return len({note.path for note in self.rejected})


class LoadContext:
    """Rows every page needs (agencies, units, plan nodes, quarters), looked up once per run."""

    def __init__(self, *, by: Actor = None) -> None:
        self.by = by
        self.reset()

    def reset(self) -> None:
        self.agencies: dict[str, Agency] = {}
        self.units: dict[str, Unit] = {}
        self.fiscal_years: dict[int, tuple[FiscalYear, dict[int, Quarter]]] = {}
        self.plan: Plan | None = None
        self.nodes: dict[str, PlanNode] = {}
        self.criteria: dict[str, EvaluationCriterion] = {}
        self.people: dict[tuple[str, str, str], Person] = {}
        self.people_loaded: set[str] = set()
        # Codes already in the database, read once: a page with a new code needs no look-up.
        self.project_codes: set[str] = set(Project.objects.values_list("code", flat=True))
        self.kpi_keys: set[tuple[int, str]] = set(Kpi.objects.values_list("fiscal_year_id", "code"))

    def person(self, agency: Agency, name: str, phone: str, reason: str) -> Person:
        if agency.code not in self.people_loaded:
            self.people_loaded.add(agency.code)
            for known in Person.objects.filter(agency=agency):
                self.people[(agency.code, known.name, known.phone)] = known
        key = (agency.code, name, phone)
        if key not in self.people:
            self.people[key] = org_actions.ensure_person(
                agency=agency, name=name, phone=phone, by=self.by, reason=reason
            )
        return self.people[key]

    def criteria_for(self, codes: set[str]) -> dict[str, EvaluationCriterion]:
        if not codes <= self.criteria.keys():
            self.criteria.update(indicator_actions.criteria_by_code(codes))
        return self.criteria

    def agency(self, code: str, name: str, reason: str) -> Agency:
        if code not in self.agencies:
            self.agencies[code] = org_actions.ensure_agency(
                code=code, name=name, by=self.by, reason=reason
            )
        return self.agencies[code]

    def unit(self, agency: Agency, code: str, reason: str) -> Unit | None:
        if not code:
            return None
        if code not in self.units:
            self.units[code] = org_actions.ensure_unit(
                agency=agency, code=code, by=self.by, reason=reason
            )
        return self.units[code]

    def fiscal_year(self, year: int) -> tuple[FiscalYear, dict[int, Quarter]]:
        if year not in self.fiscal_years:
            fiscal_year = FiscalYear.ensure(year)
            self.fiscal_years[year] = (
                fiscal_year,
                {q.number: q for q in fiscal_year.quarters.all()},
            )
        return self.fiscal_years[year]

    def node(self, line: object, reason: str) -> PlanNode:
        if self.plan is None:
            self.plan = strategy_actions.ensure_bma_plan(by=self.by)
            self.nodes = {n.code: n for n in self.plan.nodes.all()}
        code: str = line.code  # type: ignore[attr-defined]
        if code not in self.nodes:
            self.nodes[code] = strategy_actions.ensure_node(
                plan=self.plan,
                code=code,
                level_key=line.level,  # type: ignore[attr-defined]
                name_th=line.name_th,  # type: ignore[attr-defined]
                name_en=line.name_en,  # type: ignore[attr-defined]
                complete=not line.damaged,  # type: ignore[attr-defined]
                origin=Origin.IMPORT,
                by=self.by,
                reason=reason,
            )
        return self.nodes[code]


@transaction.atomic
def load_page(page: LegacyPage, ctx: LoadContext) -> tuple[bool, int]:
    """Write one page; tell whether its project is new and how many warnings it carries.

    Raises on invalid data, and the transaction keeps nothing of the page.
    """
    by = ctx.by
    reason = f"legacy import: {Path(page.source).name}"
    agency = ctx.agency(page.agency_code, page.agency_name, reason)
    fiscal_year, quarters = ctx.fiscal_year(page.fiscal_year)
    project, new = project_actions.import_project(
        agency=agency,
        code=page.code,
        known_new=page.code not in ctx.project_codes,
        data=project_actions.ProjectInput(
            name=page.name,
            fiscal_year=fiscal_year.year,
            owning_unit=ctx.unit(agency, page.owning_unit_code, reason),
            reporting_unit=ctx.unit(agency, page.reporting_unit_code, reason),
            responsible_unit=page.officer_unit,
            rationale=page.rationale,
            # The old site showed every project it listed.
            published=True,
        ),
        source=project_actions.ImportedFrom(Path(page.source).name, page.agency_name),
        by=by,
        reason=reason,
    )
    project_actions.set_items(
        objectives=[(i.label, i.text) for i in page.objectives],
        targets=[(i.label, i.text) for i in page.targets],
        project=project,
        by=by,
        reason=reason,
        new=new,
    )
    people = [ctx.person(agency, c.name, c.phone, reason) for c in page.contacts]
    project_actions.set_contacts(people=people, project=project, by=by, reason=reason, new=new)
    project_actions.set_plan_links(
        links=[(ctx.node(line, reason), line.name_th) for line in page.strategy],
        project=project,
        by=by,
        reason=reason,
        new=new,
    )
    project_actions.set_steps(
        steps=[
            project_actions.StepInput(s.order, s.text, s.weight, s.start, s.end) for s in page.steps
        ],
        project=project,
        by=by,
        reason=reason,
        new=new,
    )
    report_actions.record_imported_reports(
        reports=[
            report_actions.ReportInput(
                report_date=r.report_date,
                percent=r.percent,
                narrative=r.narrative,
                problems=r.problems,
                obstacles=r.obstacles,
                narrative_date=r.narrative_date,
            )
            for r in page.reports
        ],
        project=project,
        by=by,
        reason=reason,
        new=new,
    )
    for order, kpi_page in enumerate(page.kpis, 1):
        kpi, kpi_new = indicator_actions.import_kpi(
            code=kpi_page.code,
            known_new=(fiscal_year.year, kpi_page.code) not in ctx.kpi_keys,
            fiscal_year=fiscal_year,
            agency=agency,
            data=indicator_actions.KpiInput(
                text=kpi_page.text,
                unit=kpi_page.unit,
                target=kpi_page.target,
                kpi_type=KpiType(kpi_page.kpi_type),
                level=KpiLevel(kpi_page.level) if kpi_page.level else "",
            ),
            achieved=kpi_page.achieved,
            by=by,
            reason=reason,
        )
        ctx.kpi_keys.add((fiscal_year.year, kpi.code))
        indicator_actions.link_kpi(
            kpi=kpi, project=project, order=order, by=by, reason=reason, new=new or kpi_new
        )
        indicator_actions.set_kpi_quarters(
            kpi=kpi,
            quarters=quarters,
            results={q.quarter: q.result for q in kpi_page.quarters},
            scores={
                (q.quarter, criterion): score
                for q in kpi_page.quarters
                for criterion, score in q.scores.items()
            },
            by=by,
            reason=reason,
            new=kpi_new,
            criteria=ctx.criteria_for({c for q in kpi_page.quarters for c in q.scores}),
        )
    if page.evaluation is not None and page.evaluation.score is not None:
        indicator_actions.set_project_evaluation(
            project=project,
            quarter=quarters[page.evaluation.quarter],
            score=page.evaluation.score,
            by=by,
            reason=reason,
            new=new,
        )
    ctx.project_codes.add(project.code)
    warnings = [
        project_actions.WarningInput(w.field, w.code, warning_message(w), w.excerpt, w.line)
        for w in page.warnings
    ]
    project_actions.set_open_warnings(
        warnings=warnings, project=project, by=by, reason=reason, new=new
    )
    return new, len(warnings)


def warning_message(warning: ParseWarning) -> str:
    """The warning's message as the other warnings read: Thai, then English after " / ".

    The parser's own messages are written so; the layout messages are message ids that the
    catalogue translates.
    """
    if warning.code not in LAYOUT_CODES:
        return warning.message
    with translation.override("th"):
        thai = translation.gettext(warning.message)
    with translation.override("en"):
        english = translation.gettext(warning.message)
    return f"{thai} / {english}"


def page_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
        else:
            yield path


# Files per commit. Each file is still all-or-nothing (its own savepoint); committing every
# few dozen files instead of every file saves a third of the import time on SQLite.
BATCH = 50


def import_paths(
    paths: Iterable[Path],
    *,
    by: Actor = None,
    progress: Callable[[str], None] | None = None,
) -> ImportSummary:
    summary = ImportSummary()
    ctx = LoadContext(by=by)
    files = page_files(paths)
    while chunk := list(islice(files, BATCH)):
        # The standings of a batch's projects are refreshed once, in bulk, before it commits.
        with transaction.atomic(), write.refresh_deferred():
            for path in chunk:
                _import_file(path, ctx, summary, progress)
    return summary


def _refusals(error: ValidationError) -> list[tuple[str, str]]:
    """An action's refusal as (field, message) lines of the import report."""
    if not hasattr(error, "error_dict"):
        return [("record", " ".join(error.messages))]
    return [(field, " ".join(messages)) for field, messages in error.message_dict.items()]


def _import_file(
    path: Path,
    ctx: LoadContext,
    summary: ImportSummary,
    progress: Callable[[str], None] | None,
) -> None:
    summary.files += 1
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        summary.rejected.append(
            FileNote(str(path), None, "file", f"อ่านไฟล์ไม่ได้ / cannot read the file: {error}")
        )
        return
    try:
        page = parse_page(text, source=str(path))
        new, warnings = load_page(page, ctx)
    except LegacyParseError as error:
        summary.rejected.append(FileNote(str(path), error.line, error.field, error.message))
        return
    except ValidationError as error:
        ctx.reset()  # rows cached during the rolled-back savepoint no longer exist
        summary.rejected.extend(
            FileNote(str(path), None, field, f"บันทึกไม่ได้ / could not be saved: {message}")
            for field, message in _refusals(error)
        )
        return
    except (DatabaseError, ValueError, KeyError) as error:
        ctx.reset()
        summary.rejected.append(
            FileNote(str(path), None, "database", f"บันทึกไม่ได้ / could not be saved: {error}")
        )
        return
    (summary.created if new else summary.updated).append(page.code)
    summary.warnings += warnings
    summary.rearranged.extend(
        FileNote(str(path), w.line, w.field, f"{warning_message(w)} — {w.excerpt}")
        for w in sorted(page.warnings, key=lambda w: w.line)
        if w.code in LAYOUT_CODES
    )
    if progress:
        progress(f"{path}: {page.code} {'created' if new else 'updated'}")
