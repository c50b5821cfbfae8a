"""Monthly progress reports: read the ones the reader may see; enter, submit, approve and
return them through the same access rules and actions as the report pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema, Status

from tidtam.api.errors import ERROR_STATUSES, ErrorOut
from tidtam.api.inputs import RECORD_ID, ReportIn, ReportUpdate, ReviewIn
from tidtam.api.params import CODE
from tidtam.api.schemas import number
from tidtam.api.security import reader, writer
from tidtam.audit.write import Actor
from tidtam.projects.access import get_project_for_user
from tidtam.reporting import actions
from tidtam.reporting.access import get_report_for_user
from tidtam.reporting.models import Problem, ProblemCategory, ProgressReport

router = Router(tags=["reports"])


class ProblemOut(Schema):
    id: int
    category: int
    category_name: str
    description: str
    status: str


class ReportDetail(Schema):
    id: int
    project: str
    report_date: date
    percent: float
    quantity: float | None
    spent: float | None
    narrative: str
    decrease_reason: str
    # draft, submitted, returned or approved; the public sees approved reports only.
    status: str
    review_comment: str
    version: int
    problems_raised: list[ProblemOut]


def with_problems(reports: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    """Reports with their project and the problems they raised, read in two queries
    whatever their number (`report_out` reads them from here)."""
    raised = Problem.objects.select_related("category").order_by("id")
    return reports.select_related("project").prefetch_related(
        Prefetch("problems_opened", queryset=raised)
    )


def report_out(report: ProgressReport) -> ReportDetail:
    """A report read through `with_problems`."""
    raised = report.problems_opened.all()
    return ReportDetail(
        id=report.pk,
        project=report.project.code,
        report_date=report.report_date,
        percent=float(report.percent),
        quantity=number(report.quantity),
        spent=number(report.spent),
        narrative=report.narrative,
        decrease_reason=report.decrease_reason,
        status=report.status,
        review_comment=report.review_comment,
        version=report.version,
        problems_raised=[
            ProblemOut(
                id=p.pk,
                category=p.category_id,
                category_name=p.category.name_th,
                description=p.description,
                status=p.status,
            )
            for p in raised
        ],
    )


def _changes(body: ReportIn) -> actions.ProblemChanges:
    categories = {
        c.pk: c
        for c in ProblemCategory.objects.filter(
            active=True, pk__in=[p.category for p in body.problems]
        )
    }
    unknown = {
        f"problems.{n}.category": [
            _("There is no such problem category, or it is no longer offered.")
        ]
        for n, p in enumerate(body.problems)
        if p.category not in categories
    }
    if unknown:
        raise ValidationError(unknown)
    return actions.ProblemChanges(
        new=[actions.NewProblem(categories[p.category], p.description) for p in body.problems],
        resolved=body.resolved,
    )


def _values(body: ReportIn) -> actions.ReportValues:
    return actions.ReportValues(
        report_date=body.report_date,
        percent=body.percent,
        quantity=body.quantity,
        spent=body.spent,
        narrative=body.narrative,
        decrease_reason=body.decrease_reason,
    )


def _fresh(report: ProgressReport) -> ReportDetail:
    # The actions write on copies of their own: answer with what was stored.
    return report_out(with_problems(ProgressReport.objects.filter(pk=report.pk)).get())


@router.get(
    "/projects/{code}/reports",
    response={200: list[ReportDetail], ERROR_STATUSES: ErrorOut},
    url_name="project-reports",
    summary="A project's monthly reports the reader may see, newest first",
    description=(
        "The public sees approved reports of published projects; the agency's staff also "
        "see drafts, submitted and returned reports."
    ),
)
def project_reports(request: HttpRequest, code: Path[CODE]) -> list[ReportDetail]:
    project = get_project_for_user(reader(request), code)
    reports = (
        ProgressReport.objects.visible_to(reader(request))
        .filter(project=project)
        .order_by("-report_date", "-id")
    )
    return [report_out(report) for report in with_problems(reports)]


@router.post(
    "/projects/{code}/reports",
    response={201: ReportDetail, ERROR_STATUSES: ErrorOut},
    url_name="report-create",
    summary="Enter a monthly report (a draft, or submitted at once with `submit`)",
)
def report_create(request: HttpRequest, code: Path[CODE], body: ReportIn) -> Status[ReportDetail]:
    user = writer(request)
    project = get_project_for_user(user, code, write=True)
    report = actions.create_report(
        project=project,
        values=_values(body),
        problems=_changes(body),
        by=user,
        submit=body.submit,
    )
    return Status(201, _fresh(report))


@router.get(
    "/reports/{report_id}",
    response={200: ReportDetail, ERROR_STATUSES: ErrorOut},
    url_name="report",
    summary="One monthly report, if the reader may see it",
)
def report_detail(request: HttpRequest, report_id: Path[RECORD_ID]) -> ReportDetail:
    return _fresh(get_report_for_user(reader(request), report_id))


@router.put(
    "/reports/{report_id}",
    response={200: ReportDetail, ERROR_STATUSES: ErrorOut},
    url_name="report-update",
    summary="Change a draft or returned report (and submit it with `submit`)",
    description=(
        "`version` is the report's version when it was read: a report changed since is "
        "refused with 409. The problems listed are added; `resolved` lists every carried "
        "problem the report resolves."
    ),
)
def report_update(
    request: HttpRequest, report_id: Path[RECORD_ID], body: ReportUpdate
) -> ReportDetail:
    user = writer(request)
    report = get_report_for_user(user, report_id, write=True)
    saved = actions.update_report(
        report=report,
        expected_version=body.version,
        values=_values(body),
        problems=_changes(body),
        by=user,
        submit=body.submit,
    )
    return _fresh(saved)


# The review steps of a report, each an operation: (step, summary, an approver's step, the act).
ReviewStep = tuple[str, str, bool, Callable[[ProgressReport, Actor, ReviewIn], object]]
REVIEW_STEPS: list[ReviewStep] = [
    (
        "submit",
        "Submit a draft or returned report to the agency's approvers",
        False,
        lambda report, user, body: actions.submit_report(
            report=report, by=user, expected_version=body.version
        ),
    ),
    (
        "approve",
        "Approve a submitted report (not one you entered)",
        True,
        lambda report, user, body: actions.approve_report(
            report=report, by=user, comment=body.comment, expected_version=body.version
        ),
    ),
    (
        "return",
        "Send a submitted report back to its officer, saying what to correct",
        True,
        lambda report, user, body: actions.return_report(
            report=report, by=user, comment=body.comment, expected_version=body.version
        ),
    ),
]


def _review_operation(step: str, summary: str, review: bool, act: Callable[..., object]) -> None:
    def operation(request: HttpRequest, report_id: Path[RECORD_ID], body: ReviewIn) -> ReportDetail:
        user = writer(request)
        report = get_report_for_user(user, report_id, write=not review, review=review)
        with transaction.atomic():
            act(report, user, body)
        return _fresh(report)

    router.post(
        f"/reports/{{report_id}}/{step}",
        response={200: ReportDetail, ERROR_STATUSES: ErrorOut},
        url_name=f"report-{step}",
        operation_id=f"tidtam_api_reports_report_{step}",
        summary=summary,
    )(operation)


for review_step in REVIEW_STEPS:
    _review_operation(*review_step)
