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

from tidtam.lib.fiscal import clamp_date

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
    # Steps already over count in full: their weights add up exactly as decimals, and only
    # the steps under way need fractions (a standing refresh calls this thousands of times).
    done = Decimal(0)
    under_way = Fraction(0)
    for step in steps:
        start, end = _window(step)
        if on < start:
            continue
        if on >= end:
            done += step.weight
        else:
            under_way += Fraction(step.weight) * ((on - start).days + 1) / ((end - start).days + 1)
    return _to_percent(Fraction(done) + under_way)


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
        days.update((clamp_date(start, -1), end))
    return [(day, planned_percent(steps, day)) for day in sorted(days)]


def _window(step: StepWindow) -> tuple[date, date]:
    return min(step.start, step.end), step.end


def _to_percent(value: Fraction) -> Decimal:
    # Summing exact fractions and rounding once keeps a plan whose weights sum to 100 at
    # exactly 100.00 on its last day; rounding each step's share would drift by cents.
    clipped = min(max(value, Fraction(0)), HUNDRED)
    hundredths = int(clipped * 100 + Fraction(1, 2))  # half-up; clipped is non-negative
    return Decimal(hundredths).scaleb(-2)


def percent_of_target(quantity: Decimal, target: Decimal) -> Decimal:
    """Cumulative progress in percent of a project measured as a quantity: the quantity done
    of the target quantity, half-up to two places, at most 100. 750 of 1,000 trees is 75.00;
    1,050 of 1,000 is 100.00 (the work is done; the report keeps the quantity itself).

    The one computation of a percent from a quantity: the report action stores its result.
    """
    if target <= 0:
        raise ValueError("a target quantity is more than zero")
    return _to_percent(Fraction(quantity) * HUNDRED / Fraction(target))


def plan_start(steps: Sequence[StepWindow]) -> date | None:
    """The curve's origin: the day before the first step starts (planned progress 0)."""
    return clamp_date(min(_window(s)[0] for s in steps), -1) if steps else None


def plan_end(steps: Sequence[StepWindow]) -> date | None:
    return max(s.end for s in steps) if steps else None


def earned_date(steps: Sequence[StepWindow], percent: Decimal) -> date | None:
    """Earned schedule: the first day on which the plan reached `percent`.

    None when the plan never reaches it (an empty plan, or weights summing to less).
    """
    start, end = plan_start(steps), plan_end(steps)
    if start is None or end is None:
        return None
    if percent <= 0:
        return start
    if planned_percent(steps, end) < percent:
        return None
    # Planned progress never falls, so the first day at or above `percent` is found by halving.
    low, high = start, end
    while low < high:
        middle = low + (high - low) // 2
        if planned_percent(steps, middle) >= percent:
            high = middle
        else:
            low = middle + ONE_DAY
    return low


class Status:
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    CRITICAL = "critical"
    COMPLETED = "completed"
    NOT_REPORTED = "not_reported"


@dataclass(frozen=True)
class Thresholds:
    """Points behind plan at which a project counts as behind, and as critical."""

    behind: Decimal = Decimal(10)
    critical: Decimal = Decimal(25)


@dataclass(frozen=True)
class Assessment:
    status: str
    as_of: date
    planned: Decimal
    actual: Decimal | None = None
    reported_on: date | None = None
    # actual − planned on the report date, in percentage points (negative: behind)
    variance: Decimal | None = None
    earned_on: date | None = None
    # report date − earned date (positive: late, negative: ahead of plan)
    days_late: int | None = None
    # schedule performance index on time: earned duration / actual duration
    spi: Decimal | None = None
    forecast_finish: date | None = None


def assess(
    steps: Sequence[StepWindow],
    reports: Sequence[tuple[date, Decimal]],
    *,
    today: date,
    thresholds: Thresholds = Thresholds(),
) -> Assessment:
    """Where a project stands on `today`, from its plan and its cumulative reports."""
    dated = sorted((d, p) for d, p in reports if d <= today)
    if not dated:
        planned = planned_percent(steps, today)
        status = Status.NOT_STARTED if planned == 0 else Status.NOT_REPORTED
        return Assessment(status=status, as_of=today, planned=planned)
    reported_on, actual = dated[-1]
    planned = planned_percent(steps, reported_on)
    variance = actual - planned
    earned_on = earned_date(steps, actual)
    days_late = (reported_on - earned_on).days if earned_on else None
    start, end = plan_start(steps), plan_end(steps)
    spi = forecast = None
    if start is not None and end is not None and earned_on is not None:
        elapsed = (reported_on - start).days
        earned = (earned_on - start).days
        if elapsed > 0 and earned > 0:
            spi = (Decimal(earned) / Decimal(elapsed)).quantize(Decimal("0.01"))
            # A plan of years reported barely begun forecasts centuries: kept within the
            # calendar's bounds, it still reads as far too late.
            forecast = clamp_date(start, round((end - start).days * elapsed / earned))
    return Assessment(
        status=_status(actual, planned, reported_on, today, end, thresholds),
        as_of=today,
        planned=planned,
        actual=actual,
        reported_on=reported_on,
        variance=variance,
        earned_on=earned_on,
        days_late=days_late,
        spi=spi,
        forecast_finish=forecast,
    )


def _status(
    actual: Decimal,
    planned: Decimal,
    reported_on: date,
    today: date,
    end: date | None,
    thresholds: Thresholds,
) -> str:
    variance = actual - planned
    if actual >= 100:
        return Status.COMPLETED
    if _month(reported_on) < _month(today) and (end is None or today <= end):
        # Reports are monthly: a project still running with nothing this month is flagged first.
        return Status.NOT_REPORTED
    if variance <= -thresholds.critical:
        return Status.CRITICAL
    if variance <= -thresholds.behind:
        return Status.BEHIND
    if actual == 0 and planned == 0:
        return Status.NOT_STARTED
    return Status.ON_TRACK


def _month(day: date) -> tuple[int, int]:
    return day.year, day.month


class StepState:
    UPCOMING = "upcoming"
    IN_PROGRESS = "in_progress"
    DUE = "due"
    DONE = "done"
    LATE = "late"


# A step ending within this many days is due: the next monthly report should show it done.
DUE_WITHIN = timedelta(days=30)


def step_states(steps: Sequence[StepWindow], reported: Decimal | None, today: date) -> list[str]:
    """The state of each step on `today`, by the plan and the latest cumulative report.

    Reports give one cumulative percent for the whole project, so a step is done when the
    reported percent reaches the plan's cumulative weight at the step's end: the weights of
    every step ending no later than it, capped at 100. Nothing is done before anything is
    reported. A step not done is late once its end has passed, due when it ends within
    DUE_WITHIN, in progress once it has started, and upcoming before that.
    """
    ends = [_window(step)[1] for step in steps]
    states = []
    for step, end in zip(steps, ends, strict=True):
        needed = min(
            sum((s.weight for s, e in zip(steps, ends, strict=True) if e <= end), Decimal(0)),
            Decimal(100),
        )
        start = _window(step)[0]
        if reported is not None and reported > 0 and reported >= needed:
            states.append(StepState.DONE)
        elif end < today:
            states.append(StepState.LATE)
        elif today < start:
            states.append(StepState.UPCOMING)
        elif end - today <= DUE_WITHIN:
            states.append(StepState.DUE)
        else:
            states.append(StepState.IN_PROGRESS)
    return states
