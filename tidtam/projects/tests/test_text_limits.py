"""Free texts of projects are bounded (tidtam/lib/limits.py) in the form and in the actions."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from tidtam.lib import limits
from tidtam.projects.models import Project
from tidtam.projects.tests.test_data_entry import create
from tidtam.test import Personas

pytestmark = pytest.mark.django_db


def test_the_project_form_stops_the_typing_at_the_limits(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.officer_a)
    page = client.get("/projects/new/").content.decode()
    assert f'maxlength="{limits.RATIONALE}"' in page and f'maxlength="{limits.LIST}"' in page


def test_a_million_character_rationale_is_refused_and_nothing_is_saved(
    client: Client, personas: Personas
) -> None:
    response = create(client, personas, rationale="x" * 1_000_000)
    assert response.status_code == 200
    assert not Project.objects.exists()


def test_an_objective_past_its_limit_is_refused_by_the_action_with_a_message(
    client: Client, personas: Personas
) -> None:
    long_line = "ก" * (limits.PARAGRAPH + 1)
    response = create(client, personas, objectives=f"เพื่อความปลอดภัย\n{long_line}")
    text = html.unescape(response.content.decode())
    assert f"{limits.PARAGRAPH + 1:,}" in text and f"{limits.PARAGRAPH:,}" in text
    assert not Project.objects.exists()
