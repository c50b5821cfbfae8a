"""The monthly report journey in a real browser: an officer writes and submits a report, the
approver returns it with a comment, the officer corrects and resubmits it, the approver
approves it. Screenshots of each step go to var/screenshots/report-*.png."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tidtam.conftest import check_page, sign_in
from tidtam.lib.fiscal import fiscal_year_of
from tidtam.projects.models import FiscalYear, Project
from tidtam.reporting import actions
from tidtam.reporting.models import Problem, ProblemCategory, ProgressReport, ReportStatus
from tidtam.reporting.tests.conftest import PDF_BYTES, PNG_BYTES
from tidtam.test import Personas, add_steps, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def road(personas: Personas, categories: Any) -> Project:
    project = make_project(
        code=f"{personas.agency_a.code}-0101",
        name="โครงการปรับปรุงผิวจราจรถนนสายหลักในเขตพื้นที่รับผิดชอบ",
        budget=Decimal("2500000"),
    )
    add_steps(
        project,
        ("30", "2019-10-01", "2019-12-31"),
        ("50", "2020-01-01", "2020-06-30"),
        ("20", "2020-07-01", "2020-09-30"),
    )
    return project


def switch_to(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username)


def test_a_report_is_written_returned_corrected_and_approved(
    page: Any, live_server: Any, personas: Personas, road: Project, tmp_path: Path
) -> None:
    base = live_server.url
    evidence = tmp_path / "ใบตรวจรับงานงวดที่ 1.pdf"
    evidence.write_bytes(PDF_BYTES)

    # The officer starts from the project page.
    sign_in(page, base, "officer_a")
    page.goto(f"{base}/projects/{road.code}/")
    page.click("text=รายงานประจำเดือนใหม่")
    page.fill("input[name=report_date]", "2020-01-31")
    page.fill("input[name=percent]", "45")
    page.fill("input[name=spent]", "812500")
    page.fill(
        "textarea[name=narrative]",
        "ปรับปรุงผิวจราจรช่วงที่ 1 แล้วเสร็จ ระยะทาง 1.2 กิโลเมตร อยู่ระหว่างตรวจรับงานงวดที่ 1",
    )
    page.select_option("select[name=problem-0-category]", label="เงินประจำงวดล่าช้า")
    page.fill("textarea[name=problem-0-description]", "ได้รับเงินประจำงวดที่ 2 ล่าช้ากว่าแผน 3 สัปดาห์")
    page.click("#add-problem")
    page.select_option("select[name=problem-1-category]", label="สภาพอากาศ")
    page.fill("textarea[name=problem-1-description]", "ฝนตกต่อเนื่อง ทำงานกลางคืนไม่ได้ 5 วัน")
    page.set_input_files("input[name=attachments]", str(evidence))
    check_page(page, "report-1-officer-fills-the-form")
    page.click("text=บันทึกร่าง")
    page.wait_for_load_state()
    report = ProgressReport.objects.get()
    assert page.url.endswith(f"/reports/{report.pk}/")
    assert "บันทึกรายงานเป็นฉบับร่างแล้ว" in page.inner_text("main")
    assert Problem.objects.filter(project=road).count() == 2
    assert report.attachments.get().original_name == evidence.name
    check_page(page, "report-2-draft")
    page.click("button:has-text('ส่งให้ตรวจ')")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    check_page(page, "report-3-submitted")
    page.goto(f"{base}/projects/{road.code}/")
    assert "ส่งแล้ว" in page.inner_text("section[aria-labelledby=reports-h]")
    check_page(page, "report-3b-project-page-for-the-officer")

    # The approver finds it on My work and returns it; an empty comment is refused first.
    switch_to(page, base, "approver_a")
    page.goto(f"{base}/me/")
    assert "รายการที่รอการตรวจของฉัน" in page.inner_text("main")
    check_page(page, "report-4a-my-work-approver")
    page.click(f"a[href='/reports/{report.pk}/']")
    check_page(page, "report-4-approver-reviews")
    page.click("text=ส่งกลับให้แก้ไข")
    page.wait_for_load_state()
    assert "กรุณาระบุสิ่งที่เจ้าหน้าที่ต้องแก้ไข" in page.inner_text("main")
    check_page(page, "report-5-comment-required")
    page.fill(
        "textarea[name=comment]",
        "ร้อยละความก้าวหน้าสูงกว่าผลงานตามใบตรวจรับ กรุณาตรวจสอบและแนบภาพถ่ายหน้างาน",
    )
    page.click("text=ส่งกลับให้แก้ไข")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    check_page(page, "report-6-returned")

    # The officer sees the comment, corrects the figure and resubmits.
    switch_to(page, base, "officer_a")
    page.goto(f"{base}/me/")
    assert "ร่างและรายการที่ถูกส่งกลับของฉัน" in page.inner_text("main")
    page.click(f"a[href='/reports/{report.pk}/']")
    assert "กรุณาตรวจสอบและแนบภาพถ่ายหน้างาน" in page.inner_text("main")
    page.click(f"a[href='/reports/{report.pk}/edit/']")
    page.fill("input[name=percent]", "40")
    photo = tmp_path / "หน้างาน.png"
    photo.write_bytes(PNG_BYTES)
    page.set_input_files("input[name=attachments]", str(photo))
    check_page(page, "report-7-officer-corrects")
    page.click("text=บันทึกและส่งให้ตรวจ")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert (report.status, report.percent) == (ReportStatus.SUBMITTED, Decimal(40))
    assert Problem.objects.filter(project=road, status="open").count() == 2
    assert report.attachments.count() == 2
    check_page(page, "report-8-resubmitted")

    # The approver approves it; it is locked and public.
    switch_to(page, base, "approver_a")
    page.goto(f"{base}/reports/{report.pk}/")
    page.click("button:has-text('อนุมัติ')")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert "อนุมัติรายงานแล้ว" in page.inner_text("main")
    check_page(page, "report-9-approved")

    page.context.clear_cookies()
    page.goto(f"{base}/projects/{road.code}/")
    assert "40.00" in page.inner_text("main")
    check_page(page, "report-10-public-project-page")


def test_the_reporting_calendar_and_the_open_problems(
    page: Any,
    live_server: Any,
    personas: Personas,
    categories: dict[str, ProblemCategory],
    make_report: Any,
) -> None:
    today = timezone.localdate()
    year = FiscalYear.ensure(fiscal_year_of(today))
    names = ["ก่อสร้างทางเท้า", "ขุดลอกคูคลอง", "ติดตั้งไฟฟ้าส่องสว่าง", "ปลูกต้นไม้ริมถนน"]
    projects = [
        make_project(code=f"{personas.agency_a.code}-{n:04d}", name=name, fiscal_year=year)
        for n, name in enumerate(names, 1)
    ]
    reported = make_report(projects[0], status=ReportStatus.APPROVED, report_date=today)
    make_report(projects[1], report_date=today)
    actions.add_problem(
        report=reported,
        category=categories["Procurement"],
        description="ผู้รับจ้างทิ้งงาน ต้องประกวดราคาใหม่",
        by=personas.officer_a,
    )
    sign_in(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/me/")
    page.click("main >> text=ปฏิทินการรายงาน")
    text = page.inner_text("main")
    assert "ขุดลอกคูคลอง" in text and "ติดตั้งไฟฟ้าส่องสว่าง" in text
    assert "ก่อสร้างทางเท้า" not in text.split("โครงการที่ยังไม่ส่งรายงาน")[1]
    check_page(page, "report-11-reporting-calendar")
    page.goto(f"{live_server.url}/problems/")
    page.click("text=การจัดซื้อจัดจ้าง")
    assert "ผู้รับจ้างทิ้งงาน" in page.inner_text("main")
    check_page(page, "report-12-open-problems")
