"""A KPI result reports a quarter under way or over: a quarter that has not begun takes no
result, through the page or through the action."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tidtam.indicators import actions
from tidtam.indicators.models import Kpi, KpiResult, ResultStatus
from tidtam.indicators.tests.factories import add_results, make_kpi
from tidtam.projects.models import Quarter
from tidtam.test import Personas, make_project

# FY 2563: Q1 runs from 1 Oct 2019, Q2 from 1 Jan 2020, Q3 from 1 Apr 2020.
IN_Q1 = date(2019, 12, 15)
Q2_BEGINS = "ไตรมาส 2 ของปีงบประมาณ 2563 เริ่มวันที่ 1 ม.ค. 2563"


@pytest.fixture
def kpi(personas: Personas) -> Kpi:
    project = make_project(code="99990000-0001")
    return make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))


def quarter(number: int) -> Quarter:
    return Quarter.objects.get(fiscal_year=2563, number=number)


def on(day: date) -> Any:
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def test_a_result_for_a_quarter_that_has_not_begun_is_refused(personas: Personas, kpi: Kpi) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.enter_kpi_result(
            kpi=kpi,
            quarter=quarter(2),
            result=Decimal(5),
            narrative="ล่วงหน้า",
            by=personas.officer_a,
            today=IN_Q1,
        )
    assert refused.value.code == "not_started"
    assert Q2_BEGINS in refused.value.messages[0]
    assert not KpiResult.objects.exists()


def test_a_result_is_accepted_from_the_quarters_first_day(personas: Personas, kpi: Kpi) -> None:
    row = actions.enter_kpi_result(
        kpi=kpi,
        quarter=quarter(2),
        result=Decimal(5),
        narrative="วันแรกของไตรมาส",
        by=personas.officer_a,
        today=date(2020, 1, 1),
    )
    submitted = actions.submit_kpi_result(row=row, by=personas.officer_a, today=date(2020, 1, 1))
    assert submitted.status == ResultStatus.SUBMITTED


def test_a_draft_for_a_quarter_that_has_not_begun_cannot_be_submitted(
    personas: Personas, kpi: Kpi
) -> None:
    add_results(kpi, {3: ("7", "ร่างล่วงหน้า")}, status=ResultStatus.DRAFT)
    row = KpiResult.objects.get()
    with pytest.raises(ValidationError) as refused:
        actions.submit_kpi_result(row=row, by=personas.officer_a, today=date(2020, 3, 31))
    assert "ไตรมาส 3 ของปีงบประมาณ 2563 เริ่มวันที่ 1 เม.ย. 2563" in refused.value.messages[0]
    row.refresh_from_db()
    assert row.status == ResultStatus.DRAFT


def test_the_entry_page_of_a_quarter_to_come_says_when_it_opens_and_saves_nothing(
    client: Client, personas: Personas, kpi: Kpi
) -> None:
    client.force_login(personas.officer_a)
    url = "/kpis/9999-0001/2563/q2/result/"
    with on(IN_Q1):
        page = html.unescape(client.get(url).content.decode())
        assert Q2_BEGINS in page and 'name="result"' not in page
        response = client.post(url, {"result": "5", "narrative": "ล่วงหน้า"})
    assert response.status_code == 200
    assert Q2_BEGINS in html.unescape(response.content.decode())
    assert not KpiResult.objects.exists()
    # The quarter under way still takes its result.
    with on(IN_Q1):
        accepted = client.post(
            "/kpis/9999-0001/2563/q1/result/", {"result": "5", "narrative": "ไตรมาสแรก"}
        )
    assert accepted.status_code == 302
    assert KpiResult.objects.get().quarter == quarter(1)


def test_the_kpi_page_offers_entry_only_for_quarters_that_have_begun(
    client: Client, personas: Personas, kpi: Kpi
) -> None:
    client.force_login(personas.officer_a)
    with on(IN_Q1):
        page = html.unescape(client.get("/kpis/9999-0001/").content.decode())
    assert 'href="/kpis/9999-0001/2563/q1/result/"' in page
    for number in (2, 3, 4):
        assert f'href="/kpis/9999-0001/2563/q{number}/result/"' not in page
    assert "บันทึกผลได้ตั้งแต่ 1 ม.ค. 2563" in page
    client.cookies["django_language"] = "en"
    with on(IN_Q1):
        page = html.unescape(client.get("/kpis/9999-0001/").content.decode())
    assert "Results open on 1 Jan 2020" in page


def test_submitting_a_draft_of_a_quarter_to_come_through_the_page_is_refused(
    client: Client, personas: Personas, kpi: Kpi
) -> None:
    add_results(kpi, {2: ("7", "ร่างล่วงหน้า")}, status=ResultStatus.DRAFT)
    client.force_login(personas.officer_a)
    with on(IN_Q1):
        page = html.unescape(client.get("/kpis/9999-0001/").content.decode())
        assert 'action="/kpis/9999-0001/2563/q2/result/submit/"' not in page
        response = client.post("/kpis/9999-0001/2563/q2/result/submit/", follow=True)
    assert Q2_BEGINS in html.unescape(response.content.decode())
    assert KpiResult.objects.get().status == ResultStatus.DRAFT
