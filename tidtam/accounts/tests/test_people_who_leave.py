"""People leave and move; what they did stays on the record, under their name.

A person with records is never deleted (the admin site refuses, and so does the model's own
deletion); deactivating them signs them out everywhere and ends their roles from that day,
keeping the history of roles; moving them to another agency keeps their account and leaves
what they did with the agency they did it for. Every page names a person through one rule
(`tidtam.lib.people.person_name`, the `person` filter), even when there is nobody to name.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.test import Client, RequestFactory
from django.utils import translation

from tidtam.accounts import actions
from tidtam.accounts.models import AccountChange, AccountEvent, Membership, Role
from tidtam.indicators import actions as kpi_actions
from tidtam.indicators.models import KpiResult
from tidtam.indicators.tests.factories import make_kpi
from tidtam.lib.people import person_name
from tidtam.orgs.models import Person
from tidtam.projects.models import Project
from tidtam.reporting import actions as report_actions
from tidtam.reporting.models import ProgressReport
from tidtam.test import Personas, add_steps, make_member, make_project, make_user

pytestmark = pytest.mark.django_db

TODAY = date(2020, 3, 15)


@pytest.fixture(autouse=True)
def today() -> Iterator[date]:
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield TODAY


def as_user(user: Any, lang: str = "th") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = lang
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def project_of(personas: Personas, code: str = "99990000-0001", **extra: Any) -> Project:
    project = make_project(code=code, agency=personas.agency_a, **extra)
    add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    return project


def submitted_report(project: Project, by: User) -> ProgressReport:
    report = report_actions.create_report(
        project=project,
        values=report_actions.ReportValues(
            report_date=date(2020, 3, 10), percent=Decimal(40), narrative="ดำเนินการ"
        ),
        by=by,
    )
    return report_actions.submit_report(report=report, by=by)


@pytest.fixture
def root(db: None) -> User:
    """The administrator of the admin site: the persona's role, and Django's permissions."""
    return make_user("root", first_name="ผู้ดูแล", last_name="ระบบ", is_staff=True, is_superuser=True)


@pytest.fixture
def leaver(personas: Personas) -> User:
    return make_member(
        "somsri.k", Role.OFFICER, personas.agency_a, first_name="สมศรี", last_name="ขยันยิ่ง"
    )


# --- One rule for a person's name ---


def test_a_person_is_named_by_one_rule_for_nobody_the_active_the_deactivated_and_contacts(
    leaver: User,
) -> None:
    assert person_name(None) == ""
    assert person_name(leaver) == "สมศรี ขยันยิ่ง"
    assert person_name(make_user("no_name")) == "no_name"
    leaver.is_active = False
    assert person_name(leaver) == "สมศรี ขยันยิ่ง"  # who did what stays named
    contact = Person(pk=7, agency_id=1, name="นายติดต่อ ได้เสมอ")
    assert person_name(contact) == "นายติดต่อ ได้เสมอ" == str(contact)


def test_my_work_and_the_review_queue_render_when_a_report_names_nobody(
    personas: Personas,
) -> None:
    """A submitter deleted before deletion was refused left reports naming nobody: the
    approver's My work returned a server error for them."""
    project = project_of(personas)
    report = submitted_report(project, personas.officer_a)
    kpi = make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))
    result = kpi_actions.enter_kpi_result(
        kpi=kpi,
        quarter=kpi.fiscal_year.quarters.get(number=1),
        result=Decimal(5),
        narrative="สำรวจ",
        by=personas.officer_a,
    )
    kpi_actions.submit_kpi_result(row=result, by=personas.officer_a)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_by=None, created_by=None)
    KpiResult.objects.filter(pk=result.pk).update(submitted_by=None)
    for lang in ("th", "en"):
        client = as_user(personas.approver_a, lang)
        for url in ("/me/", "/review/", f"/reports/{report.pk}/"):
            assert project.code in page(client, url)


# --- Deleting is refused ---


def test_deleting_a_person_with_records_is_refused_by_the_admin_site_with_the_reason(
    personas: Personas, leaver: User, root: User
) -> None:
    submitted_report(project_of(personas), leaver)
    client = as_user(root, "en")
    url = f"/admin/auth/user/{leaver.pk}/delete/"

    confirmation = page(client, url)
    assert "cannot be deleted" in confirmation and "Deactivate the account" in confirmation
    client.post(url, {"post": "yes"})
    client.post(
        "/admin/auth/user/",
        {"action": "delete_selected", "_selected_action": [leaver.pk], "post": "yes"},
    )
    thai = page(as_user(root, "th"), url)
    assert "ลบไม่ได้" in thai

    assert User.objects.filter(pk=leaver.pk).exists()


def test_the_admins_own_deletion_and_the_models_refuse_a_person_with_records(
    personas: Personas, leaver: User, root: User
) -> None:
    report = submitted_report(project_of(personas), leaver)
    user_admin = site._registry[get_user_model()]
    request = RequestFactory().post("/admin/auth/user/")
    request.user = root

    # Each in its own savepoint: the refusal rolls back the deletion's transaction.
    for delete in (
        lambda: user_admin.delete_model(request, leaver),
        lambda: user_admin.delete_queryset(request, User.objects.filter(pk=leaver.pk)),
        leaver.delete,
    ):
        with pytest.raises(ProtectedError), transaction.atomic():
            delete()

    report.refresh_from_db()
    assert report.submitted_by == leaver and report.created_by == leaver


def test_a_person_without_records_can_still_be_deleted(personas: Personas, root: User) -> None:
    newcomer = make_member("newcomer", Role.OFFICER, personas.agency_a)
    as_user(root).post(f"/admin/auth/user/{newcomer.pk}/delete/", {"post": "yes"})
    assert not User.objects.filter(pk=newcomer.pk).exists()


# --- Deactivation ---


def test_deactivation_signs_the_person_out_ends_their_roles_and_keeps_their_history(
    personas: Personas, leaver: User, root: User
) -> None:
    report = submitted_report(project_of(personas), leaver)
    client = as_user(leaver)
    assert client.get("/me/").status_code == 200

    event = actions.deactivate_user(user=leaver, by=personas.administrator, reason="เกษียณอายุ")

    assert client.get("/me/").status_code == 302  # sent to sign in
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(leaver.pk)
    ]
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert not Membership.objects.filter(user=leaver).exists()
    ended = Membership.history.filter(user_id=leaver.pk).order_by("history_id")
    assert [(r.history_type, r.role, r.agency_id) for r in ended] == [
        ("+", Role.OFFICER, personas.agency_a.pk),
        ("-", Role.OFFICER, personas.agency_a.pk),
    ]
    assert ended.last().history_user == personas.administrator
    assert "เกษียณอายุ" in (ended.last().history_change_reason or "")
    assert (event.change, event.reason) == (AccountChange.DEACTIVATED, "เกษียณอายุ")
    assert event.history.get().history_user == personas.administrator
    report.refresh_from_db()
    assert report.submitted_by == leaver
    assert "สมศรี ขยันยิ่ง" in page(as_user(personas.approver_a), f"/reports/{report.pk}/")
    roles = page(as_user(root, "en"), "/audit/memberships/")
    assert "สมศรี ขยันยิ่ง: deactivated" in roles and "เกษียณอายุ" in roles


def test_a_deactivated_person_cannot_sign_in(leaver: User, personas: Personas) -> None:
    actions.deactivate_user(user=leaver, by=personas.administrator, reason="ลาออก")
    client = Client()
    client.post("/accounts/login/", {"username": "somsri.k", "password": "pw-for-tests"})
    assert client.get("/me/").status_code == 302


def test_deactivation_needs_a_reason_and_an_active_account(
    leaver: User, personas: Personas
) -> None:
    with pytest.raises(ValidationError):
        actions.deactivate_user(user=leaver, by=personas.administrator, reason="  ")
    assert Membership.objects.filter(user=leaver).exists()
    actions.deactivate_user(user=leaver, by=personas.administrator, reason="ลาออก")
    with pytest.raises(ValidationError):
        actions.deactivate_user(user=leaver, by=personas.administrator, reason="ลาออก")
    assert AccountEvent.objects.filter(user=leaver).count() == 1


def test_administrators_deactivate_from_the_user_list_giving_a_reason(
    personas: Personas, leaver: User, root: User
) -> None:
    client = as_user(root, "en")
    chosen = {"action": "deactivate", "_selected_action": [leaver.pk]}
    listed = page(client, "/admin/auth/user/")
    assert "Deactivate (the person left)" in listed and "Move to another agency" in listed

    asked = client.post("/admin/auth/user/", chosen)
    assert asked.status_code == 200 and "Reason" in asked.content.decode()
    refused = client.post("/admin/auth/user/", {**chosen, "apply": "1", "reason": ""})
    assert refused.status_code == 200
    assert User.objects.get(pk=leaver.pk).is_active
    client.post("/admin/auth/user/", {**chosen, "apply": "1", "reason": "ลาออก"})

    assert not User.objects.get(pk=leaver.pk).is_active
    assert AccountEvent.objects.get(user=leaver).history.get().history_user == root
    assert "ลาออก" in page(client, "/admin/accounts/accountevent/")


def test_staff_who_are_not_administrators_cannot_deactivate(
    personas: Personas, leaver: User
) -> None:
    clerk = make_user("clerk", is_staff=True, is_superuser=False)
    clerk.user_permissions.add(*_user_permissions())
    client = as_user(clerk)
    client.post(
        "/admin/auth/user/",
        {"action": "deactivate", "_selected_action": [leaver.pk], "apply": "1", "reason": "x"},
    )
    assert User.objects.get(pk=leaver.pk).is_active


def _user_permissions() -> list[Any]:
    from django.contrib.auth.models import Permission

    return list(
        Permission.objects.filter(content_type__app_label="auth", codename__endswith="user")
    )


# --- Moving to another agency ---


def test_a_person_who_moves_keeps_their_account_and_their_work_stays_with_the_old_agency(
    personas: Personas, leaver: User
) -> None:
    old = project_of(personas, published=False)
    report = submitted_report(old, leaver)
    new = make_project(code="99980000-0001", agency=personas.agency_b, published=False)

    actions.move_to_agency(
        user=leaver, agency=personas.agency_b, by=personas.administrator, reason="ย้ายสังกัด"
    )

    assert list(Membership.objects.filter(user=leaver).values_list("role", "agency")) == [
        (Role.OFFICER, personas.agency_b.pk)
    ]
    history = Membership.history.filter(user_id=leaver.pk).order_by("history_id")
    assert [(r.history_type, r.agency_id) for r in history] == [
        ("+", personas.agency_a.pk),
        ("-", personas.agency_a.pk),
        ("+", personas.agency_b.pk),
    ]
    # What they did for agency A: still theirs, still agency A's, seen by agency A only.
    report.refresh_from_db()
    assert report.submitted_by == leaver
    assert "สมศรี ขยันยิ่ง" in page(as_user(personas.approver_a), f"/reports/{report.pk}/")
    assert "สมศรี ขยันยิ่ง" in page(as_user(personas.approver_a), "/review/")
    assert as_user(personas.approver_b).get(f"/reports/{report.pk}/").status_code == 404
    moved = as_user(leaver)
    assert moved.get(f"/reports/{report.pk}/").status_code == 404
    assert moved.get(f"/projects/{old.code}/edit/").status_code == 404
    assert moved.get(f"/projects/{new.code}/edit/").status_code == 200
    event = AccountEvent.objects.get(user=leaver)
    assert (event.change, event.agency) == (AccountChange.MOVED, personas.agency_b)


def test_moving_to_the_same_agency_or_without_an_agency_role_is_refused(
    personas: Personas, leaver: User
) -> None:
    with pytest.raises(ValidationError):
        actions.move_to_agency(
            user=leaver, agency=personas.agency_a, by=personas.administrator, reason="ย้าย"
        )
    with pytest.raises(ValidationError):
        actions.move_to_agency(
            user=personas.evaluator,
            agency=personas.agency_a,
            by=personas.administrator,
            reason="ย้าย",
        )
    assert not AccountEvent.objects.filter(user__in=[leaver, personas.evaluator]).exists()


def test_administrators_move_a_person_from_the_user_list(
    personas: Personas, leaver: User, root: User
) -> None:
    client = as_user(root, "en")
    client.post(
        "/admin/auth/user/",
        {
            "action": "move_to_agency",
            "_selected_action": [leaver.pk],
            "apply": "1",
            "agency": personas.agency_b.pk,
            "reason": "ย้ายสังกัด",
        },
    )
    assert Membership.objects.get(user=leaver).agency == personas.agency_b


def test_the_label_of_an_erased_person_speaks_the_readers_language(leaver: User) -> None:
    leaver.username = f"erased-{leaver.pk}"
    with translation.override("en"):
        assert person_name(leaver) == f"Officer #{leaver.pk}"
    with translation.override("th"):
        assert person_name(leaver) == f"เจ้าหน้าที่ #{leaver.pk}"
