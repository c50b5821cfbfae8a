"""The step timeline ("ขั้นตอนการปฏิบัติงานของโครงการ"): each step's window on a shared axis.

Pure layout over plain values. The page draws it with HTML and CSS positions (no script), so
the step texts stay selectable, wrap, and shape Thai as any other text does; the positions are
class names of a static style sheet (lib/positions.py), as the Content-Security-Policy allows
no style attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from tidtam.lib.fiscal import clamp_date
from tidtam.lib.positions import position
from tidtam.lib.thai import ENGLISH_MONTHS_ABBR, THAI_MONTHS_ABBR, be_year
from tidtam.projects.schedule import StepState, StepWindow, step_states

# A zero-length step still gets a visible mark, as wide as this share of the axis (percent).
MIN_BAR = 0.8
MAX_MONTH_LABELS = 12

STATE_LABELS = {
    StepState.UPCOMING: _("Upcoming"),
    StepState.IN_PROGRESS: _("In progress"),
    StepState.DUE: _("Due within a month"),
    StepState.DONE: _("Done"),
    StepState.LATE: _("Late"),
}


@dataclass(frozen=True)
class TimelineStep:
    order: int
    text: str
    weight: Decimal
    start: date
    end: date
    state: str
    left: float  # percent of the axis
    width: float

    @property
    def position(self) -> str:
        return position(left=self.left, width=self.width)

    @property
    def milestone(self) -> bool:
        """A zero-length step: drawn as a mark on its day rather than as a bar."""
        return self.start == self.end

    @property
    def centre_position(self) -> str:
        return position(left=self.left + self.width / 2)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass(frozen=True)
class Tick:
    left: float
    label: str  # empty for an unlabelled month

    @property
    def position(self) -> str:
        return position(left=self.left)


@dataclass(frozen=True)
class Timeline:
    steps: list[TimelineStep]
    ticks: list[Tick]
    today: float | None  # percent of the axis; None when today is off the axis

    @property
    def today_position(self) -> str:
        return position(left=self.today) if self.today is not None else ""

    @cached_property
    def grid(self) -> SafeString:
        """The month lines every step's track repeats: written once, not once per step."""
        return format_html_join(
            "", '<span class="grid {}"></span>', ((t.position,) for t in self.ticks)
        )


@dataclass(frozen=True)
class StepRow:
    """A plan step as the page has it."""

    order: int
    text: str
    window: StepWindow


def build_timeline(
    steps: Sequence[StepRow],
    *,
    reported: Decimal | None,
    today: date,
    start: date,
    end: date,
    lang: str = "th",
) -> Timeline:
    """Lay the steps out from `start` to `end` (both inclusive) with their states on `today`."""
    days = (end - start).days + 1

    def at(day: date) -> float:
        return min(max((day - start).days / days * 100, 0.0), 100.0)

    states = step_states([s.window for s in steps], reported, today)
    rows = []
    for step, state in zip(steps, states, strict=True):
        first, last = min(step.window.start, step.window.end), step.window.end
        # A step covers its last day in full: the bar runs to the start of the next day.
        left, right = at(first), at(clamp_date(last, 1))
        if right - left < MIN_BAR:
            left, right = min(left, 100 - MIN_BAR), min(left, 100 - MIN_BAR) + MIN_BAR
        rows.append(
            TimelineStep(
                order=step.order,
                text=step.text,
                weight=step.window.weight,
                start=first,
                end=last,
                state=state,
                left=left,
                width=right - left,
            )
        )
    return Timeline(
        steps=rows,
        ticks=_ticks(start, end, at, lang),
        today=at(today) if start <= today <= end else None,
    )


def _ticks(start: date, end: date, at: Callable[[date], float], lang: str) -> list[Tick]:
    months = []
    month = date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    # Label every n-th month so that a multi-year plan's axis stays legible.
    every = max(1, -(-len(months) // MAX_MONTH_LABELS))
    return [
        Tick(at(m), _month_label(m, lang) if i % every == 0 else "") for i, m in enumerate(months)
    ]


def _month_label(month: date, lang: str) -> str:
    if lang == "th":
        return f"{THAI_MONTHS_ABBR[month.month - 1]} {be_year(month.year) % 100:02d}"
    return f"{ENGLISH_MONTHS_ABBR[month.month - 1]} {month.year % 100:02d}"
