"""Every page and action × every role × own / other agency × object state.

Each row lists what each persona gets, in the order of PERSONAS (the last column is a
former officer of agency A whose account was deactivated: the same as the public, since they
are signed out and cannot sign in again):
200 or 302 where the person may; 403 where they may see the object but not do this; 404
where the object is hidden from them; L where they are sent to sign in. A URL the matrix
does not cover fails `test_every_url_is_in_the_matrix`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tidtam.accounts.actions import create_api_token
from tidtam.indicators.models import Kpi, KpiResult, KpiSupport, KpiType
from tidtam.jobs.models import Job, JobState
from tidtam.orgs.models import AgencyKind, Origin
from tidtam.projects.models import BudgetInstalment, Project
from tidtam.reporting.models import ProgressReport, ReportAttachment, ReportStatus
from tidtam.strategy.models import Plan, PlanLevel, PlanNode
from tidtam.test import (
    PERSONAS,
    Personas,
    add_steps,
    link_to_plan,
    make_agency,
    make_personas,
    make_project,
)

EVERYONE = "200 200 200 200 200 200 200 200 200 200"
NOBODY = "404 404 404 404 404 404 404 404 404 404"
SIGNED_IN = "L 200 200 200 200 200 200 200 200 L"
# A project or report of agency A that only its own staff and readers across the city see.
INSIDE_A = "404 404 200 404 200 404 200 200 200 404"
# Writing on agency A's projects: its officers only.
WRITE_A_PUBLISHED = "L 403 {ok} 403 403 403 403 403 403 L"
WRITE_A_HIDDEN = "L 404 {ok} 404 403 404 403 403 403 L"
STATES = ("draft", "submitted", "returned", "approved")
MONTHLY_A = "L 403 200 403 403 403 403 403 403 L"


@dataclass
class World:
    personas: Personas
    projects: dict[str, Project] = field(default_factory=dict)
    reports: dict[str, ProgressReport] = field(default_factory=dict)
    attachments: dict[str, ReportAttachment] = field(default_factory=dict)
    kpis: dict[str, Kpi] = field(default_factory=dict)
    instalment: BudgetInstalment | None = None


def build_world() -> World:
    world = World(make_personas())
    for key, code, published in (
        ("A_pub", "99990000-0001", True),
        ("A_hidden", "99990000-0002", False),
        ("B_pub", "99980000-0001", True),
    ):
        project = make_project(code=code, published=published, budget=Decimal(1000))
        add_steps(project, ("100", "2019-10-01", "2020-09-30"))
        world.projects[key] = project
    officer = world.personas.officer_a
    for month, state in enumerate(STATES, 1):
        for key in ("A_pub", "A_hidden"):
            report = ProgressReport.objects.create(
                project=world.projects[key],
                report_date=date(2020, month, 28),
                percent=Decimal(10 * month),
                narrative="ความก้าวหน้า",
                status=state,
                origin=Origin.MANUAL,
                created_by=officer,
                submitted_by=officer if state != ReportStatus.DRAFT else None,
            )
            world.reports[f"{key}:{state}"] = report
            stored = default_storage.save(f"reports/{report.pk}.pdf", ContentFile(b"%PDF-1.4\n"))
            world.attachments[f"{key}:{state}"] = ReportAttachment.objects.create(
                report=report,
                stored_name=stored,
                original_name="หลักฐาน.pdf",
                content_type="application/pdf",
                size=9,
                sha256="0" * 64,
                uploaded_by=officer,
            )
    world.instalment = BudgetInstalment.objects.create(
        project=world.projects["A_pub"], released_on=date(2019, 11, 1), amount=Decimal(100)
    )
    for key, project_key in (("K-A", "A_pub"), ("K-A2", "A_hidden")):
        kpi = Kpi.objects.create(
            code=key,
            fiscal_year=world.projects["A_pub"].fiscal_year,
            agency=world.personas.agency_a,
            text="ตัวชี้วัด",
            kpi_type=KpiType.STRATEGIC,
            origin=Origin.MANUAL,
        )
        KpiSupport.objects.create(kpi=kpi, project=world.projects[project_key])
        world.kpis[key] = kpi
    quarters = {q.number: q for q in world.projects["A_pub"].fiscal_year.quarters.all()}
    for number, state in ((1, "submitted"), (2, "draft")):
        KpiResult.objects.create(
            kpi=world.kpis["K-A"],
            quarter=quarters[number],
            result=Decimal(10),
            status=state,
            submitted_by=officer if state == "submitted" else None,
        )
    return world


Url = Callable[[World], str]


@dataclass(frozen=True)
class Case:
    name: str
    label: str
    url: Url
    expect: str
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)


def project_url(name: str, key: str, *extra: object) -> Url:
    return lambda w: reverse(name, args=[w.projects[key].code, *extra])


def report_url(name: str, key: str) -> Url:
    return lambda w: reverse(name, args=[w.reports[key].pk])


def attachment_url(name: str, key: str) -> Url:
    return lambda w: reverse(name, args=[w.reports[key].pk, w.attachments[key].pk])


def fixed(name: str, *args: str) -> Url:
    return lambda w: reverse(name, args=list(args))


def agency_year_url(name: str, fmt: str, agency: str, year: str) -> Url:
    return lambda w: f"{reverse(name, args=[fmt])}?agency={agency}&year={year}"


def job_url(name: str) -> Url:
    """A finished export of officer A's: only its requester sees it (and its file)."""

    def url(w: World) -> str:
        job = Job.objects.create(
            kind="export",
            title="ส่งออก",
            requested_by=w.personas.officer_a,
            state=JobState.DONE,
            result_path="jobs/export.csv",
            result_name="export.csv",
            result_type="text/csv",
        )
        default_storage.save("jobs/export.csv", ContentFile(b"\xef\xbb\xbfcode\n"))
        return reverse(name, args=[job.pk])

    return url


def token_url(name: str) -> Url:
    """A personal API token of officer A's: only its owner sees or revokes it."""

    def url(w: World) -> str:
        officer = w.personas.officer_a
        token, _ = create_api_token(
            user=officer, name="ระบบงาน", expires_on=date.today() + timedelta(days=30), by=officer
        )
        return reverse(name, args=[token.pk])

    return url


def plan_book_url(w: World) -> str:
    """The book of a plan node agency A's published project is linked to."""
    plan = Plan.objects.create(code="bma20", name_th="แผนพัฒนากรุงเทพมหานคร 20 ปี")
    level = PlanLevel.objects.create(plan=plan, depth=1, key="l1", name_th="ด้าน")
    node = PlanNode.objects.create(
        plan=plan, level=level, code="5", sort_key="0005", name_th="ด้าน", origin=Origin.MANUAL
    )
    link_to_plan(w.projects["A_pub"], node)
    return reverse("book-plan", args=[node.pk, 2563])


def district_feed_url(w: World) -> str:
    """The feed of a district office (agency A and B are departments)."""
    make_agency("99970000", name_th="สำนักงานเขตทดสอบ", kind=AgencyKind.DISTRICT_OFFICE)
    return reverse("feed-district", args=["99970000"])


# A report book holds what its reader sees: everyone sees agency A's published project, so
# everyone may ask (the public too, as a job of their browser session).
ASKED = "302 302 302 302 302 302 302 302 302 302"

CASES: list[Case] = [
    Case("home", "", fixed("home"), EVERYONE),
    Case("api-tokens", "", fixed("api-tokens"), SIGNED_IN),
    Case(
        "api-token-revoke",
        "officer A's",
        token_url("api-token-revoke"),
        "L 404 302 404 404 404 404 404 404 L",
        "POST",
    ),
    # The open API's schema and documentation page; its operations have their own matrix
    # (tidtam/api/tests/test_api_matrix.py), whose rows count here.
    Case("api-v1:openapi-json", "", fixed("api-v1:openapi-json"), EVERYONE),
    Case("api-v1:openapi-view", "", fixed("api-v1:openapi-view"), EVERYONE),
    Case("api-v1:api-root", "no page", fixed("api-v1:api-root"), " ".join(["404"] * 10)),
    Case("project-list", "", fixed("project-list"), EVERYONE),
    Case("kpi-list", "", fixed("kpi-list"), EVERYONE),
    Case("problems", "", fixed("problems"), EVERYONE),
    Case("login", "", fixed("login"), EVERYONE),
    Case("password_reset", "", fixed("password_reset"), EVERYONE),
    Case("password_reset_done", "", fixed("password_reset_done"), EVERYONE),
    Case("password_reset_complete", "", fixed("password_reset_complete"), EVERYONE),
    Case("password_reset_confirm", "bad link", fixed("password_reset_confirm", "x", "y"), EVERYONE),
    Case("password_change", "", fixed("password_change"), SIGNED_IN),
    Case("password_change_done", "", fixed("password_change_done"), SIGNED_IN),
    Case("logout", "", fixed("logout"), "302 302 302 302 302 302 302 302 302 302", "POST"),
    Case(
        "set_language",
        "",
        fixed("set_language"),
        "302 302 302 302 302 302 302 302 302 302",
        "POST",
        {"language": "en", "next": "/"},
    ),
    Case("my-work", "", fixed("my-work"), SIGNED_IN),
    Case("admin:index", "", fixed("admin:index"), "L L L L L L L L 200 L"),
    # The admin's sign-in (with a code step): a staff member already signed in goes on in.
    Case("admin-sign-in", "", fixed("admin-sign-in"), "200 200 200 200 200 200 200 200 302 200"),
    # Two-factor sign-in is each person's own; no persona has turned it on, so turning it off
    # and new backup codes lead back to its page, and the code step (no password given) to
    # the sign-in.
    Case("two-factor", "", fixed("two-factor"), SIGNED_IN),
    Case("two-factor-setup", "", fixed("two-factor-setup"), SIGNED_IN),
    Case(
        "two-factor-disable",
        "off",
        fixed("two-factor-disable"),
        "L 302 302 302 302 302 302 302 302 L",
    ),
    Case(
        "two-factor-backup-codes",
        "off",
        fixed("two-factor-backup-codes"),
        "L 302 302 302 302 302 302 302 302 L",
        "POST",
    ),
    Case("two-factor-code", "no password", fixed("two-factor-code"), "L L L L L L L L L L"),
    Case("project-detail", "published", project_url("project-detail", "A_pub"), EVERYONE),
    Case("project-detail", "unpublished", project_url("project-detail", "A_hidden"), INSIDE_A),
    Case("project-history", "published", project_url("project-history", "A_pub"), INSIDE_A),
    Case("project-history", "unpublished", project_url("project-history", "A_hidden"), INSIDE_A),
    Case("project-print", "published", project_url("project-print", "A_pub"), EVERYONE),
    Case("project-print", "unpublished", project_url("project-print", "A_hidden"), INSIDE_A),
    Case("project-print-pdf", "published", project_url("project-print-pdf", "A_pub"), EVERYONE),
    Case(
        "project-print-pdf", "unpublished", project_url("project-print-pdf", "A_hidden"), INSIDE_A
    ),
    Case("project-create", "", fixed("project-create"), "L 403 200 200 403 403 403 403 403 L"),
    *[
        Case(name, label, project_url(name, key), expect.format(ok="200"))
        for name in ("project-edit", "project-plan", "project-budget", "report-new")
        for label, key, expect in (
            ("published", "A_pub", WRITE_A_PUBLISHED),
            ("unpublished", "A_hidden", WRITE_A_HIDDEN),
        )
    ],
    Case(
        "instalment-delete",
        "",
        lambda w: reverse(
            "instalment-delete",
            args=[w.projects["A_pub"].code, w.instalment.pk],  # type: ignore[union-attr]
        ),
        WRITE_A_PUBLISHED.format(ok="302"),
        "POST",
    ),
    Case(
        "instalment-delete",
        "confirmation",
        lambda w: reverse(
            "instalment-delete",
            args=[w.projects["A_pub"].code, w.instalment.pk],  # type: ignore[union-attr]
        ),
        WRITE_A_PUBLISHED.format(ok="200"),
    ),
    Case("review-queue", "", fixed("review-queue"), "L 403 403 403 200 200 403 403 403 L"),
    Case(
        "agency-compliance",
        "own agency A",
        fixed("agency-compliance", "99990000"),
        INSIDE_A,
    ),
    # The monthly entry page: agency A's officers only. The world's year is long past, so a
    # row saved there is refused by the report's date rule and the page comes back (200).
    Case("agency-monthly", "agency A", fixed("agency-monthly", "99990000"), MONTHLY_A),
    *(
        Case(
            "agency-monthly-row",
            f"agency A, project {key}",
            lambda w, key=key: reverse(  # type: ignore[misc]
                "agency-monthly-row", args=["99990000", w.projects[key].code]
            ),
            expect,
            "POST",
            {"percent": "5", "narrative": "ความก้าวหน้า"},
        )
        for key, expect in (
            ("A_pub", MONTHLY_A),
            ("A_hidden", MONTHLY_A),
            ("B_pub", "L 403 403 403 403 403 403 403 403 L"),
        )
    ),
    Case("city-compliance", "", fixed("city-compliance"), "L 403 200 200 200 200 200 200 200 L"),
    Case(
        "agency-settings",
        "agency A",
        fixed("agency-settings", "99990000"),
        "L 403 403 403 200 403 403 403 200 L",
    ),
    Case(
        "membership-history", "", fixed("membership-history"), "L 403 403 403 403 403 403 403 200 L"
    ),
    Case("kpi-detail", "supports a published project", fixed("kpi-detail", "K-A"), EVERYONE),
    Case("kpi-detail", "supports unpublished only", fixed("kpi-detail", "K-A2"), INSIDE_A),
    Case("flags", "", fixed("flags"), EVERYONE),
    Case("search", "", fixed("search"), EVERYONE),
    *[
        Case(name, fmt, fixed(name, fmt), EVERYONE)
        for name in ("project-export", "kpi-export", "flag-export")
        for fmt in ("csv", "xlsx")
    ],
    *[
        Case("dashboard-export", f"{table}.{fmt}", fixed("dashboard-export", table, fmt), EVERYONE)
        for table in ("agencies", "late")
        for fmt in ("csv", "xlsx")
    ],
    Case("job-list", "", fixed("job-list"), SIGNED_IN),
    Case("book-agency", "agency A", fixed("book-agency", "99990000", "2563"), EVERYONE),
    Case("book-agency", "agency A, asked", fixed("book-agency", "99990000", "2563"), ASKED, "POST"),
    Case("book-plan", "", plan_book_url, EVERYONE),
    Case("book-plan", "asked", plan_book_url, ASKED, "POST"),
    Case("book-kpis", "agency A", fixed("book-kpis", "99990000", "2563"), EVERYONE),
    Case(
        "book-kpis",
        "agency A, asked",
        fixed("book-kpis", "99990000", "2563"),
        ASKED,
        "POST",
        {"quarter": "1"},
    ),
    # Open data and feeds hold what the public sees, for everyone alike: a year's package (a job
    # of the asker's, their browser session's for the public), the feeds of the approved
    # reports of a published project, an agency and a district office.
    Case("open-data", "", fixed("open-data"), EVERYONE),
    Case("open-data-package", "2563, asked", fixed("open-data-package", "2563"), ASKED, "POST"),
    Case(
        "open-data-package",
        "a year without published projects",
        fixed("open-data-package", "2400"),
        NOBODY,
        "POST",
    ),
    Case("feed-project", "published", project_url("feed-project", "A_pub"), EVERYONE),
    Case("feed-project", "unpublished", project_url("feed-project", "A_hidden"), NOBODY),
    Case("feed-agency", "agency A", fixed("feed-agency", "99990000"), EVERYONE),
    Case("feed-district", "a district office", district_feed_url, EVERYONE),
    Case("feed-district", "a department", fixed("feed-district", "99990000"), NOBODY),
    *[
        Case(name, "officer A's", job_url(name), "404 404 200 404 404 404 404 404 404 404")
        for name in ("job-detail", "job-status", "job-download")
    ],
    *[
        Case(name, label, fixed(name, kpi, "2563", "1"), expect)
        for name, label, kpi, expect in (
            ("kpi-result-entry", "published", "K-A", WRITE_A_PUBLISHED.format(ok="200")),
            ("kpi-result-entry", "unpublished", "K-A2", WRITE_A_HIDDEN.format(ok="200")),
            ("kpi-score-entry", "published", "K-A", "L 403 403 403 403 403 200 403 403 L"),
            ("kpi-score-entry", "unpublished", "K-A2", "L 404 403 404 403 404 200 403 403 L"),
        )
    ],
    *[
        Case(
            "project-score-entry",
            label,
            project_url("project-score-entry", key, 1),
            expect,
        )
        for label, key, expect in (
            ("published", "A_pub", "L 403 403 403 403 403 200 403 403 L"),
            ("unpublished", "A_hidden", "L 404 403 404 403 404 200 403 403 L"),
        )
    ],
    Case("quarter-list", "", fixed("quarter-list"), "L 403 403 403 403 403 200 403 403 L"),
    # The annual-plan import: the officers of an agency, and the administrators.
    Case("plan-import", "", fixed("plan-import"), "L 403 200 200 403 403 403 403 200 L"),
    Case(
        "plan-import-confirm",
        "nothing uploaded",
        fixed("plan-import-confirm"),
        "L 403 302 302 403 403 403 403 302 L",
        "POST",
    ),
    *[
        Case(
            name,
            f"agency A, {fmt}",
            agency_year_url(name, fmt, "99990000", "2563"),
            "L 403 200 403 403 403 403 403 200 L",
        )
        for name in ("plan-template", "plan-export")
        for fmt in ("xlsx", "zip")
    ],
    Case("kpi-create", "", fixed("kpi-create"), "L 403 200 200 403 403 403 403 403 L"),
    Case(
        "kpi-result-submit",
        "draft",
        fixed("kpi-result-submit", "K-A", "2563", "2"),
        "L 404 302 404 403 404 403 403 403 L",
        "POST",
    ),
    Case(
        "kpi-result-submit",
        "submitted",
        fixed("kpi-result-submit", "K-A", "2563", "1"),
        "L 404 403 404 403 404 403 403 403 L",
        "POST",
    ),
    Case(
        "kpi-result-approve",
        "submitted",
        fixed("kpi-result-approve", "K-A", "2563", "1"),
        "L 404 403 404 302 404 403 403 403 L",
        "POST",
    ),
    Case(
        "kpi-result-approve",
        "draft",
        fixed("kpi-result-approve", "K-A", "2563", "2"),
        "L 404 403 404 403 404 403 403 403 L",
        "POST",
    ),
    Case(
        "kpi-result-return",
        "submitted",
        fixed("kpi-result-return", "K-A", "2563", "1"),
        "L 404 403 404 302 404 403 403 403 L",
        "POST",
        {"comment": "ตรวจสอบหน่วยนับ"},
    ),
    Case(
        "kpi-edit",
        "published",
        fixed("kpi-edit", "K-A", "2563"),
        WRITE_A_PUBLISHED.format(ok="200"),
    ),
    Case(
        "kpi-edit",
        "unpublished",
        fixed("kpi-edit", "K-A2", "2563"),
        WRITE_A_HIDDEN.format(ok="200"),
    ),
    Case(
        "quarter-close",
        "a quarter that is over",
        fixed("quarter-close", "2563", "1"),
        "L 403 403 403 403 403 302 403 403 L",
        "POST",
    ),
]

# Reports of agency A's published project in each state, and the approved report of its
# unpublished project (never public).
_UNAPPROVED = {"draft", "submitted", "returned"}
for state in STATES:
    key = f"A_pub:{state}"
    seen = EVERYONE if state == "approved" else INSIDE_A
    editable = state in ("draft", "returned")
    # Who may see it but not write it: 403; the officer is refused once it left their hands.
    officer = "200" if editable else "403"
    hidden = "403" if state == "approved" else "404"
    write = f"L {hidden} {officer} {hidden} 403 {hidden} 403 403 403 L"
    post_write = write.replace(" 200 ", " 302 ")
    review_ok = "302" if state == "submitted" else "403"
    review = f"L {hidden} 403 {hidden} {review_ok} {hidden} 403 403 403 L"
    delete_ok = "302" if state == "draft" else "403"
    delete = f"L {hidden} {delete_ok} {hidden} 403 {hidden} 403 403 403 L"
    CASES += [
        Case("report-detail", state, report_url("report-detail", key), seen),
        Case("report-attachment", state, attachment_url("report-attachment", key), seen),
        Case("report-edit", state, report_url("report-edit", key), write),
        Case("report-submit", state, report_url("report-submit", key), post_write, "POST"),
        Case("report-approve", state, report_url("report-approve", key), review, "POST"),
        Case(
            "report-return",
            state,
            report_url("report-return", key),
            review,
            "POST",
            {"comment": "กรุณาแนบภาพถ่าย"},
        ),
        Case("report-delete", state, report_url("report-delete", key), delete, "POST"),
        # The confirmation step, on the same URL: the same people, the same refusals.
        Case(
            "report-delete",
            f"{state}, confirmation",
            report_url("report-delete", key),
            delete.replace("302", "200"),
        ),
        Case(
            "report-attachment-delete",
            f"{state}, confirmation",
            attachment_url("report-attachment-delete", key),
            write,
        ),
        Case(
            "report-attachment-delete",
            state,
            attachment_url("report-attachment-delete", key),
            post_write,
            "POST",
        ),
    ]
CASES += [
    Case(
        "report-detail",
        "approved, unpublished project",
        report_url("report-detail", "A_hidden:approved"),
        INSIDE_A,
    ),
    Case(
        "report-attachment",
        "approved, unpublished project",
        attachment_url("report-attachment", "A_hidden:approved"),
        INSIDE_A,
    ),
]


def _expected(case: Case, role: str) -> str:
    return dict(zip(PERSONAS, case.expect.split(), strict=True))[role]


@pytest.fixture(scope="module")
def world(module_db: None) -> World:
    """One world for every case: what a POST changes is undone before the next case."""
    return build_world()


@pytest.mark.django_db
@pytest.mark.parametrize("role", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.name}[{c.label}]" if c.label else c.name)
def test_the_permission_matrix(client: Client, world: World, case: Case, role: str) -> None:
    user: User | None = world.personas.by_name(PERSONAS)[role]
    if user is not None:
        client.force_login(user)
    url = case.url(world)
    response = client.post(url, case.data) if case.method == "POST" else client.get(url)
    expected = _expected(case, role)
    got = str(response.status_code)
    if got == "302" and "login" in response.get("Location", ""):
        got = "L"
    assert got == expected, f"{case.method} {url} as {role}"


def _url_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                continue  # the Django admin: staff only, covered by its index row
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"every URL has a name: {pattern.pattern}"
            names.add(namespace + pattern.name)
    return names


def test_every_url_is_in_the_matrix() -> None:
    from tidtam.api.tests.test_api_matrix import CASES as API_CASES  # it imports this module

    covered = {case.name for case in CASES} | {f"api-v1:{case.name}" for case in API_CASES}
    missing = _url_names(get_resolver().url_patterns) - covered
    assert not missing, f"URLs the permission matrix does not cover: {sorted(missing)}"
