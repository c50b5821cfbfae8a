"""Every role's main pages on a laptop (1280 px) and a phone (390 px), in Thai and in English:
none scrolls sideways, axe-core finds no serious or critical violation, and on a phone every
control is at least 44 px tall. Screenshots go to var/screenshots/every-role-*.png.

The data is built once (the reference data, the two seed pages and a small synthetic year), and
each persona keeps one browser context per width, switching languages by the language cookie,
so that the module stays near a minute and a half on two cores."""

from __future__ import annotations

from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from tidtam.accounts.models import Role
from tidtam.conftest import DESKTOP, PHONE, check_page, preload_axe, sign_in
from tidtam.indicators.models import Kpi
from tidtam.legacy.load import import_paths
from tidtam.lib.fiscal import fiscal_year_of, quarter_of
from tidtam.orgs.models import Agency
from tidtam.projects.models import Project
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.test import SEED_CODES, make_member, seed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": DESKTOP, "phone": PHONE}
LANGUAGES = ("th", "en")


@dataclass(frozen=True)
class World:
    """What the pages are about: the officer's agency, one of its projects of this fiscal year
    (with a report waiting for review when the sample data has one) and one of its KPIs."""

    agency: Agency
    project: Project
    report: ProgressReport | None
    kpi: Kpi
    year: int
    quarter: int


def build_world() -> World:
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert import_paths([seed_path(code) for code in SEED_CODES]).rejected == []
    call_command("generate_demo", projects=40, years=1, seed=1, stdout=out)
    call_command("refresh_standings", stdout=out)
    call_command("rebuild_search_index", stdout=out)
    year, quarter = quarter_of(timezone.localdate())
    assert year == fiscal_year_of(timezone.localdate())
    # The agency with the most reports waiting for review, so that the approver's queue and
    # the officer's drafts have something in them.
    agency = (
        Agency.objects.annotate(
            waiting=Count(
                "projects__reports",
                filter=Q(projects__reports__status=ReportStatus.SUBMITTED),
            ),
            kpi_count=Count("kpis", filter=Q(kpis__fiscal_year=year)),
        )
        .filter(projects__fiscal_year=year, kpi_count__gt=0)
        .order_by("-waiting", "code")
        .first()
    )
    assert agency is not None, "the sample data has no agency with projects and KPIs this year"
    report = (
        ProgressReport.objects.filter(project__agency=agency, status=ReportStatus.SUBMITTED)
        .order_by("pk")
        .first()
    )
    project = report.project if report else agency.projects.filter(fiscal_year=year).first()
    assert project is not None
    kpi = Kpi.objects.filter(agency=agency, fiscal_year=year).order_by("code").first()
    assert kpi is not None
    make_member("officer", Role.OFFICER, agency, first_name="เจ้าหน้าที่", last_name=agency.name_th)
    make_member("approver", Role.APPROVER, agency, first_name="ผู้อนุมัติ", last_name=agency.name_th)
    make_member("evaluator", Role.EVALUATOR, first_name="ผู้ประเมิน")
    make_member("executive", Role.EXECUTIVE, first_name="ผู้บริหาร")
    make_member(
        "administrator",
        Role.ADMINISTRATOR,
        first_name="ผู้ดูแลระบบ",
        is_staff=True,
        is_superuser=True,
    )
    return World(agency, project, report, kpi, year, quarter)


def pages_of(world: World) -> dict[str, list[tuple[str, str]]]:
    """Each persona's main pages as (name, path); the names label screenshots and failures. A
    page every role sees alike (the project list, a KPI list) is visited by the public only."""
    p = f"/projects/{world.project.code}"
    k = f"/kpis/{world.kpi.code}"
    kq = f"{k}/{world.year}/q{world.quarter}"
    word = world.project.name.split()[0][:12]
    compliance = ("compliance", f"/agencies/{world.agency.code}/compliance/")
    review = [("report", f"/reports/{world.report.pk}/")] if world.report else []
    return {
        "public": [
            ("home", "/"),
            ("projects", "/projects/"),
            ("project", f"{p}/"),
            ("search", f"/search/?q={word}"),
            ("kpis", "/kpis/"),
            ("kpi", f"{k}/?fy={world.year}"),
            ("flags", "/flags/"),
            ("sign-in", "/accounts/login/"),
        ],
        "officer": [
            ("my-work", "/me/"),
            ("project", f"{p}/"),
            ("project-history", f"{p}/history/"),
            ("kpi-result", f"{kq}/result/"),
            ("problems", "/problems/"),
            compliance,
            ("project-new", "/projects/new/"),
            ("project-edit", f"{p}/edit/"),
            ("plan", f"{p}/plan/"),
            ("budget", f"{p}/budget/"),
            ("report-new", f"{p}/reports/new/"),
            ("monthly-entry", f"/agencies/{world.agency.code}/monthly/"),
            *review,
        ],
        "approver": [
            ("my-work", "/me/"),
            ("review-queue", "/review/"),
            *review,
            compliance,
            ("city-compliance", "/compliance/"),
        ],
        "evaluator": [
            ("my-work", "/me/"),
            ("kpi", f"{k}/?fy={world.year}"),
            ("kpi-scores", f"{kq}/scores/"),
            ("project-scores", f"/evaluations/{world.project.code}/q{world.quarter}/"),
            ("quarters", "/quarters/"),
        ],
        "executive": [
            ("my-work", "/me/"),
            ("home", "/"),
            ("problems", "/problems/"),
            compliance,
            ("city-compliance", "/compliance/"),
        ],
        "administrator": [
            ("my-work", "/me/"),
            ("project-history", f"{p}/history/"),
            ("memberships", "/audit/memberships/"),
            ("admin", "/admin/"),
        ],
    }


def visit(page: Any, url: str, name: str | None) -> None:
    response = page.goto(url)
    status = response.status if response else None
    assert status is not None and status < 400, f"{url}: HTTP {status}"
    # Django's own admin keeps its own sizes; everything else is ours to hold to 44 px.
    check_page(page, name, touch="/admin/" not in url)


def test_every_role_main_pages_fit_a_phone_and_pass_axe(
    chromium: Any, live_server: Any, subtests: Any
) -> None:
    base = live_server.url
    world = build_world()
    for persona, pages in pages_of(world).items():
        for size, viewport in SIZES.items():
            context = chromium.new_context(viewport=viewport, locale="th-TH")
            preload_axe(context)
            page = context.new_page()
            try:
                if persona != "public":
                    sign_in(page, base, persona)
                for language in LANGUAGES:
                    context.add_cookies(
                        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
                    )
                    for name, path in pages:
                        with subtests.test(msg=f"{persona} {name} {size} {language}"):
                            # Screenshots of every page in Thai; in English, of My work only.
                            shot = language == "th" or name == "my-work"
                            label = f"every-role-{persona}-{name}-{size}-{language}"
                            visit(page, base + path, label if shot else None)
                    if size == "phone":
                        with subtests.test(msg=f"{persona} menu {size} {language}"):
                            page.goto(base + "/")
                            page.click("details.menu summary")
                            assert page.locator("header.site nav a").first.is_visible()
                            check_page(page, f"every-role-{persona}-menu-open-{size}-{language}")
            finally:
                context.close()
