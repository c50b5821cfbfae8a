"""Planned progress of a project from the weighted steps of its operating plan.

Pure functions over plain values, so the project page, the dashboards, the API and the
benchmarks all compute the same number without touching the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

HUNDRED = Fraction(100)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class StepWindow:
    """One operating-plan step: its weight in percent and its first and last day, inclusive."""

    weight: Decimal
    start: date
    end: date


def planned_percent(steps: Sequence[StepWindow], on: date) -> Decimal:
    """Cumulative planned progress at the end of the day `on`, in percent to two places.

    Each step's weight is spread evenly over its days, counted inclusively, so a step that
    starts and ends on the same day counts in full on that day. A step whose end is before its
    start is treated as a zero-length step on its end date: the legacy data has such rows and
    the end date is the commitment the agency reported against; callers validate new plans.
    """
    total = sum((_step_share(step, on) for step in steps), Fraction(0))
    return _to_percent(total)


def planned_curve(steps: Sequence[StepWindow]) -> list[tuple[date, Decimal]]:
    """The vertices of the planned-progress curve, in date order.

    The curve is linear between consecutive vertices and constant before the first and after
    the last, so joining the vertices with straight lines draws it exactly, as long as the
    weights are non-negative and sum to at most 100 (otherwise clipping at 100 adds a kink
    between two vertices, which callers prevent by validating plans).
    """
    days: set[date] = set()
    for step in steps:
        start, end = _window(step)
        # The day before the start is where the step's ramp begins from its previous level.
        days.update((start - ONE_DAY, end))
    return [(day, planned_percent(steps, day)) for day in sorted(days)]


def _window(step: StepWindow) -> tuple[date, date]:
    return min(step.start, step.end), step.end


def _step_share(step: StepWindow, on: date) -> Fraction:
    start, end = _window(step)
    weight = Fraction(step.weight)
    if on < start:
        return Fraction(0)
    if on >= end:
        return weight
    return weight * ((on - start).days + 1) / ((end - start).days + 1)


def _to_percent(value: Fraction) -> Decimal:
    # Summing exact fractions and rounding once keeps a plan whose weights sum to 100 at
    # exactly 100.00 on its last day; rounding each step's share would drift by cents.
    clipped = min(max(value, Fraction(0)), HUNDRED)
    hundredths = int(clipped * 100 + Fraction(1, 2))  # half-up; clipped is non-negative
    return Decimal(hundredths).scaleb(-2)
