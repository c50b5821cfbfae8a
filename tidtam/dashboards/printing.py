"""What a printed project shows: the project page's facts, laid out for A4 and PDF.

The print view, its PDF and the report books print one project each through
`build_project_print`, which takes everything from `build_project_page`: the reader sees on
paper what the page shows them (drafts for the agency's staff only, phones as the page
decides), in the same order, and nothing is queried or decided a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone

from tidtam.dashboards.project_page import ProjectPage, build_project_page
from tidtam.lib.language import current_language
from tidtam.projects.chart import ChartLabel
from tidtam.projects.models import Project
from tidtam.reporting.models import ProgressReport, ReportStatus


@dataclass(frozen=True)
class PrintOptions:
    """How a print document is set: the moment it was printed and the digits it uses."""

    printed_at: datetime
    # Thai digits (๑๒๓) throughout, as some official documents are typed; Thai only.
    thai_digits: bool = False

    @classmethod
    def from_request(cls, request: HttpRequest) -> PrintOptions:
        return cls(
            printed_at=timezone.now(),
            thai_digits=request.GET.get("digits") == "thai" and current_language() == "th",
        )


@dataclass(frozen=True)
class ProjectPrint:
    """One project's printable body (templates/print/_project.html renders it)."""

    page: ProjectPage
    # The chart without text inside the SVG, its texts placed over it as HTML: WeasyPrint
    # mis-shapes Thai inside SVG (upstream #2249).
    chart_svg: str
    chart_labels: list[ChartLabel]
    # The state of the data: the latest approved report's date (None when none is).
    approved_up_to: date | None

    @property
    def project(self) -> Project:
        return self.page.project

    @property
    def latest_reports(self) -> list[ProgressReport]:
        """The reports a book gives in full (print/_project.html in brief): the latest approved
        one, which its figures count, and any newer one the reader may see, newest first; the
        newest alone when none is approved."""
        latest: list[ProgressReport] = []
        for report in self.page.reports:  # newest first
            latest.append(report)
            if report.status == ReportStatus.APPROVED:
                break
        else:
            return latest[:1]
        return latest

    @property
    def anchor(self) -> str:
        """The prefix of the ids in the project's body: a book holds many projects, and an id
        twice in one document is an error (WeasyPrint warns "Anchor defined twice")."""
        return f"p{self.project.code}-"


def build_project_print(project: Project, user: object) -> ProjectPrint:
    """The printable project as `user` may see it; `project` comes through
    `projects.access.get_project_for_user` (with its standing, `related=("standing",)`)."""
    page = build_project_page(project, user)
    standing = page.standing
    assert standing is not None  # build_project_page always reads the standing
    return ProjectPrint(
        page=page,
        chart_svg=page.chart.svg(with_text=False),
        chart_labels=page.chart.labels,
        approved_up_to=standing.reported_on,
    )
