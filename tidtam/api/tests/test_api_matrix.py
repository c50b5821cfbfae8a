"""Every API operation × every persona (by personal token; the public without one), against
the same world and the same expectations as the web pages' permission matrix. An operation
without a row fails `test_every_api_operation_is_in_the_matrix`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tidtam.accounts.actions import create_api_token
from tidtam.accounts.tests.test_permission_matrix import EVERYONE, INSIDE_A, World, build_world
from tidtam.api.site import api
from tidtam.planimport.workbook import write_xlsx
from tidtam.strategy.models import Plan
from tidtam.test import PERSONAS


@dataclass(frozen=True)
class Case:
    name: str  # the operation's url_name
    label: str
    url: str
    expect: str
    method: str = "GET"
    # A POST's form fields, made in the world (a file to upload, say).
    data: Callable[[World], dict[str, Any]] | None = None


def plan_file(world: World) -> dict[str, Any]:
    """Agency A's empty annual-plan template, to check (a dry run)."""
    data = write_xlsx(world.personas.agency_a, 2563)
    return {"agency": "99990000", "fiscal_year": "2563", "file": SimpleUploadedFile("p.xlsx", data)}


BASE = "/api/v1"
CASES = [
    Case("projects", "", f"{BASE}/projects?fy=all", EVERYONE),
    Case("project", "published", f"{BASE}/projects/99990000-0001", EVERYONE),
    Case("project", "unpublished", f"{BASE}/projects/99990000-0002", INSIDE_A),
    Case("project", "unknown", f"{BASE}/projects/00000000-0000", " ".join(["404"] * len(PERSONAS))),
    Case("kpis", "", f"{BASE}/kpis?fy=all", EVERYONE),
    Case("kpi", "supports a published project", f"{BASE}/kpis/2563/K-A", EVERYONE),
    Case("kpi", "supports unpublished only", f"{BASE}/kpis/2563/K-A2", INSIDE_A),
    Case("agencies", "", f"{BASE}/agencies", EVERYONE),
    Case("plans", "", f"{BASE}/plans", EVERYONE),
    Case("plan", "", f"{BASE}/plans/bkk20", EVERYONE),
    # Checking (or importing) an agency's annual plan: its officers and the administrators.
    Case(
        "plan-import",
        "agency A, dry run",
        f"{BASE}/plan-imports",
        "401 403 200 403 403 403 403 403 200 401",
        "POST",
        plan_file,
    ),
]


@dataclass
class ApiWorld:
    world: World
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def api_world(module_db: None) -> ApiWorld:
    world = build_world()
    Plan.objects.create(code="bkk20", name_th="แผนพัฒนากรุงเทพฯ 20 ปี")
    tokens = {}
    for role, user in world.personas.by_name(PERSONAS).items():
        if user is not None:
            _, tokens[role] = create_api_token(
                user=user, name="matrix", expires_on=date.today() + timedelta(days=30), by=user
            )
    return ApiWorld(world, tokens)


def headers(api_world: ApiWorld, role: str) -> dict[str, str]:
    secret = api_world.tokens.get(role)
    return {"Authorization": f"Bearer {secret}"} if secret else {}


@pytest.mark.django_db
@pytest.mark.parametrize("role", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.name}[{c.label}]" if c.label else c.name)
def test_the_api_permission_matrix(api_world: ApiWorld, case: Case, role: str) -> None:
    if case.method == "POST":
        data = case.data(api_world.world) if case.data else {}
        response = Client().post(case.url, data, headers=headers(api_world, role))
    else:
        response = Client().get(case.url, headers=headers(api_world, role))
    # On the web a deactivated person is signed out and reads as the public; their token,
    # made while they worked, is refused outright.
    expected = (
        "401"
        if role == "deactivated"
        else dict(zip(PERSONAS, case.expect.split(), strict=True))[role]
    )
    assert str(response.status_code) == expected, f"{case.method} {case.url} as {role}"
    if response.status_code != 200:
        assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_every_api_operation_is_in_the_matrix() -> None:
    operations = {
        operation.url_name
        for _, router in api._routers
        for view in router.path_operations.values()
        for operation in view.operations
    }
    assert None not in operations, "every API operation has a url_name"
    missing = operations - {case.name for case in CASES}
    assert not missing, f"API operations the permission matrix does not cover: {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("public", ["99980000-0001", "99990000-0001"]),
        ("officer_b", ["99980000-0001", "99990000-0001"]),
        ("officer_a", ["99980000-0001", "99990000-0001", "99990000-0002"]),
        ("evaluator", ["99980000-0001", "99990000-0001", "99990000-0002"]),
    ],
)
def test_the_project_list_holds_what_the_reader_may_see(
    api_world: ApiWorld, role: str, codes: list[str]
) -> None:
    body = Client().get(f"{BASE}/projects?fy=all&sort=code", headers=headers(api_world, role))
    assert [row["code"] for row in body.json()["results"]] == codes
    assert body.json()["count"] == len(codes)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["public", "officer_a", "evaluator"])
def test_a_project_lists_its_approved_reports_only_whoever_reads(
    api_world: ApiWorld, role: str
) -> None:
    body = Client().get(f"{BASE}/projects/99990000-0001", headers=headers(api_world, role)).json()
    assert [r["report_date"] for r in body["reports"]] == ["2020-04-28"]
    assert [s["order"] for s in body["steps"]] == [1]
    assert body["standing"]["status"]
    assert body["kpis"][0]["code"] == "K-A"
    # K-A's results are submitted and draft: not official, so not counted.
    assert [q["result"] for q in body["kpis"][0]["quarters"]] == [None, None, None, None]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "statuses"),
    [
        ("public", [None, None, None, None]),
        ("officer_b", [None, None, None, None]),
        ("officer_a", ["submitted", "draft", None, None]),
        ("approver_a", ["submitted", "draft", None, None]),
        ("executive", ["submitted", "draft", None, None]),
    ],
)
def test_kpi_results_on_their_way_are_shown_only_to_who_may_see_drafts(
    api_world: ApiWorld, role: str, statuses: list[str | None]
) -> None:
    body = Client().get(f"{BASE}/kpis/2563/K-A", headers=headers(api_world, role)).json()
    assert [q["status"] for q in body["quarters"]] == statuses
    assert body["projects"] == ["99990000-0001"]
