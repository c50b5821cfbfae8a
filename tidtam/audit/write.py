"""Writes that leave a history entry (django-simple-history) naming who and why.

Every action that changes a record goes through these helpers inside its own transaction, so
the history row and the change commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from simple_history.utils import bulk_create_with_history

M = TypeVar("M", bound=models.Model)
K = TypeVar("K", bound=Hashable)
Actor = AbstractBaseUser | AnonymousUser | None


def _user(by: Actor) -> AbstractBaseUser | None:
    return by if isinstance(by, AbstractBaseUser) else None


def save(obj: M, *, by: Actor, reason: str = "") -> M:
    obj._history_user = _user(by)  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.save()
    return obj


def delete(obj: models.Model, *, by: Actor, reason: str = "") -> None:
    obj._history_user = _user(by)  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.delete()


def create_many(model: type[M], objs: list[M], *, by: Actor, reason: str = "") -> list[M]:
    if not objs:
        return []
    return list(
        bulk_create_with_history(
            objs, model, default_user=_user(by), default_change_reason=reason or None
        )
    )


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
