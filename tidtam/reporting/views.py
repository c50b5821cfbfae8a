"""Monthly report pages: entry, review, attachments, the review queue, the reporting calendar
and the problems across projects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tidtam.lib.fiscal import fiscal_year_of
from tidtam.lib.language import current_language
from tidtam.lib.thai import format_date
from tidtam.lib.web import Confirmation, confirm_page, int_or_none, show_refusal, year_or_none
from tidtam.projects.access import get_project_for_user, projects_for_user
from tidtam.projects.models import Project
from tidtam.reporting import actions, mail, monthly
from tidtam.reporting.access import (
    agencies_for_compliance,
    get_agency_for_compliance,
    get_agency_for_entry,
    get_attachment_for_user,
    get_report_for_user,
)
from tidtam.reporting.compliance import (
    ReportingMonth,
    agency_compliance,
    city_compliance,
    reporting_month,
)
from tidtam.reporting.forms import (
    NewProblemFormSet,
    ReportForm,
    ReviewForm,
    add_rule_errors,
    problem_changes,
)
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
    "The report is submitted: an e-mail is on its way to the agency's approvers."
)
SUBMITTED_UNSEEN = gettext_lazy(
    "The report is submitted, but the agency has no approver with an e-mail address, so no "
    "approver has been told: the administrators have been asked to add one. Tell your agency "
    "head."
)


def saved_notice(report: ProgressReport) -> tuple[int, str]:
    """The banner after a report is saved or submitted, as (message level, text): a submitted
    report says the approvers were e-mailed only when they were (the rule of
    `mail.tell_reviewers`); otherwise it warns the officer."""
    if report.status != ReportStatus.SUBMITTED:
        return messages.SUCCESS, _("The report is saved as a draft. Submit it when it is ready.")
    if mail.approver_emails(report.project.agency_id):
        return messages.SUCCESS, str(SUBMITTED)
    return messages.WARNING, str(SUBMITTED_UNSEEN)


def _tell(request: HttpRequest, report: ProgressReport) -> None:
    # The actions write the status on a copy of their own: read what they wrote.
    report.refresh_from_db(fields=["status"])
    messages.add_message(request, *saved_notice(report))


def _detail(report: ProgressReport) -> HttpResponse:
    return redirect("report-detail", pk=report.pk)


def _saved(request: HttpRequest, report: ProgressReport) -> HttpResponse:
    _tell(request, report)
    return _detail(report)


def _check_rules(form: ReportForm, project: Project, report: ProgressReport | None) -> None:
    """A refused form still shows what the report's rules say of the values it read, so the
    officer corrects everything in one pass."""
    add_rule_errors(form, actions.report_errors(project, report=report, **form.known_values()))


def _starting_text(request: HttpRequest, previous: ProgressReport | None) -> dict[str, str]:
    """ "Start from last month's text": the previous report's narrative, when asked for."""
    if request.method == "GET" and request.GET.get("start") == "previous" and previous:
        return {"narrative": previous.narrative}
    return {}


def _planned_on(form: ReportForm, default: date) -> date:
    day = form.cleaned_data.get("report_date") if form.is_bound else None
    return day if isinstance(day, date) else default


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, code: str) -> HttpResponse:
    project = get_project_for_user(request.user, code, write=True)
    problems = carried_problems(project, None)
    previous = previous_report(project, request.user)
    post = request.method == "POST"
    today = timezone.localdate()
    form = ReportForm(
        request.POST if post else None,
        request.FILES if post else None,
        problems=problems,
        project=project,
        initial={"report_date": today, **_starting_text(request, previous)},
    )
    formset = NewProblemFormSet(request.POST if post else None, prefix="problem")
    if post and all([form.is_valid(), formset.is_valid()]):
        try:
            report = actions.create_report(
                project=project,
                values=form.values(),
                problems=problem_changes(form, formset),
                files=form.cleaned_data["attachments"],
                by=request.user,
                submit=bool(request.POST.get("and_submit")),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            return _saved(request, report)
    elif post:
        _check_rules(form, project, None)
    planned_on = _planned_on(form, today)
    page = ReportFormPage(
        project=project,
        form=form,
        formset=formset,
        problems=problems,
        previous=previous,
        planned=project.planned_progress(planned_on),
        planned_on=planned_on,
        files_dropped=post and bool(request.FILES),
    )
    return render(request, "reporting/report_form.html", {"view": page})


def _removal_to_confirm(
    request: HttpRequest, form: ReportForm, raised: list[Problem]
) -> list[Problem]:
    """Removing problems deletes them: a save with problems ticked for removal first asks,
    and removes them only when saved again with the confirmation."""
    if request.POST.get("confirm_removal") == "1":
        return []
    ticked = set(form.cleaned_data["removed"])
    return [problem for problem in raised if problem.pk in ticked]


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    problems = carried_problems(report.project, report)
    raised = raised_problems(report)
    previous = previous_report(report.project, request.user, report)
    attachments = list(report.attachments.all())
    post = request.method == "POST"
    form = ReportForm(
        request.POST if post else None,
        request.FILES if post else None,
        problems=problems,
        raised=raised,
        project=report.project,
        attached=[a.size for a in attachments],
        initial={
            "report_date": report.report_date,
            "percent": report.percent,
            "quantity": report.quantity,
            "spent": report.spent,
            "narrative": report.narrative,
            "decrease_reason": report.decrease_reason,
            "resolved": [p.pk for p in problems if p.resolved_in_id == report.pk],
            "version": report.version,
            **_starting_text(request, previous),
        },
    )
    formset = NewProblemFormSet(request.POST if post else None, prefix="problem")
    current = None
    valid = post and all([form.is_valid(), formset.is_valid()])
    to_remove = _removal_to_confirm(request, form, raised) if valid else []
    if valid and not to_remove:
        try:
            saved = actions.update_report(
                report=report,
                # A form without the version it was loaded with cannot prove it is current.
                expected_version=form.cleaned_data["version"] or 0,
                values=form.values(),
                problems=problem_changes(form, formset),
                files=form.cleaned_data["attachments"],
                by=request.user,
                submit=bool(request.POST.get("and_submit")),
            )
        except actions.StaleReport as stale:
            current = stale.current
            # Saving again means replacing what is there now with this input, knowingly.
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = ReportForm(data, problems=problems, raised=raised, project=report.project)
            form.is_valid()
            form.add_error(None, stale)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            return _saved(request, saved)
    elif post and not valid:
        _check_rules(form, report.project, report)
    planned_on = _planned_on(form, report.report_date)
    page = ReportFormPage(
        project=report.project,
        form=form,
        formset=formset,
        problems=problems,
        report=report,
        raised=raised,
        attachments=attachments,
        previous=previous,
        planned=report.project.planned_progress(planned_on),
        planned_on=planned_on,
        current=current,
        confirm_removal=to_remove,
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
    return int_or_none(request.POST.get("version"), low=1)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    return _act(
        request,
        report,
        lambda: _tell(request, report),
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
@require_http_methods(["GET", "POST"])
def report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, delete=True)
    project = report.project
    if request.method == "GET":
        month = format_date(report.report_date, style="month", lang=current_language())
        return confirm_page(
            request,
            Confirmation(
                question=_("Delete the draft report of %(month)s?") % {"month": month},
                consequence=_(
                    "The draft, its files and the problems it raised are deleted for good; "
                    "problems it resolved are open again."
                ),
                action=_("Delete the draft"),
                cancel_url=reverse("report-detail", args=[report.pk]),
            ),
        )
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
@require_http_methods(["GET", "POST"])
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = get_attachment_for_user(request.user, pk, attachment_pk, write=True)
    report = attachment.report
    if request.method == "GET":
        return confirm_page(
            request,
            Confirmation(
                question=_("Remove the file “%(name)s” from the report?")
                % {"name": attachment.original_name},
                consequence=_("The file is deleted for good."),
                action=_("Remove the file"),
                cancel_url=reverse("report-detail", args=[report.pk]),
            ),
        )
    return _act(
        request,
        report,
        _("The file “%(name)s” is removed.") % {"name": attachment.original_name},
        lambda: actions.remove_attachment(attachment=attachment, by=request.user),
    )


def _monthly_period() -> ReportingMonth:
    return reporting_month(timezone.localdate())


@login_required
@require_GET
def monthly_entry(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_agency_for_entry(request.user, code)
    page = monthly.monthly_page(agency, _monthly_period())
    return render(request, "reporting/monthly.html", {"view": page})


@login_required
@require_POST
def monthly_row(request: HttpRequest, code: str, project_code: str) -> HttpResponse:
    """Save one row of the monthly entry page: with HTMX the row alone comes back; without
    JavaScript, a saved row redirects back to the page and a refused one shows the page with
    the row's errors."""
    agency = get_agency_for_entry(request.user, code)
    project = get_project_for_user(request.user, project_code, write=True)
    if project.agency_id != agency.pk:
        raise Http404("the project is of another agency")
    period = _monthly_period()
    row = monthly.load_row(project, period)
    saved = monthly.save_row(row, request.POST, period=period, by=request.user)
    if getattr(request, "htmx", False):
        level, notice = saved_notice(saved) if saved else (None, "")
        context = {
            "row": row,
            "agency": agency,
            "notice": notice,
            "notice_tag": messages.DEFAULT_TAGS.get(level, "") if level else "",
        }
        return render(request, "reporting/_monthly_row.html", context)
    if saved is not None:
        _tell(request, saved)
        return redirect(reverse("agency-monthly", args=[agency.code]) + f"#row-{project.code}")
    page = monthly.monthly_page(agency, period)
    page.rows = [row if r.project.pk == project.pk else r for r in page.rows]
    return render(request, "reporting/monthly.html", {"view": page})


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


@require_GET
def problems(request: HttpRequest) -> HttpResponse:
    visible = projects_for_user(request.user)
    fiscal_years = sorted(
        visible.order_by().values_list("fiscal_year_id", flat=True).distinct(), reverse=True
    )
    fiscal_year = year_or_none(request.GET.get("fy"))
    if fiscal_year is None and "fy" not in request.GET:
        current = fiscal_year_of(timezone.localdate())
        fiscal_year = current if current in fiscal_years else None
    open_problems = Problem.objects.open().visible_to(request.user)
    if fiscal_year:
        open_problems = open_problems.filter(project__fiscal_year_id=fiscal_year)
    category_pk = int_or_none(request.GET.get("category"))
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
