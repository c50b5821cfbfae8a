"""Small helpers every app's views share: query parameters and an action's refusal on a form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import BaseForm


def int_or_none(value: str | None) -> int | None:
    """A query parameter as a number; anything else (empty, letters) means no filter."""
    try:
        return int(value) if value else None
    except ValueError:
        return None


def show_refusal(form: BaseForm, error: ValidationError) -> None:
    """Put an action's refusal next to the field it names, or at the top of the form when the
    form has no such field (Django's add_error would raise instead)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
