"""Writes that leave a history entry (django-simple-history) naming who and why.

Every action that changes a record goes through these helpers inside its own transaction, so
the history row and the change commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import get_history_model_for_model

M = TypeVar("M", bound=models.Model)
K = TypeVar("K", bound=Hashable)
Actor = AbstractBaseUser | AnonymousUser | None

# Actions nested in a caller's transaction join it rather than opening a savepoint each: a
# failure anywhere rolls back the caller's whole unit of work (a page, a form), which is the
# point, and the importer saves dozens of round trips per page.
action = transaction.atomic(savepoint=False)

_history_models: dict[type[models.Model], type[models.Model]] = {}


def _user(by: Actor) -> AbstractBaseUser | None:
    return by if isinstance(by, AbstractBaseUser) else None


def _history_model(model: type[models.Model]) -> Any:
    # simple-history builds a new manager class on every `Model.history` access: look it up once.
    if model not in _history_models:
        _history_models[model] = get_history_model_for_model(model)
    return _history_models[model]


def _insert_statement(history: Any) -> tuple[str, list[Any]]:
    fields = [*history.tracked_fields]
    quote = connection.ops.quote_name
    names = [
        *(history._meta.get_field(f.name).column for f in fields),
        "history_date",
        "history_type",
        "history_user_id",
        "history_change_reason",
    ]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(history._meta.db_table),
        ", ".join(quote(name) for name in names),
        ", ".join(["%s"] * len(names)),
    )
    return sql, [history._meta.get_field(f.name) for f in fields]


_statements: dict[type[models.Model], tuple[str, list[Any]]] = {}


def _record(objs: list[M], *, kind: str, by: Actor, reason: str) -> None:
    """Write history rows ("+" created, "~" changed) in the caller's transaction.

    The rows are the ones django-simple-history writes itself, inserted with one prepared
    statement: building a historical model instance per row cost more than the row it records
    (the importer writes some eighty rows a page).
    """
    history = _history_model(type(objs[0]))
    if history not in _statements:
        _statements[history] = _insert_statement(history)
    sql, fields = _statements[history]
    user = _user(by)
    extra = [
        models.DateTimeField().get_db_prep_save(timezone.now(), connection),
        kind,
        user.pk if user else None,
        reason or None,
    ]
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        + extra
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def save(obj: M, *, by: Actor, reason: str = "") -> M:
    adding = obj._state.adding
    obj.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        obj.save()
    finally:
        del obj.skip_history_when_saving  # type: ignore[attr-defined]
    _record([obj], kind="+" if adding else "~", by=by, reason=reason)
    return obj


def delete(obj: models.Model, *, by: Actor, reason: str = "") -> None:
    obj._history_user = _user(by)  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.delete()


def create_many(model: type[M], objs: list[M], *, by: Actor, reason: str = "") -> list[M]:
    if not objs:
        return []
    created = model._default_manager.bulk_create(objs)
    # SQLite ≥ 3.35 and PostgreSQL return the new keys, which the history rows need.
    assert all(obj.pk is not None for obj in created)
    _record(created, kind="+", by=by, reason=reason)
    return created


def assign(obj: models.Model, values: Mapping[str, Any]) -> bool:
    """Set the values that differ; tell whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def sync_rows(
    model: type[M],
    *,
    existing: Iterable[M],
    key: Callable[[M], K],
    wanted: Mapping[K, Mapping[str, Any]],
    make: Callable[[K, Mapping[str, Any]], M],
    by: Actor,
    reason: str = "",
    delete_missing: bool = True,
) -> SyncResult:
    """Bring a set of child rows to `wanted`, touching (and auditing) only what differs."""
    result = SyncResult()
    current = {key(obj): obj for obj in existing}
    for k, values in wanted.items():
        obj = current.get(k)
        if obj is not None and assign(obj, values):
            save(obj, by=by, reason=reason)
            result.updated += 1
    if delete_missing:
        for k, obj in current.items():
            if k not in wanted:
                delete(obj, by=by, reason=reason)
                result.deleted += 1
    new = [make(k, values) for k, values in wanted.items() if k not in current]
    result.created = len(create_many(model, new, by=by, reason=reason))
    return result
