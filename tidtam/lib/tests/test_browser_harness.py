"""The checks every browser journey runs, tried on small pages made for them: each must fail on
what it is there to catch, and name it."""

from __future__ import annotations

from typing import Any

import pytest

from tidtam.conftest import (
    PHONE,
    assert_no_sideways_scroll,
    assert_touch_targets,
    check_accessibility,
)

pytestmark = pytest.mark.browser

HEAD = '<!doctype html><html lang="th"><head><title>ทดสอบ</title></head><body><main><h1>ทดสอบ</h1>'


def show(page: Any, body: str) -> None:
    page.set_viewport_size(PHONE)
    page.set_content(HEAD + body + "</main></body></html>")


def test_a_page_wider_than_the_phone_fails_and_names_what_sticks_out(page: Any) -> None:
    show(page, '<p id="wide" style="width: 600px">กว้างเกินจอ</p>')
    with pytest.raises(AssertionError, match=r"608 px wide in a 390 px viewport.*p#wide right=608"):
        assert_no_sideways_scroll(page)


def test_a_wide_table_scrolling_in_its_own_box_passes(page: Any) -> None:
    show(
        page,
        '<div role="region" aria-label="ตาราง" tabindex="0" style="overflow-x: auto">'
        '<table style="width: 900px"><tr><td>ก</td></tr></table></div>',
    )
    assert_no_sideways_scroll(page)
    check_accessibility(page)


def test_an_unlabelled_field_is_a_violation_naming_the_rule_and_the_field(page: Any) -> None:
    show(page, '<form><input id="weight" name="weight"></form>')
    with pytest.raises(AssertionError, match=r"label \(critical, 1 elements\).*#weight"):
        check_accessibility(page)


def test_a_small_button_on_a_phone_is_named(page: Any) -> None:
    show(page, '<button style="height: 30px">บันทึก</button>')
    with pytest.raises(AssertionError, match=r"button 'บันทึก' 30px"):
        assert_touch_targets(page)
