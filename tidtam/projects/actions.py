"""Audited writes on projects, their items, steps, links, contacts and data warnings."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tidtam.accounts.actions import require_phone_publisher
from tidtam.audit import write
from tidtam.audit.models import Event
from tidtam.audit.write import Actor, SyncResult, action, checked_action
from tidtam.lib.fiscal import LATEST, fiscal_year_bounds, fiscal_year_label
from tidtam.lib.forms import date_errors
from tidtam.lib.language import current_language
from tidtam.lib.thai import BE_YEARS_FROM, be_year, format_date
from tidtam.orgs.models import Agency, Origin, Person, Unit
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
)
from tidtam.strategy.models import PlanNode


@dataclass(frozen=True)
class StepInput:
    order: int
    text: str
    weight: Decimal
    start: date
    end: date


@dataclass(frozen=True)
class WarningInput:
    field: str
    code: str
    message: str
    excerpt: str = ""
    source_line: int | None = None


@dataclass(frozen=True)
class ImportedFrom:
    """Where an imported project came from: the legacy page's file, and the agency's name as
    the page spelt it."""

    source_ref: str
    agency_name: str = ""


# What a legacy page says of a project's own record; the rest (budget, progress unit and
# target) is entered in Tidtam and kept when the page is imported again.
LEGACY_FIELDS = frozenset(
    {
        "name",
        "fiscal_year_id",
        "owning_unit",
        "reporting_unit",
        "responsible_unit",
        "rationale",
        "published",
    }
)


@action
def import_project(
    *,
    agency: Agency,
    code: str,
    data: ProjectInput,
    source: ImportedFrom,
    by: Actor,
    reason: str,
    known_new: bool = False,
) -> tuple[Project, bool]:
    """The legacy importer's write of a project's own record: the same typed input and value
    rules as create_project and update_project (`project_value_errors`, a fiscal year in the
    Buddhist Era, a project that supports KPIs keeps its year), lenient where the old site's
    page is the authority: its code is taken as it is, no version is asked, and only the
    fields a page carries (LEGACY_FIELDS) are written, so that an import again keeps what
    officers entered since. Creates the project or changes the fields that differ; tells
    whether it is new.

    `known_new`, the importer's speed path, skips the look-up of a code it knows is unused.
    The items, steps, links and contacts are written by the importer through the set_*
    actions, with the labels and source texts of the page."""
    values = {
        **{k: v for k, v in data.record_values().items() if k in LEGACY_FIELDS},
        "agency": agency,
        "agency_name_source": source.agency_name,
        "origin": Origin.IMPORT,
        "source_ref": source.source_ref,
    }
    errors = project_value_errors(agency, values)
    try:
        validate_fiscal_year(data.fiscal_year)
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    project = None if known_new else Project.objects.filter(code=code).first()
    if project is None:
        project = write.save(Project(code=code, **values), by=by, reason=reason)
        write.facts_changed(projects=[project.pk])
        return project, True
    if data.fiscal_year != project.fiscal_year_id:
        _check_kpis_stay(project)
    if write.assign(project, values):
        write.save(project, by=by, reason=reason)
        write.facts_changed(projects=[project.pk])
    return project, False


@action
def set_items(
    *,
    project: Project,
    objectives: Sequence[tuple[str, str]],
    targets: Sequence[tuple[str, str]],
    by: Actor,
    reason: str,
    new: bool = False,
) -> SyncResult:
    """Make the project's objectives and targets exactly these (label, text) items, in order."""
    wanted: dict[tuple[str, int], dict[str, str]] = {
        (str(kind), n): {"label": label, "text": text}
        for kind, items in (
            (ProjectItem.Kind.OBJECTIVE, objectives),
            (ProjectItem.Kind.TARGET, targets),
        )
        for n, (label, text) in enumerate(items, 1)
    }
    result = write.sync_rows(
        ProjectItem,
        existing=[] if new else project.items.all(),
        key=lambda item: (item.kind, item.order),
        wanted=wanted,
        make=lambda k, v: ProjectItem(project=project, kind=k[0], order=k[1], **v),
        by=by,
        reason=reason,
    )
    if result.created or result.updated or result.deleted:
        # Objectives and targets are searched: the project's index entry reads them.
        write.facts_changed(projects=[project.pk])
    return result


def validate_steps(steps: Sequence[StepInput]) -> None:
    errors = _step_errors(steps)
    if errors:
        raise ValidationError(errors)


def _step_errors(steps: Sequence[StepInput]) -> list[str]:
    errors: list[str] = []
    for step in steps:
        errors.extend(
            _("Step %(order)s: %(problem)s") % {"order": step.order, "problem": problem}
            for problem in date_errors(step.start, step.end)
        )
        if step.end < step.start:
            errors.append(_("Step %(order)s ends before it starts.") % {"order": step.order})
        if not Decimal(0) <= step.weight <= Decimal(100):
            errors.append(_("Step %(order)s has a weight outside 0–100.") % {"order": step.order})
    if len({s.order for s in steps}) != len(steps):
        errors.append(_("Two steps have the same order."))
    return errors


@action
def set_steps(
    *, project: Project, steps: Sequence[StepInput], by: Actor, reason: str, new: bool = False
) -> SyncResult:
    validate_steps(steps)
    write.facts_changed(projects=[project.pk])
    return write.sync_rows(
        PlanStep,
        existing=[] if new else project.steps.all(),
        key=lambda step: step.order,
        wanted={
            s.order: {"text": s.text, "weight": s.weight, "start": s.start, "end": s.end}
            for s in steps
        },
        make=lambda order, v: PlanStep(project=project, order=order, **v),
        by=by,
        reason=reason,
    )


@action
def set_plan_links(
    *,
    project: Project,
    links: Sequence[tuple[PlanNode, str]],
    by: Actor,
    reason: str,
    new: bool = False,
) -> SyncResult:
    """Link the project to these plan nodes, each with the text its source printed; each link
    keeps the project's fiscal year (a project moved to another year takes its links along)."""
    year = project.fiscal_year_id
    return write.sync_rows(
        PlanLink,
        existing=[] if new else project.plan_links.all(),
        key=lambda link: link.node_id,
        wanted={
            node.pk: {"order": n, "source_text": text, "fiscal_year": year}
            for n, (node, text) in enumerate(links, 1)
        },
        make=lambda node_id, v: PlanLink(project=project, node_id=node_id, **v),
        by=by,
        reason=reason,
    )


@action
def set_contacts(
    *, project: Project, people: Sequence[Person], by: Actor, reason: str, new: bool = False
) -> SyncResult:
    return write.sync_rows(
        ProjectContact,
        existing=[] if new else project.contacts.all(),
        key=lambda contact: contact.person_id,
        wanted={person.pk: {"order": n} for n, person in enumerate(people, 1)},
        make=lambda person_id, v: ProjectContact(project=project, person_id=person_id, **v),
        by=by,
        reason=reason,
    )


@action
def set_open_warnings(
    *,
    project: Project,
    warnings: Sequence[WarningInput],
    by: Actor,
    reason: str,
    new: bool = False,
) -> SyncResult:
    """Replace the project's unresolved warnings; resolved ones stay as the reviewer left them."""
    resolved = (
        set()
        if new
        else {(w.field, w.code, w.excerpt) for w in project.warnings.filter(resolved=True)}
    )
    wanted = {
        (w.field, w.code, w.excerpt): {"message": w.message, "source_line": w.source_line}
        for w in warnings
        if (w.field, w.code, w.excerpt) not in resolved
    }
    return write.sync_rows(
        DataWarning,
        existing=[] if new else project.warnings.filter(resolved=False),
        key=lambda w: (w.field, w.code, w.excerpt),
        wanted=wanted,
        make=lambda k, v: DataWarning(project=project, field=k[0], code=k[1], excerpt=k[2], **v),
        by=by,
        reason=reason,
    )


# --- Data entry through the web: strict validation, optimistic locking, re-baselining ---

CODE_PATTERN = re.compile(r"^[0-9]{8}-[0-9]{4}$")
WEIGHT_TOLERANCE = Decimal("0.01")


class StaleEdit(ValidationError):
    """Someone else saved the record after this form was loaded."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else saved this project after you opened the form. Nothing was "
                "saved: your input is still below; open the project again to see their "
                "change, then make yours."
            ),
            code="stale",
        )


@dataclass(frozen=True)
class ContactInput:
    name: str
    phone: str = ""
    email: str = ""
    # None: not decided here (a form for someone who may not publish phones): a known person
    # keeps theirs, a new one is not public.
    phone_public: bool | None = None


@dataclass(frozen=True)
class ProjectInput:
    """A project as the project form, the API and the annual-plan import give it to the
    actions: parsed, not yet checked (the actions hold every rule)."""

    name: str
    # Buddhist Era, as officers name it (2568); the action refuses a Common-Era year.
    fiscal_year: int
    rationale: str = ""
    budget: Decimal | None = None
    owning_unit: Unit | None = None
    reporting_unit: Unit | None = None
    responsible_unit: str = ""
    progress_unit: str = ""
    progress_target: Decimal | None = None
    # None: left as it is (a new project is not published).
    published: bool | None = None
    objectives: Sequence[str] = ()
    targets: Sequence[str] = ()
    links: Sequence[PlanNode] = ()
    contacts: Sequence[ContactInput] = ()

    def record_values(self) -> dict[str, Any]:
        """The project row's own fields, as `project_value_errors` and the model read them
        (the fiscal year as its number)."""
        values: dict[str, Any] = {
            "name": self.name.strip(),
            "fiscal_year_id": self.fiscal_year,
            "rationale": self.rationale.strip(),
            "budget": self.budget,
            "owning_unit": self.owning_unit,
            "reporting_unit": self.reporting_unit,
            "responsible_unit": self.responsible_unit.strip(),
            "progress_unit": self.progress_unit.strip(),
            "progress_target": self.progress_target,
        }
        if self.published is not None:
            values["published"] = self.published
        return values


def project_value_errors(agency: Agency, values: Mapping[str, Any]) -> dict[str, list[str]]:
    """Every rule a project's own values break, whatever sent them: the form, the API, the
    annual-plan import (field name → messages)."""
    errors: dict[str, list[str]] = {}
    for name in ("owning_unit", "reporting_unit"):
        unit = values.get(name)
        if unit is not None and unit.agency_id != agency.pk:
            errors.setdefault(name, []).append(_("This unit belongs to another agency."))
    target, unit_name = values.get("progress_target"), values.get("progress_unit")
    if unit_name and target is None:
        errors.setdefault("progress_target", []).append(
            _("Give the target quantity for this unit.")
        )
    if target is not None and target <= 0:
        errors.setdefault("progress_target", []).append(_("The target must be more than zero."))
    budget = values.get("budget")
    if budget is not None and budget < 0:
        errors.setdefault("budget", []).append(_("The budget cannot be negative."))
    return errors


def validate_fiscal_year(year: int) -> None:
    """A fiscal year is named by its Buddhist-Era year (2568); a Christian-era one (2025) is a
    typing slip, refused rather than read as a year five centuries ago."""
    if not BE_YEARS_FROM <= year <= be_year(LATEST.year):
        raise ValidationError(
            {
                "fiscal_year": _(
                    "%(year)s is not a fiscal year in the Buddhist Era: give it as, e.g., "
                    "%(example)s."
                )
                % {"year": year, "example": be_year(date.today().year)}
            },
            code="fiscal_year_era",
        )


def entered_fiscal_year(year: int) -> FiscalYear:
    """The fiscal year a project or KPI is entered in, made when it is the first of its
    year; refused when given in the Common Era."""
    validate_fiscal_year(year)
    return FiscalYear.ensure(year)


def validate_code(code: str, agency: Agency) -> None:
    if not CODE_PATTERN.match(code):
        raise ValidationError(
            {"code": _("A project code is 8 digits, a dash and 4 digits, e.g. 03000000-2457.")}
        )
    if code[:8] != agency.code:
        raise ValidationError(
            {
                "code": _("The code must start with the agency's budget code %(code)s.")
                % {"code": agency.code}
            }
        )
    if Project.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Another project already has this code.")})


def weight_total_error(weights: Sequence[Decimal]) -> str | None:
    """What is wrong with a plan's weights taken together: they must add up to 100."""
    total = sum(weights, Decimal(0))
    if abs(total - Decimal(100)) > WEIGHT_TOLERANCE:
        return _("The step weights add up to %(total)s; they must add up to 100.") % {
            "total": f"{total:.2f}"
        }
    return None


def plan_errors(steps: Sequence[StepInput]) -> list[str]:
    """Every rule a plan entered by hand breaks (imported plans are kept as printed)."""
    if not steps:
        return [_("The operating plan needs at least one step.")]
    total = weight_total_error([s.weight for s in steps])
    return _step_errors(steps) + ([total] if total else [])


def validate_plan(steps: Sequence[StepInput]) -> None:
    errors = plan_errors(steps)
    if errors:
        raise ValidationError(errors)


def needs_rebaseline_reason(project: Project, reason: str) -> bool:
    """Changing a plan a report was approved against is a re-baseline: it needs a reason."""
    return not reason.strip() and project.steps.exists() and project.plan_is_baselined()


REBASELINE_REASON = gettext_lazy(
    "A report on this plan has been approved: say why the plan changes (re-baselining)."
)


def steps_outside_year(project: Project, steps: Sequence[StepInput]) -> list[int]:
    """Orders of steps that run outside the project's fiscal year (allowed, but flagged)."""
    first, last = fiscal_year_bounds(project.fiscal_year_id)
    return [s.order for s in steps if s.start < first or s.end > last]


def _person(agency: Agency, contact: ContactInput, by: Actor) -> Person:
    person = Person.objects.filter(agency=agency, name=contact.name, phone=contact.phone).first()
    values: dict[str, Any] = {"email": contact.email}
    if contact.phone_public is not None:
        values["phone_public"] = contact.phone_public
    if contact.phone_public and (person is None or not person.phone_public):
        require_phone_publisher(agency=agency, by=by, names=[contact.name])
    if person is None:
        return write.save(
            Person(agency=agency, name=contact.name, phone=contact.phone, **values), by=by
        )
    if write.assign(person, values):
        write.save(person, by=by)
    return person


def _numbered(texts: Sequence[str]) -> list[tuple[str, str]]:
    return [(f"{n}.", text) for n, text in enumerate(texts, 1)]


def _children(project: Project, data: ProjectInput, *, by: Actor, reason: str, new: bool) -> None:
    numbered = _numbered
    set_items(
        project=project,
        objectives=numbered(data.objectives),
        targets=numbered(data.targets),
        by=by,
        reason=reason,
        new=new,
    )
    set_plan_links(
        project=project,
        links=[(node, "") for node in data.links],
        by=by,
        reason=reason,
        new=new,
    )
    people = [_person(project.agency, c, by) for c in data.contacts]
    set_contacts(project=project, people=people, by=by, reason=reason, new=new)


@checked_action
def create_project(*, agency: Agency, code: str, data: ProjectInput, by: Actor) -> Project:
    values = data.record_values()
    errors = project_value_errors(agency, values)
    checks: list[Callable[[], object]] = [
        lambda: validate_code(code, agency),
        lambda: entered_fiscal_year(data.fiscal_year),
    ]
    for check in checks:
        try:
            check()
        except ValidationError as error:
            errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    project = write.save(
        Project(code=code, agency=agency, origin=Origin.MANUAL, **values),
        by=by,
        event=Event.CREATED,
    )
    _children(project, data, by=by, reason="", new=True)
    write.facts_changed(projects=[project.pk])
    return project


def _lock(project: Project, expected_version: int) -> Project:
    current = Project.objects.select_for_update().get(pk=project.pk)
    if current.version != expected_version:
        raise StaleEdit()
    return current


def _check_kpis_stay(project: Project) -> None:
    """A KPI is supported by projects of its own fiscal year (the KPI form keeps to it): a
    project that supports KPIs keeps its year until it is taken off them."""
    codes = list(project.kpi_supports.order_by("kpi__code").values_list("kpi__code", flat=True))
    if codes:
        raise ValidationError(
            {
                "fiscal_year": _(
                    "The project supports KPIs of fiscal year %(year)s (%(codes)s): take it "
                    "off them before moving it to another year."
                )
                % {"year": fiscal_year_label(project.fiscal_year_id), "codes": ", ".join(codes)}
            }
        )


@checked_action
def update_project(
    *, project: Project, expected_version: int, data: ProjectInput, by: Actor, reason: str = ""
) -> Project:
    current = _lock(project, expected_version)
    values = data.record_values()
    errors = project_value_errors(current.agency, values)
    if data.fiscal_year != current.fiscal_year_id:
        try:
            entered_fiscal_year(data.fiscal_year)
            _check_kpis_stay(current)
        except ValidationError as error:
            errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    write.assign(current, values)
    current.version += 1
    write.save(current, by=by, reason=reason)
    _children(current, data, by=by, reason=reason, new=False)
    write.facts_changed(projects=[current.pk])
    return current


def plan_snapshot(steps: Sequence[PlanStep]) -> list[dict[str, str]]:
    return [
        {
            "order": str(s.order),
            "text": s.text,
            "weight": str(s.weight),
            "start": s.start.isoformat(),
            "end": s.end.isoformat(),
        }
        for s in steps
    ]


@checked_action
def replace_plan(
    *,
    project: Project,
    expected_version: int,
    steps: Sequence[StepInput],
    by: Actor,
    reason: str = "",
) -> Project:
    """Make the operating plan exactly these steps.

    Once a report has been approved against the plan, changing it is a re-baseline: it needs
    a reason and the plan as it stood is kept, so the original can still be shown.
    """
    current = _lock(project, expected_version)
    errors: dict[str, list[str]] = {}
    if broken := plan_errors(steps):
        errors[NON_FIELD_ERRORS] = broken
    existing = list(current.steps.all())
    unchanged = [(s.order, s.text, s.weight, s.start, s.end) for s in existing] == [
        (s.order, s.text, s.weight, s.start, s.end) for s in steps
    ]
    if unchanged and not errors:
        return current
    if needs_rebaseline_reason(current, reason):
        errors["reason"] = [str(REBASELINE_REASON)]
    if errors:
        raise ValidationError(errors)
    if existing and current.plan_is_baselined():
        write.save(
            PlanBaseline(
                project=current,
                steps=plan_snapshot(existing),
                reason=reason,
                created_by=write.user_of(by),
            ),
            by=by,
            reason=reason,
        )
    set_steps(project=current, steps=steps, by=by, reason=reason)
    current.version += 1
    write.save(current, by=by, event=Event.PLAN_CHANGED, comment=reason)
    return current


@checked_action
def add_instalment(
    *, project: Project, released_on: date, amount: Decimal, note: str, by: Actor
) -> BudgetInstalment:
    """Money released to the project on a date of its fiscal year (an instalment is the
    fiscal year's budget: a date outside it is a typing slip, most often the year)."""
    first, last = fiscal_year_bounds(project.fiscal_year_id)
    if not first <= released_on <= last:
        lang = current_language()
        raise ValidationError(
            {
                "released_on": _(
                    "An instalment is released within the project's fiscal year %(year)s, "
                    "from %(first)s to %(last)s."
                )
                % {
                    "year": fiscal_year_label(project.fiscal_year_id),
                    "first": format_date(first, style="long", lang=lang),
                    "last": format_date(last, style="long", lang=lang),
                }
            },
            code="outside_fiscal_year",
        )
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    released = project.instalments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if project.budget is not None and released + amount > project.budget:
        raise ValidationError(
            {
                "amount": _(
                    "Released instalments would come to %(total)s baht, more than the "
                    "allocated budget of %(budget)s baht."
                )
                % {"total": f"{released + amount:,.2f}", "budget": f"{project.budget:,.2f}"}
            }
        )
    write.facts_changed(projects=[project.pk])
    return write.save(
        BudgetInstalment(
            project=project,
            released_on=released_on,
            amount=amount,
            note=note,
            created_by=write.user_of(by),
        ),
        by=by,
    )


@checked_action
def remove_instalment(*, instalment: BudgetInstalment, by: Actor, reason: str = "") -> None:
    write.delete(instalment, by=by, reason=reason)
    write.facts_changed(projects=[instalment.project_id])
