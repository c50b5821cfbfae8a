"""What the report pages show, each gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.paginator import Page
from django.forms import BaseFormSet
from django.utils import timezone

from tidtam.accounts.access import readers_before_approval
from tidtam.lib.people import person_name
from tidtam.projects.models import Project
from tidtam.reporting.access import ReportPermissions, permissions
from tidtam.reporting.actions import closed_quarter_reason
from tidtam.reporting.compliance import AgencyCompliance
from tidtam.reporting.forms import ReportForm, ReviewForm
from tidtam.reporting.models import (
    Problem,
    ProblemCategory,
    ProblemStatus,
    ProgressReport,
    ReportAttachment,
    ReportStatus,
)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    who: str
    status: str
    status_label: str
    comment: str


def timeline(report: ProgressReport) -> list[TimelineEntry]:
    """The report's way through the review, from its history: one entry per change of
    status."""
    entries: list[TimelineEntry] = []
    last = None
    rows = report.history.select_related("history_user").order_by("history_date", "history_id")
    for row in rows:
        if row.status == last:
            continue
        last = row.status
        reviewed = row.status in (ReportStatus.RETURNED, ReportStatus.APPROVED)
        entries.append(
            TimelineEntry(
                at=timezone.localtime(row.history_date),
                who=person_name(row.history_user),
                status=row.status,
                status_label=str(ReportStatus(row.status).label),
                comment=row.review_comment if reviewed else "",
            )
        )
    return entries


def previous_report(
    project: Project, user: object, report: ProgressReport | None = None
) -> ProgressReport | None:
    """The report before this one (the latest one for a new report) that the user may see."""
    reports = ProgressReport.objects.filter(project=project).visible_to(user)
    if report is not None:
        reports = reports.filter(report_date__lt=report.report_date)
    return reports.newest_first().first()


@dataclass
class ReportPage:
    report: ProgressReport
    can: ReportPermissions
    attachments: list[ReportAttachment]
    raised: list[Problem]
    resolved: list[Problem]
    carried: list[Problem]
    timeline: list[TimelineEntry]
    previous: ProgressReport | None
    review_form: ReviewForm | None = None
    # Why the report is locked by the closing of its quarter ("" when the quarter is open).
    closed: str = ""
    # Who may see the report before it is approved, for the draft banner.
    readers: str = ""

    @property
    def reviewer(self) -> str:
        return person_name(self.report.reviewed_by)

    @property
    def reviewed_on(self) -> date | None:
        at = self.report.reviewed_at
        return timezone.localdate(at) if at else None


def build_report_page(
    report: ProgressReport, user: object, review_form: ReviewForm | None = None
) -> ReportPage:
    closed = closed_quarter_reason(report.report_date)
    can = permissions(user, report, closed=bool(closed))
    raised, resolved, carried = [], [], []
    for problem in (
        Problem.objects.as_of(report)
        .visible_to(user)
        .select_related("category", "opened_in")
        .order_by("id")
    ):
        if problem.opened_in_id == report.pk:
            raised.append(problem)
        elif problem.resolved_in_id == report.pk:
            resolved.append(problem)
        else:
            carried.append(problem)
    if can.review and review_form is None:
        review_form = ReviewForm(initial={"version": report.version})
    return ReportPage(
        report=report,
        can=can,
        attachments=list(report.attachments.all()),
        raised=raised,
        resolved=resolved,
        carried=carried,
        timeline=timeline(report),
        previous=previous_report(report.project, user, report),
        review_form=review_form if can.review else None,
        closed=closed,
        readers=readers_before_approval(report.project.agency),
    )


@dataclass
class ReportFormPage:
    project: Project
    form: ReportForm
    formset: BaseFormSet[Any]
    problems: list[Problem]
    report: ProgressReport | None = None
    raised: list[Problem] = field(default_factory=list)
    attachments: list[ReportAttachment] = field(default_factory=list)
    previous: ProgressReport | None = None
    # The project's planned progress on the report date (today for a new report).
    planned: Decimal | None = None
    planned_on: date | None = None
    # After a refused stale edit: the report as someone else saved it.
    current: ProgressReport | None = None
    # Problems ticked for removal, whose deletion the officer is asked to confirm.
    confirm_removal: list[Problem] = field(default_factory=list)
    # Files cannot be sent back to the browser: say so when a refused form carried some.
    files_dropped: bool = False


def carried_problems(project: Project, report: ProgressReport | None) -> list[Problem]:
    """The problems a report form carries forward: those open from earlier reports, and those
    this report resolved."""
    problems = Problem.objects.filter(project=project, status=ProblemStatus.OPEN)
    if report is not None:
        problems = problems.filter(
            opened_in__report_date__lt=report.report_date
        ) | Problem.objects.filter(resolved_in=report)
    return list(problems.select_related("category", "opened_in").order_by("id"))


def raised_problems(report: ProgressReport | None) -> list[Problem]:
    if report is None:
        return []
    return list(report.problems_opened.select_related("category").order_by("id"))


@dataclass
class CompliancePage:
    compliance: AgencyCompliance


@dataclass
class ProblemsPage:
    by_category: list[tuple[ProblemCategory, int]]
    by_agency: list[tuple[str, str, int]]
    total: int
    category: ProblemCategory | None
    fiscal_year: int | None
    fiscal_years: list[int]
    page: Page[Any] | None
