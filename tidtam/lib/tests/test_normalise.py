"""The one Thai normaliser: the same key for text that reads the same."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tidtam.lib.thai import (
    ZERO_WIDTH,
    fold_thai,
    normalise_thai,
    to_arabic_digits,
    to_thai_digits,
)

THAI = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)
TEXT = st.text(
    st.one_of(THAI, st.characters(codec="utf-8"), st.sampled_from([" ", "\n", *ZERO_WIDTH])),
    max_size=40,
)
TONES = st.sampled_from(["", "\u0e48", "\u0e49", "\u0e4a", "\u0e4b"])
BOUNDED = settings(max_examples=200, deadline=None)


@BOUNDED
@given(TEXT)
def test_normalising_twice_changes_nothing(text: str) -> None:
    assert normalise_thai(normalise_thai(text)) == normalise_thai(text)
    assert fold_thai(fold_thai(text)) == fold_thai(text)


@BOUNDED
@given(TEXT, TONES, TEXT)
def test_sara_am_typed_either_way_has_one_key(before: str, tone: str, after: str) -> None:
    composed = f"{before}น{tone}\u0e33{after}"
    typed = f"{before}น\u0e4d{tone}\u0e32{after}"
    assert normalise_thai(typed) == normalise_thai(composed)


@BOUNDED
@given(st.integers(min_value=0, max_value=10**12), TEXT)
def test_thai_and_arabic_digits_have_one_key(number: int, text: str) -> None:
    arabic = f"{text} {number}"
    assert normalise_thai(to_thai_digits(arabic)) == normalise_thai(to_arabic_digits(arabic))


@BOUNDED
@given(TEXT, st.lists(st.sampled_from(list(ZERO_WIDTH)), min_size=1, max_size=3), TEXT)
def test_zero_width_characters_are_invisible(before: str, invisible: list[str], after: str) -> None:
    assert normalise_thai(before + "".join(invisible) + after) == normalise_thai(before + after)


def test_the_key_folds_case_digits_and_spaces_but_the_display_form_keeps_them() -> None:
    text = " สํานักงาน\u200b  ABC ๑๐๑\n"
    assert normalise_thai(text) == "สำนักงาน abc 101"
    assert fold_thai(text) == "สำนักงาน ABC ๑๐๑"
