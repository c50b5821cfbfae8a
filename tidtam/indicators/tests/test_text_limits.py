"""Free texts of KPI results are bounded (tidtam/lib/limits.py) in the form and the actions."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from tidtam.indicators.models import Kpi, KpiResult, ResultStatus
from tidtam.indicators.tests.factories import add_results, make_kpi
from tidtam.lib import limits
from tidtam.test import Personas, make_project

BASE = "/kpis/9999-0001/2563/q1/result/"
# A million characters in one field; in Thai (3 bytes each) the request itself is too large
# (DATA_UPLOAD_MAX_MEMORY_SIZE) and refused with a 400: see test_a_million_thai_characters_*.
MILLION = "x" * 1_000_000

pytestmark = pytest.mark.django_db


@pytest.fixture
def kpi(personas: Personas) -> Kpi:
    project = make_project(code="99990000-0001", published=True)
    return make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))


def test_a_million_character_result_narrative_is_refused(
    client: Client, personas: Personas, kpi: Kpi
) -> None:
    client.force_login(personas.officer_a)
    page = client.get(BASE).content.decode()
    assert f'maxlength="{limits.NARRATIVE}"' in page
    response = client.post(BASE, {"result": "42", "narrative": MILLION})
    assert response.status_code == 200
    assert not KpiResult.objects.exists()


def test_a_return_comment_past_the_limit_is_refused_with_a_message(
    client: Client, personas: Personas, kpi: Kpi
) -> None:
    add_results(kpi, {1: ("30", "รายงาน")}, status="submitted")
    client.force_login(personas.approver_a)
    assert f'maxlength="{limits.PARAGRAPH}"' in client.get("/kpis/9999-0001/").content.decode()
    response = client.post(BASE + "return/", {"comment": MILLION}, follow=True)
    assert f"{limits.PARAGRAPH:,}" in html.unescape(response.content.decode())
    row = KpiResult.objects.get()
    assert (row.status, row.review_comment) == (ResultStatus.SUBMITTED, "")
