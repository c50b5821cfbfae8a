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
from tidtam.indicators.actions import enter_kpi_result
from tidtam.indicators.models import Kpi, KpiResult
from tidtam.lib.fiscal import quarter_of
from tidtam.orgs.models import Agency, Origin
from tidtam.projects.models import Quarter
from tidtam.reporting.models import ProgressReport

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
            approver = users.objects.filter(username="approver").first()
            self.stdout.write(submit_result_to_review(officer, approver))


# The demo officer's words: "sample data" comes first, as on every generated text.
DEMO_NARRATIVE = "ข้อมูลตัวอย่าง: ผลการดำเนินงานของไตรมาสนี้ที่เจ้าหน้าที่ตัวอย่างส่งไว้ให้ผู้อนุมัติตรวจ"


def submit_result_to_review(officer: Any, approver: Any) -> str:
    """The current quarter's result of one sample KPI of the demo officer's agency, entered
    and submitted by the officer through the action, so that the demo approver's first look at
    My work has something to review (the generated data leave nothing of that agency
    submitted), while the officer still has this month's reports to write. Nothing is written
    when the approver already has something to review (as My work lists it), or any KPI of
    the officer's agency has a result of this quarter."""
    today = timezone.localdate()
    if (
        KpiResult.objects.awaiting_review_by(approver).exists()
        or ProgressReport.objects.awaiting_review_by(approver).exists()
    ):
        return "the demo approver already has something to review"
    agencies = officer.memberships.filter(role=Role.OFFICER).values("agency")
    year, number = quarter_of(today)
    quarter = Quarter.objects.filter(fiscal_year_id=year, number=number).first()
    kpis = Kpi.objects.filter(agency__in=agencies, fiscal_year_id=year)
    if quarter is None or KpiResult.objects.filter(kpi__in=kpis, quarter=quarter).exists():
        # Once a result of the quarter was entered (and perhaps approved), a second run of
        # `make run` adds none: the demo is set up once, as people would find it.
        return "the demo officer's agency has a KPI result of this quarter already"
    kpi = kpis.filter(origin=Origin.SAMPLE).order_by("code").first()
    if kpi is None:
        return "the demo officer's agency has no sample KPI of this fiscal year"
    # The share of the year's target that the quarters so far stand for.
    result = (kpi.target or Decimal(0)) * number / 4
    try:
        enter_kpi_result(
            kpi=kpi,
            quarter=quarter,
            result=result.quantize(Decimal(1)),
            narrative=DEMO_NARRATIVE,
            by=officer,
            submit=True,
        )
    except ValidationError as error:
        return f"no result submitted for KPI {kpi.code}: {' '.join(error.messages)}"
    return f"officer submitted quarter {number}'s result of KPI {kpi.code} for the approver"
