"""Each role's My work, the review queue of both kinds, the city-wide reporting calendar, the
menu of each role, and the warning when an agency has no approver to tell."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tidtam.accounts.models import Membership, Role
from tidtam.indicators import actions as kpi_actions
from tidtam.indicators.models import Kpi, KpiResult, ResultStatus
from tidtam.indicators.tests.factories import add_scores, make_kpi
from tidtam.projects.models import FiscalYear, Project, Quarter
from tidtam.reporting import actions as report_actions
from tidtam.reporting.models import ProgressReport
from tidtam.reporting.tests.conftest import form_data
from tidtam.standing.refresh import refresh_projects
from tidtam.test import ROLES, Personas, add_steps, make_member, make_project

pytestmark = pytest.mark.django_db

TODAY = date(2020, 3, 15)  # fiscal year 2563, quarter 2: quarter 1 is over and still open
SUBMITTED_AT = datetime(2020, 3, 9, 20, 30, tzinfo=UTC)  # 10 March, 03:30 in Bangkok
Capture = Callable[..., Any]


@pytest.fixture(autouse=True)
def today() -> Iterator[date]:
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield TODAY


def text_of(client: Client, url: str, lang: str = "th") -> str:
    client.cookies["django_language"] = lang
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def planned(personas: Personas, code: str, agency: Any = None) -> Project:
    project = make_project(code=code, agency=agency or personas.agency_a)
    add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    return project


def march_report(personas: Personas, project: Project, submit: bool = False) -> ProgressReport:
    officer = personas.officer_a if project.agency == personas.agency_a else personas.officer_b
    report = report_actions.create_report(
        project=project,
        values=report_actions.ReportValues(
            report_date=date(2020, 3, 10), percent=Decimal(40), narrative="ดำเนินการ"
        ),
        by=officer,
    )
    if submit:
        report = report_actions.submit_report(report=report, by=officer)
    return report


def result(kpi: Kpi, number: int, by: Any, status: str = ResultStatus.SUBMITTED) -> KpiResult:
    quarter = kpi.fiscal_year.quarters.get(number=number)
    row = kpi_actions.enter_kpi_result(
        kpi=kpi, quarter=quarter, result=Decimal(42), narrative="สำรวจแล้ว", by=by
    )
    if status != ResultStatus.DRAFT:
        row = kpi_actions.submit_kpi_result(row=row, by=by)
    if status == ResultStatus.RETURNED:
        row = kpi_actions.return_kpi_result(row=row, by=None, comment="หน่วยนับผิด")
    KpiResult.objects.filter(pk=row.pk).update(submitted_at=SUBMITTED_AT)
    return row


# --- Officers ---


def test_an_officer_sees_the_projects_due_this_month_with_a_link_to_each_report_form(
    personas: Personas,
) -> None:
    due = planned(personas, "99990000-0001")
    started = planned(personas, "99990000-0002")
    done = planned(personas, "99990000-0003")
    other = planned(personas, "99980000-0001", agency=personas.agency_b)
    draft = march_report(personas, started)
    march_report(personas, done, submit=True)
    refresh_projects([due.pk, started.pk, done.pk, other.pk])

    client = as_user(personas.officer_a)
    view = client.get("/me/").context["view"]
    assert view.due == [due, started]
    assert view.due[1].month_draft == draft.pk
    text = text_of(client, "/me/")
    assert "รายงานที่ต้องส่งเดือนนี้" in text
    assert f'href="/projects/{due.code}/reports/new/"' in text
    # The agency's monthly entry page takes every due report on one page.
    assert f'href="/agencies/{personas.agency_a.code}/monthly/"' in text
    assert f'href="/agencies/{personas.agency_b.code}/monthly/"' not in text
    assert f'href="/reports/{draft.pk}/edit/"' in text  # the month's draft, not a second one
    # Nowhere on the page (the due list, the projects I can edit) offers a second report.
    assert f'href="/projects/{started.code}/reports/new/"' not in text
    approver = text_of(as_user(personas.approver_a), "/me/")
    assert "รายงานที่ต้องส่งเดือนนี้" not in approver  # approvers owe no reports


def test_an_officer_sees_drafts_and_returned_kpi_results_beside_the_reports(
    personas: Personas,
) -> None:
    project = planned(personas, "99990000-0001")
    kpi = make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))
    returned = result(kpi, 1, personas.officer_a, ResultStatus.RETURNED)
    draft = result(kpi, 2, personas.officer_a, ResultStatus.DRAFT)
    client = as_user(personas.officer_a)
    view = client.get("/me/").context["view"]
    assert view.results_to_complete == [returned, draft]  # returned first: someone is waiting
    text = text_of(client, "/me/")
    assert "ร่างและรายการที่ถูกส่งกลับของฉัน" in text and "หน่วยนับผิด" in text
    assert 'href="/kpis/9999-0001/2563/q1/result/"' in text
    assert 'href="/kpis/9999-0001/2563/q2/result/"' in text
    assert as_user(personas.officer_b).get("/me/").context["view"].results_to_complete == []


# --- Approvers: both kinds, who and when ---


def test_submitted_kpi_results_reach_the_approvers_queue_and_their_mailbox(
    personas: Personas, django_capture_on_commit_callbacks: Capture
) -> None:
    project = planned(personas, "99990000-0001")
    make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))
    officer = as_user(personas.officer_a)
    officer.post("/kpis/9999-0001/2563/q1/result/", {"result": "42", "narrative": "สำรวจแล้ว"})
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post("/kpis/9999-0001/2563/q1/result/submit/", follow=True)
    banner = html.unescape(response.content.decode())
    assert "ระบบกำลังส่งอีเมลแจ้งผู้อนุมัติ" in banner
    row = KpiResult.objects.get()
    assert row.status == ResultStatus.SUBMITTED and row.submitted_at is not None
    assert [m.to for m in mail.outbox] == [["approver_a@example.test"]]
    message = mail.outbox[0]
    assert "9999-0001" in message.subject and "รอการตรวจ" in message.subject
    assert "/kpis/9999-0001/?fy=2563" in str(message.body)

    approver = as_user(personas.approver_a)
    queue = approver.get("/review/").context["view"]
    assert queue.results == [row] and queue.results_total == 1
    assert approver.get("/me/").context["view"].results_to_review == [row]
    assert as_user(personas.approver_b).get("/review/").context["view"].results == []


@pytest.mark.parametrize(
    ("lang", "when", "labels"),
    [
        ("th", "10 มี.ค. 2563 03:30", ("รายงานความก้าวหน้าประจำเดือน", "ตามตัวชี้วัดรายไตรมาส")),
        ("en", "10 Mar 2020 03:30", ("Monthly progress reports", "Quarterly KPI results")),
    ],
)
def test_the_queue_says_who_submitted_each_item_and_when(
    personas: Personas, lang: str, when: str, labels: tuple[str, str]
) -> None:
    project = planned(personas, "99990000-0001")
    kpi = make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))
    result(kpi, 1, personas.officer_a)
    report = march_report(personas, project, submit=True)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=SUBMITTED_AT)
    personas.officer_a.first_name, personas.officer_a.last_name = "สมชาย", "ใจดี"
    personas.officer_a.save()
    client = as_user(personas.approver_a)
    for url in ("/review/", "/me/"):
        text = text_of(client, url, lang)
        assert text.count(f"{when}</time> · สมชาย ใจดี") == 2, url  # the report and the result
        assert all(label in text for label in labels), url
        assert "2020-03-10 03:30" not in text, url  # the Common Era, machine style


# --- An agency without an approver ---


@pytest.fixture
def without_approver(personas: Personas) -> Personas:
    Membership.objects.filter(user=personas.approver_a).delete()
    make_member("staffer", Role.EXECUTIVE, is_staff=True)  # Django staff: told as well
    make_member("retired", Role.ADMINISTRATOR, is_active=False)  # inactive: not told
    return personas


def test_a_report_submitted_to_an_agency_without_an_approver_warns_and_tells_the_admins(
    without_approver: Personas, django_capture_on_commit_callbacks: Capture
) -> None:
    project = planned(without_approver, "99990000-0001")
    officer = as_user(without_approver.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            f"/projects/{project.code}/reports/new/",
            form_data(report_date="2020-03-10", and_submit="1"),
            follow=True,
        )
    text = html.unescape(response.content.decode())
    assert "ยังไม่มีผู้อนุมัติที่มีที่อยู่อีเมล" in text and 'class="alert warning"' in text
    assert "ระบบกำลังส่งอีเมลแจ้งผู้อนุมัติของหน่วยงาน" not in text
    assert ProgressReport.objects.get().status == "submitted"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "administrator@example.test",
        "staffer@example.test",
    ]
    body = str(mail.outbox[0].body)
    assert "99990000" in mail.outbox[0].subject and project.code in body
    assert "/admin/accounts/membership/add/" in body


def test_a_kpi_result_submitted_to_an_agency_without_an_approver_warns_and_tells_the_admins(
    without_approver: Personas, django_capture_on_commit_callbacks: Capture
) -> None:
    project = planned(without_approver, "99990000-0001")
    make_kpi("9999-0001", agency=without_approver.agency_a, projects=(project,))
    officer = as_user(without_approver.officer_a)
    officer.post("/kpis/9999-0001/2563/q1/result/", {"result": "42", "narrative": "สำรวจแล้ว"})
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post("/kpis/9999-0001/2563/q1/result/submit/", follow=True)
    text = html.unescape(response.content.decode())
    assert "ยังไม่มีผู้อนุมัติที่มีที่อยู่อีเมล" in text and 'class="alert warning"' in text
    assert "ระบบกำลังส่งอีเมลแจ้งผู้อนุมัติ" not in text
    assert sorted(m.to[0] for m in mail.outbox) == [
        "administrator@example.test",
        "staffer@example.test",
    ]
    assert "9999-0001" in str(mail.outbox[0].body)


def test_a_report_submitted_with_an_approver_says_the_approver_was_told(
    personas: Personas, django_capture_on_commit_callbacks: Capture
) -> None:
    project = planned(personas, "99990000-0001")
    report = march_report(personas, project)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(personas.officer_a).post(
            f"/reports/{report.pk}/submit/", {"version": str(report.version)}, follow=True
        )
    text = html.unescape(response.content.decode())
    assert "ระบบกำลังส่งอีเมลแจ้งผู้อนุมัติของหน่วยงาน" in text and "alert warning" not in text
    assert [m.to for m in mail.outbox] == [["approver_a@example.test"]]


# --- Evaluators and executives ---


def test_an_evaluator_sees_what_to_score_this_quarter_and_the_quarters_to_close(
    personas: Personas,
) -> None:
    scored = planned(personas, "99990000-0001")
    unscored = planned(personas, "99990000-0002")
    done_kpi = make_kpi("9999-0001", agency=personas.agency_a, projects=(scored,))
    open_kpi = make_kpi("9999-0002", agency=personas.agency_a, projects=(unscored,))
    add_scores(done_kpi, {(1, "2.1"): "4"})
    q1 = Quarter.objects.get(fiscal_year_id=2563, number=1)
    scored.evaluations.create(quarter=q1, score=Decimal(4))

    client = as_user(personas.evaluator)
    scoring = client.get("/me/").context["view"].scoring
    assert scoring.quarter == q1  # over, still open: its results are being scored
    assert (scoring.kpis, scoring.kpis_total) == ([open_kpi], 1)
    assert (scoring.projects, scoring.projects_total) == ([unscored], 1)
    assert client.get("/me/").context["view"].to_close == [q1]
    text = text_of(client, "/me/")
    assert 'href="/kpis/9999-0002/2563/q1/scores/"' in text
    assert f'href="/evaluations/{unscored.code}/q1/"' in text and 'href="/quarters/"' in text

    kpi_actions.close_quarter(quarter=q1, by=personas.evaluator)
    view = client.get("/me/").context["view"]
    assert view.scoring.quarter.number == 2 and view.to_close == []
    assert (view.scoring.kpis_total, view.scoring.projects_total) == (2, 2)


def test_on_a_fresh_install_the_evaluator_scores_the_quarter_in_progress_not_an_empty_one(
    personas: Personas,
) -> None:
    # Every project belongs to fiscal year 2564; 2563 exists (its quarters were made) but
    # has none, so its last quarter, just over and still open, holds nothing to score.
    project = make_project(code="99990000-0001", fiscal_year=FiscalYear.ensure(2564))
    make_kpi("9999-0001", agency=personas.agency_a, fiscal_year=2564, projects=(project,))
    FiscalYear.ensure(2563)
    first_day = date(2020, 10, 5)  # quarter 1 of 2564; quarter 4 of 2563 ended on 30 September

    with mock.patch("django.utils.timezone.localdate", return_value=first_day):
        view = as_user(personas.evaluator).get("/me/").context["view"]

    assert (view.scoring.quarter.fiscal_year_id, view.scoring.quarter.number) == (2564, 1)
    assert (view.scoring.kpis_total, view.scoring.projects_total) == (1, 1)
    assert view.to_close == []
    # Once 2563 has a project, its last quarter is the one to score and to close.
    make_project(code="99990000-0002", agency=personas.agency_a)
    q4 = Quarter.objects.get(fiscal_year_id=2563, number=4)
    assert Quarter.objects.to_score(first_day) == q4
    assert list(Quarter.objects.to_close(first_day)) == [
        *Quarter.objects.filter(fiscal_year_id=2563).order_by("number")
    ]


def test_english_pages_name_the_fiscal_year_by_the_year_it_ends_in_and_thai_by_its_be_year(
    personas: Personas,
) -> None:
    project = planned(personas, "99990000-0001")
    make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))
    client = as_user(personas.evaluator)

    english = text_of(client, "/me/", "en")
    assert "Quarter 1 of fiscal year 2020 (1 Oct 2019 – 31 Dec 2019)." in english
    assert "fiscal year 2563" not in english
    assert "Fiscal year 2020" in text_of(client, f"/projects/{project.code}/", "en")
    assert "Fiscal year 2020" in text_of(client, "/kpis/9999-0001/", "en")
    listed = text_of(client, "/projects/?fy=2563", "en")
    assert '<option value="2563" selected>2020</option>' in listed
    assert 'data-label="Fiscal year">2020</td>' in listed

    thai = text_of(client, "/me/")
    assert "ไตรมาส 1 ปีงบประมาณ 2563" in thai
    assert "ปีงบประมาณ 2563" in text_of(client, f"/projects/{project.code}/")


def test_an_executive_finds_the_dashboard_compliance_and_problems(personas: Personas) -> None:
    text = text_of(as_user(personas.executive), "/me/")
    city = text.split('id="city-h"')[1].split("</section>")[0]
    for url in ('href="/"', 'href="/compliance/"', 'href="/problems/"'):
        assert url in city


def test_the_administrator_finds_the_membership_history_and_the_administration_site(
    personas: Personas,
) -> None:
    roles = text_of(as_user(personas.administrator), "/me/").split("</section>")[0]
    assert 'href="/audit/memberships/"' in roles and 'href="/admin/"' in roles
    # Only a member of the staff can open the administration site: nobody else is sent there.
    for user in (personas.officer_a, personas.approver_a, personas.evaluator, personas.executive):
        assert 'href="/admin/"' not in text_of(as_user(user), "/me/")


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("public", ()),
        ("no_role", ()),
        ("officer_a", ("/compliance/", "/problems/")),
        ("approver_a", ("/compliance/", "/problems/")),
        ("evaluator", ("/compliance/", "/problems/", "/quarters/")),
        ("executive", ("/compliance/", "/problems/")),
    ],
)
def test_the_menu_leads_each_role_to_the_pages_it_uses(
    personas: Personas, role: str, links: tuple[str, ...]
) -> None:
    user = personas.by_name()[role]
    client = as_user(user) if user else Client()
    nav = text_of(client, "/").split("<nav")[1].split("</nav>")[0]
    for url in ("/compliance/", "/problems/", "/quarters/"):
        assert (f'href="{url}"' in nav) == (url in links), url


def test_the_city_wide_calendar_shows_each_agency_as_far_as_the_reader_may_see(
    personas: Personas,
) -> None:
    reported = planned(personas, "99990000-0001")
    planned(personas, "99990000-0002")
    planned(personas, "99980000-0001", agency=personas.agency_b)
    march_report(personas, reported, submit=True)
    view = as_user(personas.executive).get("/compliance/").context["view"]
    figures = {a.code: (a.total, a.reported, a.missing) for a in view.agencies}
    assert figures == {"99990000": (2, 1, 1), "99980000": (1, 0, 1)}
    assert (view.total.total, view.total.missing) == (3, 2)
    mine = as_user(personas.officer_a).get("/compliance/").context["view"]
    assert [a.code for a in mine.agencies] == ["99990000"]
    text = text_of(as_user(personas.evaluator), "/compliance/", "en")
    assert "Monthly reports of Mar 2020" in text and 'href="/agencies/99980000/compliance/"' in text
    assert as_user(personas.no_role).get("/compliance/").status_code == 403


# --- Every persona, both languages, a fixed cost ---


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("role", [r for r in ROLES if r != "public"])
def test_every_personas_my_work_renders_in_thai_and_english(
    personas: Personas, role: str, lang: str
) -> None:
    project = planned(personas, "99990000-0001")
    make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))
    refresh_projects([project.pk])
    text = text_of(as_user(personas.by_name()[role]), "/me/", lang)
    assert f'<html lang="{lang}">' in text
    assert ("งานของฉัน" in text) == (lang == "th") and ("My work" in text) == (lang == "en")


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(personas: Personas, start: int, n: int) -> None:
    """n more of everything each role's work lists: projects due, drafts, submitted reports,
    KPI results submitted and returned, KPIs and projects to score."""
    for i in range(start, start + n):
        project = planned(personas, f"99990000-{i:04d}")
        other = planned(personas, f"99980000-{i:04d}", agency=personas.agency_b)
        march_report(personas, project, submit=i % 2 == 0)
        march_report(personas, other)
        kpi = make_kpi(f"9999-{i:04d}", agency=personas.agency_a, projects=(project,))
        result(kpi, 1, personas.officer_a)
        result(kpi, 2, personas.officer_a, ResultStatus.RETURNED)
        refresh_projects([project.pk, other.pk])


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("officer_a", "/me/"),
        ("approver_a", "/me/"),
        ("evaluator", "/me/"),
        ("executive", "/me/"),
        ("approver_a", "/review/"),
        ("executive", "/compliance/"),
    ],
)
def test_my_work_the_queue_and_the_calendar_cost_the_same_for_many_rows(
    personas: Personas, role: str, url: str
) -> None:
    client = as_user(personas.by_name()[role])
    grow(personas, 1, 2)
    few = queries(client, url)
    grow(personas, 3, 6)
    assert queries(client, url) == few
    assert timezone.localdate() == TODAY
