"""Read-only pages read from a PostgreSQL read replica, when DATABASE_REPLICA_URL names one
(the `replica` database; READ_REPLICA is then on).

The pages that only read (the dashboards, the lists, the exports, the API's lists) say so with
`reading_from_replica()`; inside it the router sends reads of the city's data to the `replica`
database. Never inside a transaction (an action's reads must see its own writes and lock what
they read), and never for sessions, accounts, sign-in attempts or jobs: who is signed in, and
whether a job just asked for exists, must not lag behind the primary.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import FileResponse, HttpRequest, HttpResponseBase

REPLICA = "replica"
# The applications whose rows a read-only page shows: published facts, a replica's delay of a
# second at most is acceptable for them.
REPLICATED_APPS = frozenset(
    {"orgs", "strategy", "projects", "reporting", "indicators", "standing", "search"}
)

_reading = ContextVar("reading_from_replica", default=False)


@contextmanager
def reading_from_replica() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def _streamed(chunks: Iterable[Any]) -> Iterator[Any]:
    # A streamed answer (a CSV) reads its rows while it is sent, after the view returned.
    iterator = iter(chunks)
    while True:
        with reading_from_replica():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


def replica_reads(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A view that only reads: its queries (and a streamed answer's) go to the replica."""

    @functools.wraps(view)
    def read(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with reading_from_replica():
            response = view(request, *args, **kwargs)
        if response.streaming and not isinstance(response, FileResponse):
            response.streaming_content = _streamed(response.streaming_content)  # type: ignore[attr-defined]
        return response

    return read


class ReplicaRouter:
    """Reads of REPLICATED_APPS inside `reading_from_replica()` go to the replica; everything
    else (writes, migrations, reads in a transaction) to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if (
            _reading.get()
            and model._meta.app_label in REPLICATED_APPS
            and settings.READ_REPLICA
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        return True  # one database, two ways of reading it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == DEFAULT_DB_ALIAS
