from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidtam.projects.schedule import StepWindow, planned_curve, planned_percent


def zero_length(day: str, weight: int) -> StepWindow:
    on = date.fromisoformat(day)
    return StepWindow(weight=Decimal(weight), start=on, end=on)


# Project 03000000-2457 (seed 000): seven steps, each starting and ending on the same day.
SEED_2457 = [
    zero_length("2019-11-01", 10),
    zero_length("2019-12-01", 10),
    zero_length("2020-01-01", 40),
    zero_length("2020-04-01", 10),
    zero_length("2020-05-01", 20),
    zero_length("2020-07-01", 5),
    zero_length("2020-08-01", 5),
]

OCTOBER_STEP = StepWindow(weight=Decimal(5), start=date(2019, 10, 1), end=date(2019, 10, 31))


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2019, 10, 31), Decimal("0.00")),
        (date(2019, 11, 1), Decimal("10.00")),
        (date(2019, 11, 30), Decimal("10.00")),
        (date(2020, 2, 19), Decimal("60.00")),
        (date(2020, 7, 31), Decimal("95.00")),
        (date(2020, 8, 1), Decimal("100.00")),
        (date(2020, 9, 30), Decimal("100.00")),
    ],
)
def test_seed_project_with_zero_length_steps_counts_each_in_full_on_its_day(on, expected):
    result = planned_percent(SEED_2457, on)
    assert result == expected
    assert result.as_tuple().exponent == -2


def test_a_month_long_step_spreads_its_weight_over_its_days_inclusively():
    assert planned_percent([OCTOBER_STEP], date(2019, 9, 30)) == Decimal("0.00")
    assert planned_percent([OCTOBER_STEP], date(2019, 10, 1)) == Decimal("0.16")
    assert planned_percent([OCTOBER_STEP], date(2019, 10, 16)) == Decimal("2.58")
    assert planned_percent([OCTOBER_STEP], date(2019, 10, 31)) == Decimal("5.00")
    assert planned_percent([OCTOBER_STEP], date(2020, 1, 1)) == Decimal("5.00")


def test_rounding_is_half_up_to_hundredths():
    # 1 of 8 days of a 1 % step is 0.125 %, exactly halfway between 0.12 and 0.13.
    step = StepWindow(weight=Decimal(1), start=date(2020, 1, 1), end=date(2020, 1, 8))
    assert planned_percent([step], date(2020, 1, 1)) == Decimal("0.13")


def test_empty_plan_is_zero_percent():
    assert planned_percent([], date(2020, 1, 1)) == Decimal("0.00")
    assert planned_curve([]) == []


def test_weights_over_one_hundred_are_clipped_at_one_hundred():
    steps = [zero_length("2020-01-01", 80), zero_length("2020-01-02", 80)]
    assert planned_percent(steps, date(2020, 1, 2)) == Decimal("100.00")


def test_step_ending_before_it_starts_counts_in_full_on_its_end_date():
    backwards = StepWindow(weight=Decimal(30), start=date(2020, 3, 1), end=date(2020, 2, 1))
    assert planned_percent([backwards], date(2020, 1, 31)) == Decimal("0.00")
    assert planned_percent([backwards], date(2020, 2, 1)) == Decimal("30.00")


def test_planned_curve_of_the_seed_project_steps_up_on_each_step_day():
    curve = planned_curve(SEED_2457)
    assert curve[:4] == [
        (date(2019, 10, 31), Decimal("0.00")),
        (date(2019, 11, 1), Decimal("10.00")),
        (date(2019, 11, 30), Decimal("10.00")),
        (date(2019, 12, 1), Decimal("20.00")),
    ]
    assert curve[-1] == (date(2020, 8, 1), Decimal("100.00"))
    assert len(curve) == 14


def test_planned_curve_of_one_step_is_its_ramp():
    assert planned_curve([OCTOBER_STEP]) == [
        (date(2019, 9, 30), Decimal("0.00")),
        (date(2019, 10, 31), Decimal("5.00")),
    ]


DAYS = st.dates(min_value=date(2019, 9, 1), max_value=date(2020, 10, 31))


@st.composite
def steps(draw: st.DrawFn, weights_sum_to_100: bool = False) -> list[StepWindow]:
    count = draw(st.integers(min_value=0 if not weights_sum_to_100 else 1, max_value=8))
    if weights_sum_to_100:
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=count - 1, max_size=count - 1)))
        weights = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    else:
        weights = draw(st.lists(st.integers(0, 60), min_size=count, max_size=count))
    windows = []
    for weight in weights:
        start = draw(DAYS)
        # Zero-length steps and overlapping steps are both common in real plans.
        length = draw(st.sampled_from([0, 0, 1, 30]) | st.integers(0, 200))
        windows.append(StepWindow(Decimal(weight), start, start + timedelta(days=length)))
    return windows


@given(plan=steps(), first=DAYS, second=DAYS)
def test_planned_percent_never_decreases_and_stays_within_0_and_100(plan, first, second):
    earlier, later = sorted((first, second))
    low, high = planned_percent(plan, earlier), planned_percent(plan, later)
    assert Decimal(0) <= low <= high <= Decimal(100)


@given(plan=steps(weights_sum_to_100=True))
def test_plan_whose_weights_sum_to_100_reaches_exactly_100_on_its_last_day(plan):
    last_day = max(step.end for step in plan)
    assert planned_percent(plan, last_day) == Decimal("100.00")
    assert planned_percent(plan, last_day + timedelta(days=365)) == Decimal("100.00")


@given(plan=steps(weights_sum_to_100=True), on=DAYS)
def test_planned_curve_agrees_with_planned_percent_between_its_vertices(plan, on):
    curve = planned_curve(plan)
    assert [day for day, _ in curve] == sorted({day for day, _ in curve})
    for day, percent in curve:
        assert planned_percent(plan, day) == percent
    before = [vertex for vertex in curve if vertex[0] <= on]
    after = [vertex for vertex in curve if vertex[0] > on]
    if not before:
        expected = Decimal("0.00")
    elif not after:
        expected = before[-1][1]
    else:
        # Linear between vertices; the vertices themselves are rounded, so allow a cent.
        (d0, p0), (d1, p1) = before[-1], after[0]
        expected = p0 + (p1 - p0) * (on - d0).days / (d1 - d0).days
    assert abs(planned_percent(plan, on) - expected) <= Decimal("0.01")
