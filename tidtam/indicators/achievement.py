"""What a KPI achieved from its quarterly results, and how that compares with its target.

Pure functions over plain values: the KPI page, the dashboards and the contradiction flags
all derive the same figure without touching the database.

A KPI reports one value per quarter of the fiscal year. What those values mean is the KPI's
accumulation mode, and there are three:

- CUMULATIVE: each quarter's value already counts everything since 1 October (the legacy
  reports read "ตุลาคม–มีนาคม"), so the year's achievement is the latest reported quarter.
- SUM: each quarter's value counts that quarter alone (people trained, trees planted), so the
  year's achievement is the sum of the reported quarters.
- AVERAGE: each quarter's value is a rate measured over that quarter alone (a satisfaction
  percentage), so the year's achievement is the mean of the reported quarters.

A quarter is reported when it has a value; a missing value is not zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


class Mode:
    CUMULATIVE = "cumulative"
    SUM = "sum"
    AVERAGE = "average"


class Direction:
    HIGHER = "higher"
    LOWER = "lower"


FOUR_PLACES = Decimal("0.0001")


def achieved_value(results: Mapping[int, Decimal | None], mode: str) -> Decimal | None:
    """The year's achievement from {quarter number: value}; None when nothing is reported."""
    reported = [(q, v) for q, v in sorted(results.items()) if v is not None]
    if not reported:
        return None
    if mode == Mode.CUMULATIVE:
        return reported[-1][1]
    total = sum((v for _, v in reported), Decimal(0))
    if mode == Mode.SUM:
        return total
    if mode == Mode.AVERAGE:
        return (total / len(reported)).quantize(FOUR_PLACES)
    raise ValueError(f"unknown accumulation mode {mode!r}")


@dataclass(frozen=True)
class Achievement:
    # achieved against target, 1 = exactly on target; None when it cannot be expressed
    ratio: Decimal | None
    met: bool | None  # None when there is no target or nothing achieved yet


def achievement(achieved: Decimal | None, target: Decimal | None, direction: str) -> Achievement:
    """How the achieved value stands against the target, respecting the KPI's direction.

    Higher is better: ratio = achieved / target. Lower is better (complaints, days to
    process): ratio = target / achieved, so above 1 is better than the target in both
    directions; achieving zero of a lower-is-better KPI meets any target but has no ratio.
    """
    if achieved is None or target is None:
        return Achievement(ratio=None, met=None)
    if direction == Direction.HIGHER:
        met = achieved >= target
        ratio = achieved / target if target > 0 else None
    elif direction == Direction.LOWER:
        met = achieved <= target
        ratio = target / achieved if achieved > 0 else None
    else:
        raise ValueError(f"unknown direction {direction!r}")
    return Achievement(ratio=ratio.quantize(FOUR_PLACES) if ratio is not None else None, met=met)


def overshoot(value: Decimal | None, target: Decimal | None, factor: Decimal) -> bool:
    """A value larger than `factor` times a positive target: most likely a unit error
    (a result of 80 against a target of 5 levels), whichever direction is better."""
    if value is None or target is None or target <= 0:
        return False
    return value > target * factor
