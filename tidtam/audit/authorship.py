"""Who took part in entering a record that goes through review, read from its history.

The rule of four eyes: a person who entered a report may not also be the one who approves it.
"Entered" is read from the audit trail rather than from a field or two, because a person who
is both officer and approver of an agency can take part in many ways: create the draft, edit
it, edit it again after it was returned, submit it, add or remove its files.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from simple_history.utils import get_history_model_for_model

SUBMITTED = "submitted"
DECIDED = ("returned", "approved")


def entry_rows(model: type[models.Model], user_pk: int) -> models.QuerySet[Any]:
    """The history rows of `model` the user wrote while entering a record: every change they
    made except a reviewer's decision (a row moving a submitted record to returned or
    approved). Narrow it to one record with `.filter(id=OuterRef("pk"))`.

    A decision is told from an edit by the row before it, not by the status alone: editing a
    returned report leaves it returned, so a "returned" row after a "returned" row is an edit.
    For example, with the rows draft (A), submitted (B), returned (C), returned (A), the
    entries of A are the first and the last, of B the second, and C has none.
    """
    history = get_history_model_for_model(model)
    before = history.objects.filter(
        id=OuterRef("id"), history_id__lt=OuterRef("history_id")
    ).order_by("-history_id")
    entered: models.QuerySet[Any] = (
        history.objects.filter(history_user_id=user_pk)
        .annotate(before=Coalesce(Subquery(before.values("status")[:1]), Value("")))
        .exclude(status__in=DECIDED, before=SUBMITTED)
    )
    return entered


def dependants_by(model: type[models.Model], user_pk: int, link: str) -> Exists:
    """Whether the user wrote any history row of a dependant record (`model`, pointing to
    the outer query's record by the foreign key `link`): a file added to a report and
    removed since still counts."""
    history = get_history_model_for_model(model)
    return Exists(history.objects.filter(history_user_id=user_pk, **{link: OuterRef("pk")}))


def entered(model: type[models.Model], user_pk: int) -> Exists:
    """Whether the user has an entry row (see entry_rows) for the outer query's record."""
    return Exists(entry_rows(model, user_pk).filter(id=OuterRef("pk")))
