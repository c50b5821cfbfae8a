"""The other doors of the plan import: the command, the background job for a large plan, the
API, and who may use them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from tidtam.accounts.actions import create_api_token
from tidtam.indicators.models import Kpi
from tidtam.jobs.models import Job, JobState
from tidtam.planimport import views
from tidtam.planimport.layout import KPIS, PROJECTS, STEPS
from tidtam.planimport.tests.helpers import KPI, PROJECT, STEP_ROWS, YEAR, fill, filled, upload
from tidtam.planimport.workbook import write_xlsx
from tidtam.projects.models import Project
from tidtam.test import Personas


def command(path: Path, *extra: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(
        "import_plan",
        str(path),
        "--agency=99990000",
        f"--fiscal-year={YEAR}",
        "--by=officer_a",
        *extra,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_command_checks_with_dry_run_then_imports(personas: Personas, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(filled(write_xlsx(personas.agency_a, YEAR)))
    command(path, "--dry-run")
    assert not Project.objects.exists()
    command(path)
    project = Project.objects.get(code="99990000-0101")
    assert project.history.first().history_user == personas.officer_a


@pytest.mark.django_db
def test_the_command_lists_the_problems_and_writes_nothing(
    personas: Personas, tmp_path: Path
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(
        fill(
            write_xlsx(personas.agency_a, YEAR),
            {PROJECTS: [{**PROJECT, "budget": Decimal(-1)}], STEPS: STEP_ROWS, KPIS: [KPI]},
        )
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_plan",
            str(path),
            "--agency=99990000",
            f"--fiscal-year={YEAR}",
            "--by=officer_a",
            stdout=StringIO(),
            stderr=err,
        )
    assert "3" in err.getvalue() and "งบประมาณ" in err.getvalue()
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_a_large_plan_is_imported_by_a_background_job(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(views, "BACKGROUND_ROWS", 2)
    client = Client()
    client.force_login(personas.officer_a)
    data = filled(write_xlsx(personas.agency_a, YEAR))
    preview = client.post(
        "/plans/import/", {"agency": "99990000", "fiscal_year": YEAR, "file": upload(data)}
    )
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post("/plans/import/confirm/", {"upload": preview.context["upload"]})
    job = Job.objects.get()
    assert confirmed.status_code == 302 and confirmed["Location"] == f"/jobs/{job.pk}/"
    # The immediate task backend of the tests ran it once it was queued.
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert (job.done, job.total) == (4, 4)
    assert Project.objects.get(code="99990000-0101").steps.count() == 2
    assert Kpi.objects.filter(code="9999-0101").exists()
    report = client.get(f"/jobs/{job.pk}/download/")
    assert "สร้างโครงการ" in report.getvalue().decode("utf-8-sig")


@pytest.mark.django_db(transaction=True)
def test_a_large_plan_waits_for_the_worker_and_commits_all_or_nothing(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, worker: object
) -> None:
    monkeypatch.setattr(views, "BACKGROUND_ROWS", 2)
    client = Client()
    client.force_login(personas.officer_a)
    data = filled(write_xlsx(personas.agency_a, YEAR))
    preview = client.post(
        "/plans/import/", {"agency": "99990000", "fiscal_year": YEAR, "file": upload(data)}
    )
    client.post("/plans/import/confirm/", {"upload": preview.context["upload"]})
    job = Job.objects.get()
    assert job.state == JobState.QUEUED
    status = client.get(f"/jobs/{job.pk}/status/")
    assert b"hx-get" in status.content, "the page polls for progress"
    # Meanwhile someone takes the code: the job's import is refused, whole.
    Project.objects.create(
        code="99990000-0101",
        name="อื่น",
        agency=personas.agency_b,
        fiscal_year_id=YEAR,
        origin="manual",
    )
    worker()  # type: ignore[operator]
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert not Kpi.objects.exists()
    report = client.get(f"/jobs/{job.pk}/download/")
    text = report.getvalue().decode("utf-8-sig")
    assert "99990000-0101" in text


def token(user: User) -> str:
    _, secret = create_api_token(
        user=user, name="plan", expires_on=date.today() + timedelta(days=7), by=user
    )
    return secret


@pytest.mark.django_db
def test_the_api_dry_runs_by_default_and_commits_when_asked(personas: Personas) -> None:
    data = filled(write_xlsx(personas.agency_a, YEAR))
    headers = {"Authorization": f"Bearer {token(personas.officer_a)}"}
    dry = Client().post(
        "/api/v1/plan-imports",
        {"agency": "99990000", "fiscal_year": YEAR, "file": upload(data)},
        headers=headers,
    )
    assert dry.status_code == 200
    assert dry.json() == {
        "committed": False,
        "projects_created": 1,
        "projects_updated": 0,
        "steps": 2,
        "kpis_created": 1,
        "kpis_updated": 0,
        "problems": [],
    }
    assert not Project.objects.exists()
    done = Client().post(
        "/api/v1/plan-imports",
        {"agency": "99990000", "fiscal_year": YEAR, "file": upload(data), "commit": "true"},
        headers=headers,
    )
    assert done.json()["committed"] is True
    assert Project.objects.get(code="99990000-0101").agency == personas.agency_a


@pytest.mark.django_db
def test_the_api_reports_problems_at_sheet_row_and_column(personas: Personas) -> None:
    data = fill(
        write_xlsx(personas.agency_a, YEAR),
        {PROJECTS: [{**PROJECT, "budget": "lots"}], STEPS: STEP_ROWS, KPIS: [KPI]},
    )
    body = (
        Client()
        .post(
            "/api/v1/plan-imports?lang=en",
            {"agency": "99990000", "fiscal_year": YEAR, "file": upload(data)},
            headers={"Authorization": f"Bearer {token(personas.officer_a)}"},
        )
        .json()
    )
    assert body["problems"] == [
        {
            "sheet": "Projects",
            "row": 3,
            "column": "G: budget (baht)",
            "message": "Enter a number here, e.g. 1250.50.",
        }
    ]


@pytest.mark.django_db
def test_an_officer_cannot_import_another_agencys_plan(personas: Personas) -> None:
    data = filled(write_xlsx(personas.agency_a, YEAR))
    client = Client()
    client.force_login(personas.officer_b)
    page = client.post(
        "/plans/import/", {"agency": "99990000", "fiscal_year": YEAR, "file": upload(data)}
    )
    assert page.status_code == 200 and "agency" in page.context["form"].errors
    api = Client().post(
        "/api/v1/plan-imports",
        {"agency": "99990000", "fiscal_year": YEAR, "file": upload(data), "commit": "true"},
        headers={"Authorization": f"Bearer {token(personas.officer_b)}"},
    )
    assert api.status_code == 403
    assert set(api.json()["error"]) == {"code", "message", "fields"}
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_an_administrator_imports_for_any_agency(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.administrator)
    data = filled(write_xlsx(personas.agency_a, YEAR))
    preview = client.post(
        "/plans/import/", {"agency": "99990000", "fiscal_year": YEAR, "file": upload(data)}
    )
    client.post("/plans/import/confirm/", {"upload": preview.context["upload"]})
    assert Project.objects.get(code="99990000-0101").history.first().history_user == (
        personas.administrator
    )


@pytest.mark.django_db
def test_a_confirmation_without_its_upload_imports_nothing(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.officer_a)
    response = client.post("/plans/import/confirm/", {"upload": "0" * 32}, follow=True)
    assert response.redirect_chain[-1][0] == "/plans/import/"
    assert not Project.objects.exists()
