"""Attachments: PDF, PNG and JPEG only, told by their content; a size limit; kept through the
storage API under names of Tidtam's choosing; handed out only through the access-checked view
with their original names."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tidtam.projects.models import Project
from tidtam.reporting import actions
from tidtam.reporting.attachments import check_file, clean_name
from tidtam.reporting.models import ProgressReport, ReportAttachment, ReportStatus
from tidtam.reporting.tests.conftest import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    MakeReport,
    form_data,
)
from tidtam.test import Personas

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("แผนงาน.pdf", PDF_BYTES, "application/pdf"),
        ("ภาพถ่าย.PNG", PNG_BYTES, "image/png"),
        ("site.jpg", JPEG_BYTES, "image/jpeg"),
        ("site.jpeg", JPEG_BYTES, "image/jpeg"),
    ],
)
def test_pdf_png_and_jpeg_files_are_kept_and_served_under_their_own_names(
    client: Client,
    project: Project,
    personas: Personas,
    make_report: MakeReport,
    media: Path,
    name: str,
    content: bytes,
    content_type: str,
) -> None:
    report = make_report(project)
    attachment = actions.add_attachment(
        report=report, upload=upload(name, content), by=personas.officer_a
    )
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == personas.officer_a
    # Stored under MEDIA_ROOT through the storage API, never under the name sent.
    assert attachment.stored_name.startswith(f"reports/{project.pk}/{report.pk}/")
    assert name not in attachment.stored_name
    assert default_storage.exists(attachment.stored_name)
    assert (media / attachment.stored_name).read_bytes() == content

    client.force_login(personas.officer_a)
    response = client.get(f"/reports/{report.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content  # type: ignore[attr-defined]
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f'filename="{name}"' in disposition or f"filename*=utf-8''{quote(name)}" in disposition
    assert attachment.history.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.html", b"<html><script>alert(1)</script>", "ไม่ใช่ PDF, PNG หรือ JPEG"),
        ("report.docx", b"PK\x03\x04" + b"\x00" * 32, "ไม่ใช่ PDF, PNG หรือ JPEG"),
        ("fake.pdf", b"<html>not a pdf</html>", "ไม่ตรงกับชนิดตามชื่อไฟล์"),
        ("photo.png", JPEG_BYTES, "ไม่ตรงกับชนิดตามชื่อไฟล์"),
        ("photo.jpg", b"GIF89a" + b"\x00" * 32, "ไม่ตรงกับชนิดตามชื่อไฟล์"),
        ("empty.pdf", b"", "ว่างเปล่า"),
    ],
)
def test_files_that_are_not_really_pdf_png_or_jpeg_are_refused(
    project: Project,
    personas: Personas,
    make_report: MakeReport,
    media: Path,
    name: str,
    content: bytes,
    message: str,
) -> None:
    report = make_report(project)
    with pytest.raises(ValidationError) as caught:
        actions.add_attachment(report=report, upload=upload(name, content), by=personas.officer_a)
    assert message in caught.value.message_dict["attachments"][0]
    assert not ReportAttachment.objects.exists()
    assert stored_files(media) == []


def test_a_file_over_the_size_limit_is_refused(settings: Any) -> None:
    settings.TIDTAM_ATTACHMENT_MAX_MB = 1
    with pytest.raises(ValidationError, match="ไม่เกิน 1 MB"):
        check_file("big.pdf", PDF_BYTES, 1024 * 1024 + 1)
    assert check_file("ok.pdf", PDF_BYTES, 1024 * 1024).content_type == "application/pdf"


def test_names_lose_folders_and_control_characters_but_keep_their_extension() -> None:
    assert clean_name("C:\\Users\\สมชาย\\แผน.pdf") == "แผน.pdf"
    assert clean_name("../../etc/passwd.png") == "passwd.png"
    assert clean_name("a\x00b\nc.pdf") == "abc.pdf"
    long = clean_name("ก" * 300 + ".pdf")
    assert len(long) == 255 and long.endswith(".pdf")


def test_files_come_with_the_report_form(
    client: Client, project: Project, personas: Personas
) -> None:
    client.force_login(personas.officer_a)
    data = form_data()
    data["attachments"] = [upload("ใบส่งของ.pdf", PDF_BYTES), upload("หน้างาน.jpg", JPEG_BYTES)]
    client.post(f"/projects/{project.code}/reports/new/", data)
    report = ProgressReport.objects.get()
    assert set(report.attachments.values_list("original_name", flat=True)) == {
        "ใบส่งของ.pdf",
        "หน้างาน.jpg",
    }


def test_a_refused_form_keeps_no_file(
    client: Client, project: Project, personas: Personas, media: Path
) -> None:
    client.force_login(personas.officer_a)
    data = form_data(percent="120")
    data["attachments"] = [upload("ใบส่งของ.pdf", PDF_BYTES)]
    response = client.post(f"/projects/{project.code}/reports/new/", data)
    assert response.status_code == 200
    assert "เลือกไฟล์อีกครั้ง" in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert not ReportAttachment.objects.exists()
    assert stored_files(media) == []


def test_a_bad_file_refuses_the_whole_form_next_to_the_file_field(
    client: Client, project: Project, personas: Personas, media: Path
) -> None:
    client.force_login(personas.officer_a)
    data = form_data()
    data["attachments"] = [upload("ok.pdf", PDF_BYTES), upload("virus.pdf", b"MZ\x90\x00")]
    response = client.post(f"/projects/{project.code}/reports/new/", data)
    text = response.content.decode()
    block = text.split('id="id_attachments"', 1)[1].split('<div class="field', 1)[0]
    assert "virus.pdf" in block
    assert not ProgressReport.objects.exists()
    assert stored_files(media) == []


def test_removing_a_file_deletes_it_from_storage_once_committed(
    client: Client,
    project: Project,
    personas: Personas,
    make_report: MakeReport,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = make_report(project)
    attachment = actions.add_attachment(
        report=report, upload=upload("a.pdf", PDF_BYTES), by=personas.officer_a
    )
    client.force_login(personas.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/{report.pk}/attachments/{attachment.pk}/delete/")
    assert response.status_code == 302
    assert not ReportAttachment.objects.exists()
    assert not default_storage.exists(attachment.stored_name)
    assert ReportAttachment.history.filter(id=attachment.pk, history_type="-").exists()


def test_files_of_an_approved_report_cannot_change(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project)
    attachment = actions.add_attachment(
        report=report, upload=upload("a.pdf", PDF_BYTES), by=personas.officer_a
    )
    actions.submit_report(report=report, by=personas.officer_a)
    actions.approve_report(report=report, by=personas.approver_a)
    with pytest.raises(ValidationError):
        actions.add_attachment(report=report, upload=upload("b.pdf", PDF_BYTES), by=None)
    with pytest.raises(ValidationError):
        actions.remove_attachment(attachment=attachment, by=personas.officer_a)
    client.force_login(personas.officer_a)
    url = f"/reports/{report.pk}/attachments/{attachment.pk}/delete/"
    assert client.post(url).status_code == 403
    assert ReportAttachment.objects.count() == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_the_public_downloads_files_of_approved_reports_of_published_projects_only(
    project: Project, personas: Personas, make_report: MakeReport
) -> None:
    draft = make_report(project)
    hidden = actions.add_attachment(
        report=draft, upload=upload("a.pdf", PDF_BYTES), by=personas.officer_a
    )
    public = Client()
    assert public.get(f"/reports/{draft.pk}/attachments/{hidden.pk}/").status_code == 404
    actions.submit_report(report=draft, by=personas.officer_a)
    actions.approve_report(report=draft, by=personas.approver_a)
    assert public.get(f"/reports/{draft.pk}/attachments/{hidden.pk}/").status_code == 200
    project.published = False
    project.save()
    assert public.get(f"/reports/{draft.pk}/attachments/{hidden.pk}/").status_code == 404


def test_an_attachment_is_reached_only_through_its_own_report(
    project: Project, personas: Personas, make_report: MakeReport
) -> None:
    january = make_report(project)
    february = make_report(project, report_date=date(2020, 2, 28))
    attachment = actions.add_attachment(
        report=january, upload=upload("a.pdf", PDF_BYTES), by=personas.officer_a
    )
    client = Client()
    client.force_login(personas.officer_a)
    assert client.get(f"/reports/{february.pk}/attachments/{attachment.pk}/").status_code == 404


def test_media_files_are_not_served_at_a_public_address(
    client: Client, project: Project, personas: Personas, make_report: MakeReport
) -> None:
    report = make_report(project)
    attachment = actions.add_attachment(
        report=report, upload=upload("a.pdf", PDF_BYTES), by=personas.officer_a
    )
    assert client.get(f"/media/{attachment.stored_name}").status_code == 404
