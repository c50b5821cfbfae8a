"""Each role's daily work, gathered in a fixed number of queries: My work and the review
queue read reports and KPI results from both apps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator

from tidtam.accounts.access import Access, access_for
from tidtam.accounts.models import Membership
from tidtam.indicators.models import Kpi, KpiResult, unscored_projects
from tidtam.projects.models import Project, Quarter
from tidtam.reporting.models import ProgressReport, with_month_report

# The first screenful of each list; the rest is one click away (the review queue, the
# reporting calendar, the project list).
SHOWN = 50


@dataclass
class Scoring:
    """The evaluator's quarter: what is left to score in it."""

    quarter: Quarter
    kpis: list[Kpi]
    kpis_total: int
    projects: list[Project]
    projects_total: int


@dataclass
class MyWorkPage:
    access: Access
    memberships: list[Membership]
    editable: list[Project]
    creates_projects: bool = False
    shown: int = SHOWN
    # Officers: this month's projects still owing their report (each annotated with
    # `month_draft`, the report under way), and their drafts and returned items.
    due: list[Project] = field(default_factory=list)
    to_complete: list[ProgressReport] = field(default_factory=list)
    results_to_complete: list[KpiResult] = field(default_factory=list)
    # Approvers: what waits for their review.
    to_review: list[ProgressReport] = field(default_factory=list)
    results_to_review: list[KpiResult] = field(default_factory=list)
    # Evaluators: the quarter to score and the quarters to close.
    scoring: Scoring | None = None
    to_close: list[Quarter] = field(default_factory=list)


def due_this_month(user: object, today: date) -> list[Project]:
    """The user's projects whose stored standing says this month's report is missing, with the
    report under way for the month, if any, to continue instead of starting a new one."""
    projects = Project.objects.editable_by(user).missing_this_month()
    return list(
        with_month_report(projects, today).select_related("agency").order_by("code")[:SHOWN]
    )


def _scoring(today: date) -> Scoring | None:
    quarter = Quarter.objects.to_score(today)
    if quarter is None:
        return None
    kpis = Kpi.objects.unscored_in(quarter)
    projects = unscored_projects(Project.objects.all(), quarter)
    return Scoring(
        quarter=quarter,
        kpis=list(kpis.for_list()[:SHOWN]),
        kpis_total=kpis.count(),
        projects=list(projects.select_related("agency").order_by("code")[:SHOWN]),
        projects_total=projects.count(),
    )


def build_my_work(user: Any, today: date) -> MyWorkPage:
    """`user` is signed in (My work needs it): any role, or none yet."""
    access = access_for(user)
    page = MyWorkPage(
        access=access,
        memberships=list(user.memberships.select_related("agency")),
        editable=list(
            with_month_report(Project.objects.editable_by(user).for_list(), today).select_related(
                "standing"
            )[:200]
        ),
        creates_projects=bool(access.officer_of),
    )
    if access.officer_of:
        page.due = due_this_month(user, today)
        page.to_complete = list(ProgressReport.objects.to_complete_by(user).for_list()[:SHOWN])
        page.results_to_complete = list(KpiResult.objects.to_complete_by(user).for_list()[:SHOWN])
    if access.approver_of:
        page.to_review = list(ProgressReport.objects.awaiting_review_by(user).for_list()[:SHOWN])
        page.results_to_review = list(KpiResult.objects.awaiting_review_by(user).for_list()[:SHOWN])
    if access.evaluator:
        page.scoring = _scoring(today)
        page.to_close = list(Quarter.objects.to_close(today).order_by("fiscal_year_id", "number"))
    return page


@dataclass
class ReviewQueuePage:
    """Both kinds of submission an approver decides on: monthly reports, page by page, and
    quarterly KPI results (a few a quarter), each oldest first."""

    page: Page[Any]
    total: int
    results: list[KpiResult]
    results_total: int


def build_review_queue(user: object, page_number: str | None) -> ReviewQueuePage:
    reports = ProgressReport.objects.awaiting_review_by(user).for_list()
    paginator = Paginator(reports, SHOWN)
    results = KpiResult.objects.awaiting_review_by(user)
    return ReviewQueuePage(
        page=paginator.get_page(page_number),
        total=paginator.count,
        results=list(results.for_list()[:SHOWN]),
        results_total=results.count(),
    )
