"""Planned-versus-actual progress chart, drawn on the server as inline SVG.

No JavaScript and no external resources, so the chart appears in the print view, in e-mail
and with scripts disabled, and screen readers get its <title> and <desc>.

One geometry, two renderings: the web page draws the texts inside the SVG; a PDF draws the
SVG without them and places them as HTML over it (`ProgressChart.labels`), because WeasyPrint
mis-shapes Thai text inside SVG (its SVG renderer sets text glyph by glyph, upstream #2249).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from tidtam.lib.positions import position
from tidtam.lib.thai import (
    ENGLISH_MONTHS_ABBR,
    THAI_MONTHS_ABBR,
    be_year,
    format_date,
    format_quantity,
)

Point = tuple[date, Decimal]

WIDTH, HEIGHT = 800, 400
LEFT, RIGHT, TOP, BOTTOM = 56, 780, 20, 320
FONT = "Sarabun, 'Noto Sans Thai', sans-serif"
# Blue and orange stay distinct under the common colour-vision deficiencies; the baseline and
# the today line differ by dash pattern as well as by colour.
PLANNED_COLOUR = "#1f77b4"
ACTUAL_COLOUR = "#d95f02"
BASELINE_COLOUR = "#7f7f7f"
TODAY_COLOUR = "#333333"
BASELINE_DASH = "6 4"
TODAY_DASH = "2 3"
MAX_MONTH_LABELS = 12
LEGEND_Y, LEGEND_SPACING = 376, 180


@dataclass(frozen=True)
class ChartText:
    """A text of the chart at its SVG position: `y` is its baseline, `anchor` SVG's
    text-anchor ("start" or "end")."""

    x: float
    y: float
    text: str
    anchor: str = "start"
    css_class: str = ""

    @property
    def svg(self) -> str:
        cls = f' class="{self.css_class}"' if self.css_class else ""
        end = ' text-anchor="end"' if self.anchor == "end" else ""
        return f'<text{cls} x="{self.x:.1f}" y="{self.y:.1f}"{end}>{escape(self.text)}</text>'


@dataclass(frozen=True)
class ChartLabel:
    """A text of the chart placed over the SVG in percent of its box: `position` names the
    classes (lib/positions.py) of its left edge, or of its right edge for a text anchored at
    its end (class "end" in print.css), and of its baseline."""

    text: str
    css_class: str
    position: str


@dataclass(frozen=True)
class ProgressChart:
    title: str
    description: str
    shapes: list[str]  # SVG elements without text
    texts: list[ChartText]

    def svg(self, *, with_text: bool = True) -> str:
        """The <svg> element; without its texts for a PDF, which places `labels` over it."""
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {HEIGHT}"'
            f' width="100%" font-family="{FONT}" font-size="12">',
            f"<title>{escape(self.title)}</title>",
            f"<desc>{escape(self.description)}</desc>",
            *self.shapes,
        ]
        if with_text:
            parts.extend(t.svg for t in self.texts)
        parts.append("</svg>")
        return "\n".join(parts)

    @property
    def labels(self) -> list[ChartLabel]:
        labels = []
        for t in self.texts:
            classes = " ".join(c for c in (t.css_class, "end" if t.anchor == "end" else "") if c)
            at = position(left=t.x / WIDTH * 100, bottom=100 - t.y / HEIGHT * 100)
            labels.append(ChartLabel(t.text, classes, at))
        return labels


def progress_chart_svg(**arguments: Any) -> str:
    """The chart as the web page draws it, texts inside the SVG (see `progress_chart`)."""
    return progress_chart(**arguments).svg()


def progress_chart(
    *,
    planned: Sequence[Point],
    actual: Sequence[Point],
    start: date,
    end: date,
    today: date | None = None,
    baseline: Sequence[Point] | None = None,
    lang: str = "th",
    title: str,
    labels: Mapping[str, str],
    quantities: Mapping[date, Decimal] | None = None,
    unit: str = "",
) -> ProgressChart:
    """The chart of progress in percent from `start` to `end`.

    `planned` and `baseline` are curve vertices (as from `schedule.planned_curve`): they are
    cut at the edges of the range and held level beyond their first and last vertex, as a
    planned curve is. `actual` holds the reports; those outside the range are not drawn.
    `quantities` gives, for a project measured as a quantity of `unit`, the quantity each
    report gave: a report's label then shows it with its percent.
    """

    def reported(d: date, p: Decimal) -> str:
        quantity = (quantities or {}).get(d)
        if quantity is None:
            return f"{p:.2f}%"
        return f"{format_quantity(quantity)} {unit} ({p:.2f}%)"

    span = max((end - start).days, 1)

    def x(d: date) -> float:
        return LEFT + (d - start).days / span * (RIGHT - LEFT)

    def y(percent: Decimal) -> float:
        return BOTTOM - float(percent) / 100 * (BOTTOM - TOP)

    def points(series: Sequence[Point]) -> str:
        return " ".join(f"{x(d):.1f},{y(p):.1f}" for d, p in series)

    reports = sorted((d, p) for d, p in actual if start <= d <= end)
    shown_today = today if today is not None and start <= today <= end else None
    description = _description(title, planned, shown_today or end, reports, lang, labels, reported)
    parts: list[str] = []
    texts: list[ChartText] = []
    for percent in (0, 25, 50, 75, 100):
        level = y(Decimal(percent))
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{level:.1f}" x2="{RIGHT}" y2="{level:.1f}"'
            ' stroke="#dddddd"/>'
        )
        texts.append(ChartText(LEFT - 6, level + 4, f"{percent}%", "end", "percent"))
    parts.extend(_month_ticks(start, end, x, lang, texts))
    if baseline:
        parts.append(
            f'<polyline class="baseline" points="{points(_within(baseline, start, end))}"'
            f' fill="none" stroke="{BASELINE_COLOUR}" stroke-width="2"'
            f' stroke-dasharray="{BASELINE_DASH}"/>'
        )
    if planned:
        parts.append(
            f'<polyline class="planned" points="{points(_within(planned, start, end))}"'
            f' fill="none" stroke="{PLANNED_COLOUR}" stroke-width="2.5"/>'
        )
    if reports:
        parts.append(
            f'<polyline class="actual" points="{points(reports)}" fill="none"'
            f' stroke="{ACTUAL_COLOUR}" stroke-width="2.5"/>'
        )
        for d, p in reports:
            hover = f"{format_date(d, lang=lang)}: {reported(d, p)}"
            parts.append(
                f'<circle class="actual" cx="{x(d):.1f}" cy="{y(p):.1f}" r="4"'
                f' fill="{ACTUAL_COLOUR}"><title>{escape(hover)}</title></circle>'
            )
    if shown_today is not None:
        at = x(shown_today)
        parts.append(
            f'<line class="today" x1="{at:.1f}" y1="{TOP}" x2="{at:.1f}"'
            f' y2="{BOTTOM}" stroke="{TODAY_COLOUR}" stroke-dasharray="{TODAY_DASH}"/>'
        )
    legend: list[tuple[str, str, str | None]] = [
        ("planned", PLANNED_COLOUR, None),
        ("actual", ACTUAL_COLOUR, None),
    ]
    if baseline:
        legend.append(("baseline", BASELINE_COLOUR, BASELINE_DASH))
    if shown_today is not None:
        legend.append(("today", TODAY_COLOUR, TODAY_DASH))
    parts.append('<g class="legend">')
    for i, (key, colour, dash) in enumerate(legend):
        left = LEFT + i * LEGEND_SPACING
        dashing = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{left}" y1="{LEGEND_Y}" x2="{left + 24}" y2="{LEGEND_Y}"'
            f' stroke="{colour}" stroke-width="2.5"{dashing}/>'
        )
        texts.append(ChartText(left + 30, LEGEND_Y + 4, labels[key], css_class="legend"))
    parts.append("</g>")
    return ProgressChart(title=title, description=description, shapes=parts, texts=texts)


def _month_ticks(
    start: date, end: date, x: Callable[[date], float], lang: str, texts: list[ChartText]
) -> list[str]:
    months = []
    month = date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    # Label every n-th month so that a multi-year project's axis stays legible.
    every = -(-len(months) // MAX_MONTH_LABELS)
    ticks = []
    for i, month in enumerate(months):
        ticks.append(
            f'<line class="tick" x1="{x(month):.1f}" y1="{BOTTOM}" x2="{x(month):.1f}"'
            f' y2="{BOTTOM + 5}" stroke="#999999"/>'
        )
        if i % every == 0:
            texts.append(
                ChartText(x(month) + 3, BOTTOM + 20, _month_label(month, lang), "start", "month")
            )
    return ticks


def _month_label(month: date, lang: str) -> str:
    if lang == "th":
        return f"{THAI_MONTHS_ABBR[month.month - 1]} {be_year(month.year) % 100:02d}"
    return f"{ENGLISH_MONTHS_ABBR[month.month - 1]} {month.year % 100:02d}"


def _within(curve: Sequence[Point], start: date, end: date) -> list[Point]:
    """The curve from `start` to `end`, interpolated at the edges and held level beyond."""
    ordered = sorted(curve)
    return [
        (start, _value_at(ordered, start)),
        *((d, p) for d, p in ordered if start < d < end),
        (end, _value_at(ordered, end)),
    ]


def _value_at(curve: Sequence[Point], on: date) -> Decimal:
    before = [point for point in curve if point[0] <= on]
    after = [point for point in curve if point[0] > on]
    if not before:
        return after[0][1]
    if not after:
        return before[-1][1]
    (d0, p0), (d1, p1) = before[-1], after[0]
    return p0 + (p1 - p0) * Decimal((on - d0).days) / Decimal((d1 - d0).days)


def _description(
    title: str,
    planned: Sequence[Point],
    on: date,
    reports: Sequence[Point],
    lang: str,
    labels: Mapping[str, str],
    reported: Callable[[date, Decimal], str],
) -> str:
    """A text equivalent of the chart for screen readers: where the plan and reports stand."""
    summary = [title]
    if planned:
        planned_then = _value_at(sorted(planned), on)
        summary.append(f"{labels['planned']}: {planned_then:.2f}% ({format_date(on, lang=lang)})")
    if reports:
        d, p = reports[-1]
        summary.append(f"{labels['actual']}: {reported(d, p)} ({format_date(d, lang=lang)})")
    return ". ".join(summary)
