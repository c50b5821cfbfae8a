"""Dates as people type them into a form and see them in it: the reader's era, one field."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django import forms
from django.utils import timezone, translation

from tidtam.lib.forms import DateField, DateTimeField
from tidtam.lib.thai import DateTypingError, format_datetime, parse_typed_date

FEB_19_2020 = date(2020, 2, 19)


@pytest.mark.parametrize(
    "typed",
    ["19/2/2563", "19/02/2563", " 19/2/2563 ", "19.2.2563", "19-2-2563", "๑๙/๒/๒๕๖๓", "2020-02-19"],
)
def test_a_thai_reader_types_buddhist_era_dates_or_iso(typed: str) -> None:
    assert parse_typed_date(typed, lang="th") == FEB_19_2020


@pytest.mark.parametrize("typed", ["19/2/2020", "19/02/2020", "2020-02-19", "2020-2-19"])
def test_an_english_reader_types_common_era_dates_or_iso(typed: str) -> None:
    assert parse_typed_date(typed, lang="en") == FEB_19_2020


@pytest.mark.parametrize(
    ("typed", "lang", "code", "year"),
    [
        # A Christian-era year typed in Thai is refused, never read as 1477 or shifted.
        ("19/2/2020", "th", "ce_year_in_thai", 2020),
        ("19/2/2563", "en", "be_year_in_english", 2563),
        # ISO is the Common Era: a Buddhist-Era year in it is a mistake in both languages.
        ("2563-02-19", "th", "be_year_in_iso", 2563),
        ("2563-02-19", "en", "be_year_in_iso", 2563),
        ("30/2/2563", "th", "invalid", None),
        ("19/2/63", "th", "invalid", None),
        ("19 ก.พ. 2563", "th", "invalid", None),
        ("2020-02-30", "en", "invalid", None),
        ("0019-02-19", "en", "invalid", None),
        ("", "th", "invalid", None),
    ],
)
def test_a_date_in_the_wrong_era_or_form_is_refused_with_the_reason(
    typed: str, lang: str, code: str, year: int | None
) -> None:
    with pytest.raises(DateTypingError) as refused:
        parse_typed_date(typed, lang=lang)
    assert (refused.value.code, refused.value.year) == (code, year)


def test_a_moment_is_written_with_its_day_in_the_readers_era_and_the_24_hour_time() -> None:
    moment = datetime(2020, 2, 19, 14, 5)
    assert format_datetime(moment, lang="th") == "19 ก.พ. 2563 14:05"
    assert format_datetime(moment, lang="en") == "19 Feb 2020 14:05"
    assert format_datetime(None) == ""


class _Form(forms.Form):
    day = DateField(label="day")


@pytest.mark.parametrize(
    ("lang", "shown", "placeholder"),
    [("th", "19/2/2563", "วว/ดด/ปปปป"), ("en", "19/2/2020", "dd/mm/yyyy")],
)
def test_the_date_field_shows_the_readers_era_in_a_numeric_text_input(
    lang: str, shown: str, placeholder: str
) -> None:
    with translation.override(lang):
        html = str(_Form(initial={"day": FEB_19_2020})["day"])
        help_text = str(_Form.base_fields["day"].help_text)
    assert 'type="text"' in html and 'type="date"' not in html
    assert 'inputmode="numeric"' in html
    assert f'value="{shown}"' in html
    assert f'placeholder="{placeholder}"' in html
    assert shown in help_text


def test_the_date_field_gives_back_what_was_typed_when_it_is_refused() -> None:
    with translation.override("th"):
        form = _Form({"day": "19/2/2020"})
        assert not form.is_valid()
        assert 'value="19/2/2020"' in str(form["day"])
        assert form.errors["day"] == ["ปี 2020 เป็นปี ค.ศ. กรุณากรอกปีเป็น พ.ศ. เช่น 19/2/2563"]


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        ("th", "2563-02-19", "ปี 2563 เป็นปี พ.ศ. กรุณากรอกวันที่เป็น วัน/เดือน/ปี เช่น 19/2/2563"),
        ("th", "31/4/2563", "กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 19/2/2563"),
        (
            "en",
            "19/2/2563",
            "2563 is a Buddhist-Era year: enter the Christian-era year, e.g. 19/2/2020.",
        ),
        ("en", "soon", "Enter the date as day/month/year, e.g. 19/2/2020."),
    ],
)
def test_the_date_field_says_what_to_type_in_the_readers_language(
    lang: str, typed: str, message: str
) -> None:
    with translation.override(lang):
        form = _Form({"day": typed})
        assert not form.is_valid()
        assert form.errors["day"] == [message]


def test_the_date_field_reads_a_thai_date_as_the_same_day_as_its_english_form() -> None:
    with translation.override("th"):
        thai = _Form({"day": "19/2/2563"})
        assert thai.is_valid()
    with translation.override("en"):
        english = _Form({"day": "19/2/2020"})
        assert english.is_valid()
    assert thai.cleaned_data["day"] == english.cleaned_data["day"] == FEB_19_2020


class _MomentForm(forms.Form):
    at = DateTimeField(label="at", required=False)


def test_a_moment_is_typed_as_a_buddhist_era_day_and_a_time_in_thai() -> None:
    moment = timezone.make_aware(datetime(2020, 2, 19, 14, 5))
    with translation.override("th"):
        html = str(_MomentForm(initial={"at": moment})["at"])
        typed = _MomentForm({"at_0": "19/2/2563", "at_1": "14:05"})
        assert typed.is_valid()
        refused = _MomentForm({"at_0": "19/2/2020", "at_1": "14:05"})
        assert not refused.is_valid()
    assert 'value="19/2/2563"' in html and 'value="14:05"' in html
    assert typed.cleaned_data["at"] == moment
    assert "ปี 2020 เป็นปี ค.ศ." in str(refused.errors)
