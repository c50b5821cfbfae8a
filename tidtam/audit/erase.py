"""Removing a person's name from every stored text, the history tables included.

An erasure under the PDPA keeps every record and its trail, but the person's name, e-mail
address and phone number must be gone from the database: from the record that holds them,
from each historical copy django-simple-history kept of it, and from any free text that
quoted them (a review comment, a reason, the admin site's log). This walks every text column
of every installed model, finds the rows that contain one of the terms, and replaces the term
by the person's label, without writing history rows: the erasure is itself recorded once, by
the action that calls this.

Terms are matched regardless of case, and not inside a longer Latin word, number or address
("somsri.k" is not taken out of "somsri.kk@…"); Thai is written without spaces, so a Thai name
is found wherever it is ("คุณสมศรี ขยันยิ่ง"). JSON columns and files on disk (attachments,
finished exports) are not searched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from tidtam.audit.write import required_reason

# Latin letters, digits and the characters of addresses and handles: a term preceded or
# followed by one of these is part of something longer, and left alone.
_WORD = r"[A-Za-z0-9_.@+-]"
# Shorter terms would match too much that is not the person.
MIN_TERM = 3
_SKIP = frozenset({("auth", "user", "password"), ("sessions", "session", "session_data")})


@dataclass
class Erased:
    rows: int = 0
    projects: set[int] = field(default_factory=set)


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    # The longest first: a whole name before a part of it.
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!{_WORD})(?:{alternatives})(?!{_WORD})", re.IGNORECASE)


def _text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    meta = model._meta
    return [
        f
        for f in meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and (meta.app_label, meta.model_name, f.name) not in _SKIP
    ]


def replace_everywhere(
    terms: Iterable[str],
    label: str,
    *,
    only: Mapping[type[models.Model], models.Q] | None = None,
) -> Erased:
    """Replace each term by `label` in every text column of every model; tell how many rows
    changed and which projects they belong to (their search entries need rewriting).

    `only` narrows some models to the person's own rows: other people's names and phone
    numbers may be equal to a term (a namesake, an office's shared number) and stay."""
    only = only or {}
    erased = Erased()
    needles = sorted({t.strip() for t in terms if len(t.strip()) >= MIN_TERM})
    pattern = _pattern(needles)
    if pattern is None:
        return erased
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = _text_fields(model)
        if not fields:
            continue
        has_project = any(f.attname == "project_id" for f in model._meta.concrete_fields)
        manager = model._base_manager
        pk = model._meta.pk.attname
        for text_field in fields:
            column = text_field.attname
            found = models.Q()
            for needle in needles:
                found |= models.Q(**{f"{column}__icontains": needle})
            extra = ["project_id"] if has_project else []
            rows = manager.filter(found, only.get(model, models.Q()))
            for row in rows.values(pk, column, *extra):
                old = row[column]
                new = pattern.sub(label, old)
                if text_field.max_length:
                    new = new[: text_field.max_length]
                if new == old:
                    continue
                manager.filter(**{pk: row[pk]}).update(**{column: new})
                erased.rows += 1
                if has_project and row["project_id"] is not None:
                    erased.projects.add(row["project_id"])
    return erased


def erasure_reason(reason: str, names: Iterable[str]) -> str:
    """The reason for an erasure, kept for good: given, and not repeating what is erased."""
    text = required_reason(reason)
    folded = text.casefold()
    if any(name.strip() and name.strip().casefold() in folded for name in names):
        raise ValidationError(
            {
                "reason": _(
                    "Do not repeat the person's name, address or phone number in the reason."
                )
            },
            code="names_person",
        )
    return text
