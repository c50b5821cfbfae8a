"""Forms of KPIs and quarterly entry: they read and clean what was typed; actions decide."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tidtam.indicators.actions import KpiInput, kpi_result_errors
from tidtam.indicators.models import EvaluationCriterion, Kpi, RatingLevel
from tidtam.lib import limits
from tidtam.lib.fiscal import fiscal_year_choices, fiscal_year_of
from tidtam.lib.forms import DecimalField, IntegerField, ModelMultipleChoiceField
from tidtam.lib.language import name_of
from tidtam.orgs.models import Agency
from tidtam.projects.models import Project

CHOOSE_LEVEL = _("Choose a level of the rating scale.")


class KpiResultForm(forms.Form):
    result = DecimalField(
        label=_("Result this quarter"),
        max_digits=15,
        decimal_places=4,
        # `min` is the browser's hint; the rule is the action's (kpi_result_errors).
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}),
        error_messages={
            "required": _("Enter the quarter's result."),
            "invalid": _("Enter a number, e.g. 45.5."),
            "max_digits": _("The number is too large."),
            "max_whole_digits": _("The number is too large."),
            "max_decimal_places": _("Use at most 4 decimal places."),
        },
    )
    narrative = forms.CharField(
        label=_("Report for the quarter"),
        max_length=limits.NARRATIVE,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, unit: str = "", mode_help: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["result"]
        if unit:
            field.label = _("Result this quarter (%(unit)s)") % {"unit": unit}
        field.help_text = mode_help
        # Required by the action's rule (kpi_result_errors): marked so, and a blank one refused
        # here in the action's own words.
        narrative = self.fields["narrative"]
        narrative.error_messages["required"] = kpi_result_errors(None, "")["narrative"][0]

    def clean(self) -> dict[str, Any]:
        """The action's rules, shown with the form's own in one pass."""
        data = super().clean() or {}
        errors = kpi_result_errors(data.get("result"), data.get("narrative") or "")
        for name, messages in errors.items():
            if name not in self.errors:
                for message in messages:
                    self.add_error(name, message)
        return data


def level_choices(levels: Sequence[RatingLevel], lang: str) -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = [("", str(_("— choose —")))]
    for level in levels:
        meaning = f" — {level.meaning}" if level.meaning else ""
        choices.append(
            (str(level.value), f"{level.value.normalize():f} {level.label(lang)}{meaning}")
        )
    return choices


class _ScaleField(forms.TypedChoiceField):
    def __init__(self, *, label: str, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(
            label=label,
            choices=choices,
            coerce=Decimal,
            empty_value=None,
            error_messages={"required": CHOOSE_LEVEL, "invalid_choice": CHOOSE_LEVEL},
            **kwargs,
        )


class KpiScoreForm(forms.Form):
    """One score per evaluation criterion, each a level of the rating scale."""

    def __init__(
        self,
        *args: Any,
        criteria: Sequence[EvaluationCriterion],
        levels: Sequence[RatingLevel],
        lang: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        choices = level_choices(levels, lang)
        for criterion in self.criteria:
            name = name_of(criterion, lang)
            self.fields[self.field_name(criterion)] = _ScaleField(
                label=str(_("Criterion %(code)s") % {"code": criterion.code})
                + (f": {name}" if name else ""),
                choices=choices,
            )

    @staticmethod
    def field_name(criterion: EvaluationCriterion) -> str:
        return f"criterion_{criterion.pk}"

    def scores(self) -> dict[EvaluationCriterion, Decimal]:
        return {c: self.cleaned_data[self.field_name(c)] for c in self.criteria}


class ProjectScoreForm(forms.Form):
    def __init__(self, *args: Any, levels: Sequence[RatingLevel], lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"] = _ScaleField(
            label=str(_("Score for the quarter")), choices=level_choices(levels, lang)
        )


class KpiForm(forms.ModelForm[Kpi]):
    """The KPI itself: what it measures and how; the supporting projects of its agency."""

    fiscal_year_be = forms.TypedChoiceField(label=capfirst(_("fiscal year (BE)")), coerce=int)
    # The actions name it fiscal_year (see show_refusal).
    action_fields = {"fiscal_year": "fiscal_year_be"}
    projects = ModelMultipleChoiceField(
        label=_("Projects supporting this indicator"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Projects of the same agency and fiscal year."),
    )
    version = IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500)

    class Meta:
        model = Kpi
        fields = [
            "agency",
            "code",
            "text",
            "unit",
            "target",
            "direction",
            "mode",
            "kpi_type",
            "level",
            "definition",
            "method",
            "data_source",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "definition": forms.Textarea(attrs={"rows": 3}),
            "method": forms.Textarea(attrs={"rows": 3}),
            "data_source": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"target": DecimalField}

    def __init__(self, *args: Any, agencies: Sequence[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field: Any = self.fields["agency"]
        agency_field.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies])
        agency_field.empty_label = None
        projects: Any = self.fields["projects"]
        projects.queryset = Project.objects.filter(agency__in=agencies).order_by(
            "-fiscal_year_id", "code"
        )
        this_year = fiscal_year_of(timezone.localdate())
        years = set(range(this_year - 1, this_year + 3))
        if self.instance.pk:
            years.add(self.instance.fiscal_year_id)
            for name in ("agency", "code", "fiscal_year_be"):
                self.fields[name].disabled = True
            self.fields["fiscal_year_be"].initial = self.instance.fiscal_year_id
            self.fields["projects"].initial = list(
                self.instance.supports.values_list("project_id", flat=True)
            )
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["reason"]
            self.fields["fiscal_year_be"].initial = this_year
        year_field: Any = self.fields["fiscal_year_be"]
        year_field.choices = fiscal_year_choices(sorted(years))
        self.fields["target"].required = True
        self.fields["unit"].required = True
        self.fields["code"].widget.attrs["placeholder"] = "0000-0000"

    def validate_unique(self) -> None:
        # create_kpi checks the code within its fiscal year, with its own message.
        pass

    def kpi_input(self) -> KpiInput:
        data = self.cleaned_data
        return KpiInput(
            text=data["text"],
            kpi_type=data["kpi_type"],
            unit=data["unit"],
            target=data["target"],
            direction=data["direction"],
            mode=data["mode"],
            level=data["level"],
            definition=data["definition"],
            method=data["method"],
            data_source=data["data_source"],
            projects=list(data["projects"]),
        )
