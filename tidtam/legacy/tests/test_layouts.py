"""Every layout of a real page that still holds one complete project reads as that project:
headings printed again before each item or twice in a row, sections in another order. Layouts
are generated from the seeds, the samples and a fixture of the other template; cut-off pages
and text that is not a project page are still rejected."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidtam.legacy.parse import (
    HEADING_REPEATED,
    LAYOUT_CODES,
    SECTIONS_REORDERED,
    LegacyPage,
    LegacyParseError,
    parse_page,
)
from tidtam.legacy.tests.conftest import FIXTURES, SAMPLES
from tidtam.legacy.tests.layouts import HEADINGS, Layout, facts, layouts, render, split
from tidtam.test import seed_path

SEED_CODES = ("03000000-2457", "21000000-3137")
SAMPLE_CODES = tuple(sorted(path.stem for path in SAMPLES.glob("*.txt")))


def _read_pages() -> dict[str, str]:
    """The seeds where they lie, the samples and the fixture of the other template."""
    pages = {code: seed_path(code).read_text(encoding="utf-8") for code in SEED_CODES}
    pages |= {code: (SAMPLES / f"{code}.txt").read_text(encoding="utf-8") for code in SAMPLE_CODES}
    pages["thai_month_dates"] = (FIXTURES / "thai_month_dates.txt").read_text(encoding="utf-8")
    return pages


PAGES = _read_pages()


def other_warnings(page: LegacyPage) -> list[tuple[str, str, str, str]]:
    return [
        (w.field, w.code, w.message, w.excerpt) for w in page.warnings if w.code not in LAYOUT_CODES
    ]


def layout_warnings(page: LegacyPage) -> set[tuple[str, str]]:
    return {(w.code, w.field) for w in page.warnings if w.code in LAYOUT_CODES}


# --- the pages as they are -------------------------------------------------------------------


@pytest.mark.parametrize("source", sorted(PAGES))
def test_every_real_page_is_in_the_usual_layout_and_carries_no_layout_warning(
    source: str,
) -> None:
    names = [section.name for section in split(PAGES[source]).sections]
    assert names == sorted(set(names), key=list(HEADINGS.values()).index)
    assert layout_warnings(parse_page(PAGES[source])) == set()


# --- layouts generated from them ---------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(layouts(PAGES))
def test_a_page_with_repeated_headings_or_moved_sections_reads_as_the_same_project(
    layout: Layout,
) -> None:
    original = parse_page(PAGES[layout.source])
    page = parse_page(layout.text)
    assert facts(page) == facts(original)
    assert other_warnings(page) == other_warnings(original)
    expected = {(HEADING_REPEATED, name) for name in layout.repeated}
    if layout.reordered:
        expected.add((SECTIONS_REORDERED, "sections"))
    assert layout_warnings(page) == expected
    lines = layout.text.split("\n")
    for warning in page.warnings:
        if warning.code in LAYOUT_CODES:
            # Each names a heading line of the page and quotes what it merged or moved.
            assert lines[warning.line - 1].strip() in HEADINGS
            assert warning.excerpt and len(warning.excerpt) <= 500
        if warning.code == HEADING_REPEATED:
            assert HEADINGS[lines[warning.line - 1].strip()] == warning.field
            assert str(warning.line) in warning.excerpt


@settings(max_examples=40, deadline=None)
@given(layouts(PAGES, keep_order=True))
def test_repeated_headings_in_the_usual_order_are_merged_without_a_reorder_warning(
    layout: Layout,
) -> None:
    page = parse_page(layout.text)
    assert facts(page) == facts(parse_page(PAGES[layout.source]))
    assert layout_warnings(page) == {(HEADING_REPEATED, name) for name in layout.repeated}


def test_a_heading_repeated_before_every_report_is_one_warning_naming_every_copy() -> None:
    page = split(PAGES["03000000-2457"])
    lines = list(page.header)
    for section in [*page.sections, page.closing]:
        lines += render(section, before_items=section.name == "reports", doubled=False, gap="")
    text = "\n".join(lines)
    parsed = parse_page(text)
    [warning] = [w for w in parsed.warnings if w.code in LAYOUT_CODES]
    copies = [no for no, line in enumerate(text.split("\n"), 1) if line == "ผลการดำเนินงาน"]
    assert len(copies) == len(parsed.reports) == 5
    assert (warning.field, warning.line) == ("reports", copies[1])
    assert warning.excerpt == "ผลการดำเนินงาน: " + ", ".join(map(str, copies))
    assert warning.message.startswith("This section's heading is printed more than once")


def test_sections_in_reverse_order_are_one_warning_listing_the_order_as_printed() -> None:
    page = split(PAGES["21000000-3137"])
    lines = list(page.header)
    for section in [*reversed(page.sections), page.closing]:
        lines += render(section, before_items=False, doubled=False, gap="")
    text = "\n".join(lines)
    [warning] = [w for w in parse_page(text).warnings if w.code in LAYOUT_CODES]
    assert warning.code == SECTIONS_REORDERED
    assert warning.line == text.split("\n").index(page.sections[-2].heading) + 1
    assert warning.excerpt.startswith("สนับสนุนตัวชี้วัดตามแผนฯ → แผนการดำเนินงานฯ → ")
    assert warning.excerpt.endswith("→ ** ผลการประเมินโครงการ (รายไตรมาส) **")


def test_a_heading_repeated_many_times_keeps_its_excerpt_short() -> None:
    text = PAGES["03000000-2457"]
    many = text.replace("\nผลการดำเนินงาน\n", "\nผลการดำเนินงาน\n" * 400)
    [warning] = [w for w in parse_page(many).warnings if w.code == HEADING_REPEATED]
    assert warning.excerpt.endswith(", …") and len(warning.excerpt) < 200
    assert facts(parse_page(many)) == facts(parse_page(text))


# --- what is still rejected ----------------------------------------------------------------------


def rejection(text: str) -> LegacyParseError:
    with pytest.raises(LegacyParseError) as raised:
        parse_page(text)
    return raised.value


@settings(max_examples=200, deadline=None)
@given(layouts(PAGES), st.floats(min_value=0, max_value=1, exclude_max=True))
def test_a_page_cut_before_its_closing_section_is_rejected_naming_its_last_line(
    layout: Layout, where: float
) -> None:
    text = layout.text[: int(where * layout.closing_at)]
    error = rejection(text)
    numbered = [no for no, line in enumerate(text.split("\n"), 1) if line.strip()]
    if not numbered:
        assert (error.field, error.line) == ("code", None)
    elif error.field == "code":
        assert error.line is not None and error.line <= numbered[-1]
    else:
        assert error.field in {"steps", "end"}
        assert error.line == numbered[-1] and str(numbered[-1]) in error.message


@settings(max_examples=40, deadline=None)
@given(layouts(PAGES))
def test_a_closing_heading_that_is_not_the_last_heading_means_the_page_was_cut(
    layout: Layout,
) -> None:
    page = split(PAGES[layout.source])
    cut = layout.text[: layout.closing_at]
    # The closing heading printed early, then the rest of the page lost.
    text = cut.replace(
        page.sections[0].heading, f"{page.closing.heading}\n{page.sections[0].heading}", 1
    )
    assert rejection(text).field == "end"


@settings(max_examples=60, deadline=None)
@given(layouts(PAGES), st.sampled_from(["title", "project line"]))
def test_the_sections_of_a_page_without_its_title_or_project_line_are_rejected(
    layout: Layout, missing: str
) -> None:
    lines = layout.text.split("\n")
    if missing == "title":
        text = "\n".join(lines[1:])
        first = next(no for no, line in enumerate(lines[1:], 1) if line.strip())
        assert (rejection(text).field, rejection(text).line) == ("code", first)
    else:
        code = re.compile(r".* : [0-9]{8}-[0-9]+\s*")
        text = "\n".join(line for line in lines if not code.fullmatch(line))
        error = rejection(text)
        assert error.field == "code" and "12345678-1234" in error.message


@settings(max_examples=100, deadline=None)
@given(st.text(), st.booleans())
def test_text_that_is_not_a_project_page_is_rejected(text: str, titled: bool) -> None:
    rejection(f"ความคืบหน้าโครงการ/กิจกรรม\n{text}" if titled else text)


def test_a_kpi_detail_page_with_its_headings_repeated_is_rejected(
    fixture_text: Callable[[str], str],
) -> None:
    text = fixture_text("not_a_project.txt")
    error = rejection(text.replace("ผลการดำเนินงานรายไตรมาส", "ผลการดำเนินงาน\nผลการดำเนินงาน"))
    assert (error.field, error.line) == ("code", 1)


def test_a_line_under_the_closing_heading_is_flagged_not_dropped() -> None:
    text = PAGES["50040000-0032"].rstrip("\n") + "\nไตรมาสที่ 1 : 100.0000\n"
    page = parse_page(text)
    [warning] = [w for w in page.warnings if w.field == "end"]
    assert (warning.code, warning.line, warning.excerpt) == (
        "unknown_line",
        len(text.rstrip("\n").split("\n")),
        "ไตรมาสที่ 1 : 100.0000",
    )
    assert facts(page) == facts(parse_page(PAGES["50040000-0032"]))
