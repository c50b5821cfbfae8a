"""A PDPA erasure request: the person becomes "เจ้าหน้าที่ #<id>" everywhere, and their old
name is nowhere, neither on a page nor in a table, the history tables included.

One world, made through the actions as people would: an officer of agency A who is also
the contact of her project, her reports (approved, returned with a comment naming her,
waiting for review), a KPI result, and the roles she held. Then an administrator erases her.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models.functions import Cast
from django.test import Client
from django.urls import reverse

from tidtam.accounts import actions
from tidtam.accounts.models import AccountChange, AccountEvent, Membership, Role
from tidtam.indicators import actions as kpi_actions
from tidtam.indicators.tests.factories import make_kpi
from tidtam.lib.thai import fold_thai
from tidtam.orgs.actions import erase_contact
from tidtam.orgs.models import Person
from tidtam.projects import actions as project_actions
from tidtam.projects.models import Project
from tidtam.reporting import actions as report_actions
from tidtam.reporting.models import ProgressReport
from tidtam.test import PERSONAS, Personas, add_steps, make_member, make_project, make_user

pytestmark = pytest.mark.django_db

TODAY = date(2020, 3, 15)
NAME = "สมศรี ขยันยิ่ง"
EMAIL = "Somsri.K@city.example"
USERNAME = "somsri.k"
PHONE = "081-555-0199"
OLD = (NAME, EMAIL.lower(), USERNAME, PHONE)


@pytest.fixture(autouse=True)
def today() -> Iterator[date]:
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield TODAY


@pytest.fixture
def root(db: None) -> User:
    return make_user("root", first_name="ผู้ดูแล", last_name="ระบบ", is_staff=True, is_superuser=True)


def _report(project: Project, by: User, day: date, percent: int) -> ProgressReport:
    report = report_actions.create_report(
        project=project,
        values=report_actions.ReportValues(
            report_date=day, percent=Decimal(percent), narrative="ดำเนินการตามแผน"
        ),
        by=by,
    )
    return report_actions.submit_report(report=report, by=by)


@pytest.fixture
def world(personas: Personas) -> dict[str, Any]:
    officer = make_member(
        USERNAME,
        Role.OFFICER,
        personas.agency_a,
        first_name="สมศรี",
        last_name="ขยันยิ่ง",
    )
    User.objects.filter(pk=officer.pk).update(email=EMAIL)
    officer.refresh_from_db()
    project = make_project(code="99990000-0001", agency=personas.agency_a, budget=Decimal(900))
    add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    hidden = make_project(code="99990000-0002", agency=personas.agency_a, published=False)
    add_steps(hidden, ("100", "2019-10-01", "2020-09-30"))
    contact = Person.objects.create(agency=personas.agency_a, name=NAME, phone=PHONE)
    project_actions.set_contacts(project=project, people=[contact], by=officer, reason="")
    approved = _report(project, officer, date(2020, 1, 31), 10)
    report_actions.approve_report(report=approved, by=personas.approver_a)
    returned = _report(project, officer, date(2020, 2, 28), 20)
    report_actions.return_report(
        report=returned, by=personas.approver_a, comment=f"คุณ{NAME} กรุณาแนบภาพถ่าย"
    )
    waiting = _report(hidden, officer, date(2020, 3, 10), 30)
    kpi = make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))
    result = kpi_actions.enter_kpi_result(
        kpi=kpi,
        quarter=kpi.fiscal_year.quarters.get(number=1),
        result=Decimal(5),
        narrative="สำรวจแล้ว",
        by=officer,
    )
    kpi_actions.submit_kpi_result(row=result, by=officer)
    return {
        "officer": officer,
        "project": project,
        "hidden": hidden,
        "contact": contact,
        "reports": [approved, returned, waiting],
        "kpi": kpi,
    }


def pages(world: dict[str, Any]) -> list[str]:
    project, hidden = world["project"], world["hidden"]
    return [
        reverse("home"),
        reverse("project-list"),
        reverse("project-detail", args=[project.code]),
        reverse("project-history", args=[project.code]),
        reverse("project-detail", args=[hidden.code]),
        reverse("project-history", args=[hidden.code]),
        reverse("project-edit", args=[project.code]),
        *[reverse("report-detail", args=[r.pk]) for r in world["reports"]],
        reverse("review-queue"),
        reverse("my-work"),
        reverse("kpi-detail", args=[world["kpi"].code]),
        reverse("kpi-result-entry", args=[world["kpi"].code, 2563, 1]),
        reverse("agency-compliance", args=["99990000"]),
        reverse("city-compliance"),
        reverse("problems"),
        reverse("flags"),
        reverse("membership-history"),
        reverse("search") + "?q=ดำเนินการ",
        reverse("project-print", args=[project.code]),
        f"/api/v1/projects/{project.code}",
        f"/api/v1/kpis/2563/{world['kpi'].code}",
    ]


def pdf_text(client: Client, url: str) -> str:
    """The text of a PDF the site serves, as pdftotext reads it, folded as search folds it
    (the PDF spells SARA AM as NIKHAHIT + SARA AA)."""
    response = client.get(url)
    assert response.status_code == 200, url
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(response.content)
        pdf.flush()
        text = subprocess.run(
            ["pdftotext", "-raw", pdf.name, "-"], check=True, capture_output=True, text=True
        ).stdout
    return fold_thai(text)


def rendered(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code in (200, 302, 403, 404), url
    if response.get("Content-Type", "").startswith("application/json"):
        # The API writes Thai as \u escapes: read it as a client would.
        return json.dumps(response.json(), ensure_ascii=False)
    return html.unescape(response.content.decode())


def names_left_in_the_database() -> list[str]:
    """Every text and JSON column of every table Django knows, history tables included,
    searched for the old name, address, username and phone number (in JSON as written
    there, escaped or not)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.JSONField):
                rows = model._base_manager.annotate(_text=Cast(field.attname, models.TextField()))
                column, forms = "_text", lambda old: {old, json.dumps(old)[1:-1]}
            elif isinstance(field, models.CharField | models.TextField):
                rows = model._base_manager.all()
                column, forms = field.attname, lambda old: {old}
            else:
                continue
            for old in OLD:
                for form in forms(old):
                    if rows.filter(**{f"{column}__icontains": form}).exists():
                        found.append(f"{model._meta.db_table}.{field.column}: {old}")
    return found


def test_before_the_erasure_the_name_is_in_the_pages_and_the_tables(
    world: dict[str, Any], personas: Personas
) -> None:
    """The search below can fail: the world does hold the name, in pages and in history."""
    client = Client()
    client.force_login(personas.approver_a)
    assert NAME in rendered(client, reverse("report-detail", args=[world["reports"][2].pk]))
    assert NAME in rendered(client, reverse("project-history", args=[world["project"].code]))
    assert NAME in rendered(client, reverse("project-print", args=[world["project"].code]))
    assert NAME in pdf_text(client, reverse("project-print-pdf", args=[world["project"].code]))
    assert NAME in rendered(client, f"/api/v1/projects/{world['project'].code}")
    left = names_left_in_the_database()
    assert any(t.startswith("auth_user.") for t in left)
    assert any(t.startswith("orgs_historicalperson.") for t in left)
    assert any(t.startswith("reporting_historicalprogressreport.") for t in left)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_after_the_erasure_every_page_works_for_everyone_and_names_only_the_label(
    world: dict[str, Any], personas: Personas, root: User, lang: str
) -> None:
    officer = world["officer"]
    call_command(
        "erase_personal_data",
        user=officer.pk,
        by="root",
        reason="คำขอลบข้อมูลส่วนบุคคล เลขที่ 12/2563",
        stdout=StringIO(),
    )
    label = {"th": f"เจ้าหน้าที่ #{officer.pk}", "en": f"Officer #{officer.pk}"}[lang]
    contact = {"th": f"ผู้ติดต่อ #{world['contact'].pk}", "en": f"Contact #{world['contact'].pk}"}
    everyone: dict[str, User | None] = {**personas.by_name(PERSONAS), "root": root}
    for persona in (*PERSONAS, "root"):
        client = Client()
        client.cookies["django_language"] = lang
        if (user := everyone[persona]) is not None:
            client.force_login(user)
        for url in pages(world):
            text = rendered(client, url)
            for old in OLD:
                assert old.casefold() not in text.casefold(), f"{old} on {url} for {persona}"
    approver = Client()
    approver.cookies["django_language"] = lang
    approver.force_login(personas.approver_a)
    waiting = rendered(approver, reverse("report-detail", args=[world["reports"][2].pk]))
    assert label in waiting
    assert label in rendered(approver, reverse("review-queue"))
    history = rendered(approver, reverse("project-history", args=[world["project"].code]))
    assert label in history and contact[lang] in history
    assert contact[lang] in rendered(
        approver, reverse("project-detail", args=[world["project"].code])
    )
    printed = pdf_text(approver, reverse("project-print-pdf", args=[world["project"].code]))
    assert contact[lang] in printed
    assert not [old for old in OLD if old.casefold() in printed.casefold()]
    assert names_left_in_the_database() == []


def test_the_erasure_is_recorded_with_its_reason_and_the_person_can_never_sign_in(
    world: dict[str, Any], personas: Personas, root: User
) -> None:
    officer = world["officer"]
    event = actions.erase_personal_data(user=officer, by=root, reason="คำขอ PDPA ลงวันที่ 1 มี.ค.")

    assert (event.change, event.reason) == (AccountChange.ERASED, "คำขอ PDPA ลงวันที่ 1 มี.ค.")
    assert event.history.get().history_user == root
    officer.refresh_from_db()
    assert officer.username == f"erased-{officer.pk}"
    assert not officer.is_active and not officer.has_usable_password()
    assert (officer.first_name, officer.last_name, officer.email) == (
        f"เจ้าหน้าที่ #{officer.pk}",
        "",
        "",
    )
    assert not Membership.objects.filter(user=officer).exists()
    # The records stay, still theirs.
    assert all(
        ProgressReport.objects.get(pk=r.pk).submitted_by_id == officer.pk for r in world["reports"]
    )
    client = Client()
    for username in (USERNAME, officer.username):
        client.post("/accounts/login/", {"username": username, "password": "pw-for-tests"})
        assert client.get("/me/").status_code == 302
    trail = rendered(_signed_in(root, "en"), reverse("membership-history"))
    assert f"Officer #{officer.pk}: personal data erased" in trail


def _signed_in(user: User, lang: str) -> Client:
    client = Client()
    client.cookies["django_language"] = lang
    client.force_login(user)
    return client


def test_an_erasure_whose_reason_repeats_the_name_is_refused_and_changes_nothing(
    world: dict[str, Any], root: User
) -> None:
    officer = world["officer"]
    for reason in ("", f"ตามคำขอของ {NAME}", f"request from {USERNAME.upper()}"):
        with pytest.raises(ValidationError):
            actions.erase_personal_data(user=officer, by=root, reason=reason)
    officer.refresh_from_db()
    assert officer.username == USERNAME and officer.is_active
    assert not AccountEvent.objects.filter(user=officer).exists()
    assert Person.objects.get(pk=world["contact"].pk).name == NAME


def test_administrators_erase_from_the_user_list_and_nobody_else_can(
    world: dict[str, Any], personas: Personas, root: User
) -> None:
    officer = world["officer"]
    chosen = {
        "action": "erase_personal_data",
        "_selected_action": [officer.pk],
        "apply": "1",
        "reason": "คำขอ PDPA",
    }
    clerk = make_user("clerk", is_staff=True)
    _signed_in(clerk, "th").post("/admin/auth/user/", chosen)
    assert User.objects.get(pk=officer.pk).username == USERNAME

    response = _signed_in(root, "en").post("/admin/auth/user/", chosen, follow=True)

    assert User.objects.get(pk=officer.pk).username == f"erased-{officer.pk}"
    text = html.unescape(response.content.decode())
    assert f"The personal data of Officer #{officer.pk} were erased." in text
    assert NAME not in text


def test_the_command_refuses_anyone_but_an_administrator(
    world: dict[str, Any], personas: Personas
) -> None:
    with pytest.raises(CommandError):
        call_command("erase_personal_data", user=world["officer"].pk, by="officer_a", reason="คำขอ")
    assert User.objects.get(pk=world["officer"].pk).username == USERNAME


def test_a_project_contact_is_erased_the_same_way(
    world: dict[str, Any], personas: Personas, root: User
) -> None:
    other = Person.objects.create(agency=personas.agency_a, name="นายอื่น ไม่เกี่ยว", phone=PHONE)
    contact = erase_contact(person=world["contact"], by=root, reason="คำขอ PDPA")

    assert (contact.name, contact.phone, contact.email) == (f"ผู้ติดต่อ #{contact.pk}", "", "")
    last = contact.history.order_by("-history_id").first()
    assert last.history_user == root and "คำขอ PDPA" in last.history_change_reason
    assert not Person.history.filter(id=contact.pk, name=NAME).exists()
    # Another contact who shares the office's number keeps it.
    assert Person.objects.get(pk=other.pk).phone == PHONE
    for lang, label in (("th", f"ผู้ติดต่อ #{contact.pk}"), ("en", f"Contact #{contact.pk}")):
        page = rendered(
            _signed_in(personas.officer_a, lang),
            reverse("project-detail", args=[world["project"].code]),
        )
        assert label in page and PHONE not in page
        history = rendered(
            _signed_in(personas.approver_a, lang),
            reverse("project-history", args=[world["project"].code]),
        )
        assert label in history


def test_contacts_are_erased_from_the_admin_site(world: dict[str, Any], root: User) -> None:
    contact = world["contact"]
    _signed_in(root, "th").post(
        "/admin/orgs/person/",
        {
            "action": "erase_contact",
            "_selected_action": [contact.pk],
            "apply": "1",
            "reason": "คำขอ PDPA",
        },
    )
    assert Person.objects.get(pk=contact.pk).name == f"ผู้ติดต่อ #{contact.pk}"
    assert re.fullmatch(r"ผู้ติดต่อ #\d+", str(Person.objects.get(pk=contact.pk)))
