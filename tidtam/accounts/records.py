"""Whether a person has anything on the record: then their account is never deleted.

A record is any row that names them as the one who entered, submitted, reviewed, scored,
closed, uploaded or changed something: a foreign key to the user in any model, the history
tables of django-simple-history included (`history_user`, and the copies of `submitted_by`
and the like). Found from the models themselves, so that a model added later counts without
being listed here. What is not a record is listed: the roles they hold (ended by
deactivation, kept in the roles' history), reminders sent to them, their own exports, and
the subject of a role's history.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from tidtam.lib.people import person_name

# (app label, model name, field name) of the relations to a user that are not records.
NOT_RECORDS = frozenset(
    {
        ("accounts", "membership", "user"),
        ("accounts", "historicalmembership", "user"),
        ("reporting", "reminderlog", "user"),
        ("jobs", "job", "requested_by"),
        ("admin", "logentry", "user"),
    }
)


def _relations() -> list[models.ForeignObjectRel]:
    relations = []
    for relation in get_user_model()._meta.get_fields(include_hidden=True):
        # Groups and permissions (many-to-many, through tables Django makes) are not records.
        if not isinstance(relation, models.ForeignObjectRel) or relation.many_to_many:
            continue
        if relation.field.model._meta.auto_created:
            continue
        related = relation.field.model._meta
        key = (related.app_label, related.model_name, relation.field.name)
        if key not in NOT_RECORDS:
            relations.append(relation)
    return relations


def records_of(user: Any) -> list[str]:
    """The kinds of record that name the user ("progress reports", …), empty when none: one
    query per kind of record, for the rare moment an administrator asks."""
    kinds: list[str] = []
    for relation in _relations():
        related: Any = relation.related_model
        if related._default_manager.filter(**{relation.field.name: user.pk}).exists():
            # A history table is named for the records it keeps the history of.
            recorded = getattr(related, "instance_type", related)
            name = str(recorded._meta.verbose_name_plural)
            if name not in kinds:
                kinds.append(name)
    return kinds


def refusal(user: Any, kinds: list[str]) -> str:
    return _(
        "%(user)s cannot be deleted: their name is on records that must be kept (%(kinds)s). "
        "Deactivate the account instead; for a request to erase their personal data, erase "
        "it instead."
    ) % {"user": person_name(user), "kinds": ", ".join(kinds)}


def refuse_deleting_people_with_records(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Connected to the user model's pre_delete (accounts/apps.py): the user model is Django's
    own, so this is the one place a deletion by any path (the admin site, a shell, a cascade)
    can be refused before the foreign keys that are set to NULL lose who did what."""
    kinds = records_of(instance)
    if kinds:
        raise ProtectedError(refusal(instance, kinds), set())
