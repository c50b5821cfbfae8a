"""Forms of the report pages: they read and clean what was typed; actions decide the rest."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from tidtam.lib import limits
from tidtam.lib.forms import DateField, DecimalField, IntegerField
from tidtam.lib.thai import format_quantity
from tidtam.projects.models import Project
from tidtam.reporting.actions import NewProblem, ProblemChanges, ReportValues
from tidtam.reporting.attachments import (
    ACCEPT,
    HEAD_BYTES,
    check_file,
    clean_name,
    room_errors,
)
from tidtam.reporting.models import Problem, ProblemCategory

PERCENT_RANGE = _("Progress is a percentage from 0 to 100.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    report_date = DateField(
        label=_("Report date"), error_messages={"required": _("Enter the report date.")}
    )
    percent = DecimalField(
        label=_("Cumulative progress (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text=_("The whole project's progress so far, from 0 to 100."),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        error_messages={
            "required": _("Enter the progress in percent."),
            "invalid": _("Enter a number, e.g. 45.5."),
            "min_value": PERCENT_RANGE,
            "max_value": PERCENT_RANGE,
            "max_digits": PERCENT_RANGE,
            "max_decimal_places": _("Use at most 2 decimal places."),
            "max_whole_digits": PERCENT_RANGE,
        },
    )
    # Asked instead of the percent for a project measured as a quantity (see __init__).
    quantity = DecimalField(
        min_value=0,
        max_digits=15,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        error_messages={
            "required": _("Enter the quantity done so far."),
            "invalid": _("Enter a number, e.g. 750 or 750.5."),
            "min_value": _("A quantity cannot be negative."),
            "max_digits": _("The number is too large."),
            "max_whole_digits": _("The number is too large."),
            "max_decimal_places": _("Use at most 2 decimal places."),
        },
    )
    spent = DecimalField(
        label=_("Cumulative spending (baht)"),
        required=False,
        min_value=0,
        max_digits=15,
        decimal_places=2,
        help_text=_("Everything spent on the project so far; leave empty if not known."),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        error_messages={
            "invalid": _("Enter an amount in baht, e.g. 125000 or 125000.50."),
            "min_value": _("Spending cannot be negative."),
            "max_digits": _("The amount is too large."),
            "max_whole_digits": _("The amount is too large."),
            "max_decimal_places": _("Use at most 2 decimal places (satang)."),
        },
    )
    narrative = forms.CharField(
        label=_("Progress this month"),
        max_length=limits.NARRATIVE,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe the progress made this month.")},
    )
    decrease_reason = forms.CharField(
        label=_("Reason for a lower figure"),
        required=False,
        max_length=limits.PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when progress or spending is lower than in the previous report."),
    )
    # The carried-forward problems, each a checkbox meaning "resolved in this report".
    resolved = forms.TypedMultipleChoiceField(
        label=_("Resolved in this report"),
        coerce=int,
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    # Problems this report raised, each a checkbox meaning "remove: raised by mistake".
    removed = forms.TypedMultipleChoiceField(
        label=_("Remove"),
        coerce=int,
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_(
            "PDF, PNG or JPEG, up to %(max)s MB each; a report holds at most %(files)s files, "
            "%(total)s MB in all."
        ),
    )
    version = IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(
        self,
        *args: Any,
        problems: Sequence[Problem] = (),
        raised: Sequence[Problem] = (),
        project: Project | None = None,
        attached: Sequence[int] = (),
        **kwargs: Any,
    ) -> None:
        """`attached`: the sizes of the files the report already holds."""
        super().__init__(*args, **kwargs)
        self.attached = attached
        ask_progress(self, project)
        for name, rows in (("resolved", problems), ("removed", raised)):
            choices = self.fields[name]
            assert isinstance(choices, forms.ChoiceField)
            choices.choices = [(p.pk, p.description) for p in rows]
        attachments = self.fields["attachments"]
        attachments.help_text = attachments.help_text % {
            "max": settings.TIDTAM_ATTACHMENT_MAX_MB,
            "files": settings.TIDTAM_ATTACHMENTS_PER_REPORT,
            "total": settings.TIDTAM_ATTACHMENTS_TOTAL_MB,
        }

    def clean_attachments(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data.get("attachments") or []
        errors = []
        for upload in files:
            upload.seek(0)
            head = upload.read(HEAD_BYTES)
            upload.seek(0)
            try:
                check_file(clean_name(upload.name or ""), head, upload.size or 0)
            except ValidationError as error:
                errors.extend(error.messages)
        errors.extend(room_errors(self.attached, [upload.size or 0 for upload in files]))
        if errors:
            raise ValidationError(errors)
        return files

    def known_values(self) -> dict[str, Any]:
        """What was read of the report's values, None for a value that could not be: for
        `actions.report_errors` when the form is refused."""
        data = self.cleaned_data
        return {
            "report_date": data.get("report_date"),
            "percent": data.get("percent"),
            "quantity": data.get("quantity"),
            "narrative": data.get("narrative"),
            "spent": data.get("spent"),
            "decrease_reason": data.get("decrease_reason") or "",
        }

    def values(self) -> ReportValues:
        data = self.cleaned_data
        return ReportValues(
            report_date=data["report_date"],
            percent=data.get("percent"),
            quantity=data.get("quantity"),
            spent=data["spent"],
            narrative=data["narrative"],
            decrease_reason=data["decrease_reason"],
        )


def ask_progress(form: forms.BaseForm, project: Project | None) -> None:
    """A project measured as a quantity is asked for its quantity, the others for a percent."""
    if project is not None and project.measures_quantity:
        assert project.progress_target is not None  # measures_quantity says it is set
        del form.fields["percent"]
        quantity = form.fields["quantity"]
        quantity.label = _("Cumulative quantity (%(unit)s)") % {"unit": project.progress_unit}
        quantity.help_text = _(
            "Everything done so far, of a target of %(target)s %(unit)s; the percentage "
            "is worked out from it."
        ) % {"target": format_quantity(project.progress_target), "unit": project.progress_unit}
    else:
        del form.fields["quantity"]


def add_rule_errors(form: forms.BaseForm, errors: dict[str, list[str]]) -> None:
    """The report's rules (`actions.report_errors`) beside the form's own errors: on the
    fields that have none yet, or at the top for a value the form does not show."""
    for name, messages in errors.items():
        field = name if name in form.fields else None
        if field is None or not form.has_error(field):
            form.add_error(field, messages)


def _report_field(name: str, **attrs: str) -> forms.Field:
    """A field of the report form, for a smaller form asking the same thing."""
    field = copy.deepcopy(ReportForm.base_fields[name])
    field.widget.attrs.update(attrs)
    return field


class MonthlyRowForm(forms.Form):
    """One project's row on the monthly entry page: its progress and a short narrative. The
    date is the row's (today, or that of the month's draft); spending is left as it is."""

    percent = _report_field("percent")
    quantity = _report_field("quantity")
    narrative = _report_field("narrative", rows="3")
    decrease_reason = _report_field("decrease_reason")
    version = IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(
        self,
        *args: Any,
        project: Project,
        report_date: date,
        spent: Decimal | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.report_date = report_date
        self.spent = spent
        ask_progress(self, project)
        if "percent" in self.fields:
            self.fields["percent"].help_text = ""

    def known_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "report_date": self.report_date,
            "percent": data.get("percent"),
            "quantity": data.get("quantity"),
            "narrative": data.get("narrative"),
            "spent": self.spent,
            "decrease_reason": data.get("decrease_reason") or "",
        }

    def values(self) -> ReportValues:
        data = self.cleaned_data
        return ReportValues(
            report_date=self.report_date,
            percent=data.get("percent"),
            quantity=data.get("quantity"),
            spent=self.spent,
            narrative=data["narrative"],
            decrease_reason=data["decrease_reason"],
        )


class NewProblemForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ProblemCategory.objects.filter(active=True),
        required=False,
        empty_label=_("— choose —"),
    )
    description = forms.CharField(
        label=_("Problem or obstacle"),
        required=False,
        max_length=limits.PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category, description = data.get("category"), (data.get("description") or "").strip()
        if category and not description:
            self.add_error("description", _("Describe the problem."))
        if description and not category:
            self.add_error("category", _("Choose the problem's category."))
        return data


NewProblemFormSet = forms.formset_factory(NewProblemForm, extra=1, max_num=20, absolute_max=20)


def problem_changes(form: ReportForm, formset: forms.BaseFormSet[Any]) -> ProblemChanges:
    return ProblemChanges(
        new=[
            NewProblem(f.cleaned_data["category"], f.cleaned_data["description"])
            for f in formset.forms
            if f.cleaned_data.get("category") and f.cleaned_data.get("description")
        ],
        resolved=form.cleaned_data.get("resolved") or [],
        removed=form.cleaned_data.get("removed") or [],
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=limits.PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the report: say what to correct."),
    )
    version = IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
