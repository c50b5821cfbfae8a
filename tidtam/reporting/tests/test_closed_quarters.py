"""Closing a quarter locks the monthly reports dated in it, as it locks its KPI results: no
report is created, changed, submitted or given files there; one submitted before the closing
may still be approved, not returned."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tidtam.indicators.actions import close_quarter
from tidtam.projects.models import Project, Quarter
from tidtam.reporting import actions
from tidtam.reporting.models import ProgressReport, ReportAttachment, ReportStatus
from tidtam.reporting.tests.conftest import PDF_BYTES, MakeReport, form_data, values
from tidtam.test import Personas

# FY 2563: Q2 runs from 1 January to 31 March 2020.
IN_Q2 = date(2020, 1, 31)
IN_Q3 = date(2020, 4, 30)
LOCKED = "ไตรมาส 2 ของปีงบประมาณ 2563 ปิดแล้ว รายงานประจำเดือนของไตรมาสนี้ถูกล็อก"


def close_q2(personas: Personas) -> None:
    quarter = Quarter.objects.get(fiscal_year=2563, number=2)
    close_quarter(quarter=quarter, by=personas.evaluator, today=date(2020, 4, 2))


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def test_a_new_report_dated_in_a_closed_quarter_is_refused_next_to_its_date(
    client: Client, personas: Personas, project: Project
) -> None:
    close_q2(personas)
    client.force_login(personas.officer_a)
    url = f"/projects/{project.code}/reports/new/"
    response = client.post(url, form_data(report_date="2020-02-15"))
    assert response.status_code == 200
    page = text(response)
    assert LOCKED in page
    assert LOCKED in page[page.index('name="report_date"') :]
    assert not ProgressReport.objects.exists()
    # The next quarter is open.
    assert client.post(url, form_data(report_date="2020-04-30")).status_code == 302
    assert ProgressReport.objects.get().report_date == IN_Q3


def test_a_draft_in_a_closed_quarter_can_no_longer_be_edited_or_submitted(
    client: Client, personas: Personas, project: Project, make_report: MakeReport
) -> None:
    report = make_report(project, report_date=IN_Q2)
    close_q2(personas)
    client.force_login(personas.officer_a)
    detail = text(client.get(f"/reports/{report.pk}/"))
    assert LOCKED in detail
    assert f'href="/reports/{report.pk}/edit/"' not in detail
    assert f'action="/reports/{report.pk}/submit/"' not in detail
    edit = client.get(f"/reports/{report.pk}/edit/")
    assert edit.status_code == 403 and LOCKED in text(edit)
    posted = client.post(f"/reports/{report.pk}/edit/", form_data(percent="90", version="1"))
    assert posted.status_code == 403
    submitted = client.post(f"/reports/{report.pk}/submit/", {"version": "1"})
    assert submitted.status_code == 403 and LOCKED in text(submitted)
    report.refresh_from_db()
    assert (report.status, report.percent, report.version) == (ReportStatus.DRAFT, 40, 1)


def test_the_actions_refuse_every_caller_not_only_the_pages(
    personas: Personas, project: Project, make_report: MakeReport
) -> None:
    draft = make_report(project, report_date=IN_Q2)
    open_draft = make_report(project, report_date=IN_Q3)
    close_q2(personas)
    officer = personas.officer_a
    attempts = [
        lambda: actions.create_report(
            project=project, values=values(report_date=date(2020, 3, 1)), by=officer
        ),
        lambda: actions.update_report(
            report=draft, expected_version=1, values=values(percent=Decimal(50)), by=officer
        ),
        # Neither moved out of the closed quarter, nor into it.
        lambda: actions.update_report(
            report=draft, expected_version=1, values=values(report_date=IN_Q3), by=officer
        ),
        lambda: actions.update_report(
            report=open_draft, expected_version=1, values=values(report_date=IN_Q2), by=officer
        ),
        lambda: actions.submit_report(report=draft, by=officer),
        lambda: actions.add_attachment(
            report=draft,
            upload=SimpleUploadedFile("photo.pdf", PDF_BYTES, "application/pdf"),
            by=officer,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert "ไตรมาส 2 ของปีงบประมาณ 2563 ปิดแล้ว" in " ".join(refused.value.messages)
    assert ProgressReport.objects.count() == 2
    draft.refresh_from_db()
    open_draft.refresh_from_db()
    assert (draft.report_date, draft.status, draft.version) == (IN_Q2, ReportStatus.DRAFT, 1)
    assert open_draft.report_date == IN_Q3
    assert not ReportAttachment.objects.exists()


def test_a_draft_left_in_a_closed_quarter_may_still_be_deleted(
    client: Client, personas: Personas, project: Project, make_report: MakeReport
) -> None:
    report = make_report(project, report_date=IN_Q2)
    close_q2(personas)
    client.force_login(personas.officer_a)
    assert client.post(f"/reports/{report.pk}/delete/").status_code == 302
    assert not ProgressReport.objects.exists()


def test_a_report_submitted_before_the_closing_may_be_approved_but_not_returned(
    client: Client, personas: Personas, project: Project, make_report: MakeReport
) -> None:
    report = make_report(project, status=ReportStatus.SUBMITTED, report_date=IN_Q2)
    close_q2(personas)
    client.force_login(personas.approver_a)
    returned = client.post(
        f"/reports/{report.pk}/return/", {"comment": "แก้ไขร้อยละ", "version": "2"}
    )
    assert returned.status_code == 200
    assert "ไตรมาสของรายงานนี้ปิดแล้ว เจ้าหน้าที่แก้ไขรายงานไม่ได้อีก จึงส่งคืนไม่ได้" in text(returned)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    approved = client.post(f"/reports/{report.pk}/approve/", {"version": "2"})
    assert approved.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
