"""The upload preview of a plan with problems, at 1280 px and 390 px, in Thai and English:
nothing scrolls sideways, axe finds no serious violation, touch targets are large enough.
Screenshots go to var/screenshots/plan-import-*.png."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tidtam.conftest import DESKTOP, PHONE, check_page, sign_in
from tidtam.planimport.layout import KPIS, PROJECTS, STEPS
from tidtam.planimport.tests.helpers import KPI, PROJECT, STEP_ROWS, YEAR, fill
from tidtam.planimport.workbook import write_xlsx
from tidtam.test import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_preview_shows_every_problem_on_a_laptop_and_a_phone(
    chromium: Any,
    live_server: Any,
    personas: Personas,
    tmp_path: Path,
    size: str,
    viewport: dict[str, int],
    lang: str,
) -> None:
    plan = tmp_path / "แผนปี.xlsx"
    plan.write_bytes(
        fill(
            write_xlsx(personas.agency_a, YEAR),
            {
                PROJECTS: [{**PROJECT, "budget": Decimal(-5), "owning_unit": "99980001"}],
                STEPS: [STEP_ROWS[0], {**STEP_ROWS[1], "weight": "sixty"}],
                KPIS: [{**KPI, "kpi_type": "strategy"}],
            },
        )
    )
    context = chromium.new_context(viewport=viewport, locale="th-TH")
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    sign_in(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/plans/import/")
    page.set_input_files("input[type=file]", str(plan))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("table.problems tbody tr").count() == 4
    check_page(page, f"plan-import-{size}-{lang}")
    context.close()
