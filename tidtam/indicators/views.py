"""KPI pages: the list, one KPI, quarterly entry and scoring, closing a quarter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tidtam.accounts.access import access_for
from tidtam.indicators import actions
from tidtam.indicators.access import (
    can_evaluate,
    get_kpi_for_user,
    get_kpi_to_score,
    get_project_to_score,
    get_quarter,
    get_quarter_to_close,
    get_result_for_user,
)
from tidtam.indicators.forms import KpiForm, KpiResultForm, KpiScoreForm, ProjectScoreForm
from tidtam.indicators.kpi_page import build_kpi_page
from tidtam.indicators.models import (
    EvaluationCriterion,
    Kpi,
    KpiResult,
    QuarterClosure,
    RatingLevel,
)
from tidtam.lib.fiscal import fiscal_year_label
from tidtam.lib.language import current_language
from tidtam.lib.people import person_name
from tidtam.lib.web import int_or_none, show_refusal, year_or_none
from tidtam.orgs.models import Agency
from tidtam.projects.models import Quarter
from tidtam.reporting import mail as report_mail

PAGE_SIZE = 50


@require_GET
def kpi_detail(request: HttpRequest, code: str) -> HttpResponse:
    kpi = get_kpi_for_user(request.user, code, fiscal_year=year_or_none(request.GET.get("fy")))
    return render(
        request, "indicators/kpi_detail.html", {"view": build_kpi_page(kpi, request.user)}
    )


def _entry_title(heading: str, number: int, year: int) -> str:
    """An entry form's title: what is entered, for which quarter ("… · Quarter 1/2570")."""
    return f"{heading} · {_('Quarter')} {number}/{fiscal_year_label(year)}"


def _kpi_url(kpi: Kpi) -> str:
    return f"{reverse('kpi-detail', args=[kpi.code])}?fy={kpi.fiscal_year_id}"


@dataclass
class EntryPage:
    """A quarterly entry form: what it is about, and whether the quarter is still open."""

    title: str
    subject: str
    quarter: Quarter
    form: forms.Form
    back: str
    scale: list[RatingLevel]
    kpi: Kpi | None = None
    # Why the entry can no longer be changed, when it is on its way through review.
    locked: str = ""
    scores: bool = False  # a score on the rating scale is asked for
    # The version of the result the form shows, sent back with it (review.lock checks it).
    version: int | None = None

    @property
    def closed(self) -> bool:
        return self.quarter.closed_at is not None


def _entry(request: HttpRequest, page: EntryPage) -> HttpResponse:
    return render(request, "indicators/entry_form.html", {"view": page})


@login_required
@require_http_methods(["GET", "POST"])
def kpi_result_entry(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    kpi = get_kpi_for_user(request.user, code, fiscal_year=year, write=True)
    quarter = get_quarter(year, number)
    current = kpi.results.filter(quarter=quarter).first()
    form = KpiResultForm(
        request.POST if request.method == "POST" else None,
        unit=kpi.unit,
        mode_help=kpi.get_mode_display(),
        initial={"result": current.result, "narrative": current.narrative} if current else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.enter_kpi_result(
                kpi=kpi,
                quarter=quarter,
                result=form.cleaned_data["result"],
                narrative=form.cleaned_data["narrative"],
                by=request.user,
                expected_version=_version(request),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The result for quarter %(n)s is saved.") % {"n": number})
            return redirect(_kpi_url(kpi))
    title = _entry_title(_("Quarterly result"), number, year)
    page = EntryPage(title, f"{kpi.code} {kpi.text}", quarter, form, _kpi_url(kpi), [], kpi)
    page.version = current.version if current else None
    if not quarter.has_started(timezone.localdate()):
        page.locked = actions.not_started_reason(quarter)
    elif current is not None and not current.is_editable:
        page.locked = _("This result is %(status)s: it can no longer be changed.") % {
            "status": current.get_status_display()
        }
    return _entry(request, page)


@login_required
@require_http_methods(["GET", "POST"])
def kpi_score_entry(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    kpi = get_kpi_to_score(request.user, code, year)
    quarter = get_quarter(year, number)
    levels = list(RatingLevel.objects.all())
    criteria = list(EvaluationCriterion.objects.all())
    current = {s.criterion_id: s.score for s in kpi.scores.filter(quarter=quarter)}
    form = KpiScoreForm(
        request.POST if request.method == "POST" else None,
        criteria=criteria,
        levels=levels,
        lang=current_language(),
        initial={f"criterion_{pk}": str(score) for pk, score in current.items()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.score_kpi(kpi=kpi, quarter=quarter, scores=form.scores(), by=request.user)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, _("The evaluation for quarter %(n)s is saved.") % {"n": number}
            )
            return redirect(_kpi_url(kpi))
    title = _entry_title(_("Evaluate the indicator"), number, year)
    page = EntryPage(
        title, f"{kpi.code} {kpi.text}", quarter, form, _kpi_url(kpi), levels, kpi, scores=True
    )
    return _entry(request, page)


@login_required
@require_http_methods(["GET", "POST"])
def project_score_entry(request: HttpRequest, code: str, number: int) -> HttpResponse:
    project = get_project_to_score(request.user, code)
    quarter = get_quarter(project.fiscal_year_id, number)
    levels = list(RatingLevel.objects.all())
    current = project.evaluations.filter(quarter=quarter).first()
    form = ProjectScoreForm(
        request.POST if request.method == "POST" else None,
        levels=levels,
        lang=current_language(),
        initial={"score": f"{current.score:.2f}"}
        if current and current.score is not None
        else None,
    )
    back = reverse("project-detail", args=[project.code])
    if request.method == "POST" and form.is_valid():
        try:
            actions.score_project(
                project=project, quarter=quarter, score=form.cleaned_data["score"], by=request.user
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, _("The evaluation for quarter %(n)s is saved.") % {"n": number}
            )
            return redirect(back)
    title = _entry_title(_("Evaluate the project"), number, project.fiscal_year_id)
    page = EntryPage(
        title, f"{project.code} {project.name}", quarter, form, back, levels, scores=True
    )
    return _entry(request, page)


@dataclass(frozen=True)
class QuarterRow:
    quarter: Quarter
    closure: QuarterClosure | None
    over: bool  # it may be closed (`Quarter.has_ended`)

    @property
    def closed_by(self) -> str:
        return person_name(self.closure.closed_by if self.closure else None)


@login_required
@require_GET
def quarter_list(request: HttpRequest) -> HttpResponse:
    """The quarters of the fiscal years in use, for the evaluator who closes them."""
    if not can_evaluate(request.user):
        raise PermissionDenied(_("Only an evaluator scores KPIs and projects and closes quarters."))
    quarters = list(Quarter.objects.in_use().order_by("-fiscal_year_id", "number"))
    closures = {
        c.quarter_id: c
        for c in QuarterClosure.objects.filter(quarter__in=quarters).select_related("closed_by")
    }
    today = timezone.localdate()
    rows = [QuarterRow(q, closures.get(q.pk), q.has_ended(today)) for q in quarters]
    return render(request, "indicators/quarters.html", {"rows": rows})


@login_required
@require_POST
def quarter_close(request: HttpRequest, year: int, number: int) -> HttpResponse:
    quarter = get_quarter_to_close(request.user, year, number)
    try:
        actions.close_quarter(quarter=quarter, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Quarter %(n)s of fiscal year %(year)s is closed: its entries are locked.")
            % {"n": number, "year": fiscal_year_label(year)},
        )
    return redirect("quarter-list")


@login_required
@require_http_methods(["GET", "POST"])
def kpi_create(request: HttpRequest) -> HttpResponse:
    agencies = list(Agency.objects.filter(pk__in=access_for(request.user).officer_of))
    if not agencies:
        raise PermissionDenied(_("Only an officer of an agency creates a KPI."))
    form = KpiForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            kpi = actions.create_kpi(
                agency=form.cleaned_data["agency"],
                fiscal_year=form.cleaned_data["fiscal_year_be"],
                code=form.cleaned_data["code"],
                data=form.kpi_input(),
                by=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The KPI was created."))
            return redirect(_kpi_url(kpi))
    return render(request, "indicators/kpi_form.html", {"form": form, "kpi": None})


@login_required
@require_http_methods(["GET", "POST"])
def kpi_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    kpi = get_kpi_for_user(request.user, code, fiscal_year=year, write=True)
    form = KpiForm(request.POST or None, instance=kpi, agencies=[kpi.agency])
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_kpi(
                kpi=kpi,
                expected_version=form.cleaned_data["version"] or 0,
                data=form.kpi_input(),
                by=request.user,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The KPI was saved."))
            return redirect(_kpi_url(kpi))
    return render(request, "indicators/kpi_form.html", {"form": form, "kpi": kpi})


def _decided(
    request: HttpRequest, row: KpiResult, act: Callable[[], object], done: str
) -> HttpResponse:
    try:
        act()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if done:
            messages.success(request, done)
    return redirect(_kpi_url(row.kpi))


def _version(request: HttpRequest) -> int | None:
    """The result's version when the KPI page was loaded (none from an older page)."""
    return int_or_none(request.POST.get("version"), low=1)


def _result_submitted(request: HttpRequest, row: KpiResult) -> None:
    """The banner says the approvers were e-mailed only when they were (the rule of
    `mail.tell_reviewers`); otherwise it warns the officer."""
    if report_mail.approver_emails(row.kpi.agency_id):
        messages.success(
            request,
            _("The result is submitted: an e-mail is on its way to the agency's approvers."),
        )
    else:
        messages.warning(
            request,
            _(
                "The result is submitted, but the agency has no approver with an e-mail "
                "address, so no approver has been told: the administrators have been asked to "
                "add one. Tell your agency head."
            ),
        )


@login_required
@require_POST
def kpi_result_submit(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    row = get_result_for_user(request.user, code, year, number, submit=True)

    def submit() -> None:
        actions.submit_kpi_result(row=row, by=request.user, expected_version=_version(request))
        _result_submitted(request, row)

    return _decided(request, row, submit, "")


@login_required
@require_POST
def kpi_result_approve(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    row = get_result_for_user(request.user, code, year, number, review=True)
    return _decided(
        request,
        row,
        lambda: actions.approve_kpi_result(
            row=row, by=request.user, expected_version=_version(request)
        ),
        _("The result is approved and now public."),
    )


@login_required
@require_POST
def kpi_result_return(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    row = get_result_for_user(request.user, code, year, number, review=True)
    comment = request.POST.get("comment", "")
    return _decided(
        request,
        row,
        lambda: actions.return_kpi_result(
            row=row, by=request.user, comment=comment, expected_version=_version(request)
        ),
        _("The result is returned to the officer with your comment."),
    )
