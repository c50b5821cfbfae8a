"""The Thai government fiscal year: 1 October to 30 September, named by its closing BE year.

FY 2563 runs from 2019-10-01 to 2020-09-30. Quarter 1 is October–December, so the first
quarter of a fiscal year falls in the calendar year before the one the fiscal year ends in.
"""

from __future__ import annotations

from datetime import date, timedelta

from tidtam.lib.thai import be_year, ce_year

FIRST_MONTH = 10


def fiscal_year_of(d: date) -> int:
    """The BE fiscal year containing the date."""
    return be_year(d.year + 1 if d.month >= FIRST_MONTH else d.year)


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """First and last day, both inclusive, of the BE fiscal year."""
    closing_year = ce_year(fy)
    return date(closing_year - 1, FIRST_MONTH, 1), date(closing_year, FIRST_MONTH - 1, 30)


def quarter_of(d: date) -> tuple[int, int]:
    """(BE fiscal year, quarter 1–4) containing the date."""
    months_into_year = (d.month - FIRST_MONTH) % 12
    return fiscal_year_of(d), months_into_year // 3 + 1


def quarter_bounds(fy: int, q: int) -> tuple[date, date]:
    """First and last day, both inclusive, of quarter q of the BE fiscal year."""
    if q not in (1, 2, 3, 4):
        raise ValueError(f"a fiscal quarter is 1 to 4, not {q!r}")
    months = fiscal_months(fy)
    first = months[(q - 1) * 3]
    following = months[q * 3] if q < 4 else fiscal_year_bounds(fy + 1)[0]
    return first, following - timedelta(days=1)


def fiscal_months(fy: int) -> list[date]:
    """The first day of each month of the BE fiscal year, October first."""
    start, _ = fiscal_year_bounds(fy)
    return [
        date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        for i in range(12)
    ]
