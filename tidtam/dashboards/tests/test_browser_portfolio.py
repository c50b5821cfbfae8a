"""The public's journey through the city's portfolio: the dashboard, a number to its list, and
the search box in the header, on a desktop and on a phone, with screenshots."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tidtam.conftest import check_page
from tidtam.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sample_city() -> None:
    out = StringIO()
    call_command("load_reference", stdout=out)
    call_command("generate_demo", projects=120, years=1, seed=3, stdout=out)
    call_command("refresh_standings", stdout=out)
    call_command("rebuild_search_index", stdout=out)


def count_of(text: str) -> int:
    return int(re.sub(r"\D", "", text))


@pytest.mark.usefixtures("sample_city")
def test_the_public_follows_a_dashboard_number_to_exactly_its_projects(
    page: Any, live_server: Any
) -> None:
    page.goto(f"{live_server.url}/")
    assert "โครงการจำแนกตามสถานะ" in page.inner_text("main")
    assert page.locator("svg.status-chart rect").count() >= 1
    check_page(page, "dashboard-1280")
    link = page.locator("#by-agency ~ * a.n, section[aria-labelledby=by-agency] a.n").first
    expected = count_of(link.inner_text())
    link.click()
    page.wait_for_url("**/projects/?**")
    assert count_of(page.inner_text("p.list-total")) == expected
    check_page(page, "dashboard-agency-list")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    # Nothing wider than the phone but the tables, which scroll inside their own box.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    check_page(page, "dashboard-390")


@pytest.mark.usefixtures("sample_city")
def test_the_header_search_finds_a_project_by_part_of_its_name(page: Any, live_server: Any) -> None:
    project = Project.objects.filter(published=True).order_by("code").first()
    assert project is not None
    words = project.name.removeprefix("โครงการ")[:6]
    page.goto(f"{live_server.url}/projects/")
    page.fill("header input[name=q]", words)
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search/?q=**")
    results = page.inner_text("main")
    assert project.code in results
    assert page.locator("main mark").count() >= 1
    check_page(page, "search-results")
