"""The one way views reach a KPI, a quarter to enter for, or a project to score."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from tidtam.accounts.access import access_for
from tidtam.indicators.models import Kpi, KpiQuerySet, KpiResult, ResultStatus
from tidtam.projects.access import get_project_for_user
from tidtam.projects.models import Project, Quarter


def kpis_for_user(user: object) -> KpiQuerySet:
    return Kpi.objects.visible_to(user)


def get_kpi_for_user(
    user: object, code: str, *, fiscal_year: int | None = None, write: bool = False
) -> Kpi:
    """The KPI with this code in `fiscal_year`, or in the newest fiscal year in which the user
    may see it (a KPI code is unique within a fiscal year only); a hidden KPI is a 404.

    With `write`, a KPI the user may read but whose results they may not enter is a 403.
    """
    kpis = kpis_for_user(user).filter(code=code).select_related("agency", "fiscal_year")
    if fiscal_year is not None:
        kpis = kpis.filter(fiscal_year_id=fiscal_year)
    kpi = kpis.order_by("-fiscal_year_id").first()
    if kpi is None:
        raise Http404("no such KPI")
    if write and not can_enter_results(user, kpi):
        raise PermissionDenied(_("You may see this KPI, but not enter its results."))
    return kpi


def can_enter_results(user: object, kpi: Kpi) -> bool:
    """Officers of the KPI's agency report its quarterly results."""
    return access_for(user).edits_agency(kpi.agency_id)


def can_evaluate(user: object) -> bool:
    """Evaluators score KPIs and projects and close quarters."""
    return access_for(user).evaluator


def get_kpi_to_score(user: object, code: str, fiscal_year: int) -> Kpi:
    kpi = get_kpi_for_user(user, code, fiscal_year=fiscal_year)
    if not can_evaluate(user):
        raise PermissionDenied(_("Only an evaluator scores KPIs and projects and closes quarters."))
    return kpi


def get_project_to_score(user: object, code: str) -> Project:
    project = get_project_for_user(user, code)
    if not can_evaluate(user):
        raise PermissionDenied(_("Only an evaluator scores KPIs and projects and closes quarters."))
    return project


def get_quarter(fiscal_year: int, number: int) -> Quarter:
    quarter = Quarter.objects.filter(fiscal_year_id=fiscal_year, number=number).first()
    if quarter is None:
        raise Http404("no such quarter")
    return quarter


def get_quarter_to_close(user: object, fiscal_year: int, number: int) -> Quarter:
    """Quarters are public knowledge, so anyone who may not close one gets a 403."""
    quarter = get_quarter(fiscal_year, number)
    if not can_evaluate(user):
        raise PermissionDenied(_("Only an evaluator scores KPIs and projects and closes quarters."))
    return quarter


def get_result_for_user(
    user: object, code: str, year: int, number: int, *, submit: bool = False, review: bool = False
) -> KpiResult:
    """A KPI's result for a quarter if the user may see it: the public and other agencies see
    approved results only (404 otherwise). With `submit`, an officer of the agency and a draft
    or returned result; with `review`, an approver of the agency and a submitted result; else
    a 403."""
    kpi = get_kpi_for_user(user, code, fiscal_year=year)
    row = (
        KpiResult.objects.select_related("quarter", "kpi__agency")
        .filter(kpi=kpi, quarter__number=number)
        .first()
    )
    access = access_for(user)
    if row is None or (
        row.status != ResultStatus.APPROVED and not access.reads_agency(kpi.agency_id)
    ):
        raise Http404("no such result")
    if submit and not (access.edits_agency(kpi.agency_id) and row.is_editable):
        raise PermissionDenied(_("Only an officer of the agency submits a draft result."))
    if review and not (
        access.approves_agency(kpi.agency_id) and row.status == ResultStatus.SUBMITTED
    ):
        raise PermissionDenied(_("Only an approver of the agency reviews a submitted result."))
    return row
