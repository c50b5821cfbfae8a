"""The stored standing: written by the actions in their transaction, derived from official facts
only, refreshed for the passage of time, and the same on every page that shows it."""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tidtam.accounts.models import Role
from tidtam.indicators import actions as kpi_actions
from tidtam.indicators.models import KpiResult, RatingLevel
from tidtam.indicators.tests.factories import make_kpi
from tidtam.legacy.load import import_paths
from tidtam.orgs.models import Origin
from tidtam.projects import actions as project_actions
from tidtam.projects.models import FiscalYear, Project, ScheduleSettings
from tidtam.reporting import actions as report_actions
from tidtam.standing.flags import FlagKind
from tidtam.standing.models import KpiStanding, ProjectStanding, StandingFlag
from tidtam.standing.refresh import apply_new_thresholds, refresh_projects, refresh_standings
from tidtam.standing.tests.helpers import fresh, stored
from tidtam.test import (
    SEED_CODES,
    Personas,
    add_steps,
    make_agency,
    make_member,
    make_project,
    seed_path,
)

TODAY = date(2020, 3, 15)
D = Decimal


@pytest.fixture(autouse=True)
def today() -> Iterator[date]:
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield TODAY


def planned_project(personas: Personas, code: str = "99990000-0001", **extra: Any) -> Project:
    """Half the work from October to January, the other half from February to September."""
    project = make_project(code=code, agency=personas.agency_a, budget=D(100000), **extra)
    add_steps(project, ("50", "2019-10-01", "2020-01-31"), ("50", "2020-02-01", "2020-09-30"))
    refresh_projects([project.pk])  # rows written directly: refreshed explicitly
    return project


def report(
    personas: Personas, project: Project, day: date, percent: str, state: str = "approved"
) -> Any:
    values = report_actions.ReportValues(
        report_date=day, percent=D(percent), narrative="ดำเนินการ", decrease_reason="แก้ไข"
    )
    row = report_actions.create_report(project=project, values=values, by=personas.officer_a)
    if state != "draft":
        row = report_actions.submit_report(report=row, by=personas.officer_a)
    if state == "approved":
        row = report_actions.approve_report(report=row, by=personas.approver_a)
    return row


def text_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_approving_a_report_stores_the_new_standing_in_its_transaction(
    personas: Personas,
) -> None:
    project = planned_project(personas)
    assert ProjectStanding.objects.get(pk=project.pk).status == "not_reported"
    row = report(personas, project, date(2020, 3, 10), "30", state="submitted")
    standing = ProjectStanding.objects.get(pk=project.pk)
    # Submitted counts for this month's report, not for progress.
    assert standing.reported_percent is None and not standing.missing_report
    report_actions.approve_report(report=row, by=personas.approver_a)
    standing = ProjectStanding.objects.get(pk=project.pk)
    assert standing.reported_percent == D(30)
    assert standing.reported_on == date(2020, 3, 10)
    assert standing.status == "critical"  # 30 against about 57 planned on 10 March
    assert stored(project.pk) == fresh(project.pk, TODAY)


def test_a_refused_action_leaves_the_standing_as_it_was(personas: Personas) -> None:
    project = planned_project(personas)
    report(personas, project, date(2020, 2, 10), "40")
    before = stored(project.pk)
    with pytest.raises(ValidationError):
        # A second report for February is refused: nothing changes, derived state included.
        report(personas, project, date(2020, 2, 20), "90")
    assert stored(project.pk) == before
    with pytest.raises(RuntimeError), transaction.atomic():
        report(personas, project, date(2020, 3, 10), "95")
        raise RuntimeError("the caller's unit of work fails after the action")
    assert stored(project.pk) == before


def test_a_draft_at_100_percent_flags_nothing_on_any_page_until_approved(
    client: Client, personas: Personas
) -> None:
    project = make_project(code="99990000-0001", agency=personas.agency_a)
    add_steps(project, ("50", "2019-10-01", "2020-01-31"), ("50", "2020-06-01", "2020-09-30"))
    refresh_projects([project.pk])
    report(personas, project, date(2020, 1, 31), "50")
    draft = report(personas, project, date(2020, 3, 10), "100", state="draft")
    client.force_login(personas.officer_a)  # the officer sees the draft itself
    assert "99990000-0001" not in text_of(client, "/flags/?fy=2563&kind=complete_future_steps")
    assert "รายงานแล้วเสร็จก่อนขั้นตอนตามแผนจะเริ่ม" not in text_of(client, "/projects/99990000-0001/")
    assert not StandingFlag.objects.filter(kind=FlagKind.COMPLETE_WITH_FUTURE_STEPS).exists()
    report_actions.submit_report(report=draft, by=personas.officer_a)
    report_actions.approve_report(report=draft, by=personas.approver_a)
    assert StandingFlag.objects.filter(
        project=project, kind=FlagKind.COMPLETE_WITH_FUTURE_STEPS
    ).exists()
    listing = text_of(client, "/flags/?fy=2563&kind=complete_future_steps")
    page = text_of(client, "/projects/99990000-0001/")
    sentence = "รายงานความคืบหน้าร้อยละ 100 เมื่อ 10 มี.ค. 2563"
    assert "99990000-0001" in listing and sentence in listing and sentence in page


def test_a_draft_kpi_result_is_on_no_public_page_and_counts_nowhere(
    client: Client, personas: Personas
) -> None:
    project = planned_project(personas)
    kpi = make_kpi("9999-0001", agency=personas.agency_a, projects=(project,), mode="sum")
    q1, q2 = kpi.fiscal_year.quarters.filter(number__in=(1, 2)).order_by("number")
    row = kpi_actions.enter_kpi_result(
        kpi=kpi, quarter=q1, result=D(12), narrative="ผล", by=personas.officer_a
    )
    row = kpi_actions.submit_kpi_result(row=row, by=personas.officer_a)
    kpi_actions.approve_kpi_result(row=row, by=personas.approver_a)
    kpi_actions.enter_kpi_result(
        kpi=kpi, quarter=q2, result=D(98765), narrative="ร่าง", by=personas.officer_a
    )
    assert KpiResult.objects.filter(kpi=kpi, status="draft").count() == 1
    assert KpiStanding.objects.get(pk=kpi.pk).achieved == D(12)
    for url in ("/projects/99990000-0001/", "/kpis/9999-0001/?fy=2563", "/kpis/"):
        text = text_of(client, url)
        assert "98,765" not in text and "98765" not in text, url
    # The project page shows the results that count, for insiders as well; the KPI page
    # shows the agency's staff the draft on its way, marked as such.
    client.force_login(personas.officer_a)
    assert "98,765" not in text_of(client, "/projects/99990000-0001/")
    assert "98,765" in text_of(client, "/kpis/9999-0001/?fy=2563")


def test_the_daily_refresh_moves_running_projects_and_leaves_finished_ones(
    personas: Personas,
) -> None:
    running = planned_project(personas)
    old = make_project(
        code="99990000-0002", agency=personas.agency_a, fiscal_year=FiscalYear.ensure(2560)
    )
    add_steps(old, ("100", "2016-10-01", "2017-09-30"))
    refresh_projects([old.pk])
    report(personas, old, date(2017, 9, 30), "100")
    assert ProjectStanding.objects.get(pk=old.pk).next_refresh is None
    assert ProjectStanding.objects.get(pk=running.pk).next_refresh == date(2020, 3, 16)
    out = StringIO()
    call_command("refresh_standings", "--today", "2020-04-15", stdout=out)
    assert "1 projects" in out.getvalue()
    moved = ProjectStanding.objects.get(pk=running.pk)
    assert moved.as_of == date(2020, 4, 15) and moved.planned_today > D(50)
    assert ProjectStanding.objects.get(pk=old.pk).as_of == TODAY
    call_command("refresh_standings", "--fiscal-year", "2560", "--today", "2020-04-15", stdout=out)
    assert ProjectStanding.objects.get(pk=old.pk).as_of == date(2020, 4, 15)
    with pytest.raises(Exception, match="--today"):
        call_command("refresh_standings", "--today", "15/4/2563", stdout=out)


def test_new_thresholds_rederive_the_current_year_and_make_the_rest_due(
    personas: Personas,
) -> None:
    project = planned_project(personas)
    report(personas, project, date(2020, 3, 10), "40")
    assert ProjectStanding.objects.get(pk=project.pk).status == "behind"
    ScheduleSettings.objects.create(behind_points=D(20), critical_points=D(40))
    assert apply_new_thresholds() == 1
    assert ProjectStanding.objects.get(pk=project.pk).status == "on_track"


def test_the_importer_leaves_every_standing_right(db: None) -> None:
    call_command("load_reference", stdout=StringIO())
    assert import_paths([seed_path(code) for code in SEED_CODES]).rejected == []
    for project in Project.objects.all():
        assert stored(project.pk) == fresh(project.pk, TODAY)
    assert ProjectStanding.objects.count() == len(SEED_CODES)
    assert KpiStanding.objects.count() >= 2


def test_scoring_a_kpi_refreshes_every_project_it_supports(personas: Personas) -> None:
    RatingLevel.objects.create(value=D(100), label_th="ดีเยี่ยม")
    first, second = planned_project(personas), planned_project(personas, code="99990000-0002")
    kpi = make_kpi("9999-0001", agency=personas.agency_a, projects=(first, second))
    refresh_standings()
    q1 = kpi.fiscal_year.quarters.get(number=1)
    row = kpi_actions.enter_kpi_result(
        kpi=kpi, quarter=q1, result=D(0), narrative="ยังไม่มีผล", by=personas.officer_a
    )
    kpi_actions.approve_kpi_result(
        row=kpi_actions.submit_kpi_result(row=row, by=personas.officer_a), by=personas.approver_a
    )
    criterion = kpi_actions.criteria_by_code({"2.1"})["2.1"]
    kpi_actions.score_kpi(kpi=kpi, quarter=q1, scores={criterion: D(100)}, by=personas.evaluator)
    for project in (first, second):
        assert StandingFlag.objects.filter(
            project=project, kind=FlagKind.ZERO_KPI_FULL_SCORE
        ).exists()
        assert stored(project.pk) == fresh(project.pk, TODAY)


def test_budget_and_plan_actions_refresh_the_standing(personas: Personas) -> None:
    project = planned_project(personas)
    project_actions.add_instalment(
        project=project,
        released_on=date(2019, 11, 1),
        amount=D(25000),
        note="",
        by=personas.officer_a,
    )
    assert ProjectStanding.objects.get(pk=project.pk).budget_released == D(25000)
    report(personas, project, date(2020, 3, 10), "80")
    current = Project.objects.get(pk=project.pk)
    project_actions.replace_plan(
        project=current,
        expected_version=current.version,
        steps=[project_actions.StepInput(1, "ทั้งหมด", D(100), date(2019, 10, 1), date(2020, 3, 31))],
        by=personas.officer_a,
        reason="ย่นระยะเวลา",
    )
    assert stored(project.pk) == fresh(project.pk, TODAY)
    assert ProjectStanding.objects.get(pk=project.pk).plan_end == date(2020, 3, 31)


# Every list reads stored values: its query count does not grow with the rows.


def grow(agency_code: str, n: int, *, sample: bool = False) -> None:
    agency = make_agency(agency_code)
    for i in range(1, n + 1):
        project = make_project(
            code=f"{agency_code}-{i:04d}",
            agency=agency,
            origin=Origin.SAMPLE if sample else Origin.MANUAL,
        )
        add_steps(project, ("100", "2019-10-01", "2020-09-30"))
        make_kpi(
            f"{agency_code[:4]}-{i:04d}",
            agency=agency,
            projects=(project,),
            origin=Origin.SAMPLE if sample else Origin.MANUAL,
        )
    refresh_standings()


LISTS = (
    "/",
    "/projects/",
    "/projects/?fy=2563",
    "/kpis/",
    "/flags/",
    "/flags/?kind=reports_missing",
)


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [*LISTS, "/me/"])
def test_no_list_grows_its_query_count_with_the_projects(
    client: Client, personas: Personas, url: str
) -> None:
    client.force_login(personas.officer_a)
    grow(personas.agency_a.code, 2)
    few = queries(client, url)
    grow("11110000", 12)
    grow(personas.agency_a.code[:4] + "1111", 0)
    for i in range(3, 15):
        planned_project(personas, code=f"{personas.agency_a.code}-{i:04d}")
    assert queries(client, url) == few


def test_sample_projects_carry_a_badge_wherever_they_appear(
    client: Client, personas: Personas
) -> None:
    grow("11110000", 1, sample=True)
    grow("22220000", 1)
    badge = "ข้อมูลตัวอย่าง"
    urls = (
        "/projects/",
        "/projects/11110000-0001/",
        "/flags/?kind=reports_missing",
        "/kpis/",
        "/kpis/1111-0001/?fy=2563",
    )
    for url in urls:
        text = text_of(client, url)
        assert badge in text, url
    assert badge not in text_of(client, "/projects/22220000-0001/")
    assert badge not in text_of(client, "/kpis/2222-0001/?fy=2563")
    # A sample KPI is badged as such in its own heading, not only beside its projects.
    heading = text_of(client, "/kpis/1111-0001/?fy=2563").split("<h1>")[1].split("</h1>")[0]
    assert badge in heading and "ไม่ใช่ตัวชี้วัดจริง" in heading
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Sample data" in text_of(client, "/projects/")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two writers at once: SQLite's shared-cache test database refuses the second "
    "at once, where the file database of a deployment makes it wait",
)
@pytest.mark.django_db(transaction=True)
def test_two_changes_at_once_leave_the_standing_of_both(personas: Personas) -> None:
    """An approver approves a report while another approves a KPI result of the same project:
    the standing written last must have seen the first change, not just its own."""
    project = planned_project(personas)
    kpi = make_kpi("9999-0001", agency=personas.agency_a, projects=(project,), mode="sum")
    q1 = kpi.fiscal_year.quarters.get(number=1)
    result = kpi_actions.enter_kpi_result(
        kpi=kpi, quarter=q1, result=D(7), narrative="ผล", by=personas.officer_a
    )
    result = kpi_actions.submit_kpi_result(row=result, by=personas.officer_a)
    submitted = report(personas, project, date(2020, 3, 10), "45", state="submitted")
    second = make_member("approver_a2", Role.APPROVER, personas.agency_a)
    held, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def approve_report_and_wait() -> None:
        try:
            with transaction.atomic():
                report_actions.approve_report(report=submitted, by=personas.approver_a)
                held.set()
                release.wait(10)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def approve_result() -> None:
        try:
            kpi_actions.approve_kpi_result(row=KpiResult.objects.get(pk=result.pk), by=second)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=approve_report_and_wait)
    first.start()
    assert held.wait(10)
    other = threading.Thread(target=approve_result)
    other.start()
    other.join(0.5)  # it waits for the first to commit
    release.set()
    first.join(10)
    other.join(10)
    assert errors == []
    standing = ProjectStanding.objects.get(pk=project.pk)
    assert standing.reported_percent == D(45)
    assert standing.kpi_achievement is not None
    assert stored(project.pk) == fresh(project.pk, TODAY)
