"""The project page shows every fact of a seed page, in the legacy order, in Thai."""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tidtam.accounts.models import Role
from tidtam.indicators.models import (
    EvaluationCriterion,
    Kpi,
    KpiResult,
    KpiScore,
    KpiSupport,
)
from tidtam.legacy.load import import_paths
from tidtam.legacy.parse import parse_page
from tidtam.lib.thai import format_date
from tidtam.orgs.models import Person
from tidtam.projects.models import FiscalYear, ProjectContact, ScheduleSettings
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.standing.refresh import refresh_standings
from tidtam.test import SEED_CODES, add_steps, make_member, make_project, seed_path


@pytest.fixture
def seeds(db: None) -> None:
    call_command("load_reference", stdout=StringIO())
    summary = import_paths([seed_path(code) for code in SEED_CODES])
    assert summary.rejected == []


def page_text(client: Client, code: str) -> str:
    response = client.get(f"/projects/{code}/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.usefixtures("seeds")
@pytest.mark.parametrize("code", SEED_CODES)
def test_the_project_page_shows_every_fact_of_the_seed_page(client: Client, code: str) -> None:
    page = parse_page(seed_path(code).read_text(encoding="utf-8"), source=code)
    client.force_login(make_member("reader", Role.EXECUTIVE))
    text = page_text(client, code)
    expected = [
        page.name,
        page.code,
        f"{page.overall_percent:.2f}",
        page.rationale,
        f"{page.owning_unit_code}/{page.reporting_unit_code}",
        *(c.name for c in page.contacts),
        *(c.phone for c in page.contacts),
        *(item.text for item in page.objectives + page.targets),
        *(line.code_source for line in page.strategy),
        *(line.name_en for line in page.strategy if line.name_en),
        *(r.narrative for r in page.reports),
        *(r.problems for r in page.reports if r.problems),
        *(r.report_date.isoformat() for r in page.reports),
        *(format_date(r.report_date, style="medium", lang="th") for r in page.reports),
        *(step.text for step in page.steps),
        *(format_date(step.start, style="medium", lang="th") for step in page.steps),
        *(format_date(step.end, style="medium", lang="th") for step in page.steps),
        *(kpi.code for kpi in page.kpis),
        *(kpi.text for kpi in page.kpis),
        *(f"{kpi.target:.4f}" for kpi in page.kpis),
        *(f"{kpi.achieved:.4f}" for kpi in page.kpis),
    ]
    missing = [fact for fact in expected if fact not in text]
    assert missing == []
    for n, report in enumerate(page.reports, 1):
        assert f"({n})" in text and f"{report.percent:.2f}" in text
    for step in page.steps:
        assert f"{step.weight:.0f}%" in text
    assert page.evaluation is not None
    assert f"{page.evaluation.score:.4f}" in text
    assert "ไม่มี" in text  # problems and obstacles reported as none
    assert "<svg" in text and 'class="planned"' in text


@pytest.mark.usefixtures("seeds")
def test_the_seed_page_shows_its_facts_in_the_legacy_order(client: Client) -> None:
    full = page_text(client, "03000000-2457")
    text = full[full.index('<main id="main">') :]
    markers = [
        "หน้าแรก",  # back / home
        "โครงการพัฒนาระบบงานและโครงสร้างสำนักงานเขต",
        "สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร",
        "30.00",
        "<svg",
        "น.ส.นฤมล ไวว่อง",
        "พิมพ์",
        "ไตรมาสที่ 4",
        "หลักการและเหตุผล",
        "03060400/03060400",
        "วัตถุประสงค์",
        "เป้าหมายของโครงการ",
        "ด้านที่ ๕",
        "มิติที่ ๕.๓",
        "เป้าหมายที่ ๕.๓.๑",
        "เป้าประสงค์ที่ ๕.๓.๑.๒",
        "(1)",
        "(5)",
        "แผนการดำเนินงาน",
        "ติดตามประเมินผล และรายงานผู้บริหาร",
        "0300-0760",
        "ผลการประเมินโครงการรายไตรมาส",
    ]
    positions = [text.find(marker) for marker in markers]
    assert -1 not in positions, [m for m, p in zip(markers, positions, strict=True) if p < 0]
    assert positions == sorted(positions)


@pytest.mark.usefixtures("seeds")
def test_reports_show_buddhist_era_and_iso_dates_newest_first(client: Client) -> None:
    full = page_text(client, "03000000-2457")
    text = full[full.index('id="reports-h"') :]
    assert text.index("19 ก.พ. 2563") < text.index("20 ม.ค. 2563") < text.index("19 ต.ค. 2562")
    assert '<time datetime="2020-02-19">19 ก.พ. 2563</time>' in text
    assert "ตามแผน ณ 19 ก.พ. 2563 ร้อยละ 60.00" in full
    assert "(1) " in text and text.index("(1) ") < text.index("(2) ")


@pytest.mark.usefixtures("seeds")
def test_the_kpi_block_shows_the_quarterly_table_with_both_criteria(client: Client) -> None:
    text = page_text(client, "21000000-3137")
    assert "2.1 / 2.2" in text
    assert "100 / 100" in text and "0 / 0" in text
    assert "20.00" in text
    assert "ตัวชี้วัดเชิงยุทธศาสตร์" in text
    assert "ผลผลิต" in text and "(output)" not in text


@pytest.mark.usefixtures("seeds")
def test_the_kpi_block_lists_the_criteria_in_their_order_not_by_code(client: Client) -> None:
    EvaluationCriterion.objects.filter(code="2.2").update(order=0)
    text = page_text(client, "21000000-3137")
    assert "2.2 / 2.1" in text and "2.1 / 2.2" not in text


@pytest.mark.usefixtures("seeds")
def test_anonymous_visitors_do_not_see_personal_phone_numbers(client: Client) -> None:
    text = page_text(client, "03000000-2457")
    assert "น.ส.นฤมล ไวว่อง" in text
    assert "1460" not in text
    Person.objects.filter(name="น.ส.นฤมล ไวว่อง").update(phone_public=True)
    assert "1460" in page_text(client, "03000000-2457")


@pytest.mark.usefixtures("seeds")
def test_an_agency_that_publishes_phones_shows_them_to_the_public(client: Client) -> None:
    person = Person.objects.get(name="น.ส.นฤมล ไวว่อง")
    person.agency.publish_contact_phones = True
    person.agency.save()
    assert "1460" in page_text(client, "03000000-2457")


@pytest.mark.usefixtures("seeds")
def test_import_warnings_are_shown_to_signed_in_users_only(client: Client) -> None:
    assert "ตรวจสอบ" not in page_text(client, "03000000-2457")
    client.force_login(make_member("reader", Role.EXECUTIVE))
    assert "ตรวจสอบ" in page_text(client, "03000000-2457")


@pytest.mark.usefixtures("seeds")
def test_the_page_switches_to_english(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = page_text(client, "03000000-2457")
    assert "Progress reports" in text
    assert "19 Feb 2020" in text
    assert "Operating plan" in text


@pytest.mark.django_db
def test_an_unknown_or_unpublished_project_is_not_found_for_the_public(client: Client) -> None:
    assert client.get("/projects/00000000-0000/").status_code == 404
    make_project(code="99990000-0002", published=False)
    assert client.get("/projects/99990000-0002/").status_code == 404
    client.force_login(make_member("reader", Role.EXECUTIVE))
    assert client.get("/projects/99990000-0002/").status_code == 200


def grow(project_code: str, *, reports: int, steps: int, kpis: int) -> None:
    project = make_project(code=project_code)
    start = date(2019, 10, 1)
    add_steps(
        project,
        *[
            (
                str(Decimal(100) / steps),
                str(start + timedelta(days=20 * n)),
                str(start + timedelta(days=20 * n + 10)),
            )
            for n in range(steps)
        ],
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            project=project,
            report_date=start + timedelta(days=28 * n),
            percent=Decimal(min(100, 5 * n)),
            narrative=f"รายงานครั้งที่ {n}",
            status=ReportStatus.APPROVED,
            origin="manual",
        )
        for n in range(reports)
    )
    quarters = list(FiscalYear.ensure(2563).quarters.all())
    criterion, _ = EvaluationCriterion.objects.get_or_create(code="2.1")
    person = Person.objects.create(agency=project.agency, name=f"ผู้รับผิดชอบ {project_code}")
    ProjectContact.objects.create(project=project, person=person)
    for n in range(kpis):
        kpi = Kpi.objects.create(
            code=f"{project_code[:4]}-{n:04d}",
            fiscal_year_id=2563,
            agency=project.agency,
            text=f"ตัวชี้วัด {n}",
            unit="ร้อยละ",
            target=100,
            achieved=0,
            kpi_type="strategic",
            origin="manual",
        )
        KpiSupport.objects.create(kpi=kpi, project=project, order=n)
        for quarter in quarters:
            KpiResult.objects.create(kpi=kpi, quarter=quarter, result=n)
            KpiScore.objects.create(kpi=kpi, quarter=quarter, criterion=criterion, score=50)


def count_queries(client: Client, code: str) -> int:
    refresh_standings()  # the rows were written directly, not through actions
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/projects/{code}/").status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_project_page_query_count_does_not_grow_with_reports_steps_and_kpis(
    client: Client,
) -> None:
    grow("11110000-0001", reports=1, steps=1, kpis=1)
    grow("22220000-0001", reports=12, steps=15, kpis=5)
    small = count_queries(client, "11110000-0001")
    large = count_queries(client, "22220000-0001")
    assert small == large
    assert large <= 15


@pytest.mark.usefixtures("seeds")
def test_the_seed_page_shows_a_critical_badge_with_its_explanation(client: Client) -> None:
    text = page_text(client, "03000000-2457")
    assert 'class="status status-critical"' in text
    assert "ล่าช้ามาก" in text
    assert "ช้ากว่าแผน 30.00 จุด ณ 19 ก.พ. 2563 ล่าช้าประมาณ 49 วัน" in text


@pytest.mark.usefixtures("seeds")
def test_the_administrator_thresholds_change_the_status(client: Client) -> None:
    ScheduleSettings.objects.create(behind_points=Decimal(20), critical_points=Decimal(40))
    refresh_standings()  # as the administrator's change does (tested in the standing app)
    text = page_text(client, "03000000-2457")
    assert 'class="status status-behind"' in text
    assert "ล่าช้ากว่าแผน" in text


@pytest.mark.django_db
def test_status_and_figures_come_from_approved_reports_only(client: Client) -> None:
    from tidtam.test import make_personas

    personas = make_personas()
    project = make_project(code="99990000-0001")
    add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    for day, percent, status in (
        (date(2019, 12, 31), "20", "approved"),
        (date(2020, 1, 31), "95", "draft"),
    ):
        ProgressReport.objects.create(
            project=project,
            report_date=day,
            percent=Decimal(percent),
            status=status,
            origin="manual",
        )
    client.force_login(personas.officer_a)
    view = client.get("/projects/99990000-0001/").context["view"]
    assert view.current_percent == Decimal(20)
    assert [r.percent for r in view.reports] == [Decimal(95), Decimal(20)]
    assert (
        view.status_explanation
        == Client().get("/projects/99990000-0001/").context["view"].status_explanation
    )
