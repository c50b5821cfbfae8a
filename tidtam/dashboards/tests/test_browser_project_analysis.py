"""Screenshots of the seed project page: chart, status badge, step timeline and flags."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command

from tidtam.conftest import check_page, screenshot
from tidtam.legacy.load import import_paths
from tidtam.test import SEED_CODES, seed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_seed_project_page_shows_plan_against_actual_on_the_report_day(
    page: Any, live_server: Any
) -> None:
    call_command("load_reference", stdout=StringIO())
    assert import_paths([seed_path(code) for code in SEED_CODES]).rejected == []
    # The live server runs in this process: the page is drawn as on the latest report's day.
    with mock.patch("django.utils.timezone.localdate", return_value=date(2020, 2, 19)):
        page.goto(f"{live_server.url}/projects/03000000-2457/")
        main = page.inner_text("main")
        assert "ล่าช้ามาก" in main
        assert "ขั้นตอนการปฏิบัติงานของโครงการ" in main
        assert page.locator("svg line.today").count() == 1
        assert page.locator("ol.gantt li.step").count() == 7
        assert "ข้อมูลที่ขัดแย้งกัน 1 รายการ" in main
        check_page(page, "project-seed-analysis")
        page.locator("section.progress").screenshot(
            path=str(screenshot(page, "project-seed-analysis").with_name("progress-only.png"))
        )
        page.click("text=ข้อมูลที่ขัดแย้งกัน 1 รายการ")
        assert page.url.endswith("#flags-h")
        page.locator("section.flags").screenshot(
            path=str(screenshot(page, "project-seed-analysis").with_name("flags-only.png"))
        )
        page.locator("section.step-timeline").screenshot(
            path=str(screenshot(page, "project-seed-timeline").with_name("timeline-only.png"))
        )


def test_the_flags_page_counts_the_seed_contradictions_and_lists_them(
    page: Any, live_server: Any
) -> None:
    call_command("load_reference", stdout=StringIO())
    assert import_paths([seed_path(code) for code in SEED_CODES]).rejected == []
    with mock.patch("django.utils.timezone.localdate", return_value=date(2020, 3, 23)):
        page.goto(f"{live_server.url}/")
        page.click("header.site >> text=ข้อมูลขัดแย้ง")
        assert "2 จาก 2 โครงการ" in page.inner_text("main")
        page.click("text=ตัวชี้วัดมีผลงานเป็นศูนย์แต่ได้คะแนนเต็ม")
        rows = page.locator("table.list >> nth=1 >> tbody tr")
        assert rows.count() == 2
        assert "0300-0760" in page.inner_text("main") and "2100-1037" in page.inner_text("main")
        check_page(page, "flags-page")
