"""Public pages come from the cache for anonymous readers, in their language, until what they
show changes; a signed-in person always gets a fresh page."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
import redis
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tidtam.accounts.middleware import LAST_SEEN
from tidtam.audit.published import published_data_changed, published_version
from tidtam.dashboards.public_cache import CSRF_PLACEHOLDER
from tidtam.projects.models import Project
from tidtam.reporting import actions
from tidtam.reporting.models import ReportStatus
from tidtam.reporting.tests.conftest import values
from tidtam.test import Personas, make_project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

Capture = Callable[..., Any]
PAGES = ["/", "/projects/", "/projects/99990000-0001/"]


@pytest.fixture
def project(personas: Personas) -> Project:
    return make_project(code=f"{personas.agency_a.code}-0001", budget=Decimal("100000"))


def get(client: Client, url: str) -> tuple[str, int]:
    """The page's text and how many queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode()), len(queries)


def without_tokens(page: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", page)


@pytest.mark.usefixtures("project")
@pytest.mark.parametrize("url", PAGES)
def test_a_public_page_is_served_from_the_cache_on_the_second_request(url: str) -> None:
    first, rendering = get(Client(), url)
    second, cached = get(Client(), url)
    assert cached == 1  # the published version, nothing else
    assert rendering > 3
    assert without_tokens(second) == without_tokens(first)


def test_the_project_page_changes_once_a_report_is_approved(
    project: Project, personas: Personas, django_capture_on_commit_callbacks: Capture
) -> None:
    report = actions.create_report(
        project=project, values=values(percent=Decimal("37")), by=personas.officer_a
    )
    report = actions.submit_report(report=report, by=personas.officer_a)
    url = f"/projects/{project.code}/"
    before, _ = get(Client(), url)
    assert "37.00" not in before
    version = published_version()

    approver = Client()
    approver.force_login(personas.approver_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = approver.post(f"/reports/{report.pk}/approve/", {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED

    assert published_version() == version + 1
    after, queries = get(Client(), url)
    assert queries > 1  # rendered again, under the new version
    assert "37.00" in after


def test_the_lists_change_when_a_standing_changes(
    project: Project, personas: Personas, django_capture_on_commit_callbacks: Capture
) -> None:
    before, _ = get(Client(), "/projects/")
    with django_capture_on_commit_callbacks(execute=True):
        report = actions.create_report(
            project=project, values=values(percent=Decimal("37")), by=personas.officer_a
        )
        actions.submit_report(report=report, by=personas.officer_a)
        actions.approve_report(report=report, by=personas.approver_a)
    after, queries = get(Client(), "/projects/")
    assert queries > 1 and without_tokens(after) != without_tokens(before)


def test_nothing_changes_the_version_until_the_action_commits(
    project: Project, personas: Personas
) -> None:
    version = published_version()
    with transaction.atomic():
        report = actions.create_report(
            project=project, values=values(percent=Decimal("37")), by=personas.officer_a
        )
        actions.submit_report(report=report, by=personas.officer_a)
        published_data_changed()
        assert published_version() == version
        transaction.set_rollback(True)
    assert published_version() == version


@pytest.mark.usefixtures("project")
@pytest.mark.parametrize("url", PAGES)
def test_a_signed_in_reader_never_gets_the_cached_copy(url: str, personas: Personas) -> None:
    get(Client(), url)
    get(Client(), url)
    reader = Client()
    reader.force_login(personas.executive)
    with CaptureQueriesContext(connection) as queries:
        response = reader.get(url)
    assert len(queries) > 3
    assert personas.executive.username in html.unescape(response.content.decode())
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


@pytest.mark.usefixtures("project")
@pytest.mark.parametrize("url", PAGES)
def test_the_language_is_part_of_the_key(url: str) -> None:
    thai, _ = get(Client(), url)
    english_reader = Client()
    english_reader.cookies["django_language"] = "en"
    english, queries = get(english_reader, url)
    assert queries > 1  # not the Thai copy
    assert 'lang="th"' in thai and 'lang="en"' in english
    again, queries = get(english_reader, url)
    assert queries == 1 and 'lang="en"' in again


@pytest.mark.usefixtures("project")
def test_each_reader_of_a_cached_page_gets_a_token_that_works() -> None:
    get(Client(), "/")
    reader = Client(enforce_csrf_checks=True)
    response = reader.get("/")
    page = response.content.decode()
    assert CSRF_PLACEHOLDER not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None and "csrftoken" in response.cookies
    switched = reader.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token[1]}
    )
    assert switched.status_code == 302
    assert reader.cookies["django_language"].value == "en"


@pytest.mark.usefixtures("project")
def test_a_reader_with_messages_waiting_gets_a_fresh_page(personas: Personas) -> None:
    get(Client(), "/")
    reader = Client()
    reader.force_login(personas.executive)
    session = reader.session
    session[LAST_SEEN] = int(time.time()) - 24 * 60 * 60
    session.save()
    page, queries = get(reader, "/")  # signed out for being idle, with a message saying so
    assert queries > 1 and "ไม่มีการใช้งาน" in page
    page, queries = get(reader, "/")
    assert queries == 1 and "ไม่มีการใช้งาน" not in page


@pytest.mark.usefixtures("project")
def test_a_cache_that_cannot_be_reached_is_passed_over() -> None:
    with (
        mock.patch("tidtam.dashboards.public_cache.cache.get", side_effect=ConnectionError),
        mock.patch("tidtam.dashboards.public_cache.cache.set", side_effect=ConnectionError),
    ):
        page, _ = get(Client(), "/projects/")
    assert CSRF_PLACEHOLDER not in page


@pytest.mark.usefixtures("project")
def test_with_redis_every_application_server_shares_the_cached_pages(
    settings: Any, redis_url: str
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "tidtam",
        }
    }
    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    get(Client(), "/projects/")
    stored = server.keys("tidtam:*public-page:*")
    assert len(stored) == 1  # in Redis, where another server finds it
    _, queries = get(Client(), "/projects/")
    assert queries == 1
