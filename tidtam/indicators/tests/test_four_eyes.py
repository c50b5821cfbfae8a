"""Four eyes on KPI results: an approver who entered a result, whoever submitted it, may return
it but not approve it."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client

from tidtam.accounts.models import Membership, Role
from tidtam.indicators import actions
from tidtam.indicators.models import Kpi, KpiResult, ResultStatus
from tidtam.indicators.tests.factories import make_kpi
from tidtam.test import Personas, make_member, make_project

BASE = "/kpis/9999-0001/2563/q1/result/"
REFUSAL = "ผู้อนุมัติคนอื่น"

pytestmark = pytest.mark.django_db


@pytest.fixture
def kpi(personas: Personas) -> Kpi:
    project = make_project(code="99990000-0001", published=True)
    return make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))


@pytest.fixture
def both(personas: Personas) -> User:
    user = make_member("both", Role.OFFICER, personas.agency_a)
    Membership.objects.create(user=user, role=Role.APPROVER, agency=personas.agency_a)
    return user


def _text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def test_a_result_entered_by_an_approver_and_submitted_by_a_colleague_is_not_theirs_to_approve(
    personas: Personas, kpi: Kpi, both: User
) -> None:
    client = Client()
    client.force_login(both)
    client.post(BASE, {"result": "42", "narrative": "สำรวจแล้ว 42 จุด"})
    row = KpiResult.objects.get()
    actions.submit_kpi_result(row=row, by=personas.officer_a)

    page = _text(client.get("/kpis/9999-0001/"))
    assert "คุณเป็นผู้บันทึกผลนี้" in page
    assert BASE + "approve/" not in page and BASE + "return/" in page
    assert "บันทึกโดยคุณ" in _text(client.get("/review/"))

    assert REFUSAL in _text(client.post(BASE + "approve/", follow=True))
    assert KpiResult.objects.get().status == ResultStatus.SUBMITTED

    other = Client()
    other.force_login(personas.approver_a)
    assert BASE + "approve/" in _text(other.get("/kpis/9999-0001/"))
    other.post(BASE + "approve/")
    assert KpiResult.objects.get().status == ResultStatus.APPROVED


def _returned_by(kpi: Kpi, personas: Personas, approver: User) -> None:
    quarter = kpi.fiscal_year.quarters.get(number=1)
    row = actions.enter_kpi_result(
        kpi=kpi, quarter=quarter, result=Decimal(30), narrative="รายงาน", by=personas.officer_a
    )
    actions.submit_kpi_result(row=row, by=personas.officer_a)
    actions.return_kpi_result(row=row, by=approver, comment="หน่วยนับผิด")


def _corrected_by(kpi: Kpi, personas: Personas, who: User) -> KpiResult:
    quarter = kpi.fiscal_year.quarters.get(number=1)
    actions.enter_kpi_result(
        kpi=kpi, quarter=quarter, result=Decimal(31), narrative="แก้แล้ว", by=who
    )
    row = KpiResult.objects.get()
    return actions.submit_kpi_result(row=row, by=personas.officer_a)


def test_returning_a_result_does_not_make_the_approver_its_author(
    personas: Personas, kpi: Kpi, both: User
) -> None:
    _returned_by(kpi, personas, both)
    row = _corrected_by(kpi, personas, personas.officer_a)
    actions.approve_kpi_result(row=row, by=both)
    assert KpiResult.objects.get().status == ResultStatus.APPROVED


def test_an_approver_who_changed_a_returned_result_may_not_approve_it(
    personas: Personas, kpi: Kpi, both: User
) -> None:
    _returned_by(kpi, personas, both)
    row = _corrected_by(kpi, personas, both)
    with pytest.raises(ValidationError, match=REFUSAL):
        actions.approve_kpi_result(row=row, by=both)
    actions.return_kpi_result(row=KpiResult.objects.get(), by=both, comment="ขอให้คนอื่นอนุมัติ")
    assert KpiResult.objects.get().status == ResultStatus.RETURNED
