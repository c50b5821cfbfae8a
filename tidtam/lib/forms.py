"""The one date field of every form: typed and shown in the reader's era.

A browser's `type=date` input can only show the Common Era, so dates are a text input: Thai
readers type and see `19/2/2563` (Buddhist Era), English readers `19/2/2020`; ISO 8601
(`2020-02-19`) is read in both. A year in the wrong era is refused with a message that says
so, never shifted by 543 years in silence (`tidtam.lib.thai.parse_typed_date`).

The number fields read Arabic and Thai digits and refuse every other script's (`typed_number`),
and an integer is kept within the database's range; a multiple choice refuses a key no row can
have before the database is asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tidtam.lib.fiscal import EARLIEST, LATEST, date_in_bounds
from tidtam.lib.language import current_language
from tidtam.lib.thai import (
    BE_YEARS_FROM,
    DateTypingError,
    ce_year,
    format_date,
    parse_typed_date,
    typed_number,
)
from tidtam.lib.web import INT_MAX, INT_MIN, int_or_none


def example() -> str:
    """The worked example of every message and help text: 19/2/2563 in Thai, 19/2/2020."""
    return format_date(date(2020, 2, 19), style="short", lang=current_language())


def _help_text() -> str:
    return gettext("Day/month/year, e.g. %(example)s.") % {"example": example()}


def validate_date_range(value: date) -> None:
    """A date typed into a form (in the reader's era, already read as a date) between
    `tidtam.lib.fiscal.EARLIEST` and `LATEST`."""
    if date_in_bounds(value):
        return
    lang = current_language()
    raise ValidationError(
        _("Give a date from %(first)s to %(last)s."),
        code="date_out_of_range",
        params={
            "first": format_date(EARLIEST, style="long", lang=lang),
            "last": format_date(LATEST, style="long", lang=lang),
        },
    )


def validate_recorded_date(value: date) -> None:
    """The bounds of every date a plan step, a report or an instalment carries: the models'
    validator, and the check of the actions that write them, whatever sent the date (a form,
    the importer, the API). There the date is in the Common Era, so a year that would be in
    bounds less 543 years was written in the Buddhist Era, and the message says so."""
    if (
        not date_in_bounds(value)
        and value.year >= BE_YEARS_FROM
        and EARLIEST.year <= ce_year(value.year) <= LATEST.year
    ):
        raise ValidationError(
            _(
                "%(year)s is a Buddhist-Era year where the Christian era is expected "
                "(%(year)s BE is %(ce)s)."
            ),
            code="be_year",
            params={"year": value.year, "ce": ce_year(value.year)},
        )
    validate_date_range(value)


def date_errors(*days: date) -> list[str]:
    """What `validate_recorded_date` says of each of these days out of bounds, for an action
    that gathers every rule a record breaks."""
    errors = []
    for day in days:
        try:
            validate_recorded_date(day)
        except ValidationError as error:
            errors.extend(error.messages)
    return errors


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
    # Typed in the reader's era and read by `parse_typed_date`: only the range is left.
    default_validators = [validate_date_range]
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
        return bool(initial != data)


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


def _number(value: Any) -> Any:
    """What was typed, with its Thai digits made Arabic; another script's digit is refused."""
    if not isinstance(value, str):
        return value
    typed = typed_number(value)
    if typed is None:
        raise ValidationError(_("Enter the number with the digits 0-9 or ๐-๙."), code="invalid")
    return typed


class IntegerField(forms.IntegerField):
    """A whole number typed in Arabic or Thai digits, within the database's integer range (a
    version of optimistic locking is one too)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", INT_MIN)
        kwargs.setdefault("max_value", INT_MAX)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        return super().to_python(_number(value))


class DecimalField(forms.DecimalField):
    """An amount typed in Arabic or Thai digits."""

    def to_python(self, value: Any) -> Any:
        return super().to_python(_number(value))


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    """Django's, refusing as an invalid choice a key that no row can have: a number past the
    key column's range would reach the database in an IN list, which it refuses with an error
    (Django checks the range only for a single key)."""

    def _check_values(self, value: Iterable[Any]) -> Any:
        rows: QuerySet[Any] = self.queryset  # type: ignore[assignment]
        model = rows.model
        key = (
            model._meta.pk
            if self.to_field_name is None
            else model._meta.get_field(self.to_field_name)
        )
        if isinstance(key, models.IntegerField):
            low, high = connections[rows.db].ops.integer_field_range(key.get_internal_type())
            for pk in value:
                number = int_or_none(
                    str(pk),
                    low=INT_MIN if low is None else low,
                    high=INT_MAX if high is None else high,
                )
                if number is None and str(pk).strip():
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super()._check_values(value)  # type: ignore[misc]
