from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from tidtam.lib.backup import BackupError, default_output, take_backup


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files (MEDIA_ROOT) into one tar file with a "
        "SHA-256 checksum of each; safe while the site is running."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="the tar file to write (default var/backups/tidtam-<date>-<time>.tar)",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"] or default_output()
        try:
            manifest = take_backup(output, connections[options["database"]])
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            self.stdout.write(
                f"backup written to {output}: the {manifest.engine} database and "
                f"{len(manifest.media)} uploaded files, {output.stat().st_size} bytes"
            )
