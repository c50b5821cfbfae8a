from __future__ import annotations

from typing import Any

import pytest

from tidtam.conftest import check_page, screenshot, sign_in
from tidtam.projects.models import Project
from tidtam.test import Personas, add_steps, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_step(page: Any, row: int, text: str, weight: str, start: str, end: str) -> None:
    page.fill(f"input[name=step-{row}-text]", text)
    page.fill(f"input[name=step-{row}-weight]", weight)
    page.fill(f"input[name=step-{row}-start]", start)
    page.fill(f"input[name=step-{row}-end]", end)


def test_an_officer_creates_a_project_and_its_operating_plan(
    page: Any, live_server: Any, personas: Personas
) -> None:
    sign_in(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/projects/new/")
    page.fill("input[name=code]", "99990000-0300")
    page.fill("input[name=name]", "โครงการก่อสร้างทางเดินริมคลองแสนแสบ")
    page.fill("textarea[name=rationale]", "ทางเดินริมคลองชำรุด ประชาชนสัญจรไม่สะดวก")
    page.fill("textarea[name=objectives]", "เพื่อให้ประชาชนสัญจรได้ปลอดภัย\nเพื่อส่งเสริมการท่องเที่ยว")
    page.fill("textarea[name=targets]", "ทางเดินยาว 1.5 กิโลเมตร")
    page.fill("input[name=budget]", "2500000")
    page.fill("input[name=contact-0-name]", "นางสาวสมหญิง รักงาน")
    page.fill("input[name=contact-0-phone]", "02 246 0000")
    check_page(page, "project-create-form")
    page.click("text=สร้างโครงการ")
    page.wait_for_url("**/plan/")
    assert Project.objects.filter(code="99990000-0300").exists()

    fill_step(page, 0, "สำรวจและออกแบบ", "20", "2026-10-01", "2026-12-31")
    page.click("button[value=add]")
    page.wait_for_selector("input[name=step-1-text]")
    fill_step(page, 1, "จัดซื้อจัดจ้าง", "50", "2027-01-01", "2027-03-31")
    page.click("button[value=add]")
    page.wait_for_selector("input[name=step-2-text]")
    fill_step(page, 2, "ก่อสร้าง", "40", "2027-04-01", "2027-08-31")
    page.click("button[value=save]")
    assert "รวมกันได้ 110.00" in page.inner_text("main")
    check_page(page, "project-plan-weights-refused")
    assert Project.objects.get(code="99990000-0300").steps.count() == 0

    page.click("button[value='down-0']")
    page.wait_for_function(
        "() => document.querySelector('input[name=step-0-text]').value === 'จัดซื้อจัดจ้าง'"
    )
    page.fill("input[name=step-0-weight]", "40")
    check_page(page, "project-plan-editor")
    page.click("button[value=save]")
    page.wait_for_url("**/projects/99990000-0300/")
    project = Project.objects.get(code="99990000-0300")
    assert [s.text for s in project.steps.all()] == ["จัดซื้อจัดจ้าง", "สำรวจและออกแบบ", "ก่อสร้าง"]
    assert "บันทึกแผนปฏิบัติงานแล้ว" in page.inner_text("main")
    check_page(page, "project-created-page")


def test_an_officer_re_baselines_a_plan_and_the_chart_keeps_the_original(
    page: Any, live_server: Any, personas: Personas
) -> None:
    from datetime import date
    from decimal import Decimal

    from tidtam.reporting.models import ProgressReport

    project = make_project(code="99990000-0400", name="โครงการขุดลอกคูคลอง")
    add_steps(project, ("50", "2019-10-01", "2019-12-31"), ("50", "2020-01-01", "2020-03-31"))
    ProgressReport.objects.create(
        project=project,
        report_date=date(2019, 12, 31),
        percent=Decimal(30),
        status="approved",
        origin="manual",
    )
    sign_in(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/projects/99990000-0400/plan/")
    assert "การปรับแผนใหม่" in page.inner_text("main")
    page.fill("input[name=step-1-end]", "2020-08-31")
    page.fill("textarea[name=reason]", "ผู้รับจ้างขอขยายเวลาเนื่องจากน้ำท่วม")
    page.click("button[value=save]")
    page.wait_for_url("**/projects/99990000-0400/")
    assert "แผนเดิม" in page.inner_text("main")
    assert project.baselines.get().reason == "ผู้รับจ้างขอขยายเวลาเนื่องจากน้ำท่วม"
    chart = screenshot(page, "rebaselined-page").with_name("rebaselined-chart.png")
    page.locator("section.progress").screenshot(path=str(chart))
