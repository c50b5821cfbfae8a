"""Exports of the project list, the KPI list and the flags page: the rows of the list with its
filters and order, as the reader may see them, in CSV and XLSX; long ones through a job."""

from __future__ import annotations

import csv
import html
import io
import re
import signal
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tidtam.accounts.models import Role
from tidtam.dashboards.exports import table_response
from tidtam.indicators.models import Kpi, KpiSupport, KpiType
from tidtam.jobs.models import Job, JobState
from tidtam.lib.tabular import BOM, Column, Table
from tidtam.orgs.models import Origin
from tidtam.projects.models import FiscalYear, Project
from tidtam.standing.flags import Flag, FlagKind, flag_to_json
from tidtam.standing.models import ProjectStanding, StandingFlag, StandingStatus
from tidtam.test import make_agency, make_member, make_project

# Jobs wait in the database queue for a worker, as in production.
pytestmark = pytest.mark.usefixtures("queued_tasks")

D = Decimal
EVIL = '=HYPERLINK("http://evil.example","คลิก")'


def stand(project: Project, **values: Any) -> ProjectStanding:
    defaults: dict[str, Any] = {
        "as_of": date(2020, 3, 1),
        "fiscal_year": project.fiscal_year_id,
        "status": StandingStatus.ON_TRACK,
        "planned_today": D(50),
    }
    return ProjectStanding.objects.create(project=project, **(defaults | values))


@pytest.fixture
def projects(db: None) -> dict[str, Project]:
    water = make_agency("11000000", name_th="สำนักการระบายน้ำ")
    out = {
        "evil": make_project(code="11000000-0001", name=EVIL, agency=water),
        "plus": make_project(code="11000000-0002", name="+1", agency=water),
        "canal": make_project(code="11000000-0003", name="โครงการขุดลอกคลอง", agency=water),
        "hidden": make_project(code="50120000-0001", name="ยังไม่เผยแพร่", published=False),
        "later": make_project(
            code="11000000-0004", agency=water, fiscal_year=FiscalYear.ensure(2564)
        ),
        "sample": make_project(code="11000000-0005", agency=water, origin=Origin.SAMPLE),
    }
    stand(out["evil"], variance=D("-1.50"))
    stand(out["plus"], variance=D("4.00"))
    stand(
        out["canal"],
        status=StandingStatus.BEHIND,
        planned_today=D("42.75"),
        reported_percent=D("30.50"),
        reported_on=date(2020, 2, 19),
        variance=D("-12.25"),
        days_late=35,
        budget_allocated=D("1250000.00"),
        budget_released=D("500000.00"),
        budget_spent=D("320000.50"),
        kpi_achievement=D("80.00"),
        open_problems=2,
        missing_report=True,
    )
    stand(out["hidden"])
    stand(out["later"])
    return out


def codes_listed(client: Client, query: str) -> list[str]:
    text = html.unescape(client.get(f"/projects/?{query}").content.decode())
    return list(dict.fromkeys(re.findall(r'href="/projects/(\d{8}-\d{4})/"', text)))


def csv_rows(client: Client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"))))


def xlsx_rows(client: Client, url: str) -> list[tuple[Any, ...]]:
    response = client.get(url)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def by_code(rows: list[Any]) -> dict[str, Any]:
    return {row[0]: row for row in rows[1:]}


QUERY = "fy=2563&sort=-variance"


def test_the_csv_has_the_lists_rows_in_its_order_with_thai_headers(
    client: Client, projects: dict[str, Project]
) -> None:
    rows = csv_rows(client, f"/projects/export.csv?{QUERY}")
    assert rows[0][:5] == ["รหัส", "ชื่อ", "หน่วยงาน", "ปีงบประมาณ (พ.ศ.)", "สถานะ"]
    listed = codes_listed(client, QUERY)
    assert [row[0] for row in rows[1:]] == listed
    assert listed == ["11000000-0002", "11000000-0001", "11000000-0003", "11000000-0005"]


def test_the_xlsx_has_the_lists_rows_in_its_order(
    client: Client, projects: dict[str, Project]
) -> None:
    rows = xlsx_rows(client, f"/projects/export.xlsx?{QUERY}")
    assert rows[0][0] == "รหัส"
    assert [row[0] for row in rows[1:]] == codes_listed(client, QUERY)


def test_headers_are_english_when_the_reader_chose_english(
    client: Client, projects: dict[str, Project]
) -> None:
    client.cookies["django_language"] = "en"
    header = csv_rows(client, "/projects/export.csv")[0]
    assert header[:5] == ["Code", "Name", "Agency", "Fiscal year (BE)", "Status"]
    assert "Last report date (ISO)" in header
    assert xlsx_rows(client, "/projects/export.xlsx")[0][:2] == ("Code", "Name")


def test_a_projects_figures_dates_and_labels_in_csv(
    client: Client, projects: dict[str, Project]
) -> None:
    rows = by_code(csv_rows(client, "/projects/export.csv?fy=2563"))
    assert rows["11000000-0003"] == [
        "11000000-0003",
        "โครงการขุดลอกคลอง",
        "สำนักการระบายน้ำ",
        "2563",
        "ล่าช้ากว่าแผน",
        "42.75",
        "30.50",
        "-12.25",
        "35",
        "19/2/2563",
        "2020-02-19",
        "1250000.00",
        "500000.00",
        "320000.50",
        "80.00",
        "2",
        "ใช่",
        "ไม่ใช่",
    ]
    client.cookies["django_language"] = "en"
    english = by_code(csv_rows(client, "/projects/export.csv?fy=2563"))["11000000-0003"]
    assert english[4] == "Behind plan"
    assert english[9:11] == ["19/2/2020", "2020-02-19"]


def test_a_projects_figures_are_numbers_and_its_date_a_date_in_xlsx(
    client: Client, projects: dict[str, Project]
) -> None:
    row = by_code(xlsx_rows(client, "/projects/export.xlsx?fy=2563"))["11000000-0003"]
    assert row[3] == 2563
    assert row[7] == pytest.approx(-12.25)
    assert row[9] == "19/2/2563"
    assert row[10].date() == date(2020, 2, 19)
    assert row[11] == pytest.approx(1250000)


def test_formula_names_are_neutralised_in_both_formats(
    client: Client, projects: dict[str, Project]
) -> None:
    names = {row[0]: row[1] for row in csv_rows(client, "/projects/export.csv?fy=2563")[1:]}
    assert names["11000000-0001"] == "'" + EVIL
    assert names["11000000-0002"] == "'+1"
    cells = {row[0]: row for row in xlsx_rows(client, "/projects/export.xlsx?fy=2563")[1:]}
    assert cells["11000000-0001"][1] == "'" + EVIL
    assert cells["11000000-0002"][1] == "'+1"
    # A negative variance stays a number.
    assert cells["11000000-0001"][7] == pytest.approx(-1.5)


def test_a_reader_does_not_get_projects_hidden_from_them(
    client: Client, projects: dict[str, Project]
) -> None:
    public = [row[0] for row in csv_rows(client, "/projects/export.csv?fy=all")]
    assert "50120000-0001" not in public and "11000000-0004" in public
    client.force_login(make_member("reader", Role.EXECUTIVE))
    assert "50120000-0001" in [row[0] for row in csv_rows(client, "/projects/export.csv?fy=all")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exports_query_count_does_not_grow_with_rows(
    client: Client, projects: dict[str, Project], fmt: str
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/projects/export.{fmt}?fy=2563")
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return len(queries)

    few = count()
    for n in range(10, 60):
        stand(make_project(code=f"11000000-{n:04d}", agency=projects["canal"].agency))
    assert count() == few


@pytest.mark.parametrize("url", ["/kpis/export.csv?fy=2563", "/flags/export.xlsx?fy=2563"])
def test_the_kpi_and_flag_exports_query_count_does_not_grow_with_rows(
    client: Client, projects: dict[str, Project], url: str
) -> None:
    client.force_login(make_member("reader", Role.EXECUTIVE))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            b"".join(client.get(url).streaming_content)  # type: ignore[attr-defined]
        return len(queries)

    def add(n: int) -> None:
        project = make_project(code=f"11000000-{n:04d}", agency=projects["canal"].agency)
        stand(project)
        kpi = Kpi.objects.create(
            code=f"K-{n}",
            fiscal_year=project.fiscal_year,
            agency=project.agency,
            text="ตัวชี้วัด",
            kpi_type=KpiType.STRATEGIC,
            origin=Origin.MANUAL,
        )
        KpiSupport.objects.create(kpi=kpi, project=project)
        flag = Flag(
            FlagKind.COMPLETE_WITH_FUTURE_STEPS,
            {"date": date(2020, 1, 15), "count": 1, "first_start": date(2020, 3, 1)},
        )
        StandingFlag.objects.create(project=project, kind=flag.kind, details=flag_to_json(flag))

    add(10)
    few = count()
    for n in range(11, 40):
        add(n)
    assert count() == few


def test_kpis_export_with_the_lists_filters(client: Client, projects: dict[str, Project]) -> None:
    year = FiscalYear.ensure(2563)
    agency = projects["canal"].agency
    for code, text, project, origin in (
        ("K-1", "ความยาวคลองที่ขุดลอก", projects["canal"], Origin.MANUAL),
        ("K-2", "@ตัวชี้วัดลับ", projects["hidden"], Origin.SAMPLE),
    ):
        kpi = Kpi.objects.create(
            code=code,
            fiscal_year=year,
            agency=agency,
            text=text,
            target=D(10),
            kpi_type=KpiType.STRATEGIC,
            origin=origin,
        )
        KpiSupport.objects.create(kpi=kpi, project=project)
    rows = csv_rows(client, "/kpis/export.csv?fy=2563")
    assert [row[0] for row in rows[1:]] == ["K-1"]
    assert rows[1][1] == "ความยาวคลองที่ขุดลอก"
    client.force_login(make_member("reader", Role.EXECUTIVE))
    rows = csv_rows(client, "/kpis/export.csv?fy=2563")
    assert [row[1] for row in rows[1:]] == ["ความยาวคลองที่ขุดลอก", "'@ตัวชี้วัดลับ"]
    # The last column says which KPIs are generated sample data.
    assert [row[-1] for row in rows] == ["ข้อมูลตัวอย่าง", "ไม่ใช่", "ใช่"]
    assert xlsx_rows(client, "/kpis/export.xlsx?fy=2563&q=K-2")[1][1] == "'@ตัวชี้วัดลับ"


def test_the_flags_export_has_a_sentence_per_contradiction(
    client: Client, projects: dict[str, Project]
) -> None:
    flag = Flag(
        FlagKind.REPORTS_MISSING, {"from": date(2019, 12, 1), "to": date(2020, 2, 29), "months": 3}
    )
    for key in ("canal", "hidden"):
        StandingFlag.objects.create(
            project=projects[key], kind=flag.kind, details=flag_to_json(flag)
        )
    rows = csv_rows(client, "/flags/export.csv?fy=2563&kind=reports_missing")
    assert [row[0] for row in rows[1:]] == ["11000000-0003"]
    assert rows[1][4] and rows[1][5]
    assert xlsx_rows(client, "/flags/export.xlsx?fy=2563")[1][0] == "11000000-0003"


def test_the_kpi_and_flags_pages_link_to_their_exports_with_the_filters(
    client: Client, projects: dict[str, Project]
) -> None:
    StandingFlag.objects.create(project=projects["canal"], kind=FlagKind.REPORTS_MISSING)
    ProjectStanding.objects.filter(project=projects["canal"]).update(flag_count=1)
    text = client.get("/flags/?fy=2563").content.decode()
    assert 'href="/flags/export.csv?fy=2563"' in text
    assert 'href="/flags/export.xlsx?fy=2563"' in text
    kpi = Kpi.objects.create(
        code="K-1",
        fiscal_year=FiscalYear.ensure(2563),
        agency=projects["canal"].agency,
        text="ตัวชี้วัด",
        kpi_type=KpiType.STRATEGIC,
        origin=Origin.MANUAL,
    )
    KpiSupport.objects.create(kpi=kpi, project=projects["canal"])
    text = client.get("/kpis/?fy=2563&q=K").content.decode()
    assert 'href="/kpis/export.csv?fy=2563&amp;q=K"' in text


@pytest.fixture
def worker() -> Iterator[Any]:
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield lambda: call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0
    )
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_large_export_goes_through_a_job_even_for_a_signed_out_reader(
    client: Client, settings: Any, tmp_path: Path, worker: Any, fmt: str
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.EXPORT_SYNC_ROWS = 2
    agency = make_agency("11000000", name_th="สำนักการระบายน้ำ")
    for n in range(1, 6):
        stand(make_project(code=f"11000000-{n:04d}", name=f"+{n}", agency=agency))
    stand(make_project(code="50120000-0001", published=False))
    response = client.get(f"/projects/export.{fmt}?fy=2563&sort=-code")
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.requested_by is None and job.session_key == client.session.session_key
    assert job.state == JobState.QUEUED
    assert "hx-get" in client.get(f"/jobs/{job.pk}/").content.decode()
    worker()
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.DONE, 5, 5)
    expected = [f"11000000-{n:04d}" for n in range(5, 0, -1)]
    rows: list[Any]
    if fmt == "csv":
        rows = csv_rows(client, f"/jobs/{job.pk}/download/")
        assert [row[1] for row in rows[1:]] == [f"'+{n}" for n in range(5, 0, -1)]
    else:
        rows = xlsx_rows(client, f"/jobs/{job.pk}/download/")
    assert [row[0] for row in rows[1:]] == expected
    assert Client().get(f"/jobs/{job.pk}/download/").status_code == 404


def test_any_table_can_be_answered_as_a_file() -> None:
    table = Table("สรุป", [Column("agency", "Agency"), Column("n", "Projects", "int")], [("=A1", 3)])
    response = table_response(table, "csv", filename="summary.csv", lang="en")
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert data == BOM + b"Agency,Projects\r\n'=A1,3\r\n"
    response = table_response(table, "xlsx", filename="summary.xlsx", lang="en")
    assert response["Content-Disposition"] == 'attachment; filename="summary.xlsx"'
