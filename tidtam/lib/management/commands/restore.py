from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from tidtam.lib.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `backup`: check every checksum, then replace the database "
        "and write the uploaded files back. A database that holds data is replaced only with "
        "--force. Stop the web servers and the worker first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="the tar file written by `backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the database even though it holds data",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = restore(
                options["backup"], connections[options["database"]], force=options["force"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            self.stdout.write(
                f"restored the {restored.manifest.engine} database of {restored.manifest.created} "
                f"and {restored.media_files} uploaded files; every checksum matched"
            )
