"""Browser journeys on a seed KPI: the officer reports a quarter, the evaluator scores it and
closes the quarter, and the officer finds it locked. Screenshots under var/screenshots."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tidtam.accounts.models import Role
from tidtam.conftest import check_page, sign_in
from tidtam.indicators.models import Kpi, KpiResult, KpiScore, RatingLevel
from tidtam.legacy.load import import_paths
from tidtam.projects.models import Quarter
from tidtam.test import SEED_CODES, make_member, seed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seed_kpi() -> Kpi:
    call_command("load_reference", stdout=StringIO())
    assert import_paths([seed_path(code) for code in SEED_CODES]).rejected == []
    kpi = Kpi.objects.get(code="0300-0760")
    Kpi.objects.filter(pk=kpi.pk).update(
        definition="บริการสาธารณะที่สำนักงานเขตให้บริการประชาชนโดยตรง",
        method="จำนวนบริการที่สำรวจแล้ว ÷ จำนวนบริการทั้งหมด × 100",
        data_source="สำนักงาน ก.ก.",
    )
    # The evaluator scores on the default scale of the reference data, as on a fresh install.
    assert RatingLevel.objects.filter(value__in=[50, 100]).count() == 2
    # The old site printed 0.00 for the quarters nobody reported; imported, those are approved
    # history. This journey is the year still running: only the first quarter is reported.
    KpiResult.objects.filter(kpi=kpi, quarter__number__gt=1).delete()
    make_member("officer_occ", Role.OFFICER, kpi.agency)
    make_member("approver_occ", Role.APPROVER, kpi.agency)
    make_member("evaluator_sp", Role.EVALUATOR)
    return kpi


def test_a_quarter_is_reported_scored_closed_and_then_locked(
    page: Any, live_server: Any, seed_kpi: Kpi
) -> None:
    base = live_server.url
    sign_in(page, base, "officer_occ")
    page.goto(f"{base}/kpis/0300-0760/")
    page.click("a[href='/kpis/0300-0760/2563/q2/result/']")
    page.fill("input[name=result]", "-5")
    page.fill("textarea[name=narrative]", "สำรวจบริการสาธารณะร่วมกับสำนักงานเขต 6 แห่ง")
    page.click("form.stacked button[type=submit]")
    assert "ผลงานต้องไม่ติดลบ" in page.inner_text("main")
    check_page(page, "kpi-result-refused")
    page.fill("input[name=result]", "35")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/kpis/0300-0760/?fy=2563")
    main = page.inner_text("main")
    assert "บันทึกผลงานไตรมาส 2 แล้ว" in main
    assert "สำรวจบริการสาธารณะร่วมกับสำนักงานเขต 6 แห่ง" in main
    assert KpiResult.objects.get(kpi=seed_kpi, quarter__number=2).result == Decimal(35)
    page.click("text=ส่งให้ตรวจ")
    assert "ส่งผลงานให้ผู้อนุมัติของหน่วยงานแล้ว" in page.inner_text("main")
    check_page(page, "kpi-result-submitted")

    page.click("header.site button[type=submit]")  # sign out
    sign_in(page, base, "approver_occ")
    page.goto(f"{base}/kpis/0300-0760/")
    page.click("form[action$='/q2/result/approve/'] button")
    assert "อนุมัติผลงานแล้ว" in page.inner_text("main")
    assert KpiResult.objects.get(kpi=seed_kpi, quarter__number=2).status == "approved"

    page.click("header.site button[type=submit]")
    sign_in(page, base, "evaluator_sp")
    page.goto(f"{base}/kpis/0300-0760/2563/q2/scores/")
    page.select_option("select >> nth=0", "100.00")
    page.select_option("select >> nth=1", "50.00")
    check_page(page, "kpi-score-form")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/kpis/0300-0760/?fy=2563")
    assert KpiScore.objects.filter(kpi=seed_kpi, quarter__number=2).count() == 2
    page.goto(f"{base}/quarters/")
    page.click("form[action='/quarters/2563/q2/close/'] button")
    assert "ปิดไตรมาส 2 ของปีงบประมาณ 2563 แล้ว" in page.inner_text("main")
    check_page(page, "quarters-closed")
    assert Quarter.objects.get(fiscal_year=2563, number=2).closed_at is not None

    page.click("header.site button[type=submit]")
    sign_in(page, base, "officer_occ")
    page.goto(f"{base}/kpis/0300-0760/2563/q2/result/")
    assert "ปิดแล้ว" in page.inner_text("main")
    assert page.locator("input[name=result]").count() == 0
    page.goto(f"{base}/kpis/0300-0760/")
    main = page.inner_text("main")
    assert "35.00" in main and "ล็อกแล้ว" in main
    check_page(page, "kpi-page")
