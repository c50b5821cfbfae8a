from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from tidtam.legacy.load import import_paths


class Command(BaseCommand):
    help = "Import project pages saved from the legacy progress site (files or folders)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        missing = [str(p) for p in options["paths"] if not p.exists()]
        if missing:
            raise CommandError(f"ไม่พบไฟล์ / not found: {', '.join(missing)}")
        verbose = options["verbosity"] > 1
        summary = import_paths(options["paths"], progress=self.stdout.write if verbose else None)
        for note in summary.rearranged:
            self.stdout.write(gettext("Layout rearranged: %(note)s") % {"note": note})
        for rejection in summary.rejected:
            self.stderr.write(f"ปฏิเสธ / rejected: {rejection}")
        self.stdout.write(
            f"files read {summary.files}, projects created {len(summary.created)}, "
            f"updated {len(summary.updated)}, rejected {summary.rejected_files}, "
            f"warnings {summary.warnings}"
        )
        if summary.rejected:
            raise CommandError(f"{summary.rejected_files} file(s) rejected", returncode=1)
