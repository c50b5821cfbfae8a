"""A mail server that is down never costs an officer their submission: the report is
submitted, and its notice is sent by a background job that tries again until the server takes
it, or gives up after five attempts saying so in the log, with the recipients."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from smtplib import SMTPException
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tidtam.projects.models import Project
from tidtam.reporting import actions
from tidtam.reporting.mail import RETRY_AFTER
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.reporting.tests.conftest import values
from tidtam.test import Personas

pytestmark = pytest.mark.django_db(transaction=True)

MAIL_LOG = "tidtam.reporting.mail"


class FlakyServer(EmailBackend):
    """Refuses the next `refusals` connections as an SMTP server that is down would, then
    delivers to Django's test outbox."""

    refusals = 0

    def send_messages(self, messages: Sequence[Any]) -> int:
        if FlakyServer.refusals:
            FlakyServer.refusals -= 1
            raise SMTPException("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def server(settings: Any) -> type[FlakyServer]:
    settings.EMAIL_BACKEND = f"{__name__}.FlakyServer"
    FlakyServer.refusals = 0
    return FlakyServer


def draft(project: Project, personas: Personas) -> ProgressReport:
    return actions.create_report(project=project, values=values(), by=personas.officer_a)


def submit(report: ProgressReport, personas: Personas) -> Any:
    officer = Client()
    officer.force_login(personas.officer_a)
    return officer.post(f"/reports/{report.pk}/submit/", {"version": str(report.version)})


def test_a_report_submitted_while_the_mail_server_is_down_is_submitted_and_its_notice_follows(
    project: Project,
    personas: Personas,
    server: type[FlakyServer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    report = draft(project, personas)
    server.refusals = 2
    with caplog.at_level(logging.WARNING, logger=MAIL_LOG):
        response = submit(report, personas)
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{report.pk}/"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert [m.to for m in mail.outbox] == [["approver_a@example.test"]]
    retries = [r for r in caplog.records if r.name == MAIL_LOG]
    assert [r.levelname for r in retries] == ["WARNING", "WARNING"]
    assert "attempt 1 of 5" in retries[0].getMessage()


def test_a_notice_the_server_keeps_refusing_is_given_up_after_five_attempts_naming_whom(
    project: Project,
    personas: Personas,
    server: type[FlakyServer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    report = draft(project, personas)
    server.refusals = 100
    with caplog.at_level(logging.WARNING, logger=MAIL_LOG):
        response = submit(report, personas)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert mail.outbox == []
    assert server.refusals == 100 - 5
    records = [r for r in caplog.records if r.name == MAIL_LOG]
    assert [r.levelname for r in records] == ["WARNING"] * 4 + ["ERROR"]
    assert "approver_a@example.test" in records[-1].getMessage()
    assert "after 5 attempts" in records[-1].getMessage()


def test_in_the_database_queue_a_refused_notice_waits_then_is_sent_once_the_server_is_back(
    project: Project, personas: Personas, server: type[FlakyServer], worker: Any
) -> None:
    report = draft(project, personas)
    server.refusals = 1
    assert submit(report, personas).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    worker()  # the first attempt: refused
    assert mail.outbox == []
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"][2] == 2
    wait = retry.run_after - timezone.now()
    assert RETRY_AFTER[0] - timedelta(seconds=30) < wait <= RETRY_AFTER[0]

    worker()  # not due yet
    assert mail.outbox == []

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    worker()
    assert [m.to for m in mail.outbox] == [["approver_a@example.test"]]
    assert not DBTaskResult.objects.filter(status="READY").exists()
