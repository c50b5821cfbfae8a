"""The root causes of the server errors hostile input found, each refused with a message (or
read as absent) instead: huge numbers, other scripts' digits, huge ids in a multi-select, a
blank plan row, and dates at the ends of the calendar."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from tidtam.lib.fiscal import LATEST, clamp_date
from tidtam.projects import actions
from tidtam.projects.models import PlanStep
from tidtam.projects.schedule import StepWindow, assess, planned_curve
from tidtam.projects.tests.test_data_entry import GOOD, plan_post, project_post
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.test import Personas, add_steps, make_project

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize("url", ["/projects/", "/kpis/", "/problems/", "/flags/", "/"])
@pytest.mark.parametrize("value", [HUGE, "2147483647", "²", "-1"])
def test_a_huge_or_foreign_year_in_a_list_is_read_as_no_year(
    client: Client, personas: Personas, url: str, value: str
) -> None:
    make_project()
    client.raise_request_exception = False
    client.force_login(personas.evaluator)
    assert client.get(url, {"fy": value, "quarter": value, "page": value}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [f"/reports/{HUGE}/", f"/kpis/K/{HUGE}/q1/result/", f"/quarters/2563/q{HUGE}/close/"],
)
def test_a_huge_number_in_a_path_is_not_found(
    client: Client, personas: Personas, path: str
) -> None:
    client.raise_request_exception = False
    client.force_login(personas.evaluator)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("version", ["²", "٣", HUGE])
def test_a_version_in_another_script_or_too_large_is_refused(
    client: Client, personas: Personas, version: str
) -> None:
    project = make_project()
    add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    client.raise_request_exception = False
    client.force_login(personas.officer_a)
    data = project_post(agency=personas.agency_a.pk, code=project.code, version=version)
    response = client.post(f"/projects/{project.code}/edit/", data)
    assert response.status_code == 200
    assert "version" in response.context["form"].errors
    stale = {**plan_post(GOOD, 1), "version": version}
    plan = client.post(f"/projects/{project.code}/plan/", stale)
    assert plan.status_code == 200
    moved = client.post(f"/projects/{project.code}/plan/", plan_post(GOOD, 1, op="up-²"))
    assert moved.status_code == 200
    assert list(project.steps.values_list("weight", flat=True)) == [Decimal(100)]


def test_thai_digits_are_read_in_number_fields(client: Client, personas: Personas) -> None:
    project = make_project(budget=Decimal(1000))
    client.force_login(personas.officer_a)
    url = f"/projects/{project.code}/budget/"
    response = client.post(url, {"released_on": "2019-11-01", "amount": "๑๐๐", "note": ""})
    assert response.status_code == 302
    assert project.instalments.get().amount == Decimal(100)
    refused = client.post(url, {"released_on": "2019-11-02", "amount": "٣", "note": ""})
    assert "amount" in refused.context["form"].errors
    assert project.instalments.count() == 1


def test_a_huge_id_in_a_multiple_choice_is_refused_with_a_form_error(
    client: Client, personas: Personas
) -> None:
    client.raise_request_exception = False
    client.force_login(personas.officer_a)
    data = project_post(agency=personas.agency_a.pk, links=[HUGE, "9223372036854775808"])
    response = client.post("/projects/new/", data)
    assert response.status_code == 200
    assert "links" in response.context["form"].errors


def test_a_plan_row_added_and_saved_blank_is_refused_with_a_form_error(
    client: Client, personas: Personas
) -> None:
    project = make_project()
    add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    client.raise_request_exception = False
    client.force_login(personas.officer_a)
    rows = [("สำรวจ", "100", "2019-10-01", "2020-09-30"), ("", "", "", "")]
    response = client.post(f"/projects/{project.code}/plan/", plan_post(rows, 1, op="save"))
    assert response.status_code == 200
    assert response.context["steps"].forms[1].errors
    assert project.steps.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("0001-01-01", "2020-09-30", "วันที่"),
        ("2019-10-01", "31/12/2999", "2743"),
        ("2019-10-01", "2568-10-01", "2568"),
    ],
)
def test_a_plan_step_at_the_ends_of_the_calendar_is_refused_with_a_message(
    client: Client, personas: Personas, start: str, end: str, message: str
) -> None:
    project = make_project()
    client.force_login(personas.officer_a)
    rows = [("สำรวจ", "100", start, end)]
    response = client.post(f"/projects/{project.code}/plan/", plan_post(rows, 1))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not project.steps.exists()


@pytest.mark.parametrize("end", [date(9999, 12, 31), date(2568, 10, 1)])
def test_the_plan_action_refuses_dates_out_of_bounds_for_the_importer_too(
    personas: Personas, end: date
) -> None:
    project = make_project()
    step = actions.StepInput(1, "สำรวจ", Decimal(100), date(2019, 10, 1), end)
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        actions.set_steps(project=project, steps=[step], by=None, reason="import", new=True)
    said = str(refused.value)
    # 9999 is past the bounds (31 December 2743 BE); 2568 is a Buddhist-Era year (2025).
    assert "2743" in said if end.year == 9999 else "2568" in said and "2025" in said
    assert not project.steps.exists()


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (PlanStep, {"order": 1, "text": "x", "weight": 1, "start": date(1, 1, 1), "end": LATEST}),
        (ProgressReport, {"report_date": date(9999, 12, 31), "percent": 1, "narrative": "x"}),
    ],
)
def test_the_database_refuses_dates_out_of_bounds(model: Any, values: dict[str, Any]) -> None:
    project = make_project()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(project=project, **values)


def test_a_published_project_with_a_ten_year_plan_barely_begun_still_shows(
    client: Client, personas: Personas
) -> None:
    project = make_project()
    add_steps(project, ("100", "1900-01-01", "2200-12-31"))
    ProgressReport.objects.create(
        project=project,
        report_date=date(2020, 5, 28),
        percent=Decimal("0.01"),
        narrative="เริ่มแล้ว",
        status=ReportStatus.APPROVED,
        created_by=personas.officer_a,
    )
    client.raise_request_exception = False
    assert client.get(f"/projects/{project.code}/").status_code == 200


def test_computed_dates_stop_at_the_bounds_instead_of_overflowing() -> None:
    steps = [StepWindow(Decimal(100), date(1, 1, 1), date(9999, 12, 31))]
    assert planned_curve(steps)[0][0] == date(1900, 1, 1)
    seen = assess(steps, [(date(2020, 1, 1), Decimal("0.01"))], today=date(2020, 1, 2))
    assert seen.forecast_finish is None or seen.forecast_finish <= LATEST
    assert clamp_date(date(2020, 1, 1), 10**9) == LATEST
