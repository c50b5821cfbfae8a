from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tidtam.lib.fiscal import (
    fiscal_months,
    fiscal_year_bounds,
    fiscal_year_choices,
    fiscal_year_label,
    fiscal_year_of,
    quarter_bounds,
    quarter_of,
)


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (date(2019, 9, 30), 2562),
        (date(2019, 10, 1), 2563),
        (date(2019, 12, 31), 2563),
        (date(2020, 1, 1), 2563),
        (date(2020, 2, 29), 2563),
        (date(2020, 9, 30), 2563),
        (date(2020, 10, 1), 2564),
    ],
)
def test_fiscal_year_is_named_by_the_be_year_it_ends_in(day, fiscal_year):
    assert fiscal_year_of(day) == fiscal_year


def test_fiscal_year_2563_runs_from_october_2019_to_september_2020():
    assert fiscal_year_bounds(2563) == (date(2019, 10, 1), date(2020, 9, 30))


def test_consecutive_fiscal_years_meet_without_gap_or_overlap():
    _, last_day = fiscal_year_bounds(2563)
    first_day, _ = fiscal_year_bounds(2564)
    assert first_day - last_day == timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2019, 9, 30), (2562, 4)),
        (date(2019, 10, 1), (2563, 1)),
        (date(2019, 12, 31), (2563, 1)),
        (date(2020, 1, 1), (2563, 2)),
        (date(2020, 2, 29), (2563, 2)),
        (date(2020, 3, 31), (2563, 2)),
        (date(2020, 4, 1), (2563, 3)),
        (date(2020, 6, 30), (2563, 3)),
        (date(2020, 7, 1), (2563, 4)),
        (date(2020, 9, 30), (2563, 4)),
        (date(2020, 10, 1), (2564, 1)),
    ],
)
def test_quarter_of_a_date_at_every_quarter_edge(day, expected):
    assert quarter_of(day) == expected


@pytest.mark.parametrize(
    ("quarter", "first_day", "last_day"),
    [
        (1, date(2019, 10, 1), date(2019, 12, 31)),
        (2, date(2020, 1, 1), date(2020, 3, 31)),
        (3, date(2020, 4, 1), date(2020, 6, 30)),
        (4, date(2020, 7, 1), date(2020, 9, 30)),
    ],
)
def test_quarter_bounds_of_fiscal_year_2563(quarter, first_day, last_day):
    assert quarter_bounds(2563, quarter) == (first_day, last_day)


def test_second_quarter_ends_on_the_last_day_of_march_in_leap_and_common_years():
    assert quarter_bounds(2563, 2)[1] == date(2020, 3, 31)
    assert quarter_bounds(2564, 2)[1] == date(2021, 3, 31)


def test_leap_fiscal_year_has_366_days_and_common_one_365():
    first_day, last_day = fiscal_year_bounds(2563)
    assert (last_day - first_day).days + 1 == 366
    first_day, last_day = fiscal_year_bounds(2564)
    assert (last_day - first_day).days + 1 == 365


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_quarter_bounds_rejects_a_quarter_outside_one_to_four(quarter):
    with pytest.raises(ValueError):
        quarter_bounds(2563, quarter)


def test_fiscal_months_run_from_october_to_september():
    months = fiscal_months(2563)
    assert months[0] == date(2019, 10, 1)
    assert months[2] == date(2019, 12, 1)
    assert months[3] == date(2020, 1, 1)
    assert months[-1] == date(2020, 9, 1)
    assert len(months) == 12
    assert [m.month for m in months] == [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]


DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31))


@given(day=DATES)
def test_every_date_lies_within_its_fiscal_year_and_quarter(day):
    fiscal_year = fiscal_year_of(day)
    first_day, last_day = fiscal_year_bounds(fiscal_year)
    assert first_day <= day <= last_day
    fy, quarter = quarter_of(day)
    assert fy == fiscal_year
    first_day, last_day = quarter_bounds(fy, quarter)
    assert first_day <= day <= last_day
    assert date(day.year, day.month, 1) in fiscal_months(fy)


@given(fiscal_year=st.integers(min_value=2500, max_value=2700))
def test_quarters_tile_the_fiscal_year(fiscal_year):
    first_day, last_day = fiscal_year_bounds(fiscal_year)
    bounds = [quarter_bounds(fiscal_year, q) for q in (1, 2, 3, 4)]
    assert bounds[0][0] == first_day
    assert bounds[-1][1] == last_day
    for (_, end), (next_start, _) in itertools.pairwise(bounds):
        assert next_start - end == timedelta(days=1)


@pytest.mark.parametrize(("lang", "label"), [("th", "2570"), ("en", "2027")])
def test_a_fiscal_year_is_named_by_its_be_year_in_thai_and_the_ce_year_it_ends_in_english(
    lang: str, label: str
) -> None:
    assert fiscal_year_label(2570, lang) == label
    # The English name is the calendar year of the fiscal year's last day.
    assert fiscal_year_label(2570, "en") == str(fiscal_year_bounds(2570)[1].year)


def test_a_fiscal_year_is_named_in_the_active_language_when_none_is_given() -> None:
    with translation.override("en"):
        assert fiscal_year_label(2563) == "2020"
    with translation.override("th"):
        assert fiscal_year_label(2563) == "2563"


def test_a_forms_fiscal_years_keep_their_be_number_and_name_the_ce_year_in_english() -> None:
    with translation.override("th"):
        assert fiscal_year_choices([2569, 2570]) == [(2569, "2569"), (2570, "2570")]
    with translation.override("en"):
        assert fiscal_year_choices([2569, 2570]) == [(2569, "2569 (2026)"), (2570, "2570 (2027)")]
