"""A budget instalment is released within its project's fiscal year."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from tidtam.projects import actions
from tidtam.projects.models import BudgetInstalment
from tidtam.test import Personas, make_project

URL = "/projects/99990000-0001/budget/"
# FY 2563 runs from 1 October 2019 to 30 September 2020.
THAI_BOUNDS = "ตั้งแต่ 1 ตุลาคม 2562 ถึง 30 กันยายน 2563"


@pytest.mark.parametrize("day", ["2019-09-30", "2020-10-01", "2021-01-15"])
def test_an_instalment_dated_outside_the_fiscal_year_is_refused_naming_the_years_bounds(
    client: Client, personas: Personas, day: str
) -> None:
    make_project(code="99990000-0001", budget=Decimal(1000))
    client.force_login(personas.officer_a)
    response = client.post(URL, {"released_on": day, "amount": "100", "note": ""})
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "ปีงบประมาณ 2563" in text and THAI_BOUNDS in text
    assert not BudgetInstalment.objects.exists()


@pytest.mark.parametrize("day", ["2019-10-01", "2020-09-30"])
def test_the_fiscal_years_first_and_last_days_are_accepted(
    client: Client, personas: Personas, day: str
) -> None:
    make_project(code="99990000-0001", budget=Decimal(1000))
    client.force_login(personas.officer_a)
    assert client.post(URL, {"released_on": day, "amount": "100"}).status_code == 302
    assert BudgetInstalment.objects.get().released_on == date.fromisoformat(day)


def test_the_action_refuses_it_for_every_caller_in_the_readers_language(
    personas: Personas,
) -> None:
    project = make_project(code="99990000-0001")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        actions.add_instalment(
            project=project,
            released_on=date(2020, 10, 1),
            amount=Decimal(5),
            note="",
            by=personas.officer_a,
        )
    assert refused.value.message_dict["released_on"] == [
        "An instalment is released within the project's fiscal year 2020, "
        "from 1 October 2019 to 30 September 2020."
    ]
    assert not BudgetInstalment.objects.exists()
