"""Deleting needs a confirmation that works without JavaScript: the delete button leads to a
page saying what goes, whose button posts the deletion."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tidtam.projects.models import BudgetInstalment, Project
from tidtam.reporting import actions
from tidtam.reporting.models import ProgressReport, ReportAttachment
from tidtam.reporting.tests.conftest import PDF_BYTES, MakeReport
from tidtam.test import Personas

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_the_delete_button_of_a_draft_leads_to_a_confirmation(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project)
    client.force_login(personas.officer_a)
    url = reverse("report-delete", args=[report.pk])
    detail = text(client.get(reverse("report-detail", args=[report.pk])))
    assert f'href="{url}"' in detail and "onsubmit" not in detail
    confirm = text(client.get(url))
    assert "ลบร่างรายงานของเดือน ม.ค. 2563 หรือไม่" in confirm
    assert '<form method="post"' in confirm
    assert ProgressReport.objects.filter(pk=report.pk).exists()
    assert client.post(url).status_code == 302
    assert not ProgressReport.objects.filter(pk=report.pk).exists()


def test_removing_a_file_is_confirmed_first(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = make_report(project)
    attachment = actions.add_attachment(
        report=report, upload=SimpleUploadedFile("ใบเสร็จ.pdf", PDF_BYTES), by=personas.officer_a
    )
    client.force_login(personas.officer_a)
    url = reverse("report-attachment-delete", args=[report.pk, attachment.pk])
    assert f'href="{url}"' in text(client.get(reverse("report-detail", args=[report.pk])))
    assert "“ใบเสร็จ.pdf”" in text(client.get(url))
    assert ReportAttachment.objects.exists()
    client.post(url)
    assert not ReportAttachment.objects.exists()


def test_removing_an_instalment_is_confirmed_first(
    client: Client, project: Project, personas: Personas
) -> None:
    from datetime import date

    instalment = BudgetInstalment.objects.create(
        project=project, released_on=date(2019, 11, 1), amount=Decimal(2500)
    )
    client.force_login(personas.officer_a)
    url = reverse("instalment-delete", args=[project.code, instalment.pk])
    budget = text(client.get(reverse("project-budget", args=[project.code])))
    assert f'href="{url}"' in budget
    # On a phone each instalment is a card headed by its date, its amount named.
    assert '<table class="list reflow">' in budget
    assert '<td class="name">1 พ.ย. 2562</td>' in budget and 'data-label="จำนวนเงิน' in budget
    assert "2,500.00" in text(client.get(url)) and "1 พ.ย. 2562" in text(client.get(url))
    assert BudgetInstalment.objects.exists()
    client.post(url)
    assert not BudgetInstalment.objects.exists()


def test_a_confirmation_page_is_refused_to_whoever_may_not_delete(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project)
    client.force_login(personas.approver_a)
    assert client.get(reverse("report-delete", args=[report.pk])).status_code == 403
