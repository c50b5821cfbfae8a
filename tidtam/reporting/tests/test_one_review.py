"""Monthly reports and KPI results go through one review cycle (tidtam/reporting/review.py):
the same states, row lock, version check, comments in the history and e-mail, whichever kind
of record. Every test runs for both kinds."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tidtam.accounts.models import Membership, Role
from tidtam.audit.models import AuditNote
from tidtam.indicators import actions as kpi_actions
from tidtam.indicators.models import KpiResult
from tidtam.indicators.tests.factories import make_kpi
from tidtam.projects.models import Project
from tidtam.reporting import actions as report_actions
from tidtam.reporting import review
from tidtam.reporting.models import ProgressReport
from tidtam.reporting.review import ReviewStatus
from tidtam.reporting.tests.conftest import values
from tidtam.test import Personas, make_project

# A Thai comment of 2,000 characters: far past the 100 of django-simple-history's reason.
LONG_COMMENT = ("ขอให้แนบภาพถ่ายหน้างานและใบตรวจรับพัสดุให้ครบทุกงวดก่อนส่งใหม่ " * 40)[:2000]


@dataclass
class Kind:
    """One kind of record under review, as the tests drive it."""

    name: str
    model: type[Any]
    make_draft: Callable[[], Any]
    submit: Callable[..., Any]
    approve: Callable[..., Any]
    send_back: Callable[..., Any]
    # The page the approver's buttons are on, and the URL of a decision.
    page: Callable[[Any], str]
    decide: Callable[[Any, str], str]
    history: str


def _report_kind(project: Project, personas: Personas) -> Kind:
    def draft() -> ProgressReport:
        return report_actions.create_report(
            project=project, values=values(percent=Decimal(40)), by=personas.officer_a
        )

    return Kind(
        name="report",
        model=ProgressReport,
        make_draft=draft,
        submit=lambda r, **kw: report_actions.submit_report(report=r, **kw),
        approve=lambda r, **kw: report_actions.approve_report(report=r, **kw),
        send_back=lambda r, **kw: report_actions.return_report(report=r, **kw),
        page=lambda r: f"/reports/{r.pk}/",
        decide=lambda r, what: f"/reports/{r.pk}/{what}/",
        history=f"/projects/{project.code}/history/",
    )


def _result_kind(project: Project, personas: Personas) -> Kind:
    kpi = make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))
    quarter = kpi.fiscal_year.quarters.get(number=1)

    def draft() -> KpiResult:
        return kpi_actions.enter_kpi_result(
            kpi=kpi,
            quarter=quarter,
            result=Decimal(42),
            narrative="สำรวจแล้ว 42 จุด",
            by=personas.officer_a,
            today=date(2020, 1, 31),
        )

    base = "/kpis/9999-0001/2563/q1/result/"
    return Kind(
        name="result",
        model=KpiResult,
        make_draft=draft,
        submit=lambda r, **kw: kpi_actions.submit_kpi_result(row=r, today=date(2020, 1, 31), **kw),
        approve=lambda r, **kw: kpi_actions.approve_kpi_result(row=r, **kw),
        send_back=lambda r, **kw: kpi_actions.return_kpi_result(row=r, **kw),
        page=lambda r: "/kpis/9999-0001/?fy=2563",
        decide=lambda r, what: base + f"{what}/",
        history=f"/projects/{project.code}/history/",
    )


@pytest.fixture(params=["report", "result"])
def kind(request: pytest.FixtureRequest, personas: Personas, settings: Any) -> Kind:
    settings.SITE_URL = "https://tidtam.example"
    project = make_project(code=f"{personas.agency_a.code}-0001", agency=personas.agency_a)
    make = _report_kind if request.param == "report" else _result_kind
    return make(project, personas)


def _submitted(kind: Kind, personas: Personas) -> Any:
    return kind.submit(kind.make_draft(), by=personas.officer_a)


def _events(record: Any) -> list[str]:
    return [h.history_change_reason for h in record.history.order_by("history_id")]


@pytest.mark.django_db
def test_both_kinds_go_through_the_same_states_versions_and_history(
    kind: Kind, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        record = _submitted(kind, personas)
    assert (record.status, record.version) == (ReviewStatus.SUBMITTED, 2)
    assert [m.to for m in mail.outbox] == [[personas.approver_a.email]]

    with django_capture_on_commit_callbacks(execute=True):
        record = kind.send_back(record, by=personas.approver_a, comment="แก้หน่วยนับ")
    assert (record.status, record.version) == (ReviewStatus.RETURNED, 3)
    assert record.reviewed_by == personas.approver_a and record.reviewed_at is not None
    assert mail.outbox[-1].to == [personas.officer_a.email]
    assert "แก้หน่วยนับ" in mail.outbox[-1].body

    record = kind.submit(record, by=personas.officer_a, expected_version=3)
    with django_capture_on_commit_callbacks(execute=True):
        record = kind.approve(record, by=personas.approver_a, expected_version=4)
    assert (record.status, record.version) == (ReviewStatus.APPROVED, 5)
    assert mail.outbox[-1].to == [personas.officer_a.email]
    assert _events(record)[1:] == ["submitted", "returned", "submitted", "approved"]
    assert kind.model.objects.official().get() == record


@pytest.mark.django_db
def test_a_stale_version_is_refused_with_a_clear_message_and_nothing_changed(
    kind: Kind, personas: Personas
) -> None:
    record = _submitted(kind, personas)
    loaded = record.version
    # Someone else acts on the record after the approver loaded the page.
    kind.model.objects.filter(pk=record.pk).update(version=F("version") + 1)
    rows = record.history.count()

    with pytest.raises(ValidationError) as refused:
        kind.approve(record, by=personas.approver_a, expected_version=loaded)
    assert refused.value.code == "stale"
    assert "มีผู้อื่นแก้ไข" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        kind.send_back(record, by=personas.approver_a, comment="x", expected_version=loaded)

    record.refresh_from_db()
    assert (record.status, record.version) == (ReviewStatus.SUBMITTED, loaded + 1)
    assert record.history.count() == rows


@pytest.mark.django_db
def test_a_stale_approval_through_the_page_is_refused_in_thai_and_nothing_changed(
    kind: Kind, personas: Personas, client: Client
) -> None:
    record = _submitted(kind, personas)
    loaded = record.version
    kind.model.objects.filter(pk=record.pk).update(version=F("version") + 1)
    client.force_login(personas.approver_a)

    response = client.post(kind.decide(record, "approve"), {"version": loaded}, follow=True)

    assert response.status_code == 200
    assert "มีผู้อื่นแก้ไข" in html.unescape(response.content.decode())
    record.refresh_from_db()
    assert record.status == ReviewStatus.SUBMITTED


@pytest.mark.django_db
def test_the_page_sends_the_version_it_shows(
    kind: Kind, personas: Personas, client: Client
) -> None:
    record = _submitted(kind, personas)
    client.force_login(personas.approver_a)
    page = client.get(kind.page(record)).content.decode()
    assert f'name="version" value="{record.version}"' in page
    client.post(kind.decide(record, "approve"), {"version": record.version})
    record.refresh_from_db()
    assert record.status == ReviewStatus.APPROVED


@pytest.mark.django_db
def test_every_decision_locks_the_record_row(kind: Kind, personas: Personas) -> None:
    record = _submitted(kind, personas)
    with CaptureQueriesContext(connection) as queries:
        kind.approve(record, by=personas.approver_a, expected_version=record.version)
    table = kind.model._meta.db_table
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and table in q["sql"]]
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in sql for sql in reads)
    else:
        # SQLite locks the whole database for a write: the read is there, without the clause.
        assert reads


@pytest.mark.django_db
def test_nobody_approves_a_record_they_entered(kind: Kind, personas: Personas) -> None:
    # The officer who entered it is an approver of the agency too.
    Membership.objects.create(user=personas.officer_a, role=Role.APPROVER, agency=personas.agency_a)
    record = _submitted(kind, personas)
    with pytest.raises(ValidationError, match="ผู้อนุมัติคนอื่น"):
        kind.approve(record, by=personas.officer_a)
    record.refresh_from_db()
    assert record.status == ReviewStatus.SUBMITTED
    assert kind.model.objects.entered_by(personas.officer_a).get() == record
    assert not kind.model.objects.entered_by(personas.approver_a).exists()
    waiting = kind.model.objects.awaiting_review_by(personas.officer_a).get()
    assert waiting.entered_by_viewer is True
    # They may send it back.
    kind.send_back(record, by=personas.officer_a, comment="ขอแก้เอง")
    record.refresh_from_db()
    assert record.status == ReviewStatus.RETURNED


@pytest.mark.django_db
def test_a_return_needs_a_comment(kind: Kind, personas: Personas) -> None:
    record = _submitted(kind, personas)
    with pytest.raises(ValidationError) as refused:
        kind.send_back(record, by=personas.approver_a, comment="  ")
    assert "comment" in refused.value.message_dict
    record.refresh_from_db()
    assert record.status == ReviewStatus.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ["approve", "return"])
def test_a_long_thai_comment_is_kept_whole_and_read_in_thai_and_english(
    kind: Kind, personas: Personas, decision: str
) -> None:
    record = _submitted(kind, personas)
    if decision == "approve":
        kind.approve(record, by=personas.approver_a, comment=LONG_COMMENT)
    else:
        kind.send_back(record, by=personas.approver_a, comment=LONG_COMMENT)

    row = record.history.order_by("history_id").last()
    assert row.history_change_reason == ("approved" if decision == "approve" else "returned")
    note = AuditNote.objects.get(history_model=row._meta.label_lower, history_id=row.history_id)
    assert note.comment == LONG_COMMENT.strip() and len(LONG_COMMENT) == 2000

    client = Client()
    client.force_login(personas.approver_a)
    thai = html.unescape(client.get(kind.history).content.decode())
    assert LONG_COMMENT.strip() in thai
    assert ("อนุมัติแล้ว" if decision == "approve" else "ส่งกลับให้แก้ไข") in thai
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = html.unescape(client.get(kind.history).content.decode())
    assert LONG_COMMENT.strip() in english
    assert ("approved" if decision == "approve" else "returned for correction") in english


@pytest.mark.django_db
def test_an_approval_withdrawn_sends_the_record_back_with_the_reason(
    kind: Kind, personas: Personas
) -> None:
    record = kind.approve(_submitted(kind, personas), by=personas.approver_a)
    withdrawn = review.send_back(
        report_actions.REPORT if kind.name == "report" else kpi_actions.RESULT,
        record,
        by=personas.administrator,
        comment="ตัวเลขไม่ตรงกับเอกสาร",
    )
    assert (withdrawn.status, withdrawn.review_comment) == (
        ReviewStatus.RETURNED,
        "ตัวเลขไม่ตรงกับเอกสาร",
    )
    assert _events(withdrawn)[-1] == "approval_withdrawn"
    assert not kind.model.objects.official().exists()


@pytest.mark.django_db
def test_a_result_form_loaded_before_someone_elses_change_saves_nothing(
    personas: Personas, client: Client
) -> None:
    project = make_project(code=f"{personas.agency_a.code}-0001", agency=personas.agency_a)
    kind = _result_kind(project, personas)
    row = kind.make_draft()
    url = "/kpis/9999-0001/2563/q1/result/"
    client.force_login(personas.officer_a)
    assert f'name="version" value="{row.version}"' in client.get(url).content.decode()
    KpiResult.objects.filter(pk=row.pk).update(version=F("version") + 1)

    response = client.post(url, {"result": "50", "narrative": "แก้", "version": row.version})

    assert "มีผู้อื่นแก้ไขผลงานนี้" in html.unescape(response.content.decode())
    row.refresh_from_db()
    assert (row.result, row.narrative) == (Decimal(42), "สำรวจแล้ว 42 จุด")
