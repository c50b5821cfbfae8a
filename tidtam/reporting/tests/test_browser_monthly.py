"""An officer on a phone (390 px wide) enters this month's reports of two projects on the
monthly entry page: each row is saved on its own, without a page load."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from tidtam.conftest import screenshot, sign_in
from tidtam.lib.fiscal import fiscal_year_bounds, fiscal_year_of
from tidtam.projects.models import FiscalYear, PlanStep, Project
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.standing.refresh import refresh_projects
from tidtam.test import Personas, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="th-TH")
    tab = context.new_page()
    yield tab
    context.close()


def due_this_month(number: int, name: str) -> Project:
    year = fiscal_year_of(timezone.localdate())
    project = make_project(
        code=f"99990000-{number:04d}", name=name, fiscal_year=FiscalYear.ensure(year)
    )
    first, last = fiscal_year_bounds(year)
    PlanStep.objects.create(
        project=project, order=1, text="ดำเนินงาน", weight=100, start=first, end=last
    )
    refresh_projects([project.pk])
    return project


def row(page: Any, project: Project) -> Any:
    return page.locator(f"#row-{project.code}")


def test_an_officer_saves_two_rows_of_the_monthly_page_without_a_page_load(
    phone: Any, live_server: Any, personas: Personas
) -> None:
    trees = due_this_month(1, "โครงการปลูกต้นไม้ริมถนนพระราม 9")
    drains = due_this_month(2, "โครงการลอกท่อระบายน้ำซอยลาดพร้าว")
    sign_in(phone, live_server.url, "officer_a")
    phone.goto(f"{live_server.url}/agencies/99990000/monthly/")
    phone.evaluate("window.stillTheSamePage = true")

    first = row(phone, trees)
    first.locator("input[name=percent]").fill("35")
    first.locator("button", has_text="บันทึกร่าง").click()
    # Refused in its row: the narrative is missing; nothing saved.
    first.locator("text=กรุณาบรรยายความก้าวหน้าของเดือนนี้").wait_for()
    assert not ProgressReport.objects.exists()
    row(phone, trees).locator("textarea[name=narrative]").fill("ปลูกต้นไม้แล้ว 350 ต้น")
    row(phone, trees).locator("button", has_text="บันทึกร่าง").click()
    row(phone, trees).locator("text=บันทึกรายงานเป็นฉบับร่างแล้ว").wait_for()

    second = row(phone, drains)
    second.locator("input[name=percent]").fill("60")
    second.locator("textarea[name=narrative]").fill("ลอกท่อแล้ว 3 ซอยจาก 5 ซอย")
    second.locator("button", has_text="บันทึกและส่งให้ตรวจ").click()
    row(phone, drains).locator("text=ส่งรายงานแล้ว").wait_for()

    assert phone.evaluate("window.stillTheSamePage") is True
    assert ProgressReport.objects.get(project=trees).status == ReportStatus.DRAFT
    assert ProgressReport.objects.get(project=drains).status == ReportStatus.SUBMITTED
    # The rows fit the phone's width.
    for project in (trees, drains):
        box = row(phone, project).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    screenshot(phone, "monthly-entry-390")


def test_the_report_form_starts_from_last_months_text_on_a_phone(
    phone: Any, live_server: Any, personas: Personas
) -> None:
    from datetime import timedelta
    from decimal import Decimal

    project = due_this_month(3, "โครงการซ่อมผิวจราจรถนนรามคำแหง")
    ProgressReport.objects.create(
        project=project,
        report_date=timezone.localdate().replace(day=1) - timedelta(days=3),
        percent=Decimal(20),
        narrative="ซ่อมผิวจราจรแล้ว 2 กิโลเมตร",
        status=ReportStatus.APPROVED,
        origin="manual",
    )
    sign_in(phone, live_server.url, "officer_a")
    phone.goto(f"{live_server.url}/projects/{project.code}/reports/new/")
    assert "ความก้าวหน้าตามแผน" in phone.inner_text("main")
    assert phone.input_value("textarea[name=narrative]") == ""
    phone.click("text=เริ่มจากข้อความของรายงานครั้งก่อน")
    phone.wait_for_url("**?start=previous")
    assert phone.input_value("textarea[name=narrative]") == "ซ่อมผิวจราจรแล้ว 2 กิโลเมตร"
    screenshot(phone, "report-form-from-previous-390")
