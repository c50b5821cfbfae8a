"""The plan editor's weight total follows the weights as the officer types them."""

from __future__ import annotations

from typing import Any

import pytest

from tidtam.conftest import screenshot, sign_in
from tidtam.test import Personas, add_steps, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_weight_total_updates_as_the_officer_types(
    page: Any, live_server: Any, personas: Personas
) -> None:
    project = make_project(code="99990000-0500", name="โครงการปรับปรุงสวนสาธารณะ")
    add_steps(project, ("40", "2019-10-01", "2019-12-31"), ("60", "2020-01-01", "2020-03-31"))
    sign_in(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/projects/{project.code}/plan/")
    total = page.locator("#plan-total")
    assert total.inner_text() == "100.00"
    page.fill("input[name=step-1-weight]", "50")
    page.wait_for_function("() => document.getElementById('plan-total').textContent === '90.00'")
    assert "off" in (total.get_attribute("class") or "")
    page.fill("input[name=step-1-weight]", "")
    page.wait_for_function("() => document.getElementById('plan-total').textContent === '40.00'")
    # The rows redrawn by HTMX still update the total, also when the weights are typed
    # before the redraw has settled (htmx then puts the server's attributes back on the cell:
    # its settling is made long here, where it is 20 ms in use).
    page.evaluate("() => { htmx.config.defaultSettleDelay = 500; }")
    page.click("button[value=add]")
    page.wait_for_selector("input[name=step-2-weight]")
    page.fill("input[name=step-1-weight]", "30")
    page.fill("input[name=step-2-weight]", "30")
    page.wait_for_function("() => document.getElementById('plan-total').textContent === '100.00'")
    page.wait_for_function("() => !document.querySelector('.htmx-settling')")
    assert "off" not in (total.get_attribute("class") or "")
    screenshot(page, "project-plan-live-total")
