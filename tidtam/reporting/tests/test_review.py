"""The review cycle: draft → submitted → approved, or returned with a comment and submitted
again; approved reports are locked; e-mail goes out after the change commits; an edit saved
against an older version is refused with nothing lost."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from tidtam.accounts.models import Membership, Role
from tidtam.projects.models import Project
from tidtam.reporting import actions
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.reporting.tests.conftest import MakeReport, form_data, values
from tidtam.test import Personas, make_member

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def test_the_whole_cycle_through_the_pages(
    client: Client,
    project: Project,
    personas: Personas,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    officer, approver = Client(), Client()
    officer.force_login(personas.officer_a)
    approver.force_login(personas.approver_a)
    officer.post(f"/projects/{project.code}/reports/new/", form_data())
    report = ProgressReport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(f"/reports/{report.pk}/submit/", {"version": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == personas.officer_a and report.submitted_at is not None
    assert [m.to for m in mail.outbox] == [["approver_a@example.test"]]

    queue = approver.get("/review/").content.decode()
    assert f"/reports/{report.pk}/" in queue
    with django_capture_on_commit_callbacks(execute=True):
        approver.post(f"/reports/{report.pk}/return/", {"comment": "ร้อยละไม่ตรงกับผลงาน"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.review_comment == "ร้อยละไม่ตรงกับผลงาน"
    assert report.reviewed_by == personas.approver_a
    assert mail.outbox[-1].to == ["officer_a@example.test"]
    assert "ร้อยละไม่ตรงกับผลงาน" in str(mail.outbox[-1].body)

    page = html.unescape(officer.get(f"/reports/{report.pk}/").content.decode())
    assert "ร้อยละไม่ตรงกับผลงาน" in page and "ส่งกลับแก้ไข" in page
    officer.post(
        f"/reports/{report.pk}/edit/",
        form_data(percent="35", version=str(report.version), and_submit="1"),
    )
    report.refresh_from_db()
    assert (report.status, report.percent) == (ReportStatus.SUBMITTED, Decimal(35))

    with django_capture_on_commit_callbacks(execute=True):
        approver.post(f"/reports/{report.pk}/approve/", {"version": str(report.version)})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert mail.outbox[-1].to == ["officer_a@example.test"]
    assert "อนุมัติ" in mail.outbox[-1].subject
    statuses = list(report.history.order_by("history_id").values_list("status", flat=True))
    assert statuses == ["draft", "submitted", "returned", "returned", "submitted", "approved"]
    timeline = html.unescape(Client().get(f"/reports/{report.pk}/").content.decode())
    assert timeline.count('class="badge report-') >= 5  # status badge + the four changes


def test_submission_mail_is_thai_with_code_name_and_a_site_link(
    project: Project,
    personas: Personas,
    make_report: MakeReport,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    second = make_member("approver_a2", Role.APPROVER, personas.agency_a)
    make_member("approver_b2", Role.APPROVER, personas.agency_b)
    report = make_report(project)
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_report(report=report, by=personas.officer_a)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "approver_a2@example.test",
        "approver_a@example.test",
    ]
    message = mail.outbox[0]
    assert message.subject == f"รายงาน {project.code} เดือน ม.ค. 2563 รอการตรวจของคุณ"
    assert project.name in str(message.body)
    assert f"https://tidtam.example/reports/{report.pk}/" in str(message.body)
    assert second.email in {m.to[0] for m in mail.outbox}


def test_no_mail_leaves_before_the_transaction_commits(
    project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project)
    actions.submit_report(report=report, by=personas.officer_a)
    assert mail.outbox == []


def test_inactive_approvers_and_those_without_an_address_get_no_mail(
    project: Project,
    personas: Personas,
    make_report: MakeReport,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    personas.approver_a.is_active = False
    personas.approver_a.save()
    make_member("no_address", Role.APPROVER, personas.agency_a).__class__.objects.filter(
        username="no_address"
    ).update(email="")
    report = make_report(project)
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_report(report=report, by=personas.officer_a)
    # No approver can be told: the administrators are, and no approver is.
    assert [m.to for m in mail.outbox] == [["administrator@example.test"]]


def test_returning_needs_a_comment(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project, status=ReportStatus.SUBMITTED)
    with pytest.raises(ValidationError) as caught:
        actions.return_report(report=report, by=personas.approver_a, comment="  ")
    assert caught.value.message_dict["comment"] == ["กรุณาระบุสิ่งที่เจ้าหน้าที่ต้องแก้ไข"]
    client.force_login(personas.approver_a)
    response = client.post(f"/reports/{report.pk}/return/", {"comment": ""})
    assert response.status_code == 200
    text = response.content.decode()
    block = text.split('id="id_comment"', 1)[1].split("</div>", 1)[0]
    assert "กรุณาระบุสิ่งที่เจ้าหน้าที่ต้องแก้ไข" in block
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_an_approver_cannot_approve_a_report_they_submitted(
    project: Project, personas: Personas
) -> None:
    both = make_member("both", Role.OFFICER, personas.agency_a)
    Membership.objects.create(user=both, role=Role.APPROVER, agency=personas.agency_a)
    report = actions.create_report(project=project, values=values(), by=both)
    actions.submit_report(report=report, by=both)
    with pytest.raises(ValidationError, match="ผู้อนุมัติคนอื่น"):
        actions.approve_report(report=report, by=both)
    actions.approve_report(report=report, by=personas.approver_a)


@pytest.mark.parametrize(
    ("state", "act"),
    [
        (ReportStatus.DRAFT, "approve"),
        (ReportStatus.RETURNED, "approve"),
        (ReportStatus.APPROVED, "return"),
        (ReportStatus.SUBMITTED, "submit"),
        (ReportStatus.APPROVED, "submit"),
        (ReportStatus.SUBMITTED, "delete"),
        (ReportStatus.RETURNED, "delete"),
        (ReportStatus.APPROVED, "delete"),
    ],
)
def test_a_step_out_of_turn_is_refused_and_changes_nothing(
    project: Project, personas: Personas, make_report: MakeReport, state: str, act: str
) -> None:
    report = make_report(project, status=state)
    before = (report.status, report.version, report.history.count())
    call = {
        "approve": lambda: actions.approve_report(report=report, by=personas.approver_a),
        "return": lambda: actions.return_report(report=report, by=personas.approver_a, comment="x"),
        "submit": lambda: actions.submit_report(report=report, by=personas.officer_a),
        "delete": lambda: actions.delete_report(report=report, by=personas.officer_a),
    }[act]
    with pytest.raises(ValidationError):
        call()
    report.refresh_from_db()
    assert (report.status, report.version, report.history.count()) == before


def test_an_approved_report_is_locked(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project, status=ReportStatus.APPROVED)
    with pytest.raises(ValidationError):
        actions.update_report(
            report=report,
            expected_version=report.version,
            values=values(percent=Decimal(90)),
            by=personas.officer_a,
        )
    client.force_login(personas.officer_a)
    assert client.get(f"/reports/{report.pk}/edit/").status_code == 403
    response = client.post(
        f"/reports/{report.pk}/edit/", form_data(percent="90", version=str(report.version))
    )
    assert response.status_code == 403
    assert "อนุมัติแล้ว" in html.unescape(response.content.decode())
    assert client.post(f"/reports/{report.pk}/delete/").status_code == 403
    report.refresh_from_db()
    assert report.percent == Decimal(40)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f"/reports/{report.pk}/edit/" not in page
    assert f"/reports/{report.pk}/delete/" not in page


def test_an_officer_deletes_a_draft(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project)
    client.force_login(personas.officer_a)
    response = client.post(f"/reports/{report.pk}/delete/")
    assert response["Location"] == f"/projects/{project.code}/"
    assert not ProgressReport.objects.exists()
    assert ProgressReport.history.filter(history_type="-", id=report.pk).exists()


# --- Optimistic locking ---


def test_saving_against_an_older_version_is_refused(
    project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project)
    actions.update_report(
        report=report, expected_version=1, values=values(percent=Decimal(45)), by=personas.officer_a
    )
    with pytest.raises(actions.StaleReport) as caught:
        actions.update_report(
            report=report,
            expected_version=1,
            values=values(percent=Decimal(50)),
            by=personas.officer_a,
        )
    assert caught.value.current.percent == Decimal(45)
    report.refresh_from_db()
    assert (report.percent, report.version) == (Decimal(45), 2)


def test_a_stale_form_shows_the_input_and_the_report_as_it_is_now(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project)
    colleague = make_member("officer_a2", Role.OFFICER, personas.agency_a)
    actions.update_report(
        report=report,
        expected_version=1,
        values=values(narrative="ฉบับของเพื่อนร่วมงาน", percent=Decimal(42)),
        by=colleague,
    )
    client.force_login(personas.officer_a)
    response = client.post(
        f"/reports/{report.pk}/edit/",
        form_data(percent="48", narrative="ฉบับของฉัน", version="1"),
    )
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "มีผู้อื่นแก้ไขรายงานนี้" in text
    assert "ฉบับของฉัน" in text and 'value="48"' in text  # the user's input is kept
    assert "ฉบับของเพื่อนร่วมงาน" in text  # and the report as it is now is shown
    assert 'name="version" value="2"' in text
    report.refresh_from_db()
    assert (report.percent, report.narrative) == (Decimal(42), "ฉบับของเพื่อนร่วมงาน")
    # Saving again, knowingly, replaces it.
    client.post(
        f"/reports/{report.pk}/edit/",
        form_data(percent="48", narrative="ฉบับของฉัน", version="2"),
    )
    report.refresh_from_db()
    assert (report.percent, report.version) == (Decimal(48), 3)


def test_a_review_against_a_report_that_changed_meanwhile_is_refused(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project, status=ReportStatus.SUBMITTED)
    client.force_login(personas.approver_a)
    response = client.post(f"/reports/{report.pk}/approve/", {"version": "1"}, follow=True)
    assert "มีผู้อื่นแก้ไขรายงานนี้" in html.unescape(response.content.decode())
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_later_report_date_is_compared_with_the_report_before_it(
    project: Project, personas: Personas, make_report: MakeReport
) -> None:
    make_report(project, report_date=date(2020, 3, 31), percent="60")
    # A missed February entered late sits between January (none) and March: no decrease.
    actions.create_report(
        project=project,
        values=values(report_date=date(2020, 2, 28), percent=Decimal(50)),
        by=personas.officer_a,
    )


def test_an_edit_without_its_version_is_treated_as_stale(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project)
    client.force_login(personas.officer_a)
    data = form_data(percent="48")
    response = client.post(f"/reports/{report.pk}/edit/", data)
    assert "มีผู้อื่นแก้ไขรายงานนี้" in html.unescape(response.content.decode())
    report.refresh_from_db()
    assert report.percent == Decimal(40)
