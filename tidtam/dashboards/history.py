"""The history tab of a project page: every change of record about the project.

Who may read it: the history names the officers who made each change, so it is shown to
insiders only — the project agency's own officers and approvers, and the city-wide readers
(evaluator, executive, administrator). Everyone else gets a 404, for a published project as
well as an unpublished one: the tab does not exist for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tidtam.accounts.access import access_for
from tidtam.accounts.models import AccountEvent, Membership
from tidtam.audit.history import Entry, Refs, Source, trail_page
from tidtam.indicators.models import Kpi, KpiResult, KpiScore, KpiSupport, ProjectEvaluation
from tidtam.lib.language import current_language
from tidtam.lib.people import person_name
from tidtam.lib.thai import format_date
from tidtam.projects.access import get_project_for_user
from tidtam.projects.models import (
    BudgetInstalment,
    DataWarning,
    PlanBaseline,
    PlanLink,
    PlanStep,
    Project,
    ProjectContact,
    ProjectItem,
)
from tidtam.reporting.models import Problem, ProgressReport, ReportAttachment


def _of_project(project: Project) -> Q:
    return Q(project_id=project.pk)


def _supported_kpis(project: Project) -> Any:
    # Through the links' history, so a KPI the project once supported keeps its trail here.
    return KpiSupport.history.filter(project_id=project.pk).values("kpi_id")


def _reports_ever(project: Project) -> Any:
    # Through the reports' history, so the files of a deleted draft keep their trail here.
    return ProgressReport.history.filter(project_id=project.pk).values("id")


def _report_label(report: Any) -> str:
    """A report is known by its date on the project page; a history row of one as well."""
    return gettext("report of %(date)s") % {
        "date": format_date(report.report_date, lang=current_language())
    }


def _report(row: Any, refs: Refs) -> str:
    report = refs.of(row, "report")
    return _report_label(report) if report is not None else f"#{row.report_id}"


def _kpi_code(row: Any, refs: Refs) -> str:
    kpi = refs.of(row, "kpi")
    return kpi.code if isinstance(kpi, Kpi) else f"#{row.kpi_id}"


def _quarter(row: Any, refs: Refs) -> str:
    quarter = refs.of(row, "quarter")
    return str(quarter) if quarter is not None else f"#{row.quarter_id}"


def _criterion(row: Any, refs: Refs) -> str:
    criterion = refs.of(row, "criterion")
    return str(criterion) if criterion is not None else f"#{row.criterion_id}"


PARENT_NAMES = {
    "project": _("project"),
    "kpi": _("KPI"),
    "quarter": _("quarter"),
    "criterion": _("evaluation criterion"),
    "person": _("person"),
    "node": _("plan node"),
    "kind": _("kind"),
    "order": _("order"),
    "source_text": _("text as printed on the source page"),
    "created_by": _("entered by"),
}

SOURCES = [
    Source(
        Project,
        _("project"),
        lambda p: Q(id=p.pk),
        lambda r, refs: r.name,
        names=PARENT_NAMES,
        skip=frozenset({"version"}),
    ),
    Source(
        ProjectItem,
        _("objective or target"),
        _of_project,
        lambda r, refs: f"{r.get_kind_display()} {r.label} {r.text}",
        names=PARENT_NAMES,
    ),
    Source(
        ProjectContact,
        _("responsible officer"),
        _of_project,
        lambda r, refs: person_name(refs.of(r, "person")),
        refs=("person",),
        names=PARENT_NAMES,
    ),
    Source(
        PlanLink,
        _("strategic link"),
        _of_project,
        lambda r, refs: str(refs.of(r, "node") or r.source_text),
        refs=("node",),
        names=PARENT_NAMES,
    ),
    Source(
        PlanStep,
        _("operating-plan step"),
        _of_project,
        lambda r, refs: f"{r.order}. {r.text}",
        names=PARENT_NAMES,
    ),
    Source(
        BudgetInstalment,
        _("budget instalment"),
        _of_project,
        lambda r, refs: f"{format_date(r.released_on, lang=current_language())} · {r.amount:,.2f}",
        names=PARENT_NAMES,
    ),
    Source(
        PlanBaseline,
        _("plan baseline"),
        _of_project,
        lambda r, refs: str(r.reason),
        names=PARENT_NAMES,
    ),
    Source(
        DataWarning,
        _("data warning"),
        _of_project,
        lambda r, refs: f"{r.field}: {r.message}",
        names=PARENT_NAMES,
    ),
    Source(
        ProgressReport,
        _("progress report"),
        _of_project,
        lambda r, refs: format_date(r.report_date, lang=current_language()),
        names=PARENT_NAMES,
        skip=frozenset({"version"}),
    ),
    Source(
        Problem,
        _("problem"),
        _of_project,
        lambda r, refs: f"{refs.of(r, 'category') or ''}: {r.description}",
        refs=("category",),
        shows={"opened_in": _report_label, "resolved_in": _report_label},
        names=PARENT_NAMES,
    ),
    Source(
        ReportAttachment,
        _("report attachment"),
        lambda p: Q(report_id__in=_reports_ever(p)),
        lambda r, refs: f"{r.original_name} ({_report(r, refs)})",
        refs=("report",),
        shows={"report": _report_label},
        skip=frozenset({"sha256"}),
        names=PARENT_NAMES,
    ),
    Source(
        KpiSupport,
        _("supported KPI"),
        _of_project,
        _kpi_code,
        refs=("kpi",),
        names=PARENT_NAMES,
    ),
    Source(
        Kpi,
        _("KPI"),
        lambda p: Q(id__in=_supported_kpis(p)),
        lambda r, refs: f"{r.code} {r.text}",
        skip=frozenset({"version"}),
    ),
    Source(
        KpiResult,
        _("KPI result"),
        lambda p: Q(kpi_id__in=_supported_kpis(p)),
        lambda r, refs: f"{_kpi_code(r, refs)} · {_quarter(r, refs)}",
        refs=("kpi", "quarter"),
        names=PARENT_NAMES,
    ),
    Source(
        KpiScore,
        _("KPI score"),
        lambda p: Q(kpi_id__in=_supported_kpis(p)),
        lambda r, refs: f"{_kpi_code(r, refs)} · {_quarter(r, refs)} · {_criterion(r, refs)}",
        refs=("kpi", "quarter", "criterion"),
        names=PARENT_NAMES,
    ),
    Source(
        ProjectEvaluation,
        _("quarterly project evaluation"),
        _of_project,
        _quarter,
        refs=("quarter",),
        names=PARENT_NAMES,
    ),
]


def get_project_history_for_user(user: object, code: str) -> Project:
    project = get_project_for_user(user, code)
    if not access_for(user).reads_agency(project.agency_id):
        raise Http404("history is for insiders")
    return project


@dataclass
class ProjectHistoryPage:
    project: Project
    page: Page[Entry]


@require_GET
def project_history(request: HttpRequest, code: str) -> HttpResponse:
    project = get_project_history_for_user(request.user, code)
    context = ProjectHistoryPage(
        project=project, page=trail_page(SOURCES, project, number=request.GET.get("page"))
    )
    return render(request, "dashboards/project_history.html", {"view": context})


def _member(row: Any, refs: Refs) -> str:
    user: Any = refs.of(row, "user")
    name = person_name(user) if user is not None else f"#{row.user_id}"
    agency: Any = refs.of(row, "agency")
    where = f" · {agency.code} {agency}" if agency is not None else ""
    return f"{name}: {row.get_role_display()}{where}"


def _account_change(row: Any, refs: Refs) -> str:
    user: Any = refs.of(row, "user")
    name = person_name(user) if user is not None else f"#{row.user_id}"
    agency: Any = refs.of(row, "agency")
    where = f" · {agency.code} {agency}" if agency is not None else ""
    return f"{name}: {row.get_change_display()}{where}"


MEMBERSHIP_SOURCES = [
    Source(Membership, _("membership"), label=_member, refs=("user", "agency")),
    # Deactivations, moves and erasures: the reason is the entry's own.
    Source(AccountEvent, _("account"), label=_account_change, refs=("user", "agency")),
]


@login_required
@require_GET
def membership_history(request: HttpRequest) -> HttpResponse:
    """Who gave or took which role, when: for administrators only."""
    if not access_for(request.user).administrator:
        raise PermissionDenied(_("Only an administrator sees the history of roles."))
    page = trail_page(MEMBERSHIP_SOURCES, None, number=request.GET.get("page"))
    return render(request, "dashboards/membership_history.html", {"page": page})
