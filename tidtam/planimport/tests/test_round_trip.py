"""The template round trip: download the template, fill it, import it, export it, compare."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal, InvalidOperation

import pytest
from django.test import Client
from openpyxl import load_workbook

from tidtam.indicators.models import Kpi
from tidtam.orgs.models import Person
from tidtam.planimport.layout import FIRST_DATA_ROW, SHEETS
from tidtam.planimport.load import import_file
from tidtam.planimport.tests.helpers import KPI, PROJECT, STEP_ROWS, YEAR, filled, upload
from tidtam.projects.models import Project, ProjectContact
from tidtam.test import Personas


def sheet_values(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {
        sheet.key: [
            row
            for row in book[sheet.title].iter_rows(min_row=FIRST_DATA_ROW, values_only=True)
            if any(v not in (None, "") for v in row)
        ]
        for sheet in SHEETS
    }


def officer_client(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.officer_a)
    return client


@pytest.mark.django_db
def test_a_filled_template_imports_and_exports_as_it_was_typed(personas: Personas) -> None:
    client = officer_client(personas)
    template = client.get(f"/plans/import/template.xlsx?agency=99990000&year={YEAR}")
    assert template.status_code == 200
    workbook = filled(template.content)

    preview = client.post(
        "/plans/import/",
        {"agency": "99990000", "fiscal_year": YEAR, "file": upload(workbook)},
    )
    assert preview.status_code == 200
    assert preview.context["problems"] == []
    assert not Project.objects.filter(code="99990000-0101").exists(), "a preview writes nothing"

    confirmed = client.post("/plans/import/confirm/", {"upload": preview.context["upload"]})
    assert confirmed.status_code == 302
    project = Project.objects.get(code="99990000-0101")
    assert (project.agency, project.fiscal_year_id) == (personas.agency_a, YEAR)
    assert [s.text for s in project.steps.all()] == ["=จัดซื้อกล้าไม้", "ปลูกต้นไม้"]
    assert Kpi.objects.get(code="9999-0101").supports.get().project == project
    # Through the actions: audited, naming who.
    assert project.history.first().history_user == personas.officer_a
    assert project.steps.get(order=1).history.first().history_user == personas.officer_a

    exported = client.get(f"/plans/import/export.xlsx?agency=99990000&year={YEAR}")
    assert exported.status_code == 200
    assert sheet_values(exported.content) == sheet_values(workbook)


@pytest.mark.django_db
def test_the_csv_template_round_trips_too(personas: Personas) -> None:
    client = officer_client(personas)
    template = zipfile.ZipFile(
        io.BytesIO(client.get(f"/plans/import/template.zip?agency=99990000&year={YEAR}").content)
    )
    assert sorted(template.namelist()) == ["kpis.csv", "projects.csv", "reference.csv", "steps.csv"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for sheet, rows in zip(SHEETS, ([PROJECT], STEP_ROWS, [KPI]), strict=True):
            text = io.StringIO()
            text.write(template.read(f"{sheet.key}.csv").decode("utf-8-sig"))
            writer = csv.writer(text, lineterminator="\r\n")
            for row in rows:
                writer.writerow(
                    ["'" + str(v) if str(v).startswith("=") else v for v in row.values()]
                )
            archive.writestr(f"{sheet.key}.csv", text.getvalue().encode("utf-8-sig"))
    report = import_file(
        data=out.getvalue(),
        agency=personas.agency_a,
        fiscal_year=YEAR,
        by=personas.officer_a,
        source="plan.zip",
        commit=True,
    )
    assert report.problems == [] and report.committed
    exported = zipfile.ZipFile(
        io.BytesIO(client.get(f"/plans/import/export.zip?agency=99990000&year={YEAR}").content)
    )
    for sheet in SHEETS:
        again = list(csv.reader(io.StringIO(exported.read(f"{sheet.key}.csv").decode("utf-8-sig"))))
        typed = list(csv.reader(io.StringIO(out_member(out, sheet.key))))
        assert _normal(again) == _normal(typed), sheet.key


def out_member(out: io.BytesIO, key: str) -> str:
    return zipfile.ZipFile(io.BytesIO(out.getvalue())).read(f"{key}.csv").decode("utf-8-sig")


def _normal(rows: list[list[str]]) -> list[list[str]]:
    """Numbers as numbers: the export writes 150000.5 where 150000.50 was typed."""

    def cell(value: str) -> str:
        try:
            return f"{Decimal(value).normalize():f}"
        except InvalidOperation:
            return value

    return [[cell(v) for v in row] for row in rows]


@pytest.mark.django_db
def test_importing_the_export_again_changes_no_fact(personas: Personas) -> None:
    client = officer_client(personas)
    template = client.get(f"/plans/import/template.xlsx?agency=99990000&year={YEAR}").content
    import_file(
        data=filled(template),
        agency=personas.agency_a,
        fiscal_year=YEAR,
        by=personas.officer_a,
        source="plan.xlsx",
        commit=True,
    )
    project = Project.objects.get(code="99990000-0101")
    person = Person.objects.create(agency=personas.agency_a, name="สมชาย", phone="0 2222 2222")
    ProjectContact.objects.create(project=project, person=person)
    exported = client.get(f"/plans/import/export.xlsx?agency=99990000&year={YEAR}").content
    report = import_file(
        data=exported,
        agency=personas.agency_a,
        fiscal_year=YEAR,
        by=personas.officer_a,
        source="again.xlsx",
        commit=True,
    )
    assert report.problems == []
    assert (report.projects_created, report.projects_updated, report.kpis_updated) == (0, 1, 1)
    again = client.get(f"/plans/import/export.xlsx?agency=99990000&year={YEAR}").content
    assert sheet_values(again) == sheet_values(exported)
    # The workbook holds no contacts: the project keeps its own.
    assert [c.person for c in project.contacts.all()] == [person]
