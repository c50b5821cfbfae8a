"""Every API operation × every persona (by personal token; the public without one), against
the same world and the same expectations as the web pages' permission matrix. An operation
without a row fails `test_every_api_operation_is_in_the_matrix`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tidtam.accounts.actions import create_api_token
from tidtam.accounts.tests.test_permission_matrix import (
    EVERYONE,
    INSIDE_A,
    STATES,
    World,
    build_world,
)
from tidtam.api.site import api
from tidtam.indicators.actions import load_default_scale
from tidtam.planimport.workbook import write_xlsx
from tidtam.projects.management.commands.load_reference import DEFAULT_DIR
from tidtam.strategy.models import Plan
from tidtam.test import PERSONAS


@dataclass(frozen=True)
class Case:
    name: str  # the operation's url_name
    label: str
    # Or made in the world (a report's id, say).
    url: str | Callable[[World], str]
    expect: str
    method: str = "GET"
    # A POST's form fields, made in the world (a file to upload, say).
    data: Callable[[World], dict[str, Any]] | None = None
    # A JSON body, made in the world (a record's version, say).
    json: Callable[[World], dict[str, Any]] | None = None


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
    Case("problem-categories", "", f"{BASE}/problem-categories", EVERYONE),
    Case("rating-scale", "", f"{BASE}/rating-scale", EVERYONE),
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


def no_body(world: World) -> dict[str, Any]:
    return {}


def report_path(key: str, tail: str = "") -> Callable[[World], str]:
    return lambda w: f"{BASE}/reports/{w.reports[key].pk}{tail}"


def project_body(key: str | None) -> Callable[[World], dict[str, Any]]:
    """A project's whole record; for an existing one, with its version."""

    def body(w: World) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "name": "โครงการทดสอบผ่าน API",
            "fiscal_year": 2563,
            "rationale": "เหตุผล",
            "budget": 1000,
            "objectives": ["วัตถุประสงค์"],
            "targets": ["เป้าหมาย"],
        }
        if key is None:
            return {**fields, "agency": "99990000", "code": "99990000-0777"}
        return {**fields, "version": w.projects[key].version, "reason": "ปรับปรุงข้อมูล"}

    return body


def plan_body(key: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {
        "version": w.projects[key].version,
        "steps": [{"text": "ดำเนินการ", "weight": 100, "start": "2019-10-01", "end": "2020-09-30"}],
        "reason": "ขยายขั้นตอน",
    }


def _report_rows() -> list[Case]:
    """The report operations on agency A's published project's report in each state, as the
    web matrix's report rows (a 302 there is a 200 here, the sign-in page a 401)."""
    rows = [
        Case("project-reports", "published", f"{BASE}/projects/99990000-0001/reports", EVERYONE),
        Case("project-reports", "unpublished", f"{BASE}/projects/99990000-0002/reports", INSIDE_A),
        Case(
            "report-create",
            "published",
            f"{BASE}/projects/99990000-0001/reports",
            "401 403 201 403 403 403 403 403 403 401",
            "POST",
            json=lambda w: {"report_date": "2020-05-28", "percent": 50, "narrative": "คืบหน้า"},
        ),
        Case(
            "report-create",
            "unpublished",
            f"{BASE}/projects/99990000-0002/reports",
            "401 404 201 404 403 404 403 403 403 401",
            "POST",
            json=lambda w: {"report_date": "2020-05-28", "percent": 50, "narrative": "คืบหน้า"},
        ),
    ]
    for state in STATES:
        key = f"A_pub:{state}"
        seen = EVERYONE if state == "approved" else INSIDE_A
        editable = state in ("draft", "returned")
        hidden = "403" if state == "approved" else "404"
        write = f"401 {hidden} {'200' if editable else '403'} {hidden} 403 {hidden} 403 403 403 401"
        review_ok = "200" if state == "submitted" else "403"
        review = f"401 {hidden} 403 {hidden} {review_ok} {hidden} 403 403 403 401"
        month = STATES.index(state) + 1
        rows += [
            Case("report", state, report_path(key), seen),
            Case(
                "report-update",
                state,
                report_path(key),
                write,
                "PUT",
                json=lambda w, key=key, month=month: {  # type: ignore[misc]
                    "report_date": f"2020-0{month}-28",
                    "percent": 10 * month,
                    "narrative": "แก้ไขแล้ว",
                    "version": w.reports[key].version,
                },
            ),
            Case("report-submit", state, report_path(key, "/submit"), write, "POST", json=no_body),
            Case(
                "report-approve", state, report_path(key, "/approve"), review, "POST", json=no_body
            ),
            Case(
                "report-return",
                state,
                report_path(key, "/return"),
                review,
                "POST",
                json=lambda w: {"comment": "กรุณาแนบภาพถ่าย"},
            ),
        ]
    return rows


def _kpi_rows() -> list[Case]:
    result = f"{BASE}/kpis/2563/{{kpi}}/quarters/{{n}}/result"
    entry = {"result": 12, "narrative": "ผลการดำเนินงาน"}
    return [
        # Quarter 3 has no result yet: its entry creates one.
        Case(
            "kpi-result-enter",
            "published",
            result.format(kpi="K-A", n=3),
            "401 403 200 403 403 403 403 403 403 401",
            "PUT",
            json=lambda w: entry,
        ),
        Case(
            "kpi-result-enter",
            "unpublished",
            result.format(kpi="K-A2", n=3),
            "401 404 200 404 403 404 403 403 403 401",
            "PUT",
            json=lambda w: entry,
        ),
        # A submitted result can no longer be changed, by anyone.
        Case(
            "kpi-result-enter",
            "submitted",
            result.format(kpi="K-A", n=1),
            "401 403 422 403 403 403 403 403 403 401",
            "PUT",
            json=lambda w: entry,
        ),
        Case(
            "kpi-result-submit",
            "draft",
            result.format(kpi="K-A", n=2) + "/submit",
            "401 404 200 404 403 404 403 403 403 401",
            "POST",
            json=no_body,
        ),
        Case(
            "kpi-result-submit",
            "submitted",
            result.format(kpi="K-A", n=1) + "/submit",
            "401 404 403 404 403 404 403 403 403 401",
            "POST",
            json=no_body,
        ),
        *(
            Case(name, state, result.format(kpi="K-A", n=n) + tail, expect, "POST", json=body)
            for name, tail, body in (
                ("kpi-result-approve", "/approve", no_body),
                ("kpi-result-return", "/return", lambda w: {"comment": "ตรวจสอบหน่วยนับ"}),
            )
            for state, n, expect in (
                ("submitted", 1, "401 404 403 404 200 404 403 403 403 401"),
                ("draft", 2, "401 404 403 404 403 404 403 403 403 401"),
            )
        ),
        Case(
            "kpi-scores",
            "published",
            f"{BASE}/kpis/2563/K-A/quarters/1/scores",
            "401 403 403 403 403 403 200 403 403 401",
            "PUT",
            json=lambda w: {"scores": {"2.1": 75}},
        ),
        Case(
            "kpi-scores",
            "unpublished",
            f"{BASE}/kpis/2563/K-A2/quarters/1/scores",
            "401 404 403 404 403 404 200 403 403 401",
            "PUT",
            json=lambda w: {"scores": {"2.1": 75}},
        ),
    ]


def _project_rows() -> list[Case]:
    rows = [
        Case(
            "project-create",
            "agency A",
            f"{BASE}/projects",
            "401 403 201 403 403 403 403 403 403 401",
            "POST",
            json=project_body(None),
        )
    ]
    for label, key, code, expect in (
        ("published", "A_pub", "99990000-0001", "401 403 200 403 403 403 403 403 403 401"),
        ("unpublished", "A_hidden", "99990000-0002", "401 404 200 404 403 404 403 403 403 401"),
    ):
        rows += [
            Case(
                "project-update",
                label,
                f"{BASE}/projects/{code}",
                expect,
                "PUT",
                json=project_body(key),
            ),
            Case(
                "project-plan",
                label,
                f"{BASE}/projects/{code}/plan",
                expect,
                "PUT",
                json=plan_body(key),
            ),
        ]
    rows += [
        Case(
            "project-score",
            "published",
            f"{BASE}/projects/99990000-0001/quarters/1/score",
            "401 403 403 403 403 403 200 403 403 401",
            "PUT",
            json=lambda w: {"score": 75},
        ),
        Case(
            "project-score",
            "unpublished",
            f"{BASE}/projects/99990000-0002/quarters/1/score",
            "401 404 403 404 403 404 200 403 403 401",
            "PUT",
            json=lambda w: {"score": 75},
        ),
    ]
    return rows


CASES += [*_report_rows(), *_kpi_rows(), *_project_rows()]


@dataclass
class ApiWorld:
    world: World
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def api_world(module_db: None) -> ApiWorld:
    world = build_world()
    Plan.objects.create(code="bkk20", name_th="แผนพัฒนากรุงเทพฯ 20 ปี")
    # As a fresh install has it, so that an evaluator's score is on the scale.
    load_default_scale(DEFAULT_DIR / "rating_scale.csv", DEFAULT_DIR / "evaluation_criteria.csv")
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
    url = case.url(api_world.world) if callable(case.url) else case.url
    if case.json is not None:
        response = Client().generic(
            case.method,
            url,
            json.dumps(case.json(api_world.world)),
            content_type="application/json",
            headers=headers(api_world, role),
        )
    elif case.method == "POST":
        data = case.data(api_world.world) if case.data else {}
        response = Client().post(url, data, headers=headers(api_world, role))
    else:
        response = Client().get(url, headers=headers(api_world, role))
    # On the web a deactivated person is signed out and reads as the public; their token,
    # made while they worked, is refused outright.
    expected = (
        "401"
        if role == "deactivated"
        else dict(zip(PERSONAS, case.expect.split(), strict=True))[role]
    )
    assert str(response.status_code) == expected, (
        f"{case.method} {url} as {role}: {response.content[:300]!r}"
    )
    if response.status_code >= 400:
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
