"""Roles given and taken through the admin site are audited, and administrators can read it."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.forms import MultiWidget
from django.test import Client

from tidtam.accounts.models import Membership, Role
from tidtam.test import Personas, make_user


@pytest.fixture
def root(db: None) -> User:
    return make_user("root", first_name="ผู้ดูแล", last_name="ระบบ", is_staff=True, is_superuser=True)


def history_of(user: User) -> list[tuple[str, str, Any]]:
    rows = Membership.history.filter(user_id=user.pk).order_by("history_id")
    return [(r.history_type, r.role, r.history_user) for r in rows]


@pytest.mark.django_db
def test_membership_changes_in_the_admin_site_are_recorded_with_the_administrator(
    client: Client, personas: Personas, root: User
) -> None:
    newcomer = make_user("newcomer")
    client.force_login(root)
    added = {"user": newcomer.pk, "role": Role.OFFICER, "agency": personas.agency_a.pk}

    client.post("/admin/accounts/membership/add/", added)
    membership = Membership.objects.get(user=newcomer)
    client.post(
        f"/admin/accounts/membership/{membership.pk}/change/", {**added, "role": Role.APPROVER}
    )
    client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})

    assert not Membership.objects.filter(user=newcomer).exists()
    assert history_of(newcomer) == [
        ("+", Role.OFFICER, root),
        ("~", Role.APPROVER, root),
        ("-", Role.APPROVER, root),
    ]


def _form_data(response: Any) -> dict[str, Any]:
    """The admin change form's fields as the browser would post them back unchanged."""
    data: dict[str, Any] = {}
    for form in [response.context["adminform"].form] + [
        f for formset in response.context["inline_admin_formsets"] for f in formset.formset
    ]:
        for name, field in form.fields.items():
            if field.disabled:
                continue
            value = form[name].value()
            if value is None:
                continue
            widget = field.widget
            if isinstance(widget, MultiWidget):
                for i, part in enumerate(widget.decompress(value) or []):
                    data[f"{form.add_prefix(name)}_{i}"] = part
            else:
                data[form.add_prefix(name)] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return {k: v for k, v in data.items() if v is not False}


@pytest.mark.django_db
def test_a_role_given_on_the_users_own_admin_page_is_recorded_too(
    client: Client, personas: Personas, root: User
) -> None:
    client.force_login(root)
    page = client.get(f"/admin/auth/user/{personas.no_role.pk}/change/")
    data = _form_data(page)
    data.update(
        {
            "memberships-0-role": Role.OFFICER,
            "memberships-0-agency": personas.agency_b.pk,
            "memberships-0-user": personas.no_role.pk,
        }
    )

    response = client.post(f"/admin/auth/user/{personas.no_role.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert history_of(personas.no_role) == [("+", Role.OFFICER, root)]


@pytest.mark.django_db
def test_only_administrators_read_the_membership_history(
    client: Client, personas: Personas
) -> None:
    for name, user in personas.by_name().items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get("/audit/memberships/")
        if user is None:
            assert response.status_code == 302, name
        else:
            assert response.status_code == (200 if name == "administrator" else 403), name


@pytest.mark.django_db
def test_the_membership_history_names_who_gave_which_role_in_which_agency(
    client: Client, personas: Personas, root: User
) -> None:
    client.force_login(root)
    newcomer = make_user("newcomer", first_name="สมหญิง", last_name="ขยัน")
    client.post(
        "/admin/accounts/membership/add/",
        {"user": newcomer.pk, "role": Role.OFFICER, "agency": personas.agency_a.pk},
    )
    client.force_login(personas.administrator)

    response = client.get("/audit/memberships/")

    text = html.unescape(response.content.decode())
    assert "ประวัติการกำหนดบทบาทผู้ใช้" in text
    assert "สมหญิง ขยัน: เจ้าหน้าที่หน่วยงาน · 99990000 สำนักทดสอบเอ" in text
    assert "ผู้ดูแล ระบบ" in text and "สร้าง" in text
    # The personas' memberships were made by the test builders, without a user.
    assert "ระบบนำเข้า" in text


@pytest.mark.django_db
@pytest.mark.parametrize("members", [5, 100])
def test_the_membership_history_takes_the_same_queries_for_few_or_many_changes(
    client: Client, personas: Personas, members: int, django_assert_max_num_queries: Any
) -> None:
    for n in range(members):
        # Without a password: hashing a hundred of them would be most of the test's time.
        user = User.objects.create(username=f"user{n}")
        Membership.objects.create(user=user, role=Role.EXECUTIVE)
    client.force_login(personas.administrator)

    with django_assert_max_num_queries(10):
        response = client.get("/audit/memberships/?page=2")

    assert response.status_code == 200
