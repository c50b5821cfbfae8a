"""A report holds a limited number of files, of a limited size in all, counting the files it
already holds; a save that would pass a limit keeps none of the files sent."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tidtam.projects.models import Project
from tidtam.reporting import actions
from tidtam.reporting.attachments import room_errors
from tidtam.reporting.models import ProgressReport, ReportAttachment
from tidtam.reporting.tests.conftest import PDF_BYTES, MakeReport, form_data, values
from tidtam.test import Personas

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def limits(settings: Any) -> None:
    """Small limits, so that the test does not move hundreds of megabytes: 1 MB a file, 3
    files and 2 MB a report."""
    settings.TIDTAM_ATTACHMENT_MAX_MB = 1
    settings.TIDTAM_ATTACHMENTS_PER_REPORT = 3
    settings.TIDTAM_ATTACHMENTS_TOTAL_MB = 2


def pdf(name: str, size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES + b"\0" * (size - len(PDF_BYTES)))


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


def test_the_limits_count_the_files_already_attached(settings: Any) -> None:
    settings.TIDTAM_ATTACHMENTS_PER_REPORT = 10
    settings.TIDTAM_ATTACHMENTS_TOTAL_MB = 50
    assert room_errors([10 * MB, 10 * MB], [10 * MB] * 3) == []
    assert "50 MB" in room_errors([10 * MB, 10 * MB], [10 * MB] * 4)[0]
    thirty = room_errors([], [10 * MB] * 30)
    assert len(thirty) == 2 and "10" in thirty[0] and "50" in thirty[1]
    assert room_errors([MB] * 10, []) == []


def test_files_that_would_pass_the_total_are_all_refused_on_the_page(
    client: Client, project: Project, personas: Personas, make_report: MakeReport, media: Path
) -> None:
    report = make_report(project)
    actions.add_attachment(report=report, upload=pdf("first.pdf", MB), by=personas.officer_a)
    client.force_login(personas.officer_a)
    data = form_data(version=str(report.version))
    data["attachments"] = [pdf("a.pdf", MB // 2), pdf("b.pdf", MB // 2 + 1)]
    response = client.post(f"/reports/{report.pk}/edit/", data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "ไม่เกิน 2 MB" in page
    assert list(report.attachments.values_list("original_name", flat=True)) == ["first.pdf"]
    assert len(stored_files(media)) == 1


def test_more_files_than_a_report_holds_are_all_refused_on_the_page(
    client: Client, project: Project, personas: Personas, media: Path
) -> None:
    client.force_login(personas.officer_a)
    data = form_data()
    data["attachments"] = [pdf(f"{n}.pdf", 1000) for n in range(4)]
    response = client.post(f"/projects/{project.code}/reports/new/", data)
    assert "ไม่เกิน 3 ไฟล์" in html.unescape(response.content.decode())
    assert not ProgressReport.objects.exists() and stored_files(media) == []


def test_the_actions_refuse_files_past_the_limits_and_keep_none(
    project: Project, personas: Personas, make_report: MakeReport, media: Path
) -> None:
    with pytest.raises(ValidationError, match="ไม่เกิน 2 MB"):
        actions.create_report(
            project=project,
            values=values(),
            files=[pdf("a.pdf", MB), pdf("b.pdf", MB), pdf("c.pdf", 10)],
            by=personas.officer_a,
        )
    assert not ProgressReport.objects.exists() and stored_files(media) == []

    report = make_report(project)
    for n in range(3):
        actions.add_attachment(report=report, upload=pdf(f"{n}.pdf", 100), by=personas.officer_a)
    with pytest.raises(ValidationError, match="ไม่เกิน 3 ไฟล์"):
        actions.add_attachment(report=report, upload=pdf("4.pdf", 100), by=personas.officer_a)
    with pytest.raises(ValidationError, match="ไม่เกิน 3 ไฟล์"):
        actions.update_report(
            report=report,
            expected_version=report.version,
            values=values(),
            files=[pdf("5.pdf", 100)],
            by=personas.officer_a,
        )
    assert ReportAttachment.objects.count() == 3 and len(stored_files(media)) == 3


def test_a_request_with_too_many_files_is_refused_without_a_server_error(
    client: Client, project: Project, personas: Personas, settings: Any
) -> None:
    client.force_login(personas.officer_a)
    data = form_data()
    data["attachments"] = [
        pdf(f"{n}.pdf", 100) for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    response = client.post(f"/projects/{project.code}/reports/new/", data)
    assert response.status_code == 400
    assert not ProgressReport.objects.exists()
