"""A fiscal year's open-data package: valid for the frictionless library, holding what the public
pages show and nothing else, written by the command and by the open-data page's job."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import frictionless
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tidtam.indicators.models import Kpi
from tidtam.jobs.models import Job, JobState
from tidtam.opendata.package import write_zip
from tidtam.opendata.tables import TABLES, public_scope
from tidtam.opendata.tests.world import (
    APPROVED_TEXT,
    APPROVER_NAME,
    CONTACT_NAME,
    DISTRICT,
    DISTRICT_PROJECT,
    DISTRICT_TEXT,
    DRAFT_PROBLEM,
    DRAFT_TEXT,
    HIDDEN,
    HIDDEN_KPI_TEXT,
    HIDDEN_TEXT,
    KPI_TEXT,
    LATER_TEXT,
    OTHER_YEAR,
    OTHER_YEAR_TEXT,
    PRIVATE_CONTACT,
    PRIVATE_PHONE,
    PUBLIC_PHONE,
    PUBLIC_PROBLEM,
    PUBLISHED,
    RETURNED_TEXT,
    SUBMITTED_TEXT,
    YEAR,
    World,
    build_world,
)
from tidtam.orgs.models import Origin
from tidtam.test import Personas, add_steps, make_project


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def csv_field_limit() -> Any:
    """frictionless raises the csv module's field size limit for the whole process when it
    reads a CSV; put it back, so that other tests (the plan import's) see Python's own."""
    limit = csv.field_size_limit()
    yield
    csv.field_size_limit(limit)


@pytest.fixture
def world(personas: Personas) -> World:
    return build_world(personas)


def export(tmp_path: Path, name: str = "package") -> Path:
    folder = tmp_path / name
    call_command("export_opendata", fiscal_year=YEAR, output=str(folder), stdout=io.StringIO())
    return folder


def table(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def errors(report: frictionless.Report) -> list[Any]:
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.django_db
def test_the_package_is_valid_for_the_frictionless_library(world: World, tmp_path: Path) -> None:
    folder = export(tmp_path)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, errors(report)
    package = frictionless.Package.from_descriptor(str(folder / "datapackage.json"))
    assert package.validate().valid
    # Every table is there, with its rows read under its schema.
    assert [r.name for r in package.resources] == [t.name for t in TABLES]
    projects = package.get_table_resource("projects").read_rows()
    assert [row["code"] for row in projects] == [DISTRICT_PROJECT, PUBLISHED]


@pytest.mark.django_db
def test_a_zip_of_the_package_is_valid_too(world: World, tmp_path: Path) -> None:
    path = tmp_path / "out" / "fy.zip"
    call_command("export_opendata", fiscal_year=YEAR, output=str(path), stdout=io.StringIO())
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        assert names == {"datapackage.json", *(t.path for t in TABLES)}
        archive.extractall(tmp_path / "unzipped")
    report = frictionless.validate(str(tmp_path / "unzipped" / "datapackage.json"))
    assert report.valid, errors(report)


@pytest.mark.django_db
def test_the_descriptor_is_ready_for_a_ckan_portal(world: World, tmp_path: Path) -> None:
    descriptor = json.loads((export(tmp_path) / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["name"] == f"tidtam-fy{YEAR}"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    # Titles and descriptions in Thai and in English.
    assert f"ปีงบประมาณ พ.ศ. {YEAR}" in descriptor["title_th"]
    assert f"fiscal year {YEAR}" in descriptor["title_en"]
    assert descriptor["title"] == f"{descriptor['title_th']} / {descriptor['title_en']}"
    assert "เผยแพร่" in descriptor["description"] and "published" in descriptor["description"]
    for resource in descriptor["resources"]:
        assert re.fullmatch(r"[a-z0-9_]+", resource["name"]), resource["name"]
        assert resource["encoding"] == "utf-8" and resource["format"] == "csv"
        assert resource["title_th"] and resource["title_en"]
        schema = resource["schema"]
        assert schema["primaryKey"], resource["name"]
        names = {f["name"] for f in schema["fields"]}
        assert set(schema["primaryKey"]) <= names
        for key in schema.get("foreignKeys", []):
            assert set(key["fields"]) <= names
    by_name = {r["name"]: r for r in descriptor["resources"]}
    assert by_name["monthly_reports"]["schema"]["foreignKeys"] == [
        {"fields": ["project_code"], "reference": {"resource": "projects", "fields": ["code"]}}
    ]
    status = next(f for f in by_name["standings"]["schema"]["fields"] if f["name"] == "status")
    assert "on_track" in status["constraints"]["enum"]
    assert "ตามแผน" in status["description"] or "On track" in status["description"]


@pytest.mark.django_db
def test_the_package_holds_the_published_projects_and_their_approved_records_only(
    world: World, tmp_path: Path
) -> None:
    Kpi.objects.filter(code="K-1").update(origin=Origin.SAMPLE)
    folder = export(tmp_path)
    assert [p["code"] for p in table(folder, "projects")] == [DISTRICT_PROJECT, PUBLISHED]
    assert table(folder, "projects")[1]["budget"] == "500000.50"
    # Approved reports only, with ISO dates; no submitted, returned or draft report, none of
    # the unpublished project's, none of another year's.
    reports = table(folder, "monthly_reports")
    assert [(r["project_code"], r["report_date"], r["narrative"]) for r in reports] == [
        (DISTRICT_PROJECT, "2020-01-29", DISTRICT_TEXT),
        (PUBLISHED, "2020-01-28", APPROVED_TEXT),
        (PUBLISHED, "2020-02-27", LATER_TEXT),
    ]
    assert reports[1]["url"].endswith(f"/reports/{world.approved.pk}/")
    assert [p["description"] for p in table(folder, "problems")] == [PUBLIC_PROBLEM]
    steps = table(folder, "plan_steps")
    assert [(s["project_code"], s["start"], s["end"]) for s in steps][2:] == [
        (PUBLISHED, "2019-10-01", "2020-03-31"),
        (PUBLISHED, "2020-04-01", "2020-09-30"),
    ]
    # The KPI the published project supports, its approved quarter only; not the KPI that
    # supports the unpublished project alone.
    assert [(k["code"], k["text"]) for k in table(folder, "kpis")] == [("K-1", KPI_TEXT)]
    # Projects and KPIs alike say whether they are generated sample data.
    assert [p["sample"] for p in table(folder, "projects")] == ["false", "false"]
    assert [k["sample"] for k in table(folder, "kpis")] == ["true"]
    assert [(r["kpi_code"], r["quarter"], r["result"]) for r in table(folder, "kpi_results")] == [
        ("K-1", "1", "12.5000")
    ]
    assert [(s["kpi_code"], s["project_code"]) for s in table(folder, "kpi_projects")] == [
        ("K-1", PUBLISHED)
    ]
    standing = table(folder, "standings")
    assert [(s["project_code"], s["reported_percent"]) for s in standing] == [
        (DISTRICT_PROJECT, "25.00"),
        (PUBLISHED, "45.00"),
    ]
    assert [a["code"] for a in table(folder, "agencies")] == [DISTRICT, "99990000"]
    everything = "".join(path.read_text(encoding="utf-8") for path in folder.rglob("*.*"))
    for hidden in (
        SUBMITTED_TEXT,
        RETURNED_TEXT,
        DRAFT_TEXT,
        DRAFT_PROBLEM,
        HIDDEN,
        HIDDEN_TEXT,
        HIDDEN_KPI_TEXT,
        OTHER_YEAR,
        OTHER_YEAR_TEXT,
        "77.25",
    ):
        assert hidden not in everything, hidden


@pytest.mark.django_db
def test_the_package_has_no_personal_data_the_public_page_does_not_show(
    world: World, tmp_path: Path, client: Client
) -> None:
    folder = export(tmp_path)
    contacts = table(folder, "contacts")
    # The names the public page shows; a phone only where it is published.
    assert [(c["name"], c["phone"]) for c in contacts] == [
        (CONTACT_NAME, PUBLIC_PHONE),
        (PRIVATE_CONTACT, ""),
    ]
    page = client.get(f"/projects/{PUBLISHED}/").content.decode()
    assert CONTACT_NAME in page and PUBLIC_PHONE in page and PRIVATE_PHONE not in page
    everything = "".join(path.read_text(encoding="utf-8") for path in folder.rglob("*.*"))
    assert PRIVATE_PHONE not in everything
    assert "example.test" not in everything  # no e-mail address
    # No officer: not who entered, submitted or approved a report.
    for user in (world.personas.officer_a, world.personas.approver_a):
        assert user.username not in everything
    assert APPROVER_NAME[0] not in everything


@pytest.mark.django_db
def test_the_command_refuses_a_year_without_published_projects(
    personas: Personas, tmp_path: Path
) -> None:
    make_project(code="99990000-0009", published=False)
    with pytest.raises(CommandError, match=f"ปีงบประมาณ {YEAR} ไม่มีโครงการที่เผยแพร่"):
        call_command("export_opendata", fiscal_year=YEAR, output=str(tmp_path / "x"))
    with pytest.raises(CommandError, match="2400"):
        call_command("export_opendata", fiscal_year=2400, output=str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


@pytest.mark.django_db
def test_writing_the_package_reads_a_fixed_number_of_queries(personas: Personas) -> None:
    def queries() -> int:
        scope = public_scope(YEAR)
        assert scope is not None
        with CaptureQueriesContext(connection) as captured:
            write_zip(scope, io.BytesIO())
        return len(captured)

    first = make_project(code="99990000-0100")
    add_steps(first, ("100", "2019-10-01", "2020-09-30"))
    few = queries()
    for n in range(5):
        project = make_project(code=f"99990000-{n + 101:04d}")
        add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    assert queries() == few


@pytest.mark.django_db
def test_the_footer_links_the_open_data_page_which_lists_the_published_years(
    world: World, client: Client
) -> None:
    assert 'href="/open-data/"' in client.get("/").content.decode()
    page = client.get("/open-data/").content.decode()
    assert f'action="/open-data/{YEAR}/"' in page
    assert f'action="/open-data/{YEAR + 1}/"' in page  # the other year's published project
    assert "CC BY 4.0" in page and "monthly_reports.csv" in page


@pytest.mark.django_db
def test_asking_for_a_year_without_published_projects_is_a_404_and_starts_nothing(
    personas: Personas, client: Client
) -> None:
    make_project(code="99990000-0009", published=False)
    assert client.post(f"/open-data/{YEAR}/").status_code == 404
    assert client.post("/open-data/2400/").status_code == 404
    assert client.get(f"/open-data/{YEAR}/").status_code == 405
    assert not Job.objects.exists()


def ask(client: Client) -> Job:
    response = client.post(f"/open-data/{YEAR}/")
    assert response.status_code == 302
    return Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("queued_tasks")
def test_the_page_makes_the_package_in_the_background_once_for_every_reader(
    personas: Personas, worker: Callable[[], None], tmp_path: Path
) -> None:
    build_world(personas)
    visitor = Client()
    job = ask(visitor)
    assert job.state == JobState.QUEUED and job.requested_by is None
    worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    response = visitor.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"tidtam-opendata-{YEAR}.zip" in response["Content-Disposition"]
    path = tmp_path / "package.zip"
    path.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    with zipfile.ZipFile(path) as archive:
        archive.extractall(tmp_path / "unzipped")
    assert frictionless.validate(str(tmp_path / "unzipped" / "datapackage.json")).valid
    # Another reader of the same data gets the same file at once, with no work redone.
    other = Client()
    other.force_login(personas.evaluator)
    shared = ask(other)
    assert shared.pk != job.pk and shared.state == JobState.DONE
    assert other.get(f"/jobs/{shared.pk}/download/").status_code == 200
    # Once the data changes, the package is made again.
    project = make_project(code="99990000-0077", name="โครงการใหม่")
    add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    assert ask(other).state == JobState.QUEUED
