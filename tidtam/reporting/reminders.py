"""Monthly reminders to officers whose agency's projects have not reported yet.

Meant to run every day from cron: each officer gets at most one reminder a month, recorded in
ReminderLog in the same transaction as the sending, so a second run sends nothing and a run
that fails to send tries again next time.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction

from tidtam.accounts.models import Membership, Role
from tidtam.projects.models import Project
from tidtam.reporting import mail
from tidtam.reporting.compliance import ReportingMonth, reporting_month
from tidtam.reporting.models import ReminderLog, missing_report

log = logging.getLogger(__name__)


@dataclass
class ReminderRun:
    period: ReportingMonth
    sent: list[tuple[str, int]] = field(default_factory=list)  # (username, projects listed)
    already: int = 0
    without_email: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    agencies: int = 0


def send_reminders(today: date) -> ReminderRun:
    period = reporting_month(today)
    run = ReminderRun(period=period)
    if not period.reminders_due:
        return run
    missing: dict[int, list[Project]] = defaultdict(list)
    for project in (
        missing_report(Project.objects.filter(fiscal_year_id=period.fiscal_year), period.month)
        .select_related("agency")
        .order_by("code")
    ):
        missing[project.agency_id].append(project)
    run.agencies = len(missing)
    officers = (
        Membership.objects.filter(role=Role.OFFICER, agency_id__in=missing, user__is_active=True)
        .select_related("user")
        .order_by("user__username", "agency_id")
    )
    per_user: dict[int, list[Project]] = defaultdict(list)
    users = {}
    for membership in officers:
        if membership.agency_id is None:
            continue
        users[membership.user_id] = membership.user
        per_user[membership.user_id].extend(missing[membership.agency_id])
    reminded = set(
        ReminderLog.objects.filter(month=period.month, user_id__in=users).values_list(
            "user_id", flat=True
        )
    )
    for user_id, projects in per_user.items():
        user = users[user_id]
        if user_id in reminded:
            run.already += 1
            continue
        if not user.email:
            run.without_email.append(user.username)
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=user, month=period.month, projects=len(projects))
                mail.send_reminder(user_id, period.month, period.deadline, projects)
        except IntegrityError:
            # Another run reminded this person a moment ago.
            run.already += 1
        except Exception:
            log.exception("reminder to %s failed", user.username)
            run.failed.append(user.username)
        else:
            run.sent.append((user.username, len(projects)))
    return run
