"""Writes that leave a history entry (django-simple-history) naming who and why.

Every action that changes a record goes through these helpers inside its own transaction, so
the history row and the change commit or roll back together.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.utils import get_history_model_for_model

M = TypeVar("M", bound=models.Model)
K = TypeVar("K", bound=Hashable)
Actor = AbstractBaseUser | AnonymousUser | None

P = ParamSpec("P")
R = TypeVar("R")

# Derived state (a project's stored standing) is refreshed by whoever registered for it, at
# the end of the outermost action, inside its transaction: the facts and what is derived from
# them commit together. Actions say explicitly which projects and KPIs they changed; nothing
# is inferred from signals, which bulk writes skip.
Refresher = Callable[[set[int], set[int]], None]
_refreshers: list[Refresher] = []


class _Pending(threading.local):
    def __init__(self) -> None:
        self.depth = 0
        self.deferred = 0
        self.projects: set[int] = set()
        self.kpis: set[int] = set()


_pending = _Pending()

# Django's history table keeps a reason of at most this many characters: an event code or a
# short label fits; a longer text is kept whole as the row's AuditNote (see audit/models.py).
REASON_LIMIT = 100


def required_reason(reason: str) -> str:
    """The reason a person gave for a change that must have one, or a refusal naming the
    field `reason`."""
    text = reason.strip()
    if not text:
        raise ValidationError({"reason": _("Give the reason for the change.")}, code="required")
    return text


def on_facts_changed(refresher: Refresher) -> None:
    """Register `refresher(project_ids, kpi_ids)`; the standing app does, once, at start-up."""
    if refresher not in _refreshers:
        _refreshers.append(refresher)


def facts_changed(*, projects: Iterable[int] = (), kpis: Iterable[int] = ()) -> None:
    """Say that the official facts of these projects (and KPIs) changed in this transaction.

    Outside an action and outside `refresh_deferred` the refresh happens at once."""
    _pending.projects.update(projects)
    _pending.kpis.update(kpis)
    if _pending.depth == 0 and _pending.deferred == 0:
        _flush()


def _flush() -> None:
    while _pending.projects or _pending.kpis:
        projects, kpis = set(_pending.projects), set(_pending.kpis)
        _pending.projects.clear()
        _pending.kpis.clear()
        for refresher in _refreshers:
            refresher(projects, kpis)


def _discard() -> None:
    _pending.projects.clear()
    _pending.kpis.clear()


def _leave(*, failed: bool) -> None:
    """On leaving the outermost unit: refresh what it changed, or forget it if it failed."""
    if _pending.depth == 0 and _pending.deferred == 0:
        if failed:
            _discard()
        else:
            _flush()


@contextmanager
def refresh_deferred() -> Iterator[None]:
    """Collect the refreshes of many actions and run them once, in bulk, on leaving (the
    importer's batches); use it inside the transaction they belong to."""
    _pending.deferred += 1
    failed = True
    try:
        yield
        failed = False
    finally:
        _pending.deferred -= 1
        _leave(failed=failed)


def _unit(savepoint: bool) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            with transaction.atomic(savepoint=savepoint):
                _pending.depth += 1
                failed = True
                try:
                    result = function(*args, **kwargs)
                    failed = False
                finally:
                    _pending.depth -= 1
                    _leave(failed=failed)
                return result

        return run

    return decorate


# Actions nested in a caller's transaction join it rather than opening a savepoint each: a
# failure anywhere rolls back the caller's whole unit of work (a page, a form), which is the
# point, and the importer saves dozens of round trips per page.
action = _unit(savepoint=False)

# Actions that may refuse input (raising ValidationError) for a person at a form: a savepoint
# when nested lets the caller's transaction go on after the refusal, with nothing written.
checked_action = _unit(savepoint=True)

_history_models: dict[type[models.Model], type[models.Model]] = {}


def user_of(by: Actor) -> Any:
    """The user to name on a record (none for a command run by nobody in particular)."""
    return by if isinstance(by, AbstractBaseUser) else None


def _history_model(model: type[models.Model]) -> Any:
    # simple-history builds a new manager class on every `Model.history` access: look it up once.
    if model not in _history_models:
        _history_models[model] = get_history_model_for_model(model)
    return _history_models[model]


# Field types whose Python values the database drivers take as they are.
_PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}


class _Table:
    """A prepared multi-row INSERT for one model.

    The importer writes some eighty rows a page across a dozen tables, each with its history
    row; Django's bulk_create spends about ten times the database's own time per statement
    preparing it. This prepares the statement once per model and converts only the values
    whose type needs it, with the same field methods Django would call.
    """

    def __init__(self, model: type[models.Model], fields: list[Any], extra: list[str]) -> None:
        quote = connection.ops.quote_name
        self.model = model
        self.fields = fields
        self.convert = [f.get_internal_type() not in _PLAIN for f in fields]
        columns = [f.column for f in fields] + extra
        self.width = len(columns)
        self.prefix = "INSERT INTO {} ({}) VALUES ".format(
            quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
        )
        self.row = "(" + ", ".join(["%s"] * self.width) + ")"
        self.returning = " RETURNING " + quote(model._meta.pk.column)

    def values(self, obj: models.Model, *, add: bool) -> list[Any]:
        out = []
        for field, convert in zip(self.fields, self.convert, strict=True):
            value = field.pre_save(obj, add) if add else getattr(obj, field.attname)
            out.append(field.get_db_prep_save(value, connection) if convert else value)
        return out

    def insert(self, rows: list[list[Any]], *, returning: bool) -> list[Any]:
        """Insert the rows, a batch at a time; the new keys in order when asked."""
        keys: list[Any] = []
        # SQLite allows 32,766 parameters a statement; stay well below it.
        per_batch = max(1, 10_000 // self.width)
        with connection.cursor() as cursor:
            for i in range(0, len(rows), per_batch):
                batch = rows[i : i + per_batch]
                sql = self.prefix + ", ".join([self.row] * len(batch))
                params = [value for row in batch for value in row]
                if returning:
                    # PostgreSQL and SQLite ≥ 3.35 return the rows in insertion order, which
                    # Django's own bulk_create relies on as well.
                    cursor.execute(sql + self.returning, params)
                    keys.extend(key for (key,) in cursor.fetchall())
                else:
                    cursor.execute(sql, params)
        return keys


_tables: dict[type[models.Model], _Table] = {}


def _table(model: type[models.Model]) -> _Table:
    if model not in _tables:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        _tables[model] = _Table(model, fields, [])
    return _tables[model]


def _history_table(model: type[models.Model]) -> _Table:
    history = _history_model(model)
    if history not in _tables:
        fields = [history._meta.get_field(f.name) for f in history.tracked_fields]
        extra = ["history_date", "history_type", "history_user_id", "history_change_reason"]
        _tables[history] = _Table(history, fields, extra)
    return _tables[history]


def _mirror(model: type[models.Model]) -> list[int]:
    """Where each history value is in [key, *the record's prepared row].

    Each historical field but the key is the record's field of the same name and type (a
    one-to-one becomes a foreign key to the same model), so a new record's values, prepared
    once for its insert, serve its history row as they are."""
    if model not in _mirrors:
        record = [model._meta.pk, *_table(model).fields]
        history = _history_table(model).fields
        names = [f.name for f in record]
        for field in history:
            own = record[names.index(field.name)]
            if own.primary_key:
                continue  # an integer either way
            if field.get_internal_type() != own.get_internal_type() and not (
                field.is_relation and own.is_relation and field.related_model == own.related_model
            ):
                raise TypeError(f"{model.__name__}.{field.name}: history field of another type")
        _mirrors[model] = [names.index(f.name) for f in history]
    return _mirrors[model]


_mirrors: dict[type[models.Model], list[int]] = {}


def _why(event: str, reason: str, comment: str) -> tuple[str | None, str]:
    """What goes in the history row's reason column, and what in its AuditNote."""
    label = event or reason
    text = comment.strip()
    if len(label) > REASON_LIMIT:
        # A caller's reason too long for the column is the comment, whole.
        label, text = "", "\n\n".join(t for t in (label.strip(), text) if t)
    return label or None, text


def _notes(history: Any, ids: Iterable[int], comment: str) -> None:
    from tidtam.audit.models import AuditNote

    AuditNote.objects.bulk_create(
        AuditNote(history_model=history._meta.label_lower, history_id=pk, comment=comment)
        for pk in ids
    )


def _record(
    objs: list[M],
    *,
    kind: str,
    by: Actor,
    reason: str,
    rows: list[list[Any]] | None = None,
    event: str = "",
    comment: str = "",
) -> None:
    """Write the history rows django-simple-history itself would write ("+" created,
    "~" changed), in the caller's transaction, with the event or reason and the comment.
    `rows`: the new records' prepared values."""
    table = _history_table(type(objs[0]))
    user = user_of(by)
    label, text = _why(event, reason, comment)
    extra = [
        connection.ops.adapt_datetimefield_value(timezone.now()),
        kind,
        user.pk if user else None,
        label,
    ]
    if rows is None:
        # The historical fields mirror the record's own: read the record's attributes.
        prepared = [table.values(obj, add=False) + extra for obj in objs]
    else:
        mirror = _mirror(type(objs[0]))
        prepared = []
        for obj, row in zip(objs, rows, strict=True):
            full = [obj.pk, *row]
            prepared.append([full[i] for i in mirror] + extra)
    ids = table.insert(prepared, returning=bool(text))
    if text:
        _notes(table.model, ids, text)


def _create(objs: list[M]) -> list[list[Any]]:
    """Insert new records; their prepared values, for their history rows."""
    table = _table(type(objs[0]))
    rows = [table.values(obj, add=True) for obj in objs]
    keys = table.insert(rows, returning=True)
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = connection.alias
    return rows


_bounded: dict[type[models.Model], list[Any]] = {}


def _bounded_fields(model: type[models.Model]) -> list[Any]:
    if model not in _bounded:
        _bounded[model] = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and f.max_length
        ]
    return _bounded[model]


def check_lengths(objs: Iterable[models.Model]) -> None:
    """Refuse a text longer than its field allows (tidtam/lib/limits.py), naming the field:
    every action's write comes through here, so the API and the importer meet the limits the
    forms show, and PostgreSQL never meets a value longer than its column."""
    errors: dict[str, list[str]] = {}
    for obj in objs:
        for field in _bounded_fields(type(obj)):
            value = getattr(obj, field.attname)
            if isinstance(value, str) and len(value) > field.max_length:
                errors.setdefault(field.name, []).append(
                    _("%(field)s is %(length)s characters long; it may be at most %(max)s.")
                    % {
                        "field": capfirst(str(field.verbose_name)),
                        "length": f"{len(value):,}",
                        "max": f"{field.max_length:,}",
                    }
                )
    if errors:
        raise ValidationError(errors, code="too_long")


def save(obj: M, *, by: Actor, reason: str = "", event: str = "", comment: str = "") -> M:
    """Save the record with its history row. `event`: an audit.models.Event code, stored as it
    is and translated for the reader; `comment`: the person's own words, of any length;
    `reason`: a short label for a write that names no event (an import)."""
    check_lengths([obj])
    if obj._state.adding and obj.pk is None:
        rows = _create([obj])
        _record([obj], kind="+", by=by, rows=rows, reason=reason, event=event, comment=comment)
        return obj
    obj.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        obj.save()
    finally:
        del obj.skip_history_when_saving  # type: ignore[attr-defined]
    _record([obj], kind="~", by=by, reason=reason, event=event, comment=comment)
    return obj


def delete(
    obj: models.Model, *, by: Actor, reason: str = "", event: str = "", comment: str = ""
) -> None:
    label, text = _why(event, reason, comment)
    pk = obj.pk
    obj._history_user = user_of(by)  # type: ignore[attr-defined]
    obj._change_reason = label  # type: ignore[attr-defined]
    obj.delete()
    if text:
        history = _history_model(type(obj))
        rows = history.objects.filter(**{obj._meta.pk.attname: pk}, history_type="-")
        row = rows.order_by("-history_id").first()
        if row is not None:
            _notes(history, [row.history_id], text)


def create_many(model: type[M], objs: list[M], *, by: Actor, reason: str = "") -> list[M]:
    if not objs:
        return []
    check_lengths(objs)
    rows = _create(objs)
    _record(objs, kind="+", by=by, reason=reason, rows=rows)
    return objs


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
