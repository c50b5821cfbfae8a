"""The plain records generate.py makes and load.py writes: a fiscal year of sample projects and
KPIs, with the reference data they hang on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class AgencyRef:
    code: str
    kind: str


@dataclass(frozen=True)
class Reference:
    """What the generated data hangs on, read from the database by load.py."""

    agencies: tuple[AgencyRef, ...]
    # (code, Thai name) of the plan's goals and objectives, which projects link to
    plan_nodes: tuple[tuple[str, str], ...]
    # Thai names of the problem categories offered for new problems
    categories: tuple[str, ...]
    # the evaluators' scale, or empty for scores out of 100
    rating_levels: tuple[Decimal, ...] = ()


@dataclass(slots=True)
class Contact:
    name: str
    phone: str


@dataclass(slots=True)
class Step:
    order: int
    text: str
    weight: Decimal
    start: date
    end: date


@dataclass(slots=True)
class Report:
    report_date: date
    percent: Decimal
    quantity: Decimal | None
    spent: Decimal | None
    narrative: str
    decrease_reason: str
    status: str
    review_comment: str
    created_at: datetime
    submitted_at: datetime | None
    reviewed_at: datetime | None


@dataclass(slots=True)
class Problem:
    category: str
    description: str
    opened_in: int  # index in the project's reports
    resolved_in: int | None


@dataclass(slots=True)
class Instalment:
    released_on: date
    amount: Decimal


@dataclass(slots=True)
class SampleProject:
    code: str
    agency: str
    name: str
    rationale: str
    budget: Decimal | None
    progress_unit: str
    progress_target: Decimal | None
    published: bool
    responsible_unit: str
    created_at: datetime
    objectives: list[str]
    targets: list[str]
    plan_nodes: list[tuple[str, str]]
    contact: Contact | None
    steps: list[Step]
    reports: list[Report]
    problems: list[Problem]
    instalments: list[Instalment]
    evaluations: list[tuple[int, Decimal]]  # (quarter, score)
    kpis: list[int] = field(default_factory=list)  # indexes in SampleYear.kpis


@dataclass(slots=True)
class KpiResult:
    quarter: int
    result: Decimal
    narrative: str
    status: str
    review_comment: str


@dataclass(slots=True)
class SampleKpi:
    code: str
    agency: str
    text: str
    unit: str
    target: Decimal
    achieved: Decimal | None
    kpi_type: str
    level: str
    direction: str
    mode: str
    results: list[KpiResult]
    scores: list[tuple[int, str, Decimal]]  # (quarter, criterion code, score)


@dataclass(slots=True)
class SampleYear:
    year: int
    projects: list[SampleProject]
    kpis: list[SampleKpi]
