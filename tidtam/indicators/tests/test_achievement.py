from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidtam.indicators.achievement import (
    Direction,
    Mode,
    achieved_value,
    achievement,
    overshoot,
)

D = Decimal
values = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False)
quarter_results = st.dictionaries(st.integers(1, 4), st.one_of(st.none(), values), max_size=4)


def test_cumulative_results_achieve_the_latest_reported_quarter():
    assert achieved_value({1: D(20), 2: D(45), 3: None, 4: None}, Mode.CUMULATIVE) == D(45)


def test_per_quarter_counts_add_up():
    assert achieved_value({1: D(100), 2: D(300), 3: D(350)}, Mode.SUM) == D(750)


def test_per_quarter_rates_average_over_reported_quarters_only():
    assert achieved_value({1: D(80), 2: D(90), 3: None}, Mode.AVERAGE) == D("85.0000")
    assert achieved_value({1: D(1), 2: D(1), 3: D(2)}, Mode.AVERAGE) == D("1.3333")


def test_nothing_reported_achieves_nothing_rather_than_zero():
    for mode in (Mode.CUMULATIVE, Mode.SUM, Mode.AVERAGE):
        assert achieved_value({}, mode) is None
        assert achieved_value({1: None, 2: None}, mode) is None


def test_a_reported_zero_is_a_result():
    # Seed 21000000-3137: 20 in quarter 1, then 0.00 in each later quarter.
    assert achieved_value({1: D(20), 2: D(0), 3: D(0), 4: D(0)}, Mode.CUMULATIVE) == D(0)
    assert achieved_value({1: D(20), 2: D(0), 3: D(0), 4: D(0)}, Mode.SUM) == D(20)


def test_an_unknown_mode_is_an_error():
    with pytest.raises(ValueError, match="unknown accumulation mode"):
        achieved_value({1: D(1)}, "median")


@given(quarter_results)
def test_the_achievement_lies_between_the_smallest_and_largest_result_unless_summed(results):
    reported = [v for v in results.values() if v is not None]
    for mode in (Mode.CUMULATIVE, Mode.AVERAGE):
        value = achieved_value(results, mode)
        if reported:
            assert value is not None and min(reported) <= value <= max(reported)
        else:
            assert value is None
    total = achieved_value(results, Mode.SUM)
    assert total == (sum(reported, D(0)) if reported else None)


@given(quarter_results)
def test_the_order_quarters_are_given_in_does_not_matter(results):
    backwards = dict(reversed(list(results.items())))
    for mode in (Mode.CUMULATIVE, Mode.SUM, Mode.AVERAGE):
        assert achieved_value(results, mode) == achieved_value(backwards, mode)


def test_higher_is_better_compares_achieved_over_target():
    assert achievement(D(40), D(80), Direction.HIGHER).ratio == D("0.5000")
    assert achievement(D(40), D(80), Direction.HIGHER).met is False
    assert achievement(D("104.15"), D(100), Direction.HIGHER).met is True


def test_lower_is_better_compares_target_over_achieved():
    result = achievement(D(40), D(50), Direction.LOWER)
    assert result.ratio == D("1.2500") and result.met is True
    result = achievement(D(100), D(50), Direction.LOWER)
    assert result.ratio == D("0.5000") and result.met is False


def test_achieving_zero_of_a_lower_is_better_kpi_meets_the_target_without_a_ratio():
    assert achievement(D(0), D(10), Direction.LOWER) == achievement(D(0), D(0), Direction.LOWER)
    assert achievement(D(0), D(10), Direction.LOWER).met is True
    assert achievement(D(0), D(10), Direction.LOWER).ratio is None


def test_without_target_or_result_nothing_can_be_said():
    assert achievement(None, D(80), Direction.HIGHER).met is None
    assert achievement(D(80), None, Direction.HIGHER).ratio is None
    assert achievement(D(5), D(0), Direction.HIGHER).ratio is None


@given(values, st.decimals(min_value="0.01", max_value=10_000, places=2), values)
def test_more_is_never_worse_when_higher_is_better_and_never_better_when_lower(a, target, more):
    b = a + more
    higher_a, higher_b = (achievement(x, target, Direction.HIGHER) for x in (a, b))
    assert higher_a.met is not None and higher_b.met is not None
    assert higher_b.met >= higher_a.met
    assert higher_a.ratio is not None and higher_b.ratio is not None
    assert higher_b.ratio >= higher_a.ratio
    lower_a, lower_b = (achievement(x, target, Direction.LOWER) for x in (a, b))
    assert lower_a.met is not None and lower_b.met is not None
    assert lower_b.met <= lower_a.met


def test_a_result_many_times_the_target_is_an_overshoot_whichever_direction():
    assert overshoot(D(80), D(5), D(2)) is True  # target 5 levels, result 80: a unit error
    assert overshoot(D("104.15"), D(100), D(2)) is False
    assert overshoot(D(10), D(5), D(2)) is False  # exactly twice is not more than twice
    assert overshoot(D(80), D(0), D(2)) is False
    assert overshoot(None, D(5), D(2)) is False
