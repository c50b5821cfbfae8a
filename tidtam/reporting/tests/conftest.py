"""Fixtures of the reporting tests: problem categories as the data migration makes them,
uploads kept in a temporary media folder, and a project of persona agency A."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from tidtam.projects.models import Project
from tidtam.reporting import actions
from tidtam.reporting.models import ProblemCategory, ProgressReport, ReportStatus
from tidtam.test import Personas, make_project

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def categories(db: None) -> dict[str, ProblemCategory]:
    migration = import_module("tidtam.reporting.migrations.0003_default_problem_categories")
    migration.add_defaults(apps, None)
    return {c.name_en: c for c in ProblemCategory.objects.all()}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = "https://tidtam.example"
    yield tmp_path / "media"


@pytest.fixture
def project(personas: Personas) -> Project:
    return make_project(code=f"{personas.agency_a.code}-0001", budget=Decimal("100000"))


def values(**overrides: Any) -> actions.ReportValues:
    data: dict[str, Any] = {
        "report_date": date(2020, 1, 31),
        "percent": Decimal("40"),
        "narrative": "จัดซื้อวัสดุแล้วเสร็จ",
    }
    data.update(overrides)
    return actions.ReportValues(**data)


def form_data(**overrides: Any) -> dict[str, Any]:
    """What the report form posts when an officer fills it in."""
    data: dict[str, Any] = {
        "report_date": "2020-01-31",
        "percent": "40",
        "spent": "",
        "narrative": "จัดซื้อวัสดุแล้วเสร็จ",
        "decrease_reason": "",
        "problem-TOTAL_FORMS": "1",
        "problem-INITIAL_FORMS": "0",
        "problem-MIN_NUM_FORMS": "0",
        "problem-MAX_NUM_FORMS": "20",
        "problem-0-category": "",
        "problem-0-description": "",
    }
    data.update(overrides)
    return data


MakeReport = Callable[..., ProgressReport]


@pytest.fixture
def make_report(personas: Personas) -> MakeReport:
    """A report in a given state, made through the actions as people would make it."""

    def make(
        project: Project,
        status: str = ReportStatus.DRAFT,
        report_date: date = date(2020, 1, 31),
        percent: str = "40",
        **extra: Any,
    ) -> ProgressReport:
        officer = personas.officer_a if project.agency == personas.agency_a else personas.officer_b
        approver = (
            personas.approver_a if project.agency == personas.agency_a else personas.approver_b
        )
        report = actions.create_report(
            project=project,
            values=values(report_date=report_date, percent=Decimal(percent), **extra),
            by=officer,
        )
        if status != ReportStatus.DRAFT:
            report = actions.submit_report(report=report, by=officer)
        if status == ReportStatus.APPROVED:
            report = actions.approve_report(report=report, by=approver)
        elif status == ReportStatus.RETURNED:
            report = actions.return_report(report=report, by=approver, comment="แก้ไขร้อยละ")
        return report

    return make
