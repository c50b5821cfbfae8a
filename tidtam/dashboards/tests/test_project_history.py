"""The history tab: every change of record about a project, for the project's insiders only."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tidtam.audit import write
from tidtam.audit.write import Actor
from tidtam.indicators.actions import KpiInput, import_kpi, link_kpi, set_kpi_quarters
from tidtam.indicators.models import EvaluationCriterion, KpiType
from tidtam.lib.thai import format_date
from tidtam.projects.actions import StepInput, set_steps
from tidtam.projects.models import Project
from tidtam.reporting.models import (
    Problem,
    ProblemCategory,
    ProblemStatus,
    ProgressReport,
    ReportAttachment,
    ReportStatus,
)
from tidtam.test import Personas, make_project

INSIDERS = {"officer_a", "approver_a", "evaluator", "executive", "administrator"}


def steps(*weights: str) -> list[StepInput]:
    return [
        StepInput(n, f"ขั้นตอนที่ {n}", Decimal(w), date(2019, 10, 1), date(2019, 12, 31))
        for n, w in enumerate(weights, 1)
    ]


def history_text(client: Client, code: str, query: str = "") -> str:
    response = client.get(f"/projects/{code}/history/{query}")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("published", [True, False])
def test_only_the_agencys_staff_and_city_readers_see_the_history(
    client: Client, personas: Personas, published: bool
) -> None:
    """History names the officers who changed things: outsiders get a 404 even when the
    project itself is published."""
    make_project(agency=personas.agency_a, published=published)
    for name, user in personas.by_name().items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get("/projects/99990000-0001/history/")
        assert response.status_code == (200 if name in INSIDERS else 404), name


@pytest.mark.django_db
def test_a_missing_project_has_no_history(client: Client, personas: Personas) -> None:
    client.force_login(personas.administrator)
    assert client.get("/projects/99990000-9999/history/").status_code == 404


@pytest.mark.django_db
def test_a_plan_change_shows_the_officer_the_reason_and_the_weights_before_and_after(
    client: Client, personas: Personas
) -> None:
    personas.officer_a.first_name, personas.officer_a.last_name = "นฤมล", "ไวว่อง"
    personas.officer_a.save()
    project = make_project(agency=personas.agency_a)
    set_steps(project=project, steps=steps("40", "60"), by=personas.officer_a, reason="แผนแรก")
    set_steps(
        project=project,
        steps=steps("50", "50"),
        by=personas.officer_a,
        reason="ปรับน้ำหนักตามที่ประชุม",
    )
    client.force_login(personas.approver_a)

    text = history_text(client, project.code)

    assert "ประวัติการแก้ไข" in text and "ข้อมูลโครงการ" in text
    assert "นฤมล ไวว่อง" in text
    assert "ปรับน้ำหนักตามที่ประชุม" in text and "เหตุผล:" in text
    assert "ขั้นตอนตามแผนการดำเนินงาน" in text and "1. ขั้นตอนที่ 1" in text
    assert "น้ำหนัก (%)" in text
    assert "40.00</td>" in text and "60.00</td>" in text and "50.00</td>" in text
    assert text.index("ปรับน้ำหนักตามที่ประชุม") < text.index("แผนแรก")


@pytest.mark.django_db
def test_the_history_reads_in_english_with_common_era_dates_when_chosen(
    client: Client, personas: Personas
) -> None:
    project = make_project(agency=personas.agency_a)
    set_steps(project=project, steps=steps("40", "60"), by=personas.officer_a, reason="")
    set_steps(project=project, steps=steps("50", "50"), by=personas.officer_a, reason="re-weighed")
    client.force_login(personas.officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = history_text(client, project.code)

    assert "Change history" in text and "operating-plan step" in text and "changed" in text
    assert "weight (%)" in text and "Reason:" in text and "re-weighed" in text
    today = timezone.localdate()
    assert format_date(today, lang="en") in text and format_date(today, lang="th") not in text


@pytest.mark.django_db
def test_a_deleted_report_and_kpi_results_appear_in_the_projects_history(
    client: Client, personas: Personas
) -> None:
    project = make_project(agency=personas.agency_a)
    other = make_project(code="99990000-0002", agency=personas.agency_a)
    report = write.save(
        ProgressReport(project=project, report_date=date(2020, 2, 19), percent=Decimal(30)),
        by=personas.officer_a,
    )
    write.delete(report, by=personas.officer_a, reason="รายงานซ้ำ")
    EvaluationCriterion.objects.create(code="2.1")
    fiscal_year, quarters = (
        project.fiscal_year,
        {q.number: q for q in project.fiscal_year.quarters.all()},
    )
    for code, supported in (("0300-0760", project), ("0300-0999", other)):
        kpi, _new = import_kpi(
            code=code,
            fiscal_year=fiscal_year,
            agency=personas.agency_a,
            data=KpiInput(text=f"ตัวชี้วัด {code}", kpi_type=KpiType.STRATEGIC),
            achieved=None,
            by=personas.officer_a,
            reason="",
        )
        link_kpi(kpi=kpi, project=supported, order=1, by=personas.officer_a, reason="")
        set_kpi_quarters(
            kpi=kpi,
            quarters=quarters,
            results={1: Decimal("25.5")},
            scores={(1, "2.1"): Decimal(5)},
            by=personas.evaluator,
            reason="",
        )
        set_kpi_quarters(
            kpi=kpi,
            quarters=quarters,
            results={1: Decimal("75")},
            scores={},
            by=personas.officer_a,
            reason="แก้ผลไตรมาส 1",
        )
    client.force_login(personas.executive)

    text = history_text(client, project.code)

    assert "ลบ" in text and "รายงานซ้ำ" in text and "19 ก.พ. 2563" in text
    assert "0300-0760 · 2563/Q1" in text and "0300-0760 · 2563/Q1 · 2.1" in text
    assert "25.5000</td>" in text and "75.0000</td>" in text and "แก้ผลไตรมาส 1" in text
    assert "0300-0999" not in text


@pytest.mark.django_db
def test_problems_attachments_and_reviews_read_as_dates_names_and_words(
    client: Client, personas: Personas
) -> None:
    personas.approver_a.first_name, personas.approver_a.last_name = "สมหญิง", "ตรวจดี"
    personas.approver_a.save()
    project = make_project(agency=personas.agency_a)
    first, second = (
        write.save(
            ProgressReport(project=project, report_date=day, percent=Decimal(pct)),
            by=personas.officer_a,
        )
        for day, pct in ((date(2020, 1, 31), 10), (date(2020, 2, 29), 30))
    )
    category = ProblemCategory.objects.create(name_th="การจัดซื้อจัดจ้างล่าช้า")
    problem = write.save(
        Problem(project=project, category=category, description="ผู้รับจ้างทิ้งงาน", opened_in=first),
        by=personas.officer_a,
    )
    write.assign(problem, {"status": ProblemStatus.RESOLVED, "resolved_in": second})
    write.save(problem, by=personas.officer_a, reason="ได้ผู้รับจ้างรายใหม่")
    write.save(
        ReportAttachment(
            report=second,
            stored_name="a/1.pdf",
            original_name="สัญญาจ้าง.pdf",
            content_type="application/pdf",
            size=2048,
            sha256="0" * 64,
        ),
        by=personas.officer_a,
    )
    write.assign(second, {"status": ReportStatus.APPROVED, "reviewed_by": personas.approver_a})
    write.save(second, by=personas.approver_a)
    client.force_login(personas.officer_a)

    text = history_text(client, project.code)

    assert "การจัดซื้อจัดจ้างล่าช้า: ผู้รับจ้างทิ้งงาน" in text
    assert "รายงานวันที่ 29 ก.พ. 2563</td>" in text and "ได้ผู้รับจ้างรายใหม่" in text
    assert "สัญญาจ้าง.pdf (รายงานวันที่ 29 ก.พ. 2563)" in text
    assert "อนุมัติแล้ว</td>" in text and "สมหญิง ตรวจดี</td>" in text


@pytest.mark.django_db
def test_the_project_page_links_to_the_history_for_insiders_only(
    client: Client, personas: Personas
) -> None:
    make_project(agency=personas.agency_a)
    link = 'href="/projects/99990000-0001/history/"'
    assert link not in client.get("/projects/99990000-0001/").content.decode()
    client.force_login(personas.officer_b)
    assert link not in client.get("/projects/99990000-0001/").content.decode()
    client.force_login(personas.officer_a)
    assert link in client.get("/projects/99990000-0001/").content.decode()


def change_plan(project: Project, by: Actor, times: int) -> None:
    for n in range(times):
        set_steps(
            project=project,
            steps=steps(str(n % 50), str(100 - n % 50)),
            by=by,
            reason=f"ครั้งที่ {n}",
        )


@pytest.mark.django_db
@pytest.mark.parametrize("changes", [10, 200])
def test_the_history_page_takes_the_same_queries_for_ten_or_two_hundred_changes(
    client: Client, personas: Personas, changes: int, django_assert_max_num_queries: object
) -> None:
    project = make_project(agency=personas.agency_a)
    change_plan(project, personas.officer_a, changes)
    client.force_login(personas.officer_a)

    # Session, user, memberships, project; the trail's count and page; each source on the page
    # once, and once more for the versions before its changed rows; the comments of the page.
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        text = history_text(client, project.code, "?page=2")

    assert "ครั้งที่" in text
