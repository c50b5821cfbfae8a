from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory

from tidtam.lib.web import client_address, int_or_none, show_refusal


class NameForm(forms.Form):
    name = forms.CharField()


def test_query_numbers_are_read_and_anything_else_means_no_filter() -> None:
    assert [int_or_none(v) for v in ("2563", "", None, "abc", "25 63")] == [
        2563,
        None,
        None,
        None,
        None,
    ]


def test_a_refusal_lands_next_to_its_field_or_above_the_form() -> None:
    form = NameForm({"name": "x"})
    assert form.is_valid()
    show_refusal(form, ValidationError({"name": "ชื่อซ้ำ", "elsewhere": "ไม่มีช่องนี้"}))
    show_refusal(form, ValidationError("มีผู้อื่นบันทึกแล้ว"))
    assert form.errors["name"] == ["ชื่อซ้ำ"]
    assert form.non_field_errors() == ["ไม่มีช่องนี้", "มีผู้อื่นบันทึกแล้ว"]


def test_the_client_address_trusts_only_the_proxies_in_front(settings: Any) -> None:
    factory = RequestFactory()
    spoofed = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.PROXY_COUNT = 0
    assert client_address(spoofed) == "10.0.0.1"
    settings.PROXY_COUNT = 1
    assert client_address(spoofed) == "203.0.113.9"
    settings.PROXY_COUNT = 2
    assert client_address(spoofed) == "6.6.6.6"
    direct = factory.get("/", REMOTE_ADDR="10.0.0.1")
    assert client_address(direct) == "10.0.0.1"


def test_numbers_are_read_in_arabic_or_thai_digits_within_their_range() -> None:
    assert int_or_none("๒๕๖๓") == 2563
    assert int_or_none(" 7 ") == 7
    for other in ("²", "٣", "１", "1e3", "99999999999999999999", "2147483648", "-1", "9" * 5000):
        assert int_or_none(other) is None, other
    assert int_or_none("-1", low=-1) == -1
    assert int_or_none("5", low=1, high=4) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/projects/%00/", "/projects/?agency=%00", "/search/?q=a%00b", "/?x%00=1"]
)
def test_a_nul_character_is_refused_before_any_view_reads_it(client: Client, path: str) -> None:
    assert client.get(path).status_code == 400
    signing_in = client.post("/accounts/login/", {"username": "a\x00", "password": "x"})
    assert signing_in.status_code == 400
