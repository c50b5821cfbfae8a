"""Demo accounts for trying Tidtam on a development machine (refused outside development)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tidtam.accounts.actions import grant_role
from tidtam.accounts.models import Role
from tidtam.orgs.models import Agency

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
