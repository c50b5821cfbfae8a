"""Audited writes on progress reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tidtam.audit import write
from tidtam.audit.write import Actor, SyncResult, action
from tidtam.orgs.models import Origin
from tidtam.projects.models import Project
from tidtam.reporting.models import ProgressReport, ReportStatus


@dataclass(frozen=True)
class ReportInput:
    report_date: date
    percent: Decimal
    narrative: str
    problems: str = ""
    obstacles: str = ""
    narrative_date: date | None = None


@action
def record_imported_reports(
    *, project: Project, reports: Sequence[ReportInput], by: Actor, reason: str, new: bool = False
) -> SyncResult:
    """Store reports taken from a legacy page as approved, one per report date.

    Reports missing from a newer copy of the page are kept: the page is a window on the old
    system, not a full account of what Tidtam holds since.
    """
    return write.sync_rows(
        ProgressReport,
        existing=[] if new else project.reports.all(),
        key=lambda report: report.report_date,
        wanted={
            r.report_date: {
                "percent": r.percent,
                "narrative_date": r.narrative_date,
                "narrative": r.narrative,
                "problems": r.problems,
                "obstacles": r.obstacles,
            }
            for r in reports
        },
        make=lambda report_date, v: ProgressReport(
            project=project,
            report_date=report_date,
            status=ReportStatus.APPROVED,
            origin=Origin.IMPORT,
            **v,
        ),
        by=by,
        reason=reason,
        delete_missing=False,
    )
