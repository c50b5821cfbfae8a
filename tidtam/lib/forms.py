"""The one date field of every form: typed and shown in the reader's era.

A browser's `type=date` input can only show the Common Era, so dates are a text input: Thai
readers type and see `19/2/2563` (Buddhist Era), English readers `19/2/2020`; ISO 8601
(`2020-02-19`) is read in both. A year in the wrong era is refused with a message that says
so, never shifted by 543 years in silence (`tidtam.lib.thai.parse_typed_date`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tidtam.lib.language import current_language
from tidtam.lib.thai import DateTypingError, format_date, parse_typed_date


def example() -> str:
    """The worked example of every message and help text: 19/2/2563 in Thai, 19/2/2020."""
    return format_date(date(2020, 2, 19), style="short", lang=current_language())


def _help_text() -> str:
    return gettext("Day/month/year, e.g. %(example)s.") % {"example": example()}


class DateInput(forms.DateInput):
    """A date typed on a phone's number pad, shown as `format_date(style="short")` writes it."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "inputmode": "numeric",
                "autocomplete": "off",
                "size": 11,
                "maxlength": 10,
                "placeholder": _("dd/mm/yyyy"),
                **(attrs or {}),
            }
        )

    def format_value(self, value: Any) -> str | None:
        # What was typed comes back as typed, with its error beside it.
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return format_date(value, style="short", lang=current_language())
        return super().format_value(value)


class DateField(forms.DateField):
    widget = DateInput
    default_error_messages = {
        "invalid": _("Enter the date as day/month/year, e.g. %(example)s."),
        "be_year_in_iso": _(
            "%(year)s is a Buddhist-Era year: write the date as day/month/year, e.g. %(example)s."
        ),
        "ce_year_in_thai": _(
            "%(year)s is a Christian-era year: enter the Buddhist-Era year, e.g. %(example)s."
        ),
        "be_year_in_english": _(
            "%(year)s is a Buddhist-Era year: enter the Christian-era year, e.g. %(example)s."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", lazy(_help_text, str)())
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return parse_typed_date(str(value), lang=current_language())
        except DateTypingError as error:
            raise ValidationError(
                self.error_messages[error.code],
                code=error.code,
                params={"year": error.year, "example": example()},
            ) from None

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        if isinstance(initial, str):
            try:
                initial = self.to_python(initial)
            except ValidationError:
                return True
        return initial != data


class DateTimeInput(forms.SplitDateTimeWidget):
    """A moment as two inputs: its day as `DateInput` shows it, then the 24-hour time."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        time_attrs = {"inputmode": "numeric", "size": 6, "placeholder": _("hh:mm"), **(attrs or {})}
        self.widgets = (DateInput(attrs), forms.TimeInput(time_attrs, format="%H:%M"))


class DateTimeField(forms.SplitDateTimeField):
    """A moment typed as a day in the reader's era (as `DateField` reads it) and a time."""

    widget = DateTimeInput

    def __init__(self, **kwargs: Any) -> None:
        # Django's own builds its day field from the locale's input formats: CE only.
        time = forms.TimeField(
            error_messages={"invalid": self.default_error_messages["invalid_time"]}
        )
        forms.MultiValueField.__init__(self, (DateField(), time), **kwargs)
        self.help_text = self.help_text or self.fields[0].help_text
