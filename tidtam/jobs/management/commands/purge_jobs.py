from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from tidtam.jobs.actions import fail_abandoned_jobs, purge_expired_jobs


class Command(BaseCommand):
    help = (
        "Delete finished jobs older than JOBS_KEEP_DAYS with their files, and mark failed "
        "the running jobs whose worker died. Run it once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        failed = fail_abandoned_jobs()
        purged = purge_expired_jobs()
        self.stdout.write(
            f"{purged} jobs older than {settings.JOBS_KEEP_DAYS} days deleted with their files; "
            f"{failed} jobs whose worker stopped marked failed"
        )
