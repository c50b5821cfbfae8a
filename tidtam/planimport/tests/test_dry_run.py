"""A dry run lists every problem at its sheet, row and column and writes nothing; an import
refused anywhere, however late, writes nothing either."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.test import Client
from django.utils.translation import override

from tidtam.planimport.layout import KPIS, PROJECTS, STEPS
from tidtam.planimport.load import import_file
from tidtam.planimport.tests.helpers import KPI, PROJECT, STEP_ROWS, YEAR, fill, upload
from tidtam.planimport.workbook import write_xlsx
from tidtam.test import Personas


def row_counts() -> dict[str, int]:
    """How many rows every table of record (its history included) holds."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"orgs", "strategy", "projects", "indicators"}
    }


def broken_plan(personas: Personas) -> bytes:
    """A negative budget and another agency's unit (projects row 3), a weight in words (steps
    row 4), a KPI type that is no code (kpis row 3)."""
    return fill(
        write_xlsx(personas.agency_a, YEAR),
        {
            PROJECTS: [{**PROJECT, "budget": Decimal(-5), "owning_unit": "99980001"}],
            STEPS: [STEP_ROWS[0], {**STEP_ROWS[1], "weight": "sixty"}],
            KPIS: [{**KPI, "kpi_type": "strategy"}],
        },
    )


@pytest.mark.django_db
def test_the_preview_lists_every_problem_by_sheet_row_and_column_and_writes_nothing(
    personas: Personas,
) -> None:
    client = Client()
    client.force_login(personas.officer_a)
    client.cookies["django_language"] = "en"
    before = row_counts()
    response = client.post(
        "/plans/import/",
        {"agency": "99990000", "fiscal_year": YEAR, "file": upload(broken_plan(personas))},
    )
    assert response.status_code == 200
    problems = [(p.sheet, p.row, p.column, p.message) for p in response.context["problems"]]
    assert problems == [
        (
            "Projects",
            3,
            "C: owning unit code",
            "The agency has no unit 99980001: see the reference sheet.",
        ),
        ("Projects", 3, "G: budget (baht)", "The budget cannot be negative."),
        ("Steps", 4, "D: weight (%)", "Enter a number here, e.g. 1250.50."),
        (
            "KPIs",
            3,
            "E: type (code)",
            "Choose one of the codes strategic, routine (see the reference sheet).",
        ),
    ]
    assert row_counts() == before
    assert response.context["upload"] == "", "nothing to confirm"
    assert "Import the plan" not in response.content.decode()


@pytest.mark.django_db
def test_a_dry_run_reports_what_the_actions_refuse_at_their_columns(personas: Personas) -> None:
    before = row_counts()
    data = fill(
        write_xlsx(personas.agency_a, YEAR),
        {
            PROJECTS: [{**PROJECT, "budget": Decimal(-5)}],
            STEPS: STEP_ROWS,
            KPIS: [{**KPI, "target": Decimal(-1)}],
        },
    )
    with override("en"):
        report = import_file(
            data=data,
            agency=personas.agency_a,
            fiscal_year=YEAR,
            by=personas.officer_a,
            source="plan.xlsx",
            commit=False,
        )
    where = {(p.sheet, p.row, p.column): p.message for p in report.problems}
    assert where[("projects", 3, "budget")] == "The budget cannot be negative."
    assert not report.committed
    assert row_counts() == before


@pytest.mark.django_db
def test_a_late_refusal_leaves_nothing_of_the_plan(personas: Personas) -> None:
    """Projects and steps load first; a KPI refused last still takes them all back."""
    before = row_counts()
    data = fill(
        write_xlsx(personas.agency_a, YEAR),
        {PROJECTS: [PROJECT], STEPS: STEP_ROWS, KPIS: [{**KPI, "target": Decimal(-1)}]},
    )
    report = import_file(
        data=data,
        agency=personas.agency_a,
        fiscal_year=YEAR,
        by=personas.officer_a,
        source="plan.xlsx",
        commit=True,
    )
    assert [(p.sheet, p.row, p.column) for p in report.problems] == [("kpis", 3, "target")]
    assert report.projects_created == 1, "the project was loaded before the KPI was refused"
    assert not report.committed
    assert row_counts() == before


@pytest.mark.django_db
def test_the_preview_speaks_english_to_an_english_reader(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.officer_a)
    client.cookies["django_language"] = "th"
    thai = client.post(
        "/plans/import/",
        {"agency": "99990000", "fiscal_year": YEAR, "file": upload(broken_plan(personas))},
    )
    assert "ใส่ตัวเลข" in thai.content.decode()
    client.cookies["django_language"] = "en"
    english = client.post(
        "/plans/import/",
        {"agency": "99990000", "fiscal_year": YEAR, "file": upload(broken_plan(personas))},
    )
    assert "Enter a number here, e.g. 1250.50." in english.content.decode()
