"""Forms of the project pages: they clean input; the audited actions write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tidtam.lib import limits
from tidtam.lib.fiscal import fiscal_year_choices, fiscal_year_of
from tidtam.lib.forms import DateField, DecimalField, IntegerField, ModelMultipleChoiceField
from tidtam.orgs.models import Agency, Unit
from tidtam.projects.actions import ContactInput, ProjectInput, StepInput
from tidtam.projects.models import Project
from tidtam.strategy.models import PlanNode


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ProjectForm(forms.ModelForm[Project]):
    agency = forms.ModelChoiceField(
        label=capfirst(_("agency")), queryset=Agency.objects.none(), empty_label=None
    )
    fiscal_year_be = forms.TypedChoiceField(label=capfirst(_("fiscal year (BE)")), coerce=int)
    # The actions name it fiscal_year (see show_refusal).
    action_fields = {"fiscal_year": "fiscal_year_be"}
    objectives = forms.CharField(
        label=_("Objectives"),
        max_length=limits.LIST,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One objective per line, in order."),
    )
    targets = forms.CharField(
        label=_("Targets"),
        max_length=limits.LIST,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One target per line, in order."),
    )
    links = ModelMultipleChoiceField(
        label=_("Supports the city's strategy"),
        queryset=PlanNode.objects.select_related("plan", "level").order_by("plan", "sort_key"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    version = IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        help_text=_("Kept in the project's history."),
    )

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "owning_unit",
            "reporting_unit",
            "responsible_unit",
            "rationale",
            "budget",
            "progress_unit",
            "progress_target",
            "published",
        ]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 5})}
        field_classes = {"budget": DecimalField, "progress_target": DecimalField}

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            pk__in=[a.pk for a in agencies]
        )
        units = Unit.objects.filter(agency__in=agencies)
        self.fields["owning_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["reporting_unit"].queryset = units  # type: ignore[attr-defined]
        this_year = fiscal_year_of(timezone.localdate())
        years = set(range(this_year - 1, this_year + 3))
        if editing:
            years.add(self.instance.fiscal_year_id)
            for name in ("agency", "code"):
                self.fields[name].disabled = True
            self.fields["agency"].initial = self.instance.agency_id
            self.fields["fiscal_year_be"].initial = self.instance.fiscal_year_id
        else:
            del self.fields["reason"]
            self.fields["fiscal_year_be"].initial = this_year
        year_field: Any = self.fields["fiscal_year_be"]
        year_field.choices = fiscal_year_choices(sorted(years))
        self.fields["code"].widget.attrs["placeholder"] = "00000000-0000"
        for name in ("name", "rationale"):
            self.fields[name].required = True

    def validate_unique(self) -> None:
        # The action checks the code (format, agency prefix, uniqueness) with its own messages.
        pass

    def project_input(self, contacts: list[ContactInput]) -> ProjectInput:
        data = self.cleaned_data
        return ProjectInput(
            name=data["name"],
            fiscal_year=data["fiscal_year_be"],
            rationale=data["rationale"],
            budget=data["budget"],
            owning_unit=data["owning_unit"],
            reporting_unit=data["reporting_unit"],
            responsible_unit=data["responsible_unit"],
            progress_unit=data["progress_unit"],
            progress_target=data["progress_target"],
            published=data["published"],
            objectives=_lines(data["objectives"]),
            targets=_lines(data["targets"]),
            links=list(data["links"]),
            contacts=contacts,
        )


class ContactForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200, required=False)
    phone = forms.CharField(label=_("phone"), max_length=100, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    phone_public = forms.BooleanField(label=_("phone is public"), required=False)

    def __init__(self, *args: Any, may_publish: bool = True, **kwargs: Any) -> None:
        """`may_publish`: the user may make phone numbers public (may_publish_phones); for
        anyone else the box only shows what an approver decided."""
        super().__init__(*args, **kwargs)
        self.fields["phone_public"].disabled = not may_publish

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("name") and (data.get("phone") or data.get("email")):
            self.add_error("name", _("Give the name of the person to contact."))
        return data


ContactFormSet = formset_factory(ContactForm, extra=0, max_num=5, validate_max=True)


def contact_inputs(formset: Any) -> list[ContactInput]:
    return [
        ContactInput(
            name=f.cleaned_data["name"],
            phone=f.cleaned_data.get("phone", ""),
            email=f.cleaned_data.get("email", ""),
            phone_public=(
                None
                if f.fields["phone_public"].disabled
                else f.cleaned_data.get("phone_public", False)
            ),
        )
        for f in formset.forms
        if f.cleaned_data.get("name")
    ]


class StepForm(forms.Form):
    text = forms.CharField(
        label=_("description"),
        max_length=limits.LINE,
        widget=forms.TextInput(attrs={"size": 40}),
    )
    weight = DecimalField(
        label=_("weight (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        widget=forms.NumberInput(attrs={"step": "0.01", "class": "weight"}),
    )
    start = DateField(label=_("start"))
    end = DateField(label=_("end"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end", _("The step cannot end before it starts."))
        return data


MAX_STEPS = 60
StepFormSet = formset_factory(StepForm, extra=0, max_num=MAX_STEPS, validate_max=True)


def step_inputs(formset: Any) -> list[StepInput]:
    return [
        StepInput(
            order=n,
            text=f.cleaned_data["text"],
            weight=f.cleaned_data["weight"],
            start=f.cleaned_data["start"],
            end=f.cleaned_data["end"],
        )
        for n, f in enumerate(formset.forms, 1)
    ]


class PlanMetaForm(forms.Form):
    version = IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for re-baselining"),
        required=False,
        max_length=limits.LINE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InstalmentForm(forms.Form):
    released_on = DateField(label=_("released on"))
    amount = DecimalField(
        label=_("amount (baht)"), max_digits=15, decimal_places=2, min_value=Decimal("0.01")
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)
