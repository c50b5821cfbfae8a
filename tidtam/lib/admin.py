"""Dates in the admin as on the rest of the site: Buddhist Era in Thai, Common Era in English.

Django's admin writes a date or a moment through the active locale's format, which knows only
the Common Era; its date input and calendar write ISO dates. `ReaderDates` goes first in the
bases of every ModelAdmin and inline: date columns of the lists and read-only dates of the
change pages are written by the template filters (`be_date`, `be_datetime`), date inputs are
the site's own field (`tidtam.lib.forms.DateField`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any, ClassVar

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest

from tidtam.lib.forms import DateField, DateInput
from tidtam.lib.templatetags.thai import be_date, be_datetime

Shown = Callable[[models.Model], str]


@cache
def date_column(model: type[models.Model], name: str) -> Shown | None:
    """The column or read-only line showing the model's date field `name` in the reader's era,
    or None when `name` is not a date field. One object per field: the admin compares them."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not isinstance(field, models.DateField):
        return None
    moment = isinstance(field, models.DateTimeField)

    @admin.display(description=field.verbose_name, ordering=name)
    def shown(obj: models.Model) -> str:
        value: date | datetime | None = getattr(obj, name)
        return be_datetime(value) if moment and isinstance(value, datetime) else be_date(value)

    # The admin looks the help text of a read-only line up by this name.
    shown.__name__ = name
    return shown


def _dated(model: type[models.Model], names: Sequence[Any]) -> list[Any]:
    return [date_column(model, n) or n if isinstance(n, str) else n for n in names]


class ReaderDates:
    """Mixin for `admin.ModelAdmin` and `admin.TabularInline`: dates in the reader's era."""

    model: type[models.Model]
    formfield_overrides: ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]] = {
        models.DateField: {"form_class": DateField, "widget": DateInput}
    }

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        return _dated(self.model, super().get_list_display(request))  # type: ignore[misc]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return _dated(self.model, super().get_readonly_fields(request, obj))  # type: ignore[misc]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        # A page without the right to change shows every field read-only.
        view_only = obj is not None and not self.has_change_permission(request, obj)  # type: ignore[attr-defined]
        readonly = set(self.get_readonly_fields(request, obj))

        def swap(name: Any) -> Any:
            if isinstance(name, list | tuple):
                return tuple(swap(n) for n in name)
            shown = date_column(self.model, name) if isinstance(name, str) else None
            return shown if shown is not None and (view_only or shown in readonly) else name

        out = []
        for title, options in fieldsets:
            fields: list[Any] = []
            for name in map(swap, options.get("fields", ())):
                if name not in fields:
                    fields.append(name)
            out.append((title, {**options, "fields": fields}))
        return out
