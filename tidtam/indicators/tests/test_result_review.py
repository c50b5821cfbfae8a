"""KPI results go through the monthly reports' review cycle before the public sees them."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.test import Client

from tidtam.indicators.models import Kpi, KpiResult, ResultStatus
from tidtam.indicators.tests.factories import add_results, make_kpi
from tidtam.test import Personas, make_project

BASE = "/kpis/9999-0001/2563/q1/result/"


@pytest.fixture
def kpi(personas: Personas) -> Kpi:
    project = make_project(code="99990000-0001", published=True)
    return make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))


def page(client: Client) -> str:
    return html.unescape(client.get("/kpis/9999-0001/").content.decode())


@pytest.mark.django_db
def test_a_result_is_a_draft_until_approved_and_only_then_public(
    client: Client, personas: Personas, kpi: Kpi
) -> None:
    client.force_login(personas.officer_a)
    client.post(BASE, {"result": "42", "narrative": "สำรวจแล้ว 42 จุด"})
    row = KpiResult.objects.get()
    assert row.status == ResultStatus.DRAFT
    assert "สำรวจแล้ว 42 จุด" not in page(Client())
    assert "ร่าง" in page(client)

    assert client.post(BASE + "submit/").status_code == 302
    row.refresh_from_db()
    assert (row.status, row.submitted_by) == (ResultStatus.SUBMITTED, personas.officer_a)
    locked = html.unescape(client.get(BASE).content.decode())
    assert "แก้ไขไม่ได้แล้ว" in locked and 'name="result"' not in locked
    refused = client.post(BASE, {"result": "50", "narrative": "แก้"}, follow=True)
    assert "แก้ไขไม่ได้แล้ว" in html.unescape(refused.content.decode())
    row.refresh_from_db()
    assert row.result == Decimal(42)

    approver = Client()
    approver.force_login(personas.approver_a)
    assert approver.post(BASE + "approve/").status_code == 302
    row.refresh_from_db()
    assert (row.status, row.reviewed_by) == (ResultStatus.APPROVED, personas.approver_a)
    public = page(Client())
    assert "สำรวจแล้ว 42 จุด" in public and "42.00" in public
    reasons = [h.history_change_reason for h in row.history.order_by("history_date")]
    assert reasons[-1] == "approved"


@pytest.mark.django_db
def test_a_returned_result_needs_a_comment_and_goes_back_to_the_officer(
    client: Client, personas: Personas, kpi: Kpi
) -> None:
    add_results(kpi, {1: ("30", "รายงาน")}, status="submitted")
    client.force_login(personas.approver_a)
    empty = client.post(BASE + "return/", {"comment": "  "}, follow=True)
    assert "ระบุสิ่งที่เจ้าหน้าที่ต้องแก้ไข" in html.unescape(empty.content.decode())
    assert KpiResult.objects.get().status == ResultStatus.SUBMITTED
    client.post(BASE + "return/", {"comment": "หน่วยนับผิด ควรเป็นร้อยละ"})
    row = KpiResult.objects.get()
    assert (row.status, row.review_comment) == (ResultStatus.RETURNED, "หน่วยนับผิด ควรเป็นร้อยละ")
    officer = Client()
    officer.force_login(personas.officer_a)
    assert "หน่วยนับผิด ควรเป็นร้อยละ" in page(officer)
    officer.post(BASE, {"result": "31", "narrative": "แก้หน่วยนับแล้ว"})
    assert officer.post(BASE + "submit/").status_code == 302
    assert KpiResult.objects.get().status == ResultStatus.SUBMITTED


@pytest.mark.django_db
def test_the_achieved_value_counts_approved_results_only(
    client: Client, personas: Personas, kpi: Kpi
) -> None:
    add_results(kpi, {1: ("20", "ไตรมาสแรก")})
    add_results(kpi, {2: ("70", "ไตรมาสสอง")}, status="submitted")
    client.force_login(personas.officer_a)
    assert client.get("/kpis/9999-0001/").context["view"].achieved == Decimal(20)


@pytest.mark.django_db
def test_an_approver_cannot_approve_a_result_they_submitted(
    client: Client, personas: Personas, kpi: Kpi
) -> None:
    add_results(kpi, {1: ("30", "รายงาน")}, status="submitted")
    KpiResult.objects.update(submitted_by=personas.approver_a)
    client.force_login(personas.approver_a)
    response = client.post(BASE + "approve/", follow=True)
    assert "ผู้อนุมัติคนอื่น" in html.unescape(response.content.decode())
    assert KpiResult.objects.get().status == ResultStatus.SUBMITTED
