"""Free texts of reports are bounded (tidtam/lib/limits.py): the browser stops the typing, the
form says what is wrong, the actions refuse a longer text naming the field, and the database
has the last word."""

from __future__ import annotations

import html

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from tidtam.lib import limits
from tidtam.lib.limits import refuse_longer_rows
from tidtam.projects.models import Project
from tidtam.reporting import actions
from tidtam.reporting.models import ProgressReport
from tidtam.reporting.tests.conftest import MakeReport, form_data, values
from tidtam.test import Personas

pytestmark = pytest.mark.django_db

# A million characters in one field; in Thai (3 bytes each) the request itself is too large
# (DATA_UPLOAD_MAX_MEMORY_SIZE) and refused with a 400: see test_a_million_thai_characters_*.
MILLION = "x" * 1_000_000


def test_the_report_form_stops_the_typing_at_the_limit(
    client: Client, project: Project, personas: Personas
) -> None:
    client.force_login(personas.officer_a)
    page = client.get(f"/projects/{project.code}/reports/new/").content.decode()
    assert f'maxlength="{limits.NARRATIVE}"' in page
    assert f'maxlength="{limits.PARAGRAPH}"' in page


@pytest.mark.parametrize("narrative", [MILLION, "ก" * (limits.NARRATIVE + 1)])
def test_a_narrative_past_the_limit_is_refused_by_the_form_and_nothing_is_saved(
    client: Client, project: Project, personas: Personas, narrative: str
) -> None:
    client.force_login(personas.officer_a)
    response = client.post(f"/projects/{project.code}/reports/new/", form_data(narrative=narrative))
    assert response.status_code == 200
    assert f"{limits.NARRATIVE:,}".replace(",", "") in html.unescape(
        response.content.decode()
    ).replace(",", "")
    assert not ProgressReport.objects.exists()


def test_a_narrative_at_the_limit_is_kept(
    client: Client, project: Project, personas: Personas
) -> None:
    client.force_login(personas.officer_a)
    client.post(
        f"/projects/{project.code}/reports/new/", form_data(narrative="ก" * limits.NARRATIVE)
    )
    assert len(ProgressReport.objects.get().narrative) == limits.NARRATIVE


def test_the_actions_refuse_a_text_past_the_limit_naming_the_field(
    project: Project, personas: Personas, make_report: MakeReport
) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_report(
            project=project, values=values(narrative=MILLION), by=personas.officer_a
        )
    [message] = caught.value.message_dict["narrative"]
    assert "1,000,000" in message and f"{limits.NARRATIVE:,}" in message
    assert not ProgressReport.objects.exists()

    report = make_report(project, status="submitted")
    with pytest.raises(ValidationError) as caught:
        actions.return_report(report=report, by=personas.approver_a, comment=MILLION)
    assert "review_comment" in caught.value.message_dict
    report.refresh_from_db()
    assert report.status == "submitted" and report.review_comment == ""


def test_a_returned_comment_past_the_limit_is_refused_on_the_page(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project, status="submitted")
    client.force_login(personas.approver_a)
    response = client.post(
        f"/reports/{report.pk}/return/", {"comment": MILLION, "version": str(report.version)}
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == "submitted"


def test_the_database_refuses_a_text_past_the_limit(
    project: Project, make_report: MakeReport
) -> None:
    report = make_report(project)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.filter(pk=report.pk).update(narrative="ก" * (limits.NARRATIVE + 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.filter(pk=report.pk).update(problems="x" * (limits.PARAGRAPH + 1))


def test_a_million_thai_characters_are_too_large_a_request_and_change_nothing(
    client: Client, project: Project, personas: Personas
) -> None:
    client.force_login(personas.officer_a)
    response = client.post(
        f"/projects/{project.code}/reports/new/", form_data(narrative="ก" * 1_000_000)
    )
    assert response.status_code == 400
    assert not ProgressReport.objects.exists()


def test_the_migration_stops_on_rows_longer_than_a_new_limit_naming_them(
    project: Project, make_report: MakeReport
) -> None:
    report = make_report(project)
    refuse_longer_rows("reporting", "progressreport", {"narrative": limits.NARRATIVE})(apps, None)
    with pytest.raises(
        RuntimeError, match=rf"narrative longer than 5 characters in rows {report.pk}"
    ):
        refuse_longer_rows("reporting", "progressreport", {"narrative": 5})(apps, None)
