"""Only an agency's approvers (and administrators) make a contact's phone number public: not
through the project form, not through the actions the API and importers call."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client

from tidtam.accounts import actions as account_actions
from tidtam.accounts.models import Membership, Role
from tidtam.orgs.models import Person
from tidtam.projects import actions
from tidtam.projects.actions import ContactInput
from tidtam.projects.models import Project
from tidtam.projects.tests.test_data_entry import project_post
from tidtam.test import Personas, make_member

pytestmark = pytest.mark.django_db

REFUSAL = "เฉพาะผู้อนุมัติของหน่วยงานหรือผู้ดูแลระบบ"
CODE = "99990000-0100"


@pytest.fixture
def both(personas: Personas) -> User:
    user = make_member("both", Role.OFFICER, personas.agency_a)
    Membership.objects.create(user=user, role=Role.APPROVER, agency=personas.agency_a)
    return user


def _create(client: Client, personas: Personas, **overrides: Any) -> Any:
    return client.post(
        "/projects/new/", project_post(agency=personas.agency_a.pk, **overrides), follow=True
    )


def _input(project: Project, *contacts: ContactInput) -> actions.ProjectInput:
    return actions.ProjectInput(
        name=project.name,
        fiscal_year=project.fiscal_year_id,
        objectives=["เพื่อความปลอดภัย"],
        targets=["ทางเท้า"],
        contacts=list(contacts),
    )


def test_an_officer_cannot_publish_a_phone_through_the_project_form(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.officer_a)
    page = html.unescape(client.get("/projects/new/").content.decode())
    assert "เฉพาะผู้อนุมัติของหน่วยงานเป็นผู้เผยแพร่หมายเลขโทรศัพท์" in page
    assert 'name="contact-0-phone_public"' in page and "disabled" in page
    _create(client, personas, **{"contact-0-phone_public": "on"})
    person = Person.objects.get(name="นายสมชาย ใจดี")
    assert not person.phone_public

    # Editing the project later with the box ticked in the request changes nothing either.
    data = {
        **project_post(agency=personas.agency_a.pk),
        "version": "1",
        "contact-TOTAL_FORMS": "1",
        "contact-0-phone_public": "on",
    }
    client.post(f"/projects/{CODE}/edit/", data)
    person.refresh_from_db()
    assert not person.phone_public


def test_an_approver_who_enters_projects_publishes_a_phone_through_the_form(
    client: Client, personas: Personas, both: User
) -> None:
    client.force_login(both)
    _create(client, personas, **{"contact-0-phone_public": "on"})
    assert Person.objects.get(name="นายสมชาย ใจดี").phone_public


def test_an_officer_keeps_a_phone_an_approver_published_when_saving_the_project(
    client: Client, personas: Personas, both: User
) -> None:
    client.force_login(both)
    _create(client, personas, **{"contact-0-phone_public": "on"})
    officer = Client()
    officer.force_login(personas.officer_a)
    data = {
        **project_post(agency=personas.agency_a.pk, name="ชื่อใหม่"),
        "version": "1",
        "contact-TOTAL_FORMS": "1",
    }
    assert officer.post(f"/projects/{CODE}/edit/", data).status_code == 302
    assert Person.objects.get(name="นายสมชาย ใจดี").phone_public


def test_the_project_actions_refuse_an_officer_who_publishes_a_phone(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.officer_a)
    _create(client, personas)
    project = personas.agency_a.projects.get(code=CODE)
    published = ContactInput(name="นายสมชาย ใจดี", phone="02 123 4567", phone_public=True)
    with pytest.raises(ValidationError, match=REFUSAL):
        actions.update_project(
            project=project,
            expected_version=project.version,
            data=_input(project, published),
            by=personas.officer_a,
        )
    newcomer = ContactInput(name="นางสาวใหม่", phone="089 000 0000", phone_public=True)
    with pytest.raises(ValidationError, match=REFUSAL):
        actions.update_project(
            project=project,
            expected_version=project.version,
            data=_input(project, newcomer),
            by=personas.officer_a,
        )
    assert not Person.objects.filter(phone_public=True).exists()
    assert not Person.objects.filter(name="นางสาวใหม่").exists()

    # Hiding a number is anyone's who may edit the contact.
    Person.objects.update(phone_public=True)
    hidden = ContactInput(name="นายสมชาย ใจดี", phone="02 123 4567", phone_public=False)
    actions.update_project(
        project=project,
        expected_version=project.version,
        data=_input(project, hidden),
        by=personas.officer_a,
    )
    assert not Person.objects.filter(phone_public=True).exists()


def test_the_publication_action_refuses_an_officer(personas: Personas) -> None:
    person = Person.objects.create(agency=personas.agency_a, name="นายสมชาย", phone="02 1")
    for publish_phones, public_people in ((True, []), (False, [person.pk])):
        with pytest.raises(ValidationError, match=REFUSAL):
            account_actions.set_contact_publication(
                agency=personas.agency_a,
                publish_phones=publish_phones,
                public_people=public_people,
                by=personas.officer_a,
            )
    person.refresh_from_db()
    personas.agency_a.refresh_from_db()
    assert not person.phone_public and not personas.agency_a.publish_contact_phones
    account_actions.set_contact_publication(
        agency=personas.agency_a,
        publish_phones=False,
        public_people=[person.pk],
        by=personas.approver_a,
    )
    person.refresh_from_db()
    assert person.phone_public
