"""Journeys through the history tab and the agency's publication settings, with screenshots."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tidtam.conftest import check_page, sign_in
from tidtam.orgs.models import Person
from tidtam.projects.actions import StepInput, set_items, set_steps
from tidtam.projects.models import Project, ProjectContact
from tidtam.test import Personas, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "99990000-0042"


def a_project_with_a_past(personas: Personas) -> Project:
    officer = personas.officer_a
    officer.first_name, officer.last_name = "นฤมล", "ไวว่อง"
    officer.save()
    project = make_project(
        code=CODE,
        agency=personas.agency_a,
        name="โครงการปรับปรุงทางเท้าถนนพระรามที่ 4",
        rationale="ทางเท้าชำรุด",
        budget=Decimal("1200000"),
    )
    set_items(
        project=project,
        objectives=[("1.", "เพื่อให้ประชาชนเดินทางได้ปลอดภัย")],
        targets=[("1.", "ทางเท้ายาว 2 กิโลเมตร")],
        by=officer,
        reason="",
    )
    person = Person.objects.create(agency=personas.agency_a, name="นายสมศักดิ์ รักงาน", phone="1460")
    ProjectContact.objects.create(project=project, person=person)

    def plan(*weights: str, end: date = date(2020, 3, 31)) -> list[StepInput]:
        texts = ["สำรวจและออกแบบ", "จัดซื้อจัดจ้าง", "ก่อสร้าง"]
        return [
            StepInput(n, texts[n - 1], Decimal(w), date(2019, 10, 1), end)
            for n, w in enumerate(weights, 1)
        ]

    set_steps(project=project, steps=plan("20", "30", "50"), by=officer, reason="แผนเริ่มต้น")
    set_steps(
        project=project,
        steps=plan("10", "30", "60", end=date(2020, 6, 30)),
        by=officer,
        reason="ขยายเวลาก่อสร้างตามมติที่ประชุม",
    )
    return project


def test_an_officer_edits_a_project_and_reads_the_change_in_its_history(
    page: Any, live_server: Any, personas: Personas
) -> None:
    a_project_with_a_past(personas)
    sign_in(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/projects/{CODE}/edit/")
    page.fill("input[name=name]", "โครงการปรับปรุงทางเท้าและทางจักรยานถนนพระรามที่ 4")
    page.fill("input[name=budget]", "1500000")
    page.fill("input[name=reason]", "เพิ่มทางจักรยานตามข้อเสนอของประชาชน")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"**/projects/{CODE}/")

    page.click("nav.tabs >> text=ประวัติการแก้ไข")
    page.wait_for_url(f"**/projects/{CODE}/history/")
    edit = page.locator("ol.trail > li", has_text="1,500,000.00")
    assert edit.count() == 1
    text = edit.inner_text()
    assert "นฤมล ไวว่อง" in text and "เพิ่มทางจักรยานตามข้อเสนอของประชาชน" in text
    assert "งบประมาณ (บาท)" in text and "1,200,000.00" in text
    assert "ทางจักรยาน" in edit.locator("td.after").first.inner_text()
    main = page.inner_text("main")
    assert "ขยายเวลาก่อสร้างตามมติที่ประชุม" in main and "ระบบนำเข้า" in main
    assert Project.objects.get(code=CODE).budget == Decimal("1500000")
    check_page(page, "project-history")


def test_an_approver_publishes_one_phone_and_the_public_sees_only_that_one(
    page: Any, live_server: Any, personas: Personas
) -> None:
    project = a_project_with_a_past(personas)
    private = Person.objects.create(agency=personas.agency_a, name="นางสาวสมหญิง ใจดี", phone="2222")
    ProjectContact.objects.create(project=project, person=private, order=1)
    sign_in(page, live_server.url, "approver_a")
    page.goto(f"{live_server.url}/me/")
    page.click("text=การเผยแพร่ข้อมูลติดต่อ")
    page.check("label:has-text('นายสมศักดิ์ รักงาน') >> xpath=../..//input[@type='checkbox']")
    page.fill("input[name=reason]", "ผู้รับผิดชอบโครงการยินยอมเผยแพร่")
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector(".alert.success")
    assert "บันทึกการตั้งค่าการเผยแพร่แล้ว" in page.inner_text("main")
    check_page(page, "agency-settings")

    public = page.context.browser.new_context(locale="th-TH").new_page()
    public.goto(f"{live_server.url}/projects/{CODE}/")
    contacts = public.inner_text("dl.facts")
    assert "1460" in contacts and "2222" not in contacts
    assert public.locator("nav.tabs").count() == 0
    public.context.close()
