"""Monthly report entry: every rule, through the action and through the form, and that a
refused form saves nothing."""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tidtam.orgs.models import Origin
from tidtam.projects.models import FiscalYear, Project
from tidtam.reporting import actions
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.reporting.tests.conftest import MakeReport, form_data, values
from tidtam.test import Personas, add_steps, make_project

pytestmark = pytest.mark.django_db


def refused(project: Project, by: Any, **overrides: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        actions.create_report(project=project, values=values(**overrides), by=by)
    return caught.value.message_dict


def test_an_officer_creates_a_draft_report(project: Project, personas: Personas) -> None:
    report = actions.create_report(
        project=project,
        values=values(spent=Decimal("2500.50")),
        by=personas.officer_a,
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.origin == Origin.MANUAL
    assert report.created_by == personas.officer_a
    assert (report.percent, report.spent, report.version) == (Decimal(40), Decimal("2500.50"), 1)
    assert report.history.count() == 1


def test_a_second_report_in_the_same_month_is_refused(
    project: Project, personas: Personas, make_report: MakeReport
) -> None:
    make_report(project, report_date=date(2020, 1, 5))
    errors = refused(project, personas.officer_a, report_date=date(2020, 1, 31))
    assert "มีรายงานของเดือน ม.ค. 2563 แล้ว" in errors["report_date"][0]
    assert ProgressReport.objects.count() == 1


def test_the_month_rule_counts_imported_reports_but_leaves_them_as_they_are(
    project: Project, personas: Personas
) -> None:
    actions.record_imported_reports(
        project=project,
        reports=[
            actions.ReportInput(date(2020, 1, 5), Decimal(10), "ก"),
            actions.ReportInput(date(2020, 1, 20), Decimal(20), "ข"),
        ],
        by=None,
        reason="import",
    )
    assert set(project.reports.values_list("status", "origin")) == {
        (ReportStatus.APPROVED, Origin.IMPORT)
    }
    assert "report_date" in refused(project, personas.officer_a, report_date=date(2020, 1, 31))
    actions.create_report(
        project=project, values=values(report_date=date(2020, 2, 1)), by=personas.officer_a
    )


def test_editing_a_report_may_keep_its_month_but_not_move_into_another_reported_month(
    project: Project, personas: Personas, make_report: MakeReport
) -> None:
    make_report(project, report_date=date(2020, 1, 31))
    february = make_report(project, report_date=date(2020, 2, 10), percent="50")
    actions.update_report(
        report=february,
        expected_version=1,
        values=values(report_date=date(2020, 2, 28), percent=Decimal(55)),
        by=personas.officer_a,
    )
    with pytest.raises(ValidationError) as caught:
        actions.update_report(
            report=february,
            expected_version=2,
            values=values(report_date=date(2020, 1, 15), percent=Decimal(55)),
            by=personas.officer_a,
        )
    assert "report_date" in caught.value.message_dict


def test_a_report_date_in_the_future_is_refused(project: Project, personas: Personas) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    errors = refused(project, personas.officer_a, report_date=tomorrow)
    assert errors["report_date"] == ["วันที่รายงานต้องไม่อยู่ในอนาคต"]


def test_a_report_date_before_the_plan_begins_is_refused(
    project: Project, personas: Personas
) -> None:
    errors = refused(project, personas.officer_a, report_date=date(2019, 9, 30))
    assert "1 ต.ค. 2562" in errors["report_date"][0]


def test_a_report_date_long_after_the_plan_ends_is_refused(
    project: Project, personas: Personas
) -> None:
    add_steps(project, ("100", "2019-10-01", "2020-12-31"))
    errors = refused(project, personas.officer_a, report_date=date(2022, 1, 2))
    assert "1 ม.ค. 2565" in errors["report_date"][0] and "ใช่โครงการนี้" in errors["report_date"][0]
    report = actions.create_report(
        project=project, values=values(report_date=date(2022, 1, 1)), by=personas.officer_a
    )
    assert report.report_date == date(2022, 1, 1)


def test_a_plan_starting_before_the_fiscal_year_allows_reports_from_its_first_step(
    project: Project, personas: Personas
) -> None:
    add_steps(project, ("100", "2019-09-01", "2020-03-31"))
    report = actions.create_report(
        project=project, values=values(report_date=date(2019, 9, 30)), by=personas.officer_a
    )
    assert report.report_date == date(2019, 9, 30)


@pytest.mark.parametrize("percent", ["-0.01", "100.01", "250"])
def test_progress_outside_0_to_100_is_refused(
    project: Project, personas: Personas, percent: str
) -> None:
    errors = refused(project, personas.officer_a, percent=Decimal(percent))
    assert errors["percent"] == ["ความก้าวหน้าเป็นร้อยละ ตั้งแต่ 0 ถึง 100"]


def test_a_lower_progress_than_the_previous_report_needs_a_reason(
    project: Project, personas: Personas, make_report: MakeReport
) -> None:
    make_report(project, status=ReportStatus.APPROVED, report_date=date(2020, 1, 31), percent="40")
    errors = refused(
        project, personas.officer_a, report_date=date(2020, 2, 29), percent=Decimal(35)
    )
    assert "ต่ำกว่ารายงานครั้งก่อน (ร้อยละ 40.00" in errors["decrease_reason"][0]
    report = actions.create_report(
        project=project,
        values=values(
            report_date=date(2020, 2, 29),
            percent=Decimal(35),
            decrease_reason="ปรับลดขอบเขตงานตามมติคณะกรรมการ",
        ),
        by=personas.officer_a,
    )
    assert report.decrease_reason == "ปรับลดขอบเขตงานตามมติคณะกรรมการ"


def test_lower_spending_than_the_previous_report_needs_a_reason(
    project: Project, personas: Personas, make_report: MakeReport
) -> None:
    make_report(project, report_date=date(2020, 1, 31), spent=Decimal(5000))
    errors = refused(
        project, personas.officer_a, report_date=date(2020, 2, 29), spent=Decimal(4000)
    )
    assert "ค่าใช้จ่ายต่ำกว่ารายงานครั้งก่อน" in errors["decrease_reason"][0]


def test_spending_is_not_negative_nor_beyond_the_budget(
    project: Project, personas: Personas
) -> None:
    assert refused(project, personas.officer_a, spent=Decimal(-1))["spent"] == ["ค่าใช้จ่ายต้องไม่ติดลบ"]
    errors = refused(project, personas.officer_a, spent=Decimal("100000.01"))
    assert "100,000.00" in errors["spent"][0]


def test_the_narrative_is_required(project: Project, personas: Personas) -> None:
    assert "narrative" in refused(project, personas.officer_a, narrative="   ")


# --- Through the form ---


def post_new(client: Client, project: Project, **overrides: Any) -> Any:
    return client.post(f"/projects/{project.code}/reports/new/", form_data(**overrides))


def test_the_form_creates_a_draft_and_shows_it(
    client: Client, project: Project, personas: Personas
) -> None:
    client.force_login(personas.officer_a)
    page = client.get(f"/projects/{project.code}/reports/new/")
    assert page.status_code == 200
    assert "รายงานประจำเดือนใหม่" in page.content.decode()
    response = post_new(client, project, spent="1250.75")
    report = ProgressReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{report.pk}/"
    assert (report.status, report.spent) == (ReportStatus.DRAFT, Decimal("1250.75"))
    detail = html.unescape(client.get(response["Location"]).content.decode())
    assert "ร่าง" in detail and "1,250.75" in detail


def test_save_and_submit_submits_in_one_step(
    client: Client, project: Project, personas: Personas
) -> None:
    client.force_login(personas.officer_a)
    response = post_new(client, project, and_submit="1")
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == personas.officer_a
    # The banner says what happened: submitted, not saved as a draft.
    detail = html.unescape(client.get(response["Location"]).content.decode())
    assert "ส่งรายงานแล้ว" in detail and "บันทึกรายงานเป็นฉบับร่างแล้ว" not in detail


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"percent": "101"}, "percent", "ความก้าวหน้าเป็นร้อยละ ตั้งแต่ 0 ถึง 100"),
        ({"percent": "abc"}, "percent", "ใส่ตัวเลข"),
        ({"percent": ""}, "percent", "ใส่ความก้าวหน้าเป็นร้อยละ"),
        ({"percent": "10.555"}, "percent", "ทศนิยมไม่เกิน 2 ตำแหน่ง"),
        ({"spent": "-5"}, "spent", "ค่าใช้จ่ายต้องไม่ติดลบ"),
        ({"report_date": "2020-02-30"}, "report_date", "กรอกวันที่เป็น วัน/เดือน/ปี"),
        ({"report_date": "2019-01-31"}, "report_date", "ก่อน"),
        ({"narrative": ""}, "narrative", "บรรยายความก้าวหน้า"),
        ({"problem-0-description": "รอผู้รับจ้าง"}, "problem-0-category", "เลือกหมวด"),
    ],
)
def test_a_refused_form_says_why_next_to_the_field_and_saves_nothing(
    client: Client,
    project: Project,
    personas: Personas,
    overrides: dict[str, str],
    field: str,
    message: str,
) -> None:
    client.force_login(personas.officer_a)
    response = post_new(client, project, **overrides)
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "ยังไม่ได้บันทึกข้อมูลใด ๆ" in text
    assert message in text
    # The message sits in the field's own block, right after its input.
    block = text.split(f'id="id_{field}"', 1)[1].split('<div class="field', 1)[0]
    assert message in block
    assert ProgressReport.objects.count() == 0


def test_an_officer_of_another_agency_cannot_open_the_form(
    client: Client, project: Project, personas: Personas
) -> None:
    client.force_login(personas.officer_b)
    assert client.get(f"/projects/{project.code}/reports/new/").status_code == 403
    assert post_new(client, project).status_code == 403
    assert ProgressReport.objects.count() == 0


def test_an_unpublished_project_of_another_agency_is_not_found(
    client: Client, personas: Personas
) -> None:
    hidden = make_project(code=f"{personas.agency_b.code}-0009", published=False)
    client.force_login(personas.officer_a)
    assert client.get(f"/projects/{hidden.code}/reports/new/").status_code == 404


def test_a_project_of_the_running_fiscal_year_reports_today(
    client: Client, personas: Personas
) -> None:
    today = timezone.localdate()
    from tidtam.lib.fiscal import fiscal_year_of

    project = make_project(
        code=f"{personas.agency_a.code}-0002",
        fiscal_year=FiscalYear.ensure(fiscal_year_of(today)),
    )
    client.force_login(personas.officer_a)
    page = client.get(f"/projects/{project.code}/reports/new/")
    # Day/month/Buddhist-Era year, as the Thai date field shows it.
    shown = f"{today.day}/{today.month}/{today.year + 543}"
    assert f'value="{shown}"' in page.content.decode()
    post_new(client, project, report_date=today.isoformat())
    assert project.reports.get().report_date == today
