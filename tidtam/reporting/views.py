"""Monthly report pages: entry, review, attachments, the review queue, the reporting calendar
and the problems across projects."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tidtam.lib.fiscal import fiscal_year_of
from tidtam.lib.web import show_refusal
from tidtam.projects.access import get_project_for_user, projects_for_user
from tidtam.reporting import actions, mail
from tidtam.reporting.access import (
    agencies_for_compliance,
    get_agency_for_compliance,
    get_attachment_for_user,
    get_report_for_user,
)
from tidtam.reporting.compliance import agency_compliance, city_compliance, reporting_month
from tidtam.reporting.forms import NewProblemFormSet, ReportForm, ReviewForm, problem_changes
from tidtam.reporting.models import Problem, ProblemCategory, ProgressReport, ReportStatus
from tidtam.reporting.pages import (
    CompliancePage,
    ProblemsPage,
    ReportFormPage,
    build_report_page,
    carried_problems,
    previous_report,
    raised_problems,
)

PAGE_SIZE = 50
SUBMITTED = gettext_lazy(
    "The report is submitted: the agency's approvers have been told by e-mail."
)
SUBMITTED_UNSEEN = gettext_lazy(
    "The report is submitted, but the agency has no approver with an e-mail address, so no "
    "approver has been told: the administrators have been asked to add one. Tell your agency "
    "head."
)


def _report_submitted(request: HttpRequest, report: ProgressReport) -> None:
    """The banner says the approvers were e-mailed only when they were (the rule of
    `mail.tell_reviewers`); otherwise it warns the officer."""
    if mail.approver_emails(report.project.agency_id):
        messages.success(request, SUBMITTED)
    else:
        messages.warning(request, SUBMITTED_UNSEEN)


def _detail(report: ProgressReport) -> HttpResponse:
    return redirect("report-detail", pk=report.pk)


def _and_submit(request: HttpRequest, report: ProgressReport) -> None:
    """ "Save and submit" submits in the same transaction as the save."""
    if request.POST.get("and_submit"):
        actions.submit_report(report=report, by=request.user)


def _saved(request: HttpRequest, report: ProgressReport) -> HttpResponse:
    # The submit action writes the status on a copy of its own: read what it wrote.
    report.refresh_from_db(fields=["status"])
    if report.status == ReportStatus.SUBMITTED:
        _report_submitted(request, report)
    else:
        messages.success(request, _("The report is saved as a draft. Submit it when it is ready."))
    return _detail(report)


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, code: str) -> HttpResponse:
    project = get_project_for_user(request.user, code, write=True)
    problems = carried_problems(project, None)
    post = request.method == "POST"
    form = ReportForm(
        request.POST if post else None,
        request.FILES if post else None,
        problems=problems,
        initial={"report_date": timezone.localdate()},
    )
    formset = NewProblemFormSet(request.POST if post else None, prefix="problem")
    if post and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                report = actions.create_report(
                    project=project,
                    values=form.values(),
                    problems=problem_changes(form, formset),
                    files=form.cleaned_data["attachments"],
                    by=request.user,
                )
                _and_submit(request, report)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            return _saved(request, report)
    page = ReportFormPage(
        project=project,
        form=form,
        formset=formset,
        problems=problems,
        previous=previous_report(project, request.user),
        files_dropped=post and bool(request.FILES),
    )
    return render(request, "reporting/report_form.html", {"view": page})


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    problems = carried_problems(report.project, report)
    raised = raised_problems(report)
    post = request.method == "POST"
    form = ReportForm(
        request.POST if post else None,
        request.FILES if post else None,
        problems=problems,
        raised=raised,
        initial={
            "report_date": report.report_date,
            "percent": report.percent,
            "spent": report.spent,
            "narrative": report.narrative,
            "decrease_reason": report.decrease_reason,
            "resolved": [p.pk for p in problems if p.resolved_in_id == report.pk],
            "version": report.version,
        },
    )
    formset = NewProblemFormSet(request.POST if post else None, prefix="problem")
    current = None
    if post and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                saved = actions.update_report(
                    report=report,
                    # A form without the version it was loaded with cannot prove it is current.
                    expected_version=form.cleaned_data["version"] or 0,
                    values=form.values(),
                    problems=problem_changes(form, formset),
                    files=form.cleaned_data["attachments"],
                    by=request.user,
                )
                _and_submit(request, saved)
        except actions.StaleReport as stale:
            current = stale.current
            # Saving again means replacing what is there now with this input, knowingly.
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = ReportForm(data, problems=problems, raised=raised)
            form.is_valid()
            form.add_error(None, stale)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            return _saved(request, saved)
    page = ReportFormPage(
        project=report.project,
        form=form,
        formset=formset,
        problems=problems,
        report=report,
        raised=raised,
        attachments=list(report.attachments.all()),
        previous=previous_report(report.project, request.user, report),
        current=current,
        files_dropped=post and bool(request.FILES),
    )
    return render(request, "reporting/report_form.html", {"view": page})


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    return render(
        request,
        "reporting/report_detail.html",
        {"view": build_report_page(report, request.user)},
    )


def _act(
    request: HttpRequest,
    report: ProgressReport,
    done: str | Callable[[], None],
    act: Callable[[], object],
) -> HttpResponse:
    """Run a review step; a refusal (the report moved on meanwhile) becomes a message. `done`
    is the banner of success, or what says it."""
    try:
        with transaction.atomic():
            act()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if callable(done):
            done()
        else:
            messages.success(request, done)
    return _detail(report)


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    return _act(
        request,
        report,
        lambda: _report_submitted(request, report),
        lambda: actions.submit_report(
            report=report, by=request.user, expected_version=_version(request)
        ),
    )


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, review=True)
    form = ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(
        request,
        report,
        _("The report is approved."),
        lambda: actions.approve_report(
            report=report, by=request.user, comment=comment, expected_version=_version(request)
        ),
    )


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, review=True)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                actions.return_report(
                    report=report,
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                    expected_version=form.cleaned_data["version"],
                )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The report is returned to the officer with your comment."))
            return _detail(report)
    page = build_report_page(report, request.user, review_form=form)
    return render(request, "reporting/report_detail.html", {"view": page})


@login_required
@require_POST
def report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, delete=True)
    project = report.project
    try:
        with transaction.atomic():
            actions.delete_report(report=report, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _detail(report)
    messages.success(request, _("The draft report is deleted."))
    return redirect("project-detail", code=project.code)


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = get_attachment_for_user(request.user, pk, attachment_pk)
    try:
        handle = default_storage.open(attachment.stored_name, "rb")
    except FileNotFoundError:
        raise Http404("the file is missing from storage") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = get_attachment_for_user(request.user, pk, attachment_pk, write=True)
    report = attachment.report
    return _act(
        request,
        report,
        _("The file “%(name)s” is removed.") % {"name": attachment.original_name},
        lambda: actions.remove_attachment(attachment=attachment, by=request.user),
    )


@require_GET
def compliance(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_agency_for_compliance(request.user, code)
    period = reporting_month(timezone.localdate())
    page = CompliancePage(compliance=agency_compliance(agency, period))
    return render(request, "reporting/compliance.html", {"view": page})


@login_required
@require_GET
def city_compliance_page(request: HttpRequest) -> HttpResponse:
    """Every agency's reporting this month, for the readers across the city; agency staff see
    their own agencies' lines."""
    agency_ids = agencies_for_compliance(request.user)
    period = reporting_month(timezone.localdate())
    return render(
        request,
        "reporting/city_compliance.html",
        {"view": city_compliance(agency_ids, period), "city_wide": agency_ids is None},
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_GET
def problems(request: HttpRequest) -> HttpResponse:
    visible = projects_for_user(request.user)
    fiscal_years = sorted(
        visible.order_by().values_list("fiscal_year_id", flat=True).distinct(), reverse=True
    )
    fiscal_year = _int(request.GET.get("fy"))
    if fiscal_year is None and "fy" not in request.GET:
        current = fiscal_year_of(timezone.localdate())
        fiscal_year = current if current in fiscal_years else None
    open_problems = Problem.objects.open().visible_to(request.user)
    if fiscal_year:
        open_problems = open_problems.filter(project__fiscal_year_id=fiscal_year)
    category_pk = _int(request.GET.get("category"))
    category = ProblemCategory.objects.filter(pk=category_pk).first() if category_pk else None
    listing = None
    if category is not None:
        rows = (
            open_problems.filter(category=category)
            .select_related("project__agency", "opened_in", "category")
            .order_by("project__code", "id")
        )
        listing = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    by_category = open_problems.count_by_category()
    page = ProblemsPage(
        by_category=by_category,
        by_agency=open_problems.count_by_agency(),
        total=sum(n for _category, n in by_category),
        category=category,
        fiscal_year=fiscal_year,
        fiscal_years=fiscal_years,
        page=listing,
    )
    return render(request, "reporting/problems.html", {"view": page})
