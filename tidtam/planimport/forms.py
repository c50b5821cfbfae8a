"""The upload form of an annual plan: which agency, which fiscal year, which file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tidtam.lib.fiscal import fiscal_year_choices, fiscal_year_of
from tidtam.orgs.models import Agency
from tidtam.planimport.layout import MAX_FILE_BYTES


def year_choices() -> list[tuple[int, str]]:
    this_year = fiscal_year_of(timezone.localdate())
    return fiscal_year_choices(range(this_year - 2, this_year + 3))


class PlanUploadForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=capfirst(_("agency")),
        queryset=Agency.objects.none(),
        empty_label=None,
        to_field_name="code",
    )
    fiscal_year = forms.TypedChoiceField(label=capfirst(_("fiscal year (BE)")), coerce=int)
    file = forms.FileField(
        label=_("Plan file"),
        help_text=_("The filled-in template: an XLSX workbook, or a ZIP of its CSV files."),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["agency"]
        field.queryset = agencies
        year: Any = self.fields["fiscal_year"]
        year.choices = year_choices()
        year.initial = fiscal_year_of(timezone.localdate())

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB: split the plan into several files.")
                % {"size": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload
