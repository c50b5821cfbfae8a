"""Four eyes: a person who is both officer and approver of an agency never approves a monthly
report they entered, whoever submitted it; they may still return it."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client

from tidtam.accounts.models import Membership, Role
from tidtam.projects.models import Project
from tidtam.reporting import actions
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.reporting.tests.conftest import PDF_BYTES, form_data, values
from tidtam.test import Personas, make_member

pytestmark = pytest.mark.django_db

REFUSAL = "ผู้อนุมัติคนอื่น"


@pytest.fixture
def both(personas: Personas) -> User:
    """An officer of agency A who is also one of its approvers."""
    user = make_member("both", Role.OFFICER, personas.agency_a)
    Membership.objects.create(user=user, role=Role.APPROVER, agency=personas.agency_a)
    return user


def _text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def test_a_report_entered_by_an_approver_and_submitted_by_a_colleague_is_not_theirs_to_approve(
    project: Project, personas: Personas, both: User
) -> None:
    client = Client()
    client.force_login(both)
    client.post(f"/projects/{project.code}/reports/new/", form_data())
    report = ProgressReport.objects.get()
    actions.submit_report(report=report, by=personas.officer_a)

    page = _text(client.get(f"/reports/{report.pk}/"))
    assert "คุณเป็นผู้บันทึกรายงานนี้" in page
    assert f'action="/reports/{report.pk}/approve/"' not in page
    assert f"/reports/{report.pk}/return/" in page
    queue = _text(client.get("/review/"))
    assert f"/reports/{report.pk}/" in queue and "บันทึกโดยคุณ" in queue

    response = client.post(
        f"/reports/{report.pk}/approve/", {"version": str(report.version + 1)}, follow=True
    )
    assert REFUSAL in _text(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.reviewed_by is None

    other = Client()
    other.force_login(personas.approver_a)
    assert "บันทึกโดยคุณ" not in _text(other.get("/review/"))
    other.post(f"/reports/{report.pk}/approve/", {"version": str(report.version)})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_an_approver_who_only_edited_a_colleagues_report_may_not_approve_it(
    project: Project, personas: Personas, both: User
) -> None:
    report = actions.create_report(project=project, values=values(), by=personas.officer_a)
    actions.update_report(
        report=report, expected_version=1, values=values(narrative="แก้ไขถ้อยคำ"), by=both
    )
    actions.submit_report(report=report, by=personas.officer_a)
    with pytest.raises(ValidationError, match=REFUSAL):
        actions.approve_report(report=report, by=both)
    assert ProgressReport.objects.get().status == ReportStatus.SUBMITTED


def test_a_file_added_and_removed_by_the_approver_counts_as_entering(
    project: Project, personas: Personas, both: User
) -> None:
    report = actions.create_report(project=project, values=values(), by=personas.officer_a)
    attachment = actions.add_attachment(
        report=report, upload=ContentFile(PDF_BYTES, name="a.pdf"), by=both
    )
    actions.remove_attachment(attachment=attachment, by=personas.officer_a)
    actions.submit_report(report=report, by=personas.officer_a)
    with pytest.raises(ValidationError, match=REFUSAL):
        actions.approve_report(report=report, by=both)


def test_the_approver_may_return_a_report_they_entered(
    project: Project, personas: Personas, both: User
) -> None:
    client = Client()
    client.force_login(both)
    report = actions.create_report(project=project, values=values(), by=both)
    actions.submit_report(report=report, by=personas.officer_a)
    client.post(f"/reports/{report.pk}/return/", {"comment": "ขอแก้ไขตัวเลข", "version": "2"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.reviewed_by == both


def test_returning_a_report_does_not_make_the_approver_its_author(
    project: Project, personas: Personas, both: User
) -> None:
    report = actions.create_report(project=project, values=values(), by=personas.officer_a)
    actions.submit_report(report=report, by=personas.officer_a)
    actions.return_report(report=report, by=both, comment="แก้ไขร้อยละ")
    actions.update_report(
        report=report, expected_version=3, values=values(narrative="แก้แล้ว"), by=personas.officer_a
    )
    actions.submit_report(report=report, by=personas.officer_a)
    page = Client()
    page.force_login(both)
    assert f'action="/reports/{report.pk}/approve/"' in _text(page.get(f"/reports/{report.pk}/"))
    actions.approve_report(report=report, by=both)
    assert ProgressReport.objects.get().status == ReportStatus.APPROVED


def test_an_approver_who_returned_a_report_and_then_edited_it_may_not_approve_it(
    project: Project, personas: Personas, both: User
) -> None:
    report = actions.create_report(project=project, values=values(), by=personas.officer_a)
    actions.submit_report(report=report, by=personas.officer_a)
    actions.return_report(report=report, by=both, comment="แก้ไขร้อยละ")
    actions.update_report(
        report=report, expected_version=3, values=values(narrative="ผู้อนุมัติแก้เอง"), by=both
    )
    actions.submit_report(report=report, by=personas.officer_a)
    with pytest.raises(ValidationError, match=REFUSAL):
        actions.approve_report(report=report, by=both)
