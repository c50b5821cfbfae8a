from __future__ import annotations

import pytest

from tidtam.orgs.models import Origin, Unit
from tidtam.planimport.tests.helpers import YEAR
from tidtam.projects.models import FiscalYear
from tidtam.test import Personas, make_personas


@pytest.fixture
def personas(db: None) -> Personas:
    personas = make_personas()
    Unit.objects.create(
        agency=personas.agency_a, code="99990001", name_th="ฝ่ายโยธา", origin=Origin.MANUAL
    )
    Unit.objects.create(
        agency=personas.agency_b, code="99980001", name_th="ฝ่ายบี", origin=Origin.MANUAL
    )
    FiscalYear.ensure(YEAR)
    return personas
