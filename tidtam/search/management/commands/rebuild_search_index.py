"""Rewrite the search index from the projects' texts: after bulk loads that bypass the actions
(generate_demo), and whenever the index is in doubt."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from tidtam.search.index import rebuild
from tidtam.search.store import optimize


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every project (of one fiscal year with --fiscal-year), "
        "in chunks, printing progress."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fiscal-year", type=int, dest="fiscal_year")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            elapsed = time.perf_counter() - started
            self.stdout.write(f"search index: {done:,} of {total:,} projects ({elapsed:.1f} s)")

        written = rebuild(fiscal_year=options["fiscal_year"], progress=progress)
        if options["fiscal_year"] is not None:
            # Fewer, larger FTS5 segments after many small writes: quicker look-ups from then
            # on (a full rebuild builds the tables whole instead).
            optimize(connection)
        self.stdout.write(
            f"search index rebuilt: {written:,} projects in {time.perf_counter() - started:.1f} s"
        )
