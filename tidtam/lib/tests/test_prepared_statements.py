"""PostgreSQL keeps the plan of a query a connection runs again (DB_PREPARED_STATEMENTS)."""

from __future__ import annotations

import pytest
from django.db import connection

from tidtam.projects.models import Project
from tidtam.test import make_project


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's own"
)
@pytest.mark.django_db
def test_a_query_run_again_on_a_connection_is_prepared_with_its_parameters_bound() -> None:
    make_project(code="99990000-0001")
    for _ in range(3):
        assert [p.code for p in Project.objects.filter(code="99990000-0001")] == ["99990000-0001"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('"projects_project"."code" = $1' in s for s in statements), statements
