"""Officers' pages for entering a project, its operating plan and its budget instalments."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tidtam.accounts.access import may_publish_phones
from tidtam.lib.fiscal import fiscal_year_label
from tidtam.lib.language import current_language
from tidtam.lib.thai import format_date
from tidtam.lib.web import Confirmation, confirm_page, int_or_none, show_refusal
from tidtam.projects import actions
from tidtam.projects.access import agencies_for_new_project, get_project_for_user
from tidtam.projects.forms import (
    MAX_STEPS,
    ContactFormSet,
    InstalmentForm,
    PlanMetaForm,
    ProjectForm,
    StepFormSet,
    contact_inputs,
    step_inputs,
)
from tidtam.projects.models import Project


def _initial(project: Project) -> dict[str, Any]:
    items = list(project.items.all())
    return {
        "objectives": "\n".join(i.text for i in items if i.kind == "objective"),
        "targets": "\n".join(i.text for i in items if i.kind == "target"),
        "links": [link.node_id for link in project.plan_links.all()],
        "version": project.version,
    }


def _contacts_initial(project: Project) -> list[dict[str, Any]]:
    return [
        {
            "name": c.person.name,
            "phone": c.person.phone,
            "email": c.person.email,
            "phone_public": c.person.phone_public,
        }
        for c in project.contacts.select_related("person")
    ]


def _code_errors_anyway(form: ProjectForm) -> None:
    """A refused new project still says what is wrong with its code, in the same pass."""
    code, agency = form.cleaned_data.get("code"), form.cleaned_data.get("agency")
    if code and agency is not None:
        try:
            actions.validate_code(code, agency)
        except ValidationError as error:
            show_refusal(form, error)


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    agencies = agencies_for_new_project(request.user)
    form = ProjectForm(request.POST or None, agencies=agencies)
    may_publish = any(may_publish_phones(request.user, agency) for agency in agencies)
    contacts = ContactFormSet(
        request.POST or None,
        prefix="contact",
        initial=[{}, {}],
        form_kwargs={"may_publish": may_publish},
    )
    if request.method == "POST" and not all([form.is_valid(), contacts.is_valid()]):
        _code_errors_anyway(form)
    elif request.method == "POST":
        try:
            project = actions.create_project(
                agency=form.cleaned_data["agency"],
                code=form.cleaned_data["code"],
                data=form.project_input(contact_inputs(contacts)),
                by=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The project was created. Now enter its operating plan."))
            return redirect("project-plan", project.code)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "contacts": contacts, "project": None, "may_publish": may_publish},
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, code: str) -> HttpResponse:
    project = get_project_for_user(request.user, code, write=True)
    form = ProjectForm(
        request.POST or None, instance=project, initial=_initial(project), agencies=[project.agency]
    )
    may_publish = may_publish_phones(request.user, project.agency)
    contacts = ContactFormSet(
        request.POST or None,
        prefix="contact",
        initial=[*_contacts_initial(project), {}],
        form_kwargs={"may_publish": may_publish},
    )
    if request.method == "POST" and all([form.is_valid(), contacts.is_valid()]):
        try:
            actions.update_project(
                project=project,
                expected_version=form.cleaned_data["version"] or 0,
                data=form.project_input(contact_inputs(contacts)),
                by=request.user,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The project was saved."))
            return redirect("project-detail", project.code)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "contacts": contacts, "project": project, "may_publish": may_publish},
    )


def _rows(data: Any) -> list[dict[str, str]]:
    """The step rows as posted, in their order on the page."""
    total = int_or_none(data.get("step-TOTAL_FORMS"), high=MAX_STEPS) or 0
    return [
        {name: data.get(f"step-{n}-{name}", "") for name in ("text", "weight", "start", "end")}
        for n in range(total)
    ]


def _button(op: str) -> tuple[str, int]:
    """An editing button's name and the row it acts on: "up-3" is ("up", 3); -1 for none."""
    name, _sep, arg = op.partition("-")
    index = int_or_none(arg, high=MAX_STEPS)
    return name, -1 if index is None else index


def _apply(op: str, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Add, remove or move a row without saving: the editor's buttons. "remove-N" only asks
    (see `_asked`); "drop-N" is the confirmed removal."""
    name, index = _button(op)
    if name == "add":
        rows.append({"text": "", "weight": "", "start": "", "end": ""})
    elif name == "drop" and 0 <= index < len(rows):
        rows.pop(index)
    elif name == "up" and 0 < index < len(rows):
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
    elif name == "down" and 0 <= index < len(rows) - 1:
        rows[index + 1], rows[index] = rows[index], rows[index + 1]
    return rows


def _asked(op: str, rows: list[dict[str, str]]) -> int | None:
    """The row whose removal the officer is asked to confirm, if the button pressed was a
    row's remove button."""
    name, index = _button(op)
    return index if name == "remove" and 0 <= index < len(rows) else None


def _plan_errors_anyway(project: Project, steps: Any, meta: PlanMetaForm, baselined: bool) -> None:
    """A plan refused for its rows still says what its rules say of what was read: the
    weights' total and the re-baselining reason, so every error shows in one pass."""
    weights = [form.cleaned_data.get("weight") for form in steps.forms]
    if steps.forms and None not in weights:
        total = actions.weight_total_error(weights)
        if total:
            meta.add_error(None, total)
    reason = meta.cleaned_data.get("reason", "") if meta.is_valid() else ""
    if baselined and actions.needs_rebaseline_reason(project, reason):
        meta.add_error("reason", str(actions.REBASELINE_REASON))


def _bound(rows: list[dict[str, str]]) -> dict[str, str]:
    # Every row on the page is one the officer means: counted as initial, a row left blank is
    # refused for its empty fields (an extra row would be skipped as empty and lack them).
    data = {"step-TOTAL_FORMS": str(len(rows)), "step-INITIAL_FORMS": str(len(rows))}
    for n, row in enumerate(rows):
        data.update({f"step-{n}-{k}": v for k, v in row.items()})
    return data


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, code: str) -> HttpResponse:
    project = get_project_for_user(request.user, code, write=True)
    baselined = project.plan_is_baselined()
    op = request.POST.get("op", "save")
    asked = None
    if request.method == "GET":
        steps = StepFormSet(
            prefix="step",
            initial=[
                {"text": s.text, "weight": s.weight, "start": s.start, "end": s.end}
                for s in project.steps.all()
            ]
            or [{}],
        )
        meta = PlanMetaForm(initial={"version": project.version})
    elif op != "save":
        # An editing button: re-draw the rows as posted, changed, and save nothing.
        rows = _rows(request.POST)
        asked = _asked(op, rows)
        steps = StepFormSet(prefix="step", initial=_apply(op, rows))
        meta = PlanMetaForm(
            initial={"version": request.POST.get("version"), "reason": request.POST.get("reason")}
        )
    else:
        steps = StepFormSet(_bound(_rows(request.POST)), prefix="step")
        meta = PlanMetaForm(request.POST)
        if not all([steps.is_valid(), meta.is_valid()]):
            _plan_errors_anyway(project, steps, meta, baselined)
        else:
            inputs = step_inputs(steps)
            try:
                actions.replace_plan(
                    project=project,
                    expected_version=meta.cleaned_data["version"],
                    steps=inputs,
                    by=request.user,
                    reason=meta.cleaned_data["reason"],
                )
            except ValidationError as error:
                show_refusal(meta, error)
            else:
                outside = actions.steps_outside_year(project, inputs)
                if outside:
                    messages.warning(
                        request,
                        _("Steps %(steps)s run outside fiscal year %(year)s: check their dates.")
                        % {
                            "steps": ", ".join(map(str, outside)),
                            "year": fiscal_year_label(project.fiscal_year_id),
                        },
                    )
                messages.success(request, _("The operating plan was saved."))
                return redirect("project-detail", project.code)
    context = {
        "project": project,
        "steps": steps,
        "meta": meta,
        "baselined": baselined,
        "total": _total_weight(steps),
        "asked": asked,
    }
    partial = getattr(request, "htmx", False) and op != "save"
    return render(
        request, "projects/_plan_rows.html" if partial else "projects/plan_form.html", context
    )


def _total_weight(steps: Any) -> Decimal | None:
    total = Decimal(0)
    for form in steps.forms:
        raw = form["weight"].value()
        try:
            total += Decimal(str(raw)) if raw not in (None, "") else Decimal(0)
        except InvalidOperation:
            return None
    return total


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit(request: HttpRequest, code: str) -> HttpResponse:
    project = get_project_for_user(request.user, code, write=True)
    form = InstalmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_instalment(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The instalment was recorded."))
            return redirect("project-budget", project.code)
    context = {"project": project, "form": form, "instalments": list(project.instalments.all())}
    return render(request, "projects/budget_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def instalment_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, code, write=True)
    instalment = get_object_or_404(project.instalments, pk=pk)
    if request.method == "GET":
        return confirm_page(
            request,
            Confirmation(
                question=_("Remove the instalment of %(amount)s baht released on %(date)s?")
                % {
                    "amount": f"{instalment.amount:,.2f}",
                    "date": format_date(instalment.released_on, lang=current_language()),
                },
                consequence=_("The instalment is removed from the project's budget."),
                action=_("Remove the instalment"),
                cancel_url=reverse("project-budget", args=[project.code]),
            ),
        )
    actions.remove_instalment(instalment=instalment, by=request.user)
    messages.success(request, _("The instalment was removed."))
    return redirect("project-budget", project.code)
