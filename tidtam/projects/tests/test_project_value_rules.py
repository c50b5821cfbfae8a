"""The rules on a project's own values live in the actions (they were the form's alone): the
API and the annual-plan import meet them too. The fiscal year is named in the Buddhist Era."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import override

from tidtam.indicators import actions as kpi_actions
from tidtam.indicators.models import Kpi, KpiType
from tidtam.orgs.models import Origin, Unit
from tidtam.projects import actions
from tidtam.projects.models import FiscalYear, Project
from tidtam.test import Personas, make_project


def project_input(**values: Any) -> actions.ProjectInput:
    return actions.ProjectInput(
        **{"name": "โครงการ", "fiscal_year": 2568, **values},
        objectives=["ข้อ 1"],
        targets=["ข้อ 1"],
    )


@pytest.mark.django_db
def test_creating_a_project_refuses_every_broken_value_at_its_field(personas: Personas) -> None:
    other = Unit.objects.create(agency=personas.agency_b, code="99980001", origin=Origin.MANUAL)
    with override("en"), pytest.raises(ValidationError) as refused:
        actions.create_project(
            agency=personas.agency_a,
            code="99990000-0101",
            data=project_input(
                owning_unit=other, budget=Decimal(-1), progress_unit="ต้น", progress_target=None
            ),
            by=personas.officer_a,
        )
    assert refused.value.message_dict == {
        "owning_unit": ["This unit belongs to another agency."],
        "progress_target": ["Give the target quantity for this unit."],
        "budget": ["The budget cannot be negative."],
    }
    assert not Project.objects.filter(code="99990000-0101").exists()


@pytest.mark.django_db
def test_updating_a_project_meets_the_same_rules(personas: Personas) -> None:
    project = make_project(code="99990000-0101", agency=personas.agency_a)
    with override("en"), pytest.raises(ValidationError) as refused:
        actions.update_project(
            project=project,
            expected_version=project.version,
            data=project_input(progress_unit="ต้น", progress_target=Decimal(0)),
            by=personas.officer_a,
        )
    assert refused.value.message_dict == {"progress_target": ["The target must be more than zero."]}
    project.refresh_from_db()
    assert project.version == 1


@pytest.mark.django_db
def test_a_kpi_target_cannot_be_negative_through_any_kpi_action(personas: Personas) -> None:
    values = {"text": "ตัวชี้วัด", "unit": "ต้น", "target": Decimal(-1), "kpi_type": KpiType.ROUTINE}
    year = FiscalYear.ensure(2568)
    with override("en"), pytest.raises(ValidationError) as refused:
        kpi_actions.create_kpi(
            agency=personas.agency_a,
            fiscal_year=2568,
            code="9999-0001",
            data=kpi_actions.KpiInput(**values),  # type: ignore[arg-type]
            by=personas.officer_a,
        )
    assert refused.value.message_dict == {"target": ["The target cannot be negative."]}
    # The legacy importer's action joins its caller's transaction: the page is rolled back.
    with pytest.raises(ValidationError), transaction.atomic():
        kpi_actions.import_kpi(
            code="9999-0001",
            fiscal_year=year,
            agency=personas.agency_a,
            data=kpi_actions.KpiInput(**values),  # type: ignore[arg-type]
            achieved=None,
            by=None,
            reason="legacy import",
        )
    assert not Kpi.objects.exists()


@pytest.mark.parametrize("year", [2025, 1, 99999])
def test_a_fiscal_year_outside_the_buddhist_era_is_refused(year: int) -> None:
    with override("en"), pytest.raises(ValidationError) as refused:
        actions.validate_fiscal_year(year)
    assert refused.value.message_dict["fiscal_year"][0].startswith(
        f"{year} is not a fiscal year in the Buddhist Era"
    )


def test_a_buddhist_era_fiscal_year_is_accepted() -> None:
    actions.validate_fiscal_year(2568)


@pytest.mark.django_db
def test_a_project_supporting_kpis_keeps_its_fiscal_year_until_taken_off_them(
    personas: Personas,
) -> None:
    """The KPI form links a KPI to projects of its own fiscal year only; moving a linked
    project to another year through the project form or the API would break that."""
    project = make_project(code="99990000-0101", agency=personas.agency_a)
    values = {"text": "ร้อยละของคลองที่ขุดลอก", "unit": "ร้อยละ", "kpi_type": KpiType.ROUTINE}
    kpi = kpi_actions.create_kpi(
        agency=personas.agency_a,
        fiscal_year=2563,
        code=f"{personas.agency_a.code[:4]}-0001",
        data=kpi_actions.KpiInput(**values, projects=[project]),  # type: ignore[arg-type]
        by=personas.officer_a,
    )
    moved = project_input(fiscal_year=2564)
    with override("en"), pytest.raises(ValidationError) as refused:
        actions.update_project(
            project=project, expected_version=project.version, data=moved, by=personas.officer_a
        )
    assert refused.value.message_dict == {
        "fiscal_year": [
            f"The project supports KPIs of fiscal year 2020 ({kpi.code}): take it off them "
            "before moving it to another year."
        ]
    }
    project.refresh_from_db()
    assert (project.fiscal_year_id, project.version) == (2563, 1)

    kpi_actions.update_kpi(
        kpi=kpi,
        expected_version=kpi.version,
        data=kpi_actions.KpiInput(**values),  # type: ignore[arg-type]
        by=personas.officer_a,
    )
    actions.update_project(
        project=project, expected_version=project.version, data=moved, by=personas.officer_a
    )
    project.refresh_from_db()
    assert project.fiscal_year_id == 2564
