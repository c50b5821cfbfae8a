"""The Thai government fiscal year: 1 October to 30 September, named by its closing BE year.

FY 2563 runs from 2019-10-01 to 2020-09-30. Quarter 1 is October–December, so the first
quarter of a fiscal year falls in the calendar year before the one the fiscal year ends in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from tidtam.lib.language import current_language
from tidtam.lib.thai import be_year, ce_year

FIRST_MONTH = 10

# The days a plan step, a report or an instalment may fall on, and every date computed from
# them (a forecast finish, the planned curve) is kept within: a city's projects run in the
# decades around today, never in year 1 or 9999, where the calendar ends and date arithmetic
# fails. 1900 is also where a typed year stops being read (`tidtam.lib.thai.parse_typed_date`);
# 2200 lies below every Buddhist-Era year of this era (2400 and later, `BE_YEARS_FROM`), so a BE
# year written where the Common Era is expected ("2568-10-01") is out of bounds, not 2568 CE.
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)


def fiscal_year_of(d: date) -> int:
    """The BE fiscal year containing the date."""
    return be_year(d.year + 1 if d.month >= FIRST_MONTH else d.year)


def fiscal_year_label(year: int, lang: str | None = None) -> str:
    """A fiscal year as its reader names it: by its BE year in Thai ("2570"), by the Common
    Era year it ends in in English ("2027"), as the Budget Bureau's English documents do and
    as English pages give every date. Links, forms and the API keep the BE number."""
    return str(ce_year(year) if (lang or current_language()) == "en" else year)


def fiscal_year_choices(years: Iterable[int]) -> list[tuple[int, str]]:
    """A form's fiscal years, chosen by their BE number, which codes and addresses carry and
    people type; read in English, each also names the year it ends in: "2570 (2027)"."""
    if current_language() != "en":
        return [(year, str(year)) for year in years]
    return [(year, f"{year} ({fiscal_year_label(year, 'en')})") for year in years]


def clamp_date(day: date, days: int = 0) -> date:
    """The day `days` after `day` (before it when negative), kept between `EARLIEST` and
    `LATEST`: a computed date that would leave them stops at the edge instead of overflowing."""
    ordinal = day.toordinal() + days
    return date.fromordinal(min(max(ordinal, EARLIEST.toordinal()), LATEST.toordinal()))


def date_in_bounds(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """First and last day, both inclusive, of the BE fiscal year."""
    closing_year = ce_year(fy)
    return date(closing_year - 1, FIRST_MONTH, 1), date(closing_year, FIRST_MONTH - 1, 30)


# The fiscal years those days fall in: 2443 to 2744.
FIRST_FISCAL_YEAR = fiscal_year_of(EARLIEST)
LAST_FISCAL_YEAR = fiscal_year_of(LATEST)


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
