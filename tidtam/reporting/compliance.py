"""The reporting calendar: which month is due, by when, and which projects still owe it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from tidtam.lib.fiscal import fiscal_year_of
from tidtam.lib.language import current_language, name_of
from tidtam.orgs.models import Agency
from tidtam.projects.models import Project
from tidtam.reporting.models import ReportingSettings, month_start, with_month_report


@dataclass(frozen=True)
class ReportingMonth:
    """The month whose report is due on `today`, and its deadline."""

    today: date
    month: date  # the first day of the month
    deadline: date
    reminders_from: date

    @property
    def overdue(self) -> bool:
        return self.today > self.deadline

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.today)

    @property
    def reminders_due(self) -> bool:
        return self.today >= self.reminders_from


def reporting_month(today: date, calendar: ReportingSettings | None = None) -> ReportingMonth:
    calendar = calendar or ReportingSettings.current()
    month = month_start(today)
    deadline = month.replace(day=calendar.deadline_day)
    return ReportingMonth(
        today=today,
        month=month,
        deadline=deadline,
        reminders_from=max(month, deadline - timedelta(days=calendar.reminder_days_before)),
    )


def agency_projects(agency_ids: list[int] | None, period: ReportingMonth) -> QuerySet[Project]:
    """Projects of the fiscal year in progress (of these agencies), with their month's state."""
    projects = Project.objects.filter(fiscal_year_id=period.fiscal_year)
    if agency_ids is not None:
        projects = projects.filter(agency_id__in=agency_ids)
    return with_month_report(projects, period.month).order_by("agency__code", "code")


@dataclass(frozen=True)
class AgencyCompliance:
    agency: Agency
    period: ReportingMonth
    missing: list[Project]  # each annotated with `month_draft`
    reported: int
    completed: int

    @property
    def total(self) -> int:
        return len(self.missing) + self.reported + self.completed


def agency_compliance(agency: Agency, period: ReportingMonth) -> AgencyCompliance:
    projects = list(agency_projects([agency.pk], period).select_related("fiscal_year"))
    missing, reported, completed = [], 0, 0
    for project in projects:
        if getattr(project, "completed", False):
            completed += 1
        elif getattr(project, "reported", False):
            reported += 1
        else:
            missing.append(project)
    return AgencyCompliance(
        agency=agency, period=period, missing=missing, reported=reported, completed=completed
    )


@dataclass(frozen=True)
class AgencyFigures:
    """One agency's line of the city-wide calendar: its projects this fiscal year and how many
    have reported the month (the rule of `agency_compliance`, counted by the database)."""

    code: str
    name: str
    total: int
    reported: int
    completed: int

    @property
    def missing(self) -> int:
        return self.total - self.reported - self.completed


@dataclass(frozen=True)
class CityCompliance:
    period: ReportingMonth
    agencies: list[AgencyFigures]

    @property
    def total(self) -> AgencyFigures:
        return AgencyFigures(
            code="",
            name="",
            total=sum(a.total for a in self.agencies),
            reported=sum(a.reported for a in self.agencies),
            completed=sum(a.completed for a in self.agencies),
        )


def city_compliance(agency_ids: list[int] | None, period: ReportingMonth) -> CityCompliance:
    """Every agency's figures (only these agencies' when given), the most missing first."""
    # One narrow row per project, counted here: the database refuses to count by the
    # month-report annotations (EXISTS inside an aggregate's filter, on SQLite).
    counts: dict[tuple[str, str], list[int]] = {}
    rows = (
        agency_projects(agency_ids, period)
        .select_related("agency")
        .only("agency__code", "agency__name_th", "agency__name_en")
    )
    lang = current_language()
    for project in rows:
        name = name_of(project.agency, lang)
        figures = counts.setdefault((project.agency.code, name), [0, 0, 0])
        figures[0] += 1
        if getattr(project, "completed", False):
            figures[2] += 1
        elif getattr(project, "reported", False):
            figures[1] += 1
    agencies = [
        AgencyFigures(code=code, name=name, total=total, reported=reported, completed=completed)
        for (code, name), (total, reported, completed) in counts.items()
    ]
    agencies.sort(key=lambda a: (-a.missing, a.code))
    return CityCompliance(period=period, agencies=agencies)
