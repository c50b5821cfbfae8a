"""The admin shows a project whose plan a report was approved against read-only, as the site
does (`replace_plan` asks a reason for that plan): it changes on the project's own pages. Any
other project changed in the admin is saved through the audited writes, naming the admin."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from tidtam.audit.models import AuditNote, Event
from tidtam.projects.models import PlanStep, Project
from tidtam.reporting import actions as reporting
from tidtam.test import Personas, add_steps, make_project, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db: None) -> Client:
    client = Client()
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def _project(personas: Personas) -> Project:
    project = make_project(
        code=f"{personas.agency_a.code}-0001", agency=personas.agency_a, budget=Decimal(100000)
    )
    add_steps(project, ("60", "2019-10-01", "2020-03-31"), ("40", "2020-04-01", "2020-09-30"))
    return project


def _approve_a_report(project: Project, personas: Personas) -> None:
    report = reporting.create_report(
        project=project,
        values=reporting.ReportValues(
            report_date=date(2020, 1, 31), percent=Decimal(40), narrative="จัดซื้อวัสดุแล้ว"
        ),
        by=personas.officer_a,
    )
    report = reporting.submit_report(report=report, by=personas.officer_a)
    reporting.approve_report(report=report, by=personas.approver_a)


def _change_form(project: Project, **changes: str) -> dict[str, str]:
    """What the admin's change form posts: the project's values and its two steps."""
    data = {
        "code": project.code,
        "name": project.name,
        "agency": str(project.agency_id),
        "fiscal_year": str(project.fiscal_year_id),
        "budget": str(project.budget),
        "published": "on",
        "origin": project.origin,
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "2",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "reason": "",
    }
    for n, step in enumerate(project.steps.order_by("order")):
        data |= {
            f"steps-{n}-id": str(step.pk),
            f"steps-{n}-project": str(project.pk),
            f"steps-{n}-order": str(step.order),
            f"steps-{n}-text": step.text,
            f"steps-{n}-weight": str(step.weight),
            f"steps-{n}-start": step.start.strftime("%d/%m/") + str(step.start.year + 543),
            f"steps-{n}-end": step.end.strftime("%d/%m/") + str(step.end.year + 543),
        }
    return data | changes


def _url(project: Project) -> str:
    return f"/admin/projects/project/{project.pk}/change/"


def test_a_project_with_an_approved_report_cannot_be_changed_in_the_admin(
    root: Client, personas: Personas
) -> None:
    project = _project(personas)
    _approve_a_report(project, personas)
    form = _change_form(
        project, name="ชื่อใหม่", budget="5", **{"steps-0-weight": "50", "steps-1-weight": "50"}
    )

    response = root.post(_url(project), form)

    assert response.status_code == 403
    project.refresh_from_db()
    assert (project.name, project.budget, project.version) == ("โครงการทดสอบ", 100000, 1)
    assert [s.weight for s in project.steps.order_by("order")] == [60, 40]
    deleted = root.post(f"/admin/projects/project/{project.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403 and Project.objects.filter(pk=project.pk).exists()


def test_its_page_is_read_only_and_says_where_to_change_it(
    root: Client, personas: Personas
) -> None:
    project = _project(personas)
    _approve_a_report(project, personas)

    page = html.unescape(root.get(_url(project)).content.decode())

    assert 'name="name"' not in page and 'name="steps-0-weight"' not in page
    assert 'name="reason"' not in page and 'name="_save"' not in page
    assert f'href="/projects/{project.code}/plan/"' in page
    assert "ถูกอนุมัติแล้ว" in page


def test_an_old_version_cannot_be_put_back_over_it(root: Client, personas: Personas) -> None:
    project = _project(personas)
    first = project.history.order_by("history_id").first()
    _approve_a_report(project, personas)

    url = f"/admin/projects/project/{project.pk}/history/{first.history_id}/"
    response = root.post(url, _change_form(project, name="ชื่อเดิม"))

    assert response.status_code == 403
    project.refresh_from_db()
    assert project.name == "โครงการทดสอบ"


def test_the_list_offers_no_bulk_delete_and_still_lists_them(
    root: Client, personas: Personas
) -> None:
    project = _project(personas)
    _approve_a_report(project, personas)
    make_project(code=f"{personas.agency_a.code}-0002", agency=personas.agency_a)

    response = root.get("/admin/projects/project/")

    page = response.content.decode()
    assert response.status_code == 200
    assert project.code in page and f"{personas.agency_a.code}-0002" in page
    assert 'value="delete_selected"' not in page


def test_a_draft_projects_change_in_the_admin_is_kept_in_its_history_with_the_admin(
    root: Client, personas: Personas
) -> None:
    project = _project(personas)
    form = _change_form(
        project,
        name="ชื่อใหม่",
        budget="90000",
        reason="แก้ชื่อตามหนังสือสำนักงบประมาณ",
        **{"steps-0-weight": "50", "steps-1-weight": "50"},
    )

    response = root.post(_url(project), form)

    assert response.status_code == 302, response.content.decode()[:3000]
    project.refresh_from_db()
    assert (project.name, project.budget) == ("ชื่อใหม่", 90000)
    assert [s.weight for s in project.steps.order_by("order")] == [50, 50]
    assert project.version == 3  # the project's values, then its plan
    changed = project.history.filter(history_change_reason=Event.ADMIN_CHANGED).get()
    assert changed.history_user.username == "root"
    note = AuditNote.objects.get(history_id=changed.history_id, comment__startswith="แก้ชื่อ")
    assert note.history_model == "projects.historicalproject"
    step = PlanStep.history.filter(project_id=project.pk, history_type="~").latest("history_id")
    assert step.history_user.username == "root"


def test_a_plan_changed_in_the_admin_meets_the_rules_of_the_site(
    root: Client, personas: Personas
) -> None:
    project = _project(personas)
    form = _change_form(project, **{"steps-0-weight": "70"})

    response = root.post(_url(project), form)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "น้ำหนักของขั้นตอนรวมกันได้ 110.00 ต้องรวมกันได้ 100" in page
    assert [s.weight for s in project.steps.order_by("order")] == [60, 40]
    project.refresh_from_db()
    assert project.version == 1


def test_a_plan_alone_changed_in_the_admin_is_one_change_of_the_plan(
    root: Client, personas: Personas
) -> None:
    project = _project(personas)
    form = _change_form(project, **{"steps-0-weight": "70", "steps-1-weight": "30"})

    assert root.post(_url(project), form).status_code == 302

    project.refresh_from_db()
    assert [s.weight for s in project.steps.order_by("order")] == [70, 30]
    assert project.version == 2
    last = project.history.order_by("history_id").last()
    assert (last.history_change_reason, last.history_user.username) == (
        Event.PLAN_CHANGED,
        "root",
    )
    assert not project.history.filter(history_change_reason=Event.ADMIN_CHANGED).exists()


def test_a_draft_projects_values_meet_the_rules_of_the_site(
    root: Client, personas: Personas
) -> None:
    project = _project(personas)

    response = root.post(_url(project), _change_form(project, budget="-1"))

    assert response.status_code == 200
    assert "งบประมาณติดลบไม่ได้" in html.unescape(response.content.decode())
    project.refresh_from_db()
    assert project.budget == 100000


def test_a_project_added_in_the_admin_meets_the_site_s_rules_and_names_the_admin(
    root: Client, personas: Personas
) -> None:
    assert root.get("/admin/projects/project/add/").status_code == 200
    form = {
        "name": "โครงการใหม่",
        "agency": str(personas.agency_a.pk),
        "fiscal_year": str(make_project().fiscal_year_id),
        "origin": "manual",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
        "reason": "",
    }

    refused = root.post("/admin/projects/project/add/", {**form, "code": "12345"})
    added = root.post(
        "/admin/projects/project/add/", {**form, "code": f"{personas.agency_a.code}-0009"}
    )

    assert refused.status_code == 200
    assert "รหัสโครงการคือตัวเลข 8 หลัก" in html.unescape(refused.content.decode())
    assert not Project.objects.filter(code="12345").exists()
    assert added.status_code == 302
    project = Project.objects.get(code=f"{personas.agency_a.code}-0009")
    created = project.history.get()
    assert (created.history_type, created.history_change_reason) == ("+", Event.CREATED)
    assert created.history_user.username == "root"
