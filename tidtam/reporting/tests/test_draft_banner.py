"""The draft banner names who can see a draft, from the rule that decides it: the agency's
officers and approvers, and the evaluators, executives and administrators."""

from __future__ import annotations

import html

from django.test import Client

from tidtam.accounts.models import AGENCY_ROLES, Role
from tidtam.projects.models import Project
from tidtam.reporting.tests.conftest import MakeReport
from tidtam.test import Personas, make_member

BANNER = "ฉบับร่าง: ยังไม่เผยแพร่ต่อสาธารณะจนกว่าจะส่งและได้รับอนุมัติ"


def test_the_banner_names_every_role_that_can_see_the_draft(
    client: Client, personas: Personas, project: Project, make_report: MakeReport
) -> None:
    draft = make_report(project)
    client.force_login(personas.executive)
    page = html.unescape(client.get(f"/reports/{draft.pk}/").content.decode())
    banner = page[page.index(BANNER) :].split("</p>")[0]
    assert "เจ้าหน้าที่หน่วยงาน และ ผู้อนุมัติของหน่วยงาน ของสำนักทดสอบเอ" in banner
    assert "ผู้ประเมินผล, ผู้บริหาร และ ผู้ดูแลระบบ" in banner
    client.cookies["django_language"] = "en"
    page = html.unescape(client.get(f"/reports/{draft.pk}/").content.decode())
    assert (
        "Until then only these roles can see it: agency officer and agency approver of "
        "สำนักทดสอบเอ; evaluator, executive and administrator."
    ) in page


THAI_LABELS = {
    Role.OFFICER: "เจ้าหน้าที่หน่วยงาน",
    Role.APPROVER: "ผู้อนุมัติของหน่วยงาน",
    Role.EVALUATOR: "ผู้ประเมินผล",
    Role.EXECUTIVE: "ผู้บริหาร",
    Role.ADMINISTRATOR: "ผู้ดูแลระบบ",
}


def test_every_role_that_can_open_the_draft_is_named_and_no_one_else(
    client: Client, personas: Personas, project: Project, make_report: MakeReport
) -> None:
    draft = make_report(project)
    client.force_login(personas.officer_a)
    page = html.unescape(client.get(f"/reports/{draft.pk}/").content.decode())
    banner = page[page.index(BANNER) :].split("</p>")[0]
    for role in Role:
        in_agency = role in AGENCY_ROLES
        user = make_member(f"probe_{role.value}", role, project.agency if in_agency else None)
        reader = Client()
        reader.force_login(user)
        sees = reader.get(f"/reports/{draft.pk}/").status_code == 200
        assert sees == (THAI_LABELS[role] in banner), role
    # Another agency's officers and approvers, and the public, cannot: they are not named.
    for outsider in (personas.officer_b, personas.approver_b):
        reader = Client()
        reader.force_login(outsider)
        assert reader.get(f"/reports/{draft.pk}/").status_code == 404
    assert Client().get(f"/reports/{draft.pk}/").status_code == 404
    assert "สำนักทดสอบบี" not in banner
