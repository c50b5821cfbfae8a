"""The reporting calendar: the deadline day, the agency page of projects missing this month's
report, and the reminders command (once a month per officer, safe to run twice)."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from tidtam.accounts.models import Membership, Role
from tidtam.projects.models import FiscalYear, Project
from tidtam.reporting import actions
from tidtam.reporting import mail as report_mail
from tidtam.reporting.compliance import reporting_month
from tidtam.reporting.models import ReminderLog, ReportingSettings, ReportStatus
from tidtam.reporting.tests.conftest import MakeReport
from tidtam.test import Personas, make_member, make_project

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 12)  # fiscal year 2569; May's reports are due on the 10th by default


def test_the_deadline_day_and_the_reminder_window_come_from_the_settings() -> None:
    period = reporting_month(date(2026, 5, 6))
    assert (period.month, period.deadline, period.reminders_from) == (
        date(2026, 5, 1),
        date(2026, 5, 10),
        date(2026, 5, 7),
    )
    assert not period.overdue and not period.reminders_due and period.fiscal_year == 2569
    ReportingSettings.objects.create(deadline_day=3, reminder_days_before=5)
    period = reporting_month(date(2026, 5, 4))
    assert (period.deadline, period.reminders_from) == (date(2026, 5, 3), date(2026, 5, 1))
    assert period.overdue and period.reminders_due


def test_the_deadline_day_is_between_1_and_28() -> None:
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    with pytest.raises(ValidationError):
        ReportingSettings(deadline_day=29).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingSettings.objects.create(deadline_day=0)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kw: TODAY)
    return TODAY


@pytest.fixture
def year_projects(personas: Personas, make_report: MakeReport, today: date) -> dict[str, Project]:
    """Agency A's projects of fiscal year 2569 in every reporting state for May 2026."""
    fy = FiscalYear.ensure(2569)
    a = personas.agency_a.code

    def project(n: int, **extra: Any) -> Project:
        return make_project(code=f"{a}-{n:04d}", name=f"โครงการ {n}", fiscal_year=fy, **extra)

    made = {
        "reported": project(1),
        "drafted": project(2),
        "missing": project(3, published=False),
        "completed": project(4),
        "submitted": project(5),
        "old_year": make_project(code=f"{a}-0006", fiscal_year=FiscalYear.ensure(2568)),
        "other_agency": make_project(code=f"{personas.agency_b.code}-0001", fiscal_year=fy),
    }
    may, april = date(2026, 5, 5), date(2026, 4, 30)
    make_report(made["reported"], status=ReportStatus.APPROVED, report_date=may)
    make_report(made["drafted"], report_date=may)
    make_report(made["missing"], status=ReportStatus.APPROVED, report_date=april)
    make_report(made["completed"], status=ReportStatus.APPROVED, report_date=april, percent="100")
    make_report(made["submitted"], status=ReportStatus.SUBMITTED, report_date=may)
    return made


def test_the_agency_page_lists_the_projects_still_owing_this_months_report(
    client: Client, personas: Personas, year_projects: dict[str, Project]
) -> None:
    client.force_login(personas.officer_a)
    response = client.get(f"/agencies/{personas.agency_a.code}/compliance/")
    assert response.status_code == 200
    compliance = response.context["view"].compliance
    assert [p.code for p in compliance.missing] == [
        year_projects["drafted"].code,
        year_projects["missing"].code,
    ]
    assert (compliance.reported, compliance.completed, compliance.total) == (2, 1, 5)
    text = html.unescape(response.content.decode())
    assert "รายงานประจำเดือน พ.ค. 2569" in text
    assert "กำหนดส่งคือ 10 พฤษภาคม 2569" in text and "เกินกำหนด" in text
    draft = year_projects["drafted"].reports.get()
    assert f"/reports/{draft.pk}/" in text


def test_before_the_deadline_the_page_says_when_reports_are_due(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 5, 8))
    client.force_login(personas.approver_a)
    text = html.unescape(
        client.get(f"/agencies/{personas.agency_a.code}/compliance/").content.decode()
    )
    assert "ต้องส่งภายใน 10 พฤษภาคม 2569" in text and "เกินกำหนด" not in text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("public", 404),
        ("no_role", 404),
        ("officer_a", 200),
        ("officer_b", 404),
        ("approver_a", 200),
        ("approver_b", 404),
        ("evaluator", 200),
        ("executive", 200),
        ("administrator", 200),
    ],
)
def test_the_agency_page_is_for_the_agency_and_the_readers_across_the_city(
    client: Client, personas: Personas, who: str, status: int
) -> None:
    user = personas.by_name()[who]
    if user is not None:
        client.force_login(user)
    assert client.get(f"/agencies/{personas.agency_a.code}/compliance/").status_code == status
    assert client.get("/agencies/12345678/compliance/").status_code == 404


def test_the_agency_page_costs_the_same_for_many_projects(
    client: Client,
    personas: Personas,
    today: date,
    make_report: MakeReport,
    django_assert_max_num_queries: Any,
) -> None:
    fy = FiscalYear.ensure(2569)
    client.force_login(personas.officer_a)
    url = f"/agencies/{personas.agency_a.code}/compliance/"
    make_project(code=f"{personas.agency_a.code}-0001", fiscal_year=fy)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for n in range(2, 12):
        p = make_project(code=f"{personas.agency_a.code}-{n:04d}", fiscal_year=fy)
        make_report(p, report_date=date(2026, 5, 2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["view"].compliance.missing) == 11


# --- Reminders ---


def run(today: str = "2026-05-08") -> str:
    out = StringIO()
    call_command("send_reminders", "--today", today, stdout=out)
    return out.getvalue()


@pytest.mark.usefixtures("year_projects")
def test_reminders_go_once_a_month_to_each_officer_with_missing_reports(
    personas: Personas,
) -> None:
    colleague = make_member("officer_a2", Role.OFFICER, personas.agency_a)
    make_member("officer_a3", Role.OFFICER, personas.agency_a).__class__.objects.filter(
        username="officer_a3"
    ).update(email="")
    output = run()
    # Agency B's project has no report either: its officer is reminded too.
    assert sorted(m.to[0] for m in mail.outbox) == [
        colleague.email,
        "officer_a@example.test",
        "officer_b@example.test",
    ]
    message = next(m for m in mail.outbox if m.to == ["officer_a@example.test"])
    assert message.subject == "รายงานประจำเดือน พ.ค. 2569 ครบกำหนดส่ง 10 พ.ค. 2569"
    body = str(message.body)
    assert "99990000-0002 โครงการ 2" in body and "99990000-0003 โครงการ 3" in body
    assert "99990000-0001" not in body and "99990000-0004" not in body
    assert "https://tidtam.example/projects/99990000-0003/reports/new/" in body
    assert "https://tidtam.example/agencies/99990000/compliance/" in body
    assert "reminders sent 3" in output and "no e-mail address: officer_a3" in output
    assert ReminderLog.objects.count() == 3

    again = run("2026-05-09")
    assert len(mail.outbox) == 3
    assert "reminders sent 0, already reminded this month 3" in again
    run("2026-06-08")
    assert len(mail.outbox) == 6  # June is a new month


def test_no_reminder_before_the_window_opens(personas: Personas) -> None:
    make_project(code=f"{personas.agency_a.code}-0001", fiscal_year=FiscalYear.ensure(2569))
    output = run("2026-05-06")
    assert "too early: reminders go out from 2026-05-07" in output
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_an_officer_of_two_agencies_gets_one_reminder_listing_both(personas: Personas) -> None:
    fy = FiscalYear.ensure(2569)
    make_project(code=f"{personas.agency_a.code}-0001", fiscal_year=fy)
    make_project(code=f"{personas.agency_b.code}-0001", fiscal_year=fy)
    Membership.objects.create(user=personas.officer_a, role=Role.OFFICER, agency=personas.agency_b)
    run()
    mine = [m for m in mail.outbox if m.to == ["officer_a@example.test"]]
    assert len(mine) == 1
    assert "99990000-0001" in str(mine[0].body) and "99980000-0001" in str(mine[0].body)


def test_a_failed_sending_is_tried_again_on_the_next_run(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(code=f"{personas.agency_a.code}-0001", fiscal_year=FiscalYear.ensure(2569))
    sent = report_mail.send_reminder

    def broken(*args: Any, **kwargs: Any) -> int:
        raise OSError("mail server down")

    monkeypatch.setattr(report_mail, "send_reminder", broken)
    with pytest.raises(CommandError):
        run()
    assert not ReminderLog.objects.exists()
    monkeypatch.setattr(report_mail, "send_reminder", sent)
    run()
    assert [m.to for m in mail.outbox] == [["officer_a@example.test"]]


def test_a_bad_date_is_a_clear_command_error() -> None:
    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("send_reminders", "--today", "8/5/2569")


def test_spending_in_reports_is_kept_for_the_budget_view(
    personas: Personas, make_report: MakeReport
) -> None:
    project = make_project(code=f"{personas.agency_a.code}-0001", budget=Decimal(10_000))
    report = actions.create_report(
        project=project,
        values=actions.ReportValues(
            report_date=date(2020, 1, 31), percent=Decimal(10), narrative="ก", spent=Decimal(900)
        ),
        by=personas.officer_a,
    )
    assert project.reports.get().spent == Decimal(900) == report.spent
