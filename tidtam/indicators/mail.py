"""E-mail about KPI results, through the reports' mechanism: in Thai, after the commit."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tidtam.indicators.models import KpiResult
from tidtam.reporting.mail import site_link, tell_reviewers, tell_submitter


def result_link(result: KpiResult) -> str:
    """The KPI's page, where the quarter's result is approved or returned."""
    kpi = result.kpi
    return f"{reverse('kpi-detail', args=[kpi.code])}?fy={kpi.fiscal_year_id}"


def _result(result_id: int) -> KpiResult | None:
    return (
        KpiResult.objects.select_related("kpi", "quarter", "submitted_by", "reviewed_by")
        .filter(pk=result_id)
        .first()
    )


def _context(result: KpiResult) -> dict[str, Any]:
    return {
        "result": result,
        "kpi": result.kpi,
        "summary": "indicators/email/_result_summary.txt",
        "who": result.submitted_by,
        "link": site_link(result_link(result)),
    }


def send_submitted(result_id: int) -> int:
    """To the approvers of the KPI's agency (the administrators when it has none)."""
    result = _result(result_id)
    if result is None:
        return 0
    return tell_reviewers(result.kpi.agency_id, "indicators/email/submitted", _context(result))


def send_returned(result_id: int) -> int:
    """To the officer who submitted the result, with what to correct."""
    result = _result(result_id)
    if result is None:
        return 0
    return tell_submitter(result.submitted_by, "indicators/email/returned", _context(result))


def send_approved(result_id: int) -> int:
    result = _result(result_id)
    if result is None:
        return 0
    return tell_submitter(result.submitted_by, "indicators/email/approved", _context(result))
