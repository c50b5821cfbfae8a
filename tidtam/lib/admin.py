"""The admin speaks as the rest of the site: Buddhist-Era dates in Thai, CE in English.

Django's admin writes a date or a moment through the active locale's format, which knows only
the Common Era; its date input and calendar write ISO dates; its yes/no icons say "True" and
"False" to a screen reader in every language. `ReaderValues` goes first in the bases of every
ModelAdmin and inline: date and yes/no columns of the lists and read-only lines of the change
pages are written by the site's own filters (`be_date`, `be_datetime`, a translated yes or no),
date inputs are the site's own field (`tidtam.lib.forms.DateField`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tidtam.lib.forms import DateField, DateInput, DateTimeField, DateTimeInput
from tidtam.lib.people import person_name
from tidtam.lib.templatetags.thai import be_date, be_datetime

Shown = Callable[[models.Model], str]

if TYPE_CHECKING:
    from django.template.response import _TemplateForResponseT

    # simple-history ships no types: its admin is typed as the ModelAdmin it extends.
    HistoryAdmin = admin.ModelAdmin
else:
    HistoryAdmin = SimpleHistoryAdmin


def _yes_no(value: object) -> str:
    return "" if value is None else gettext("yes") if value else gettext("no")


def _date(value: date | datetime | None) -> str:
    return be_datetime(value) if isinstance(value, datetime) else be_date(value)


@cache
def reader_column(model: type[models.Model], name: str) -> Shown | None:
    """The column or read-only line showing the model's date or yes/no field `name` in the
    reader's language, or None for any other name. One object per field: the admin compares
    them."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(field, models.DateField):
        write: Callable[[Any], str] = _date
    elif isinstance(field, models.BooleanField):
        write = _yes_no
    else:
        return None

    @admin.display(description=field.verbose_name, ordering=name)
    def shown(obj: models.Model) -> str:
        return write(getattr(obj, name))

    # The admin looks the help text of a read-only line up by this name.
    shown.__name__ = name
    return shown


def _readable(
    model: type[models.Model], names: Sequence[Any], keep: Sequence[str] = ()
) -> list[Any]:
    return [
        reader_column(model, n) or n if isinstance(n, str) and n not in keep else n for n in names
    ]


class ReaderValues:
    """Mixin for `admin.ModelAdmin` and `admin.TabularInline`: values in the reader's language."""

    model: Any  # the admin's model (a ModelAdmin's `type[M]`)
    formfield_overrides: ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]] = {
        models.DateField: {"form_class": DateField, "widget": DateInput},
        models.DateTimeField: {"form_class": DateTimeField, "widget": DateTimeInput},
    }

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        # A column edited in the list keeps its input.
        editable = getattr(self, "list_editable", ())
        return _readable(self.model, super().get_list_display(request), editable)  # type: ignore[misc]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return _readable(self.model, super().get_readonly_fields(request, obj))  # type: ignore[misc]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        # A page without the right to change shows every field read-only.
        view_only = obj is not None and not self.has_change_permission(request, obj)  # type: ignore[attr-defined]
        readonly = set(self.get_readonly_fields(request, obj))

        def swap(name: Any) -> Any:
            if isinstance(name, list | tuple):
                return tuple(swap(n) for n in name)
            shown = reader_column(self.model, name) if isinstance(name, str) else None
            return shown if shown is not None and (view_only or shown in readonly) else name

        out = []
        for title, options in fieldsets:
            fields: list[Any] = []
            for name in map(swap, options.get("fields", ())):
                if name not in fields:
                    fields.append(name)
            out.append((title, {**options, "fields": fields}))
        return out


class ReadOnlyWhen:
    """Mixin for `admin.ModelAdmin`: the records `locked(obj)` names (a report under review, a
    project whose plan a report was approved against) are shown read-only, with no change, no
    delete and no bulk delete; they change only through actions that ask for a reason.
    `locked_note(obj)` says so on their page, and where to change them."""

    def locked(self, obj: Any) -> bool:
        raise NotImplementedError

    def locked_note(self, obj: Any) -> str:
        return ""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and self.locked(obj):
            return False
        return bool(super().has_change_permission(request, obj))  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and self.locked(obj):
            return False
        return bool(super().has_delete_permission(request, obj))  # type: ignore[misc]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # The list's bulk delete asks no question per record: locked ones would go with it.
        actions: dict[str, Any] = super().get_actions(request)  # type: ignore[misc]
        actions.pop("delete_selected", None)
        return actions

    def _current_locked(self, obj: Any) -> bool:
        current = type(obj)._default_manager.filter(pk=obj.pk).first()
        return current is not None and self.locked(current)

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        # simple-history's page of an old version: `obj` is that version, not the record.
        if obj is not None and self._current_locked(obj):
            return True
        return bool(super().revert_disabled(request, obj))  # type: ignore[misc]

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> Any:
        # Putting an old version back is a change like any other.
        current = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if request.method == "POST" and current is not None and self.locked(current):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]

    # The admin's own change form, with the note above the fields of a locked record.
    change_form_template: ClassVar[_TemplateForResponseT | None] = "admin/locked_change_form.html"

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> Any:
        if obj is not None and self.locked(obj):
            context["locked_note"] = self.locked_note(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)  # type: ignore[misc]


class ReadOnlyWithParent:
    """Mixin for an inline of a `ReadOnlyWhen` admin: read-only, with no row added or deleted,
    while its parent record is locked (`parent_locked(parent)`)."""

    def parent_locked(self, parent: Any) -> bool:
        raise NotImplementedError

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        # Every value is shown read-only (ReaderValues writes its dates): the rows' forms
        # have no fields to take input.
        if obj is not None and self.parent_locked(obj):
            kwargs["fields"] = []
        return super().get_formset(request, obj, **kwargs)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and self.parent_locked(obj):
            return False
        return bool(super().has_add_permission(request, obj))  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and self.parent_locked(obj):
            return False
        return bool(super().has_change_permission(request, obj))  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and self.parent_locked(obj):
            return False
        return bool(super().has_delete_permission(request, obj))  # type: ignore[misc]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the history. Do not repeat a name you are erasing."),
    )


def act_with_reason(
    model_admin: admin.ModelAdmin[Any],
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    title: str,
    apply: Callable[[Any, dict[str, Any]], object],
    done: str,
    form_class: type[ReasonForm] = ReasonForm,
) -> TemplateResponse | None:
    """An admin action that first asks why (and whatever else `form_class` asks), then
    applies an action to each chosen record. A refusal is reported for that record and the
    others go on; `done` is the message for each record done, naming it as "%(who)s"."""
    applying = "apply" in request.POST
    form = form_class(request.POST if applying else None)
    if applying and form.is_valid():
        for obj in queryset:
            try:
                apply(obj, form.cleaned_data)
            except ValidationError as error:
                model_admin.message_user(
                    request, f"{person_name(obj)}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                model_admin.message_user(
                    request, done % {"who": person_name(obj)}, messages.SUCCESS
                )
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        "form": form,
        "objects": [person_name(obj) for obj in queryset],
        "selected": [obj.pk for obj in queryset],
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/act_with_reason.html", context)
