"""Rows read as the database driver returns them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def driver_rows(rows: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` query as tuples from the driver, without Django's
    iterator and per-row converters, from the database the router picks for it.

    For reads of thousands of rows where those cost more than the query itself (the
    dashboard's plan links: 10,000 rows a year at city scale). Only for integer and text
    columns, which SQLite and PostgreSQL return alike; a decimal, a date or a boolean comes
    back differently from each."""
    try:
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        fetched: list[tuple[Any, ...]] = cursor.fetchall()
    return fetched
