from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tidtam.reporting.reminders import send_reminders


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date such as 2026-05-08, not {text!r}") from None


class Command(BaseCommand):
    help = (
        "E-mail each officer the projects of their agency still missing this month's report, "
        "once a month per officer. Meant to run daily from cron; running it twice sends nothing "
        "more."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=_day, help="act as if today were this date (ISO)")

    def handle(self, *args: Any, **options: Any) -> None:
        today: date = options["today"] or timezone.localdate()
        run = send_reminders(today)
        period = run.period
        self.stdout.write(
            f"month {period.month:%Y-%m}, deadline {period.deadline.isoformat()}, "
            f"today {today.isoformat()}"
        )
        if not period.reminders_due:
            self.stdout.write(
                f"too early: reminders go out from {period.reminders_from.isoformat()}"
            )
            return
        for username, count in run.sent:
            self.stdout.write(f"sent to {username}: {count} project(s) missing")
        for username in run.without_email:
            self.stdout.write(f"no e-mail address: {username}")
        for username in run.failed:
            self.stderr.write(f"failed to send to {username}")
        self.stdout.write(
            f"agencies with missing reports {run.agencies}, reminders sent {len(run.sent)}, "
            f"already reminded this month {run.already}, without e-mail "
            f"{len(run.without_email)}, failed {len(run.failed)}"
        )
        if run.failed:
            raise CommandError("some reminders could not be sent; the next run tries again")
