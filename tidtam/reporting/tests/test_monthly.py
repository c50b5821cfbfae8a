"""The monthly entry page of an agency: a row per project still owing this month's report,
each saved on its own through the report actions, with HTMX or without JavaScript."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tidtam.projects.models import Project
from tidtam.reporting import actions
from tidtam.reporting.models import Problem, ProblemCategory, ProgressReport, ReportStatus
from tidtam.reporting.tests.conftest import MakeReport
from tidtam.standing.refresh import refresh_projects
from tidtam.test import Personas, add_steps, make_project

pytestmark = pytest.mark.django_db

TODAY = date(2020, 2, 12)  # fiscal year 2563, the persona projects' year
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kw: TODAY)
    return TODAY


def due_project(personas: Personas, number: int, agency: Any = None) -> Project:
    agency = agency or personas.agency_a
    project = make_project(code=f"{agency.code}-{number:04d}", name=f"โครงการที่ {number}")
    add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    refresh_projects([project.pk], TODAY)
    return project


def page_url(personas: Personas) -> str:
    return reverse("agency-monthly", args=[personas.agency_a.code])


def row_url(project: Project) -> str:
    return reverse("agency-monthly-row", args=[project.agency.code, project.code])


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_the_page_has_a_row_for_each_project_still_owing_this_months_report(
    client: Client, personas: Personas, make_report: MakeReport
) -> None:
    due, drafted, reported = (due_project(personas, n) for n in (1, 2, 3))
    other_agency = due_project(personas, 1, personas.agency_b)
    make_report(drafted, report_date=date(2020, 2, 3), percent="12", narrative="ร่างไว้แล้ว")
    make_report(reported, status=ReportStatus.SUBMITTED, report_date=date(2020, 2, 3))
    client.force_login(personas.officer_a)
    page = text(client.get(page_url(personas)))
    assert f'id="row-{due.code}"' in page and f'id="row-{drafted.code}"' in page
    assert f'id="row-{reported.code}"' not in page
    assert other_agency.code not in page
    # The month's draft is edited in its row, not duplicated.
    assert "ร่างไว้แล้ว" in page


def test_a_row_saved_with_htmx_becomes_a_draft_and_comes_back_alone(
    client: Client, personas: Personas
) -> None:
    project = due_project(personas, 1)
    client.force_login(personas.officer_a)
    response = client.post(
        row_url(project), {"percent": "25", "narrative": "ปรับพื้นที่แล้ว"}, headers=HTMX
    )
    assert response.status_code == 200
    body = text(response)
    assert "<html" not in body and f'id="row-{project.code}"' in body
    assert "บันทึกรายงานเป็นฉบับร่างแล้ว" in body
    report = ProgressReport.objects.get(project=project)
    assert (report.status, report.report_date, report.percent, report.narrative) == (
        ReportStatus.DRAFT,
        TODAY,
        Decimal(25),
        "ปรับพื้นที่แล้ว",
    )
    # The saved row goes on as the draft's form, at the draft's version.
    assert 'name="version" value="1"' in body


def test_save_and_submit_in_a_row_submits_the_report(client: Client, personas: Personas) -> None:
    project = due_project(personas, 1)
    client.force_login(personas.officer_a)
    response = client.post(
        row_url(project),
        {"percent": "25", "narrative": "ปรับพื้นที่แล้ว", "and_submit": "1"},
        headers=HTMX,
    )
    report = ProgressReport.objects.get(project=project)
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == personas.officer_a
    body = text(response)
    assert "<form" not in body and reverse("report-detail", args=[report.pk]) in body
    # The standing moves on: tomorrow's page no longer lists the project.
    assert f'id="row-{project.code}"' not in text(client.get(page_url(personas)))


def test_a_refused_row_shows_every_error_in_the_row_and_saves_nothing(
    client: Client, personas: Personas, make_report: MakeReport
) -> None:
    project = due_project(personas, 1)
    make_report(project, status=ReportStatus.APPROVED, report_date=date(2020, 1, 20), percent="30")
    client.force_login(personas.officer_a)
    response = client.post(row_url(project), {"percent": "20", "narrative": ""}, headers=HTMX)
    assert response.status_code == 200
    body = text(response)
    # The form's own error and the report's rule, in one pass.
    assert "กรุณาบรรยายความก้าวหน้าของเดือนนี้" in body
    assert "ความก้าวหน้าต่ำกว่ารายงานครั้งก่อน" in body
    assert 'name="decrease_reason"' in body
    assert ProgressReport.objects.filter(project=project).count() == 1


def test_a_row_with_a_lower_figure_is_saved_once_the_reason_is_given(
    client: Client, personas: Personas, make_report: MakeReport
) -> None:
    project = due_project(personas, 1)
    make_report(project, status=ReportStatus.APPROVED, report_date=date(2020, 1, 20), percent="30")
    client.force_login(personas.officer_a)
    client.post(
        row_url(project),
        {"percent": "20", "narrative": "วัดใหม่", "decrease_reason": "รายงานก่อนนับเกิน"},
        headers=HTMX,
    )
    report = ProgressReport.objects.get(project=project, report_date=TODAY)
    assert report.decrease_reason == "รายงานก่อนนับเกิน"


def test_a_row_updates_the_months_draft_and_leaves_its_problems_alone(
    client: Client, personas: Personas, make_report: MakeReport, categories: Any
) -> None:
    project = due_project(personas, 1)
    january = make_report(project, status=ReportStatus.APPROVED, report_date=date(2020, 1, 20))
    category = ProblemCategory.objects.first()
    assert category is not None
    problem = actions.add_problem(
        report=january, category=category, description="ฝนตก", by=personas.officer_a
    )
    draft = actions.create_report(
        project=project,
        values=actions.ReportValues(date(2020, 2, 3), Decimal(45), "ร่าง", spent=Decimal(900)),
        problems=actions.ProblemChanges(resolved=[problem.pk]),
        by=personas.officer_a,
    )
    client.force_login(personas.officer_a)
    client.post(
        row_url(project), {"percent": "50", "narrative": "เพิ่มเติม", "version": "1"}, headers=HTMX
    )
    draft.refresh_from_db()
    problem.refresh_from_db()
    assert (draft.percent, draft.narrative, draft.version) == (Decimal(50), "เพิ่มเติม", 2)
    assert (draft.report_date, draft.spent) == (date(2020, 2, 3), Decimal(900))
    assert problem.resolved_in_id == draft.pk
    assert ProgressReport.objects.filter(project=project).count() == 2


def test_a_row_loaded_before_someone_else_saved_the_draft_is_refused(
    client: Client, personas: Personas, make_report: MakeReport
) -> None:
    project = due_project(personas, 1)
    draft = make_report(project, report_date=date(2020, 2, 3), percent="10")
    actions.update_report(
        report=draft,
        expected_version=1,
        values=actions.ReportValues(date(2020, 2, 3), Decimal(15), "ของคนอื่น"),
        by=personas.officer_a,
    )
    client.force_login(personas.officer_a)
    body = text(
        client.post(
            row_url(project), {"percent": "50", "narrative": "ของฉัน", "version": "1"}, headers=HTMX
        )
    )
    draft.refresh_from_db()
    assert draft.narrative == "ของคนอื่น"
    assert "มีผู้อื่นแก้ไขรายงานนี้" in body and 'name="version" value="2"' in body


def test_without_javascript_a_saved_row_redirects_back_to_the_page(
    client: Client, personas: Personas
) -> None:
    project = due_project(personas, 1)
    client.force_login(personas.officer_a)
    response = client.post(row_url(project), {"percent": "25", "narrative": "ปรับพื้นที่แล้ว"})
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(personas)}#row-{project.code}"
    assert ProgressReport.objects.filter(project=project, status=ReportStatus.DRAFT).exists()
    assert "บันทึกรายงานเป็นฉบับร่างแล้ว" in text(client.get(response["Location"]))


def test_without_javascript_a_refused_row_shows_the_page_with_its_errors(
    client: Client, personas: Personas
) -> None:
    project, other = due_project(personas, 1), due_project(personas, 2)
    client.force_login(personas.officer_a)
    response = client.post(row_url(project), {"percent": "120", "narrative": "ก"})
    assert response.status_code == 200
    body = text(response)
    assert "<html" in body and f'id="row-{other.code}"' in body
    assert "ความก้าวหน้าเป็นร้อยละ ตั้งแต่ 0 ถึง 100" in body
    assert not ProgressReport.objects.exists()


def test_a_row_of_another_agencys_project_is_refused_as_on_the_report_form(
    client: Client, personas: Personas
) -> None:
    project = due_project(personas, 1, personas.agency_b)
    client.force_login(personas.officer_a)
    url = reverse("agency-monthly-row", args=[personas.agency_a.code, project.code])
    assert client.post(url, {"percent": "5", "narrative": "ก"}, headers=HTMX).status_code == 403
    assert client.get(reverse("report-new", args=[project.code])).status_code == 403
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("who", ["officer_b", "approver_a", "executive", "administrator"])
def test_only_the_agencys_officers_use_its_monthly_page(
    client: Client, personas: Personas, who: str
) -> None:
    project = due_project(personas, 1)
    client.force_login(getattr(personas, who))
    assert client.get(page_url(personas)).status_code == 403
    response = client.post(row_url(project), {"percent": "5", "narrative": "ก"}, headers=HTMX)
    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def test_the_monthly_page_costs_the_same_for_many_projects(
    client: Client, personas: Personas, make_report: MakeReport
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(personas)).status_code == 200
        return len(captured)

    first = due_project(personas, 1)
    make_report(first, status=ReportStatus.APPROVED, report_date=date(2020, 1, 20))
    make_report(first, report_date=date(2020, 2, 3), percent="45")
    client.force_login(personas.officer_a)
    few = queries()
    for n in range(2, 8):
        project = due_project(personas, n)
        make_report(project, status=ReportStatus.APPROVED, report_date=date(2020, 1, 20))
        make_report(project, report_date=date(2020, 2, 3), percent="45")
    assert queries() == few


def test_my_work_links_an_officer_to_the_monthly_page(client: Client, personas: Personas) -> None:
    client.force_login(personas.officer_a)
    assert page_url(personas) in text(client.get(reverse("my-work")))
    client.force_login(personas.approver_a)
    assert page_url(personas) not in text(client.get(reverse("my-work")))


def test_problems_are_untouched_when_a_new_row_is_saved(
    client: Client, personas: Personas, make_report: MakeReport, categories: Any
) -> None:
    project = due_project(personas, 1)
    january = make_report(project, status=ReportStatus.APPROVED, report_date=date(2020, 1, 20))
    category = ProblemCategory.objects.first()
    assert category is not None
    actions.add_problem(report=january, category=category, description="ฝนตก", by=None)
    client.force_login(personas.officer_a)
    client.post(row_url(project), {"percent": "50", "narrative": "ต่อ"}, headers=HTMX)
    assert Problem.objects.get().status == "open"


def test_a_row_of_a_project_measured_as_a_quantity_asks_for_the_quantity(
    client: Client, personas: Personas
) -> None:
    trees = due_project(personas, 1)
    Project.objects.filter(pk=trees.pk).update(progress_unit="ต้น", progress_target=1000)
    client.force_login(personas.officer_a)
    page = text(client.get(page_url(personas)))
    assert 'name="quantity"' in page and 'name="percent"' not in page
    refused = client.post(row_url(trees), {"narrative": "ปลูกแล้วบางส่วน"}, headers=HTMX)
    assert "กรุณาระบุปริมาณงานสะสมที่ทำได้" in text(refused)
    assert not ProgressReport.objects.exists()
    client.post(row_url(trees), {"quantity": "750", "narrative": "ปลูกแล้ว 750 ต้น"}, headers=HTMX)
    report = ProgressReport.objects.get(project=trees)
    assert (report.quantity, report.percent) == (Decimal(750), Decimal(75))


def test_the_page_says_the_reports_are_late_once_the_deadline_has_passed(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    due_project(personas, 1)
    client.force_login(personas.officer_a)
    late = text(client.get(page_url(personas)))  # 12 February, after the 10th
    assert "ครบกำหนดส่งเมื่อ 10 กุมภาพันธ์ 2563 โครงการด้านล่างส่งล่าช้าแล้ว" in late
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **kw: date(2020, 2, 5))
    on_time = text(client.get(page_url(personas)))
    assert "ต้องส่งภายใน 10 กุมภาพันธ์ 2563" in on_time and "ล่าช้า" not in on_time
