"""Atom feeds of newly approved reports for a project, an agency and a district office, read
back with feedparser: the public's approved reports only, in Thai or in English as the address
asks, linked from the pages they follow, in a fixed number of queries."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from typing import Any

import feedparser
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tidtam.opendata.tests.world import (
    APPROVED_TEXT,
    DISTRICT,
    DISTRICT_PROJECT,
    DISTRICT_TEXT,
    DRAFT_TEXT,
    HIDDEN,
    HIDDEN_TEXT,
    LATER_TEXT,
    OTHER_YEAR_TEXT,
    PUBLISHED,
    RETURNED_TEXT,
    SUBMITTED_TEXT,
    World,
    build_world,
    moment,
    report,
)
from tidtam.reporting.models import ReportStatus
from tidtam.test import Personas, add_steps, make_project

ATOM = "application/atom+xml"


@pytest.fixture
def world(personas: Personas) -> World:
    return build_world(personas)


def read(client: Client, url: str, **headers: str) -> Any:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith(ATOM)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def texts(feed: Any) -> str:
    return " ".join(f"{e.title} {e.summary}" for e in feed.entries)


HIDDEN_FROM_PUBLIC = (SUBMITTED_TEXT, RETURNED_TEXT, DRAFT_TEXT, HIDDEN_TEXT)


@pytest.mark.django_db
def test_a_project_feed_lists_its_approved_reports_newest_approval_first(
    world: World, client: Client
) -> None:
    feed = read(client, f"/feeds/projects/{PUBLISHED}/")
    assert feed.version == "atom10"
    assert PUBLISHED in feed.feed.title and "รายงานความก้าวหน้าที่อนุมัติแล้ว" in feed.feed.title
    assert feed.feed.link.endswith(f"/projects/{PUBLISHED}/")
    assert len(feed.entries) == 2
    newest, older = feed.entries
    assert LATER_TEXT in newest.summary and APPROVED_TEXT in older.summary
    # Thai text with Buddhist-Era dates; ISO timestamps of the approvals.
    assert "45.00" in newest.title and "27 ก.พ. 2563" in newest.title
    assert "28 ม.ค. 2563" in older.title
    assert newest.updated.startswith("2020-03-02T10:00:00+07:00")
    assert older.link.endswith(f"/reports/{world.approved.pk}/")
    assert feed.feed.language == "th"
    for hidden in HIDDEN_FROM_PUBLIC:
        assert hidden not in texts(feed)


@pytest.mark.django_db
def test_a_feed_is_in_english_when_its_address_asks_and_never_by_the_headers(
    world: World, client: Client
) -> None:
    feed = read(client, f"/feeds/projects/{PUBLISHED}/?lang=en")
    assert feed.feed.title.startswith("Approved progress reports")
    assert "27 Feb 2020" in feed.entries[0].title and "2563" not in feed.entries[0].title
    assert feed.feed.language == "en"
    # A feed reader's own language does not change the feed its subscriber chose.
    thai = read(client, f"/feeds/projects/{PUBLISHED}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "27 ก.พ. 2563" in thai.entries[0].title
    response = client.get(f"/feeds/projects/{PUBLISHED}/?lang=en")
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_an_unpublished_project_has_no_feed_even_for_its_own_staff(
    world: World, client: Client
) -> None:
    assert client.get(f"/feeds/projects/{HIDDEN}/").status_code == 404
    client.force_login(world.personas.officer_a)
    assert client.get(f"/feeds/projects/{HIDDEN}/").status_code == 404
    assert client.get("/feeds/projects/no-such-project/").status_code == 404


@pytest.mark.django_db
def test_an_agency_feed_lists_the_approved_reports_of_its_published_projects(
    world: World, client: Client
) -> None:
    # Its own staff read the same feed as the public.
    client.force_login(world.personas.officer_a)
    feed = read(client, "/feeds/agencies/99990000/")
    assert "สำนักทดสอบเอ" in feed.feed.title
    assert feed.feed.link.endswith("/projects/?fy=all&agency=99990000")
    found = texts(feed)
    # Every fiscal year's, newest approval first.
    assert OTHER_YEAR_TEXT in feed.entries[0].summary
    assert LATER_TEXT in found and APPROVED_TEXT in found
    assert DISTRICT_TEXT not in found
    for hidden in HIDDEN_FROM_PUBLIC:
        assert hidden not in found
    assert client.get("/feeds/agencies/00000000/").status_code == 404
    assert client.get("/feeds/agencies/a/b/").status_code == 404


@pytest.mark.django_db
def test_a_district_feed_follows_a_district_office_only(world: World, client: Client) -> None:
    feed = read(client, f"/feeds/districts/{DISTRICT}/")
    assert "สำนักงานเขตบางรัก" in feed.feed.title
    assert [DISTRICT_TEXT in e.summary for e in feed.entries] == [True]
    assert feed.feed.link.endswith(f"/projects/?fy=all&district={DISTRICT}")
    # A department is not a district.
    assert client.get("/feeds/districts/99990000/").status_code == 404


@pytest.mark.django_db
def test_the_pages_link_their_feeds_in_their_head_and_visibly(world: World, client: Client) -> None:
    head = f'<link rel="alternate" type="{ATOM}"'
    page = client.get(f"/projects/{PUBLISHED}/").content.decode()
    assert head in page and f'href="/feeds/projects/{PUBLISHED}/"' in page
    assert page.count(f'href="/feeds/projects/{PUBLISHED}/"') == 2  # the head's and the link
    listing = client.get("/projects/?fy=all&agency=99990000").content.decode()
    assert head in listing and listing.count('href="/feeds/agencies/99990000/"') == 2
    district = client.get(f"/projects/?fy=all&district={DISTRICT}").content.decode()
    assert district.count(f'href="/feeds/districts/{DISTRICT}/"') == 2
    # In English, the feeds in English.
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/projects/{PUBLISHED}/").content.decode()
    assert f'href="/feeds/projects/{PUBLISHED}/?lang=en"' in page
    # An unpublished project's page (for its staff) offers no feed: it has none.
    client.force_login(world.personas.officer_a)
    assert "/feeds/" not in client.get(f"/projects/{HIDDEN}/").content.decode()
    # The plain list links none.
    assert "/feeds/" not in client.get("/projects/").content.decode()


@pytest.mark.django_db
def test_a_feed_reads_a_fixed_number_of_queries(world: World, client: Client) -> None:
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = (f"/feeds/projects/{PUBLISHED}/", "/feeds/agencies/99990000/")
    before = [queries(url) for url in urls]
    for n in range(6):
        day = date(2020, 6, 1) + timedelta(days=n)
        report(
            world.published,
            day,
            61 + n,
            ReportStatus.APPROVED,
            f"งวดที่ {n}",
            approved_at=moment(day),
            personas=world.personas,
        )
        other = make_project(code=f"99990000-{n + 200:04d}")
        add_steps(other, ("100", "2019-10-01", "2020-09-30"))
        report(other, day, 10, ReportStatus.APPROVED, "เริ่มงาน", approved_at=moment(day))
    assert [queries(url) for url in urls] == before
    assert len(read(client, urls[1]).entries) == 2 + 1 + 12


@pytest.mark.django_db
def test_a_report_imported_as_approved_is_dated_by_its_report_date(
    personas: Personas, client: Client
) -> None:
    project = make_project(code=DISTRICT_PROJECT[:-1] + "9")
    report(project, date(2020, 1, 31), 20, ReportStatus.APPROVED, "นำเข้าจากระบบเดิม")
    entry = read(client, f"/feeds/projects/{project.code}/").entries[0]
    day = datetime.fromtimestamp(calendar.timegm(entry.updated_parsed), tz=UTC)
    assert timezone.localtime(day).date() == date(2020, 1, 31)
