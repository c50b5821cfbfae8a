"""Officers define their agency's KPIs: validation, supporting projects, optimistic locking."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tidtam.indicators.models import Kpi
from tidtam.projects.models import FiscalYear
from tidtam.test import Personas, make_project

pytestmark = pytest.mark.django_db


def kpi_post(personas: Personas, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "agency": personas.agency_a.pk,
        "fiscal_year_be": "2570",
        "code": "9999-0001",
        "text": "ร้อยละของทางเท้าที่ได้รับการปรับปรุง",
        "unit": "ร้อยละ",
        "target": "80",
        "direction": "higher",
        "mode": "cumulative",
        "kpi_type": "strategic",
        "level": "outcome",
        "definition": "ทางเท้าที่ปรับปรุงแล้วเทียบกับแผน",
        "method": "ระยะที่ปรับปรุง ÷ ระยะตามแผน × 100",
        "data_source": "สำนักการโยธา",
    }
    data.update(overrides)
    return data


def test_an_officer_defines_a_kpi_supported_by_their_projects(
    client: Client, personas: Personas
) -> None:
    project = make_project(code="99990000-0001", fiscal_year=FiscalYear.ensure(2570))
    client.force_login(personas.officer_a)
    response = client.post("/kpis/new/", kpi_post(personas, projects=[project.pk]))
    assert response.status_code == 302
    kpi = Kpi.objects.get(code="9999-0001", fiscal_year_id=2570)
    assert kpi.agency == personas.agency_a and kpi.method.startswith("ระยะ")
    assert list(kpi.projects.all()) == [project]
    assert kpi.history.get().history_user == personas.officer_a


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("code", "99-1", "0300-0760"),
        ("code", "9998-0001", "9999"),
        ("text", "", "ฟิลด์นี้จำเป็น"),
        ("unit", "", "ฟิลด์นี้จำเป็น"),
        ("target", "", "ฟิลด์นี้จำเป็น"),
        ("target", "-1", "ติดลบ"),
        ("target", "ร้อย", "กรอกหมายเลข"),
    ],
)
def test_invalid_kpi_input_is_refused_next_to_the_field(
    client: Client, personas: Personas, field: str, value: str, message: str
) -> None:
    client.force_login(personas.officer_a)
    response = client.post("/kpis/new/", kpi_post(personas, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Kpi.objects.exists()


def test_a_kpi_code_is_unique_within_its_fiscal_year_only(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.officer_a)
    assert client.post("/kpis/new/", kpi_post(personas)).status_code == 302
    again = client.post("/kpis/new/", kpi_post(personas))
    assert "มีตัวชี้วัด 9999-0001 แล้ว" in again.content.decode()
    assert client.post("/kpis/new/", kpi_post(personas, fiscal_year_be="2571")).status_code == 302
    assert Kpi.objects.count() == 2


def test_another_agencys_or_years_project_cannot_support_the_kpi(
    client: Client, personas: Personas
) -> None:
    other_year = make_project(code="99990000-0002", fiscal_year=FiscalYear.ensure(2569))
    client.force_login(personas.officer_a)
    response = client.post("/kpis/new/", kpi_post(personas, projects=[other_year.pk]))
    assert "99990000-0002" in response.content.decode()
    assert not Kpi.objects.exists()


def test_a_second_edit_from_a_stale_form_is_refused(client: Client, personas: Personas) -> None:
    client.force_login(personas.officer_a)
    client.post("/kpis/new/", kpi_post(personas))
    url = "/kpis/9999-0001/2570/edit/"
    first = kpi_post(personas, version="1", target="90")
    second = kpi_post(personas, version="1", target="70")
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert "มีผู้อื่นบันทึกตัวชี้วัดนี้" in response.content.decode()
    kpi = Kpi.objects.get()
    assert kpi.target == 90 and kpi.version == 2
