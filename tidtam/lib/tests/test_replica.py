"""With DATABASE_REPLICA_URL, the read-only pages read the city's data from the `replica`
database; writes, reads inside a transaction, sessions and accounts stay on the primary. The
alias is pointed here at the test database itself, as a replica would mirror the primary."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tidtam.accounts.actions import create_api_token
from tidtam.lib.replica import REPLICA, reading_from_replica
from tidtam.projects.models import Project
from tidtam.test import Personas, make_project

pytestmark = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


@pytest.fixture
def replica(settings: Any) -> None:
    settings.READ_REPLICA = True


@pytest.fixture
def project(personas: Personas) -> Project:
    return make_project(code=f"{personas.agency_a.code}-0001")


def queries_on_each(client: Client, url: str, **extra: Any) -> tuple[int, int, Any]:
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as copy,
    ):
        response = client.get(url, **extra)
    assert response.status_code == 200, response.content[:300]
    return len(primary), len(copy), response


@pytest.mark.usefixtures("replica", "project")
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/projects/",
        "/kpis/",
        "/flags/",
        "/dashboard/status.csv",
        "/projects/export.csv",
        "/projects/export.xlsx",
        "/api/v1/projects",
        "/api/v1/kpis",
    ],
)
def test_read_only_pages_read_the_city_data_from_the_replica(url: str) -> None:
    primary, copy, response = queries_on_each(Client(), url)
    if response.streaming:
        response.getvalue()
    assert copy > 0
    assert primary == 0


@pytest.mark.usefixtures("replica", "project")
def test_a_streamed_export_reads_its_rows_from_the_replica_while_it_is_sent() -> None:
    response = Client().get("/projects/export.csv")
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as copy,
    ):
        body = response.getvalue().decode("utf-8-sig")
    assert "99990000-0001" in body
    assert len(primary) == 0 and len(copy) > 0


@pytest.mark.usefixtures("replica", "project")
def test_a_signed_in_readers_session_and_account_are_read_from_the_primary(
    personas: Personas,
) -> None:
    reader = Client()
    reader.force_login(personas.executive)
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as copy,
    ):
        assert reader.get("/projects/").status_code == 200
    on_primary = " ".join(q["sql"] for q in primary.captured_queries)
    on_copy = " ".join(q["sql"] for q in copy.captured_queries)
    assert "django_session" in on_primary and "auth_user" in on_primary
    assert "django_session" not in on_copy and "auth_user" not in on_copy
    assert "projects_project" in on_copy


@pytest.mark.usefixtures("replica", "project")
def test_an_api_token_is_checked_on_the_primary(personas: Personas) -> None:
    _, secret = create_api_token(
        user=personas.executive,
        name="ทดสอบ",
        expires_on=timezone.localdate() + timedelta(days=30),
        by=personas.executive,
    )
    primary, copy, _ = queries_on_each(
        Client(), "/api/v1/projects", headers={"Authorization": f"Bearer {secret}"}
    )
    assert primary > 0 and copy > 0


@pytest.mark.usefixtures("replica")
def test_reads_inside_a_transaction_and_writes_stay_on_the_primary() -> None:
    with reading_from_replica():
        assert router.db_for_read(Project) == REPLICA
        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
        assert router.db_for_write(Project) == DEFAULT_DB_ALIAS
        with transaction.atomic():
            assert router.db_for_read(Project) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Project) == DEFAULT_DB_ALIAS


def test_without_a_replica_everything_reads_from_the_primary() -> None:
    with reading_from_replica():
        assert router.db_for_read(Project) == DEFAULT_DB_ALIAS
