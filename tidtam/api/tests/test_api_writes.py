"""Writing through the API: the same actions, rules, workflow and audit trail as the pages."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tidtam.accounts.actions import create_api_token
from tidtam.audit.models import Event
from tidtam.indicators.actions import load_default_scale
from tidtam.indicators.models import KpiResult, KpiScore
from tidtam.indicators.tests.factories import make_kpi
from tidtam.lib.fiscal import fiscal_year_bounds, fiscal_year_of
from tidtam.projects.management.commands.load_reference import DEFAULT_DIR
from tidtam.projects.models import PlanStep, Project
from tidtam.reporting.models import Problem, ProblemCategory, ProgressReport, ReportStatus
from tidtam.test import Personas, make_project

pytestmark = pytest.mark.django_db

CODE = "99990000-0901"


class Api:
    """A script holding one person's API token (or none: the public)."""

    def __init__(self, user: Any = None, lang: str = "en") -> None:
        self.headers: dict[str, str] = {}
        self.lang = lang
        if user is not None:
            _, secret = create_api_token(
                user=user, name="script", expires_on=date.today() + timedelta(days=7), by=user
            )
            self.headers["Authorization"] = f"Bearer {secret}"

    def __call__(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        response = Client().generic(
            method,
            f"/api/v1{path}?lang={self.lang}",
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=self.headers,
        )
        return response.status_code, response.json()


def this_year() -> int:
    return fiscal_year_of(timezone.localdate())


def new_project(**overrides: Any) -> dict[str, Any]:
    return {
        "agency": "99990000",
        "code": CODE,
        "name": "โครงการปรับปรุงทางเท้า",
        "fiscal_year": this_year(),
        "rationale": "ทางเท้าชำรุด",
        "budget": 2500000,
        "published": True,
        "objectives": ["เพื่อความปลอดภัยของผู้เดินเท้า"],
        "targets": ["ทางเท้า 2 กิโลเมตร"],
        "contacts": [{"name": "นายสมชาย ใจดี", "phone": "02 123 4567"}],
        **overrides,
    }


def year_plan() -> list[dict[str, Any]]:
    first, last = fiscal_year_bounds(this_year())
    middle = first + (last - first) / 2
    return [
        {"text": "สำรวจและออกแบบ", "weight": 40, "start": str(first), "end": str(middle)},
        {"text": "ก่อสร้าง", "weight": 60, "start": str(middle), "end": str(last)},
    ]


def test_a_project_is_registered_planned_reported_and_approved_through_the_api(
    personas: Personas,
) -> None:
    officer, approver, public = Api(personas.officer_a), Api(personas.approver_a), Api()

    status, created = officer("POST", "/projects", new_project())
    assert (status, created) == (201, {"code": CODE, "version": 1, "steps_outside_year": []})
    status, planned = officer("PUT", f"/projects/{CODE}/plan", {"version": 1, "steps": year_plan()})
    assert status == 200 and planned["version"] == 2
    assert list(PlanStep.objects.filter(project__code=CODE).values_list("order", "weight")) == [
        (1, Decimal(40)),
        (2, Decimal(60)),
    ]

    ProblemCategory.objects.create(name_th="งบประมาณ", name_en="Budget", active=False)
    ProblemCategory.objects.create(name_th="สภาพอากาศ", name_en="Weather")
    categories = {c["name_en"]: c for c in public("GET", "/problem-categories")[1]}
    assert categories["Budget"]["active"] is False
    today = str(timezone.localdate())
    status, report = officer(
        "POST",
        f"/projects/{CODE}/reports",
        {
            "report_date": today,
            "percent": 12.5,
            "narrative": "สำรวจแล้วเสร็จ",
            "problems": [{"category": categories["Weather"]["id"], "description": "ฝนตกหนัก"}],
            "submit": True,
        },
    )
    assert status == 201, report
    assert (report["status"], report["percent"]) == ("submitted", 12.5)
    assert [(p["category_name"], p["description"]) for p in report["problems_raised"]] == [
        ("สภาพอากาศ", "ฝนตกหนัก")
    ]
    # Nothing is public before it is approved.
    assert public("GET", f"/projects/{CODE}")[1]["reports"] == []

    status, approved = approver(
        "POST", f"/reports/{report['id']}/approve", {"version": report["version"]}
    )
    assert (status, approved["status"]) == (200, "approved")
    status, page = public("GET", f"/projects/{CODE}")
    assert status == 200
    assert [(r["report_date"], r["percent"]) for r in page["reports"]] == [(today, 12.5)]
    assert page["standing"]["reported_percent"] == 12.5
    assert page["contacts"] == [{"name": "นายสมชาย ใจดี", "phone": ""}]  # not published

    # The audit trail names who did what, as for the pages.
    history = ProgressReport.history.filter(id=report["id"]).order_by("history_id")
    assert [(h.history_change_reason, h.history_user) for h in history][-2:] == [
        (Event.SUBMITTED, personas.officer_a),
        (Event.APPROVED, personas.approver_a),
    ]
    project = Project.history.filter(code=CODE).order_by("history_id")
    assert [h.history_change_reason for h in project] == [Event.CREATED, Event.PLAN_CHANGED]


def test_a_changed_record_is_refused_with_409_and_keeps_the_first_change(
    personas: Personas,
) -> None:
    officer = Api(personas.officer_a)
    officer("POST", "/projects", new_project())
    officer("PUT", f"/projects/{CODE}/plan", {"version": 1, "steps": year_plan()})
    body = {"report_date": str(timezone.localdate()), "percent": 5, "narrative": "เริ่มงาน"}
    _, report = officer("POST", f"/projects/{CODE}/reports", body)

    first = {**body, "narrative": "แก้ครั้งแรก", "version": report["version"]}
    assert officer("PUT", f"/reports/{report['id']}", first)[0] == 200
    status, refused = officer("PUT", f"/reports/{report['id']}", {**first, "narrative": "ทับ"})
    assert status == 409
    assert refused["error"]["code"] == "stale"
    assert refused["error"]["message"].startswith("Someone else changed this report")
    assert ProgressReport.objects.get(pk=report["id"]).narrative == "แก้ครั้งแรก"

    status, refused = officer(
        "PUT", f"/projects/{CODE}", {**new_project(name="ชื่อใหม่"), "version": 1}
    )
    assert (status, refused["error"]["code"]) == (409, "stale")
    assert Project.objects.get(code=CODE).name == "โครงการปรับปรุงทางเท้า"


def test_a_refused_write_names_each_field_in_the_readers_language_and_writes_nothing(
    personas: Personas,
) -> None:
    officer = Api(personas.officer_a)
    status, refused = officer(
        "POST", "/projects", new_project(fiscal_year=2026, budget=-5, code="1234")
    )
    assert status == 422
    fields = refused["error"]["fields"]
    assert fields["budget"] == ["The budget cannot be negative."]
    assert fields["fiscal_year"][0].startswith("2026 is not a fiscal year in the Buddhist Era")
    assert fields["code"] == [
        "A project code is 8 digits, a dash and 4 digits, e.g. 03000000-2457."
    ]

    status, refused = Api(personas.officer_a, lang="th")(
        "POST", "/projects", new_project(budget=-5)
    )
    assert status == 422
    assert refused["error"]["fields"]["budget"] == ["งบประมาณติดลบไม่ได้"]

    # A wrong type never reaches an action.
    status, refused = officer("POST", "/projects", new_project(budget="many", objectives="x"))
    assert status == 422
    assert set(refused["error"]["fields"]) == {"body.budget", "body.objectives"}
    assert not Project.objects.exists()


def test_a_report_beyond_a_hundred_percent_and_an_unknown_problem_category_are_refused(
    personas: Personas,
) -> None:
    officer = Api(personas.officer_a)
    officer("POST", "/projects", new_project())
    status, refused = officer(
        "POST",
        f"/projects/{CODE}/reports",
        {
            "report_date": str(timezone.localdate()),
            "percent": 150,
            "narrative": "เกินร้อย",
            "problems": [{"category": 999999, "description": "ฝนตก"}],
        },
    )
    assert status == 422
    assert set(refused["error"]["fields"]) == {"problems.0.category"}
    status, refused = officer(
        "POST",
        f"/projects/{CODE}/reports",
        {"report_date": str(timezone.localdate()), "percent": 150, "narrative": "เกินร้อย"},
    )
    assert status == 422
    assert "percent" in refused["error"]["fields"]
    assert not ProgressReport.objects.exists()


def test_a_kpi_result_is_entered_returned_and_scored_through_the_api(personas: Personas) -> None:
    load_default_scale(DEFAULT_DIR / "rating_scale.csv", DEFAULT_DIR / "evaluation_criteria.csv")
    officer = Api(personas.officer_a)
    officer("POST", "/projects", new_project())
    project = Project.objects.get(code=CODE)
    kpi = make_kpi(agency=personas.agency_a, fiscal_year=this_year(), projects=(project,))
    year = kpi.fiscal_year_id
    path = f"/kpis/{year}/{kpi.code}/quarters/1/result"

    # The KPI page's rules, from the action: the same messages as its form.
    status, refused = officer("PUT", path, {"result": -1, "narrative": "  "})
    assert status == 422
    assert refused["error"]["fields"] == {
        "result": ["A result cannot be negative."],
        "narrative": ["Say what was done and how the result was measured."],
    }
    assert not KpiResult.objects.exists()

    status, entered = officer("PUT", path, {"result": 40, "narrative": "ปลูกแล้ว", "submit": True})
    assert (status, entered["status"], entered["result"]) == (200, "submitted", 40.0)
    # Submitted: no longer the officer's to change.
    status, refused = officer("PUT", path, {"result": 41, "narrative": "แก้"})
    assert status == 422

    status, returned = Api(personas.approver_a)(
        "POST", f"{path}/return", {"comment": "แนบหลักฐานด้วย", "version": entered["version"]}
    )
    assert (status, returned["status"], returned["review_comment"]) == (
        200,
        "returned",
        "แนบหลักฐานด้วย",
    )
    assert KpiResult.objects.get(kpi=kpi).status == ReportStatus.RETURNED

    evaluator = Api(personas.evaluator)
    scale = evaluator("GET", "/rating-scale")[1]
    assert "2.1" in [c["code"] for c in scale["criteria"]]
    assert 75.0 in [level["value"] for level in scale["levels"]]
    status, scored = evaluator(
        "PUT", f"/kpis/{year}/{kpi.code}/quarters/1/scores", {"scores": {"2.1": 75}}
    )
    assert (status, scored["scores"]) == (200, {"2.1": 75.0})
    assert KpiScore.objects.get(kpi=kpi).score == Decimal(75)
    status, refused = evaluator(
        "PUT", f"/kpis/{year}/{kpi.code}/quarters/1/scores", {"scores": {"2.1": 74, "9.9": 50}}
    )
    assert status == 422
    assert set(refused["error"]["fields"]) == {"scores.9.9"}
    status, scored = evaluator("PUT", f"/projects/{CODE}/quarters/1/score", {"score": 50})
    assert (status, scored["score"]) == (200, 50.0)


def test_a_projects_report_list_reads_the_same_queries_for_one_report_as_for_many(
    personas: Personas,
) -> None:
    project = make_project(code=CODE, agency=personas.agency_a, published=True)
    category = ProblemCategory.objects.create(name_th="สภาพอากาศ", name_en="Weather")

    def report(month: int) -> None:
        made = ProgressReport.objects.create(
            project=project,
            report_date=date(2020, month, 28),
            percent=Decimal(month),
            narrative="คืบหน้า",
            status=ReportStatus.APPROVED,
            origin="manual",
        )
        Problem.objects.create(
            project=project, category=category, description="ฝนตก", opened_in=made
        )

    report(1)
    client = Api()
    with CaptureQueriesContext(connection) as one:
        assert len(client("GET", f"/projects/{CODE}/reports")[1]) == 1
    for month in range(2, 10):
        report(month)
    with CaptureQueriesContext(connection) as nine:
        body = client("GET", f"/projects/{CODE}/reports")[1]
    assert [len(r["problems_raised"]) for r in body] == [1] * 9
    assert len(nine.captured_queries) == len(one.captured_queries)
