"""Query parameters as the schema declares them. The lists' filters are read from the query
string by the web list's own parser (dashboards.filters), so the same query string gives the
same rows; these declarations document them and refuse what no web link would send."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema

from tidtam.dashboards.filters import ALL_YEARS, SORTS
from tidtam.standing.models import StandingStatus

# No NUL character: PostgreSQL refuses it in any text it is given.
TEXT = r"^[^\x00]*$"
YEARS = rf"^({ALL_YEARS}|[0-9]{{1,4}})$"
FLAG = r"^[01]$"
SORT = rf"^-?({'|'.join(SORTS)})$"
# A record's code in a path: codes are at most 50 characters.
CODE = Annotated[str, Field(pattern=TEXT, max_length=50)]
# A fiscal year in a path, Buddhist Era.
YEAR = Annotated[int, Field(ge=1, le=9999)]
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100


class Paging(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Rows per page (at most 100).")


class ListQuery(Paging):
    q: str = Field("", pattern=TEXT, description="Words in the code or name.")
    fy: str | None = Field(
        None,
        pattern=YEARS,
        description='Fiscal year (Buddhist Era), or "all"; the newest year by default.',
    )
    agency: str = Field("", pattern=TEXT, description="Agency budget code.")


class ProjectQuery(ListQuery):
    group: int | None = Field(None, description="District group id.")
    district: str = Field("", pattern=TEXT, description="District office's agency code.")
    node: int | None = Field(None, description="Plan node id: projects linked to it or below.")
    status: list[str] = Field(
        [],
        description="Standing status: "
        + ", ".join(StandingStatus.values)
        + '. Several: repeat it, or separate them with commas ("behind,critical").',
    )
    kpi_type: str = Field("", pattern=TEXT, description="strategic or routine.")
    kpis: str | None = Field(None, pattern=FLAG, description="1: with KPI results; 0: without.")
    problems: str | None = Field(None, pattern=FLAG, description="1: with open problems.")
    problem_category: int | None = Field(None, description="Problem category id.")
    missing: str | None = Field(None, pattern=FLAG, description="1: this month's report missing.")
    sample: str | None = Field(None, pattern=FLAG, description="1: sample data only; 0: none.")
    late_finish: str | None = Field(
        None, pattern=FLAG, description="1: forecast to finish after its fiscal year."
    )
    sort: str = Field(
        "code",
        pattern=SORT,
        description='code, name, progress, variance, days_late or budget; a leading "-" reverses.',
    )
