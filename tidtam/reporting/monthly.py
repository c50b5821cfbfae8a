"""The monthly entry page of an agency: one small form per project still owing this month's
report, each saved on its own through the report actions.

The rows come from the stored standing (`missing_report`), in a fixed number of queries
however many projects the agency has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import QueryDict

from tidtam.audit.write import Actor
from tidtam.lib.web import show_refusal
from tidtam.orgs.models import Agency
from tidtam.projects.models import Project
from tidtam.reporting import actions
from tidtam.reporting.compliance import ReportingMonth
from tidtam.reporting.forms import MonthlyRowForm, add_rule_errors
from tidtam.reporting.models import ProgressReport, ReportStatus, with_month_report


@dataclass
class MonthlyRow:
    project: Project  # with its standing
    form: MonthlyRowForm | None  # None once the month's report is submitted
    draft: ProgressReport | None  # this month's draft or returned report
    previous: ProgressReport | None  # the latest report before this month
    # Set after a save on this row: the report as it now stands.
    saved: ProgressReport | None = None

    @property
    def report(self) -> ProgressReport | None:
        return self.saved or self.draft


@dataclass
class MonthlyPage:
    agency: Agency
    period: ReportingMonth
    rows: list[MonthlyRow]


def row_form(
    project: Project, draft: ProgressReport | None, today: date, data: QueryDict | None = None
) -> MonthlyRowForm:
    initial = (
        {
            "percent": draft.percent,
            "quantity": draft.quantity,
            "narrative": draft.narrative,
            "decrease_reason": draft.decrease_reason,
            "version": draft.version,
        }
        if draft
        else {}
    )
    return MonthlyRowForm(
        data,
        initial=initial,
        project=project,
        report_date=draft.report_date if draft else today,
        spent=draft.spent if draft else None,
        auto_id=f"id_{project.code}_%s",
    )


def _projects(agency: Agency, period: ReportingMonth) -> list[Project]:
    previous = (
        ProgressReport.objects.filter(project=OuterRef("pk"), report_date__lt=period.month)
        .newest_first()
        .values("pk")[:1]
    )
    due = Project.objects.filter(agency=agency).missing_this_month()
    return list(
        with_month_report(due, period.month)
        .annotate(previous_report=Subquery(previous))
        .select_related("standing")
        .order_by("code")
    )


def monthly_page(agency: Agency, period: ReportingMonth) -> MonthlyPage:
    """Every project of the agency still owing this month's report, each with a form."""
    projects = _projects(agency, period)
    wanted = [p.month_draft for p in projects if p.month_draft] + [  # type: ignore[attr-defined]
        p.previous_report  # type: ignore[attr-defined]
        for p in projects
        if p.previous_report  # type: ignore[attr-defined]
    ]
    reports = ProgressReport.objects.in_bulk(wanted)
    rows = []
    for project in projects:
        draft = reports.get(project.month_draft)  # type: ignore[attr-defined]
        rows.append(
            MonthlyRow(
                project=project,
                form=row_form(project, draft, period.today),
                draft=draft,
                previous=reports.get(project.previous_report),  # type: ignore[attr-defined]
            )
        )
    return MonthlyPage(agency=agency, period=period, rows=rows)


def load_row(project: Project, period: ReportingMonth) -> MonthlyRow:
    """One project's row, as the page shows it, for saving it on its own."""
    reports = ProgressReport.objects.filter(project=project)
    return MonthlyRow(
        project=project,
        form=None,
        draft=reports.in_month(period.month).editable().first(),
        previous=reports.filter(report_date__lt=period.month).newest_first().first(),
    )


def save_row(
    row: MonthlyRow, data: QueryDict, *, period: ReportingMonth, by: Actor
) -> ProgressReport | None:
    """Save the row through the report actions, submitting it when asked; the report saved,
    or None with the row's form carrying every error."""
    form = row_form(row.project, row.draft, period.today, data)
    row.form = form
    if not form.is_valid():
        add_rule_errors(
            form,
            actions.report_errors(row.project, report=row.draft, **form.known_values()),
        )
        return None
    try:
        submit = bool(data.get("and_submit"))
        if row.draft is None:
            report = actions.create_report(
                project=row.project, values=form.values(), by=by, submit=submit
            )
        else:
            report = actions.update_report(
                report=row.draft,
                # A row without the version it was loaded with cannot prove it is current.
                expected_version=form.cleaned_data["version"] or 0,
                values=form.values(),
                problems=None,
                by=by,
                submit=submit,
            )
    except actions.StaleReport as stale:
        # Saving again means replacing what is there now with this input, knowingly.
        row.draft = stale.current
        fresh = data.copy()
        fresh["version"] = str(stale.current.version)
        row.form = form = row_form(row.project, row.draft, period.today, fresh)
        form.is_valid()
        form.add_error(None, stale)
        return None
    except ValidationError as error:
        show_refusal(form, error)
        return None
    row.saved = report
    row.draft = report if report.status != ReportStatus.SUBMITTED else None
    # A saved draft is edited further in the same row: a fresh form at its new version.
    row.form = row_form(row.project, row.draft, period.today) if row.draft else None
    return report
