"""The same rule refuses the same bad value with the same message, whichever door it came
through: the web form, the API (its plan import and its project operations), the annual-plan
import and the legacy import."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.translation import override

from tidtam.accounts.actions import create_api_token
from tidtam.indicators.models import Kpi
from tidtam.legacy.load import LoadContext, load_page
from tidtam.legacy.parse import parse_page
from tidtam.planimport.layout import KPIS, PROJECTS, STEPS
from tidtam.planimport.load import import_file
from tidtam.planimport.tests.helpers import KPI, PROJECT, STEP_ROWS, YEAR, fill, upload
from tidtam.planimport.workbook import write_xlsx
from tidtam.projects.models import Project
from tidtam.test import Personas, make_project, seed_path

NEGATIVE_TARGET = "The target cannot be negative."
NEGATIVE_BUDGET = "The budget cannot be negative."
BE_DATE = "2567 is a Buddhist-Era year where the Christian era is expected (2567 BE is 2024)."


def english_client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    client.cookies["django_language"] = "en"
    return client


def plan_with(personas: Personas, **rows: object) -> bytes:
    sheets = {PROJECTS: [PROJECT], STEPS: STEP_ROWS, KPIS: [KPI]}
    for key, value in rows.items():
        sheets[{"projects": PROJECTS, "steps": STEPS, "kpis": KPIS}[key]] = value  # type: ignore[assignment]
    return fill(write_xlsx(personas.agency_a, YEAR), sheets)


def through_plan_import(personas: Personas, data: bytes) -> list[str]:
    with override("en"):
        report = import_file(
            data=data,
            agency=personas.agency_a,
            fiscal_year=YEAR,
            by=personas.officer_a,
            source="plan.xlsx",
            commit=True,
        )
    assert not report.committed
    return [p.message for p in report.problems]


def through_api(personas: Personas, data: bytes) -> list[str]:
    _, secret = create_api_token(
        user=personas.officer_a,
        name="plan",
        expires_on=date.today() + timedelta(days=7),
        by=personas.officer_a,
    )
    response = Client().post(
        "/api/v1/plan-imports?lang=en",
        {"agency": "99990000", "fiscal_year": YEAR, "file": upload(data), "commit": "true"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["committed"] is False
    return [p["message"] for p in body["problems"]]


def through_api_write(
    personas: Personas, method: str, path: str, body: dict[str, object]
) -> dict[str, Any]:
    """A write operation of the API: its refusal's message and field messages."""
    _, secret = create_api_token(
        user=personas.officer_a,
        name="script",
        expires_on=date.today() + timedelta(days=7),
        by=personas.officer_a,
    )
    response = Client().generic(
        method,
        f"/api/v1{path}?lang=en",
        json.dumps(body, default=str),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 422, response.content
    error: dict[str, Any] = response.json()["error"]
    return error


API_PROJECT = {
    "agency": "99990000",
    "code": "99990000-0101",
    "name": "โครงการ",
    "fiscal_year": YEAR,
    "rationale": "เหตุผล",
    "objectives": ["ข้อ 1"],
    "targets": ["ข้อ 1"],
}


def through_legacy(change: object) -> str:
    text = seed_path("03000000-2457").read_text(encoding="utf-8-sig")
    page = change(parse_page(text, source=Path("seed.txt").name))  # type: ignore[operator]
    with override("en"), pytest.raises(ValidationError) as refused:
        load_page(page, LoadContext())
    return " ".join(refused.value.messages)


@pytest.mark.django_db
def test_a_negative_kpi_target_is_refused_alike_everywhere(personas: Personas) -> None:
    form = english_client(personas.officer_a).post(
        "/kpis/new/",
        {
            "agency": personas.agency_a.pk,
            "fiscal_year_be": YEAR,
            "code": "9999-0101",
            "text": "จำนวนต้นไม้",
            "unit": "ต้น",
            "target": "-5",
            "direction": "higher",
            "mode": "cumulative",
            "kpi_type": "strategic",
        },
    )
    assert form.status_code == 200
    assert form.context["form"].errors["target"] == [NEGATIVE_TARGET]

    bad = plan_with(personas, kpis=[{**KPI, "target": Decimal(-5)}])
    assert through_plan_import(personas, bad) == [NEGATIVE_TARGET]
    assert through_api(personas, bad) == [NEGATIVE_TARGET]

    def negative_target(page: object) -> object:
        kpis = page.kpis  # type: ignore[attr-defined]
        return dataclasses.replace(
            page,  # type: ignore[type-var]
            kpis=(dataclasses.replace(kpis[0], target=Decimal(-5)), *kpis[1:]),
        )

    assert through_legacy(negative_target) == NEGATIVE_TARGET
    assert not Kpi.objects.exists()


@pytest.mark.django_db
def test_a_negative_budget_is_refused_alike_everywhere(personas: Personas) -> None:
    """The legacy pages print no budget: three doors."""
    form = english_client(personas.officer_a).post(
        "/projects/new/",
        {
            "agency": personas.agency_a.pk,
            "fiscal_year_be": YEAR,
            "code": "99990000-0101",
            "name": "โครงการ",
            "rationale": "เหตุผล",
            "objectives": "ข้อ 1",
            "targets": "ข้อ 1",
            "budget": "-5",
            "contact-TOTAL_FORMS": "0",
            "contact-INITIAL_FORMS": "0",
        },
    )
    assert form.status_code == 200
    assert form.context["form"].errors["budget"] == [NEGATIVE_BUDGET]

    bad = plan_with(personas, projects=[{**PROJECT, "budget": Decimal(-5)}])
    assert through_plan_import(personas, bad) == [NEGATIVE_BUDGET]
    assert through_api(personas, bad) == [NEGATIVE_BUDGET]
    refused = through_api_write(personas, "POST", "/projects", {**API_PROJECT, "budget": -5})
    assert refused["fields"] == {"budget": [NEGATIVE_BUDGET]}
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_a_buddhist_era_step_date_is_refused_alike_everywhere(personas: Personas) -> None:
    """The form reads a date in the reader's own era (`tidtam.lib.forms.DateField`): only the
    doors that carry Christian-era dates can meet this mistake."""
    bad = plan_with(personas, steps=[{**STEP_ROWS[0], "start": date(2567, 10, 1)}, STEP_ROWS[1]])
    assert through_plan_import(personas, bad) == [BE_DATE]
    assert through_api(personas, bad) == [BE_DATE]

    def be_step(page: object) -> object:
        steps = page.steps  # type: ignore[attr-defined]
        return dataclasses.replace(
            page,  # type: ignore[type-var]
            steps=(dataclasses.replace(steps[0], start=date(2567, 10, 1)), *steps[1:]),
        )

    assert BE_DATE in through_legacy(be_step)
    assert not Project.objects.exists()

    project = make_project(code="99990000-0101", agency=personas.agency_a)
    steps = [{"text": "ขั้นตอน", "weight": 100, "start": date(2567, 10, 1), "end": date(2568, 9, 30)}]
    refused = through_api_write(
        personas, "PUT", f"/projects/{project.code}/plan", {"version": 1, "steps": steps}
    )
    assert BE_DATE in refused["message"]
    assert not project.steps.exists()
