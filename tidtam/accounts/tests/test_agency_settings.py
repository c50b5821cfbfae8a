"""An agency's approver chooses which contact phone numbers the public sees."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from tidtam.orgs.models import Agency, Person
from tidtam.projects.models import ProjectContact
from tidtam.test import Personas, make_project

URL = "/agencies/99990000/settings/"
MANAGERS = {"approver_a", "administrator"}


def add_contacts(agency: Agency) -> tuple[Person, Person]:
    project = make_project(agency=agency)
    first = Person.objects.create(agency=agency, name="น.ส.นฤมล ไวว่อง", phone="02-111-1460")
    second = Person.objects.create(agency=agency, name="นายสมศักดิ์ รักงาน", phone="081-222-3333")
    ProjectContact.objects.create(project=project, person=first, order=0)
    ProjectContact.objects.create(project=project, person=second, order=1)
    return first, second


def public_project_page() -> str:
    response = Client().get("/projects/99990000-0001/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_only_the_agencys_approvers_and_administrators_may_open_its_settings(
    client: Client, personas: Personas
) -> None:
    for name, user in personas.by_name().items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(URL)
        if user is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == (200 if name in MANAGERS else 403), name


@pytest.mark.django_db
def test_an_unknown_agency_is_a_404(client: Client, personas: Personas) -> None:
    client.force_login(personas.administrator)
    assert client.get("/agencies/12345678/settings/").status_code == 404


@pytest.mark.django_db
def test_the_public_sees_no_personal_phone_until_the_agency_publishes_them(
    client: Client, personas: Personas
) -> None:
    add_contacts(personas.agency_a)
    text = public_project_page()
    assert "น.ส.นฤมล ไวว่อง" in text and "02-111-1460" not in text and "081-222-3333" not in text

    client.force_login(personas.approver_a)
    response = client.post(
        URL, {"publish_contact_phones": "on", "reason": "ให้ประชาชนติดต่อได้"}, follow=True
    )

    assert "บันทึกการตั้งค่าการเผยแพร่แล้ว" in response.content.decode()
    agency = Agency.objects.get(code="99990000")
    assert agency.publish_contact_phones
    last = agency.history.latest("history_id")
    assert last.history_user == personas.approver_a
    assert last.history_change_reason == "ให้ประชาชนติดต่อได้"
    text = public_project_page()
    assert "02-111-1460" in text and "081-222-3333" in text


@pytest.mark.django_db
def test_one_persons_phone_can_be_public_while_the_others_stay_private(
    client: Client, personas: Personas
) -> None:
    _first, second = add_contacts(personas.agency_a)
    client.force_login(personas.administrator)

    client.post(URL, {"public_people": [str(second.pk)]})

    assert list(Person.objects.filter(phone_public=True)) == [second]
    assert not Agency.objects.get(code="99990000").publish_contact_phones
    text = public_project_page()
    assert "081-222-3333" in text and "02-111-1460" not in text
    second.refresh_from_db()
    assert second.history.latest("history_id").history_user == personas.administrator


@pytest.mark.django_db
def test_unpublishing_hides_the_phone_again_and_insiders_always_see_it(
    client: Client, personas: Personas
) -> None:
    first, _second = add_contacts(personas.agency_a)
    Person.objects.filter(pk=first.pk).update(phone_public=True)
    assert "02-111-1460" in public_project_page()
    client.force_login(personas.approver_a)

    client.post(URL, {})

    assert "02-111-1460" not in public_project_page()
    client.force_login(personas.officer_a)
    assert "02-111-1460" in html.unescape(client.get("/projects/99990000-0001/").content.decode())


@pytest.mark.django_db
def test_another_agencys_person_is_refused_next_to_the_field_and_nothing_changes(
    client: Client, personas: Personas
) -> None:
    add_contacts(personas.agency_a)
    outsider = Person.objects.create(agency=personas.agency_b, name="นายบี", phone="099")
    client.force_login(personas.approver_a)

    response = client.post(URL, {"publish_contact_phones": "on", "public_people": [outsider.pk]})

    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert f"{outsider.pk} ไม่ใช่ผู้ติดต่อของหน่วยงานนี้" in text
    assert "ไม่ได้บันทึกข้อมูล" in text
    assert not Agency.objects.get(code="99990000").publish_contact_phones
    assert not Person.objects.filter(phone_public=True).exists()


@pytest.mark.django_db
def test_a_refused_user_changes_nothing(client: Client, personas: Personas) -> None:
    add_contacts(personas.agency_a)
    for user in (personas.officer_a, personas.approver_b, personas.evaluator):
        client.force_login(user)
        assert client.post(URL, {"publish_contact_phones": "on"}).status_code == 403
    assert Client().post(URL, {"publish_contact_phones": "on"}).status_code == 302
    assert not Agency.objects.get(code="99990000").publish_contact_phones


@pytest.mark.django_db
def test_saving_unchanged_settings_writes_no_history(client: Client, personas: Personas) -> None:
    add_contacts(personas.agency_a)
    client.force_login(personas.approver_a)
    rows = Agency.history.count() + Person.history.count()

    response = client.post(URL, {}, follow=True)

    assert "ไม่มีการเปลี่ยนแปลง" in response.content.decode()
    assert Agency.history.count() + Person.history.count() == rows


@pytest.mark.django_db
@pytest.mark.parametrize("people", [3, 60])
def test_the_settings_page_takes_the_same_queries_for_few_or_many_people(
    client: Client, personas: Personas, people: int, django_assert_max_num_queries: object
) -> None:
    Person.objects.bulk_create(
        Person(agency=personas.agency_a, name=f"ผู้ติดต่อ {n:03}", phone=f"02-000-{n:04}")
        for n in range(people)
    )
    client.force_login(personas.approver_a)

    with django_assert_max_num_queries(7):  # type: ignore[operator]
        response = client.get(URL)

    page = html.unescape(response.content.decode())
    assert page.count('name="public_people"') == people
    # On a phone each person is a card: the tick box, then the phone named.
    assert '<table class="list people reflow">' in page
    assert page.count('data-label="โทรศัพท์">02-000-') == people
