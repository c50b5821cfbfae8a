"""What the API's write operations read, field by field. Each schema is parsed into the typed
input of the action it calls (`ProjectInput`, `StepInput`, `ReportValues` …): these only
declare types and sizes, so that a wrong type is refused before any action runs; every rule
of the record lives in its action, whoever calls it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from tidtam.api.params import TEXT
from tidtam.lib import limits

# No NUL character (PostgreSQL refuses it); the actions check the lengths again.
NAME = Annotated[str, Field(pattern=TEXT, max_length=limits.NAME)]
LINE = Annotated[str, Field(pattern=TEXT, max_length=limits.LINE)]
PARAGRAPH = Annotated[str, Field(pattern=TEXT, max_length=limits.PARAGRAPH)]
NARRATIVE = Annotated[str, Field(pattern=TEXT, max_length=limits.NARRATIVE)]
RATIONALE = Annotated[str, Field(pattern=TEXT, max_length=limits.RATIONALE)]
SHORT = Annotated[str, Field(pattern=TEXT, max_length=200)]
# Numbers as their columns store them: at most so many digits, so many after the point.
MONEY = Annotated[Decimal, Field(max_digits=15, decimal_places=2, allow_inf_nan=False)]
PERCENT = Annotated[Decimal, Field(max_digits=5, decimal_places=2, allow_inf_nan=False)]
KPI_VALUE = Annotated[Decimal, Field(max_digits=15, decimal_places=4, allow_inf_nan=False)]
SCORE = Annotated[Decimal, Field(max_digits=7, decimal_places=2, allow_inf_nan=False)]
VERSION = Annotated[int, Field(ge=1, le=2**31 - 1)]
RECORD_ID = Annotated[int, Field(ge=1, le=2**31 - 1)]


class ContactIn(Schema):
    name: SHORT
    phone: Annotated[str, Field(pattern=TEXT, max_length=100)] = ""
    email: Annotated[str, Field(pattern=TEXT, max_length=254)] = ""
    # Left out: a known person keeps theirs and a new one is not public. Only an approver of
    # the agency may make a phone number public.
    phone_public: bool | None = None


class PlanLinkIn(Schema):
    plan: SHORT
    node: SHORT


class ProjectFields(Schema):
    """A project's own record, as the project form edits it."""

    name: NAME
    fiscal_year: int = Field(description="Buddhist Era, e.g. 2569.", ge=1, le=9999)
    rationale: RATIONALE
    budget: MONEY | None = None
    owning_unit: SHORT = Field("", description="Code of one of the agency's units.")
    reporting_unit: SHORT = Field("", description="Code of one of the agency's units.")
    responsible_unit: NAME = ""
    progress_unit: SHORT = Field("", description="Measured as a quantity of this unit.")
    progress_target: MONEY | None = None
    published: bool | None = Field(None, description="Left out: as it is (new: not published).")
    objectives: list[PARAGRAPH] = Field(..., max_length=100)
    targets: list[PARAGRAPH] = Field(..., max_length=100)
    plan_links: list[PlanLinkIn] = Field([], max_length=100)
    contacts: list[ContactIn] = Field([], max_length=20)


class ProjectCreate(ProjectFields):
    agency: SHORT = Field(..., description="The agency's budget code.")
    code: SHORT = Field(..., description="8 digits of the agency's code, a dash, 4 digits.")


class ProjectUpdate(ProjectFields):
    version: VERSION = Field(..., description="The project's version when it was read.")
    reason: LINE = ""


class StepIn(Schema):
    text: LINE
    weight: PERCENT
    start: date
    end: date


class PlanIn(Schema):
    version: VERSION = Field(..., description="The project's version when it was read.")
    steps: list[StepIn] = Field(..., max_length=200)
    reason: LINE = Field("", description="Required once a report on the plan was approved.")


class NewProblemIn(Schema):
    category: RECORD_ID = Field(..., description="A problem category's id.")
    description: PARAGRAPH


class ReportIn(Schema):
    report_date: date
    percent: PERCENT | None = Field(None, description="Cumulative percent complete.")
    quantity: MONEY | None = Field(
        None, description="For a project measured as a quantity, instead of the percent."
    )
    spent: MONEY | None = None
    narrative: NARRATIVE
    decrease_reason: PARAGRAPH = ""
    problems: list[NewProblemIn] = Field([], max_length=50)
    resolved: list[RECORD_ID] = Field(
        [], max_length=200, description="Ids of the project's open problems this report resolves."
    )
    submit: bool = Field(False, description="Submit to the agency's approvers at once.")


class ReportUpdate(ReportIn):
    version: VERSION


class ReviewIn(Schema):
    version: VERSION | None = Field(None, description="The version when it was read.")
    comment: PARAGRAPH = ""


class KpiResultIn(Schema):
    result: KPI_VALUE
    narrative: NARRATIVE
    version: VERSION | None = Field(None, description="The result's version when it was read.")
    submit: bool = False


class KpiScoresIn(Schema):
    scores: dict[Annotated[str, Field(pattern=TEXT, max_length=20)], SCORE] = Field(
        ..., description="Criterion code → score on the rating scale.", max_length=50
    )


class ProjectScoreIn(Schema):
    score: SCORE
