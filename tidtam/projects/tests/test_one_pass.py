"""The project form and the plan editor report every error in one pass; the plan editor's
total follows the weights as they are typed (a static script, the server still checks); a
step is removed only once the officer confirms."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client

from tidtam.projects.models import PlanBaseline, Project
from tidtam.projects.tests.test_data_entry import approve_a_report, plan_post, project_post
from tidtam.test import Personas, add_steps, make_project

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_a_new_project_with_a_missing_name_and_a_bad_code_shows_both_errors(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.officer_a)
    data = project_post(agency=personas.agency_a.pk, code="99980000-0100", name="")
    page = text(client.post("/projects/new/", data))
    assert "จำเป็น" in page.split('name="name"')[1][:600]
    assert "รหัสงบประมาณของหน่วยงาน 99990000" in page
    assert not Project.objects.exists()


def test_a_plan_with_a_bad_row_still_says_the_weights_do_not_add_up(
    client: Client, personas: Personas
) -> None:
    project = make_project(code="99990000-0001")
    client.force_login(personas.officer_a)
    rows = [("", "30", "2019-10-01", "2019-12-31"), ("ข", "60", "2020-01-01", "2020-06-30")]
    page = text(client.post(f"/projects/{project.code}/plan/", plan_post(rows, 1)))
    assert "ฟิลด์นี้จำเป็น" in page
    assert "90.00" in page and "ต้องรวมกันได้ 100" in page
    assert not project.steps.exists()


def test_a_re_baseline_with_bad_weights_asks_for_both_at_once(
    client: Client, personas: Personas
) -> None:
    project = make_project(code="99990000-0001")
    add_steps(project, ("40", "2019-10-01", "2019-12-31"), ("60", "2020-01-01", "2020-03-31"))
    approve_a_report(project)
    client.force_login(personas.officer_a)
    rows = [("ก", "30", "2019-10-01", "2019-12-31"), ("ข", "60", "2020-01-01", "2020-06-30")]
    page = text(client.post(f"/projects/{project.code}/plan/", plan_post(rows, 1)))
    assert "90.00" in page and "ระบุเหตุผล" in page
    # The same when a row fails the form as well.
    rows[0] = ("", "30", "2019-10-01", "2019-12-31")
    page = text(client.post(f"/projects/{project.code}/plan/", plan_post(rows, 1)))
    assert "90.00" in page and "ระบุเหตุผล" in page and "ฟิลด์นี้จำเป็น" in page
    assert not PlanBaseline.objects.exists()


def test_the_plan_editor_loads_its_total_script_without_inline_code(
    client: Client, personas: Personas
) -> None:
    project = make_project(code="99990000-0001")
    client.force_login(personas.officer_a)
    page = client.get(f"/projects/{project.code}/plan/").content.decode()
    assert '<script src="/static/js/plan_weights.js" defer></script>' in page
    assert 'id="plan-total"' in page
    assert "<script>" not in page and " oninput=" not in page
