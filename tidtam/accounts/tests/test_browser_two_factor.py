from __future__ import annotations

import time
from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import TOTP

from tidtam.conftest import PHONE, check_page, sign_in
from tidtam.test import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(typed_key: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app given the key shown on the page would show."""
    key = typed_key.replace(" ", "")
    totp = TOTP(b32decode(key + "=" * (-len(key) % 8)))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_an_officer_turns_two_factor_on_and_signs_in_with_a_code(
    page: Any, live_server: Any, personas: Personas
) -> None:
    sign_in(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/accounts/two-factor/")
    check_page(page, "two-factor-off")
    page.click("a.button[href$='/two-factor/on/']")
    page.wait_for_load_state()
    assert page.locator(".qr-box svg.qr").is_visible()
    check_page(page, "two-factor-setup")
    page.set_viewport_size(PHONE)
    check_page(page, "two-factor-setup-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    key = page.inner_text("code.totp-key")
    page.fill("input[name=code]", code_for(key))
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("ul.backup-codes li").count() == 10
    check_page(page, "two-factor-backup-codes")

    page.click("header.site .account button[type=submit]")  # sign out
    page.wait_for_load_state()
    sign_in(page, live_server.url, "officer_a")
    assert page.url.endswith("/accounts/login/code/")
    check_page(page, "two-factor-code")
    page.set_viewport_size(PHONE)
    check_page(page, "two-factor-code-phone")
    page.fill("input[name=code]", code_for(key, steps_ahead=1))
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/accounts/two-factor/")
    assert "เปิดใช้การยืนยันตัวตนสองขั้นตอนอยู่" in page.inner_text("main")
    check_page(page, "two-factor-on-phone")
