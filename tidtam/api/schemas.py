"""What the API answers, field by field; built from the same rows and page builders as the
web pages. Figures are JSON numbers (decimals as floats: money to the satang stays exact
below 90 trillion baht); dates are ISO 8601."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Schema


def number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


class AgencyRef(Schema):
    code: str
    name_th: str
    name_en: str


class AgencyOut(AgencyRef):
    kind: str
    district_group: str | None


class Paged(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    # Words searched over every fiscal year list the first matches only (as the web list).
    capped: bool = False


class ProjectRow(Schema):
    code: str
    name: str
    fiscal_year: int
    agency: AgencyRef
    published: bool
    sample: bool
    budget: float | None
    status: str | None
    status_label: str | None
    reported_percent: float | None
    reported_on: date | None
    planned_today: float | None
    variance: float | None
    days_late: int | None
    missing_report: bool | None


class ProjectList(Paged):
    results: list[ProjectRow]


class FlagOut(Schema):
    kind: str
    label: str
    sentence: str


class StandingOut(Schema):
    status: str
    status_label: str
    explanation: str
    as_of: date
    planned_today: float
    # Planned progress on the latest approved report's date (today when none).
    planned_on: date
    planned_then: float
    reported_percent: float | None
    reported_quantity: float | None
    reported_on: date | None
    variance: float | None
    days_late: int | None
    spi: float | None
    forecast_finish: date | None
    plan_end: date | None
    missing_report: bool
    rebaselined: bool
    open_problems: int
    kpi_achievement: float | None
    evaluation_score: float | None
    flags: list[FlagOut]


class BudgetOut(Schema):
    allocated: float | None
    released: float
    spent: float | None
    spent_on: date | None


class StepOut(Schema):
    order: int
    text: str
    weight: float
    start: date
    end: date


class ReportOut(Schema):
    report_date: date
    percent: float
    quantity: float | None
    spent: float | None
    narrative: str


class QuarterResultOut(Schema):
    number: int
    result: float | None


class ProjectKpiOut(Schema):
    code: str
    fiscal_year: int
    sample: bool
    text: str
    unit: str
    target: float | None
    kpi_type: str
    quarters: list[QuarterResultOut]


class PlanLinkOut(Schema):
    plan: str
    node: str
    name_th: str
    name_en: str


class ContactOut(Schema):
    name: str
    phone: str


class EvaluationOut(Schema):
    fiscal_year: int
    quarter: int
    score: float


class ProjectDetail(Schema):
    code: str
    name: str
    fiscal_year: int
    agency: AgencyRef
    published: bool
    sample: bool
    budget: float | None
    progress_unit: str
    progress_target: float | None
    rationale: str
    objectives: list[str]
    targets: list[str]
    contacts: list[ContactOut]
    plan_links: list[PlanLinkOut]
    steps: list[StepOut]
    # Approved reports only, newest first: the official record.
    reports: list[ReportOut]
    kpis: list[ProjectKpiOut]
    standing: StandingOut
    budget_summary: BudgetOut
    evaluations: list[EvaluationOut]


class PlanLevelOut(Schema):
    depth: int
    key: str
    name_th: str
    name_en: str


class PlanOut(Schema):
    code: str
    name_th: str
    name_en: str
    first_year: int | None
    last_year: int | None


class PlanNodeOut(Schema):
    code: str
    parent: str | None
    level: str
    depth: int
    name_th: str
    name_en: str
    complete: bool


class PlanTree(PlanOut):
    levels: list[PlanLevelOut]
    # Every node, parents before their children, in the plan's order of codes.
    nodes: list[PlanNodeOut]


class KpiRow(Schema):
    code: str
    fiscal_year: int
    agency: AgencyRef
    sample: bool
    text: str
    unit: str
    kpi_type: str
    target: float | None
    achieved: float | None
    percent_of_target: float | None
    met: bool | None


class KpiList(Paged):
    results: list[KpiRow]


class KpiQuarterOut(Schema):
    number: int
    start: date
    end: date
    closed: bool
    result: float | None
    # "approved" for everyone; readers who may see results on their way also get "draft",
    # "submitted" and "returned" ones. None: nothing entered (or nothing the reader may see).
    status: str | None
    narrative: str
    scores: dict[str, float | None]


class KpiDetail(KpiRow):
    level: str
    definition: str
    method: str
    data_source: str
    direction: str
    mode: str
    quarters: list[KpiQuarterOut]
    projects: list[str]
