"""Officers enter projects, operating plans and budget instalments through the web."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tidtam.lib.fiscal import fiscal_year_of
from tidtam.projects import actions
from tidtam.projects.models import BudgetInstalment, PlanBaseline, PlanStep, Project, ProjectItem
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.strategy.models import PlanNode
from tidtam.test import Personas, add_steps, make_project

pytestmark = pytest.mark.django_db


def project_post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "agency": "",
        "fiscal_year_be": "2570",
        "code": "99990000-0100",
        "name": "โครงการปรับปรุงทางเท้า",
        "rationale": "ทางเท้าชำรุด",
        "objectives": "เพื่อความปลอดภัย\nเพื่อความสะดวก",
        "targets": "ทางเท้า 2 กิโลเมตร",
        "budget": "1000000",
        "responsible_unit": "",
        "progress_unit": "",
        "progress_target": "",
        "contact-TOTAL_FORMS": "2",
        "contact-INITIAL_FORMS": "0",
        "contact-0-name": "นายสมชาย ใจดี",
        "contact-0-phone": "02 123 4567",
        "contact-0-email": "somchai@example.test",
        "contact-1-name": "",
    }
    data.update(overrides)
    return data


def create(client: Client, personas: Personas, **overrides: Any) -> Any:
    client.force_login(personas.officer_a)
    return client.post(
        "/projects/new/", project_post(agency=personas.agency_a.pk, **overrides), follow=True
    )


def test_an_officer_creates_a_project_with_all_its_parts(
    client: Client, personas: Personas
) -> None:
    response = create(client, personas)
    project = Project.objects.get(code="99990000-0100")
    assert response.redirect_chain[-1][0] == "/projects/99990000-0100/plan/"
    assert project.agency == personas.agency_a and project.fiscal_year_id == 2570
    assert [i.text for i in project.items.filter(kind=ProjectItem.Kind.OBJECTIVE)] == [
        "เพื่อความปลอดภัย",
        "เพื่อความสะดวก",
    ]
    assert [c.person.name for c in project.contacts.all()] == ["นายสมชาย ใจดี"]
    created = project.history.get()
    assert created.history_user == personas.officer_a and created.history_type == "+"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("code", "9999-1", "8 หลัก"),
        ("code", "99980000-0001", "99990000"),
        ("name", "", "ฟิลด์นี้จำเป็น"),
        ("objectives", "  ", "ฟิลด์นี้จำเป็น"),
        ("budget", "-5", "ติดลบ"),
        ("progress_unit", "กิโลเมตร", "เป้าหมาย"),
        ("contact-0-email", "not-an-email", "อีเมล"),
    ],
)
def test_invalid_project_input_is_refused_next_to_the_field_and_saves_nothing(
    client: Client, personas: Personas, field: str, value: str, message: str
) -> None:
    response = create(client, personas, **{field: value})
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "ยังไม่ได้บันทึก" in text
    assert not Project.objects.filter(code="99990000-0100").exists()
    assert not Project.history.exists()


def test_a_project_code_must_be_unique(client: Client, personas: Personas) -> None:
    make_project(code="99990000-0100")
    response = create(client, personas)
    assert "มีโครงการอื่นใช้รหัสนี้แล้ว" in response.content.decode()
    assert Project.objects.filter(code="99990000-0100").count() == 1


def test_an_officer_cannot_create_a_project_for_another_agency(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.officer_a)
    response = client.post(
        "/projects/new/", project_post(agency=personas.agency_b.pk, code="99980000-0100")
    )
    assert response.status_code == 200
    assert not Project.objects.exists()


def test_the_audit_entry_and_the_change_commit_together(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "set_contacts", broken)
    data = actions.ProjectInput(
        name="x", fiscal_year=make_project().fiscal_year_id, objectives=["a"], targets=["b"]
    )
    before = (Project.objects.count(), Project.history.count(), ProjectItem.history.count())
    with pytest.raises(RuntimeError):
        actions.create_project(
            agency=personas.agency_a, code="99990000-0200", data=data, by=personas.officer_a
        )
    after = (Project.objects.count(), Project.history.count(), ProjectItem.history.count())
    assert after == before


def edit_form(client: Client, code: str) -> dict[str, Any]:
    form = client.get(f"/projects/{code}/edit/").context["form"]
    return {
        **{
            name: form[name].value() if form[name].value() is not None else ""
            for name in form.fields
            if not form.fields[name].disabled
        },
        "contact-TOTAL_FORMS": "0",
        "contact-INITIAL_FORMS": "0",
    }


def test_the_second_of_two_concurrent_edits_is_refused_and_keeps_its_input(
    client: Client, personas: Personas
) -> None:
    project = make_project(code="99990000-0001", name="เดิม", rationale="เหตุผล")
    ProjectItem.objects.create(project=project, kind="objective", order=1, label="1.", text="ก")
    ProjectItem.objects.create(project=project, kind="target", order=1, label="1.", text="ข")
    client.force_login(personas.officer_a)
    first = edit_form(client, project.code)
    second = edit_form(client, project.code)
    first["name"] = "ชื่อของคนแรก"
    second["name"] = "ชื่อของคนที่สอง"
    saved = client.post(f"/projects/{project.code}/edit/", first)
    assert saved.status_code == 302, saved.context["form"].errors
    response = client.post(f"/projects/{project.code}/edit/", second)
    assert response.status_code == 200
    text = response.content.decode()
    assert "มีผู้อื่นบันทึก" in text and "ชื่อของคนที่สอง" in text
    project.refresh_from_db()
    assert project.name == "ชื่อของคนแรก" and project.version == 2


def plan_post(rows: list[tuple[str, str, str, str]], version: int, **extra: str) -> dict[str, str]:
    data = {"step-TOTAL_FORMS": str(len(rows)), "step-INITIAL_FORMS": "0", "version": str(version)}
    for n, (text, weight, start, end) in enumerate(rows):
        data.update(
            {
                f"step-{n}-text": text,
                f"step-{n}-weight": weight,
                f"step-{n}-start": start,
                f"step-{n}-end": end,
            }
        )
    data.update(extra)
    return data


GOOD = [
    ("สำรวจ", "30", "2019-10-01", "2019-12-31"),
    ("ก่อสร้าง", "70", "2020-01-01", "2020-06-30"),
]


def test_the_plan_editor_adds_moves_and_removes_rows_without_saving(
    client: Client, personas: Personas
) -> None:
    project = make_project(code="99990000-0001")
    client.force_login(personas.officer_a)
    url = f"/projects/{project.code}/plan/"
    added = client.post(url, plan_post(GOOD, 1, op="add"), headers={"HX-Request": "true"})
    assert added.status_code == 200
    assert added.context["steps"].total_form_count() == 3
    assert "<html" not in added.content.decode()
    moved = client.post(url, plan_post(GOOD, 1, op="up-1"), headers={"HX-Request": "true"})
    assert [f.initial["text"] for f in moved.context["steps"]] == ["ก่อสร้าง", "สำรวจ"]
    asked = client.post(url, plan_post(GOOD, 1, op="remove-0"))
    assert [f.initial["text"] for f in asked.context["steps"]] == ["สำรวจ", "ก่อสร้าง"]
    assert 'value="drop-0"' in asked.content.decode()
    kept = client.post(url, plan_post(GOOD, 1, op="keep"), headers={"HX-Request": "true"})
    assert [f.initial["text"] for f in kept.context["steps"]] == ["สำรวจ", "ก่อสร้าง"]
    assert "drop-" not in kept.content.decode()
    removed = client.post(url, plan_post(GOOD, 1, op="drop-0"))
    assert [f.initial["text"] for f in removed.context["steps"]] == ["ก่อสร้าง"]
    assert not PlanStep.objects.exists()


def test_a_valid_plan_is_saved_in_order(client: Client, personas: Personas) -> None:
    project = make_project(code="99990000-0001")
    client.force_login(personas.officer_a)
    response = client.post(f"/projects/{project.code}/plan/", plan_post(GOOD, 1, op="save"))
    assert response.status_code == 302
    assert [(s.order, s.text, s.weight) for s in project.steps.all()] == [
        (1, "สำรวจ", Decimal(30)),
        (2, "ก่อสร้าง", Decimal(70)),
    ]
    project.refresh_from_db()
    assert project.version == 2


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [("ก", "30", "2019-10-01", "2019-12-31"), ("ข", "60", "2020-01-01", "2020-06-30")],
            "90.00",
        ),
        ([("ก", "100", "2019-12-31", "2019-10-01")], "สิ้นสุดก่อนวันเริ่ม"),
        ([("ก", "150", "2019-10-01", "2019-12-31")], "100"),
        ([("", "100", "2019-10-01", "2019-12-31")], "ฟิลด์นี้จำเป็น"),
        ([("ก", "100", "2562-10-01", "2562-12-31")], "พ.ศ."),
        ([("ก", "100", "1 ต.ค.", "2019-12-31")], "กรอกวันที่เป็น วัน/เดือน/ปี"),
        ([], "อย่างน้อยหนึ่งขั้นตอน"),
    ],
)
def test_an_invalid_plan_is_refused_with_a_message_and_nothing_changes(
    client: Client, personas: Personas, rows: list[tuple[str, str, str, str]], message: str
) -> None:
    project = make_project(code="99990000-0001")
    add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    client.force_login(personas.officer_a)
    response = client.post(f"/projects/{project.code}/plan/", plan_post(rows, 1, op="save"))
    assert response.status_code == 200
    assert message in response.content.decode(), response.context["steps"].errors
    assert [s.text for s in project.steps.all()] == ["ขั้นตอนที่ 1"]
    assert PlanStep.history.count() == 0


def test_weights_within_a_hundredth_of_100_are_accepted(client: Client, personas: Personas) -> None:
    project = make_project(code="99990000-0001")
    client.force_login(personas.officer_a)
    rows = [(t, "33.33", "2019-10-01", "2019-12-31") for t in ("ก", "ข", "ค")]
    assert client.post(f"/projects/{project.code}/plan/", plan_post(rows, 1)).status_code == 302
    assert project.steps.count() == 3


def test_steps_outside_the_fiscal_year_are_saved_but_flagged(
    client: Client, personas: Personas
) -> None:
    project = make_project(code="99990000-0001")
    client.force_login(personas.officer_a)
    rows = [("ก", "100", "2019-10-01", "2020-11-30")]
    response = client.post(f"/projects/{project.code}/plan/", plan_post(rows, 1), follow=True)
    assert "นอกปีงบประมาณ 2563" in response.content.decode()
    assert project.steps.count() == 1


def approve_a_report(project: Project) -> None:
    ProgressReport.objects.create(
        project=project,
        report_date=date(2019, 12, 31),
        percent=20,
        status=ReportStatus.APPROVED,
        origin="manual",
    )


def test_changing_an_approved_plan_is_a_re_baseline_that_needs_a_reason(
    client: Client, personas: Personas
) -> None:
    project = make_project(code="99990000-0001")
    add_steps(project, ("40", "2019-10-01", "2019-12-31"), ("60", "2020-01-01", "2020-03-31"))
    approve_a_report(project)
    client.force_login(personas.officer_a)
    url = f"/projects/{project.code}/plan/"
    refused = client.post(url, plan_post(GOOD, 1))
    assert "เหตุผล" in refused.content.decode()
    assert not PlanBaseline.objects.exists()
    assert project.steps.first().weight == Decimal(40)  # type: ignore[union-attr]
    accepted = client.post(url, plan_post(GOOD, 1, reason="งบประมาณล่าช้า"))
    assert accepted.status_code == 302
    baseline = PlanBaseline.objects.get(project=project)
    assert baseline.reason == "งบประมาณล่าช้า" and baseline.created_by == personas.officer_a
    assert [w.weight for w in baseline.windows] == [Decimal(40), Decimal(60)]
    assert [s.weight for s in project.steps.all()] == [Decimal(30), Decimal(70)]
    page = client.get(f"/projects/{project.code}/").content.decode()
    assert "แผนเดิม" in page


def test_a_plan_edit_from_a_stale_form_is_refused(client: Client, personas: Personas) -> None:
    project = make_project(code="99990000-0001")
    client.force_login(personas.officer_a)
    url = f"/projects/{project.code}/plan/"
    assert client.post(url, plan_post(GOOD, 1)).status_code == 302
    late = client.post(url, plan_post([("อื่น", "100", "2019-10-01", "2019-12-31")], 1))
    assert "มีผู้อื่นบันทึก" in late.content.decode()
    assert project.steps.count() == 2


def test_budget_instalments_are_recorded_and_may_not_exceed_the_budget(
    client: Client, personas: Personas
) -> None:
    project = make_project(code="99990000-0001", budget=Decimal(1000))
    client.force_login(personas.officer_a)
    url = f"/projects/{project.code}/budget/"
    ok = client.post(url, {"released_on": "2019-11-01", "amount": "600", "note": "งวดที่ 1"})
    assert ok.status_code == 302
    over = client.post(url, {"released_on": "2019-12-01", "amount": "500", "note": ""})
    assert "1,100.00" in over.content.decode()
    assert BudgetInstalment.objects.count() == 1
    page = client.get(f"/projects/{project.code}/").content.decode()
    assert "600.00" in page and "60.0%" in page, page[page.find("budget-h") :][:1500]
    instalment = BudgetInstalment.objects.get()
    client.post(f"/projects/{project.code}/budget/{instalment.pk}/delete/")
    assert not BudgetInstalment.objects.exists()
    assert BudgetInstalment.history.filter(history_type="-").count() == 1


def test_plan_links_may_point_to_nodes_of_any_plan(client: Client, personas: Personas) -> None:
    from tidtam.strategy.models import Plan, PlanLevel

    plan = Plan.objects.create(code="district", name_th="แผนเขต")
    level = PlanLevel.objects.create(plan=plan, depth=1, key="goal", name_th="ยุทธศาสตร์")
    node = PlanNode.objects.create(
        plan=plan, level=level, code="1", sort_key="0001", name_th="ถนนดี", origin="manual"
    )
    create(client, personas, links=[node.pk])
    project = Project.objects.get(code="99990000-0100")
    assert [link.node for link in project.plan_links.all()] == [node]


def test_moving_a_project_away_from_its_kpis_year_is_refused_at_the_year_field(
    client: Client, personas: Personas
) -> None:
    from tidtam.indicators.tests.factories import make_kpi

    project = make_project(code="99990000-0001", agency=personas.agency_a, rationale="เหตุผล")
    ProjectItem.objects.create(project=project, kind="objective", order=1, label="1.", text="ก")
    ProjectItem.objects.create(project=project, kind="target", order=1, label="1.", text="ข")
    make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))
    client.force_login(personas.officer_a)
    moved = {**edit_form(client, project.code), "fiscal_year_be": "2570"}
    response = client.post(f"/projects/{project.code}/edit/", moved)
    assert response.status_code == 200
    assert response.context["form"].errors["fiscal_year_be"] == [
        "โครงการนี้สนับสนุนตัวชี้วัดของปีงบประมาณ 2563 (9999-0001) "
        "นำโครงการออกจากตัวชี้วัดเหล่านั้นก่อนย้ายไปปีงบประมาณอื่น"
    ]
    project.refresh_from_db()
    assert (project.fiscal_year_id, project.version) == (2563, 1)


def test_the_year_field_offers_be_years_and_names_the_ce_year_in_english(
    client: Client, personas: Personas
) -> None:
    this_year = fiscal_year_of(timezone.localdate())
    client.force_login(personas.officer_a)
    client.cookies["django_language"] = "en"
    english = client.get("/projects/new/").content.decode()
    named = f"{this_year} ({this_year - 543})"
    assert f'<option value="{this_year}" selected>{named}</option>' in english
    client.cookies["django_language"] = "th"
    thai = client.get("/projects/new/").content.decode()
    assert f'<option value="{this_year}" selected>{this_year}</option>' in thai
