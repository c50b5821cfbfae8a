"""The admin shows reports and KPI results under review read-only: they change only through
the review cycle's actions, with a reason; and its history list reads events and comments as
the history tab does."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.test import Client

from tidtam.audit.models import AuditNote
from tidtam.indicators import actions as kpi_actions
from tidtam.indicators.models import KpiResult
from tidtam.indicators.tests.factories import make_kpi
from tidtam.reporting import actions
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.reporting.tests.conftest import MakeReport
from tidtam.test import Personas, make_project, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db: None) -> Client:
    client = Client()
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def _change_form(report: ProgressReport, percent: str) -> dict[str, str]:
    return {
        "project": str(report.project_id),
        "report_date": "31/01/2563",
        "percent": percent,
        "narrative": report.narrative,
        "origin": report.origin,
    }


def test_an_approved_reports_percent_cannot_be_changed_in_the_admin_and_it_stays_approved(
    root: Client, project: object, make_report: MakeReport
) -> None:
    report = make_report(project, status=ReportStatus.APPROVED)
    url = f"/admin/reporting/progressreport/{report.pk}/change/"

    shown = html.unescape(root.get(url).content.decode())
    assert 'name="percent"' not in shown
    assert "ส่งกลับให้เจ้าหน้าที่พร้อมเหตุผล" in shown

    response = root.post(url, _change_form(report, "95"))

    assert response.status_code == 403
    report.refresh_from_db()
    assert (report.status, report.percent, report.version) == (
        ReportStatus.APPROVED,
        Decimal(40),
        3,
    )
    deleted = root.post(f"/admin/reporting/progressreport/{report.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403 and ProgressReport.objects.filter(pk=report.pk).exists()


def test_a_submitted_report_is_read_only_too_and_a_draft_changed_there_gets_a_new_version(
    root: Client, project: object, make_report: MakeReport
) -> None:
    submitted = make_report(project, status=ReportStatus.SUBMITTED)
    url = f"/admin/reporting/progressreport/{submitted.pk}/change/"
    assert root.post(url, _change_form(submitted, "95")).status_code == 403

    draft = make_report(project, report_date=date(2020, 2, 28))
    form = {**_change_form(draft, "45"), "report_date": "28/02/2563"}
    root.post(f"/admin/reporting/progressreport/{draft.pk}/change/", form)
    draft.refresh_from_db()
    assert (draft.percent, draft.version) == (Decimal(45), 2)


def test_the_admin_sends_an_approved_report_back_with_a_reason_it_keeps(
    root: Client, project: object, make_report: MakeReport
) -> None:
    report = make_report(project, status=ReportStatus.APPROVED)
    changelist = "/admin/reporting/progressreport/"
    ask = {"action": "send_back", "_selected_action": [report.pk]}

    question = html.unescape(root.post(changelist, ask).content.decode())
    assert 'name="reason"' in question
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED

    reason = "ร้อยละไม่ตรงกับใบตรวจรับงาน ขอให้ตรวจสอบและรายงานใหม่ " * 10
    root.post(changelist, {**ask, "apply": "1", "reason": reason})

    report.refresh_from_db()
    assert (report.status, report.review_comment) == (ReportStatus.RETURNED, reason.strip())
    row = report.history.order_by("history_id").last()
    assert row.history_change_reason == "approval_withdrawn"
    history = html.unescape(
        root.get(f"/admin/reporting/progressreport/{report.pk}/history/").content.decode()
    )
    assert reason.strip() in history


def test_a_kpi_result_under_review_is_read_only_in_the_admin(personas: Personas) -> None:
    project = make_project(code=f"{personas.agency_a.code}-0001", agency=personas.agency_a)
    kpi = make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))
    row = kpi_actions.enter_kpi_result(
        kpi=kpi,
        quarter=kpi.fiscal_year.quarters.get(number=1),
        result=Decimal(42),
        narrative="สำรวจแล้ว",
        by=personas.officer_a,
        today=date(2020, 1, 31),
    )
    row = kpi_actions.submit_kpi_result(row=row, by=personas.officer_a, today=date(2020, 1, 31))
    client = Client()
    client.force_login(make_user("root", is_staff=True, is_superuser=True))

    response = client.post(
        f"/admin/indicators/kpiresult/{row.pk}/change/",
        {"kpi": kpi.pk, "quarter": row.quarter_id, "result": "99", "narrative": "แก้"},
    )

    assert response.status_code == 403
    row.refresh_from_db()
    assert (row.result, row.status) == (Decimal(42), "submitted")
    kpi_page = html.unescape(client.get(f"/admin/indicators/kpi/{kpi.pk}/change/").content.decode())
    assert 'name="results-0-result"' not in kpi_page and "42" in kpi_page
    assert KpiResult.objects.get().version == 2


def test_reasons_written_before_events_become_events_and_keep_their_comment(
    project: object, make_report: MakeReport, personas: Personas
) -> None:
    report = make_report(project, status=ReportStatus.RETURNED)
    history = type(report.history.first())
    rows = list(report.history.order_by("history_id"))
    # As the code wrote them before: translated, the comment cut to 100 characters.
    history.objects.filter(history_id=rows[1].history_id).update(history_change_reason="ส่งให้ตรวจ")
    history.objects.filter(history_id=rows[2].history_id).update(
        history_change_reason="ส่งกลับ: แก้ไขร้อ"
    )
    history.objects.filter(history_id=rows[0].history_id).update(
        history_change_reason="legacy import: page.txt"
    )
    AuditNote.objects.all().delete()

    import_module("tidtam.audit.migrations.0002_reasons_to_events").forwards(apps, None)

    reasons = [h.history_change_reason for h in report.history.order_by("history_id")]
    assert reasons == ["legacy import: page.txt", "submitted", "returned"]
    note = AuditNote.objects.get()
    assert (note.history_id, note.comment) == (rows[2].history_id, "แก้ไขร้อยละ")
    assert actions.REPORT.model is ProgressReport
