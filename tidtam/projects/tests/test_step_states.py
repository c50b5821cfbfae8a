"""Each step's state on a date (upcoming, in progress, due, done or late), and the cheap
schedule status the dashboards use."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tidtam.projects.schedule import (
    StepState,
    StepWindow,
    step_states,
)


def step(weight: int, start: str, end: str) -> StepWindow:
    return StepWindow(Decimal(weight), date.fromisoformat(start), date.fromisoformat(end))


# Project 03000000-2457 (seed 000): seven zero-length steps; 30 % reported on 2020-02-19.
SEED_2457 = [
    step(10, "2019-11-01", "2019-11-01"),
    step(10, "2019-12-01", "2019-12-01"),
    step(40, "2020-01-01", "2020-01-01"),
    step(10, "2020-04-01", "2020-04-01"),
    step(20, "2020-05-01", "2020-05-01"),
    step(5, "2020-07-01", "2020-07-01"),
    step(5, "2020-08-01", "2020-08-01"),
]


def test_the_seed_project_has_two_steps_done_one_late_and_the_rest_upcoming():
    states = step_states(SEED_2457, Decimal(30), date(2020, 2, 19))
    assert states == [
        StepState.DONE,  # 10 % needed
        StepState.DONE,  # 20 % needed
        StepState.LATE,  # 60 % needed by 1 January, 30 % reported
        StepState.UPCOMING,
        StepState.UPCOMING,
        StepState.UPCOMING,
        StepState.UPCOMING,
    ]


def test_a_running_step_is_in_progress_then_due_in_its_last_month_then_late():
    plan = [step(50, "2020-01-01", "2020-04-30"), step(50, "2020-05-01", "2020-06-30")]
    assert step_states(plan, Decimal(10), date(2019, 12, 31))[0] == StepState.UPCOMING
    assert step_states(plan, Decimal(10), date(2020, 2, 1))[0] == StepState.IN_PROGRESS
    assert step_states(plan, Decimal(10), date(2020, 3, 31))[0] == StepState.DUE
    assert step_states(plan, Decimal(10), date(2020, 4, 30))[0] == StepState.DUE
    assert step_states(plan, Decimal(10), date(2020, 5, 1))[0] == StepState.LATE
    assert step_states(plan, Decimal(50), date(2020, 5, 1))[0] == StepState.DONE


def test_steps_ending_on_the_same_day_are_done_together():
    plan = [step(30, "2020-01-01", "2020-01-31"), step(30, "2019-12-01", "2020-01-31")]
    assert step_states(plan, Decimal(30), date(2020, 2, 1)) == [StepState.LATE] * 2
    assert step_states(plan, Decimal(60), date(2020, 2, 1)) == [StepState.DONE] * 2


def test_nothing_is_done_before_anything_is_reported():
    plan = [step(0, "2020-01-01", "2020-01-01"), step(100, "2020-01-02", "2020-02-01")]
    assert step_states(plan, None, date(2020, 3, 1)) == [StepState.LATE] * 2
    assert step_states(plan, Decimal(0), date(2020, 3, 1)) == [StepState.LATE] * 2
    assert step_states(plan, Decimal(1), date(2020, 3, 1)) == [StepState.DONE, StepState.LATE]


def test_an_empty_plan_has_no_states():
    assert step_states([], Decimal(50), date(2020, 1, 1)) == []


days = st.integers(min_value=0, max_value=400)
origin = date(2019, 10, 1)


@st.composite
def plans(draw):
    steps = []
    for _ in range(draw(st.integers(0, 8))):
        first = draw(days)
        length = draw(st.integers(0, 120))
        weight = draw(st.integers(0, 40))
        start = origin + timedelta(days=first)
        steps.append(StepWindow(Decimal(weight), start, start + timedelta(days=length)))
    return steps


percents = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2))


@given(plans(), percents, days)
def test_every_step_gets_one_known_state(plan, reported, day):
    states = step_states(plan, reported, origin + timedelta(days=day))
    assert len(states) == len(plan)
    assert set(states) <= {
        StepState.UPCOMING,
        StepState.IN_PROGRESS,
        StepState.DUE,
        StepState.DONE,
        StepState.LATE,
    }


@given(plans(), percents, days)
def test_dates_decide_every_state_but_done(plan, reported, day):
    today = origin + timedelta(days=day)
    for s, state in zip(plan, step_states(plan, reported, today), strict=True):
        if state == StepState.LATE:
            assert s.end < today
        elif state == StepState.UPCOMING:
            assert today < s.start
        elif state in (StepState.IN_PROGRESS, StepState.DUE):
            assert s.start <= today <= s.end


@given(plans(), percents, st.decimals(min_value=0, max_value=100, places=2), days)
def test_reporting_more_never_undoes_a_step(plan, reported, more, day):
    today = origin + timedelta(days=day)
    before = step_states(plan, reported, today)
    after = step_states(plan, (reported or Decimal(0)) + more, today)
    for old, new in zip(before, after, strict=True):
        if old == StepState.DONE:
            assert new == StepState.DONE


@given(plans(), percents, days)
def test_a_done_step_means_every_step_ending_earlier_is_done(plan, reported, day):
    states = step_states(plan, reported, origin + timedelta(days=day))
    for s, state in zip(plan, states, strict=True):
        if state == StepState.DONE:
            for other, other_state in zip(plan, states, strict=True):
                if other.end <= s.end:
                    assert other_state == StepState.DONE


@given(plans(), days)
def test_a_finished_project_has_every_step_done(plan, day):
    assert set(step_states(plan, Decimal(100), origin + timedelta(days=day))) <= {StepState.DONE}
