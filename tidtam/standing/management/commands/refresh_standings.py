"""Recompute the stored standings for the passage of time: run once a day from cron."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tidtam.standing.refresh import refresh_standings


class Command(BaseCommand):
    help = (
        "Recompute every project's stored standing (planned progress today, status, flags, "
        "missing reports) that the calendar may have changed since it was computed. "
        "--fiscal-year refreshes every project of that year; --all every project."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fiscal-year", type=int, action="append", dest="fiscal_years")
        parser.add_argument("--all", action="store_true", help="every project, due or not")
        parser.add_argument("--today", help="act as if on this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(f"--today: {error}") from error
        years = options["fiscal_years"]
        started = time.perf_counter()
        written = refresh_standings(
            fiscal_years=years,
            due_only=not (years or options["all"]),
            today=today,
        )
        if connection.vendor == "sqlite":
            # SQLite never gathers planner statistics by itself: without them a growing
            # database soon reads a project's reports through the wrong index (PostgreSQL's
            # autovacuum does this there). Once a day is what SQLite recommends.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA optimize")
        self.stdout.write(
            f"standings refreshed: {written} projects in {time.perf_counter() - started:.1f} s"
        )
