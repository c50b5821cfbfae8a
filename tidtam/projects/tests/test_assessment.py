"""Earned schedule, variance, forecast and status from plain steps and reports."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tidtam.projects.schedule import (
    Status,
    StepWindow,
    Thresholds,
    assess,
    earned_date,
    planned_percent,
)

# Project 03000000-2457: seven zero-length steps.
SEED_2457 = [
    StepWindow(Decimal(w), date.fromisoformat(d), date.fromisoformat(d))
    for w, d in [
        (10, "2019-11-01"),
        (10, "2019-12-01"),
        (40, "2020-01-01"),
        (10, "2020-04-01"),
        (20, "2020-05-01"),
        (5, "2020-07-01"),
        (5, "2020-08-01"),
    ]
]
SEED_2457_REPORTS = [
    (date(2019, 10, 19), Decimal(1)),
    (date(2019, 11, 19), Decimal(3)),
    (date(2019, 12, 19), Decimal(5)),
    (date(2020, 1, 20), Decimal(10)),
    (date(2020, 2, 19), Decimal(30)),
]


def test_seed_2457_is_thirty_points_behind_and_critical_on_its_last_report() -> None:
    result = assess(SEED_2457, SEED_2457_REPORTS, today=date(2020, 2, 25))
    assert result.planned == Decimal("60.00")
    assert result.actual == Decimal(30)
    assert result.variance == Decimal(-30)
    assert result.status == Status.CRITICAL
    assert result.earned_on == date(2020, 1, 1)
    assert result.days_late == 49
    assert result.spi is not None and result.spi < 1
    assert result.forecast_finish is not None and result.forecast_finish > date(2020, 8, 1)


def test_seed_2457_stays_critical_when_read_years_later() -> None:
    assert assess(SEED_2457, SEED_2457_REPORTS, today=date(2026, 11, 20)).status == Status.CRITICAL


def test_a_running_project_without_a_report_this_month_is_flagged() -> None:
    result = assess(SEED_2457, SEED_2457_REPORTS, today=date(2020, 3, 10))
    assert result.status == Status.NOT_REPORTED


def test_thresholds_decide_between_on_track_behind_and_critical() -> None:
    reports = [(date(2020, 2, 19), Decimal(45))]
    assert assess(SEED_2457, reports, today=date(2020, 2, 20)).status == Status.BEHIND
    lenient = Thresholds(behind=Decimal(20), critical=Decimal(40))
    assert (
        assess(SEED_2457, reports, today=date(2020, 2, 20), thresholds=lenient).status
        == Status.ON_TRACK
    )


def test_a_project_at_one_hundred_percent_is_completed() -> None:
    result = assess(SEED_2457, [(date(2020, 8, 5), Decimal(100))], today=date(2020, 8, 6))
    assert result.status == Status.COMPLETED


def test_no_report_before_the_plan_starts_means_not_started() -> None:
    assert assess(SEED_2457, [], today=date(2019, 10, 15)).status == Status.NOT_STARTED
    assert assess(SEED_2457, [], today=date(2019, 12, 15)).status == Status.NOT_REPORTED


def test_reports_after_today_are_ignored() -> None:
    result = assess(SEED_2457, SEED_2457_REPORTS, today=date(2019, 12, 20))
    assert result.reported_on == date(2019, 12, 19)


def test_earned_date_of_an_empty_plan_or_an_unreached_percent_is_none() -> None:
    assert earned_date([], Decimal(10)) is None
    half = [StepWindow(Decimal(50), date(2020, 1, 1), date(2020, 1, 10))]
    assert earned_date(half, Decimal(60)) is None
    assert earned_date(half, Decimal(0)) == date(2019, 12, 31)


windows = st.builds(
    lambda start, length, weight: StepWindow(
        Decimal(weight),
        date(2019, 10, 1) + timedelta(days=start),
        date(2019, 10, 1) + timedelta(days=start + length),
    ),
    st.integers(0, 365),
    st.integers(0, 60),
    st.integers(0, 40),
)


@given(st.lists(windows, min_size=1, max_size=8), st.integers(1, 100))
def test_earned_date_is_the_first_day_the_plan_reaches_the_percent(
    steps: list[StepWindow], percent: int
) -> None:
    target = Decimal(percent)
    found = earned_date(steps, target)
    if found is None:
        assert planned_percent(steps, date(2021, 12, 31)) < target
    else:
        assert planned_percent(steps, found) >= target
        assert planned_percent(steps, found - timedelta(days=1)) < target
