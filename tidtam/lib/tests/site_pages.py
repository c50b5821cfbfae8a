"""A small world of records and the pages that show it, by the person who reads each: the
pages the Content-Security-Policy tests load (test_no_inline_script, test_browser_csp)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tidtam.indicators.tests.factories import add_results, make_kpi
from tidtam.projects.models import Project
from tidtam.reporting import actions
from tidtam.reporting.models import ProgressReport
from tidtam.test import Personas, add_steps, make_project, make_user

CODE = "99990000-0700"
KPI_CODE = "9999-0700"
# Django's admin shows the models to a superuser (the administrator persona holds none of
# their permissions).
SUPERUSER = "superuser"


@dataclass(frozen=True)
class World:
    project: Project
    report: ProgressReport


@dataclass(frozen=True)
class SitePage:
    name: str  # for screenshots and messages
    url: str
    who: str | None  # who reads it (a username); None for the public
    status: int = 200


def build_world(personas: Personas) -> World:
    """A published project of agency A with a plan (a milestone among its steps, so that the
    timeline draws bars, a mark and month ticks), an approved report, a KPI with results, and
    a superuser."""
    make_user(SUPERUSER, is_staff=True, is_superuser=True)
    project = make_project(
        code=CODE,
        agency=personas.agency_a,
        name="โครงการปรับปรุงสวนสาธารณะ",
        budget=Decimal("500000"),
    )
    add_steps(
        project,
        ("30", "2019-10-01", "2019-12-31"),
        ("0", "2020-01-15", "2020-01-15"),
        ("70", "2020-01-01", "2020-06-30"),
    )
    report = actions.create_report(
        project=project,
        values=actions.ReportValues(
            report_date=date(2020, 1, 31), percent=Decimal("35"), narrative="สำรวจพื้นที่แล้ว"
        ),
        by=personas.officer_a,
    )
    report = actions.submit_report(report=report, by=personas.officer_a)
    report = actions.approve_report(report=report, by=personas.approver_a)
    kpi = make_kpi(KPI_CODE, agency=personas.agency_a, projects=(project,))
    add_results(kpi, {1: ("40", "สำรวจแล้ว 4 แห่ง")})
    return World(project=project, report=report)


def site_pages(world: World) -> list[SitePage]:
    """The representative pages: each kind of page once, as the public, an officer and the
    administrator (Django's admin and simple_history's history in it), and the error pages."""
    code, pk, report = world.project.code, world.project.pk, world.report.pk
    public = [
        ("home", "/"),
        ("project-list", "/projects/"),
        ("project", f"/projects/{code}/"),
        ("project-print", f"/projects/{code}/print/"),
        ("kpi-list", "/kpis/"),
        ("kpi", f"/kpis/{KPI_CODE}/"),
        ("search", "/search/?q=สวนสาธารณะ"),
        ("flags", "/flags/"),
        ("api-docs", "/api/v1/docs"),
        ("sign-in", "/accounts/login/"),
        ("admin-sign-in", "/admin/login/"),
        ("open-data", "/open-data/"),
    ]
    officer = [
        ("my-work", "/me/"),
        ("project", f"/projects/{code}/"),
        ("project-history", f"/projects/{code}/history/"),
        ("project-edit", f"/projects/{code}/edit/"),
        ("plan", f"/projects/{code}/plan/"),
        ("report", f"/reports/{report}/"),
        ("report-new", f"/projects/{code}/reports/new/"),
        ("monthly", f"/agencies/{world.project.agency.code}/monthly/"),
        ("compliance", "/compliance/"),
        ("problems", "/problems/"),
        ("api-tokens", "/accounts/tokens/"),
        ("two-factor", "/accounts/two-factor/"),
        ("two-factor-setup", "/accounts/two-factor/on/"),
        ("plan-import", "/plans/import/"),
    ]
    administrator = [
        ("admin", "/admin/"),
        ("admin-projects", "/admin/projects/project/"),
        ("admin-project", f"/admin/projects/project/{pk}/change/"),
        ("admin-project-history", f"/admin/projects/project/{pk}/history/"),
        ("admin-users", "/admin/auth/user/"),
        ("admin-report-under-review", f"/admin/reporting/progressreport/{report}/change/"),
    ]
    return [
        *(SitePage(f"public-{name}", url, None) for name, url in public),
        SitePage("public-not-found", "/no-such-page/", None, 404),
        *(SitePage(f"officer-{name}", url, "officer_a") for name, url in officer),
        SitePage("officer-b-forbidden", f"/projects/{code}/edit/", "officer_b", 403),
        *(SitePage(f"superuser-{name}", url, SUPERUSER) for name, url in administrator),
    ]
