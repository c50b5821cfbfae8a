"""Hostile and mistaken files are refused with a clear message and nothing written: formula
cells, huge or malformed workbooks, zip bombs, XML bombs, wrong types, Buddhist-Era dates
typed where the Christian era is expected."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from django.apps import apps
from django.utils.translation import override
from openpyxl import Workbook, load_workbook

from tidtam.planimport.layout import (
    FIRST_DATA_ROW,
    KPIS,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    PROJECTS,
    STEPS,
)
from tidtam.planimport.load import ImportReport, import_file
from tidtam.planimport.parse import parse_plan
from tidtam.planimport.tests.helpers import KPI, PROJECT, STEP_ROWS, YEAR, fill, filled
from tidtam.planimport.workbook import write_xlsx
from tidtam.test import Personas


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"orgs", "strategy", "projects", "indicators"}
    }


def run(personas: Personas, data: bytes, *, commit: bool = True) -> ImportReport:
    with override("en"):
        return import_file(
            data=data,
            agency=personas.agency_a,
            fiscal_year=YEAR,
            by=personas.officer_a,
            source="plan.xlsx",
            commit=commit,
        )


def refused(personas: Personas, data: bytes) -> list[tuple[str, int | None, str, str]]:
    before = row_counts()
    report = run(personas, data)
    assert not report.committed
    assert row_counts() == before, "nothing written"
    return [(p.sheet, p.row, p.column, p.message) for p in report.problems]


def test_workbooks_are_read_with_defusedxml_installed() -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML, "openpyxl reads XML through defusedxml (against XML bombs)"


@pytest.mark.django_db
def test_a_formula_cell_is_refused_where_it_is(personas: Personas) -> None:
    book = load_workbook(io.BytesIO(filled(write_xlsx(personas.agency_a, YEAR))))
    book[PROJECTS.title]["G3"] = "=100*1500"
    out = io.BytesIO()
    book.save(out)
    assert refused(personas, out.getvalue()) == [
        (
            "projects",
            3,
            "budget",
            "This cell holds a formula: type its value instead (formulas are not imported).",
        )
    ]


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_before_it_is_unpacked(personas: Personas) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_UNCOMPRESSED_BYTES + 1))
    assert len(out.getvalue()) < 100_000, "small on the wire"
    [(sheet, row, _column, message)] = refused(personas, out.getvalue())
    assert "unpacks to more than 60 MB" in message and (sheet, row) == ("", None)


@pytest.mark.django_db
def test_an_xml_bomb_is_refused_as_a_damaged_workbook(personas: Personas) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        "<workbook>&lol3;</workbook>"
    )
    source = zipfile.ZipFile(io.BytesIO(filled(write_xlsx(personas.agency_a, YEAR))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            data = laughs.encode() if item.filename == "xl/workbook.xml" else source.read(item)
            archive.writestr(item, data)
    assert refused(personas, out.getvalue()) == [
        (
            "",
            None,
            "",
            "The workbook is damaged or not an XLSX file: save it again from the template.",
        )
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4 not a workbook", b"", b"PK\x03\x04broken"],
    ids=["a pdf", "empty", "a broken zip"],
)
def test_a_file_that_is_no_workbook_is_refused(personas: Personas, data: bytes) -> None:
    assert refused(personas, data) == [
        (
            "",
            None,
            "",
            "This is neither an XLSX workbook nor a ZIP of CSV files made from the template.",
        )
    ]


@pytest.mark.django_db
def test_a_huge_sheet_is_refused_without_reading_it_all(personas: Personas) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(PROJECTS.title)
    for n in range(MAX_ROWS + FIRST_DATA_ROW + 10):
        sheet.append([f"99990000-{n:04d}", "x"])
    out = io.BytesIO()
    book.save(out)
    with override("en"):
        plan = parse_plan(out.getvalue())
    assert [p.message for p in plan.problems] == [
        "Sheet โครงการ (projects) has more than 5,000 rows: split the plan into several files."
    ]
    assert plan.row_count == 0


@pytest.mark.django_db
def test_a_file_too_large_is_refused(personas: Personas) -> None:
    [(_, _, _, message)] = refused(personas, b"PK" + b"\0" * (5 * 1024 * 1024))
    assert message == "The file is larger than 5 MB: split the plan into several files."


@pytest.mark.django_db
def test_wrong_types_are_refused_at_their_cells(personas: Personas) -> None:
    data = fill(
        write_xlsx(personas.agency_a, YEAR),
        {
            PROJECTS: [{**PROJECT, "budget": "a lot", "progress_target": date(2025, 1, 1)}],
            STEPS: [
                {**STEP_ROWS[0], "order": 1.5, "start": "15/1/2568", "weight": 33.333},
                {**STEP_ROWS[1], "end": True},
            ],
            KPIS: [{**KPI, "target": "ten", "text": ""}],
        },
    )
    assert refused(personas, data) == [
        ("projects", 3, "budget", "Enter a number here, e.g. 1250.50."),
        ("projects", 3, "progress_target", "Enter a number here, e.g. 1250.50."),
        ("steps", 3, "order", "Enter a whole number from 1 to 999."),
        ("steps", 3, "weight", "Use at most 2 decimal places."),
        (
            "steps",
            3,
            "start",
            "Enter a date cell, or the date as year-month-day in the Christian era, e.g. "
            "2025-01-15.",
        ),
        (
            "steps",
            4,
            "end",
            "Enter a date cell, or the date as year-month-day in the Christian era, e.g. "
            "2025-01-15.",
        ),
        ("kpis", 3, "text", "This cell must be filled in."),
        ("kpis", 3, "target", "Enter a number here, e.g. 1250.50."),
    ]


@pytest.mark.django_db
def test_a_buddhist_era_date_typed_as_christian_era_is_refused_saying_so(
    personas: Personas,
) -> None:
    data = fill(
        write_xlsx(personas.agency_a, YEAR),
        {
            PROJECTS: [PROJECT],
            STEPS: [{**STEP_ROWS[0], "start": date(2567, 10, 1)}, STEP_ROWS[1]],
            KPIS: [KPI],
        },
    )
    assert refused(personas, data) == [
        (
            "steps",
            3,
            "start",
            "2567 is a Buddhist-Era year where the Christian era is expected (2567 BE is 2024).",
        )
    ]


@pytest.mark.django_db
def test_a_fiscal_year_in_the_christian_era_is_refused(personas: Personas) -> None:
    with override("en"):
        report = import_file(
            data=filled(write_xlsx(personas.agency_a, YEAR)),
            agency=personas.agency_a,
            fiscal_year=2025,
            by=personas.officer_a,
            source="plan.xlsx",
            commit=True,
        )
    assert not report.committed
    assert report.problems[0].message.startswith("2025 is not a fiscal year in the Buddhist Era")


@pytest.mark.django_db
def test_a_project_code_of_another_agency_is_refused(personas: Personas) -> None:
    data = fill(
        write_xlsx(personas.agency_a, YEAR),
        {PROJECTS: [{**PROJECT, "code": "99980000-0101"}], STEPS: [], KPIS: []},
    )
    assert refused(personas, data) == [
        ("projects", 3, "code", "The code must start with the agency's budget code 99990000.")
    ]


@pytest.mark.django_db
def test_rows_past_a_sheets_declared_size_are_read_all_the_same(personas: Personas) -> None:
    """A workbook that declares fewer rows than it holds: no row is left out in silence."""
    data = filled(write_xlsx(personas.agency_a, YEAR))
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                content, changed = re.subn(
                    rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:B2"/>', content
                )
                assert changed == 1
            archive.writestr(item, content)
    plan = parse_plan(out.getvalue())
    assert (len(plan.projects), len(plan.steps), len(plan.kpis)) == (1, 2, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "โครงการ".encode("cp874"),
            "projects.csv is not UTF-8 text: save it as “CSV UTF-8” from the template.",
        ),
        (
            b'h1\nh2\n"' + b"x" * 200_000 + b'"\n',
            "projects.csv is not a readable CSV file (line 3).",
        ),
    ],
    ids=["not utf-8", "a field past the csv module's limit"],
)
def test_a_csv_file_that_cannot_be_read_is_refused(
    personas: Personas, content: bytes, message: str
) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("projects.csv", content)
    assert refused(personas, out.getvalue()) == [("", None, "", message)]


@pytest.mark.django_db
def test_a_nul_character_is_refused_at_its_cell(personas: Personas) -> None:
    """PostgreSQL would refuse it at the database: it is refused where it was typed."""
    header = "a\nb\n"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("projects.csv", header + "99990000-0101,ชื่อ\x00โครงการ,,,,เหตุผล,,,,ก,ข,\n")
        archive.writestr("steps.csv", header)
        archive.writestr("kpis.csv", header)
    assert refused(personas, out.getvalue()) == [
        ("projects", 3, "name", "This cell holds a character that is not allowed (NUL).")
    ]
