"""Quarterly entry: officers' KPI results, evaluators' scores on the rating scale, and
closing a quarter, which locks its entries."""

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
from tidtam.indicators.models import (
    EvaluationCriterion,
    Kpi,
    KpiResult,
    KpiScore,
    ProjectEvaluation,
    QuarterClosure,
    RatingLevel,
)
from tidtam.indicators.tests.factories import add_results, make_kpi
from tidtam.projects.models import Quarter
from tidtam.test import ROLES, Personas, make_project

D = Decimal
RESULT_URL = "/kpis/{code}/2563/q1/result/"
SCORE_URL = "/kpis/{code}/2563/q1/scores/"
PROJECT_SCORE_URL = "/evaluations/{code}/q1/"


@pytest.fixture
def world(personas: Personas) -> dict[str, Kpi]:
    published = make_project(code="99990000-0001", published=True)
    hidden = make_project(code="99990000-0002", published=False)
    return {
        "published": make_kpi("9999-0001", agency=personas.agency_a, projects=(published,)),
        "hidden": make_kpi("9999-0002", agency=personas.agency_a, projects=(hidden,)),
    }


@pytest.fixture
def scale(db: None) -> list[RatingLevel]:
    for code in ("2.1", "2.2"):
        EvaluationCriterion.objects.get_or_create(code=code, defaults={"order": 1})
    return [
        RatingLevel.objects.create(value=D(value), label_th=label, meaning=meaning)
        for value, label, meaning in (
            (0, "ไม่มีผลงาน", "ไม่ได้ดำเนินการ"),
            (50, "บางส่วน", "ดำเนินการได้บางส่วน"),
            (100, "ครบถ้วน", "ดำเนินการครบตามเป้าหมาย"),
        )
    ]


def status_of(client: Client, personas: Personas, role: str, url: str) -> str:
    user = personas.by_name()[role]
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    client.logout()
    if response.status_code == 302 and "login" in response["Location"]:
        return "L"
    return str(response.status_code)


# Who opens which entry form: L = sent to sign in, 403 = may see but not enter, 404 = hidden.
EXPECTED = {
    ("result", "published"): "L 403 200 403 403 403 403 403 403",
    ("result", "hidden"): "L 404 200 404 403 404 403 403 403",
    ("score", "published"): "L 403 403 403 403 403 200 403 403",
    ("score", "hidden"): "L 404 403 404 403 404 200 403 403",
    ("project", "published"): "L 403 403 403 403 403 200 403 403",
    ("project", "hidden"): "L 404 403 404 403 404 200 403 403",
}


@pytest.mark.parametrize(("form", "which"), sorted(EXPECTED))
def test_each_persona_may_open_exactly_the_entry_forms_of_their_role(
    client: Client, personas: Personas, world: dict[str, Kpi], form: str, which: str
) -> None:
    kpi = world[which]
    url = {
        "result": RESULT_URL.format(code=kpi.code),
        "score": SCORE_URL.format(code=kpi.code),
        "project": PROJECT_SCORE_URL.format(code=kpi.projects.get().code),
    }[form]
    got = " ".join(status_of(client, personas, role, url) for role in ROLES)
    assert got == EXPECTED[(form, which)]


def test_posting_an_entry_as_someone_else_changes_nothing(
    client: Client, personas: Personas, world: dict[str, Kpi], scale: list[RatingLevel]
) -> None:
    url = RESULT_URL.format(code="9999-0001")
    for role in ("officer_b", "approver_a", "evaluator"):
        client.force_login(getattr(personas, role))
        assert client.post(url, {"result": "50", "narrative": "x"}).status_code == 403
    client.force_login(personas.officer_a)
    post = {"criterion_1": "100", "criterion_2": "100"}
    assert client.post(SCORE_URL.format(code="9999-0001"), post).status_code == 403
    assert (
        client.post(PROJECT_SCORE_URL.format(code="99990000-0001"), {"score": "100"}).status_code
        == 403
    )
    assert not KpiResult.objects.exists() and not KpiScore.objects.exists()
    assert not ProjectEvaluation.objects.exists()


def test_an_officer_enters_a_result_with_its_narrative(
    client: Client, personas: Personas, world: dict[str, Kpi]
) -> None:
    client.force_login(personas.officer_a)
    response = client.post(
        RESULT_URL.format(code="9999-0001"),
        {"result": "35.5", "narrative": "สำรวจบริการสาธารณะแล้ว 12 รายการ จาก 34 รายการ"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/kpis/9999-0001/?fy=2563"
    row = KpiResult.objects.get(kpi=world["published"], quarter__number=1)
    assert row.result == D("35.5")
    assert row.narrative == "สำรวจบริการสาธารณะแล้ว 12 รายการ จาก 34 รายการ"
    history = row.history.get()
    assert history.history_user == personas.officer_a
    assert history.history_change_reason == "result_entered"
    text = html.unescape(client.get(response["Location"]).content.decode())
    assert "บันทึกผลงานไตรมาส 1 แล้ว" in text
    assert "สำรวจบริการสาธารณะแล้ว 12 รายการ" in text and "35.50" in text


def test_entering_again_updates_the_result_and_keeps_both_in_the_history(
    client: Client, personas: Personas, world: dict[str, Kpi]
) -> None:
    add_results(world["published"], {1: ("10", "รอบแรก")}, status="draft")
    client.force_login(personas.officer_a)
    url = RESULT_URL.format(code="9999-0001")
    form = client.get(url).content.decode()
    assert 'value="10.0000"' in form and "รอบแรก" in form
    client.post(url, {"result": "20", "narrative": "แก้ไขตามหลักฐาน"})
    row = KpiResult.objects.get()
    assert (row.result, row.narrative) == (D(20), "แก้ไขตามหลักฐาน")
    assert [h.history_user for h in row.history.order_by("history_date")] == [
        None,
        personas.officer_a,
    ]


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"result": "", "narrative": "มีรายงาน"}, "result", "กรุณากรอกผลงานของไตรมาสนี้"),
        ({"result": "abc", "narrative": "มีรายงาน"}, "result", "ใส่ตัวเลข เช่น 45.5"),
        ({"result": "-1", "narrative": "มีรายงาน"}, "result", "ผลงานต้องไม่ติดลบ"),
        ({"result": "1.12345", "narrative": "มีรายงาน"}, "result", "ใช้ทศนิยมไม่เกิน 4 ตำแหน่ง"),
        ({"result": "5", "narrative": "   "}, "narrative", "กรุณาอธิบายสิ่งที่ดำเนินการและวิธีวัดผลงาน"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(
    client: Client, personas: Personas, world: dict[str, Kpi], post, field, message
) -> None:
    client.force_login(personas.officer_a)
    response = client.post(RESULT_URL.format(code="9999-0001"), post)
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "ยังไม่ได้บันทึกข้อมูลใด ๆ" in text
    after_field = text[text.index(f'name="{field}"') :]
    assert message in after_field[: after_field.index("</div>")]
    assert not KpiResult.objects.exists()


def test_an_evaluator_scores_each_criterion_on_the_rating_scale(
    client: Client, personas: Personas, world: dict[str, Kpi], scale: list[RatingLevel]
) -> None:
    client.force_login(personas.evaluator)
    url = SCORE_URL.format(code="9999-0001")
    form = html.unescape(client.get(url).content.decode())
    assert "เกณฑ์ 2.1" in form and "50 บางส่วน — ดำเนินการได้บางส่วน" in form
    c21, c22 = EvaluationCriterion.objects.order_by("code")
    response = client.post(url, {f"criterion_{c21.pk}": "100.00", f"criterion_{c22.pk}": "50.00"})
    assert response.status_code == 302
    scores = {s.criterion.code: s.score for s in KpiScore.objects.select_related("criterion")}
    assert scores == {"2.1": D(100), "2.2": D(50)}
    assert KpiScore.history.filter(history_user=personas.evaluator).count() == 2


def test_a_score_off_the_scale_is_refused(
    client: Client, personas: Personas, world: dict[str, Kpi], scale: list[RatingLevel]
) -> None:
    client.force_login(personas.evaluator)
    c21, c22 = EvaluationCriterion.objects.order_by("code")
    response = client.post(
        SCORE_URL.format(code="9999-0001"), {f"criterion_{c21.pk}": "75", f"criterion_{c22.pk}": ""}
    )
    assert response.status_code == 200
    assert html.unescape(response.content.decode()).count("กรุณาเลือกระดับคะแนนตามเกณฑ์") == 2
    assert not KpiScore.objects.exists()
    with pytest.raises(ValidationError) as refused:
        actions.score_kpi(
            kpi=world["published"],
            quarter=Quarter.objects.get(fiscal_year=2563, number=1),
            scores={c21: D(75)},
            by=personas.evaluator,
        )
    assert refused.value.message_dict == {"2.1": ["กรุณาเลือกระดับคะแนนตามเกณฑ์"]}


def test_without_a_rating_scale_nothing_can_be_scored(
    client: Client, personas: Personas, world: dict[str, Kpi]
) -> None:
    client.force_login(personas.evaluator)
    response = client.post(PROJECT_SCORE_URL.format(code="99990000-0001"), {"score": "100"})
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    # The page says why, and offers no form to fill in vain.
    assert "ยังไม่ได้กำหนดเกณฑ์ระดับคะแนน จึงยังประเมินไม่ได้" in text
    assert "ขอให้ผู้ดูแลระบบกำหนดระดับคะแนน" in text and 'name="score"' not in text
    # An evaluator who is also a staff member is taken to where the levels are set.
    personas.evaluator.is_staff = True
    personas.evaluator.save()
    text = html.unescape(client.get(SCORE_URL.format(code="9999-0001")).content.decode())
    assert 'href="/admin/indicators/ratinglevel/"' in text
    with pytest.raises(ValidationError, match="ยังไม่ได้กำหนดเกณฑ์ระดับคะแนน"):
        actions.score_project(
            project=world["published"].projects.get(),
            quarter=Quarter.objects.get(fiscal_year=2563, number=1),
            score=D(100),
            by=personas.evaluator,
        )
    assert not ProjectEvaluation.objects.exists()


def test_an_evaluator_scores_a_project_for_a_quarter(
    client: Client, personas: Personas, world: dict[str, Kpi], scale: list[RatingLevel]
) -> None:
    client.force_login(personas.evaluator)
    page = html.unescape(client.get("/projects/99990000-0001/").content.decode())
    assert 'href="/evaluations/99990000-0001/q3/"' in page
    response = client.post(PROJECT_SCORE_URL.format(code="99990000-0001"), {"score": "50.00"})
    assert response["Location"] == "/projects/99990000-0001/"
    evaluation = ProjectEvaluation.objects.get()
    assert (evaluation.quarter.number, evaluation.score) == (1, D(50))
    assert evaluation.history.get().history_user == personas.evaluator
    assert "บันทึกผลการประเมินไตรมาส 1 แล้ว" in html.unescape(
        client.get(response["Location"]).content.decode()
    )


def test_the_kpi_page_offers_entry_to_officers_and_evaluators_only(
    client: Client, personas: Personas, world: dict[str, Kpi]
) -> None:
    result_link = 'href="/kpis/9999-0001/2563/q2/result/"'
    score_link = 'href="/kpis/9999-0001/2563/q2/scores/"'
    text = client.get("/kpis/9999-0001/").content.decode()
    assert result_link not in text and score_link not in text
    client.force_login(personas.officer_a)
    text = client.get("/kpis/9999-0001/").content.decode()
    assert result_link in text and score_link not in text
    client.force_login(personas.evaluator)
    text = client.get("/kpis/9999-0001/").content.decode()
    assert result_link not in text and score_link in text


# Closing a quarter


def close_url(number: int) -> str:
    return f"/quarters/2563/q{number}/close/"


def on(day: date) -> Any:
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def test_an_evaluator_closes_a_quarter_that_is_over(
    client: Client, personas: Personas, world: dict[str, Kpi]
) -> None:
    client.force_login(personas.evaluator)
    with on(date(2020, 1, 5)):
        assert "ปิดไตรมาสนี้" in html.unescape(client.get("/quarters/").content.decode())
        response = client.post(close_url(1))
    assert response["Location"] == "/quarters/"
    quarter = Quarter.objects.get(fiscal_year=2563, number=1)
    assert quarter.closed_at is not None
    closure = QuarterClosure.objects.get(quarter=quarter)
    assert closure.closed_by == personas.evaluator and closure.closed_at == quarter.closed_at
    assert closure.history.get().history_change_reason == "quarter_closed"
    text = html.unescape(client.get("/quarters/").content.decode())
    assert "ปิดไตรมาส 1 ของปีงบประมาณ 2563 แล้ว" in text and "evaluator" in text


def test_the_quarters_page_offers_to_close_only_the_quarters_that_are_over(
    client: Client, personas: Personas, world: dict[str, Kpi]
) -> None:
    client.force_login(personas.evaluator)
    with on(date(2020, 1, 5)):
        text = client.get("/quarters/").content.decode()
    assert f'action="{close_url(1)}"' in text
    assert f'action="{close_url(2)}"' not in text and f'action="{close_url(3)}"' not in text


def test_a_running_quarter_cannot_be_closed_nor_one_closed_twice(
    client: Client, personas: Personas, world: dict[str, Kpi]
) -> None:
    client.force_login(personas.evaluator)
    with on(date(2019, 12, 31)):
        client.post(close_url(1))
    text = html.unescape(client.get("/quarters/").content.decode())
    assert "ไตรมาส 1 สิ้นสุด 31 ธ.ค. 2562 จะปิดได้เมื่อไตรมาสสิ้นสุดแล้วเท่านั้น" in text
    assert not QuarterClosure.objects.exists()
    with on(date(2020, 1, 1)):
        client.post(close_url(1))
        client.post(close_url(1))
    text = html.unescape(client.get("/quarters/").content.decode())
    assert "ไตรมาส 1 ของปีงบประมาณ 2563 ปิดแล้ว" in text
    assert QuarterClosure.objects.count() == 1


@pytest.mark.parametrize(
    "role", ["no_role", "officer_a", "approver_a", "executive", "administrator"]
)
def test_only_evaluators_close_quarters(
    client: Client, personas: Personas, world: dict[str, Kpi], role: str
) -> None:
    client.force_login(getattr(personas, role))
    assert client.get("/quarters/").status_code == 403
    with on(date(2020, 6, 1)):
        assert client.post(close_url(1)).status_code == 403
    assert Quarter.objects.get(fiscal_year=2563, number=1).closed_at is None


def test_the_public_is_sent_to_sign_in_and_unknown_quarters_are_not_found(
    client: Client, personas: Personas, world: dict[str, Kpi]
) -> None:
    assert "/accounts/login/" in client.post(close_url(1))["Location"]
    client.force_login(personas.evaluator)
    assert client.post("/quarters/2563/q5/close/").status_code == 404
    assert client.post("/quarters/2490/q1/close/").status_code == 404
    assert client.get(close_url(1)).status_code == 405


@pytest.fixture
def closed_q1(world: dict[str, Kpi], personas: Personas, scale: list[RatingLevel]) -> Quarter:
    add_results(world["published"], {1: ("10", "ก่อนปิด")})
    quarter = Quarter.objects.get(fiscal_year=2563, number=1)
    actions.close_quarter(quarter=quarter, by=personas.evaluator, today=date(2020, 1, 2))
    quarter.refresh_from_db()
    return quarter


def test_a_closed_quarter_shows_it_is_locked_instead_of_a_form(
    client: Client, personas: Personas, closed_q1: Quarter
) -> None:
    client.force_login(personas.officer_a)
    text = html.unescape(client.get(RESULT_URL.format(code="9999-0001")).content.decode())
    assert "ไตรมาส 1 ของปีงบประมาณ 2563 ปิดแล้ว ผลงานและคะแนนของไตรมาสนี้ถูกล็อก" in text
    assert 'name="result"' not in text
    text = client.get("/kpis/9999-0001/").content.decode()
    assert 'href="/kpis/9999-0001/2563/q1/result/"' not in text
    assert 'href="/kpis/9999-0001/2563/q2/result/"' in text


def test_entries_of_a_closed_quarter_are_refused_with_a_clear_message(
    client: Client, personas: Personas, closed_q1: Quarter
) -> None:
    client.force_login(personas.officer_a)
    response = client.post(
        RESULT_URL.format(code="9999-0001"), {"result": "99", "narrative": "แก้หลังปิด"}
    )
    assert response.status_code == 200
    assert "ปิดแล้ว" in html.unescape(response.content.decode())
    assert KpiResult.objects.get().result == D(10)
    client.force_login(personas.evaluator)
    c21 = EvaluationCriterion.objects.get(code="2.1")
    client.post(SCORE_URL.format(code="9999-0001"), {f"criterion_{c21.pk}": "100"})
    client.post(PROJECT_SCORE_URL.format(code="99990000-0001"), {"score": "100"})
    assert not KpiScore.objects.exists() and not ProjectEvaluation.objects.exists()


def test_a_quarter_closed_while_the_form_was_open_refuses_the_save(
    personas: Personas, world: dict[str, Kpi]
) -> None:
    quarter = Quarter.objects.get(fiscal_year=2563, number=2)
    Quarter.objects.filter(pk=quarter.pk).update(closed_at="2020-04-01T00:00:00Z")
    with pytest.raises(ValidationError, match="ปิดแล้ว"):
        actions.enter_kpi_result(
            kpi=world["published"],
            quarter=quarter,
            result=D(1),
            narrative="x",
            by=personas.officer_a,
        )
    assert not KpiResult.objects.exists()
