"""Report pages write dates in the reader's era: Buddhist in Thai, Common in English."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tidtam.projects.models import Project
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.reporting.tests.conftest import MakeReport
from tidtam.test import Personas

SUBMITTED = timezone.make_aware(datetime(2020, 2, 19, 14, 5))


@pytest.fixture
def submitted(project: Project, make_report: MakeReport) -> ProgressReport:
    report = make_report(project, status=ReportStatus.SUBMITTED)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=SUBMITTED)
    return report


@pytest.mark.parametrize(
    ("lang", "shown", "not_shown"),
    [("th", "19 ก.พ. 2563 14:05", "2020-02-19"), ("en", "19 Feb 2020 14:05", "2563")],
)
def test_the_review_queue_says_when_a_report_was_submitted_in_the_readers_era(
    client: Client,
    personas: Personas,
    submitted: ProgressReport,
    lang: str,
    shown: str,
    not_shown: str,
) -> None:
    client.cookies["django_language"] = lang
    client.force_login(personas.approver_a)
    # What the reader sees: a <time> element's machine-readable datetime is ISO on purpose.
    page = re.sub(r"<[^>]*>", " ", client.get("/review/").content.decode())
    assert shown in page
    assert not_shown not in page


def test_the_report_form_shows_and_reads_a_buddhist_era_date_in_thai(
    client: Client, personas: Personas, project: Project, make_report: MakeReport
) -> None:
    report = make_report(project)
    client.force_login(personas.officer_a)
    form = client.get(f"/reports/{report.pk}/edit/").content.decode()
    assert 'value="31/1/2563"' in form
    assert 'inputmode="numeric"' in form and 'type="date"' not in form
