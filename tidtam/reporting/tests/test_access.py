"""Who may do what with reports: every reporting page and action × every persona × own and
other agency × published or not × draft, submitted, returned, approved.

Rows give each persona's answer in the order of ROLES: 200/302 where they may, 403 where they
see the report but may not do this, 404 where it is hidden from them, L where they are sent
to sign in. A reporting URL missing here fails `test_every_reporting_url_is_in_the_matrix`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern

from tidtam.projects.models import Project
from tidtam.reporting import actions, urls
from tidtam.reporting.access import get_report_for_user
from tidtam.reporting.models import ProgressReport, ReportAttachment
from tidtam.reporting.tests.conftest import PDF_BYTES, form_data
from tidtam.test import ROLES, Personas, make_personas, make_project

pytestmark = pytest.mark.django_db

STATES = ("draft", "submitted", "returned", "approved")
OUTSIDERS = (1, 3, 5)  # no_role, officer_b, approver_b: outside agency A, not city readers


def _row(text: str) -> list[str]:
    row = text.split()
    assert len(row) == len(ROLES)
    return row


# Agency A's published project: what each persona gets for a report in each state.
READ = {
    "draft": "404 404 200 404 200 404 200 200 200",
    "submitted": "404 404 200 404 200 404 200 200 200",
    "returned": "404 404 200 404 200 404 200 200 200",
    "approved": "200 200 200 200 200 200 200 200 200",
}
EDIT = {
    "draft": "L 404 200 404 403 404 403 403 403",
    "submitted": "L 404 403 404 403 404 403 403 403",
    "returned": "L 404 200 404 403 404 403 403 403",
    "approved": "L 403 403 403 403 403 403 403 403",
}
DELETE = {
    "draft": "L 404 302 404 403 404 403 403 403",
    "submitted": "L 404 403 404 403 404 403 403 403",
    "returned": "L 404 403 404 403 404 403 403 403",
    "approved": "L 403 403 403 403 403 403 403 403",
}
REVIEW = {
    "draft": "L 404 403 404 403 404 403 403 403",
    "submitted": "L 404 403 404 302 404 403 403 403",
    "returned": "L 404 403 404 403 404 403 403 403",
    "approved": "L 403 403 403 403 403 403 403 403",
}


def hidden(row: list[str]) -> list[str]:
    """The same row for agency A's unpublished project: hidden from everyone outside."""
    return [
        "404" if (i in OUTSIDERS or (i == 0 and answer != "L")) else answer
        for i, answer in enumerate(row)
    ]


@dataclass
class World:
    personas: Personas
    reports: dict[tuple[str, str], ProgressReport]
    attachments: dict[tuple[str, str], ReportAttachment]
    projects: dict[str, Project]


@pytest.fixture(autouse=True)
def media() -> None:
    """The world's files stay where module_db put them, for every test of the module."""


@pytest.fixture(scope="module")
def world(module_db: None) -> World:
    """Built once for the module; each test's changes are rolled back (see module_db)."""
    personas = make_personas()
    projects = {
        "A": make_project(code="99990000-0001", budget=Decimal(1000)),
        "A_hidden": make_project(code="99990000-0002", published=False),
        "B": make_project(code="99980000-0001"),
    }
    reports, attachments = {}, {}
    for key, project in projects.items():
        officer, approver = (
            (personas.officer_b, personas.approver_b)
            if key == "B"
            else (personas.officer_a, personas.approver_a)
        )
        for month, state in enumerate(STATES, 1):
            report = actions.create_report(
                project=project,
                values=actions.ReportValues(date(2020, month, 28), Decimal(10 * month), "ก"),
                by=officer,
            )
            attachments[key, state] = actions.add_attachment(
                report=report,
                upload=SimpleUploadedFile("หลักฐาน.pdf", PDF_BYTES),
                by=officer,
            )
            if state != "draft":
                report = actions.submit_report(report=report, by=officer)
            if state == "approved":
                report = actions.approve_report(report=report, by=approver)
            if state == "returned":
                report = actions.return_report(report=report, by=approver, comment="แก้")
            reports[key, state] = report
    return World(personas, reports, attachments, projects)


def answer(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> str:
    """The persona's answer, with any change the request made rolled back."""
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, data or {})
        transaction.set_rollback(True)
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "L"
    return str(response.status_code)


def check(world: World, method: str, url: str, row: list[str], data: Any = None) -> None:
    got = []
    for name in ROLES:
        client = Client()
        user = world.personas.by_name()[name]
        if user is not None:
            client.force_login(user)
        got.append(answer(client, method, url, data))
    assert got == row, url


def report_of(world: World, key: str, state: str) -> ProgressReport:
    return world.reports[key, state]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("key", ["A", "A_hidden"])
def test_reading_a_report_and_its_files(world: World, key: str, state: str) -> None:
    report = report_of(world, key, state)
    attachment = world.attachments[key, state]
    row = _row(READ[state])
    row = hidden(row) if key == "A_hidden" else row
    check(world, "GET", f"/reports/{report.pk}/", row)
    check(world, "GET", f"/reports/{report.pk}/attachments/{attachment.pk}/", row)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("key", ["A", "A_hidden"])
def test_changing_a_report(world: World, key: str, state: str) -> None:
    report = report_of(world, key, state)
    attachment = world.attachments[key, state]
    edit = _row(EDIT[state])
    edit = hidden(edit) if key == "A_hidden" else edit
    posted = ["302" if a == "200" else a for a in edit]
    check(world, "GET", f"/reports/{report.pk}/edit/", edit)
    data = form_data(
        report_date=report.report_date.isoformat(), percent="90", version=str(report.version)
    )
    check(world, "POST", f"/reports/{report.pk}/edit/", posted, data)
    check(world, "POST", f"/reports/{report.pk}/submit/", posted)
    check(world, "POST", f"/reports/{report.pk}/attachments/{attachment.pk}/delete/", posted)
    delete = _row(DELETE[state])
    check(world, "POST", f"/reports/{report.pk}/delete/", hidden(delete) if key != "A" else delete)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("key", ["A", "A_hidden"])
def test_reviewing_a_report(world: World, key: str, state: str) -> None:
    report = report_of(world, key, state)
    row = _row(REVIEW[state])
    row = hidden(row) if key == "A_hidden" else row
    check(world, "POST", f"/reports/{report.pk}/approve/", row)
    check(world, "POST", f"/reports/{report.pk}/return/", row, {"comment": "ขอหลักฐานเพิ่ม"})


def test_the_other_agencys_reports_mirror_agency_a(world: World) -> None:
    draft, approved = report_of(world, "B", "draft"), report_of(world, "B", "approved")
    check(world, "GET", f"/reports/{draft.pk}/", _row("404 404 404 200 404 200 200 200 200"))
    check(world, "GET", f"/reports/{approved.pk}/", _row("200 " * 9))
    check(world, "GET", f"/reports/{draft.pk}/edit/", _row("L 404 404 200 404 403 403 403 403"))
    check(world, "GET", f"/reports/{approved.pk}/edit/", _row("L 403 " + "403 " * 7))


def test_refused_requests_change_nothing(world: World) -> None:
    before = {r.pk: (r.status, r.version, r.percent) for r in ProgressReport.objects.order_by("pk")}
    files = ReportAttachment.objects.count()
    for name, user in world.personas.by_name().items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for (key, state), report in world.reports.items():
            allowed = name == ("officer_b" if key == "B" else "officer_a")
            if not allowed:
                client.post(f"/reports/{report.pk}/edit/", form_data(percent="99", version="9"))
                client.post(f"/reports/{report.pk}/submit/")
                client.post(f"/reports/{report.pk}/delete/")
                attachment = world.attachments[key, state]
                client.post(f"/reports/{report.pk}/attachments/{attachment.pk}/delete/")
            reviewer = name == ("approver_b" if key == "B" else "approver_a")
            if not reviewer:
                client.post(f"/reports/{report.pk}/approve/")
                client.post(f"/reports/{report.pk}/return/", {"comment": "x"})
    after = {r.pk: (r.status, r.version, r.percent) for r in ProgressReport.objects.order_by("pk")}
    assert after == before
    assert ReportAttachment.objects.count() == files


@pytest.mark.parametrize(
    ("key", "row"),
    [
        ("A", "L 403 200 403 403 403 403 403 403"),
        ("A_hidden", "L 404 200 404 403 404 403 403 403"),
        ("B", "L 403 403 200 403 403 403 403 403"),
    ],
)
def test_starting_a_new_report(world: World, key: str, row: str) -> None:
    code = world.projects[key].code
    check(world, "GET", f"/projects/{code}/reports/new/", _row(row))
    posted = _row(row.replace("200", "302"))
    check(
        world, "POST", f"/projects/{code}/reports/new/", posted, form_data(report_date="2020-06-30")
    )


def test_pages_across_reports(world: World) -> None:
    check(world, "GET", "/review/", _row("L 403 403 403 200 200 403 403 403"))
    check(world, "GET", "/problems/", _row("200 " * 9))
    check(
        world, "GET", "/agencies/99990000/compliance/", _row("404 404 200 404 200 404 200 200 200")
    )
    check(
        world, "GET", "/agencies/99980000/compliance/", _row("404 404 404 200 404 200 200 200 200")
    )
    check(world, "GET", "/compliance/", _row("L 403 200 200 200 200 200 200 200"))


def test_the_monthly_entry_page_is_for_the_agencys_officers(world: World) -> None:
    officers_a = _row("L 403 200 403 403 403 403 403 403")
    check(world, "GET", "/agencies/99990000/monthly/", officers_a)
    check(world, "GET", "/agencies/99980000/monthly/", _row("L 403 403 200 403 403 403 403 403"))
    check(world, "GET", "/agencies/00000000/monthly/", _row("L 404 404 404 404 404 404 404 404"))
    row = {"percent": "5", "narrative": "ก"}
    for key in ("A", "A_hidden"):
        url = f"/agencies/99990000/monthly/{world.projects[key].code}/"
        check(world, "POST", url, officers_a, row)
    url = f"/agencies/99990000/monthly/{world.projects['B'].code}/"
    check(world, "POST", url, _row("L 403 403 403 403 403 403 403 403"), row)


def test_the_review_queue_lists_only_the_approvers_own_agencies(world: World) -> None:
    client = Client()
    client.force_login(world.personas.approver_a)
    listed = list(client.get("/review/").context["view"].page.object_list)
    assert listed == [report_of(world, "A", "submitted"), report_of(world, "A_hidden", "submitted")]


def test_the_access_helper_says_why_it_refuses(world: World) -> None:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    approved = report_of(world, "A", "approved")
    with pytest.raises(PermissionDenied, match="อนุมัติแล้ว"):
        get_report_for_user(world.personas.officer_a, approved.pk, write=True)
    with pytest.raises(PermissionDenied, match="เจ้าหน้าที่ของหน่วยงาน"):
        get_report_for_user(world.personas.officer_b, approved.pk, write=True)
    with pytest.raises(Http404):
        get_report_for_user(None, report_of(world, "A", "draft").pk)


COVERED = {
    "report-new",
    "report-detail",
    "report-edit",
    "report-submit",
    "report-approve",
    "report-return",
    "report-delete",
    "report-attachment",
    "report-attachment-delete",
    "agency-compliance",
    "agency-monthly",
    "agency-monthly-row",
    "city-compliance",
    "problems",
}


def test_every_reporting_url_is_in_the_matrix() -> None:
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == COVERED
