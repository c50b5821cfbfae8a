from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tidtam.audit import write
from tidtam.audit.models import Event
from tidtam.lib.admin import HistoryAdmin, ReaderValues, ReadOnlyWhen, ReadOnlyWithParent
from tidtam.projects.actions import (
    StepInput,
    plan_errors,
    project_value_errors,
    replace_plan,
    validate_code,
)
from tidtam.projects.models import (
    DataWarning,
    FiscalYear,
    PlanStep,
    Project,
    Quarter,
)


class QuarterInline(ReaderValues, admin.TabularInline[Quarter, FiscalYear]):
    model = Quarter
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(ReaderValues, admin.ModelAdmin[FiscalYear]):
    list_display = ["year", "start", "end"]
    inlines = [QuarterInline]


def _step_inputs(formset: Any) -> list[StepInput]:
    """The plan as the inline leaves it: its rows not marked for deletion."""
    return [
        StepInput(
            order=f.cleaned_data["order"],
            text=f.cleaned_data["text"],
            weight=f.cleaned_data["weight"],
            start=f.cleaned_data["start"],
            end=f.cleaned_data["end"],
        )
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class PlanStepFormSet(BaseInlineFormSet[PlanStep, Project, Any]):
    def clean(self) -> None:
        # A plan changed here meets the rules of a plan entered on the site.
        super().clean()
        if any(self.errors) or not self.has_changed():
            return
        if errors := plan_errors(_step_inputs(self)):
            raise ValidationError(errors)


class PlanStepInline(ReadOnlyWithParent, ReaderValues, admin.TabularInline[PlanStep, Project]):
    model = PlanStep
    extra = 0
    formset = PlanStepFormSet

    def parent_locked(self, parent: Project) -> bool:
        return parent.plan_is_baselined()


class ProjectAdminForm(forms.ModelForm[Project]):
    """The project's values meet the rules of the site; the reason goes to the history."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the project's history with your name."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (agency := data.get("agency")) is not None:
            for name, messages in project_value_errors(agency, data).items():
                for message in messages:
                    self.add_error(name, message)
            if self.instance._state.adding and data.get("code"):
                try:
                    validate_code(data["code"], agency)
                except ValidationError as error:
                    self.add_error(None, error)
        return data


@admin.register(Project)
class ProjectAdmin(ReadOnlyWhen, ReaderValues, HistoryAdmin[Project]):
    """A project whose plan a report was approved against is read-only here, as its plan is on
    the site without a reason (`replace_plan`): it changes on its own pages, which ask for one.
    Any other project changed here is saved through the audited writes, naming the admin."""

    form = ProjectAdminForm
    list_display = ["code", "name", "agency", "fiscal_year", "published", "origin"]
    list_filter = ["fiscal_year", "published", "origin"]
    search_fields = ["code", "name"]
    list_select_related = ["agency"]
    raw_id_fields = ["agency", "owning_unit", "reporting_unit"]
    readonly_fields = ["version"]
    inlines = [PlanStepInline]

    def locked(self, obj: Project) -> bool:
        return obj.plan_is_baselined()

    def locked_note(self, obj: Project) -> str:
        return format_html(
            gettext(
                "A report on this project's plan has been approved, so the project and its "
                "plan are read-only here. Change them on the project's own pages, which keep "
                'the reason in the history: <a href="{edit}">edit the project</a>, '
                '<a href="{plan}">change the operating plan</a>.'
            ),
            edit=reverse("project-edit", args=[obj.code]),
            plan=reverse("project-plan", args=[obj.code]),
        )

    def get_fields(self, request: HttpRequest, obj: Project | None = None) -> list[Any]:
        fields = list(super().get_fields(request, obj))
        if obj is not None and self.locked(obj):
            # Nothing is changed, so there is no reason to ask for.
            fields.remove("reason")
        return fields

    def save_model(self, request: HttpRequest, obj: Project, form: Any, change: bool) -> None:
        comment = form.cleaned_data.get("reason", "")
        if change and not form.has_changed():
            return  # only the plan, if anything, changed: replace_plan keeps that
        if change:
            obj.version += 1
            write.save(obj, by=request.user, event=Event.ADMIN_CHANGED, comment=comment)
        else:
            write.save(obj, by=request.user, event=Event.CREATED, comment=comment)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # The steps go through the plan's own action, as on the site.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.has_changed():
            project = form.instance
            replace_plan(
                project=project,
                expected_version=project.version,
                steps=_step_inputs(formset),
                by=request.user,
                reason=form.cleaned_data.get("reason", ""),
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The budget and the steps are facts of the project's standing.
        super().save_related(request, form, formsets, change)
        write.facts_changed(projects=[form.instance.pk])


@admin.register(DataWarning)
class DataWarningAdmin(ReaderValues, HistoryAdmin[DataWarning]):
    list_display = ["project", "field", "code", "message", "resolved"]
    list_filter = ["code", "resolved"]
    raw_id_fields = ["project"]
