"""The one way views reach reports, attachments and an agency's reporting calendar.

A report the user may not see is a 404; a report they may see but not act on in the way asked
is a 403, with a sentence saying why.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from tidtam.accounts.access import access_for
from tidtam.orgs.models import Agency
from tidtam.reporting.actions import closed_quarter_reason
from tidtam.reporting.models import ProgressReport, ReportAttachment


@dataclass(frozen=True)
class ReportPermissions:
    """What the user may do with one report now."""

    edit: bool = False
    submit: bool = False
    delete: bool = False
    review: bool = False
    # A reviewer who entered the report may return it but not approve it (see approve_report).
    approve: bool = False
    entered: bool = False


def permissions(user: object, report: ProgressReport, *, closed: bool = False) -> ReportPermissions:
    """`closed`: the report's quarter is closed (see closed_quarter_reason)."""
    access = access_for(user)
    officer = access.edits_agency(report.project.agency_id)
    review = access.approves_agency(report.project.agency_id) and report.is_reviewable
    entered = review and ProgressReport.objects.filter(pk=report.pk).entered_by(user).exists()
    return ReportPermissions(
        edit=officer and report.is_editable and not closed,
        submit=officer and report.is_editable and not closed,
        delete=officer and report.is_deletable,
        review=review,
        approve=review and not entered,
        entered=entered,
    )


def _forbidden_write(user: object, report: ProgressReport) -> str | None:
    if not access_for(user).edits_agency(report.project.agency_id):
        return _("Only an officer of the project's agency may change its reports.")
    if not report.is_editable:
        return _("This report is %(status)s: it can no longer be changed.") % {
            "status": report.get_status_display()
        }
    return None


def _forbidden_review(user: object, report: ProgressReport) -> str | None:
    if not access_for(user).approves_agency(report.project.agency_id):
        return _("Only an approver of the project's agency may review its reports.")
    if not report.is_reviewable:
        return _("Only a submitted report can be reviewed; this one is %(status)s.") % {
            "status": report.get_status_display()
        }
    return None


def get_report_for_user(
    user: object, pk: int, *, write: bool = False, review: bool = False, delete: bool = False
) -> ProgressReport:
    """The report if the user may see it (a hidden report is a 404).

    With `write`, the user must be an officer of the agency and the report a draft or returned;
    with `delete`, an officer and the report a draft; with `review`, an approver of the agency
    and the report submitted; otherwise a 403.
    """
    report = (
        ProgressReport.objects.visible_to(user)
        .select_related(
            "project__agency",
            "project__fiscal_year",
            "created_by",
            "submitted_by",
            "reviewed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404("no such report")
    reason = (
        (_forbidden_write(user, report) if write or delete else None)
        or (_forbidden_review(user, report) if review else None)
        or (_("Only a draft can be deleted.") if delete and not report.is_deletable else None)
    )
    if not reason and write:
        reason = closed_quarter_reason(report.report_date) or None
    if reason:
        raise PermissionDenied(reason)
    return report


def get_attachment_for_user(
    user: object, report_pk: int, pk: int, *, write: bool = False
) -> ReportAttachment:
    report = get_report_for_user(user, report_pk, write=write)
    attachment = ReportAttachment.objects.filter(report=report, pk=pk).first()
    if attachment is None:
        raise Http404("no such attachment")
    attachment.report = report
    return attachment


def get_agency_for_compliance(user: object, code: str) -> Agency:
    """The agency whose reporting calendar the user may read: its officers and approvers and
    the readers across the city. For anyone else the page does not exist."""
    agency = Agency.objects.filter(code=code).first()
    if agency is None or not access_for(user).reads_agency(agency.pk):
        raise Http404("no such agency")
    return agency


def get_agency_for_entry(user: object, code: str) -> Agency:
    """The agency whose monthly reports the user enters: its officers only. That an agency
    exists is public, so anyone else signed in is refused (403); an unknown code is a 404."""
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise Http404("no such agency")
    if not access_for(user).edits_agency(agency.pk):
        raise PermissionDenied(_("Only the agency's officers enter its monthly reports."))
    return agency


def agencies_for_compliance(user: object) -> list[int] | None:
    """The agencies on the user's city-wide reporting calendar: every one (None) for the
    readers across the city, their own for agency staff; a 403 for anyone else."""
    access = access_for(user)
    if not access.follows_reporting:
        raise PermissionDenied(
            _("The reporting calendar is for the staff of an agency and readers across the city.")
        )
    return None if access.reads_all else sorted(access.agencies)


def require_reviewer(user: object) -> None:
    if not access_for(user).approver_of:
        raise PermissionDenied(_("The review queue is for the approvers of an agency."))
