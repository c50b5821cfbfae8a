"""The admin's history list reads the event and comment of its rows as the history tab does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from tidtam.audit.history import notes_of
from tidtam.audit.models import event_label

register = template.Library()


@register.simple_tag
def history_rows(records: Iterable[Any]) -> list[tuple[Any, str, str]]:
    """(record, what it recorded in the reader's language, the comment) for a page of history
    rows, with one query for all their comments."""
    rows = list(records)
    notes = notes_of(rows)
    return [
        (
            row,
            event_label(row.history_change_reason),
            notes.get((row._meta.label_lower, row.history_id), ""),
        )
        for row in rows
    ]
