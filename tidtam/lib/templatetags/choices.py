"""The options of a form's select, rendered in one pass."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def options(choices: Iterable[tuple[object, object]], selected: object = None) -> SafeString:
    """`{% options pairs selected %}`: an <option> for each (value, label) pair, marked
    selected when its value is `selected` or one of them (a list or a tuple), compared as
    text. A list's filters offer a few hundred options: one tag renders them, where a loop
    in the template would resolve each value and test each selection on its own."""
    if selected is None:
        chosen: set[str] = set()
    elif isinstance(selected, list | tuple):
        chosen = {str(value) for value in selected}
    else:
        chosen = {str(selected)}
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) in chosen else "", label)
            for value, label in choices
        ),
    )
