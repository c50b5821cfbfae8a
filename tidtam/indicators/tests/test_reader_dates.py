"""The quarters page writes when a quarter was closed in the reader's era."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tidtam.indicators.models import QuarterClosure
from tidtam.projects.models import FiscalYear
from tidtam.test import Personas, make_project


@pytest.mark.parametrize(
    ("lang", "shown", "not_shown"),
    [("th", "5 ม.ค. 2563 09:30", "2020-01-05"), ("en", "5 Jan 2020 09:30", "2563 09:30")],
)
def test_the_quarters_page_says_when_a_quarter_was_closed_in_the_readers_era(
    client: Client, personas: Personas, lang: str, shown: str, not_shown: str
) -> None:
    make_project(code=f"{personas.agency_a.code}-0001")
    quarter = FiscalYear.ensure(2563).quarters.get(number=1)
    closed_at = timezone.make_aware(datetime(2020, 1, 5, 9, 30))
    QuarterClosure.objects.create(
        quarter=quarter, closed_by=personas.evaluator, closed_at=closed_at
    )
    quarter.closed_at = closed_at
    quarter.save(update_fields=["closed_at"])
    client.cookies["django_language"] = lang
    client.force_login(personas.evaluator)
    page = client.get("/quarters/").content.decode()
    assert shown in page
    assert not_shown not in page
