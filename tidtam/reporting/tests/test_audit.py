"""Every report action writes its history in the same transaction as its change: when any
part fails, neither the change nor its history remains."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tidtam.audit import write
from tidtam.audit.models import AuditNote
from tidtam.projects.models import Project
from tidtam.reporting import actions
from tidtam.reporting.models import (
    Problem,
    ProblemCategory,
    ProgressReport,
    ReportStatus,
)
from tidtam.reporting.tests.conftest import MakeReport, values
from tidtam.test import Personas

pytestmark = pytest.mark.django_db(transaction=True)


class Boom(RuntimeError):
    pass


def test_history_names_who_and_why(
    project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project, status=ReportStatus.SUBMITTED)
    comment = "กรุณาแนบภาพถ่ายหน้างานและใบตรวจรับพัสดุ " * 5
    actions.return_report(report=report, by=personas.approver_a, comment=comment)
    row = report.history.latest()
    assert row.history_user == personas.approver_a
    assert row.status == ReportStatus.RETURNED
    assert row.review_comment == comment.strip()
    # The event, in no language, and the approver's comment whole beside it.
    assert row.history_change_reason == "returned"
    note = AuditNote.objects.get(history_model=row._meta.label_lower, history_id=row.history_id)
    assert note.comment == comment.strip()


def test_a_failure_after_the_report_is_written_leaves_no_report_and_no_history(
    project: Project, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    category = ProblemCategory.objects.create(name_th="อื่น ๆ")

    def fail(**kwargs: Any) -> None:
        raise Boom

    monkeypatch.setattr(actions, "add_problem", fail)
    with pytest.raises(Boom):
        actions.create_report(
            project=project,
            values=values(),
            problems=actions.ProblemChanges(new=[actions.NewProblem(category, "ก")]),
            by=personas.officer_a,
        )
    assert not ProgressReport.objects.exists()
    assert not ProgressReport.history.exists()
    assert not Problem.history.exists()


def test_a_failing_history_write_undoes_the_approval_and_sends_no_mail(
    project: Project, personas: Personas, make_report: MakeReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = make_report(project, status=ReportStatus.SUBMITTED)
    mail.outbox.clear()
    rows = report.history.count()

    def fail(*args: Any, **kwargs: Any) -> None:
        raise Boom

    monkeypatch.setattr(write, "_record", fail)
    with pytest.raises(Boom):
        actions.approve_report(report=report, by=personas.approver_a)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.reviewed_by is None
    assert report.history.count() == rows
    assert mail.outbox == []


def test_a_successful_approval_commits_the_change_its_history_and_then_the_mail(
    project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project, status=ReportStatus.SUBMITTED)
    mail.outbox.clear()
    actions.approve_report(report=report, by=personas.approver_a)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.history.latest().history_user == personas.approver_a
    assert [m.to for m in mail.outbox] == [["officer_a@example.test"]]


def test_a_refused_update_in_the_middle_of_a_page_leaves_the_earlier_report_untouched(
    project: Project, personas: Personas, make_report: MakeReport
) -> None:
    january = make_report(project)
    make_report(project, report_date=date(2020, 2, 28))
    with pytest.raises(ValidationError, match="แก้ไขรายงานฉบับนั้นแทน"):
        actions.update_report(
            report=january,
            expected_version=1,
            values=values(report_date=date(2020, 2, 1), percent=Decimal(1)),
            by=personas.officer_a,
        )
    january.refresh_from_db()
    assert (january.percent, january.version, january.history.count()) == (Decimal(40), 1, 1)
