"""Reports on the project page and on My work, the review queue, and their query counts."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import pytest
from django.test import Client

from tidtam.projects.models import Project
from tidtam.reporting import actions
from tidtam.reporting.models import ProblemCategory, ReportStatus
from tidtam.reporting.tests.conftest import MakeReport
from tidtam.test import Personas, make_project

pytestmark = pytest.mark.django_db


def text_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_insiders_see_each_reports_status_and_officers_a_new_report_button(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    draft = make_report(project, report_date=date(2020, 2, 28), percent="50")
    approved = make_report(project, status=ReportStatus.APPROVED)
    client.force_login(personas.officer_a)
    text = text_of(client, f"/projects/{project.code}/")
    assert f"/projects/{project.code}/reports/new/" in text
    assert 'class="badge report-draft"' in text and 'class="badge report-approved"' in text
    assert f"/reports/{draft.pk}/" in text and f"/reports/{approved.pk}/" in text

    client.force_login(personas.approver_a)
    text = text_of(client, f"/projects/{project.code}/")
    assert 'class="badge report-draft"' in text
    assert f"/projects/{project.code}/reports/new/" not in text

    public = text_of(Client(), f"/projects/{project.code}/")
    assert f"/reports/{draft.pk}/" not in public and f"/reports/{approved.pk}/" in public
    assert "badge report-" not in public
    assert "/reports/new/" not in public


def test_the_project_page_lists_the_problems_each_report_raised(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project, status=ReportStatus.APPROVED)
    category = ProblemCategory.objects.create(name_th="การจัดซื้อจัดจ้าง", name_en="Procurement")
    actions.add_problem(report=report, category=category, description="ไม่มีผู้เสนอราคา", by=None)
    text = text_of(Client(), f"/projects/{project.code}/")
    assert "การจัดซื้อจัดจ้าง: ไม่มีผู้เสนอราคา" in text


def test_the_project_page_costs_the_same_for_many_reports(
    client: Client,
    project: Project,
    personas: Personas,
    make_report: MakeReport,
    django_assert_max_num_queries: Any,
) -> None:
    category = ProblemCategory.objects.create(name_th="อื่น ๆ")
    client.force_login(personas.officer_a)
    first = make_report(project, report_date=date(2020, 1, 31))
    actions.add_problem(report=first, category=category, description="ก", by=None)
    with django_assert_max_num_queries(40) as few:
        client.get(f"/projects/{project.code}/")
    for month in range(2, 9):
        report = make_report(project, report_date=date(2020, month, 28), percent=str(40 + month))
        actions.add_problem(report=report, category=category, description="ข", by=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/projects/{project.code}/")


def test_my_work_lists_what_waits_for_me(
    client: Client, personas: Personas, make_report: MakeReport
) -> None:
    a1 = make_project(code="99990000-0001")
    a2 = make_project(code="99990000-0002")
    b1 = make_project(code="99980000-0001")
    submitted = make_report(a1, status=ReportStatus.SUBMITTED)
    returned = make_report(a2, status=ReportStatus.RETURNED)
    draft = make_report(a1, report_date=date(2020, 2, 28))
    other = make_report(b1, status=ReportStatus.SUBMITTED)

    client.force_login(personas.approver_a)
    view = client.get("/me/").context["view"]
    assert view.to_review == [submitted] and view.to_complete == []
    text = text_of(client, "/me/")
    assert "รายการที่รอการตรวจของฉัน" in text and "/review/" in text
    assert f"/reports/{other.pk}/" not in text
    assert "/agencies/99990000/compliance/" in text

    client.force_login(personas.officer_a)
    view = client.get("/me/").context["view"]
    assert view.to_review == []
    assert view.to_complete == [returned, draft]  # returned first: someone is waiting
    text = text_of(client, "/me/")
    assert "ร่างและรายการที่ถูกส่งกลับของฉัน" in text and "แก้ไขร้อยละ" in text


def test_my_work_and_the_review_queue_cost_the_same_for_many_reports(
    client: Client,
    personas: Personas,
    make_report: MakeReport,
    django_assert_max_num_queries: Any,
) -> None:
    made = 0

    def grow(n: int) -> None:
        nonlocal made
        for i in range(made, made + n):
            project = make_project(code=f"99990000-{i + 1:04d}")
            make_report(project, status=ReportStatus.SUBMITTED)
            make_report(project, report_date=date(2020, 2, 28))
        made += n

    grow(1)
    for user, url in (
        (personas.approver_a, "/review/"),
        (personas.approver_a, "/me/"),
        (personas.officer_a, "/me/"),
    ):
        client.force_login(user)
        with django_assert_max_num_queries(20) as few:
            client.get(url)
        grow(5)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(url)


def test_the_report_pages_speak_english_when_chosen(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project, status=ReportStatus.RETURNED)
    client.cookies["django_language"] = "en"
    client.force_login(personas.officer_a)
    detail = text_of(client, f"/reports/{report.pk}/")
    assert "Progress report of Jan 2020" in detail and "Returned for correction by" in detail
    response = client.post(f"/reports/{report.pk}/edit/", {"version": str(report.version)})
    text = html.unescape(response.content.decode())
    assert "Nothing was saved" in text and "Enter the progress in percent." in text
