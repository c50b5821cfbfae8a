"""Audited writes on projects, their items, steps, links, contacts and data warnings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tidtam.audit import write
from tidtam.audit.write import Actor, SyncResult, action
from tidtam.orgs.models import Person
from tidtam.projects.models import (
    DataWarning,
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


@action
def upsert_project(
    *, code: str, values: Mapping[str, Any], by: Actor, reason: str, known_new: bool = False
) -> tuple[Project, bool]:
    """Create the project with this code, or update the fields that differ.

    `known_new` skips the look-up for a caller that already knows the code is unused.
    """
    project = None if known_new else Project.objects.filter(code=code).first()
    if project is None:
        project = write.save(Project(code=code, **values), by=by, reason=reason)
        return project, True
    if write.assign(project, values):
        write.save(project, by=by, reason=reason)
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
    return write.sync_rows(
        ProjectItem,
        existing=[] if new else project.items.all(),
        key=lambda item: (item.kind, item.order),
        wanted=wanted,
        make=lambda k, v: ProjectItem(project=project, kind=k[0], order=k[1], **v),
        by=by,
        reason=reason,
    )


def validate_steps(steps: Sequence[StepInput]) -> None:
    errors = []
    for step in steps:
        if step.end < step.start:
            errors.append(_("Step %(order)s ends before it starts.") % {"order": step.order})
        if not Decimal(0) <= step.weight <= Decimal(100):
            errors.append(_("Step %(order)s has a weight outside 0–100.") % {"order": step.order})
    if len({s.order for s in steps}) != len(steps):
        errors.append(_("Two steps have the same order."))
    if errors:
        raise ValidationError(errors)


@action
def set_steps(
    *, project: Project, steps: Sequence[StepInput], by: Actor, reason: str, new: bool = False
) -> SyncResult:
    validate_steps(steps)
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
    """Link the project to these plan nodes, each with the text its source printed."""
    return write.sync_rows(
        PlanLink,
        existing=[] if new else project.plan_links.all(),
        key=lambda link: link.node_id,
        wanted={
            node.pk: {"order": n, "source_text": text} for n, (node, text) in enumerate(links, 1)
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
