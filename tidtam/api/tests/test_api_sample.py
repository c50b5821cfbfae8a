"""The API says which projects and KPIs are generated sample data, as the pages' badges do."""

from __future__ import annotations

import pytest
from django.test import Client

from tidtam.indicators.tests.factories import make_kpi
from tidtam.orgs.models import Origin
from tidtam.test import make_project

BASE = "/api/v1"


@pytest.mark.django_db
def test_kpis_say_whether_they_are_sample_data_in_the_list_and_on_their_own() -> None:
    real = make_project(code="99990000-0001")
    sample = make_project(code="99990000-0002", agency=real.agency, origin=Origin.SAMPLE)
    make_kpi("9999-0001", agency=real.agency, projects=(real,))
    make_kpi("9999-0002", agency=real.agency, projects=(sample,), origin=Origin.SAMPLE)
    client = Client()

    rows = client.get(f"{BASE}/kpis?fy=2563").json()["results"]
    assert [(row["code"], row["sample"]) for row in rows] == [
        ("9999-0001", False),
        ("9999-0002", True),
    ]
    assert client.get(f"{BASE}/kpis/2563/9999-0002").json()["sample"] is True
    project = client.get(f"{BASE}/projects/99990000-0002").json()
    assert project["sample"] is True and project["kpis"][0]["sample"] is True
