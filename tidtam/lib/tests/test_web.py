from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

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


def test_a_number_no_column_holds_is_no_filter() -> None:
    assert int_or_none("9223372036854775807") == 2**63 - 1
    assert int_or_none("9223372036854775808") is None
    assert int_or_none("-99999999999999999999") is None
    assert int_or_none("9" * 5000) is None
