from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from tidtam.lib.thai import (
    LEADING_VOWELS,
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    be_year,
    ce_year,
    format_date,
    format_quantity,
    is_mark,
    normalise_thai,
    text_damage,
    to_arabic_digits,
    to_thai_digits,
    truncate,
)

# Damaged strategic-plan lines exactly as they appear in the seed pages.
SEED_CUT_AT_BYTE_LIMIT = "ส่งเสริมการกระจายอำนาจที่จำเป็นและให้อำานาจในการกำหนดนโ%"
SEED_QUESTION_MARK = "ส่งเสริมกรุงเทพมหานครในการท?ากิจการสาธารณ"


def test_thai_digits_round_trip_through_arabic_digits():
    assert to_thai_digits("๕.๓.1.2") == "๕.๓.๑.๒"
    assert to_thai_digits(2563) == "๒๕๖๓"
    assert to_arabic_digits("ด้านที่ ๕.๓.๑.๒") == "ด้านที่ 5.3.1.2"
    assert to_arabic_digits(to_thai_digits("0123456789")) == "0123456789"


def test_buddhist_era_is_common_era_plus_543():
    assert be_year(2020) == 2563
    assert ce_year(2563) == 2020


def test_month_names_cover_the_year_in_order():
    assert len(THAI_MONTHS) == len(THAI_MONTHS_ABBR) == 12
    assert THAI_MONTHS[0] == "มกราคม"
    assert THAI_MONTHS[11] == "ธันวาคม"
    assert THAI_MONTHS_ABBR[1] == "ก.พ."
    assert THAI_MONTHS_ABBR[9] == "ต.ค."


@pytest.mark.parametrize(
    ("style", "lang", "expected"),
    [
        ("medium", "th", "19 ก.พ. 2563"),
        ("long", "th", "19 กุมภาพันธ์ 2563"),
        ("short", "th", "19/2/2563"),
        ("month", "th", "ก.พ. 2563"),
        ("medium", "en", "19 Feb 2020"),
        ("long", "en", "19 February 2020"),
        ("short", "en", "19/2/2020"),
        ("month", "en", "Feb 2020"),
    ],
)
def test_format_date_in_each_style_and_language(style, lang, expected):
    assert format_date(date(2020, 2, 19), style=style, lang=lang) == expected


def test_format_date_defaults_to_thai_medium():
    assert format_date(date(2019, 10, 1)) == "1 ต.ค. 2562"


def test_format_date_of_nothing_is_empty():
    assert format_date(None) == ""


def test_format_date_rejects_unknown_style_and_language():
    with pytest.raises(ValueError):
        format_date(date(2020, 2, 19), style="iso")
    with pytest.raises(ValueError):
        format_date(date(2020, 2, 19), lang="fr")


def test_normalise_thai_composes_sara_am_typed_as_nikhahit_and_sara_aa():
    # The seed's agency name is written "สํานัก" (U+0E4D U+0E32) rather than "สำนัก".
    assert normalise_thai("สํานักงาน") == "สำนักงาน"


def test_normalise_thai_composes_sara_am_with_a_tone_mark_typed_in_between():
    assert normalise_thai("น\u0e4d\u0e49\u0e32") == "น\u0e49\u0e33"


def test_normalise_thai_collapses_whitespace_and_strips():
    assert normalise_thai("  กรุงเทพ\n\t มหานคร  ") == "กรุงเทพ มหานคร"


def test_normalise_thai_applies_nfc():
    assert normalise_thai("e\u0301") == "\u00e9"


def test_short_text_is_not_truncated():
    assert truncate("กรุงเทพ", 7) == "กรุงเทพ"
    assert truncate("กรุงเทพ", 20) == "กรุงเทพ"


def test_truncate_keeps_within_the_limit_including_the_ellipsis():
    assert truncate("abcdefghij", 5) == "abcd…"
    assert truncate("abcdefghij", 5, ellipsis="...") == "ab..."


def test_truncate_never_separates_a_tone_mark_from_its_consonant():
    # "ที่" is ท + SARA II + MAI EK: any cut inside it would strand a mark.
    assert truncate("ที่ทำการ", 3) == "…"
    assert truncate("ที่ทำการ", 4) == "ที่…"
    assert truncate("ก่อนหน้า", 2) == "…"


def test_truncate_never_splits_sara_am_from_its_consonant():
    assert truncate("กำหนด", 2) == "…"
    assert truncate("ทำงานหนัก", 3) == "ทำ…"


def test_truncate_never_ends_on_a_leading_vowel():
    # Cutting "เมือง" after "เ" would leave a vowel whose consonant was cut off.
    assert truncate("ในเมือง", 4) == "ใน…"


def test_truncate_prefers_a_space_near_the_end():
    assert truncate("การประชุม คณะทำงาน", 12) == "การประชุม…"


def test_truncate_cuts_inside_a_word_when_the_space_is_too_far_back():
    assert truncate("ก ขคงจฉชซฌญฎฏ", 10) == "ก ขคงจฉชซ…"


def test_truncate_refuses_a_limit_too_small_for_the_ellipsis():
    with pytest.raises(ValueError):
        truncate("abcdef", 2, ellipsis="...")


THAI_TEXT = st.text(
    alphabet=st.sampled_from(
        [chr(c) for c in range(0x0E01, 0x0E3B)] + [chr(c) for c in range(0x0E40, 0x0E4F)] + [" "]
    ),
    max_size=60,
)


@given(text=THAI_TEXT | st.text(max_size=60), limit=st.integers(min_value=1, max_value=70))
def test_truncate_always_returns_a_safe_prefix_within_the_limit(text, limit):
    result = truncate(text, limit)
    assert len(result) <= limit
    if result == text:
        return
    assert result.endswith("…")
    body = result[: -len("…")]
    assert text.startswith(body)
    if body:
        assert not is_mark(text[len(body)])
        assert body[-1] not in LEADING_VOWELS


def test_is_mark_covers_thai_marks_and_other_combining_characters():
    for mark in "\u0e31\u0e34\u0e37\u0e3a\u0e47\u0e48\u0e4b\u0e4e\u0e33\u0301":
        assert is_mark(mark), hex(ord(mark))
    for letter in "กเา ๕a":
        assert not is_mark(letter), hex(ord(letter))
    assert all(
        is_mark(chr(c)) for c in range(0x0300, 0x0370) if unicodedata.category(chr(c)) == "Mn"
    )


def test_text_damage_finds_a_field_cut_at_the_byte_limit():
    assert "trailing_percent" in text_damage(SEED_CUT_AT_BYTE_LIMIT)


def test_text_damage_finds_sara_am_written_twice():
    assert "sara_am_split" in text_damage(SEED_CUT_AT_BYTE_LIMIT)


def test_text_damage_finds_a_question_mark_inside_a_word():
    assert text_damage(SEED_QUESTION_MARK) == ["question_mark_in_word"]


def test_text_damage_reports_every_kind_found():
    assert text_damage("ท?ากำาหนดนโ%") == [
        "trailing_percent",
        "question_mark_in_word",
        "sara_am_split",
    ]


@pytest.mark.parametrize(
    "clean",
    [
        "ส่งเสริมการกระจายอำนาจ",
        "ร้อยละ 10%",
        "ร้อยละ ๕%",
        ":10%",
        "ทำไม?",
        "ทำไม? ใคร",
        "",
    ],
)
def test_text_damage_leaves_sound_text_alone(clean):
    assert text_damage(clean) == []


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("750", "750"),
        ("1000.00", "1,000"),
        ("12.5", "12.50"),
        ("1234.567", "1,234.57"),
        ("0", "0"),
    ],
)
def test_a_quantity_shows_decimals_only_when_it_has_a_fraction(amount: str, shown: str) -> None:
    assert format_quantity(Decimal(amount)) == shown


@pytest.mark.parametrize(
    "value",
    [
        date(2020, 2, 19),
        # 01:00 in Bangkok on the 19th is 18:00 UTC on the 18th: the local day is meant.
        datetime(2020, 2, 18, 18, 0, tzinfo=UTC),
    ],
)
def test_iso_date_gives_the_local_day_as_the_date_filter_does(value: date) -> None:
    template = Template("{{ value|iso_date }}|{{ value|date:'Y-m-d' }}|{{ nothing|iso_date }}")
    with timezone.override("Asia/Bangkok"):
        assert (
            template.render(Context({"value": value, "nothing": None})) == "2020-02-19|2020-02-19|"
        )


@pytest.mark.parametrize(("lang", "text"), [("th", "2563|2563|"), ("en", "2020|2020|")])
def test_the_fiscal_year_filter_names_the_year_in_the_readers_language(
    lang: str, text: str
) -> None:
    template = Template("{{ year|fiscal_year }}|{{ typed|fiscal_year }}|{{ every|fiscal_year }}")
    with translation.override(lang):
        assert template.render(Context({"year": 2563, "typed": "2563", "every": None})) == text
