from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client

from tidtam.accounts.access import access_for
from tidtam.accounts.models import Membership, Role
from tidtam.projects.models import Project
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.test import Personas, make_project, make_user, signs_in


@pytest.mark.django_db
def test_an_officer_signs_in_and_out_through_the_site(client: Client, personas: Personas) -> None:
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert "เข้าสู่ระบบ" in page.content.decode()
    response = client.post(
        "/accounts/login/", {"username": "officer_a", "password": "pw-for-tests"}, follow=True
    )
    assert response.context["user"] == personas.officer_a
    assert client.get("/me/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/me/").status_code == 302


@pytest.mark.django_db
def test_a_wrong_password_gets_a_thai_message_and_no_session(
    client: Client, personas: Personas
) -> None:
    response = client.post("/accounts/login/", {"username": "officer_a", "password": "wrong"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_sends_a_working_link_by_email(client: Client, personas: Personas) -> None:
    client.post("/accounts/password_reset/", {"email": "officer_a@example.test"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", str(mail.outbox[0].body))
    assert link is not None
    form = client.get(link[1], follow=True)
    new = {"new_password1": "ตั้งใหม่-2569-long", "new_password2": "ตั้งใหม่-2569-long"}
    client.post(form.redirect_chain[-1][0], new)
    assert signs_in("officer_a", "ตั้งใหม่-2569-long")


@pytest.mark.django_db
def test_a_signed_in_user_changes_their_password(client: Client, personas: Personas) -> None:
    client.force_login(personas.officer_a)
    client.post(
        "/accounts/password_change/",
        {
            "old_password": "pw-for-tests",
            "new_password1": "another-long-pass-42",
            "new_password2": "another-long-pass-42",
        },
    )
    assert signs_in("officer_a", "another-long-pass-42")


@pytest.mark.django_db
def test_access_reads_roles_from_memberships(personas: Personas) -> None:
    a, b = personas.agency_a.pk, personas.agency_b.pk
    officer = access_for(personas.officer_a)
    assert officer.edits_agency(a) and not officer.edits_agency(b)
    assert not officer.approves_agency(a) and not officer.reads_all
    assert access_for(personas.approver_a).approves_agency(a)
    assert not access_for(personas.approver_a).edits_agency(a)
    for reader in (personas.evaluator, personas.executive, personas.administrator):
        assert access_for(reader).reads_all
    assert access_for(None).agencies == frozenset()
    assert not access_for(personas.no_role).reads_agency(a)


@pytest.mark.django_db
def test_unpublished_work_is_seen_only_inside_its_agency(personas: Personas) -> None:
    hidden = make_project(code=f"{personas.agency_a.code}-0001", published=False)
    draft = ProgressReport.objects.create(
        project=make_project(code=f"{personas.agency_a.code}-0002"),
        report_date="2020-01-31",
        percent=10,
        status=ReportStatus.SUBMITTED,
        origin="manual",
    )
    expected = {
        "public": False,
        "no_role": False,
        "officer_a": True,
        "approver_a": True,
        "officer_b": False,
        "approver_b": False,
        "evaluator": True,
        "executive": True,
        "administrator": True,
    }
    for name, user in personas.by_name().items():
        sees_project = Project.objects.visible_to(user).filter(pk=hidden.pk).exists()
        sees_report = ProgressReport.objects.visible_to(user).filter(pk=draft.pk).exists()
        assert (sees_project, sees_report) == (expected[name], expected[name]), name


@pytest.mark.django_db
def test_officers_and_approvers_need_an_agency_and_city_roles_have_none(personas: Personas) -> None:
    user = make_user("x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.OFFICER, agency=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.EVALUATOR, agency=personas.agency_a)
