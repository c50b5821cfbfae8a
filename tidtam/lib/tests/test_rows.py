from __future__ import annotations

from typing import Any

import pytest

from tidtam.lib.rows import driver_rows
from tidtam.projects.models import Project
from tidtam.test import make_agency, make_project

pytestmark = pytest.mark.django_db


def test_driver_rows_are_the_rows_of_the_values_list_query() -> None:
    agency = make_agency()
    for n in range(1, 4):
        make_project(code=f"99990000-000{n}", agency=agency, name=f"โครงการ {n}")
    query = Project.objects.filter(code__gt="99990000-0001").order_by("code")
    rows = query.values_list("pk", "agency_id", "code", "name")
    assert driver_rows(rows) == list(rows)
    assert [code for _, _, code, _ in driver_rows(rows)] == ["99990000-0002", "99990000-0003"]


def test_a_query_that_can_match_nothing_gives_no_rows_without_asking_the_database(
    django_assert_num_queries: Any,
) -> None:
    with django_assert_num_queries(0):
        assert driver_rows(Project.objects.filter(pk__in=[]).values_list("pk")) == []
