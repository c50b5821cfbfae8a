from __future__ import annotations

from typing import Any

import pytest

from tidtam.conftest import check_page, sign_in
from tidtam.test import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_signs_in_and_sees_their_roles(
    page: Any, live_server: Any, personas: Personas
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    check_page(page, "sign-in")
    sign_in(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/me/")
    text = page.inner_text("main")
    assert "เจ้าหน้าที่หน่วยงาน" in text and "สำนักทดสอบเอ" in text
    check_page(page, "my-work-officer")
