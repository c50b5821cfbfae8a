"""Demo accounts for trying Tidtam on a development machine (refused outside development)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tidtam.accounts.actions import grant_role
from tidtam.accounts.models import Role
from tidtam.lib.fiscal import fiscal_year_of
from tidtam.orgs.models import Agency, Origin
from tidtam.projects.models import Project
from tidtam.reporting.actions import ReportValues, create_report
from tidtam.reporting.models import ProgressReport, ReportStatus, month_start

PASSWORD = "tidtam-demo"
# (username, role, agency code or None, full name: "{agency}" is the agency's name as loaded)
DEMO = [
    ("officer", Role.OFFICER, "03000000", "เจ้าหน้าที่ {agency}"),
    ("approver", Role.APPROVER, "03000000", "ผู้อนุมัติ {agency}"),
    ("officer2", Role.OFFICER, "21000000", "เจ้าหน้าที่ {agency}"),
    ("evaluator", Role.EVALUATOR, None, "ผู้ประเมิน สำนักยุทธศาสตร์และประเมินผล"),
    ("executive", Role.EXECUTIVE, None, "ผู้บริหาร"),
    ("admin", Role.ADMINISTRATOR, None, "ผู้ดูแลระบบ"),
]


class Command(BaseCommand):
    help = "Create demo accounts (password tidtam-demo) for each role; development only."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEVELOPMENT:
            raise CommandError("demo accounts are for development machines only")
        users = get_user_model()
        for username, role, code, full_name in DEMO:
            agency = Agency.objects.filter(code=code).first() if code else None
            if code and agency is None:
                self.stdout.write(f"skipped {username}: agency {code} is not loaded")
                continue
            user = users.objects.filter(username=username).first()
            if user is None:
                full_name = full_name.format(agency=agency.name_th if agency else "")
                first, _sep, last = full_name.partition(" ")
                user = users.objects.create_user(
                    username=username,
                    password=PASSWORD,
                    email=f"{username}@example.test",
                    first_name=first,
                    last_name=last,
                    is_staff=role == Role.ADMINISTRATOR,
                    is_superuser=role == Role.ADMINISTRATOR,
                )
            grant_role(user=user, role=role, agency=agency, by=None, reason="demo account")
            where = f" in {code}" if code else ""
            self.stdout.write(f"{username} / {PASSWORD}: {role.label}{where}")
        officer = users.objects.filter(username="officer").first()
        if officer is not None:
            self.stdout.write(submit_report_to_review(officer))


# The demo officer's report, as the officer would write it: "sample data" comes first.
DEMO_NARRATIVE = "ข้อมูลตัวอย่าง: รายงานความก้าวหน้าประจำเดือนที่เจ้าหน้าที่ตัวอย่างส่งไว้ให้ผู้อนุมัติตรวจ"


def submit_report_to_review(officer: Any) -> str:
    """This month's report of one sample project of the demo officer's agency, submitted by
    the officer through the action, so that the demo approver's first look at My work has a
    report to review (the generated data leave none of that agency submitted). Nothing is
    written when the agency already has a report waiting, or no sample project without this
    month's report."""
    today = timezone.localdate()
    agencies = officer.memberships.filter(role=Role.OFFICER).values("agency")
    waiting = ProgressReport.objects.filter(
        project__agency__in=agencies, status=ReportStatus.SUBMITTED
    )
    if waiting.exists():
        return "a report is already waiting for the demo approver"
    project = (
        Project.objects.filter(
            agency__in=agencies,
            origin=Origin.SAMPLE,
            fiscal_year_id=fiscal_year_of(today),
            progress_unit="",
        )
        .exclude(reports__report_date__gte=month_start(today))
        .order_by("code")
        .first()
    )
    if project is None:
        return "no sample project of the demo officer's agency is due a report this month"
    last = project.reports.official().newest_first().values_list("percent", flat=True).first()
    percent = max(last or Decimal(0), project.planned_progress(today).quantize(Decimal(1)))
    values = ReportValues(report_date=today, percent=percent, narrative=DEMO_NARRATIVE)
    try:
        create_report(project=project, values=values, by=officer, submit=True)
    except ValidationError as error:
        return f"no report submitted for {project.code}: {' '.join(error.messages)}"
    return f"officer submitted this month's report of {project.code} for the approver to review"
