"""Audited writes on progress reports: entry, review, problems and attachments.

Every action joins its caller's transaction and writes its history rows in it; e-mail goes out
only once that transaction has committed, by a background job.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tidtam.audit import write
from tidtam.audit.models import Event
from tidtam.audit.write import Actor, SyncResult, action, checked_action
from tidtam.lib.fiscal import fiscal_year_label
from tidtam.lib.forms import date_errors
from tidtam.lib.language import current_language
from tidtam.lib.thai import format_date, format_quantity
from tidtam.orgs.models import Origin
from tidtam.projects.models import Project, Quarter
from tidtam.projects.schedule import percent_of_target
from tidtam.reporting import mail, review
from tidtam.reporting.attachments import HEAD_BYTES, check_file, clean_name, room_errors
from tidtam.reporting.models import (
    Problem,
    ProblemCategory,
    ProblemStatus,
    ProgressReport,
    ReportAttachment,
    ReportStatus,
)


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
    system, not a full account of what Tidtam holds since. A report entered in Tidtam is never
    overwritten by a page: a legacy report on the same date is left out.
    """
    out_of_bounds = date_errors(*(r.report_date for r in reports))
    if out_of_bounds:
        raise ValidationError(out_of_bounds)
    existing = [] if new else list(project.reports.all())
    entered = {r.report_date for r in existing if r.origin != Origin.IMPORT}
    write.facts_changed(projects=[project.pk])
    return write.sync_rows(
        ProgressReport,
        existing=[r for r in existing if r.origin == Origin.IMPORT],
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
            if r.report_date not in entered
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


# --- Monthly reports entered in Tidtam ---


@dataclass(frozen=True)
class ReportValues:
    """What the officer enters on the monthly report form, already cleaned: the percent, or
    for a project measured as a quantity the quantity (the action works the percent out)."""

    report_date: date
    percent: Decimal | None
    narrative: str
    spent: Decimal | None = None
    decrease_reason: str = ""
    quantity: Decimal | None = None


def measured(project: Project, values: ReportValues) -> ReportValues:
    """The values as stored: for a project measured as a quantity, the percent is worked out
    from the quantity (percent_of_target, the one place); other projects keep no quantity."""
    if not project.measures_quantity:
        return replace(values, quantity=None)
    if values.quantity is None or values.quantity < 0:
        return replace(values, percent=None)
    assert project.progress_target is not None
    return replace(values, percent=percent_of_target(values.quantity, project.progress_target))


@dataclass(frozen=True)
class NewProblem:
    category: ProblemCategory
    description: str


@dataclass(frozen=True)
class ProblemChanges:
    """Problems raised by a report, and the carried-forward problems it resolves (all of them:
    a problem this report resolved before and is no longer in `resolved` is reopened)."""

    new: Sequence[NewProblem] = ()
    resolved: Collection[int] = ()
    # Problems this report raised by mistake: removed while the report is still editable.
    removed: Collection[int] = ()


class StaleReport(review.Stale):
    """Someone else changed the report after this form was loaded."""

    def __init__(self, current: ProgressReport) -> None:
        super().__init__(
            _(
                "Someone else changed this report after you opened it. Nothing was saved: your "
                "input is still below, and the report as it is now is shown beside it. Check "
                "it, then save again to replace it with your input."
            ),
            current,
        )


def _day(value: date) -> str:
    lang = current_language()
    return format_date(value, lang=lang)


def _month(value: date) -> str:
    lang = current_language()
    return format_date(value, style="month", lang=lang)


# Work may run late, and be reported, for up to a year after the plan ends (carry-over
# projects); a later date is almost always a report meant for another project.
LATE_REPORTING = timedelta(days=366)


def _report_window(project: Project) -> tuple[date, date]:
    """The first and last date a report of the project may carry."""
    span = project.steps.aggregate(first=Min("start"), last=Max("end"))
    start, end = project.fiscal_year.start, project.fiscal_year.end
    first = min(start, span["first"]) if span["first"] else start
    last = max(end, span["last"]) if span["last"] else end
    return first, last + LATE_REPORTING


def closed_quarter_reason(report_date: date) -> str:
    """Why a monthly report of this date is locked by the closing of its quarter ("" when the
    quarter is open). Closing a quarter freezes what officers report in it, as it freezes its
    KPI results: an officer then neither creates, edits, submits nor adds files to a report
    dated in it (a draft may still be deleted: it never counted)."""
    quarter = Quarter.objects.closed_on(report_date)
    if quarter is None:
        return ""
    return _(
        "Quarter %(quarter)s of fiscal year %(year)s is closed: its monthly reports are locked "
        "and can no longer be created, changed or submitted."
    ) % {"quarter": quarter.number, "year": fiscal_year_label(quarter.fiscal_year_id)}


def _require_open_quarter(report_date: date) -> None:
    reason = closed_quarter_reason(report_date)
    if reason:
        raise ValidationError({NON_FIELD_ERRORS: [reason]}, code="closed")


def report_errors(
    project: Project,
    *,
    report_date: date | None,
    percent: Decimal | None,
    narrative: str | None,
    spent: Decimal | None = None,
    decrease_reason: str = "",
    quantity: Decimal | None = None,
    report: ProgressReport | None = None,
) -> dict[str, list[str]]:
    """Every rule a report entered by hand breaks, by field.

    A value given as None could not be read (the form says why): the rules that need it are
    left out, so a form shows its own errors and the rules' in one pass. For a project
    measured as a quantity, the quantity is checked and the percent is the one `measured`
    works out from it.
    """
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    today = timezone.localdate()
    others = project.reports.exclude(pk=report.pk) if report else project.reports.all()
    if report_date is None:
        pass
    elif out_of_bounds := date_errors(report_date):
        errors["report_date"] = out_of_bounds
    elif report_date > today:
        fail("report_date", _("The report date cannot be in the future."))
    elif report_date < (window := _report_window(project))[0]:
        fail(
            "report_date",
            _("The report date cannot be before %(date)s, when the project's plan begins.")
            % {"date": _day(window[0])},
        )
    elif report_date > window[1]:
        fail(
            "report_date",
            _(
                "The report date cannot be after %(date)s, a year after the project's plan "
                "ends: is this the right project?"
            )
            % {"date": _day(window[1])},
        )
    elif closed := closed_quarter_reason(report_date):
        fail("report_date", closed)
    else:
        same_month = others.in_month(report_date).first()
        if same_month is not None:
            fail(
                "report_date",
                _(
                    "This project already has a report for %(month)s (dated %(date)s): there "
                    "is one report a month, so edit that report instead."
                )
                % {"month": _month(report_date), "date": _day(same_month.report_date)},
            )
    if project.measures_quantity:
        if quantity is not None and quantity < 0:
            fail("quantity", _("A quantity cannot be negative."))
    elif percent is not None and not Decimal(0) <= percent <= Decimal(100):
        fail("percent", _("Progress is a percentage from 0 to 100."))
    if spent is not None:
        if spent < 0:
            fail("spent", _("Spending cannot be negative."))
        elif project.budget is not None and spent > project.budget:
            fail(
                "spent",
                _("Spending is more than the project's budget of %(budget)s baht.")
                % {"budget": f"{project.budget:,.2f}"},
            )
    if narrative is not None and not narrative.strip():
        fail("narrative", _("Describe the progress made this month."))
    if report_date is None or decrease_reason.strip():
        return errors
    previous = others.filter(report_date__lt=report_date).newest_first().first()
    if previous is None:
        return errors
    if project.measures_quantity:
        if quantity is not None and previous.quantity is not None and quantity < previous.quantity:
            fail(
                "decrease_reason",
                _(
                    "The quantity is lower than in the previous report (%(quantity)s "
                    "%(unit)s on %(date)s): give the reason."
                )
                % {
                    "quantity": format_quantity(previous.quantity),
                    "unit": project.progress_unit,
                    "date": _day(previous.report_date),
                },
            )
    elif percent is not None and percent < previous.percent:
        fail(
            "decrease_reason",
            _(
                "Progress is lower than in the previous report (%(percent)s percent on "
                "%(date)s): give the reason."
            )
            % {"percent": f"{previous.percent:.2f}", "date": _day(previous.report_date)},
        )
    if spent is not None and previous.spent is not None and spent < previous.spent:
        fail(
            "decrease_reason",
            _(
                "Spending is lower than in the previous report (%(spent)s baht on "
                "%(date)s): give the reason."
            )
            % {"spent": f"{previous.spent:,.2f}", "date": _day(previous.report_date)},
        )
    return errors


def validate_report(
    project: Project, values: ReportValues, *, report: ProgressReport | None = None
) -> None:
    """The rules a report entered by hand must meet; every broken rule, by field. `values`
    are as `measured` returns them, and complete: progress left out is refused here, where a
    form's own required field says so first."""
    errors = report_errors(
        project,
        report_date=values.report_date,
        percent=values.percent,
        narrative=values.narrative,
        spent=values.spent,
        decrease_reason=values.decrease_reason,
        quantity=values.quantity,
        report=report,
    )
    if project.measures_quantity and values.quantity is None:
        errors.setdefault("quantity", []).append(
            _("Enter the quantity done so far, in %(unit)s.") % {"unit": project.progress_unit}
        )
    elif not project.measures_quantity and values.percent is None:
        errors.setdefault("percent", []).append(_("Enter the progress in percent."))
    if errors:
        raise ValidationError(errors)


def _lock(report: ProgressReport, expected_version: int | None = None) -> ProgressReport:
    return review.lock(REPORT, report, expected_version)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise review.refuse(message)


def _require_editable(report: ProgressReport) -> None:
    _require(
        report.is_editable,
        _("This report is %(status)s: it can no longer be changed.")
        % {"status": report.get_status_display()},
    )


def _report_values(values: ReportValues) -> dict[str, object]:
    return {
        "report_date": values.report_date,
        "percent": values.percent,
        "quantity": values.quantity,
        "spent": values.spent,
        "narrative": values.narrative.strip(),
        "decrease_reason": values.decrease_reason.strip(),
    }


@checked_action
def create_report(
    *,
    project: Project,
    values: ReportValues,
    by: Actor,
    problems: ProblemChanges = ProblemChanges(),
    files: Sequence[File[Any]] = (),
    submit: bool = False,
) -> ProgressReport:
    """A new draft monthly report, with the problems it raises or resolves and its files;
    with `submit` ("save and submit"), submitted in the same transaction."""
    # One report a month: reports of a project are created one at a time.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    values = measured(project, values)
    validate_report(project, values)
    report = write.save(
        ProgressReport(
            project=project,
            origin=Origin.MANUAL,
            status=ReportStatus.DRAFT,
            created_by=write.user_of(by),
            **_report_values(values),
        ),
        by=by,
    )
    _apply_problems(report, problems, by=by)
    _add_attachments(report, files, by=by)
    write.facts_changed(projects=[project.pk])
    if submit:
        return submit_report(report=report, by=by)
    return report


@checked_action
def update_report(
    *,
    report: ProgressReport,
    expected_version: int | None,
    values: ReportValues,
    by: Actor,
    problems: ProblemChanges | None = ProblemChanges(),
    files: Sequence[File[Any]] = (),
    reason: str = "",
    submit: bool = False,
) -> ProgressReport:
    """Change an editable report; with `problems` None, its problems are left as they are
    (a page that does not show them, like the monthly entry page); with `submit` ("save and
    submit"), submitted in the same transaction."""
    Project.objects.select_for_update().filter(pk=report.project_id).first()
    current = _lock(report, expected_version)
    _require_editable(current)
    # Moving a report out of a closed quarter would change what the quarter held.
    _require_open_quarter(current.report_date)
    values = measured(current.project, values)
    validate_report(current.project, values, report=current)
    write.assign(current, _report_values(values))
    review.changed(REPORT, current, by=by, comment=reason)
    if problems is not None:
        _apply_problems(current, problems, by=by)
    _add_attachments(current, files, by=by)
    if submit:
        return submit_report(report=current, by=by)
    return current


def _check_submit(report: ProgressReport) -> None:
    # A legacy report came in approved; it is never submitted.
    _require(report.origin != Origin.IMPORT, str(REPORT.texts.not_submittable))
    _require_open_quarter(report.report_date)


def _check_return(report: ProgressReport) -> None:
    _require(
        report.origin != Origin.IMPORT,
        _("A report taken from the old system cannot be returned: correct it in its source."),
    )
    _require(
        not closed_quarter_reason(report.report_date),
        _(
            "The report's quarter is closed: the officer could no longer correct it, so it "
            "cannot be returned. Approve it, or leave it unapproved: it then does not count."
        ),
    )


REPORT = review.ReviewKind(
    model=ProgressReport,
    related=("project",),
    texts=review.ReviewTexts(
        stale=gettext_lazy(
            "Someone else changed this report after you opened it. Nothing was saved: open "
            "it again to see their change."
        ),
        not_submittable=gettext_lazy("Only a draft or a returned report can be submitted."),
        not_reviewable=gettext_lazy(
            "Only a submitted report can be reviewed; this one is %(status)s."
        ),
        entered=gettext_lazy(
            "You entered this report: another approver of the agency must approve it."
        ),
        comment_required=gettext_lazy("Say what the officer should correct."),
        not_approved=gettext_lazy(
            "Only an approved report can have its approval withdrawn; this one is %(status)s."
        ),
    ),
    facts=lambda report: write.facts_changed(projects=[report.project_id]),
    on_submitted=mail.send_submitted,
    on_approved=mail.send_approved,
    on_returned=mail.send_returned,
    check_submit=_check_submit,
    check_return=_check_return,
    stale=StaleReport,
)
ENTERED_REFUSAL = REPORT.texts.entered


@checked_action
def submit_report(
    *, report: ProgressReport, by: Actor, expected_version: int | None = None
) -> ProgressReport:
    """Send a draft or returned report to the agency's approvers."""
    return review.submit(REPORT, report, by=by, expected_version=expected_version)


@checked_action
def approve_report(
    *, report: ProgressReport, by: Actor, comment: str = "", expected_version: int | None = None
) -> ProgressReport:
    """Approve a submitted report: it is locked from then on and becomes public with its
    project.

    Also once its quarter is closed: the closing freezes what officers report, and this report
    was submitted in time; the approver's decision on it is what is left to make. (It cannot
    be returned then: see return_report.)

    Four eyes: nobody approves a report they entered. A person who is both officer and
    approver of the agency may not approve a report they created, submitted (now or before a
    return), changed in any way while it was being entered (an edit, a problem raised or
    resolved, a file added or removed: every change in its history but a reviewer's
    decision), whoever submitted it last. See ProgressReportQuerySet._entered_by. Returning
    such a report is allowed: it publishes nothing, and it is how the person takes back an
    entry they find wrong."""
    return review.approve(REPORT, report, by=by, comment=comment, expected_version=expected_version)


@checked_action
def return_report(
    *, report: ProgressReport, by: Actor, comment: str, expected_version: int | None = None
) -> ProgressReport:
    """Send a submitted report back to its officer, saying what to correct.

    Not once its quarter is closed: the officer could no longer correct it. A report submitted
    before the closing was on time, so the approver may still approve it (see approve_report);
    left unapproved, it does not count.
    """
    return review.return_(REPORT, report, by=by, comment=comment, expected_version=expected_version)


@checked_action
def delete_report(*, report: ProgressReport, by: Actor) -> None:
    """Delete a draft with the problems it raised and its files; problems it resolved are
    open again."""
    current = _lock(report)
    _require(
        current.status == ReportStatus.DRAFT and current.origin != Origin.IMPORT,
        _("Only a draft can be deleted."),
    )
    event = Event.DRAFT_DELETED
    for problem in Problem.objects.filter(resolved_in=current):
        reopen_problem(problem=problem, by=by, event=event)
    for problem in Problem.objects.filter(opened_in=current):
        write.delete(problem, by=by, event=event)
    for attachment in current.attachments.all():
        _delete_attachment(attachment, by=by, event=event)
    write.delete(current, by=by, event=event)
    write.facts_changed(projects=[current.project_id])


# --- Problems ---


@checked_action
def add_problem(
    *, report: ProgressReport, category: ProblemCategory, description: str, by: Actor
) -> Problem:
    description = description.strip()
    if not description:
        raise ValidationError({"description": [_("Describe the problem.")]}, code="required")
    write.facts_changed(projects=[report.project_id])
    return write.save(
        Problem(
            project_id=report.project_id,
            category=category,
            description=description,
            opened_in=report,
            created_by=write.user_of(by),
        ),
        by=by,
    )


@checked_action
def resolve_problem(*, problem: Problem, report: ProgressReport, by: Actor) -> Problem:
    _require(problem.project_id == report.project_id, _("The problem is of another project."))
    problem.status = ProblemStatus.RESOLVED
    problem.resolved_in = report
    write.facts_changed(projects=[problem.project_id])
    return write.save(problem, by=by, event=Event.RESOLVED)


@action
def reopen_problem(*, problem: Problem, by: Actor, event: str = Event.REOPENED) -> Problem:
    problem.status = ProblemStatus.OPEN
    problem.resolved_in = None
    write.facts_changed(projects=[problem.project_id])
    return write.save(problem, by=by, event=event)


@checked_action
def remove_problem(*, problem: Problem, report: ProgressReport, by: Actor) -> None:
    """Remove a problem raised by mistake in an editable report that raised it."""
    _require(
        problem.opened_in_id == report.pk and problem.status == ProblemStatus.OPEN,
        _("Only an open problem raised in this report can be removed."),
    )
    write.delete(problem, by=by, event=Event.RAISED_BY_MISTAKE)
    write.facts_changed(projects=[problem.project_id])


def _apply_problems(report: ProgressReport, changes: ProblemChanges, *, by: Actor) -> None:
    if changes.removed:
        raised = {p.pk: p for p in Problem.objects.filter(opened_in=report)}
        if set(changes.removed) - raised.keys():
            raise ValidationError(
                {"removed": [_("A problem ticked for removal is not one this report raised.")]},
                code="stale",
            )
        for pk in sorted(changes.removed):
            remove_problem(problem=raised[pk], report=report, by=by)
    for new in changes.new:
        add_problem(report=report, category=new.category, description=new.description, by=by)
    wanted = set(changes.resolved)
    carried = Problem.objects.filter(
        project_id=report.project_id,
        status=ProblemStatus.OPEN,
        opened_in__report_date__lt=report.report_date,
    ) | Problem.objects.filter(resolved_in=report)
    known = {problem.pk: problem for problem in carried}
    if wanted - known.keys():
        raise ValidationError(
            {"resolved": [_("A problem ticked as resolved is no longer open.")]}, code="stale"
        )
    for pk, problem in sorted(known.items()):
        if pk in wanted and problem.status == ProblemStatus.OPEN:
            resolve_problem(problem=problem, report=report, by=by)
        elif pk not in wanted and problem.resolved_in_id == report.pk:
            reopen_problem(problem=problem, by=by)


# --- Attachments ---


def _stored_name(report: ProgressReport, extension: str) -> str:
    return f"reports/{report.project_id}/{report.pk}/{uuid.uuid4().hex}{extension}"


def _require_room(report: ProgressReport, uploads: Sequence[File[Any]]) -> None:
    """The report's limits on files (see room_errors), checked before any file is stored."""
    attached = list(report.attachments.values_list("size", flat=True))
    errors = room_errors(attached, [upload.size or 0 for upload in uploads])
    if errors:
        raise ValidationError({"attachments": errors}, code="too_many")


def _add_attachments(report: ProgressReport, uploads: Sequence[File[Any]], *, by: Actor) -> None:
    """The files sent with a report form: all of them, or none when they would pass the
    report's limits."""
    _require_room(report, uploads)
    for upload in uploads:
        add_attachment(report=report, upload=upload, by=by)


@checked_action
def add_attachment(*, report: ProgressReport, upload: File[Any], by: Actor) -> ReportAttachment:
    """Keep a PDF, PNG or JPEG file with an editable report, within the report's limits on
    the number and total size of its files (room_errors).

    The file reaches storage inside the transaction; should the transaction then fail, the
    stored file is left without a record and is never served.
    """
    current = _lock(report)
    _require_editable(current)
    _require_open_quarter(current.report_date)
    _require_room(current, [upload])
    name = clean_name(upload.name or "")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    size = upload.size or 0
    try:
        kind = check_file(name, head, size)
    except ValidationError as error:
        raise ValidationError({"attachments": error.messages}, code=error.code) from None
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stored = default_storage.save(_stored_name(current, kind.extension), upload)
    return write.save(
        ReportAttachment(
            report=current,
            stored_name=stored,
            original_name=name,
            content_type=kind.content_type,
            size=size,
            sha256=digest.hexdigest(),
            uploaded_by=write.user_of(by),
        ),
        by=by,
    )


def _delete_attachment(attachment: ReportAttachment, *, by: Actor, event: str = "") -> None:
    stored = attachment.stored_name
    write.delete(attachment, by=by, event=event)
    transaction.on_commit(partial(default_storage.delete, stored))


@checked_action
def remove_attachment(*, attachment: ReportAttachment, by: Actor) -> None:
    report = _lock(attachment.report)
    _require_editable(report)
    _require_open_quarter(report.report_date)
    _delete_attachment(attachment, by=by)
