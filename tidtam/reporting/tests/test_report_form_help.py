"""The report form helps the officer: the planned percent for the report date, the previous
report, starting from last month's text, and every error in one pass."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tidtam.lib.templatetags.thai import number
from tidtam.projects.models import Project
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.reporting.tests.conftest import MakeReport, form_data
from tidtam.test import Personas, add_steps

pytestmark = pytest.mark.django_db

TODAY = date(2020, 2, 12)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kw: TODAY)
    return TODAY


@pytest.fixture
def planned(project: Project) -> Project:
    add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    return project


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_the_form_shows_the_planned_percent_and_the_previous_report(
    client: Client, personas: Personas, planned: Project, make_report: MakeReport
) -> None:
    make_report(
        planned,
        status=ReportStatus.APPROVED,
        report_date=date(2020, 1, 20),
        percent="30",
        narrative="เทพื้นคอนกรีตช่วงแรก",
    )
    client.force_login(personas.officer_a)
    page = text(client.get(reverse("report-new", args=[planned.code])))
    assert f"ร้อยละ {number(planned.planned_progress(TODAY), 2)} ภายใน" in page
    assert "ร้อยละ 30.00 เมื่อ 20 ม.ค. 2563" in page
    assert "อนุมัติแล้ว" in page and "เทพื้นคอนกรีตช่วงแรก" in page


def test_the_form_can_start_from_last_months_text(
    client: Client, personas: Personas, planned: Project, make_report: MakeReport
) -> None:
    make_report(planned, report_date=date(2020, 1, 20), narrative="เทพื้นคอนกรีตช่วงแรก")
    client.force_login(personas.officer_a)
    url = reverse("report-new", args=[planned.code])
    assert "?start=previous" in text(client.get(url))
    page = text(client.get(url + "?start=previous"))
    assert "เทพื้นคอนกรีตช่วงแรก</textarea>" in page
    assert "เทพื้นคอนกรีตช่วงแรก</textarea>" not in text(client.get(url))


def test_the_edit_form_shows_the_plan_on_the_reports_own_date(
    client: Client, personas: Personas, planned: Project, make_report: MakeReport
) -> None:
    report = make_report(planned, report_date=date(2019, 12, 31))
    client.force_login(personas.officer_a)
    page = text(client.get(reverse("report-edit", args=[report.pk])))
    assert f"ร้อยละ {number(planned.planned_progress(date(2019, 12, 31)), 2)} ภายใน" in page
    assert "31 ธ.ค. 2562" in page


def test_a_refused_form_shows_its_own_errors_and_the_report_rules_in_one_pass(
    client: Client, personas: Personas, planned: Project, make_report: MakeReport
) -> None:
    make_report(planned, status=ReportStatus.APPROVED, report_date=date(2020, 1, 20), percent="30")
    client.force_login(personas.officer_a)
    response = client.post(
        reverse("report-new", args=[planned.code]),
        form_data(report_date="2020-02-10", percent="20", narrative="", spent="abc"),
    )
    page = text(response)
    assert response.status_code == 200
    assert "กรุณาบรรยายความก้าวหน้าของเดือนนี้" in page  # the form's own
    assert "ความก้าวหน้าต่ำกว่ารายงานครั้งก่อน" in page  # the action's rule
    assert ProgressReport.objects.count() == 1
