from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from tidtam.lib.web import int_or_none, show_refusal


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
